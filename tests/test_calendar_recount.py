"""A change to the working calendar recounts every stored clock (issue 13 items 3 and 11).

One subject of every clock kind is built through the services; the administrator then adds a
local closure on Wed 10 June 2026 through the calendar page, and deactivates it again. Every
stored date must move (and move back), each subject must get its event, the "why this date"
explanation must end on the stored date, and the applicants must be e-mailed about the dates
they were shown (once per subject and change; never a closed request's, never without an address).

Dates counted by hand (Asia/Jakarta; day 1 = the first working day after day 0). June 2026:
1 Jun Lahir Pancasila (LN, Mon), 16 Jun Tahun Baru Islam (LN, Tue); May: 14 LN + 15 CB Kenaikan,
27 LN + 28 CB Idul Adha, 31 Waisak (Sun). "Today" is Mon 8 June 2026; X = Wed 10 June.

* weekend: received Sat 30 May → 2 d1 … 5 d4, 8 d5, 9 d6, 10 d7, 11 d8, 12 d9, 15 d10 → 15 Jun;
  X closed → 11 d7, 12 d8, 15 d9, (16 LN) 17 d10 → 17 Jun. Its unit task, routed on 8 June and
  due 10 June (2 WD after the routing day) → 9, (10 X) 11 → 11 June.
* holiday (Pancasila): received Mon 1 Jun → same count → 15 Jun, X → 17 Jun; extended on 8 June by
  7 WD from 15 Jun: (16 LN) 17 d1 … 19 d3, 22 … 25 d7 → 25 Jun; from 17 Jun: 18 d1, 19 d2, 22 … 26
  d7 → 26 Jun.
* cuti bersama (Idul Adha): received Thu 28 May → 29 d1, (1 LN) 2 d2 … 5 d5, 8 d6, 9 d7, 10 d8,
  11 d9, 12 d10 → 12 Jun; X → 15 Jun. Marked incomplete on 8 June, 10 WD: 9 d1, 10 d2, 11, 12, 15
  d5, (16 LN) 17 d6 … 19 d8, 22 d9, 23 d10 → 23 Jun; X → 24 Jun.
* closed (notice issued on 5 June): received Tue 2 Jun → 3 d1 … 5, 8 … 12 d8, 15 d9, 17 d10 →
  17 Jun; X → 18 Jun.
* objections: the request received Mon 4 May is due 20 May (5…8 d4, 11…13 d7, (14 LN, 15 CB)
  18 d8, 19, 20 d10); ground c arises on 21 May; filed Fri 5 Jun. Filing window 30 WD from 21 May:
  22, 25, 26 d3, (27, 28) 29 d4, (1 Jun) 2 … 5 d8, 8 … 12 d13, 15 d14, 17 … 19 d17, 22 … 26 d22,
  29 … 3 Jul d27, 6, 7, 8 d30 → 8 Jul; X → 9 Jul. Response due 30 WD from 5 Jun: 8 … 12 d5,
  15 d6, 17 … 19 d9, 22 … 26 d14, 29 … 3 d19, 6 … 10 d24, 13 … 17 d29, 20 d30 → 20 Jul; X → 21 Jul.
* release order: the Atasan (responding on 8 June) orders release by Wed 10 June: a working day,
  so release_due is 10 June; X closed → the next working day, 11 June (the order keeps its date).
* dispute: filed with the KI on 8 June; KI start 14 WD: 9, 10, 11, 12, 15, 17, 18, 19 d8, 22 … 26
  d13, 29 d14 → 29 Jun; X → 30 Jun. Finish (100 WD) moves by one working day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from ppid_desk.audit.models import Event
from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.objections.models import Dispute, Objection
from ppid_desk.requests.models import CompletenessLetter, InformationRequest
from ppid_desk.routing.models import RoutingTask
from ppid_desk.workcalendar.models import Holiday
from ppid_desk.workcalendar.selectors import clock_rules, working_calendar
from tests.factories import clock_at, file_objection, grant, respond_objection

D = date.fromisoformat
X = D("2026-06-10")
TODAY = datetime(2026, 6, 8, 3, 0, tzinfo=UTC)  # Mon 8 June 2026, 10.00 WIB


def wib(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour - 7:02d}:00:00+00:00")


@pytest.fixture
def subjects(app, clock, file_request, make_user, make_unit):
    """One subject of every clock kind, built through the services; the clock left on TODAY."""
    from ppid_desk.desk.intake_services import request_mark_incomplete
    from ppid_desk.notices.services import notice_issue, request_extend
    from ppid_desk.objections.dispute_services import dispute_record
    from ppid_desk.routing.services import request_route

    utama = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="PPID Utama")
    unit = make_unit()
    s: dict = {}
    with clock_at(wib("2026-05-30")):
        s["weekend"] = file_request(received_at=wib("2026-05-30"), email="sabtu@example.id", notify=False)
    with clock_at(wib("2026-06-01")):
        s["holiday"] = file_request(received_at=wib("2026-06-01"), email="pancasila@example.id", notify=False)
    with clock_at(wib("2026-05-28")):
        s["cuti"] = file_request(received_at=wib("2026-05-28"), email="cuti@example.id", notify=False)
    with clock_at(wib("2026-06-02")):
        s["closed"] = file_request(received_at=wib("2026-06-02"), email="selesai@example.id", notify=False)
        s["no_email"] = file_request(received_at=wib("2026-06-02"), email="", channel="walk_in", notify=False)
    with clock_at(wib("2026-05-04")):
        s["objected"] = file_request(received_at=wib("2026-05-04"), email="keberatan@example.id", notify=False)
        s["ordered"] = file_request(received_at=wib("2026-05-04"), email="perintah@example.id", notify=False)
    with clock_at(wib("2026-06-05")):
        notice_issue(actor=utama, item=s["closed"], draft=grant(), notify=False)
        db.session.commit()
    s["objection"] = file_objection(s["objected"], grounds=("c",), filed_at=wib("2026-06-05"))
    s["order"] = file_objection(s["ordered"], grounds=("c",), filed_at=wib("2026-06-05"))
    clock.travel_to(TODAY)
    (s["task"],) = request_route(actor=utama, item=s["weekend"], unit_ids=[unit.id], instruction="Siapkan DPA.",
                                 internal_due=X, notify=False)
    request_extend(actor=utama, item=s["holiday"], reason="Dokumen tersebar di beberapa unit.", working_days=7,
                   notify=False)
    request_mark_incomplete(actor=utama, item=s["cuti"], missing_items="Salinan KTP.")
    db.session.commit()
    respond_objection(s["order"], decision="overturned_full", reasons="Informasi terbuka.", release_by=X)
    s["dispute"] = dispute_record(actor=None, objection=s["order"], level="provinsi", filed_date=TODAY.date())
    db.session.commit()
    return s


# (subject, model, column, stored before, after X is closed)
MOVES = [
    ("weekend", InformationRequest, "notice_due", "2026-06-15", "2026-06-17"),
    ("holiday", InformationRequest, "notice_due", "2026-06-15", "2026-06-17"),
    ("holiday", InformationRequest, "extended_due", "2026-06-25", "2026-06-26"),
    ("holiday", InformationRequest, "legal_due", "2026-06-25", "2026-06-26"),
    ("cuti", InformationRequest, "notice_due", "2026-06-12", "2026-06-15"),
    ("cuti", InformationRequest, "completion_due", "2026-06-23", "2026-06-24"),
    ("closed", InformationRequest, "notice_due", "2026-06-17", "2026-06-18"),
    ("no_email", InformationRequest, "notice_due", "2026-06-17", "2026-06-18"),
    ("task", RoutingTask, "internal_due", "2026-06-10", "2026-06-11"),
    ("objection", Objection, "response_due", "2026-07-20", "2026-07-21"),
    ("objection", Objection, "filing_due", "2026-07-08", "2026-07-09"),
    ("order", Objection, "response_due", "2026-07-20", "2026-07-21"),
    ("ordered", InformationRequest, "release_due", "2026-06-10", "2026-06-11"),
    ("dispute", Dispute, "ki_start_due", "2026-06-29", "2026-06-30"),
]
# Who is e-mailed, about which subject: the open requests' applicants, the open objection's, the
# running release order's (not the closed request's, not the one without an address, not the
# responded objection's response due, not the KI's tracked dates).
MAILED = {"sabtu@example.id": 1, "pancasila@example.id": 1, "cuti@example.id": 1,
          "keberatan@example.id": 1, "perintah@example.id": 1}


def stored(subjects) -> dict:
    db.session.expire_all()
    rows = {name: db.session.get(type(row), row.id) for name, row in subjects.items()}
    return {(name, column): getattr(rows[name], column) for name, _model, column, _b, _a in MOVES} | {"rows": rows}


def recount_events(subjects) -> dict[str, list[Event]]:
    s = subjects
    on = {
        "weekend": events_for("request", s["weekend"].id), "holiday": events_for("request", s["holiday"].id),
        "cuti": events_for("request", s["cuti"].id), "closed": events_for("request", s["closed"].id),
        "no_email": events_for("request", s["no_email"].id), "task": events_for("routing_task", s["task"].id),
        "objection": events_for("objection", s["objection"].id), "order": events_for("objection", s["order"].id),
        "ordered": events_for("request", s["ordered"].id),
    }
    found = {name: [e for e in events if e.kind == "deadline_recomputed"] for name, events in on.items()}
    found["dispute"] = [e for e in events_for("objection", s["order"].id) if e.kind == "dispute_deadline_recomputed"]
    found["release order"] = [e for e in events_for("objection", s["order"].id) if e.kind == "release_due_recomputed"]
    return found


def explanations_agree(rows) -> list[str]:
    """Every "why this date" the pages render, on today's calendar, ends on the stored date."""
    from ppid_desk.desk.incomplete_views import completion_explanation

    calendar, rules = working_calendar(), clock_rules()
    wrong = []
    for name in ("weekend", "holiday", "cuti", "closed", "no_email"):
        item = rows[name]
        if not calendar.explain(item.receipt_date, rules.notice_wd, stored=item.notice_due).agrees:
            wrong.append(f"{name} notice")
    holiday = rows["holiday"]
    if calendar.explain(holiday.notice_due, 7, stored=holiday.extended_due).due != holiday.extended_due:
        wrong.append("extension")
    letters = list(db.session.scalars(select(CompletenessLetter).where(CompletenessLetter.request_id == rows["cuti"].id)))
    if completion_explanation(letters).due != rows["cuti"].completion_due or letters[-1].completion_due != rows["cuti"].completion_due:
        wrong.append("completion")
    for name in ("objection", "order"):
        objection = rows[name]
        if calendar.explain(objection.filed_date, rules.objection_response_wd).due != objection.response_due:
            wrong.append(f"{name} response")
        if calendar.explain(objection.ground_date, rules.objection_filing_wd).due != objection.filing_due:
            wrong.append(f"{name} window")
        if {g: w["due"] for g, w in objection.ground_windows.items()} != {"c": objection.filing_due.isoformat()}:
            wrong.append(f"{name} ground windows")
    return wrong


