"""The working-day ordinal table: WD(a, b) = ordinal(b) - ordinal(a), a join instead of a loop.

The table always holds ONE contiguous span of dates, numbered from the span's first day (the
first day's ordinal is 1 if it is a working day, else 0). Only differences are meaningful, so the
base is arbitrary; what matters is that every row was numbered in the same pass. When a caller
needs dates outside the span, the whole union span is recomputed from the working calendar and
rewritten (a few thousand rows per decade: cheap). This avoids a fixed origin such as 2000-01-01,
which would force importing a quarter-century of holidays on the first metric request.

Any change to the calendar calls ``ordinals_invalidate()``; the next ``ordinals_ensure`` rebuilds.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, func, insert, select, text

from ..extensions import db
from .models import WorkdayOrdinal

MARGIN = timedelta(days=31)
CHUNK = 1000


def ordinals_invalidate() -> None:
    """Forget every ordinal (the working calendar changed); flush only."""
    from .tallies import tallies_forget

    db.session.execute(delete(WorkdayOrdinal))
    tallies_forget()  # their working-day durations were counted with the old calendar


def _span() -> tuple[date | None, date | None, int]:
    low, high, count = db.session.execute(
        select(func.min(WorkdayOrdinal.day), func.max(WorkdayOrdinal.day), func.count())
    ).one()
    return low, high, count


def _covers(low: date | None, high: date | None, count: int, first: date, last: date) -> bool:
    return (low is not None and low <= first and high >= last
            and count == (high - low).days + 1)


def ordinals_ensure(start: date, end: date) -> None:
    """Make sure every date in [start - MARGIN, end + MARGIN] has its ordinal; idempotent, flush only."""
    from ..workcalendar.selectors import working_calendar

    first, last = start - MARGIN, end + MARGIN
    low, high, count = _span()
    if _covers(low, high, count, first, last):
        return
    if db.session.get_bind().dialect.name == "postgresql":
        # Two processes extending at once would otherwise number two different spans.
        db.session.execute(text("LOCK TABLE workday_ordinal IN EXCLUSIVE MODE"))
        low, high, count = _span()
        if _covers(low, high, count, first, last):
            return
    if low is not None and count == (high - low).days + 1:
        first, last = min(first, low), max(last, high)
    calendar = working_calendar()  # imports any year it lacks (which may invalidate: we rewrite anyway)
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
