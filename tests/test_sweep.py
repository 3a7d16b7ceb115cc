"""`flask ppid sweep`: reminders before the due date, unit task reminders, overdue escalation,
outbox retries with backoff — idempotent, with time moved by the clock fixture and e-mail
delivered to a real local SMTP server (the ``mailbox`` fixture).

Dates (Asia/Jakarta): a request received Mon 2026-07-06 is due Mon 2026-07-20 (10 WD, no
holiday in between). With DUE_SOON_WD = 2 the reminder falls on Thu 07-16 (07-17 and 07-20
left), not on Wed 07-15 (3 left); from Tue 07-21 it is overdue.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from ppid_desk.audit.models import Event
from ppid_desk.audit.personal import unseal
from ppid_desk.dbtypes import utcnow
from ppid_desk.extensions import db
from ppid_desk.notifications import sweep as sweep_module
from ppid_desk.notifications.models import OutboxMessage, OutboxStatus
from ppid_desk.notifications.services import MAX_ATTEMPTS, outbox_enqueue, outbox_send_due
from ppid_desk.notifications.sweep import sweep_run
from ppid_desk.requests.lifecycle import request_event
from ppid_desk.requests.models import InformationRequest
from ppid_desk.routing.models import RoutingTask, TaskStatus
from ppid_desk.web.transaction import commit
from tests.helpers import free_port

D = date.fromisoformat
RECEIVED = datetime(2026, 7, 6, 3, 0, tzinfo=UTC)  # Mon 10:00 WIB
DUE = D("2026-07-20")


def at(day: str, hour_wib: int = 8) -> datetime:
    """``hour_wib`` o'clock in Jakarta on ``day``, as UTC."""
    return datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(hours=hour_wib - 7)


def events(item, kind: str) -> list[Event]:
    return list(db.session.scalars(select(Event).where(
        Event.subject_type == "request", Event.subject_id == item.id, Event.kind == kind).order_by(Event.id)))


def fresh(item) -> InformationRequest:
    db.session.expire_all()
    return db.session.get(InformationRequest, item.id)


@pytest.fixture
def people(make_user, make_unit):
    """PPID Utama, an Atasan PPID, and PPID Pembantu officers of two units."""
    disdik = make_unit(code="DISDIK", name="Dinas Pendidikan")
    dinkes = make_unit(code="DINKES", name="Dinas Kesehatan")
    users = {
        "utama": make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="PPID Utama"),
        "atasan": make_user(email="atasan@pemda.example.id", roles=("atasan",), name="Atasan PPID"),
        "disdik": make_user(email="disdik@pemda.example.id", roles=("pembantu",), unit=disdik),
        "dinkes": make_user(email="dinkes@pemda.example.id", roles=("pembantu",), unit=dinkes),
        "petugas": make_user(email="petugas@pemda.example.id", roles=("petugas",)),
    }
    return {"units": {"disdik": disdik, "dinkes": dinkes}, **users}


@pytest.fixture
def filed(clock, file_request):
    clock.travel_to(RECEIVED)
    item = file_request(received_at=RECEIVED)
    assert item.due_date == DUE
    return item


def route(item, unit, by, internal_due: date, status: str = TaskStatus.OPEN) -> RoutingTask:
    task = RoutingTask(request_id=item.id, unit_id=unit.id, instruction="Siapkan DPA 2025.",
                       internal_due=internal_due, routed_by_id=by.id, status=status)
    db.session.add(task)
    db.session.flush()
    request_event(actor=by, item=item, kind="routed", changes={"status": "routed"},
                  data={"task_id": task.id, "unit": unit.code})
    db.session.commit()
    return task


def run(clock, moment: datetime, mailbox=None):
    clock.travel_to(moment)
    if mailbox is not None:
        mailbox.clear()
    report = sweep_run(now=utcnow())
    return report


# --- reminders --------------------------------------------------------------------------

