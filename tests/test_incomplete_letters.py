"""An incomplete request cannot trap the body (issue 13 item 7, and item 4's incomplete-notice letter).

The desk marks a request incomplete with a numbered letter: what is missing, the completion
period (a setting, 10 WD by default) and its exact last day, how to complete it and what happens
if it is not. Applicants without e-mail get it printed, and the desk records the hand-over. After
the last day (never before) the desk can close the request as not completed (tidak dilengkapi)
with a second numbered letter: the notice clock stops, the applicant is e-mailed, and monev and
the register show it as its own administrative end, not as a breach.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ppid_desk.audit.models import Event
from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.monev.metrics import monev_metrics
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.requests.models import CompletenessLetter, InformationRequest, RegistrationCounter
from ppid_desk.sla import ClockRules, ClosedDay, ClosureKind, WorkingCalendar, completion_due
from ppid_desk.web import letter_pdf
from tests.helpers import pdf_text, png_bytes

D = date.fromisoformat
RECEIVED = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # Monday 2 March 2026, 10.00 WIB
MARKED = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # Tuesday 3 March, 09.00 WIB: the letter's day (day 0)
LAST_DAY = datetime(2026, 3, 17, 9, 0, tzinfo=UTC)  # Tuesday 17 March, 16.00 WIB: the 10th working day
AFTER = datetime(2026, 3, 18, 2, 0, tzinfo=UTC)  # Wednesday 18 March, 09.00 WIB (cuti bersama Nyepi)
MISSING = "Fotokopi KTP dan surat kuasa dari kelompok yang diwakili."


# --- the last day of the completion period (pure) ------------------------------------------------

@cache
def reference_rows() -> tuple[ClosedDay, ...]:
    path = Path(__file__).resolve().parent / "data" / "id-holidays-2024-2026.csv"
    with path.open(newline="", encoding="utf-8") as f:
        return tuple(ClosedDay(D(r["date"]), ClosureKind(r["kind"]), r["name"]) for r in csv.DictReader(f))


def calendar(cuti_bersama_non_working: bool = True) -> WorkingCalendar:
    return WorkingCalendar(lambda year: [r for r in reference_rows() if r.day.year == year],
                           cuti_bersama_non_working=cuti_bersama_non_working)


@pytest.mark.parametrize(("marked", "wd", "cb_closed", "last_day", "why"), [
    ("2026-04-06", 10, True, "2026-04-20", "a plain Monday: two working weeks"),
    ("2026-03-07", 10, True, "2026-03-27", "a Saturday: day 1 is Monday; Nyepi and Lebaran (18-24 March) skipped"),
    ("2026-03-07", 10, False, "2026-03-23", "the same Saturday with cuti bersama as working days"),
    ("2026-05-14", 10, True, "2026-06-03", "a holiday (Kenaikan); then cuti bersama, Idul Adha, Pancasila"),
    ("2026-02-09", 10, True, "2026-02-25", "the Monday before cuti bersama Imlek (16 Feb) and Imlek"),
    ("2026-02-13", 1, True, "2026-02-18", "the Friday before cuti bersama: one working day is Wednesday"),
    ("2026-08-13", 10, True, "2026-08-31", "17 August and Maulid (25 August) skipped"),
    ("2026-03-16", 5, True, "2026-03-30", "a shorter setting (5 WD) across Nyepi and Lebaran"),
])
def test_the_completion_period_last_day(marked, wd, cb_closed, last_day, why):
    assert completion_due(D(marked), calendar(cb_closed), ClockRules(completion_wd=wd)) == D(last_day), why


def test_the_default_is_ten_working_days(app):
    from ppid_desk.workcalendar.selectors import clock_rules

    assert ClockRules().completion_wd == 10
    with app.app_context():
        assert clock_rules().completion_wd == app.config["INCOMPLETE_COMPLETION_WD"] == 10


def test_the_setting_comes_from_the_environment():
    from ppid_desk.config import from_environment

    assert from_environment({"INCOMPLETE_COMPLETION_WD": 10},
                            {"PPID_INCOMPLETE_COMPLETION_WD": "14"})["INCOMPLETE_COMPLETION_WD"] == 14


# --- the app -----------------------------------------------------------------------------------

def fresh(item) -> InformationRequest:
    db.session.expire_all()
    return db.session.get(InformationRequest, item.id)


def kinds(item) -> list[str]:
    return [event.kind for event in events_for("request", item.id)]


def letters(item) -> list[CompletenessLetter]:
    db.session.expire_all()
    return list(db.session.scalars(select(CompletenessLetter).where(CompletenessLetter.request_id == item.id)
                                   .order_by(CompletenessLetter.id)))


def core_font_pdf(monkeypatch, client, url: str) -> str:
    """The PDF's text, drawn with a core font so that it can be read back."""
    monkeypatch.setattr(letter_pdf, "FONT_CANDIDATES", ())
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return " ".join(pdf_text(response.get_data()).split())


