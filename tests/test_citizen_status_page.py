"""The citizen's status page (issue 14 item 6): it leads with what happens next and by when;
"Ajukan keberatan" only once a Pasal 35(1) ground exists and never again for a ground an
answered objection was filed on (the filing page refuses too); an expired, revoked or unknown
tracking link says so and offers the look-up, which takes the number loosely."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ppid_desk.extensions import db
from ppid_desk.notices.services import NoticeDraft, notice_issue
from ppid_desk.objections.models import Objection
from ppid_desk.objections.response_services import objection_respond
from tests.factories import TEST, atasan, file_objection
from tests.helpers import fresh, guest_client, objection_form

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # Mon 2 March 2026, 10.00 WIB: due Mon 16 March (10 WD)


def morning(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=3)  # 10.00 WIB


def next_step_box(html: str) -> str:
    match = re.search(r'<div class="next-step[^"]*" id="next-step"[^>]*>(.*?)</div>', html, re.S)
    assert match, "no next-step box on the page"
    shown = re.sub(r'<h2 class="visually-hidden">.*?</h2>', "", match.group(1), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown)).strip()


def objections_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Objection))


@pytest.fixture
def officer(make_user):
    return make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")


def refuse(officer, item):
    notice_issue(actor=officer, item=item, draft=NoticeDraft(outcome="refused", held=True, consequence=TEST),
                 notify=False)
    db.session.commit()


# --- the page leads with what happens next ---------------------------------------------------

def test_the_page_opens_with_the_next_step_before_the_details(app, clock, file_request):
    clock.travel_to(MONDAY)
    item = file_request()
    html = guest_client(app, item).get(f"/permohonan/{item.id}").get_data(as_text=True)
    box = next_step_box(html)
    assert box.startswith("PPID akan mengirim pemberitahuan tertulis paling lambat 16 Maret 2026.")
    # first thing under the heading: before the status list, the history and the request itself
    assert html.index('id="next-step"') < html.index('class="summary-list"') < html.index("Riwayat")
    assert "Ajukan keberatan" not in box  # no ground yet


def test_the_next_step_in_english(app, clock, file_request):
    clock.travel_to(MONDAY)
    item = file_request()
    html = guest_client(app, item).get(f"/permohonan/{item.id}?lang=en").get_data(as_text=True)
    assert next_step_box(html).startswith("The PPID will send you a written notice by 16 March 2026.")


@pytest.mark.parametrize(("received", "due"), [
    (date(2026, 2, 28), "13 Maret 2026"),  # Saturday: Mon 2 March is working day 1
    (date(2026, 3, 10), "31 Maret 2026"),  # across Nyepi and Idul Fitri, their cuti bersama included (18–24 March)
    # across Christmas (24 cuti bersama, 25), New Year and Isra Mi'raj (5 January 2027)
    (date(2026, 12, 18), "7 Januari 2027"),
])
def test_the_date_told_follows_the_working_day_calendar(app, clock, file_request, received, due):
    clock.travel_to(morning(received))
    item = file_request(received_at=clock.now())
    html = guest_client(app, item).get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert next_step_box(html) == f"PPID akan mengirim pemberitahuan tertulis paling lambat {due}."


def test_overdue_says_so_and_offers_the_objection(app, clock, file_request):
    clock.travel_to(MONDAY)
    item = file_request()
    clock.travel_to(morning(date(2026, 3, 17)))  # the day after the due
    client = guest_client(app, item)
    html = client.get(f"/permohonan/{item.id}").get_data(as_text=True)
    box = next_step_box(html)
    assert box.startswith("PPID belum mengirim pemberitahuan tertulis, padahal batasnya 16 Maret 2026.")
    assert "Ajukan keberatan kepada Atasan PPID" in box
    assert f'href="/permohonan/{item.id}/keberatan"' in html
    assert client.get(f"/permohonan/{item.id}/keberatan").status_code == 200


def test_refused_is_done_and_the_objection_is_offered(app, clock, file_request, officer):
    clock.travel_to(MONDAY)
    item = file_request()
    clock.travel_to(morning(date(2026, 3, 5)))
    refuse(officer, item)
    html = guest_client(app, item).get(f"/permohonan/{item.id}").get_data(as_text=True)
    box = next_step_box(html)
    assert box.startswith("Selesai: PPID sudah mengirim pemberitahuan tertulis pada 5 Maret 2026.")
    assert "Ajukan keberatan" in box and 'class="next-step next-step-done"' in html


def test_staff_reading_the_page_see_the_step_without_the_applicants_link(app, clock, file_request, officer,
                                                                        officer_client):
    clock.travel_to(MONDAY)
    item = file_request()
    clock.travel_to(morning(date(2026, 3, 17)))
    client = officer_client("petugas")
    html = client.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert "padahal batasnya 16 Maret 2026" in next_step_box(html)
    assert "Ajukan keberatan" not in next_step_box(html)


# --- "Ajukan keberatan" only with a ground, never again for an answered one -------------------

def test_no_ground_no_button_and_the_filing_page_refuses(app, clock, file_request):
    clock.travel_to(MONDAY)
    item = file_request()
    client = guest_client(app, item)
    html = client.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert f'href="/permohonan/{item.id}/keberatan"' not in html
    assert 'id="objection-not-offered"' in html and "belum menunjukkan alasan keberatan" in html
    for response in (client.get(f"/permohonan/{item.id}/keberatan"),
                     client.post(f"/permohonan/{item.id}/keberatan", data=objection_form())):
        assert response.status_code == 303 and response.headers["Location"] == f"/permohonan/{item.id}"
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Keberatan belum dapat diajukan" in page
    assert objections_count() == 0


def test_an_answered_ground_is_not_offered_again(app, clock, file_request, officer):
    clock.travel_to(MONDAY)
    item = file_request()
    clock.travel_to(morning(date(2026, 3, 17)))  # overdue: grounds c and g
    objection = file_objection(item, grounds=("c", "g"))
    clock.travel_to(morning(date(2026, 3, 24)))
    objection_respond(actor=atasan(), objection=objection, decision="upheld", reasons="Sudah dijawab lisan.",
                      release_by=None, settlement=None, expected_version=None, notify=False)
    db.session.commit()
    client = guest_client(app, item)
    html = client.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert f'href="/permohonan/{item.id}/keberatan"' not in html
    assert "Ajukan keberatan" not in next_step_box(html)
    assert f"sudah ditanggapi Atasan PPID (keberatan {objection.number})" in html
    refused = client.post(f"/permohonan/{item.id}/keberatan", data=objection_form(grounds=["c"]))
    assert refused.status_code == 303
    assert "alasan huruf c, g sudah ditanggapi" in client.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert objections_count() == 1

    # A new ground arises (a refusal): the objection is offered again, for that ground only.
    clock.travel_to(morning(date(2026, 3, 25)))
    refuse(officer, fresh(item))
    html = client.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert f'href="/permohonan/{item.id}/keberatan"' in html
    form_page = client.get(f"/permohonan/{item.id}/keberatan").get_data(as_text=True)
    assert 'value="a" checked' in form_page and 'value="c" checked' not in form_page
    again = client.post(f"/permohonan/{item.id}/keberatan", data=objection_form(grounds=["a", "c"]))
    assert again.status_code == 422
    assert "alasan huruf c sudah ditanggapi" in again.get_data(as_text=True)
    assert objections_count() == 1
    filed = client.post(f"/permohonan/{item.id}/keberatan", data=objection_form(grounds=["a"]))
    assert filed.status_code == 303 and objections_count() == 2


def test_a_withdrawn_objection_leaves_its_grounds_open(app, clock, file_request):
    from ppid_desk.objections.withdrawal_services import objection_withdraw

    clock.travel_to(MONDAY)
    item = file_request()
    clock.travel_to(morning(date(2026, 3, 17)))
    objection = file_objection(item, grounds=("c",))
    objection_withdraw(actor=None, objection=objection, reason="Sudah dijawab.", notify=False)
    db.session.commit()
    html = guest_client(app, item).get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert f'href="/permohonan/{item.id}/keberatan"' in html


# --- the look-up (expired, revoked and unknown links: tests/test_tracking_links.py) -----------

@pytest.mark.parametrize("typed", ["{n}", " {n} ", "{stripped}", " {spaced} ", "{lower}"])
def test_lookup_takes_the_number_with_or_without_zeros_and_spaces(app, clock, file_request, typed):
    clock.travel_to(MONDAY)
    item = file_request(email="Budi@Example.id")
    number = item.number  # e.g. 0001/PPID/III/2026
    stripped = re.sub(r"\d+", lambda m: str(int(m.group())), number)
    spaced = " / ".join(number.split("/"))
    text = typed.format(n=number, stripped=stripped, spaced=spaced, lower=number.lower())
    response = app.test_client().post("/lacak", data={"number": text, "email": " budi@example.ID "})
    assert response.status_code == 303, text
    assert response.headers["Location"] == f"/permohonan/{item.id}"


def test_lookup_with_a_wrong_email_finds_nothing_and_says_so(app, clock, file_request):
    clock.travel_to(MONDAY)
    item = file_request()
    response = app.test_client().post("/lacak", data={"number": item.number, "email": "lain@example.id"})
    assert response.status_code == 422
    assert "Tidak ada permohonan dengan nomor dan e-mail ini" in response.get_data(as_text=True)
