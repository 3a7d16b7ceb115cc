"""Writes to the calendar: import a year from the `holidays` package, admin edits.

Every change announces itself with ``signals.calendar_changed`` (monev renumbers its working-day
ordinals); this module never imports the layers that keep caches over the calendar.
"""

from __future__ import annotations

import functools
import secrets
from datetime import date

import holidays as holidays_lib
from flask import current_app
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from ..dbtypes import utcnow
from ..extensions import db
from ..rows import conflict_insert
from ..signals import calendar_changed
from ..sla import ClosedDay, ClosureKind, WorkingCalendar
from .models import CalendarVersion, CalendarYear, Holiday, HolidaySource
from .selectors import CHANGED_KEY, active_closures, calendar_years_cached, calendar_years_held

LIBRARY_SOURCE = f"holidays {holidays_lib.__version__} (ID)"


@functools.cache
def library_holidays(year: int) -> tuple[tuple[date, ClosureKind, str], ...]:
    """National holidays (public) and cuti bersama (government) of one year, Indonesian names
    (computed once per process: the installed library's answer does not change)."""
    rows: list[tuple[date, ClosureKind, str]] = []
    for category, kind in (("public", ClosureKind.LIBUR_NASIONAL), ("government", ClosureKind.CUTI_BERSAMA)):
        calendar = holidays_lib.country_holidays("ID", years=[year], categories=(category,), language="id")
        for day, names in sorted(calendar.items()):
            for name in names.split("; "):
                rows.append((day, kind, name))
    return tuple(rows)


def calendar_version_bump(session: Session | None = None) -> None:
    """Replace the calendar's version token in this transaction (every worker then forgets the
    holidays it holds once this commits), and read the calendar from the database until the
    transaction ends. Called for every change: ORM changes to holidays and years by the flush
    listener below, the bulk import by ``_year_import``."""
    session = session if session is not None else db.session()
    session.info[CHANGED_KEY] = True
    connection = session.connection()
    token = secrets.token_hex(16)
    table = CalendarVersion.__table__
    if connection.execute(update(table).where(table.c.id == 1).values(token=token)).rowcount == 0:
        connection.execute(insert(table).values(id=1, token=token))


@event.listens_for(Session, "before_flush")
def _calendar_rows_changed(session, _flush_context, _instances) -> None:
    if any(isinstance(row, Holiday | CalendarYear)
           for row in (*session.new, *session.dirty, *session.deleted)):
        calendar_version_bump(session)


def _insert_ignore(table, values: dict | list[dict]):
    return conflict_insert()(table).values(values).on_conflict_do_nothing()


def _year_import(year: int) -> int | None:
    """Claim and fill one year; no signal (the callers announce once for all they imported).

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
    calendar_version_bump()
    now = utcnow()
    rows = [{"day": day, "kind": str(kind), "name": name, "source": str(HolidaySource.LIBRARY),
             "active": True, "created_at": now} for day, kind, name in library_holidays(year)]
    # One statement for the year; an identical row an administrator entered first is kept as it is.
    added = len(db.session.execute(
        _insert_ignore(Holiday.__table__, rows).returning(Holiday.__table__.c.id)).all()) if rows else 0
    year_row = db.session.get(CalendarYear, year)
    year_row.holidays_imported = added
    db.session.flush()
    return added


def calendar_year_import(year: int) -> int | None:
    """Import one year's library holidays, once. Returns the rows added, None when already imported."""
    added = _year_import(year)
    if added is not None:
        calendar_changed.send(None, years=(year,))
    return added


def calendar_years_ensure(*years: int) -> list[int]:
    """Import every year of ``years`` that never was (a write path, before it computes dates in
    them: reads never import, see ``selectors.active_closures``). Returns the years imported;
    the change is announced once for all of them (monev renumbers its ordinals once)."""
    wanted = sorted(set(years) - calendar_years_held())  # a year held in memory is imported
    if not wanted:
        return []
    present = set(db.session.scalars(select(CalendarYear.year).where(CalendarYear.year.in_(wanted))))
    if calendar_years_cached():
        # Hold the imported years in memory now (one read each, once per calendar version), so
        # that the next write path asking for them (every filing asks for next year) reads nothing.
        for year in present:
            active_closures(year)
    imported = [year for year in wanted if year not in present and _year_import(year) is not None]
    if imported:
        calendar_changed.send(None, years=tuple(imported))
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
