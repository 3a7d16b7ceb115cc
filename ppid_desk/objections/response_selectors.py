"""Reads of the Atasan PPID's response: the objection queue (filters, one page), the response
clock, the answered objections and the release order of a request."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..requests.models import Applicant, InformationRequest
from ..sla import ClockReading, WorkingCalendar, read_clock
from ..workcalendar.clock_sql import clock_state_condition
from ..workcalendar.selectors import local_date
from .lifecycle import objection_clock_running
from .models import Objection, ObjectionStatus


def release_order_of(item: InformationRequest) -> Objection | None:
    """The latest objection whose response ordered this request's information released."""
    return db.session.scalar(
        select(Objection).where(Objection.request_id == item.id, Objection.release_by.is_not(None))
        .order_by(Objection.responded_at.desc(), Objection.id.desc()).limit(1))


def answered_objections(item: InformationRequest) -> list[Objection]:
    return list(db.session.scalars(
        select(Objection).where(Objection.request_id == item.id,
                                Objection.status.in_([ObjectionStatus.RESPONDED, ObjectionStatus.SETTLED]))
        .order_by(Objection.id)))


def objection_clock(objection: Objection, calendar: WorkingCalendar, today: date,
                    due_soon_wd: int) -> ClockReading:
    """The response clock: stopped by the response, or by a withdrawal."""
    stopped = local_date(objection.responded_at) if objection.responded_at else None
    if stopped is None and objection.status == ObjectionStatus.WITHDRAWN:
        stopped = local_date(objection.withdrawn_at) if objection.withdrawn_at else today
    return read_clock(objection.response_due, today, calendar, stopped_on=stopped, due_soon_wd=due_soon_wd)


class ClockFilter:
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class ObjectionFilters:
    statuses: frozenset[str] | None = frozenset({ObjectionStatus.REGISTERED})  # None: every status
    late: bool | None = None  # filed after the 30-WD filing window
    clock: str | None = None
    words: tuple[str, ...] = ()
    decision: str | None = None  # the Atasan's decision (ObjectionDecision), e.g. "inadmissible"

    @property
    def is_default(self) -> bool:
        return self == ObjectionFilters()


@dataclass
class ObjectionPage:
    items: list[Objection]
    total: int
    page: int
    pages: int


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _clock_condition(state: str, today: date, calendar: WorkingCalendar, due_soon_wd: int) -> ColumnElement[bool]:
    """Matches ``read_clock`` on open objections: the one SQL form the request queue and monev use."""
    return clock_state_condition(state, running=objection_clock_running(), due=Objection.response_due,
                                 today=today, calendar=calendar, due_soon_wd=due_soon_wd)


def objection_queue_page(filters: ObjectionFilters, *, page: int, today: date, calendar: WorkingCalendar,
                         due_soon_wd: int, per_page: int = 25) -> ObjectionPage:
    """One page of objections, nearest response due first: a count and one joined query."""
    conditions: list[ColumnElement[bool]] = []
    if filters.statuses is not None:
        conditions.append(Objection.status.in_(sorted(filters.statuses)))
    if filters.late is not None:
        conditions.append(Objection.late.is_(filters.late))
    if filters.decision is not None:
        conditions.append(Objection.decision == filters.decision)
    if filters.clock is not None:
        conditions.append(_clock_condition(filters.clock, today, calendar, due_soon_wd))
    for word in filters.words:
        pattern = _like(word)
        conditions.append(or_(Objection.number.ilike(pattern, escape="\\"),
                              InformationRequest.number.ilike(pattern, escape="\\"),
                              Applicant.name.ilike(pattern, escape="\\")))
    joined = (select(func.count()).select_from(Objection)
              .join(InformationRequest, InformationRequest.id == Objection.request_id)
              .join(Applicant, Applicant.id == InformationRequest.applicant_id))
    total = db.session.scalar(joined.where(*conditions)) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    items = list(db.session.scalars(
        select(Objection)
        .join(Objection.request).join(InformationRequest.applicant)
        .options(contains_eager(Objection.request).contains_eager(InformationRequest.applicant))
        .where(*conditions)
        .order_by(Objection.response_due, Objection.id)
        .limit(per_page).offset((page - 1) * per_page))) if total else []
    return ObjectionPage(items=items, total=total, page=page, pages=pages)