def test_reminder_two_working_days_before_the_due_date_goes_once(clock, filed, people, mailbox):
    route(filed, people["units"]["disdik"], people["utama"], internal_due=D("2026-07-15"),
          status=TaskStatus.ANSWERED)  # an answered task: that unit is no longer reminded
    route(filed, people["units"]["dinkes"], people["utama"], internal_due=D("2026-07-15"))

    early = run(clock, at("2026-07-15"))
    assert early.reminders == 0 and not events(filed, "reminder_sent")

    report = run(clock, at("2026-07-16"), mailbox)
    assert report.reminders == 1 and report.delivery.sent >= 2 and not report.errors
    received = {m["To"]: m for m in mailbox.wait_for(2)}
    assert set(received) == {"utama@pemda.example.id", "dinkes@pemda.example.id"}
    message = received["utama@pemda.example.id"]
    assert filed.number in message["Subject"] and "2 hari kerja" in message["Subject"]
    body = message.get_content()
    assert filed.number in body and f"/meja/permohonan/{filed.id}" in body and "20 Juli 2026" in body
    assert fresh(filed).reminded_for_due == DUE
    (event,) = events(filed, "reminder_sent")
    assert sorted(event.data["recipients"]) == ["dinkes@pemda.example.id", "utama@pemda.example.id"]
    assert event.data["after"] == {"reminded_for_due": "2026-07-20"}

    again = run(clock, at("2026-07-16", 9), mailbox)
    assert again.reminders == 0 and again.emails_queued == 0 and again.delivery.sent == 0
    assert len(events(filed, "reminder_sent")) == 1 and mailbox.messages == []
    on_due_day = run(clock, at("2026-07-20"), mailbox)
    assert on_due_day.reminders == 0 and mailbox.messages == []


def test_an_extension_arms_a_new_reminder_for_the_new_due_date(clock, filed, people, mailbox):
    run(clock, at("2026-07-16"))
    assert fresh(filed).reminded_for_due == DUE
    item = fresh(filed)
    request_event(actor=people["utama"], item=item, kind="extended",
                  changes={"extended_due": D("2026-07-29"), "extension_reason": "Dokumen di arsip."},
                  data={"wd": 7})
    db.session.commit()

    assert run(clock, at("2026-07-17"), mailbox).reminders == 0  # 7 WD left now
    report = run(clock, at("2026-07-27"), mailbox)  # 07-28 and 07-29 left
    assert report.reminders == 1
    assert fresh(filed).reminded_for_due == D("2026-07-29")
    assert [e.data["after"]["reminded_for_due"] for e in events(filed, "reminder_sent")] == [
        "2026-07-20", "2026-07-29"]
    assert mailbox.wait_for(1) and all("29 Juli 2026" in m.get_content() for m in mailbox.messages)


def test_requests_far_from_due_or_no_longer_open_are_left_alone(clock, file_request, people, mailbox):
    clock.travel_to(RECEIVED)
    open_item = file_request(received_at=RECEIVED)
    closed = file_request(received_at=RECEIVED, email="sari@example.id")
    request_event(actor=people["utama"], item=closed, kind="closed",
                  changes={"status": "closed", "closed_at": RECEIVED})
    db.session.commit()
    later = file_request(received_at=at("2026-07-13", 10), email="andi@example.id")
    report = run(clock, at("2026-07-16"), mailbox)
    assert report.reminders == 1
    assert events(open_item, "reminder_sent") and not events(closed, "reminder_sent")
    assert not events(later, "reminder_sent")
    overdue = run(clock, at("2026-07-22"))
    assert overdue.escalations == 1 and not events(closed, "overdue")


# --- unit task reminders ------------------------------------------------------------------

def test_unit_is_reminded_once_when_its_internal_due_comes(clock, filed, people, mailbox):
    task = route(filed, people["units"]["disdik"], people["utama"], internal_due=D("2026-07-14"))
    assert run(clock, at("2026-07-13")).task_reminders == 0

    report = run(clock, at("2026-07-14"), mailbox)
    assert report.task_reminders == 1
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "disdik@pemda.example.id" and filed.number in message["Subject"]
    assert "jatuh hari ini" in message.get_content()
    (event,) = events(filed, "task_reminder_sent")
    assert event.data["task_id"] == task.id and event.data["internal_due"] == "2026-07-14"
    assert event.data["unit"] == "DISDIK"

    assert run(clock, at("2026-07-15"), mailbox).task_reminders == 0
    assert run(clock, at("2026-07-15", 15)).task_reminders == 0
    assert len(events(filed, "task_reminder_sent")) == 1 and mailbox.messages == []

    # PPID Utama sets a new internal due on the same task: a new reminder for that date.
    task = db.session.get(RoutingTask, task.id)
    task.internal_due = D("2026-07-16")
    db.session.commit()
    assert run(clock, at("2026-07-16", 7)).task_reminders == 1
    # An answered task is not reminded.
    task = db.session.get(RoutingTask, task.id)
    task.internal_due, task.status = D("2026-07-17"), TaskStatus.ANSWERED
    db.session.commit()
    assert run(clock, at("2026-07-17")).task_reminders == 0


