"""Writes to the calendar: import a year from the `holidays` package, admin edits.

Every change announces itself with ``signals.calendar_changed`` (monev renumbers its working-day
ordinals); this module never imports the layers that keep caches over the calendar.
"""

from __future__ import annotations

from datetime import date

import holidays as holidays_lib
from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..dbtypes import utcnow
from ..extensions import db
from ..signals import calendar_changed
from ..sla import ClosedDay, ClosureKind, WorkingCalendar
from .models import CalendarYear, Holiday, HolidaySource
from .selectors import active_closures, calendar_year_is_imported

LIBRARY_SOURCE = f"holidays {holidays_lib.__version__} (ID)"


def library_holidays(year: int) -> list[tuple[date, ClosureKind, str]]:
    """National holidays (public) and cuti bersama (government) of one year, Indonesian names."""
    rows: list[tuple[date, ClosureKind, str]] = []
    for category, kind in (("public", ClosureKind.LIBUR_NASIONAL), ("government", ClosureKind.CUTI_BERSAMA)):
        calendar = holidays_lib.country_holidays("ID", years=[year], categories=(category,), language="id")
        for day, names in sorted(calendar.items()):
            for name in names.split("; "):
                rows.append((day, kind, name))
    return rows


def _insert_ignore(table, values: dict):
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).values(**values).on_conflict_do_nothing()


def calendar_year_import(year: int) -> int | None:
    """Import one year's library holidays, once. Returns the rows added, None when already imported.

    The year row is claimed first with INSERT … ON CONFLICT DO NOTHING: of two processes racing
    on the same year, the second waits for the first and then finds the claim taken.
    """
    # RETURNING, not rowcount: psycopg reports -1 for INSERT … ON CONFLICT DO NOTHING.
    claimed = db.session.execute(
        _insert_ignore(CalendarYear.__table__, {"year": year, "source": LIBRARY_SOURCE,
                                                "holidays_imported": 0,
                                                "imported_at": utcnow()})
        .returning(CalendarYear.__table__.c.year)
    ).scalar()
    if claimed is None:
        return None
    added = 0
    for day, kind, name in library_holidays(year):
        # An identical row an administrator entered first is kept as it is.
        inserted = db.session.execute(_insert_ignore(Holiday.__table__, {
            "day": day, "kind": str(kind), "name": name, "source": str(HolidaySource.LIBRARY),
            "active": True, "created_at": utcnow(),
        }).returning(Holiday.__table__.c.id)).scalar()
        added += inserted is not None
    year_row = db.session.get(CalendarYear, year)
    year_row.holidays_imported = added
    db.session.flush()
    calendar_changed.send(None, years=(year,))
    return added


def calendar_years_ensure(*years: int) -> list[int]:
    """Import every year of ``years`` that never was (a write path, before it computes dates in
    them: reads never import, see ``selectors.active_closures``). Returns the years imported."""
    imported = []
    for year in sorted(set(years)):
        if not calendar_year_is_imported(year) and calendar_year_import(year) is not None:
            imported.append(year)
    return imported


def calendar_years_ensure_around(*days: date) -> list[int]:
    """Import the years of ``days`` and the year after each: a deadline computed from a day
    (10 working days, an extension, the objection clocks) may fall in the next year."""
    return calendar_years_ensure(*(year for day in days for year in (day.year, day.year + 1)))


def calendar_year_row(year: int) -> CalendarYear | None:
    """The import record of ``year`` (None when it was never imported)."""
    return db.session.get(CalendarYear, year)


def holidays_of_year(year: int) -> list[Holiday]:
    """Every holiday row of ``year``, active or not, for the administration page."""
    return list(db.session.scalars(
        select(Holiday).where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
        .order_by(Holiday.day, Holiday.kind, Holiday.id)))


def deadline_calendar(*, cuti_bersama_non_working: bool | None = None) -> WorkingCalendar:
    """The working calendar of a write path that computes deadlines: a year the computation
    reaches that was never imported is imported first (flush only). Reads use
    ``selectors.working_calendar``, which raises for such a year instead."""
    if cuti_bersama_non_working is None:
        cuti_bersama_non_working = current_app.config["CUTI_BERSAMA_NON_WORKING"]

    def closures(year: int) -> list[ClosedDay]:
        calendar_years_ensure(year)
        return active_closures(year)

    return WorkingCalendar(closures, cuti_bersama_non_working=cuti_bersama_non_working)
