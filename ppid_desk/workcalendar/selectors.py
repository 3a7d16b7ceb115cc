"""Reads: the working calendar the SLA rules compute on, built from the Holiday table.

Reading never writes: a year that was never imported raises ``CalendarYearMissing``. Years are
imported by `flask ppid init`, the sweep (this year and the next), `flask ppid calendar import`,
the calendar administration, and the write paths that compute deadlines
(``services.calendar_years_ensure_around`` before computing).

The active closures of a year are kept in memory per app (per worker process), under the
calendar's version token (``CalendarVersion``), which every change replaces in its transaction
(``services.calendar_version_bump``). Each transaction reads the token once; a worker whose
token differs forgets what it held. A session that changed the calendar reads the database
until its transaction ends (its changes may still roll back).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..dbtypes import utcnow
from ..errors import DomainError
from ..extensions import db
from ..organisation.profile_selectors import body_timezone
from ..sla import ClockRules, ClosedDay, ClosureKind, WorkingCalendar
from .models import CalendarVersion, CalendarYear, Holiday

# Keys of Session.info, both dropped when the transaction ends.
TOKEN_KEY = "calendar_token"  # the version token this transaction read
CHANGED_KEY = "calendar_changed"  # this transaction changed the calendar: no cache


class CalendarYearMissing(DomainError):
    """The working calendar of a year was never imported, so no date in it can be computed."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(_("Kalender kerja tahun %(year)d belum diimpor, sehingga tenggat pada tahun itu "
                           "belum dapat dihitung. Administrator dapat mengimpornya di halaman Kalender "
                           "hari kerja atau dengan perintah \"flask ppid calendar import %(year)d\".", year=year))


def calendar_year_is_imported(year: int) -> bool:
    return db.session.scalar(select(CalendarYear.year).where(CalendarYear.year == year)) is not None


_VERSION = CalendarVersion.__table__
_TOKEN = select(_VERSION.c.token).where(_VERSION.c.id == 1)  # built once, on the table: every deadline reads it


def calendar_token() -> str | None:
    """The calendar's version token, read once per transaction."""
    info = db.session.info
    if TOKEN_KEY not in info:
        info[TOKEN_KEY] = db.session.scalar(_TOKEN)
    return info[TOKEN_KEY]


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_token(session, *_args) -> None:
    session.info.pop(TOKEN_KEY, None)
    session.info.pop(CHANGED_KEY, None)


def _closures_cache() -> dict[int, tuple[ClosedDay, ...]] | None:
    """This app's closures by year for the current token; None while this transaction has
    changed the calendar (or no token exists)."""
    if db.session.info.get(CHANGED_KEY):
        return None
    token = calendar_token()
    if token is None:
        return None
    held = current_app.extensions.get("ppid_calendar")
    if held is None or held[0] != token:
        held = (token, {})
        current_app.extensions["ppid_calendar"] = held
    return held[1]


def calendar_years_cached() -> bool:
    """Whether this transaction reads the calendar through this app's memory (not while it has
    changed the calendar itself)."""
    return _closures_cache() is not None


def calendar_years_held() -> set[int]:
    """Years this app holds in memory for the current calendar version: imported years."""
    cache = _closures_cache()
    return set(cache) if cache is not None else set()


def active_closures(year: int) -> list[ClosedDay]:
    """Active holiday rows of one year; ``CalendarYearMissing`` if the year was never imported.
    Kept in memory while the calendar's version token stays the same."""
    cache = _closures_cache()
    if cache is not None and year in cache:
        return list(cache[year])
    if not calendar_year_is_imported(year):
        raise CalendarYearMissing(year)
    rows = db.session.execute(
        select(Holiday.day, Holiday.kind, Holiday.name)
        .where(Holiday.active.is_(True), Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
        .order_by(Holiday.day, Holiday.id)
    )
    closures = [ClosedDay(day, ClosureKind(kind), name) for day, kind, name in rows]
    if cache is not None:
        cache[year] = tuple(closures)
    return closures


def local_date(moment: datetime) -> date:
    """The calendar date of ``moment`` in the body's time zone (never the browser's)."""
    return moment.astimezone(ZoneInfo(body_timezone())).date()


def body_today() -> date:
    return local_date(utcnow())


def working_calendar(*, cuti_bersama_non_working: bool | None = None) -> WorkingCalendar:
    """A calendar for this request; years load lazily on first use (imported ones only)."""
    if cuti_bersama_non_working is None:
        cuti_bersama_non_working = current_app.config["CUTI_BERSAMA_NON_WORKING"]
    return WorkingCalendar(active_closures, cuti_bersama_non_working=cuti_bersama_non_working)


def clock_rules() -> ClockRules:
    config = current_app.config
    cutoff = None
    if config.get("RECEIPT_CUTOFF"):
        from datetime import time

        cutoff = time.fromisoformat(config["RECEIPT_CUTOFF"])
    return ClockRules(
        notice_wd=config["NOTICE_WD"],
        extension_wd=config["EXTENSION_WD"],
        objection_filing_wd=config["OBJECTION_FILING_WD"],
        objection_response_wd=config["OBJECTION_RESPONSE_WD"],
        dispute_filing_wd=config["DISPUTE_FILING_WD"],
        ki_start_wd=config["KI_START_WD"],
        ki_finish_wd=config["KI_FINISH_WD"],
        court_filing_wd=config["COURT_FILING_WD"],
        cassation_filing_days=config["CASSATION_FILING_DAYS"],
        unit_buffer_wd=config["UNIT_BUFFER_WD"],
        completion_wd=config["INCOMPLETE_COMPLETION_WD"],
        cutoff=cutoff,
    )