@pytest.fixture
def walk_in(app, clock, file_request, officer_client):
    """A walk-in request without e-mail, marked incomplete at the desk on Tuesday 3 March."""
    clock.travel_to(RECEIVED)
    item = file_request(email="", channel="walk_in", received_at=RECEIVED, notify=False)
    desk = officer_client("petugas", name="Dewi Petugas")
    clock.travel_to(MARKED)
    response = desk.post(f"/meja/permohonan/{item.id}/belum-lengkap",
                         data={"version": item.version, "missing_items": MISSING})
    assert response.status_code == 303
    return fresh(item), desk


def test_the_incomplete_notice_is_a_numbered_letter_with_the_period(walk_in, monkeypatch):
    item, desk = walk_in
    assert item.status == "incomplete" and item.missing_items == MISSING
    assert item.completion_due == D("2026-03-17")  # 10 WD after Tuesday 3 March
    assert item.notice_due == D("2026-03-16")  # the statutory clock keeps running, unchanged
    [letter] = letters(item)
    assert (letter.kind, letter.number, letter.issued_on) == ("incomplete", "0001/PPID-KL/III/2026", D("2026-03-03"))
    assert (letter.completion_wd, letter.completion_due, letter.missing_items) == (10, D("2026-03-17"), MISSING)
    assert letter.handover_method is None  # no e-mail: printed at the desk, hand-over not yet recorded
    [event] = [e for e in events_for("request", item.id) if e.kind == "marked_incomplete"]
    assert event.data["letter"] == letter.number and event.data["completion_wd"] == 10
    assert "email_queued" not in kinds(item)

    page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="letters-panel"' in page and "0001/PPID-KL/III/2026" in page
    assert 'id="completion-due">17 Maret 2026<' in page
    assert "mulai 18 Maret 2026" in page  # when it may be closed
    assert 'id="close-not-completed-form"' not in page  # not before the period has passed

    text = core_font_pdf(monkeypatch, desk, f"/meja/permohonan/{item.id}/surat-kelengkapan/{letter.id}.pdf")
    for expected in ("PEMBERITAHUAN PERMOHONAN INFORMASI BELUM LENGKAP", "Nomor: 0001/PPID-KL/III/2026",
                     "3 Maret 2026", item.number, MISSING, "10 hari kerja", "17 Maret 2026",
                     "meja layanan PPID", "dengan surat kepada PPID", "/lacak", "tidak dilengkapi",
                     "permohonan baru", "Budi Santoso"):
        assert expected in text, expected


