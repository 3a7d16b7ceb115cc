"""Reads about answers published from requests: the item a request's answer became, the files
that may be published, and the public summary of the request behind an item (no applicant)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..attachments.models import Attachment, AttachmentPurpose, Visibility
from ..extensions import db
from ..notices.models import Delivery
from ..organisation.models import Unit
from ..requests.models import InformationRequest
from ..routing.models import RoutingTask
from ..workcalendar.selectors import working_calendar
from .models import InformationItem, ItemStatus


def answer_item_of(request_id: int) -> InformationItem | None:
    """The catalogue item published (or proposed) from this request, withdrawn ones aside."""
    return db.session.scalar(select(InformationItem).where(
        InformationItem.source_request_id == request_id, InformationItem.status != ItemStatus.WITHDRAWN)
        .order_by(InformationItem.id.desc()).limit(1))


def answered_from_catalogue(request_id: int) -> bool:
    """The request was answered by pointing to an item already published (delivery "published")."""
    return db.session.scalar(select(Delivery.id).where(Delivery.request_id == request_id,
                                                       Delivery.published_item_id.is_not(None)).limit(1)) is not None


def source_request_of(item: InformationItem) -> InformationRequest | None:
    """The request an item was published from (for the desk; the public sees the summary only)."""
    return db.session.get(InformationRequest, item.source_request_id) if item.source_request_id else None


def publishable_files(request: InformationRequest) -> list[Attachment]:
    """The files delivered to the applicant: what was released, the only documents offered."""
    return list(db.session.scalars(select(Attachment).where(
        Attachment.request_id == request.id, Attachment.purpose == AttachmentPurpose.INFORMATION,
        Attachment.visibility == Visibility.APPLICANT).order_by(Attachment.id)))


def request_units(request_id: int) -> list[Unit]:
    """The units the request was routed to, in routing order (the item's unit is one of them)."""
    ids = list(dict.fromkeys(db.session.scalars(select(RoutingTask.unit_id).where(RoutingTask.request_id == request_id)
                                                 .order_by(RoutingTask.routed_at, RoutingTask.id))))
    units = {unit.id: unit for unit in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))} if ids else {}
    return [units[i] for i in ids if i in units]


@dataclass(frozen=True)
class RequestSummary:
    """What the public learns of the request behind a published answer: never who asked."""

    number: str
    received_on: date
    notice_on: date | None
    delivered_on: date | None
    working_days: int | None  # receipt to written notice, in the body's working days
    outcome: str | None
    text: str
    units: list[str]


def public_request_summary(item: InformationItem) -> RequestSummary | None:
    if item.source_request_id is None or item.status != ItemStatus.PUBLISHED:
        return None
    request = db.session.get(InformationRequest, item.source_request_id)
    if request is None:
        return None
    days = None
    if request.notice_on is not None:
        days = working_calendar().working_days_between(request.receipt_date, request.notice_on)
    return RequestSummary(number=request.number, received_on=request.receipt_date, notice_on=request.notice_on,
                          delivered_on=request.delivered_on, working_days=days, outcome=request.outcome,
                          text=item.request_summary or "", units=[u.name for u in request_units(request.id)])
