"""What the desk's intake panels and document downloads read (no writes): the request's internal
notes, the papers the applicant gave, one file of the request, the latest completion."""

from __future__ import annotations

from sqlalchemy import or_, select

from ..attachments.models import PERSONAL_PURPOSES, Attachment
from ..audit.personal import unsealed
from ..audit.selectors import events_for
from ..extensions import db
from ..requests.models import InformationRequest, InternalNote, RequestStatus
from ..routing.models import RoutingTask


def last_completion(item: InformationRequest) -> dict | None:
    """What the applicant sent with the latest completion, while it waits for a new check."""
    if item.status != RequestStatus.REGISTERED or item.accepted_at is not None:
        return None
    completed = [e for e in events_for("request", item.id) if e.kind == "completed"]
    return unsealed(completed[-1].data) if completed else None


def notes_of(item: InformationRequest) -> list[InternalNote]:
    """The request's internal notes, oldest first."""
    return list(db.session.scalars(select(InternalNote).where(InternalNote.request_id == item.id)
                                   .order_by(InternalNote.created_at, InternalNote.id)))


def personal_documents_of(item: InformationRequest) -> list[Attachment]:
    """The papers the applicant gave with the request (identity, power of attorney, completion),
    not an objection's and not the units' answers."""
    return list(db.session.scalars(
        select(Attachment).where(Attachment.request_id == item.id, Attachment.objection_id.is_(None),
                                 Attachment.purpose.in_(PERSONAL_PURPOSES))
        .order_by(Attachment.created_at, Attachment.id)))


def request_attachment(item: InformationRequest, attachment_id: int) -> tuple[Attachment, int | None] | None:
    """One file of the request (its own or one of its routing tasks', never an objection's) with
    the unit of the task it came with (None for the request's own files); None if there is none."""
    found = db.session.execute(
        select(Attachment, RoutingTask.unit_id)
        .outerjoin(RoutingTask, RoutingTask.id == Attachment.task_id)
        .where(Attachment.id == attachment_id, Attachment.objection_id.is_(None),
               or_(Attachment.request_id == item.id, RoutingTask.request_id == item.id))
    ).first()
    return None if found is None else (found[0], found[1])
