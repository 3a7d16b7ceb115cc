"""The routing tasks' facts monev stores (``routed_on``, ``answered_on``, ``superseded``;
monev.task_facts): every writer keeps them equal to the definition, a unit's figures count a
request it holds by two live tasks once (through the task not superseded), the metric set gives
the same figures from them with and without the daily tallies, a calendar change leaves them
right, and ``flask ppid rebuild-cache --check`` finds a fact that disagrees."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from ppid_desk.extensions import db
from ppid_desk.monev.task_facts import task_facts_disagreeing
from ppid_desk.organisation.models import Unit
from ppid_desk.organisation.profile_selectors import body_timezone
from ppid_desk.routing.models import RoutingTask, TaskStatus
from ppid_desk.routing.services import request_route, task_answer
from ppid_desk.workcalendar.admin_services import holiday_add
from tests.factories import START, assert_same_both_ways, quarter_figures


def stored(task_id: int) -> tuple:
    return db.session.execute(select(RoutingTask.routed_on, RoutingTask.answered_on, RoutingTask.superseded)
                              .where(RoutingTask.id == task_id)).one()


def local(moment) -> date | None:
    return None if moment is None else moment.astimezone(ZoneInfo(body_timezone())).date()


def test_the_log_s_tasks_hold_their_facts(app, log):  # noqa: F811
    tasks = list(db.session.scalars(select(RoutingTask)))
    assert tasks and any(task.answered_at for task in tasks)
    for task in tasks:  # the days in the body's zone, as Python counts them
        assert stored(task.id) == (local(task.routed_at), local(task.answered_at), False)
    assert task_facts_disagreeing() == []


def utc(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def test_a_unit_routed_again_counts_its_request_once(app, log, clock, make_user):  # noqa: F811
    """H's U2 task is answered and H is routed to U2 again: two live U2 tasks, the older one
    superseded; U2 counts H once and both tasks, with and without tallies (a task deleted makes
    its older sibling the newest again: ``test_a_task_written_outside_the_services_gets_its_facts``)."""
    officer = make_user(email="utama7@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    u1, u2 = (db.session.scalar(select(Unit).where(Unit.code == code)) for code in ("U1", "U2"))
    item = log["H"]
    [old] = db.session.scalars(select(RoutingTask).where(RoutingTask.request_id == item.id))
    assert old.unit_id == u2.id and old.status == TaskStatus.OPEN
    clock.travel_to(utc(9, 29, 5))
    task_answer(actor=officer, item=item, task=old, answer_text="Terlampir.", at=utc(9, 29, 5))
    db.session.commit()
    before, _live = quarter_figures(app, "U2")
    clock.travel_to(utc(9, 29, 23))  # late evening UTC: already 30 September in the body's zone
    [new] = request_route(actor=officer, item=item, unit_ids=[u2.id], instruction="Lengkapi data.",
                          internal_due=date(2026, 10, 6), at=utc(9, 29, 23), notify=False)
    db.session.commit()
    assert stored(old.id)[2] is True and stored(new.id)[2] is False
    assert stored(new.id)[0] == local(new.routed_at) == date(2026, 9, 30)
    assert task_facts_disagreeing() == []
    routed, live = quarter_figures(app, "U2")
    assert routed == live and routed["received"]["total"] == before["received"]["total"]  # H once
    assert routed["routing"]["by_unit"]["U2"]["tasks"] == before["routing"]["by_unit"]["U2"]["tasks"] + 1
    clock.travel_to(utc(9, 30, 3))
    task_answer(actor=officer, item=item, task=new, answer_text="Sudah dilengkapi.", at=utc(9, 30, 3))
    db.session.commit()
    assert stored(new.id)[1] == local(new.answered_at) == date(2026, 9, 30) and task_facts_disagreeing() == []
    assert_same_both_ways(app)
    after, live = quarter_figures(app, "U2")
    assert after == live
    assert after["received"]["total"] == before["received"]["total"]  # H once
    by_unit = after["routing"]["by_unit"]["U2"]
    assert by_unit["tasks"] == before["routing"]["by_unit"]["U2"]["tasks"] + 1
    assert by_unit["answered"] == before["routing"]["by_unit"]["U2"]["answered"] + 1
    assert after["routing"]["to_answer"]["count"] == before["routing"]["to_answer"]["count"] + 1


def test_a_task_written_outside_the_services_gets_its_facts(app, log):  # noqa: F811
    task = db.session.scalar(select(RoutingTask).where(RoutingTask.answered_at.isnot(None)).limit(1))
    task.answered_at = utc(9, 1, 20)  # 2 September in the body's zone (UTC+7)
    db.session.flush()
    assert task.answered_on == date(2026, 9, 2)  # read again after the flush wrote it
    copy = RoutingTask(request_id=task.request_id, unit_id=task.unit_id, instruction="Salinan.",
                       internal_due=task.internal_due, status=TaskStatus.OPEN.value, routed_at=utc(9, 2, 3),
                       routed_by_id=task.routed_by_id)
    db.session.add(copy)
    db.session.commit()
    assert stored(task.id)[2] is True and stored(copy.id) == (local(copy.routed_at), None, False)
    db.session.delete(copy)
    db.session.commit()
    assert stored(task.id)[2] is False and task_facts_disagreeing() == []


def test_a_calendar_change_leaves_the_facts_and_the_figures_agree(app, log, make_user):  # noqa: F811
    admin = make_user(email="kalender2@pemda.example.id", roles=("admin",), name="Admin Kalender")
    body = assert_same_both_ways(app)
    holiday_add(actor=admin, day=date(2026, 7, 8), kind="local_closure", name="Hari jadi kota")
    db.session.commit()
    assert task_facts_disagreeing() == []  # days, not working days: no recount
    changed = assert_same_both_ways(app, refresh=False)  # the forgotten days read live
    assert changed["routing"]["to_answer"] != body["routing"]["to_answer"]  # A's answer spans the 8th
    assert assert_same_both_ways(app) == changed


def test_rebuild_cache_check_finds_a_wrong_fact_and_rebuild_corrects_it(app, log, runner):  # noqa: F811
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0
    task = db.session.scalar(select(RoutingTask).where(RoutingTask.answered_at.isnot(None)).limit(1))
    right = task.answered_on
    db.session.execute(update(RoutingTask).where(RoutingTask.id == task.id)
                       .values(answered_on=START, superseded=True))
    db.session.commit()
    checked = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert checked.exit_code == 1
    assert f"tugas {task.id} (permohonan {task.request_id}): answered_on stored" in checked.output
    assert "superseded stored True, definition says False" in checked.output
    rebuilt = runner.invoke(args=["ppid", "rebuild-cache"])
    assert rebuilt.exit_code == 0 and "1 routing task fact(s) corrected" in rebuilt.output
    db.session.expire_all()
    assert stored(task.id) == (task.routed_on, right, False)
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0