def test_the_desk_records_the_hand_over_of_the_printed_letter(walk_in, clock):
    """The completeness letter's hand-over is the one form and check of every printed letter
    (requests.letters): by post it needs the proof, a date before the letter or in the future is
    refused next to the field, and nothing is written until it is right."""
    item, desk = walk_in
    [letter] = letters(item)
    url = f"/meja/permohonan/{item.id}/surat-kelengkapan/{letter.id}/penyerahan"
    prefix = f"letter{letter.id}-"
    clock.travel_to(datetime(2026, 3, 4, 3, 0, tzinfo=UTC))
    before = kinds(item)
    early = desk.post(url, data={prefix + "method": "in_person", prefix + "received_on": "2026-03-02"})
    assert early.status_code == 422 and "sebelum surat diterbitkan" in early.get_data(as_text=True)
    future = desk.post(url, data={prefix + "method": "in_person", prefix + "received_on": "2026-03-05"})
    assert future.status_code == 422 and "di masa depan" in future.get_data(as_text=True)
    empty = desk.post(url, data={})
    assert empty.status_code == 422 and "Pilih cara surat diserahkan" in empty.get_data(as_text=True)
    no_proof = desk.post(url, data={prefix + "method": "post", prefix + "received_on": "04-03-2026"})
    assert no_proof.status_code == 422 and "Unggah Bukti diterima" in no_proof.get_data(as_text=True)
    assert 'value="2026-03-04"' in no_proof.get_data(as_text=True)  # what was typed is kept (ISO for the date input)
    assert kinds(item) == before and letters(item)[0].handover_method is None  # nothing written

    done = desk.post(url, data={prefix + "method": "post", prefix + "received_on": "04-03-2026",
                                prefix + "proof": (io.BytesIO(png_bytes()), "resi.png")},
                     content_type="multipart/form-data")
    assert done.status_code == 303
    [letter] = letters(item)
    assert (letter.handover_method, letter.handed_over_on) == ("post", D("2026-03-04"))
    assert letter.handover_recorded_by_id is not None and letter.handover_proof_id is not None
    event = events_for("request", item.id)[-1]
    assert event.kind == "completeness_letter_handed_over"
    assert event.data == {"letter": letter.number, "method": "post", "on": "2026-03-04",
                          "proof": letter.handover_proof_id, "before": {"method": None, "on": None}}
    page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Diserahkan kepada pemohon: Pos, 04 Maret 2026" in page or \
        "Diserahkan kepada pemohon: Pos, 4 Maret 2026" in page


