"""Admin edits of the working-day calendar: add, rename, deactivate, reactivate, import a year.

Every change is logged on the calendar (subject "calendar", one subject per year). A change that
can move a date then recomputes the deadlines of the open requests it touches, each through the
request funnel as a ``deadline_recomputed`` event with the dates before and after. A rename moves
no date (explanations read the name at render time), so it recomputes nothing.

Services: keyword-only, the actor given, flush never commit; ``FieldError`` for what the admin
can correct.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..audit.models import Event
from ..audit.services import event_log
from ..errors import FieldError
from ..extensions import db
from ..requests.lifecycle import request_event
from ..requests.models import OPEN_STATUSES, InformationRequest
from ..signals import calendar_changed
from ..sla import ClosedDay, ClosureKind, WorkingCalendar, completion_due, notice_due
from .models import Holiday, HolidaySource
from .selectors import active_closures, clock_rules, local_date, working_calendar
from .services import LIBRARY_SOURCE, calendar_year_import, calendar_years_ensure

FIRST_YEAR, LAST_YEAR = 1950, 2099
ADMIN_KINDS = (ClosureKind.LIBUR_NASIONAL, ClosureKind.CUTI_BERSAMA, ClosureKind.LOCAL_CLOSURE)
NAME_MAX = 200
# Where an "extended" event records its length in working days (notices.services writes
# "working_days"; "wd" is accepted too).
EXTENSION_LENGTH_KEYS = ("working_days", "wd")


@dataclass(frozen=True)
class CalendarChange:
    """What an admin edit did: whether anything changed, and whose deadlines moved."""

    year: int
    changed: bool
    holiday: Holiday | None = None
    recomputed: tuple[str, ...] = ()  # numbers of the requests whose deadlines moved
    imported: int = 0  # holidays added by a year import


# --- the edits -----------------------------------------------------------------------------

def holiday_add(*, actor: User, day: date, kind: str, name: str) -> CalendarChange:
    """Add a libur nasional, cuti bersama or local closure (libur setempat) on ``day``."""
    check_year(day.year, "day")
    if kind not in ADMIN_KINDS:
        raise FieldError("kind", _("Pilih jenis hari libur."))
    name = _clean_name(name)
    calendar_years_ensure(day.year)  # an admin edit imports a year never imported first
    before = list(active_closures(day.year))
    _refuse_duplicate(day, kind, name)
    holiday = Holiday(day=day, kind=str(kind), name=name, source=str(HolidaySource.ADMIN), active=True)
    _flush_or_duplicate(lambda: db.session.add(holiday))
    return _date_changed(actor=actor, kind="holiday_added", holiday=holiday, before=before)


def holiday_set_active(*, actor: User, holiday: Holiday, active: bool) -> CalendarChange:
    """Deactivate a holiday (the day becomes a working day unless another closure remains)
    or reactivate it. Doing what is already done changes nothing and logs nothing."""
    if holiday.active == active:
        return CalendarChange(year=holiday.day.year, changed=False, holiday=holiday)
    calendar_years_ensure(holiday.day.year)
    before = list(active_closures(holiday.day.year))
    holiday.active = active
    db.session.flush()
    kind = "holiday_reactivated" if active else "holiday_deactivated"
    return _date_changed(actor=actor, kind=kind, holiday=holiday, before=before)


def holiday_rename(*, actor: User, holiday: Holiday, name: str) -> CalendarChange:
    """Rename a holiday; no date moves, so no deadline is recomputed."""
    name = _clean_name(name)
    if name == holiday.name:
        return CalendarChange(year=holiday.day.year, changed=False, holiday=holiday)
    _refuse_duplicate(holiday.day, holiday.kind, name, exclude_id=holiday.id)
    old_name = holiday.name

    def rename() -> None:
        holiday.name = name

    _flush_or_duplicate(rename)
    event_log(actor=actor, subject_type="calendar", subject_id=holiday.day.year, kind="holiday_renamed",
              data={**describe(holiday), "name_before": old_name})
    return CalendarChange(year=holiday.day.year, changed=True, holiday=holiday)


def calendar_import(*, actor: User, year: int) -> CalendarChange:
    """Import a never-imported year from the `holidays` package, then recompute."""
    check_year(year, "year")
    before = _active_rows(year)  # what the calendar held for the year without importing it
    added = calendar_year_import(year)
    if added is None:
        raise FieldError("year", _("Hari libur tahun %(year)d sudah pernah diimpor. Impor tidak diulang "
                                   "agar perubahan admin tidak tertimpa; ubah hari libur satu per satu "
                                   "di daftar.", year=year))
    numbers = deadlines_recompute(actor=actor, reason="year_imported", before=_calendar_with(year, before),
                                  first=date(year, 1, 1), last=date(year, 12, 31),
                                  holiday={"year": year, "source": LIBRARY_SOURCE})
    event_log(actor=actor, subject_type="calendar", subject_id=year, kind="year_imported",
              data={"year": year, "added": added, "source": LIBRARY_SOURCE,
                    "requests_recomputed": numbers})
    return CalendarChange(year=year, changed=True, recomputed=tuple(numbers), imported=added)


# --- recomputation ---------------------------------------------------------------------

def deadlines_recompute(*, actor: User | None, reason: str, before: WorkingCalendar, first: date,
                        last: date, holiday: dict[str, Any] | None) -> list[str]:
    """Recompute the deadlines of the open requests a change on days ``first``..``last`` can move.

    A closure on day X moves a request's dates only if receipt_date < X ≤ due_date (or ≤ the
    completion_due of an incomplete request), so only those requests are read (one query), on
    one calendar built after the change. The written
    notice is due ``notice_wd`` working days after the receipt; an extended due keeps the
    extension's length: the "extended" event's ``working_days`` when it records one, otherwise the working
    days between the old notice due and the old extended due, counted on ``before`` (the calendar
    as it was). An incomplete request's completion period keeps its letter's day and length (its
    "marked_incomplete" event). Returns the numbers of the requests whose dates changed.
    """
    items = list(db.session.scalars(
        select(InformationRequest).where(
            InformationRequest.status.in_([str(s) for s in OPEN_STATUSES]),
            InformationRequest.receipt_date < last,
            or_(InformationRequest.due_date >= first, InformationRequest.completion_due >= first))
        .order_by(InformationRequest.id)))
    if not items:
        return []
    after = working_calendar()  # fresh: it caches years per instance
    rules = clock_rules()
    lengths = _extension_lengths([item.id for item in items if item.extended_due is not None])
    periods = _completion_periods([item.id for item in items if item.completion_due is not None])
    changed: list[str] = []
    for item in items:
        changes: dict[str, date] = {}
        new_notice = notice_due(item.receipt_date, after, rules)
        if new_notice != item.notice_due:
            changes["notice_due"] = new_notice
        data: dict[str, Any] = {"reason": reason, "holiday": holiday}
        if item.extended_due is not None:
            wd = lengths.get(item.id)
            if wd is None:
                wd = before.working_days_between(item.notice_due, item.extended_due)
            new_extended = after.add_working_days(new_notice, wd)
            if new_extended != item.extended_due:
                changes["extended_due"] = new_extended
            data["extension_wd"] = wd
        if item.completion_due is not None and item.id in periods:
            # An incomplete request's completion period: its length from its letter's day.
            start, wd = periods[item.id]
            new_completion = completion_due(start, after, replace(rules, completion_wd=wd))
            if new_completion != item.completion_due:
                changes["completion_due"] = new_completion
            data["completion_wd"] = wd
        if changes:
            request_event(actor=actor, item=item, kind="deadline_recomputed", changes=changes, data=data)
            changed.append(item.number)
    return changed


def _extension_lengths(request_ids: list[int]) -> dict[int, int]:
    """The extension length in working days recorded by the latest "extended" event."""
    if not request_ids:
        return {}
    lengths: dict[int, int] = {}
    rows = db.session.execute(
        select(Event.subject_id, Event.data).where(
            Event.subject_type == "request", Event.subject_id.in_(request_ids), Event.kind == "extended")
        .order_by(Event.id))
    for request_id, data in rows:
        for key in EXTENSION_LENGTH_KEYS:
            wd = (data or {}).get(key)
            if isinstance(wd, int) and not isinstance(wd, bool) and wd >= 0:
                lengths[request_id] = wd
                break
    return lengths


def _completion_periods(request_ids: list[int]) -> dict[int, tuple[date, int]]:
    """(letter day, working days) of each request's latest incomplete-notice letter, as its
    "marked_incomplete" event records them."""
    if not request_ids:
        return {}
    periods: dict[int, tuple[date, int]] = {}
    rows = db.session.execute(
        select(Event.subject_id, Event.at, Event.data).where(
            Event.subject_type == "request", Event.subject_id.in_(request_ids), Event.kind == "marked_incomplete")
        .order_by(Event.id))
    for request_id, at, data in rows:
        wd = (data or {}).get("completion_wd")
        if isinstance(wd, int) and not isinstance(wd, bool) and wd >= 0:
            periods[request_id] = (local_date(at), wd)
    return periods


def _date_changed(*, actor: User, kind: str, holiday: Holiday, before: list[ClosedDay]) -> CalendarChange:
    year = holiday.day.year
    calendar_changed.send(None, years=(year,))
    numbers = deadlines_recompute(actor=actor, reason=kind, before=_calendar_with(year, before),
                                  first=holiday.day, last=holiday.day, holiday=describe(holiday))
    event_log(actor=actor, subject_type="calendar", subject_id=year, kind=kind,
              data={**describe(holiday), "requests_recomputed": numbers})
    return CalendarChange(year=year, changed=True, holiday=holiday, recomputed=tuple(numbers))


def _calendar_with(year: int, closures: list[ClosedDay]) -> WorkingCalendar:
    """The calendar as it was before a change to ``year`` (other years are unchanged)."""
    return WorkingCalendar(lambda y: closures if y == year else active_closures(y),
                           cuti_bersama_non_working=current_app.config["CUTI_BERSAMA_NON_WORKING"])


def _active_rows(year: int) -> list[ClosedDay]:
    rows = db.session.execute(
        select(Holiday.day, Holiday.kind, Holiday.name)
        .where(Holiday.active.is_(True), Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
        .order_by(Holiday.day, Holiday.id))
    return [ClosedDay(day, ClosureKind(kind), name) for day, kind, name in rows]


# --- validation ------------------------------------------------------------------------

def describe(holiday: Holiday) -> dict[str, Any]:
    return {"holiday_id": holiday.id, "day": holiday.day.isoformat(), "kind": holiday.kind,
            "name": holiday.name, "source": holiday.source, "active": holiday.active}


def check_year(year: int, field: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise FieldError(field, _("Kalender mencakup tahun %(first)d sampai %(last)d.",
                                  first=FIRST_YEAR, last=LAST_YEAR))


def _clean_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise FieldError("name", _("Tulis nama hari libur."))
    if len(name) > NAME_MAX:
        raise FieldError("name", _("Nama paling banyak %(max)d karakter.", max=NAME_MAX))
    return name


def _refuse_duplicate(day: date, kind: str, name: str, exclude_id: int | None = None) -> None:
    query = select(Holiday).where(Holiday.day == day, Holiday.kind == str(kind),
                                  func.lower(Holiday.name) == name.lower())
    if exclude_id is not None:
        query = query.where(Holiday.id != exclude_id)
    existing = db.session.scalar(query.limit(1))
    if existing is None:
        return
    if existing.active:
        raise FieldError("name", _("Hari libur dengan jenis dan nama ini sudah ada pada tanggal itu."))
    raise FieldError("name", _("Hari libur dengan jenis dan nama ini sudah ada pada tanggal itu, tetapi "
                               "nonaktif. Aktifkan kembali dari daftar."))


def _flush_or_duplicate(change) -> None:
    """Apply ``change`` and flush; a row added meanwhile (unique day/kind/name) is a duplicate.

    No savepoint: with pysqlite a SAVEPOINT outside an explicit transaction commits on release.
    After this error the caller must roll the transaction back (the views do).
    """
    try:
        change()
        db.session.flush()
    except IntegrityError as error:
        raise FieldError("name", _("Hari libur dengan jenis dan nama ini sudah ada pada tanggal itu.")) from error
