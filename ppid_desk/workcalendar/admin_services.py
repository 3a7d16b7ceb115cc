"""Admin edits of the working-day calendar: add, rename, deactivate, reactivate, import a year.

Every change is logged on the calendar (subject "calendar", one subject per year). A change that
can move a date is announced with ``signals.calendar_changed`` carrying the calendar as it was and
the days changed; each domain that stores a clock recounts its own subjects in its listener
(``requests.recount``, ``routing.recount``, ``objections.recount``), each subject through its
funnel as a ``deadline_recomputed`` event with the dates before and after. The calendar imports
none of them. A rename moves no date (explanations read the name at render time), so it recounts
nothing.

Services: keyword-only, the actor given, flush never commit; ``FieldError`` for what the admin
can correct.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..audit.services import event_log
from ..errors import FieldError
from ..extensions import db
from ..signals import calendar_changed
from ..sla import ClosedDay, ClosureKind, WorkingCalendar
from .models import Holiday, HolidaySource
from .selectors import active_closures
from .services import LIBRARY_SOURCE, calendar_year_import, calendar_years_ensure

FIRST_YEAR, LAST_YEAR = 1950, 2099
ADMIN_KINDS = (ClosureKind.LIBUR_NASIONAL, ClosureKind.CUTI_BERSAMA, ClosureKind.LOCAL_CLOSURE)
NAME_MAX = 200


@dataclass(frozen=True)
class CalendarChange:
    """What an admin edit did: whether anything changed, and whose deadlines moved."""

    year: int
    changed: bool
    holiday: Holiday | None = None
    recomputed: tuple[str, ...] = ()  # numbers of the requests whose deadlines moved
    imported: int = 0  # holidays added by a year import
    # Every subject whose stored clock moved, by kind ("requests", "tasks", "objections",
    # "releases", "disputes"), as the domains' recount listeners answered.
    moved: dict[str, tuple[str, ...]] = field(default_factory=dict)


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
    moved = clocks_recount(actor=actor, reason="year_imported", before=_calendar_with(year, before),
                           first=date(year, 1, 1), last=date(year, 12, 31),
                           holiday={"year": year, "source": LIBRARY_SOURCE}, years=(year,))
    event_log(actor=actor, subject_type="calendar", subject_id=year, kind="year_imported",
              data={"year": year, "added": added, "source": LIBRARY_SOURCE, **_moved_data(moved)})
    return _change(year, moved, imported=added)


# --- recomputation ---------------------------------------------------------------------

def clocks_recount(*, actor: User | None, reason: str, before: WorkingCalendar, first: date, last: date,
                   holiday: dict[str, Any] | None, years: tuple[int, ...]) -> dict[str, list[str]]:
    """Announce a change on days ``first``..``last`` with the calendar as it was (``before``);
    every domain that stores a clock recounts its own subjects (requests, unit tasks, objections,
    release orders, disputes: their ``recount`` listeners) and answers which moved, by kind.

    Returns {kind: [subject names]} over every listener (kinds with nothing moved left out)."""
    moved: dict[str, list[str]] = {}
    for _receiver, answer in calendar_changed.send(None, years=years, first=first, last=last, before=before,
                                                   actor=actor, reason=reason, holiday=holiday):
        for kind, names in (answer or {}).items():
            if names:
                moved.setdefault(kind, []).extend(names)
    return moved


def _date_changed(*, actor: User, kind: str, holiday: Holiday, before: list[ClosedDay]) -> CalendarChange:
    year = holiday.day.year
    moved = clocks_recount(actor=actor, reason=kind, before=_calendar_with(year, before),
                           first=holiday.day, last=holiday.day, holiday=describe(holiday), years=(year,))
    event_log(actor=actor, subject_type="calendar", subject_id=year, kind=kind,
              data={**describe(holiday), **_moved_data(moved)})
    return _change(year, moved, holiday=holiday)


def _moved_data(moved: dict[str, list[str]]) -> dict[str, Any]:
    """What the calendar's event records of the recount: the requests' numbers as before
    (``requests_recomputed``) and every kind's names (``recomputed``)."""
    return {"requests_recomputed": moved.get("requests", []), "recomputed": moved}


def _change(year: int, moved: dict[str, list[str]], **extra) -> CalendarChange:
    return CalendarChange(year=year, changed=True, recomputed=tuple(moved.get("requests", ())),
                          moved={kind: tuple(names) for kind, names in moved.items()}, **extra)


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
