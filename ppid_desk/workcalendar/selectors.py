"""Reads: the working calendar the SLA rules compute on, built from the Holiday table."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from ..dbtypes import utcnow
from ..extensions import db
from ..organisation.profile_selectors import body_timezone
from ..sla import ClockRules, ClosedDay, ClosureKind, WorkingCalendar
from .models import Holiday
from .services import calendar_year_import, calendar_year_is_imported


def active_closures(year: int) -> list[ClosedDay]:
    """Active holiday rows of one year, importing the year first if it never was."""
    if not calendar_year_is_imported(year):
        calendar_year_import(year)
    rows = db.session.execute(
        select(Holiday.day, Holiday.kind, Holiday.name)
        .where(Holiday.active.is_(True), Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
        .order_by(Holiday.day, Holiday.id)
    )
    return [ClosedDay(day, ClosureKind(kind), name) for day, kind, name in rows]


def local_date(moment: datetime) -> date:
    """The calendar date of ``moment`` in the body's time zone (never the browser's)."""
    return moment.astimezone(ZoneInfo(body_timezone())).date()


def body_today() -> date:
    return local_date(utcnow())


def working_calendar(*, cuti_bersama_non_working: bool | None = None) -> WorkingCalendar:
    """A calendar for this request; years load lazily on first use."""
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
        unit_buffer_wd=config["UNIT_BUFFER_WD"],
        cutoff=cutoff,
    )
