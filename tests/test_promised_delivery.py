"""The day the written notice promises the information by (issue 13 item 5; KIP.md §2 and "When each
clock starts"): entered on the notice form for granted, partly granted and not yet documented
information, printed under item f, stored on the request (``provide_by``) through the funnel; grounds
d, e and g count from it passing without delivery and a delivery after it is late (ground g); the
sweep reminds before it and logs its passing once; the queue and the request page show it as its own
clock; monev counts late deliveries.

Calendar (as in tests/test_objection_windows.py): a request received Mon 2 Mar 2026 is due Mon 16
Mar; a 7-WD extension moves it to Wed 1 Apr. Nyepi (18 Mar cuti bersama, 19 Mar libur nasional),
Lebaran (20 Mar CB, 21–22 Mar LN, 23–24 Mar CB), Good Friday 3 Apr.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ppid_desk.audit.models import Event
from ppid_desk.dbtypes import utcnow
from ppid_desk.extensions import db
from ppid_desk.monev.metrics import monev_metrics
from ppid_desk.notices.models import WrittenNotice
from ppid_desk.notices.services import (
    DeliveryDraft,
    NoticeDraft,
    delivery_record,
    notice_issue,
    request_extend,
)
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.notifications.sweep import sweep_run
from ppid_desk.objections import filing_selectors as fs
from ppid_desk.objections.filing_selectors import delivery_due_on, ground_window, suggested_grounds
from ppid_desk.requests.lifecycle import rebuild_cached_columns
from ppid_desk.web.formatting import date_input_value
from tests.factories import at, clock_at, grant, make_user, register_request
from tests.helpers import MONDAY, errors_of, fresh, issue, pdf_text

D = date


@pytest.fixture
def officer(app):
    return make_user("utama@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")


def request_():
    with clock_at(at(3, 2)):
        return register_request(received_at=at(3, 2), notify=False)


def notice(officer, item, when: datetime, provide_by: date, *, outcome="granted_full"):
    draft = (NoticeDraft(outcome="not_documented", held=True, provide_by=provide_by) if outcome == "not_documented"
             else grant(outcome, provide_by=provide_by))
    with clock_at(when):
        notice_issue(actor=officer, item=fresh(item), draft=draft, sent_via="email", at=when, notify=False)
        db.session.commit()


def deliver(officer, item, when: datetime):
    with clock_at(when):
        delivery_record(actor=officer, item=fresh(item), draft=DeliveryDraft(method="in_person"), at=when,
                        notify=False)
        db.session.commit()


# --- the scenarios ---------------------------------------------------------------------------------

def promised_monday(officer, item):  # granted Fri 13 Mar, promised Mon 16 Mar (the notice due), never delivered
    notice(officer, item, at(3, 13), D(2026, 3, 16))


def promised_saturday(officer, item):  # granted Fri 13 Mar, promised Sat 14 Mar (a weekend)
    notice(officer, item, at(3, 13), D(2026, 3, 14))


def undocumented_until_nyepi_leave(officer, item):  # not documented, promised Wed 18 Mar (cuti bersama)
    notice(officer, item, at(3, 13), D(2026, 3, 18), outcome="not_documented")


def undocumented_until_lebaran_delivered_good_friday(officer, item):  # promised Sat 21 Mar (Idul Fitri)
    notice(officer, item, at(3, 13), D(2026, 3, 21), outcome="not_documented")
    deliver(officer, item, at(4, 3))  # Good Friday, after the promised day: late


def delivered_late_on_cuti_bersama(officer, item):  # promised Mon 16 Mar, delivered Fri 20 Mar (cuti bersama)
    notice(officer, item, at(3, 13), D(2026, 3, 16))
    deliver(officer, item, at(3, 20))


def delivered_on_the_promised_day(officer, item):  # promised Mon 16 Mar, delivered that day
    notice(officer, item, at(3, 13), D(2026, 3, 16))
    deliver(officer, item, at(3, 16))


def extended_then_promised_the_new_due(officer, item):  # extended 10 Mar (to 1 Apr); granted 26 Mar for 1 Apr
    with clock_at(at(3, 10)):
        request_extend(actor=officer, item=item, reason="Dokumen tersebar di beberapa bidang.", working_days=7,
                       at=at(3, 10), notify=False)
        db.session.commit()
    notice(officer, item, at(3, 26), D(2026, 4, 1))


# (scenario, ground, seen on, start, due, basis, late delivery)
WINDOWS = [
    (promised_monday, "e", D(2026, 3, 20), D(2026, 3, 17), D(2026, 5, 7), fs.DELIVERY_DUE_PASSED, True),
    (promised_monday, "g", D(2026, 3, 16), D(2026, 3, 16), D(2026, 5, 6), fs.FROM_FILING, False),  # the day itself
    (promised_saturday, "g", D(2026, 3, 20), D(2026, 3, 15), D(2026, 5, 5), fs.DELIVERY_DUE_PASSED, True),
    (promised_saturday, "d", D(2026, 3, 16), D(2026, 3, 15), D(2026, 5, 5), fs.DELIVERY_DUE_PASSED, True),
    (undocumented_until_nyepi_leave, "e", D(2026, 4, 10), D(2026, 3, 19), D(2026, 5, 7), fs.DELIVERY_DUE_PASSED,
     True),
    (undocumented_until_nyepi_leave, "g", D(2026, 3, 18), D(2026, 3, 18), D(2026, 5, 7), fs.FROM_FILING, False),
    (undocumented_until_lebaran_delivered_good_friday, "g", D(2026, 4, 2), D(2026, 3, 22), D(2026, 5, 7),
     fs.DELIVERY_DUE_PASSED, True),
    (undocumented_until_lebaran_delivered_good_friday, "g", D(2026, 4, 10), D(2026, 4, 3), D(2026, 5, 20),
     fs.DELIVERED, True),
    (delivered_late_on_cuti_bersama, "g", D(2026, 4, 10), D(2026, 3, 20), D(2026, 5, 7), fs.DELIVERED, True),
    (delivered_on_the_promised_day, "g", D(2026, 4, 10), D(2026, 3, 16), D(2026, 5, 6), fs.DELIVERED, False),
    (extended_then_promised_the_new_due, "e", D(2026, 4, 10), D(2026, 4, 2), D(2026, 5, 20),
     fs.DELIVERY_DUE_PASSED, True),
    (extended_then_promised_the_new_due, "g", D(2026, 4, 1), D(2026, 4, 1), D(2026, 5, 19), fs.FROM_FILING, False),
]


@pytest.mark.parametrize(("scenario", "ground", "on", "start", "due", "basis", "late"), WINDOWS,
                         ids=[f"{row[0].__name__}-{row[1]}-{row[2]}" for row in WINDOWS])
def test_grounds_d_e_g_count_from_the_promised_day(app, officer, scenario, ground, on, start, due, basis, late):
    item = request_()
    scenario(officer, item)
    item = fresh(item)
    window = ground_window(item, ground, on=on)
    assert (window.start, window.due, window.basis) == (start, due, basis)
    assert delivery_due_on(item) == item.provide_by
    assert fs.delivered_late(item, on) is late
    assert ("g" in suggested_grounds(item, on)) is late
    assert rebuild_cached_columns(item) == {}  # the promise went through the funnel


def test_the_filing_form_and_the_receipt_state_the_promised_days_window(app, officer, client):
    """The applicant's filing form pre-ticks e and g once the promised day passed, and the objection
    filed on g is on time until 30 WD after it: the same dates as the late flag."""
    from tests.factories import file_objection

    item = request_()
    undocumented_until_nyepi_leave(officer, item)  # promised Wed 18 Mar; e/g arise Thu 19 Mar, close 7 May
    assert suggested_grounds(fresh(item), D(2026, 4, 10)) == {"e", "g"}
    with clock_at(at(5, 7)):
        on_time = file_objection(fresh(item), grounds=["g"], filed_at=at(5, 7))
    on_time = fresh(on_time)
    assert (on_time.late, on_time.ground_date, on_time.filing_due) == (False, D(2026, 3, 19), D(2026, 5, 7))


# --- the notice form: required, checked against the law, nothing lost --------------------------------

@pytest.fixture
def utama(officer_client):
    return officer_client("ppid_utama", name="Rina Utama")


@pytest.fixture
def filed(app, clock, file_request):
    clock.travel_to(MONDAY)  # Mon 2 Mar 2026: the notice falls due Mon 16 Mar
    return file_request()


@pytest.mark.parametrize(("outcome", "typed", "message"), [
    ("granted_full", "", "Tulis tanggal paling lambat informasi diberikan"),
    ("granted_partial", "", "Tulis tanggal paling lambat informasi diberikan"),
    ("not_documented", "", "Tulis tanggal paling lambat informasi diberikan"),
    ("granted_full", "31/02/2026", "Tulis tanggal yang benar"),
    ("granted_full", "01/03/2026", "tidak boleh sebelum hari pemberitahuan ini"),
    ("granted_full", "17/03/2026", "paling lambat 16 Maret 2026"),  # past the 10-WD due
    ("granted_partial", "2026-03-17", "paling lambat 16 Maret 2026"),
    ("not_documented", "01/03/2026", "tidak boleh sebelum hari pemberitahuan ini"),
    ("not_documented", "05/03/2027", "lebih dari satu tahun lagi"),
])
def test_a_bad_promised_day_is_refused_next_to_its_field_and_nothing_is_lost(filed, utama, outcome, typed, message):
    response = issue(utama, filed, outcome, provide_by=typed, remarks="Catatan yang harus tetap ada")
    assert response.status_code == 422
    assert errors_of(response) == ["provide_by"]
    page = htmllib.unescape(response.get_data(as_text=True))
    field_error = re.search(r'<p class="field-error" id="provide_by-error">(.*?)</p>', page, re.S).group(1)
    assert message in field_error
    # what was typed is kept, as the date input shows it (ISO)
    shown = date_input_value(typed)  # a real day comes back as ISO; "31/02/2026" as typed
    assert "Catatan yang harus tetap ada" in page and (not typed or f'value="{shown}"' in page)
    assert db.session.scalar(select(func.count(WrittenNotice.id))) == 0
    assert fresh(filed).provide_by is None and fresh(filed).status == "registered"


def test_the_form_offers_the_notice_due_and_the_letter_prints_the_promised_day_under_item_f(filed, utama):
    page = utama.get(f"/meja/permohonan/{filed.id}").get_data(as_text=True)
    assert 'name="provide_by" type="date" value="2026-03-16"' in page  # the latest lawful day, prefilled
    assert issue(utama, filed, provide_by="2026-03-12").status_code == 303
    item = fresh(filed)
    assert item.provide_by == D(2026, 3, 12)
    [event] = db.session.scalars(select(Event).where(Event.subject_id == item.id, Event.kind == "notice_issued"))
    assert event.data["after"]["provide_by"] == "2026-03-12"

    def squeezed(text: str) -> str:
        return "".join(text.split())

    promise = squeezed("Informasi diberikan paling lambat 12 Maret 2026.")
    letter = utama.get(f"/meja/permohonan/{item.id}/pemberitahuan").get_data(as_text=True)
    pdf = pdf_text(utama.get(f"/meja/permohonan/{item.id}/pemberitahuan.pdf").get_data())
    for text in (squeezed(htmllib.unescape(letter)), squeezed(pdf)):
        f, g = text.find(squeezed("f. Cara, format dan waktu penyampaian")), text.find(squeezed("g. Biaya"))
        assert -1 < f < text.find(promise) < g
    [mail] = subjects("Pemberitahuan tertulis atas permohonan")
    assert promise in squeezed(mail.body)
    # The request page shows the promise as its own clock (8 working days left on 2 Mar).
    desk = htmllib.unescape(utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True))
    promised = re.search(r'<dd id="provide-by">(.*?)</dd>', desk, re.S).group(1)
    assert "12 Maret 2026" in promised and "8 hari kerja lagi" in promised


def test_the_applicant_sees_the_promised_day(filed, utama, app):
    assert issue(utama, filed, "not_documented", provide_by="30/04/2026").status_code == 303
    item = fresh(filed)
    guest = app.test_client()
    page = htmllib.unescape(guest.get(f"/lacak/{item.tracking_token}", follow_redirects=True).get_data(as_text=True))
    assert re.search(r'<dd id="provide-by">30 April 2026', page)
    assert "Informasi belum didokumentasikan; informasi akan tersedia paling lambat 30 April 2026." in page


# --- the sweep --------------------------------------------------------------------------------------

RECEIVED = datetime(2026, 7, 6, 3, 0, tzinfo=UTC)  # Mon 6 Jul 2026 10.00 WIB: notice due Mon 20 Jul


def wib(day: str, hour: int = 8) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(hours=hour - 7)


def kinds(item, kind: str) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.subject_type == "request", Event.subject_id == item.id,
                                                       Event.kind == kind).order_by(Event.id)))


def subjects(part: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return [m for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)) if part in m.subject]


def test_the_sweep_reminds_once_before_the_promised_day_and_logs_its_passing_once(app, clock, officer):
    make_user("atasan@pemda.example.id", roles=("atasan",), name="Atasan PPID")
    make_user("petugas@pemda.example.id", roles=("petugas",), name="Petugas Meja")
    clock.travel_to(RECEIVED)
    item = register_request(received_at=RECEIVED, notify=False)
    clock.travel_to(wib("2026-07-08"))
    notice_issue(actor=officer, item=fresh(item), draft=grant(provide_by=D(2026, 7, 17)), notify=False)
    db.session.commit()

    def run(day: str):
        clock.travel_to(wib(day))
        return sweep_run(now=utcnow())

    assert run("2026-07-14").promise_reminders == 0  # 3 working days left
    first = run("2026-07-15")  # 2 left (16, 17 Jul): due soon
    assert (first.promise_reminders, first.reminders) == (1, 0)  # the notice clock stopped: no notice reminder
    assert run("2026-07-16").promise_reminders == 0  # once per promised day
    [reminder] = kinds(item, "provide_reminder_sent")
    assert reminder.data["provide_by"] == "2026-07-17" and reminder.data["working_days_left"] == 2
    assert sorted(reminder.data["recipients"]) == ["petugas@pemda.example.id", "utama@pemda.example.id"]
    assert len(subjects("dijanjikan diberikan dalam 2 hari kerja")) == 2
    assert run("2026-07-17").promise_lapses == 0  # the promised day itself: not passed yet
    passed = run("2026-07-20")
    assert passed.promise_lapses == 1 and run("2026-07-21").promise_lapses == 0
    [lapse] = kinds(item, "provide_by_passed")
    assert lapse.data["working_days_late"] == 1
    assert sorted(lapse.data["recipients"]) == ["atasan@pemda.example.id", "utama@pemda.example.id"]
    assert fresh(item).provide_lapsed_for == D(2026, 7, 17)
    assert rebuild_cached_columns(fresh(item)) == {}
    deliver(officer, item, wib("2026-07-22"))
    assert run("2026-07-23").promise_lapses == 0 and len(kinds(item, "provide_by_passed")) == 1


def test_a_delivered_request_is_not_reminded(app, clock, officer):
    clock.travel_to(RECEIVED)
    item = register_request(received_at=RECEIVED, notify=False)
    clock.travel_to(wib("2026-07-08"))
    notice_issue(actor=officer, item=fresh(item), draft=grant(provide_by=D(2026, 7, 17)), notify=False)
    db.session.commit()
    deliver(officer, item, wib("2026-07-09"))
    clock.travel_to(wib("2026-07-16"))
    assert sweep_run(now=utcnow()).promise_reminders == 0
    clock.travel_to(wib("2026-07-20"))
    assert sweep_run(now=utcnow()).promise_lapses == 0


# --- the desk queue -----------------------------------------------------------------------------------

def test_the_queue_shows_the_promise_as_its_own_clock_until_delivery(app, clock, officer, officer_client):
    clock.travel_to(RECEIVED)
    waiting = register_request(received_at=RECEIVED, notify=False, email="a@example.id")
    done = register_request(received_at=RECEIVED, notify=False, email="b@example.id")
    clock.travel_to(wib("2026-07-08"))
    for item in (waiting, done):
        notice_issue(actor=officer, item=fresh(item), draft=grant(provide_by=D(2026, 7, 17)), notify=False)
        db.session.commit()
    deliver(officer, done, wib("2026-07-09"))
    client = officer_client("ppid_utama")
    clock.travel_to(wib("2026-07-21"))  # two working days after the promised Fri 17 Jul
    page = htmllib.unescape(client.get("/meja/?status=semua").get_data(as_text=True))
    row = re.search(rf'id="promise-{waiting.id}">(.*?)</td>', page, re.S).group(1)
    assert "Informasi dijanjikan 17 Juli 2026" in row and "terlambat 2 hari kerja" in row
    assert f'id="promise-{done.id}"' not in page  # delivered: the promise clock stopped
    # Its own filter: promised days passed and not delivered (any status), soonest promise first.
    passed = htmllib.unescape(client.get("/meja/?tenggat=janji_lewat").get_data(as_text=True))
    assert fresh(waiting).number in passed and fresh(done).number not in passed
    assert "1 permohonan" in passed
    clock.travel_to(wib("2026-07-16"))  # 1 working day before the promise
    soon = htmllib.unescape(client.get("/meja/?tenggat=janji_segera").get_data(as_text=True))
    assert fresh(waiting).number in soon and fresh(done).number not in soon
    assert fresh(waiting).number not in client.get("/meja/?tenggat=janji_lewat").get_data(as_text=True)


# --- monev: late deliveries counted from committed data ----------------------------------------------

def test_monev_counts_deliveries_after_the_promised_day(app, clock, officer, officer_client, runner):
    clock.travel_to(RECEIVED)
    keys = ("on_time", "late", "waiting", "refused")
    items = {key: register_request(received_at=RECEIVED, notify=False, email=f"{key}@example.id") for key in keys}
    clock.travel_to(wib("2026-07-08"))
    for key in ("on_time", "late", "waiting"):
        notice_issue(actor=officer, item=fresh(items[key]), draft=grant(provide_by=D(2026, 7, 15)), notify=False)
        db.session.commit()
    from tests.factories import TEST

    notice_issue(actor=officer, item=fresh(items["refused"]),
                 draft=NoticeDraft(outcome="refused", held=True, consequence=TEST), notify=False)
    db.session.commit()
    assert fresh(items["refused"]).provide_by is None  # nothing to deliver: no promise
    deliver(officer, items["on_time"], wib("2026-07-15"))
    deliver(officer, items["late"], wib("2026-07-16"))
    clock.travel_to(wib("2026-07-31"))
    with app.test_request_context():
        figure = monev_metrics(start=D(2026, 7, 1), end=D(2026, 7, 31), unit_code=None,
                               today=D(2026, 7, 31))["late_delivery"]
    assert figure == {"promised": 3, "on_time": 1, "late": 1, "passed_open": 1, "late_share": 0.5}
    client = officer_client("pengawas")
    page = htmllib.unescape(client.get("/meja/monev?periode=kustom&dari=2026-07-01&sampai=2026-07-31")
                            .get_data(as_text=True))
    assert "Disampaikan setelah tanggal yang dijanjikan" in page
    drill = htmllib.unescape(client.get("/meja/?monev=disampaikan_terlambat&dari=2026-07-01&sampai=2026-07-31")
                             .get_data(as_text=True))
    assert fresh(items["late"]).number in drill and fresh(items["on_time"]).number not in drill
    passed = htmllib.unescape(client.get("/meja/?monev=janji_lewat&dari=2026-07-01&sampai=2026-07-31")
                              .get_data(as_text=True))
    assert fresh(items["waiting"]).number in passed and fresh(items["late"]).number not in passed
    result = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert result.exit_code == 0, result.output