def test_every_clock_kind_moves_with_the_calendar_and_back(subjects, officer_client, mailbox, runner):
    admin = officer_client("admin", name="Admin Kalender")
    before = stored(subjects)
    for name, _model, column, was, _now in MOVES:
        assert before[(name, column)] == D(was), (name, column)
    assert explanations_agree(before["rows"]) == []
    finish_before = before["rows"]["dispute"].ki_finish_due
    first_new = (db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1)) or 0) + 1
    mailbox.clear()

    response = admin.post("/meja/kalender/libur?tahun=2026",
                          data={"day": X.isoformat(), "kind": "local_closure", "name": "Hari Jadi Kota Contoh"})
    assert response.status_code == 303
    after = stored(subjects)
    assert {key: after[key] for key in after if key != "rows"} == {
        (name, column): D(now) for name, _model, column, _was, now in MOVES}
    assert after["rows"]["order"].release_by == X  # the order keeps the date the Atasan wrote
    finish_after = after["rows"]["dispute"].ki_finish_due
    assert working_calendar().working_days_between(finish_before, finish_after) == 1
    assert after["rows"]["objection"].late is False
    assert explanations_agree(after["rows"]) == []
    events = recount_events(subjects)
    assert {name: len(found) for name, found in events.items()} == {name: 1 for name in events}
    weekend = events["weekend"][0]
    assert weekend.data["before"]["notice_due"] == "2026-06-15" and weekend.data["after"]["notice_due"] == "2026-06-17"
    assert weekend.data["reason"] == "holiday_added" and weekend.data["holiday"]["day"] == X.isoformat()
    assert events["task"][0].data["after"] == {"internal_due": "2026-06-11"}
    assert events["ordered"][0].data["release_by"] == X.isoformat()
    assert events["dispute"][0].data["replaced"]["ki_start_due"] == "2026-06-29"

    mailbox.wait_for(len(MAILED))
    assert {address: len(mailbox.to(address)) for address in MAILED} == MAILED
    assert len(mailbox.messages) == len(MAILED)  # nobody else: not the closed request, nobody without e-mail
    (weekend_mail,) = mailbox.to("sabtu@example.id")
    body = weekend_mail.get_content()
    assert subjects["weekend"].number in weekend_mail["Subject"]
    assert "15 Juni 2026" in body and "17 Juni 2026" in body
    (release_mail,) = mailbox.to("perintah@example.id")
    assert subjects["order"].number in release_mail["Subject"] and "11 Juni 2026" in release_mail.get_content()
    (pancasila,) = mailbox.to("pancasila@example.id")
    assert "26 Juni 2026" in pancasila.get_content()  # notice and extended due in one e-mail
    queued = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id >= first_new)).all()
    assert sorted(m.recipient for m in queued) == sorted(MAILED) and {m.status for m in queued} == {"sent"}

    page = admin.get("/meja/kalender?tahun=2026").get_data(as_text=True)
    assert "1 tugas unit" in page and "2 keberatan" in page and "1 sengketa" in page
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0

    # Deactivating the closure puts every date back, with a second event and e-mail each.
    mailbox.clear()
    holiday = db.session.scalars(select(Holiday).where(Holiday.day == X)).one()
    assert admin.post(f"/meja/kalender/libur/{holiday.id}/nonaktifkan").status_code == 303
    back = stored(subjects)
    assert {key: back[key] for key in back if key != "rows"} == {
        (name, column): D(was) for name, _model, column, was, _now in MOVES}
    assert back["rows"]["dispute"].ki_finish_due == finish_before
    assert explanations_agree(back["rows"]) == []
    assert {name: len(found) for name, found in recount_events(subjects).items()} == {name: 2 for name in events}
    mailbox.wait_for(len(MAILED))
    assert {address: len(mailbox.to(address)) for address in MAILED} == MAILED
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_the_release_due_of_an_order_for_a_closed_day_is_the_next_working_day(app, clock, file_request):
    """The Atasan writes Sunday 31 May 2026 (Waisak): the order keeps it, the clock runs to Tue 2
    June (Mon 1 June is Lahir Pancasila)."""
    with clock_at(wib("2026-04-06")):
        item = file_request(received_at=wib("2026-04-06"), email="minggu@example.id", notify=False)
    objection = file_objection(item, grounds=("c",), filed_at=wib("2026-05-11"))
    respond_objection(objection, at=wib("2026-05-12"), decision="overturned_partial", reasons="Sebagian terbuka.",
                      release_by=D("2026-05-31"))
    db.session.expire_all()
    assert db.session.get(Objection, objection.id).release_by == D("2026-05-31")
    assert db.session.get(InformationRequest, item.id).release_due == D("2026-06-02")


def test_a_stored_date_the_calendar_no_longer_explains_is_shown_plainly(app, clock, file_request, officer_client):
    """A row whose stored due was not recounted (e.g. written by an older version) shows the
    stored date and says the calendar changed; never a count that ends on another day."""
    from sqlalchemy import update

    with clock_at(wib("2026-06-02")):
        item = file_request(received_at=wib("2026-06-02"), email="lama@example.id", notify=False)
    db.session.execute(update(InformationRequest).where(InformationRequest.id == item.id)
                       .values(notice_due=D("2026-06-18"), due_date=D("2026-06-18")))
    db.session.commit()
    desk = officer_client("petugas")
    page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Kalender hari kerja berubah sesudah tanggal ini dihitung" in page
    assert "18 Juni 2026" in page and "hari kerja ke-10" not in page
