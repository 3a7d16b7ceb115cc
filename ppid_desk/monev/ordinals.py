"""The working-day ordinal table: WD(a, b) = ordinal(b) - ordinal(a), a join instead of a loop.

The table always holds ONE contiguous span of dates, numbered from the span's first day (the
first day's ordinal is 1 if it is a working day, else 0). Only differences are meaningful, so the
base is arbitrary; what matters is that every row was numbered in the same pass.

Built on write, read only: the span covers every imported calendar year (and whatever the sweep
asked for), and it is renumbered whenever the calendar changes (``signals.calendar_changed``,
connected in ``monev.listeners``), in the transaction that changed the calendar. Pages only read
it, so no GET writes. Years inside the span that were never imported count weekends only; no
request date falls in them, because every write path that computes a date imports its years.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import delete, func, insert, select, text

from ..extensions import db
from ..sla import ClosedDay, WorkingCalendar
from ..workcalendar.models import CalendarYear
from ..workcalendar.selectors import active_closures, calendar_year_is_imported
from .models import WorkdayOrdinal

MARGIN = timedelta(days=31)
CHUNK = 1000


def ordinals_invalidate(first: date | None = None, last: date | None = None) -> None:
    """Renumber every ordinal (the working calendar changed on days ``first``..``last``; not
    given: anywhere) and forget the tallies whose working-day durations count one of those days
    (``tallies.tallies_forget_crossing``); flush only. A year imported before any date in it was
    reached (the usual lazy import of next year) forgets nothing: no duration reaches into it."""
    from .tallies import tallies_forget, tallies_forget_crossing

    ordinals_build()
    if first is None or last is None:
        tallies_forget()  # counted with the old calendar, wherever it changed
    else:
        tallies_forget_crossing(first, last)


def _span() -> tuple[date | None, date | None, int]:
    low, high, count = db.session.execute(
        select(func.min(WorkdayOrdinal.day), func.max(WorkdayOrdinal.day), func.count())
    ).one()
    return low, high, count


def _covers(low: date | None, high: date | None, count: int, first: date, last: date) -> bool:
    return (low is not None and low <= first and high >= last
            and count == (high - low).days + 1)


def _imported_years() -> tuple[int | None, int | None]:
    return db.session.execute(select(func.min(CalendarYear.year), func.max(CalendarYear.year))).one()


def _closures(year: int) -> list[ClosedDay]:
    """An imported year's closures; a year never imported counts weekends only (see above)."""
    return active_closures(year) if calendar_year_is_imported(year) else []


def ordinals_ensure(start: date, end: date) -> None:
    """Write path (the sweep): make sure every date in [start - MARGIN, end + MARGIN] has its
    ordinal; idempotent, flush only."""
    first, last = start - MARGIN, end + MARGIN
    low, high, count = _span()
    if _covers(low, high, count, first, last):
        return
    ordinals_build(first, last)


def ordinals_build(first: date | None = None, last: date | None = None) -> None:
    """Renumber the whole span: the table's, every imported year, and [first, last]; flush only."""
    if db.session.get_bind().dialect.name == "postgresql":
        # Two processes renumbering at once would otherwise number two different spans.
        db.session.execute(text("LOCK TABLE workday_ordinal IN EXCLUSIVE MODE"))
    low, high, count = _span()
    bounds = [day for day in (first, last) if day is not None]
    if low is not None and count == (high - low).days + 1:
        bounds += [low, high]
    low_year, high_year = _imported_years()
    if low_year is not None:
        bounds += [date(low_year, 1, 1), date(high_year, 12, 31)]
    if not bounds:
        return
    first, last = min(bounds), max(bounds)
    calendar = WorkingCalendar(_closures, cuti_bersama_non_working=current_app.config["CUTI_BERSAMA_NON_WORKING"])
    rows, ordinal, day = [], 0, first
    while day <= last:
        working = calendar.is_working_day(day)
        ordinal += working
        rows.append({"day": day, "ordinal": ordinal, "working": working})
        day += timedelta(days=1)
    db.session.execute(delete(WorkdayOrdinal))
    for i in range(0, len(rows), CHUNK):
        db.session.execute(insert(WorkdayOrdinal), rows[i:i + CHUNK])
    db.session.flush()
