"""The clock states have one SQL form (``workcalendar.clock_sql``) shared by the desk queues and
monev (issue 12 item 6): for the same data, the queue's counts per state, monev's "overdue now"
metric and page, and ``sla.read_clock`` on every row agree."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ppid_desk.desk.queue_forms import QueueFilters
from ppid_desk.desk.queue_selectors import QueueScope, queue_page
from ppid_desk.extensions import db
from ppid_desk.monev.dashboard_selectors import overdue_now
from ppid_desk.monev.metrics import monev_metrics
from ppid_desk.objections.filing_services import objection_file
from ppid_desk.objections.response_selectors import (
    ObjectionFilters,
    objection_clock,
    objection_queue_page,
)
from ppid_desk.requests.lifecycle import request_event
from ppid_desk.requests.models import InformationRequest
from ppid_desk.requests.withdrawal import request_withdraw
from ppid_desk.sla import ClockState, read_clock
from ppid_desk.workcalendar.clock_sql import CLOCK_STATES
from ppid_desk.workcalendar.selectors import working_calendar
from ppid_desk.workcalendar.services import calendar_years_ensure

DUE_SOON_WD = 2
WEDNESDAY = datetime(2026, 3, 11, 3, 0, tzinfo=UTC)  # 10:00 WIB
SATURDAY = datetime(2026, 3, 14, 3, 0, tzinfo=UTC)


@pytest.fixture
def spread(app, clock, file_request):
    """Requests received on every working day of four weeks (so every clock state occurs), one
    withdrawn and one with its notice (stopped clocks), and objections filed over two months."""
    calendar_years_ensure(2025, 2026, 2027)  # the queue and monev read the calendar; reads never import
    db.session.commit()
    calendar = None
    ids = []
    day = datetime(2026, 2, 2, 3, 0, tzinfo=UTC)
    while day < WEDNESDAY:
        clock.travel_to(day)
        calendar = calendar or working_calendar()
        if calendar.is_working_day(day.date()):
            ids.append(file_request(received_at=day, email=f"p{len(ids)}@example.id").id)
        day += timedelta(days=1)
    items = [db.session.get(InformationRequest, i) for i in ids]
    request_withdraw(actor=None, item=items[0], notify=False)
    request_event(actor=None, item=items[1], kind="notice_issued",
                  changes={"status": "notice_issued", "notice_at": day, "outcome": "granted_full"})
    db.session.commit()
    for n, item in enumerate(items[2:12]):
        clock.travel_to(datetime(2026, 1, 12, 3, 0, tzinfo=UTC) + timedelta(days=3 * n))
        objection_file(actor=None, request=db.session.get(InformationRequest, item.id), grounds=["d"],
                       case_summary="Jawaban tidak sesuai.", intended_use="Riset", representative_name=None,
                       documents=[], filed_at=datetime(2026, 1, 12, 3, 0, tzinfo=UTC) + timedelta(days=3 * n),
                       channel="online", notify=False)
        db.session.commit()
    return ids


def _queue_count(state: str, today: date) -> int:
    return queue_page(QueueFilters(statuses=None, clock=state), QueueScope(), page=1, today=today,
                      calendar=working_calendar(), due_soon_wd=DUE_SOON_WD).total


def _objection_count(state: str, today: date) -> int:
    return objection_queue_page(ObjectionFilters(statuses=None, clock=state), page=1, today=today,
                                calendar=working_calendar(), due_soon_wd=DUE_SOON_WD).total


def _python_states(today: date) -> dict[str, int]:
    """Every request's clock read in Python (``sla.read_clock``), counted per state."""
    calendar = working_calendar()
    counts: dict[str, int] = {}
    for item in db.session.scalars(db.select(InformationRequest)):
        running = item.is_open
        reading = read_clock(item.due_date, today, calendar, stopped_on=None if running else today,
                             due_soon_wd=DUE_SOON_WD)
        if running:
            counts[reading.state] = counts.get(reading.state, 0) + 1
    return counts


def test_queue_monev_and_read_clock_agree_on_a_working_day(spread, clock):
    clock.travel_to(WEDNESDAY)
    today = WEDNESDAY.date()
    queue = {state.value: _queue_count(state, today) for state in CLOCK_STATES}
    assert all(queue.values()), queue  # the data shows every state
    assert queue == {state.value: _python_states(today).get(state, 0) for state in CLOCK_STATES}
    metric = monev_metrics(start=date(2026, 1, 1), end=today, unit_code=None, today=today)["overdue_open"]["count"]
    page = overdue_now(today=today, calendar=working_calendar())
    assert metric == page.request_total == queue[ClockState.OVERDUE]


def test_objection_queue_and_monev_page_agree_with_read_clock(spread, clock):
    from ppid_desk.objections.models import Objection

    clock.travel_to(WEDNESDAY)
    today = WEDNESDAY.date()
    calendar = working_calendar()
    read = [objection_clock(o, calendar, today, DUE_SOON_WD).state for o in db.session.scalars(db.select(Objection))]
    queue = {state.value: _objection_count(state, today) for state in CLOCK_STATES}
    assert queue == {state.value: read.count(state) for state in CLOCK_STATES}
    assert queue[ClockState.OVERDUE] > 0
    assert len(overdue_now(today=today, calendar=calendar).objections) == queue[ClockState.OVERDUE]


def test_on_a_weekend_the_monev_page_waits_for_a_working_day_the_queue_does_not(spread, clock):
    """"Overdue now" counts clocks at least one working day late; the queue's "overdue" is any
    day past due. Both come from the same builder; they differ only on days off."""
    clock.travel_to(SATURDAY)
    today = SATURDAY.date()
    calendar = working_calendar()
    friday = today - timedelta(days=1)
    due_friday = db.session.scalar(db.select(db.func.count()).select_from(InformationRequest).where(
        InformationRequest.due_date == friday, InformationRequest.status.in_(["registered", "incomplete"])))
    assert due_friday > 0
    page = overdue_now(today=today, calendar=calendar)
    assert page.request_total == _queue_count(ClockState.OVERDUE, today) - due_friday
    assert all(row.days_overdue >= 1 for group in page.groups for row in group.rows)


def test_the_request_clock_runs_in_the_open_statuses():
    from ppid_desk.requests.gates import STATUS_GATES, Gate
    from ppid_desk.requests.models import OPEN_STATUSES

    assert set(STATUS_GATES[Gate.CLOCK]) == set(OPEN_STATUSES)
