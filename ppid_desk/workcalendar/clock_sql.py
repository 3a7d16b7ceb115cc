"""The clock states ("overdue", "due today", "due soon", "on track") as SQL, in one place.

``sla.read_clock`` reads one clock in Python; the desk queues (requests and objections) and
monev (its metrics, drill-downs and the "overdue now" page) select the same states in SQL with
``clock_state_condition``, so a count on a monev page and the queue it links to agree by
construction. The caller says what "running" means for its subject (an open request, a
registered objection) and which column holds the due date; the condition compares plain dates.

``read_clock`` counts the working days in (today, due]: 0 is due today, 1..N due soon. So with
``day(k)`` the k-th working day after today, due today is today ≤ due < day(1), due soon is
day(1) ≤ due < day(N+1), on track is due ≥ day(N+1) and overdue is due < today.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_
from sqlalchemy.sql.elements import ColumnElement

from ..sla import ClockState, WorkingCalendar

CLOCK_STATES = (ClockState.OVERDUE, ClockState.DUE_TODAY, ClockState.DUE_SOON, ClockState.ON_TRACK)


def clock_state_condition(state: str, *, running: ColumnElement[bool], due, today: date,
                          calendar: WorkingCalendar | None = None,
                          due_soon_wd: int | None = None) -> ColumnElement[bool]:
    """Rows whose running clock (``running``, due on ``due``) is in ``state`` on ``today``.

    ``calendar`` and ``due_soon_wd`` are needed for every state but overdue."""
    if state == ClockState.OVERDUE:
        return and_(running, due < today)
    if calendar is None or due_soon_wd is None:
        raise ValueError(f"clock state {state!r} needs the calendar and due_soon_wd")
    next_day = calendar.add_working_days(today, 1)
    if state == ClockState.DUE_TODAY:
        return and_(running, due >= today, due < next_day)
    soon_end = calendar.add_working_days(today, due_soon_wd + 1)
    if state == ClockState.DUE_SOON:
        return and_(running, due >= next_day, due < soon_end)
    if state == ClockState.ON_TRACK:
        return and_(running, due >= soon_end)
    raise ValueError(f"unknown clock state {state!r}")


def last_working_day(today: date, calendar: WorkingCalendar) -> date:
    """Today if it is a working day, else the working day before it."""
    return today if calendar.is_working_day(today) else calendar.previous_working_day(today)


def overdue_by_a_working_day_condition(*, running: ColumnElement[bool], due, today: date,
                                       calendar: WorkingCalendar) -> ColumnElement[bool]:
    """Overdue by at least one working day: some working day lies in (due, today], i.e. due is
    before the last working day up to today. On a working day this is exactly ``overdue``; on a
    weekend or holiday a clock that fell due on the last working day is not counted yet."""
    return clock_state_condition(ClockState.OVERDUE, running=running, due=due,
                                 today=last_working_day(today, calendar))