def test_an_applicant_with_email_gets_the_same_dates(app, clock, file_request, officer_client, mailbox):
    clock.travel_to(RECEIVED)
    item = file_request(received_at=RECEIVED, notify=False)
    desk = officer_client("ppid_utama")
    clock.travel_to(MARKED)
    assert desk.post(f"/meja/permohonan/{item.id}/belum-lengkap",
                     data={"version": item.version, "missing_items": MISSING}).status_code == 303
    [message] = mailbox.wait_for(1)
    body = message.get_content()
    assert "0001/PPID-KL/III/2026" in body and MISSING in body
    assert "10 hari kerja, sampai 17 Maret 2026" in body
    assert f"/permohonan/{item.id}/surat-kelengkapan/" in body
    [letter] = letters(item)
    # e-mailed at once: the hand-over is the e-mail, received the day it was sent
    assert (letter.handover_method, letter.handed_over_on) == ("email", D("2026-03-03"))

    # The applicant's page shows the last day and offers the letter.
    guest = app.test_client()
    guest.get(f"/lacak/{item.tracking_token}")
    page = guest.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="completion-due">17 Maret 2026<' in page
    pdf = guest.get(f"/permohonan/{item.id}/surat-kelengkapan/{letter.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert events_for("request", item.id)[-1].kind == "completeness_letter_downloaded"


def _snapshot(item) -> tuple:
    db.session.expire_all()
    row = db.session.get(InformationRequest, item.id)
    return (row.status, row.outcome, row.closed_at, row.version, len(letters(item)),
            db.session.scalar(select(func.count()).select_from(Event)),
            db.session.scalar(select(func.count()).select_from(OutboxMessage)),
            db.session.scalar(select(func.sum(RegistrationCounter.last_value))))


def test_closing_before_the_period_ends_is_refused_and_changes_nothing(walk_in, clock):
    item, desk = walk_in
    url = f"/meja/permohonan/{item.id}/tutup-tidak-dilengkapi"
    for moment in (MARKED, LAST_DAY):  # the letter's day, and the last day itself (until its end)
        clock.travel_to(moment)
        before = _snapshot(item)
        response = desk.post(url, data={"version": item.version})
        assert response.status_code == 409
        page = response.get_data(as_text=True)
        assert "Masa melengkapi belum berakhir" in page and "17 Maret 2026" in page
        assert _snapshot(item) == before


def test_closing_after_the_period_stops_the_clock_and_is_no_breach(app, clock, file_request, officer_client,
                                                                    mailbox, runner, monkeypatch):
    clock.travel_to(RECEIVED)
    item = file_request(received_at=RECEIVED, notify=False)
    desk = officer_client("petugas")
    clock.travel_to(MARKED)
    desk.post(f"/meja/permohonan/{item.id}/belum-lengkap", data={"version": item.version, "missing_items": MISSING})
    mailbox.wait_for(1)
    mailbox.clear()
    item = fresh(item)
    clock.travel_to(AFTER)

    def march(today=date(2026, 3, 18)):
        return monev_metrics(start=D("2026-03-01"), end=D("2026-03-31"), unit_code=None, today=today)

    # Still incomplete on 18 March: the notice was due on 16 March, so it counts as a breach now.
    open_metrics = march()
    assert open_metrics["breach"]["count"] == 1 and open_metrics["overdue_open"]["count"] == 1

    page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="close-not-completed-form"' in page
    response = desk.post(f"/meja/permohonan/{item.id}/tutup-tidak-dilengkapi", data={"version": item.version})
    assert response.status_code == 303
    item = fresh(item)
    assert (item.status, item.outcome) == ("not_completed", "not_completed")
    assert AFTER <= item.closed_at < AFTER + timedelta(minutes=1) and item.clock_stopped_at == item.closed_at
    assert kinds(item)[-2:] == ["closed_not_completed", "email_queued"]
    closed = [e for e in events_for("request", item.id) if e.kind == "closed_not_completed"][0]
    assert closed.data["letter"] == "0001/PPID-TD/III/2026" and closed.data["completion_due"] == "2026-03-17"
    assert closed.data["incomplete_letter"] == "0001/PPID-KL/III/2026"
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0

    [message] = mailbox.wait_for(1)
    body = message.get_content()
    assert "ditutup karena tidak dilengkapi" in message["Subject"]
    assert "0001/PPID-TD/III/2026" in body and "17 Maret 2026" in body and "0001/PPID-KL/III/2026" in body
    assert "/permohonan/baru" in body

    # The clock reads "stopped" and the page says why: an administrative end, not a breach.
    page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="not-completed-clock"' in page and "bukan pelanggaran batas waktu" in page
    assert "terlambat" not in page.split('id="request-main"')[1].split("</dl>")[0]
    assert 'id="close-not-completed-form"' not in page

    # Monev: its own end in the outcome mix, never late, never a breach, not received in the cohort.
    metrics = march()
    assert metrics["outcomes"]["not_completed"] == 1
    assert metrics["breach"]["count"] == 0 and metrics["overdue_open"]["count"] == 0
    assert metrics["on_time_legal"]["counted"] == 0 and metrics["received"]["total"] == 0
    later = march(today=D("2026-06-30"))
    assert later["breach"]["count"] == 0 and later["outcomes"]["not_completed"] == 1
    # the dashboard's drill-down lists exactly it
    from ppid_desk.monev.predicates import bucket_terms

    ids = list(db.session.scalars(select(InformationRequest.id).where(
        *bucket_terms("hasil_not_completed", D("2026-03-01"), D("2026-03-31"), None, D("2026-03-18")))))
    assert ids == [item.id]
    assert not list(db.session.scalars(select(InformationRequest.id).where(
        *bucket_terms("pelanggaran", D("2026-03-01"), D("2026-03-31"), None, D("2026-03-18")))))

    # The register permohonan shows the outcome "Tidak dilengkapi".
    utama = officer_client("ppid_utama")
    register = utama.get("/meja/register/permohonan?dari=2026-03-01&sampai=2026-03-31&format=csv")
    rows = list(csv.DictReader(io.StringIO(register.get_data().decode("utf-8-sig"))))
    [row] = [r for r in rows if r["Nomor pendaftaran"] == item.number]
    assert row["Keputusan dan alasan penolakan"] == "Tidak dilengkapi; ditutup 2026-03-18"

    # The closing letter.
    [_, closing] = letters(item)
    text = core_font_pdf(monkeypatch, desk, f"/meja/permohonan/{item.id}/surat-kelengkapan/{closing.id}.pdf")
    for expected in ("PENUTUPAN PERMOHONAN INFORMASI KARENA TIDAK DILENGKAPI", "Nomor: 0001/PPID-TD/III/2026",
                     "18 Maret 2026", item.number, MISSING, "0001/PPID-KL/III/2026", "17 Maret 2026",
                     "tidak dilengkapi", "permohonan informasi baru"):
        assert expected in text, expected

    # The applicant's page says why it was closed and when the period ended.
    guest = app.test_client()
    guest.get(f"/lacak/{item.tracking_token}")
    mine = guest.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="not-completed-panel"' in mine and "17 Maret 2026" in mine
    assert "0001/PPID-TD/III/2026" in mine and 'id="complete-panel"' not in mine

    # Closed is closed: a second close is refused, and the applicant can no longer complete it.
    again = desk.post(f"/meja/permohonan/{item.id}/tutup-tidak-dilengkapi", data={"version": item.version})
    assert again.status_code == 409 and len(letters(item)) == 2


def test_completing_or_accepting_ends_the_period(walk_in, clock, runner):
    item, desk = walk_in
    clock.travel_to(datetime(2026, 3, 5, 3, 0, tzinfo=UTC))
    assert desk.post(f"/meja/permohonan/{item.id}/terima", data={"version": item.version}).status_code == 303
    item = fresh(item)
    assert item.status == "registered" and item.completion_due is None
    assert desk.post(f"/meja/permohonan/{item.id}/tutup-tidak-dilengkapi",
                     data={"version": item.version}).status_code == 409
    assert fresh(item).status == "registered"
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_units_never_see_the_letters(walk_in, officer_client, make_unit):
    item, _desk = walk_in
    [letter] = letters(item)
    unit_officer = officer_client("pembantu", unit=make_unit())
    assert unit_officer.get(f"/meja/permohonan/{item.id}/surat-kelengkapan/{letter.id}.pdf").status_code in (403, 404)
    assert unit_officer.post(f"/meja/permohonan/{item.id}/tutup-tidak-dilengkapi").status_code in (403, 404)


def test_the_sweep_tells_the_desk_once_when_the_period_has_passed(walk_in, clock, mailbox, make_user):
    from ppid_desk.dbtypes import utcnow
    from ppid_desk.notifications.sweep import sweep_run

    item, _desk = walk_in
    make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="PPID Utama")

    def sweep(moment):
        clock.travel_to(moment)
        mailbox.clear()
        return sweep_run(now=utcnow())

    assert sweep(LAST_DAY).completion_reminders == 0  # the last day itself is still the applicant's
    report = sweep(AFTER)
    assert report.completion_reminders == 1
    reminded = [e for e in events_for("request", item.id) if e.kind == "completion_lapsed_reminded"]
    assert len(reminded) == 1 and reminded[0].data["completion_due"] == "2026-03-17"
    recipients = reminded[0].data["recipients"]
    assert "utama@pemda.example.id" in recipients and any(r.startswith("petugas") for r in recipients)
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.id.in_(reminded[0].data["outbox_ids"])))]
    assert subjects and all("Masa melengkapi permohonan" in s and item.number in s for s in subjects)
    assert sweep(datetime(2026, 3, 25, 2, 0, tzinfo=UTC)).completion_reminders == 0  # once per period
    item = fresh(item)
    assert item.status == "incomplete"  # the sweep never closes: that is the desk's signed act


def test_a_calendar_change_moves_the_completion_period_and_its_explanation(walk_in, make_user, runner):
    from ppid_desk.desk.incomplete_views import completion_explanation
    from ppid_desk.workcalendar.admin_services import holiday_add

    item, desk = walk_in
    admin = make_user(email="admin@pemda.example.id", roles=("admin",), name="Admin")
    change = holiday_add(actor=admin, day=D("2026-03-10"), kind="local_closure", name="Hari jadi kota")
    db.session.commit()
    assert item.number in change.recomputed
    item = fresh(item)
    # Tuesday 3 March + 10 WD, 10 March now closed: Nyepi and Lebaran push it to 25 March.
    assert item.completion_due == D("2026-03-25") and item.notice_due == D("2026-03-17")
    event = events_for("request", item.id)[-1]
    assert event.kind == "deadline_recomputed" and event.data["completion_wd"] == 10
    assert completion_explanation(letters(item)).due == item.completion_due  # "why this date" agrees
    page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="completion-due">25 Maret 2026<' in page and "Hari jadi kota" in page
    # The letter's last day follows the calendar with the request's (printed again, it says the
    # day the desk counts; the event keeps the day it said before).
    assert letters(item)[0].completion_due == D("2026-03-25")
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0