def test_a_unit_without_officers_is_reported_to_ppid_utama(clock, filed, people, make_unit, mailbox):
    empty_unit = make_unit(code="BAPPEDA", name="Bappeda")
    route(filed, empty_unit, people["utama"], internal_due=D("2026-07-14"))
    run(clock, at("2026-07-15"), mailbox)
    mailbox.wait_for(2)  # with the applicant's receipt, still waiting in the outbox
    (message,) = [m for m in mailbox.messages if m["To"] != "budi@example.id"]
    assert message["To"] == "utama@pemda.example.id" and "sudah lewat" in message.get_content()
    (event,) = events(filed, "task_reminder_sent")
    assert event.data["to_unit"] is False


# --- escalation ---------------------------------------------------------------------------

def test_overdue_request_is_escalated_once_ever(clock, filed, people, mailbox):
    assert run(clock, at("2026-07-20", 23)).escalations == 0  # due today: not yet late

    report = run(clock, at("2026-07-21"), mailbox)
    assert report.escalations == 1
    received = {m["To"]: m for m in mailbox.wait_for(2)}
    assert set(received) == {"atasan@pemda.example.id", "utama@pemda.example.id"}
    assert "terlambat 1 hari kerja" in received["atasan@pemda.example.id"].get_content()
    item = fresh(filed)
    (event,) = events(filed, "overdue")
    assert item.escalated_at == event.at and abs(event.at - at("2026-07-21")) < timedelta(seconds=5)
    assert event.data["working_days_late"] == 1 and event.data["due_date"] == "2026-07-20"

    assert run(clock, at("2026-07-22"), mailbox).escalations == 0
    # A later change of the due date (here a recomputation) does not re-arm the escalation.
    request_event(actor=None, item=item, kind="deadline_recomputed", changes={"notice_due": D("2026-07-23")},
                  data={"reason": "test"})
    db.session.commit()
    assert run(clock, at("2026-07-27"), mailbox).escalations == 0
    assert len(events(filed, "overdue")) == 1 and mailbox.messages == []


def test_the_sweep_twice_in_a_row_sends_nothing_the_second_time(clock, filed, people, file_request, mailbox):
    late = file_request(received_at=at("2026-06-22", 10), email="late@example.id")
    route(filed, people["units"]["disdik"], people["utama"], internal_due=D("2026-07-15"))
    first = run(clock, at("2026-07-16"), mailbox)
    assert (first.reminders, first.task_reminders, first.escalations) == (1, 1, 1)
    assert events(late, "overdue")
    mailbox.wait_for(first.emails_queued)
    second = sweep_run(now=utcnow())
    assert (second.reminders, second.task_reminders, second.escalations, second.emails_queued) == (0, 0, 0, 0)
    assert second.delivery.sent == 0


def test_one_bad_request_does_not_block_the_others(clock, file_request, people, monkeypatch, runner):
    clock.travel_to(RECEIVED)
    bad = file_request(received_at=RECEIVED, email="a@example.id")
    good = file_request(received_at=RECEIVED, email="b@example.id")
    real_link = sweep_module._desk_link

    def broken_for_bad(item):
        if item.id == bad.id:
            raise RuntimeError("template exploded")
        return real_link(item)

    monkeypatch.setattr(sweep_module, "_desk_link", broken_for_bad)
    clock.travel_to(at("2026-07-16"))
    result = runner.invoke(args=["ppid", "sweep"])
    assert result.exit_code == 1
    assert "reminders: 1" in result.output and bad.number in result.output
    assert events(good, "reminder_sent") and not events(bad, "reminder_sent")
    assert fresh(bad).reminded_for_due is None  # rolled back with its e-mails
    assert not db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.body.contains(bad.number), OutboxMessage.recipient != "a@example.id")).all()


