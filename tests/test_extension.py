"""The extension (perpanjangan, Pasal 22(8)): once, before the 10-WD deadline passes, by at
most the configured working days, with reasons the applicant receives; the new date shows
on the officer's and the applicant's pages at once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ppid_desk.audit.selectors import events_for
from ppid_desk.requests.lifecycle import cached_columns, replayed_columns
from tests.helpers import MONDAY, errors_of, extend_confirmed, fresh, issue

REASON = "Informasi masih dikumpulkan dari tiga unit kerja dan perlu dihitamkan sebagian."


@pytest.fixture
def utama(officer_client):
    return officer_client("ppid_utama", name="Rina Utama")


@pytest.fixture
def filed(app, clock, file_request):
    clock.travel_to(MONDAY)
    return file_request()


def extend(client, item, **overrides):
    data = {"version": str(item.version), "reason": REASON, "working_days": "7"}
    data.update(overrides)
    return extend_confirmed(client, f"/meja/permohonan/{item.id}/perpanjangan", data)


def test_extension_moves_the_deadline_everywhere_and_tells_the_applicant(app, filed, utama, mailbox, runner):
    assert filed.notice_due == date(2026, 3, 16)
    mailbox.clear()
    response = extend(utama, filed)
    assert response.status_code == 303
    item = fresh(filed)
    # Hand count from Monday 16 March 2026: 17 (1); 18 cuti bersama Nyepi, 19 Nyepi, 20 cuti bersama
    # Idul Fitri, 21–22 Idul Fitri (weekend), 23–24 cuti bersama; 25 (2), 26 (3), 27 (4), 30 (5),
    # 31 (6), 1 April (7).
    assert item.extended_due == date(2026, 4, 1) and item.due_date == date(2026, 4, 1)
    assert item.notice_due == date(2026, 3, 16) and item.extension_reason == REASON
    event = [e for e in events_for("request", item.id) if e.kind == "extended"][0]
    assert event.data["working_days"] == 7 and event.data["after"]["extended_due"] == "2026-04-01"
    assert replayed_columns(item) == cached_columns(item)
    body = mailbox.wait_for(1)[0].get_content()
    assert REASON in body and "1 April 2026" in body and "16 Maret 2026" in body
    assert "Hari Suci Nyepi" in body and "hari kerja ke-7" in body

    desk = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "diperpanjang sampai" in desk and "1 April 2026" in desk
    assert REASON in desk and "Periksa perpanjangan" not in desk  # no second form
    applicant = app.test_client()
    applicant.get(f"/lacak/{item.tracking_token}")
    page = applicant.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="extended-due"' in page and "1 April 2026" in page and REASON in page
    assert "Hari Suci Nyepi" in page  # the day-by-day count of the extension
    receipt = applicant.get(f"/permohonan/{item.id}/tanda-bukti").get_data(as_text=True)
    assert "16 Maret 2026" in receipt  # the receipt keeps the original statutory date
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_a_shorter_extension(filed, utama):
    assert extend(utama, filed, working_days="3").status_code == 303
    assert fresh(filed).extended_due == date(2026, 3, 26)  # 17, 25, 26 March


def test_only_one_extension(filed, utama):
    assert extend(utama, filed).status_code == 303
    again = extend(utama, fresh(filed), reason="Alasan kedua yang cukup panjang untuk dikirim.")
    assert again.status_code == 422 and "hanya boleh satu kali" in again.get_data(as_text=True)
    assert fresh(filed).extension_reason == REASON
    assert len([e for e in events_for("request", filed.id) if e.kind == "extended"]) == 1


def test_extension_on_the_last_day_is_allowed_but_not_after(filed, utama, clock):
    clock.travel_to(datetime(2026, 3, 16, 16, 0, tzinfo=UTC))  # 23.00 WIB on the due day
    assert extend(utama, filed).status_code == 303


def test_no_extension_after_the_deadline(filed, utama, clock):
    clock.travel_to(datetime(2026, 3, 17, 2, 0, tzinfo=UTC))  # 09.00 WIB the day after the due
    response = extend(utama, filed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "sudah lewat" in html
    assert fresh(filed).extended_due is None
    page = utama.get(f"/meja/permohonan/{filed.id}").get_data(as_text=True)
    assert "perpanjangan tidak dapat lagi diberikan" in page and "Periksa perpanjangan" not in page


def test_reasons_and_length_are_checked_and_typed_text_kept(filed, utama):
    response = extend(utama, filed, reason="Sibuk", working_days="8")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and set(errors_of(response)) == {"reason", "working_days"}
    assert ">Sibuk</textarea>" in html and "1 sampai 7 hari kerja" in html
    response = extend(utama, filed, working_days="tujuh")
    assert response.status_code == 422 and errors_of(response) == ["working_days"]
    assert fresh(filed).extended_due is None


def test_no_extension_once_the_notice_is_issued(filed, utama):
    issue(utama, filed)
    response = extend(utama, fresh(filed))
    assert response.status_code == 422 and "belum mendapat pemberitahuan" in response.get_data(as_text=True)


def test_extended_deadline_applies_to_the_clock_and_a_notice_after_the_original_date(filed, utama, clock):
    extend(utama, filed)
    clock.travel_to(datetime(2026, 3, 30, 3, 0, tzinfo=UTC))  # after 16 March, before 1 April
    page = utama.get(f"/meja/permohonan/{filed.id}").get_data(as_text=True)
    assert "badge-late" not in page and "2 hari kerja lagi" in page  # the overdue badge, not the menu
    assert issue(utama, fresh(filed)).status_code == 303
