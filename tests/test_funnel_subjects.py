"""One funnel for every subject (issue 12 item 6): objections and routing tasks change state
through ``audit.funnel`` like requests do. Each of their events records before/after, their
cached columns are derived by pure functions, and ``flask ppid rebuild-cache`` checks and rebuilds
them, also on logs written by older versions (no before/after, no task log of their own)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update

from ppid_desk.audit import funnel
from ppid_desk.audit.models import Event
from ppid_desk.dbtypes import utcnow
from ppid_desk.extensions import db
from ppid_desk.objections.filing_services import objection_file
from ppid_desk.objections.lifecycle import OBJECTION, OBJECTION_COLUMNS, objection_derived_changes
from ppid_desk.objections.models import Objection
from ppid_desk.objections.response_services import objection_respond
from ppid_desk.objections.withdrawal_services import objection_withdraw
from ppid_desk.routing.lifecycle import TASK, TASK_COLUMNS, task_derived_changes
from ppid_desk.routing.models import RoutingTask

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # Mon 10:00 WIB


def _file(item):
    return objection_file(actor=None, request=item, grounds=["c", "g"], case_summary="Tidak dijawab.",
                          intended_use="Riset", representative_name=None, documents=[], filed_at=utcnow(),
                          channel="online", notify=False)


@pytest.fixture
def story(app, clock, file_request, make_user):
    """Two objections through the services: one answered with a release order, one withdrawn."""
    clock.travel_to(MONDAY)
    atasan = make_user(email="atasan@pemda.example.id", roles=("atasan",), name="Atasan PPID")
    answered = _file(file_request(email="a@example.id"))
    withdrawn = _file(file_request(email="b@example.id"))
    db.session.commit()
    clock.advance(timedelta(days=2))
    objection_respond(actor=atasan, objection=answered, decision="overturned_full", reasons="Informasi terbuka.",
                      release_by=date(2026, 3, 20), settlement=None, expected_version=answered.version, notify=False)
    objection_withdraw(actor=None, objection=withdrawn, reason=None, notify=False)
    db.session.commit()
    return {"answered": answered.id, "withdrawn": withdrawn.id}


def _objection(objection_id: int) -> Objection:
    db.session.expire_all()
    return db.session.get(Objection, objection_id)


def _events(subject_type: str, subject_id: int) -> list[Event]:
    db.session.expire_all()
    return list(db.session.scalars(select(Event).where(Event.subject_type == subject_type,
                                                       Event.subject_id == subject_id).order_by(Event.id)))


def _check(runner):
    return runner.invoke(args=["ppid", "rebuild-cache", "--check"])


# --- objections ---------------------------------------------------------------------------------

def test_objection_events_keep_their_kinds_and_record_before_and_after(story):
    events = _events("objection", story["answered"])
    assert [e.kind for e in events] == ["filed", "objection_responded"]  # what the timeline shows
    filed, responded = events
    assert set(filed.data["after"]) == set(OBJECTION_COLUMNS)  # the first event fixes every column
    assert all(value is None for value in filed.data["before"].values())
    assert filed.data["objection_number"] and filed.data["response_due"]  # the old payload stays
    assert responded.data["before"]["status"] == "registered" and responded.data["after"]["status"] == "responded"
    assert responded.data["after"]["release_by"] == "2026-03-20"
    assert responded.data["after"]["responded_at"] == responded.at.isoformat()
    withdrawn = _events("objection", story["withdrawn"])
    assert [e.kind for e in withdrawn] == ["filed", "objection_withdrawn"]
    assert withdrawn[-1].data["after"]["status"] == "withdrawn" and withdrawn[-1].data["withdrawn_at"]


def test_objections_made_by_the_funnel_are_fully_determined_by_their_log(story):
    for objection_id in story.values():
        objection = _objection(objection_id)
        known = funnel.replayed_columns(OBJECTION, objection, known_only=True)
        assert set(known) == set(OBJECTION_COLUMNS)
        assert known == funnel.columns_of(OBJECTION, objection)


def test_a_corrupted_objection_column_is_reported_and_rebuilt(story, runner):
    assert _check(runner).exit_code == 0
    number = _objection(story["answered"]).number
    db.session.execute(update(Objection).where(Objection.id == story["answered"])
                       .values(status="registered", release_by=None))
    db.session.commit()
    check = _check(runner)
    assert check.exit_code == 1
    assert f"{number}: status stored 'registered', log says 'responded'" in check.output
    assert f"{number}: release_by" in check.output
    rebuilt = runner.invoke(args=["ppid", "rebuild-cache"])
    assert rebuilt.exit_code == 0 and "1 objection(s)" in rebuilt.output
    objection = _objection(story["answered"])
    assert (objection.status, objection.release_by) == ("responded", date(2026, 3, 20))
    assert _check(runner).exit_code == 0


# --- routing tasks ------------------------------------------------------------------------------

@pytest.fixture
def demo(app, runner):
    assert runner.invoke(args=["ppid", "seed-demo"]).exit_code == 0
    tasks = db.session.scalars(select(RoutingTask).order_by(RoutingTask.id)).all()
    assert {t.status for t in tasks} >= {"answered", "returned"}
    return tasks


def test_task_events_record_before_and_after_on_the_tasks_own_log(demo):
    task = next(t for t in demo if t.status == "answered")
    events = _events("routing_task", task.id)
    assert [e.kind for e in events] == ["routed", "task_answered"]
    assert events[0].data["after"]["status"] == "open" and events[0].data["before"]["status"] is None
    assert events[1].data["before"]["status"] == "open"
    assert events[1].data["after"] == {"status": "answered", "closed_at": events[1].at.isoformat(),
                                       "answered_at": events[1].at.isoformat()}
    assert funnel.replayed_columns(TASK, task, known_only=True) == funnel.columns_of(TASK, task)


def test_a_corrupted_task_column_is_reported_and_rebuilt(demo, runner):
    assert _check(runner).exit_code == 0
    task = next(t for t in demo if t.status == "answered")
    good = funnel.columns_of(TASK, task)
    db.session.execute(update(RoutingTask).where(RoutingTask.id == task.id).values(status="open", closed_at=None))
    db.session.commit()
    check = _check(runner)
    assert check.exit_code == 1
    assert f"tugas {task.id} (permohonan {task.request_id}): status stored 'open', log says 'answered'" in check.output
    assert "closed_at" in check.output
    rebuilt = runner.invoke(args=["ppid", "rebuild-cache"])
    assert rebuilt.exit_code == 0 and "1 routing task(s)" in rebuilt.output
    db.session.expire_all()
    assert funnel.columns_of(TASK, db.session.get(RoutingTask, task.id)) == good


# --- logs written by older versions ---------------------------------------------------------------

def _as_an_older_version_wrote_it() -> None:
    """What an upgraded installation holds: objection events without before/after, and no log
    of their own for routing tasks (their steps only on the request's timeline)."""
    db.session.execute(delete(Event).where(Event.subject_type == "routing_task"))
    for event in db.session.scalars(select(Event).where(Event.subject_type == "objection")):
        event.data = {k: v for k, v in event.data.items() if k not in ("before", "after")}
    db.session.commit()


def test_an_upgraded_log_replays_and_still_catches_what_it_proves(demo, story, runner):
    _as_an_older_version_wrote_it()
    assert _check(runner).exit_code == 0, _check(runner).output
    task = next(t for t in demo if t.status == "returned")
    closed_at = task.closed_at
    number = _objection(story["withdrawn"]).number
    db.session.execute(update(RoutingTask).where(RoutingTask.id == task.id).values(status="open", closed_at=None))
    db.session.execute(update(Objection).where(Objection.id == story["withdrawn"]).values(status="registered"))
    db.session.commit()
    check = _check(runner)
    assert check.exit_code == 1
    assert f"tugas {task.id} (permohonan {task.request_id}): status stored 'open', log says 'returned'" in check.output
    assert f"{number}: status stored 'registered', log says 'withdrawn'" in check.output
    assert runner.invoke(args=["ppid", "rebuild-cache"]).exit_code == 0
    db.session.expire_all()
    task = db.session.get(RoutingTask, task.id)
    assert (task.status, task.closed_at) == ("returned", closed_at)
    assert _objection(story["withdrawn"]).status == "withdrawn"
    assert _check(runner).exit_code == 0


def test_an_upgraded_log_leaves_alone_what_it_cannot_prove(story):
    _as_an_older_version_wrote_it()
    objection = _objection(story["answered"])
    known = funnel.replayed_columns(OBJECTION, objection, known_only=True)
    # An old response event named the decision but not the moment the row was stamped with.
    assert known["status"] == "responded" and known["decision"] == "overturned_full"
    assert "responded_at" not in known
    assert funnel.replayed_columns(OBJECTION, objection)["responded_at"] == objection.responded_at


# --- the pure derivations -----------------------------------------------------------------------------

def test_objection_derivation_gives_the_local_filing_day_and_lateness():
    def to_local(moment):
        return (moment + timedelta(hours=7)).date()

    late_night = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # already Tuesday in WIB
    derived = objection_derived_changes({"filing_due": date(2026, 3, 2)}, {"filed_at": late_night},
                                        late_night, to_local)
    assert derived == {"filed_date": date(2026, 3, 3), "late": True}
    assert objection_derived_changes({"filed_date": date(2026, 3, 2)}, {"filing_due": date(2026, 3, 2)},
                                     late_night, to_local) == {"late": False}
    assert objection_derived_changes({}, {"status": "responded"}, late_night, to_local) == {}


def test_task_derivation_stamps_the_closing_and_answering_moments():
    at = datetime(2026, 3, 4, 7, 0, tzinfo=UTC)

    def derive(state, changes):
        return task_derived_changes(state, changes, at, lambda moment: moment.date())

    assert derive({"status": "open"}, {"status": "answered"}) == {"closed_at": at, "answered_at": at}
    assert derive({"status": "open"}, {"status": "returned"}) == {"closed_at": at}
    assert derive({"status": "open"}, {"status": "cancelled"}) == {"closed_at": at}
    assert derive({"status": "returned", "closed_at": at}, {"status": "open"}) == {"closed_at": None}
    assert derive({"status": "open"}, {"status": "open"}) == {}
    assert set(TASK_COLUMNS) >= {"status", "closed_at", "answered_at"}


# --- disputes -------------------------------------------------------------------------------------

def test_a_dispute_replays_from_its_objections_timeline_and_a_corruption_is_repaired(story, clock, make_user, runner):
    from ppid_desk.objections.dispute_services import (
        dispute_ki_number_set,
        dispute_outcome_record,
        dispute_record,
    )
    from ppid_desk.objections.lifecycle import DISPUTE
    from ppid_desk.objections.models import Dispute

    utama = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="PPID Utama")
    clock.advance(timedelta(days=3))
    today = utcnow().date()
    dispute = dispute_record(actor=utama, objection=_objection(story["answered"]), level="provinsi",
                             filed_date=today, by="desk")
    dispute_ki_number_set(actor=utama, dispute=dispute, ki_number="012/REG-PSI/III/2026")
    dispute_outcome_record(actor=utama, dispute=dispute, outcome="Dikabulkan sebagian.", outcome_date=today)
    db.session.commit()
    dispute_id = dispute.id
    db.session.expire_all()
    dispute = db.session.get(Dispute, dispute_id)
    assert funnel.replayed_columns(DISPUTE, dispute, known_only=True) == funnel.columns_of(DISPUTE, dispute)
    assert _check(runner).exit_code == 0
    db.session.execute(update(Dispute).where(Dispute.id == dispute_id).values(outcome=None, ki_number="salah"))
    db.session.commit()
    check = _check(runner)
    assert check.exit_code == 1
    assert f"sengketa {dispute_id} (keberatan {story['answered']}): ki_number stored 'salah'" in check.output
    assert "outcome stored None, log says 'Dikabulkan sebagian.'" in check.output
    rebuilt = runner.invoke(args=["ppid", "rebuild-cache"])
    assert rebuilt.exit_code == 0 and "1 dispute(s)" in rebuilt.output
    db.session.expire_all()
    dispute = db.session.get(Dispute, dispute_id)
    assert (dispute.ki_number, dispute.outcome) == ("012/REG-PSI/III/2026", "Dikabulkan sebagian.")