def test_cli_sweep_prints_a_summary_and_the_timeline_shows_the_events(clock, filed, people, runner,
                                                                      officer_client):
    clock.travel_to(at("2026-07-16"))
    result = runner.invoke(args=["ppid", "sweep"])
    assert result.exit_code == 0, result.output
    assert "reminders: 1" in result.output and "escalations: 0" in result.output
    assert "outbox:" in result.output and "staged uploads purged: 0" in result.output
    clock.travel_to(at("2026-07-21"))
    runner.invoke(args=["ppid", "sweep"])
    page = officer_client("ppid_utama").get(f"/meja/permohonan/{filed.id}").get_data(as_text=True)
    assert "Pengingat batas waktu dikirim ke petugas" in page
    assert "Melewati batas waktu: dilaporkan ke Atasan PPID" in page
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


# --- outbox retries with backoff -----------------------------------------------------------

def queue(recipient="budi@example.id", request=None) -> int:
    message = outbox_enqueue(recipient=recipient, subject="Uji", template="email/account_password_changed.txt",
                             request=request, user={"name": "Budi"}, body_name="Kota Contoh")
    db.session.commit()
    return message.id


def test_outbox_retries_with_backoff_until_the_server_is_back(app, clock, mailbox, monkeypatch):
    clock.travel_to(at("2026-07-16"))
    live_port = app.config["MAIL_PORT"]
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nobody listens there
    message_id = queue()

    def state():
        db.session.expire_all()
        return db.session.get(OutboxMessage, message_id)

    start = utcnow()
    report = sweep_run(now=start)
    assert report.delivery.retrying == 1
    message = state()
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    assert message.next_attempt_at == start + timedelta(minutes=1) and "Error" in message.last_error

    sweep_run(now=start + timedelta(seconds=30))  # not yet due: not tried
    assert state().attempts == 1
    sweep_run(now=start + timedelta(minutes=1))
    assert state().attempts == 2 and state().next_attempt_at == start + timedelta(minutes=6)
    sweep_run(now=start + timedelta(minutes=6))
    assert state().attempts == 3 and state().next_attempt_at == start + timedelta(minutes=21)
    sweep_run(now=start + timedelta(minutes=21))
    assert state().next_attempt_at == start + timedelta(minutes=81)  # then hourly

    monkeypatch.setitem(app.config, "MAIL_PORT", live_port)
    assert sweep_run(now=start + timedelta(minutes=80)).delivery.sent == 0  # still waiting
    back = sweep_run(now=start + timedelta(minutes=81))
    assert back.delivery.sent == 1
    message = state()
    assert message.status == OutboxStatus.SENT and message.attempts == 5 and message.next_attempt_at is None
    assert [m["To"] for m in mailbox.wait_for(1)] == ["budi@example.id"]


def test_a_failure_of_the_sender_schedules_the_retry(app, clock, monkeypatch, mailbox):
    clock.travel_to(at("2026-07-16"))
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    message = outbox_enqueue(recipient="budi@example.id", subject="Uji",
                             template="email/account_password_changed.txt",
                             user={"name": "Budi"}, body_name="Kota Contoh")
    commit()  # the web path only queues it
    before = utcnow()
    assert outbox_send_due().retrying == 1  # the outbox sender's pass
    after = utcnow()
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    assert before + timedelta(minutes=1) <= message.next_attempt_at <= after + timedelta(minutes=1)
    # The sweep leaves it until then.
    idle = sweep_run(now=after)
    assert (idle.delivery.sent, idle.delivery.retrying) == (0, 0)


