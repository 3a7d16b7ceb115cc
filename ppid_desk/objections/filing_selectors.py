"""Reads of objection filing: the objections of a request and their papers, the 30-WD filing
window (Pasal 35) and the grounds the facts suggest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import exists, select

from ..attachments.models import Attachment
from ..extensions import db
from ..requests.models import InformationRequest, Outcome
from ..sla import WorkingCalendar, objection_filing_due
from ..workcalendar.selectors import body_today, clock_rules, local_date, working_calendar
from .models import Objection, ObjectionStatus


def objections_of(request: InformationRequest) -> list[Objection]:
    return list(db.session.scalars(
        select(Objection).where(Objection.request_id == request.id).order_by(Objection.filed_at, Objection.id)))


def open_objection_of(request: InformationRequest) -> Objection | None:
    return db.session.scalar(
        select(Objection).where(Objection.request_id == request.id,
                                Objection.status == ObjectionStatus.REGISTERED).limit(1))


def has_objections(request: InformationRequest) -> bool:
    return bool(db.session.scalar(select(exists().where(Objection.request_id == request.id))))


def _ground(request: InformationRequest, on: date) -> tuple[date | None, str]:
    if request.notice_at is not None and local_date(request.notice_at) <= on:
        return local_date(request.notice_at), "notice"
    stopped = request.clock_stopped_at  # a withdrawal before the due: the body was not late
    if on > request.current_due and (stopped is None or local_date(stopped) > request.current_due):
        return request.current_due + timedelta(days=1), "missed_deadline"
    return None, "none"


def ground_date_for(request: InformationRequest, calendar: WorkingCalendar | None = None, *,
                    on: date | None = None) -> date | None:
    """The day the objection's ground arose, as seen on ``on`` (default today).

    The local date of the written notice when one was issued (by then); otherwise, once the
    notice deadline has passed, the day after it; otherwise None: no ground yet (an objection
    is still allowed, e.g. on grounds d–f, and its window then counts from the filing day).
    ``calendar`` is accepted for symmetry with the clock functions; calendar days are used.
    """
    return _ground(request, on or body_today())[0]


@dataclass(frozen=True)
class ObjectionWindow:
    ground_date: date  # the ground's day, or ``on`` itself when there is none yet
    source: str  # "notice", "missed_deadline" or "none"
    filing_due: date
    late: bool  # ``on`` is after ``filing_due``


def objection_window(request: InformationRequest, *, on: date | None = None,
                     calendar: WorkingCalendar | None = None) -> ObjectionWindow:
    on = on or body_today()
    calendar = calendar or working_calendar()
    ground, source = _ground(request, on)
    ground = ground or on
    due = objection_filing_due(ground, calendar, clock_rules())
    return ObjectionWindow(ground_date=ground, source=source, filing_due=due, late=on > due)


def suggested_grounds(request: InformationRequest, today: date) -> set[str]:
    """Grounds the record already supports; the applicant chooses (these are pre-ticked)."""
    grounds: set[str] = set()
    if _ground(request, today)[1] == "missed_deadline":
        grounds |= {"c", "g"}
    refused = request.outcome == Outcome.REFUSED or (
        request.outcome == Outcome.GRANTED_PARTIAL and bool(request.pasal17_basis))
    if refused:
        grounds.add("a")
    if (request.fee_amount or 0) > 0:
        grounds.add("f")
    return grounds


def objection_documents(objection: Objection) -> list[Attachment]:
    """The papers filed with an objection (power of attorney, the letter received on paper)."""
    return list(db.session.scalars(
        select(Attachment).where(Attachment.objection_id == objection.id).order_by(Attachment.id)))


def objection_document_of(objection: Objection, attachment_id: int) -> Attachment | None:
    """One paper of this objection (None when the id belongs to another objection or none)."""
    return db.session.scalar(select(Attachment).where(
        Attachment.id == attachment_id, Attachment.objection_id == objection.id))