def test_outbox_gives_up_after_max_attempts_and_tells_the_timeline(app, clock, filed, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    receipt = db.session.scalar(select(OutboxMessage).where(OutboxMessage.request_id == filed.id))
    receipt.status, receipt.attempts = OutboxStatus.PENDING, MAX_ATTEMPTS - 1
    receipt.next_attempt_at = None
    db.session.commit()
    report = sweep_run(now=utcnow())
    assert report.delivery.given_up == 1
    db.session.expire_all()
    receipt = db.session.get(OutboxMessage, receipt.id)
    assert receipt.status == OutboxStatus.FAILED and receipt.attempts == MAX_ATTEMPTS
    (event,) = events(filed, "email_failed")
    assert event.data["outbox_id"] == receipt.id and unseal(event.data["recipient"]) == "budi@example.id"
    assert "budi@example.id" not in str(event.data)  # sealed with the applicant's key: the purge shreds it
    assert sweep_run(now=utcnow() + timedelta(days=1)).delivery.sent == 0  # never tried again


# --- objections (keberatan): the Atasan PPID's response clock ---------------------------------

def file_objection(app, item, filed_at: datetime = RECEIVED):
    """An objection registered directly (as the filing service would): due 30 WD after filing."""
    from ppid_desk.objections.models import Objection
    from ppid_desk.requests.numbering import format_number, next_sequence
    from ppid_desk.sla import objection_filing_due, objection_response_due
    from ppid_desk.workcalendar.selectors import clock_rules, local_date, working_calendar

    calendar, rules = working_calendar(), clock_rules()
    filed = local_date(filed_at)
    seq = next_sequence("keberatan", filed.year)
    objection = Objection(
        number=format_number(app.config["OBJECTION_NUMBER_PATTERN"], seq=seq, on=filed), year=filed.year,
        seq=seq, request_id=item.id, channel="online", grounds=["c"], case_summary="Tidak ditanggapi.",
        intended_use="Pengawasan", filed_at=filed_at, filed_date=filed, ground_date=filed,
        filing_due=objection_filing_due(filed, calendar, rules),
        response_due=objection_response_due(filed, calendar, rules), status="registered")
    db.session.add(objection)
    db.session.commit()
    return objection


def objection_events(objection, kind: str) -> list[Event]:
    return list(db.session.scalars(select(Event).where(
        Event.subject_type == "objection", Event.subject_id == objection.id, Event.kind == kind)))


def test_the_atasan_is_reminded_once_per_objection_due(app, clock, filed, people, make_user, mailbox):
    from ppid_desk.workcalendar.selectors import working_calendar

    make_user(email="atasan2@pemda.example.id", roles=("atasan",), name="Atasan Kedua")
    objection = file_objection(app, filed)
    calendar = working_calendar()
    due = objection.response_due
    three_before = calendar.add_working_days(RECEIVED.date(), 27)  # 3 WD left: not yet
    two_before = calendar.add_working_days(RECEIVED.date(), 28)
    assert run(clock, at(three_before.isoformat())).objection_reminders == 0

    report = run(clock, at(two_before.isoformat()), mailbox)
    assert report.objection_reminders == 1 and not report.errors
    mine = [m for m in mailbox.wait_for(2) if objection.number in m["Subject"]]
    assert sorted(m["To"] for m in mine) == ["atasan2@pemda.example.id", "atasan@pemda.example.id"]
    assert "2 hari kerja" in mine[0]["Subject"]
    assert f"/meja/keberatan/{objection.id}" in mine[0].get_content()
    db.session.expire_all()
    assert db.session.get(type(objection), objection.id).reminded_for_due == due
    assert len(objection_events(objection, "objection_reminder_sent")) == 1
    assert len(events(filed, "objection_reminder_sent")) == 1

    again = run(clock, at(two_before.isoformat(), 10), mailbox)
    assert again.objection_reminders == 0
    assert run(clock, at(due.isoformat())).objection_reminders == 0
    assert len(objection_events(objection, "objection_reminder_sent")) == 1


def test_an_overdue_objection_is_logged_once_and_mailed_to_atasan_and_ppid_utama(app, clock, filed, people,
                                                                                   mailbox, runner):
    from ppid_desk.objections.models import Objection
    from ppid_desk.workcalendar.selectors import working_calendar

    objection = file_objection(app, filed)
    answered = file_objection(app, filed)  # answered in time: never escalated
    answered.status = "responded"
    db.session.commit()
    assert run(clock, at(objection.response_due.isoformat(), 16)).objection_escalations == 0
    day_after = working_calendar().add_working_days(objection.response_due, 1)
    report = run(clock, at(day_after.isoformat()), mailbox)
    assert report.objection_escalations == 1 and not report.errors
    mine = [m for m in mailbox.wait_for(2) if objection.number in m["Subject"]]
    assert sorted(m["To"] for m in mine) == ["atasan@pemda.example.id", "utama@pemda.example.id"]
    assert "belum ditanggapi" in mine[0]["Subject"]
    db.session.expire_all()
    assert db.session.get(Objection, objection.id).escalated_at is not None
    assert db.session.get(Objection, answered.id).escalated_at is None
    (event,) = objection_events(objection, "objection_overdue")
    assert event.data["working_days_late"] == 1
    assert [e.data["objection_id"] for e in events(filed, "objection_overdue")] == [objection.id]
    later = run(clock, at(day_after.isoformat()) + timedelta(days=5), mailbox)
    assert later.objection_escalations == 0
    assert len(objection_events(objection, "objection_overdue")) == 1
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0
