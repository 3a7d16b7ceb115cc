"""Reads for routing (disposisi): a request's tasks, a unit's tasks, the units to route to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from ..attachments.models import Attachment, AttachmentPurpose
from ..extensions import db
from ..organisation.models import Unit, UnitKind
from ..requests.gates import STATUS_GATES, Gate
from ..requests.models import InformationRequest
from .models import RoutingTask, TaskStatus

# A request can be routed, and its tasks answered, only while it waits for the written notice.
ROUTABLE_STATUSES = STATUS_GATES[Gate.ROUTE]


def routable_units(ids: Collection[int] | None = None) -> list[Unit]:
    """Active PPID Pembantu units, by name (only those of ``ids`` when given): what routing offers."""
    query = select(Unit).where(Unit.kind == UnitKind.PEMBANTU, Unit.active.is_(True)).order_by(Unit.name)
    if ids is not None:
        if not ids:
            return []
        query = query.where(Unit.id.in_(sorted(ids)))
    return list(db.session.scalars(query))


def tasks_of_request(request_id: int, *, unit_id: int | None = None) -> list[RoutingTask]:
    """A request's tasks, oldest first (only one unit's when ``unit_id`` is given)."""
    query = (select(RoutingTask).where(RoutingTask.request_id == request_id)
             .options(selectinload(RoutingTask.routed_by), selectinload(RoutingTask.answered_by))
             .order_by(RoutingTask.routed_at, RoutingTask.id))
    if unit_id is not None:
        query = query.where(RoutingTask.unit_id == unit_id)
    return list(db.session.scalars(query))


def open_task_unit_ids(request_id: int) -> set[int]:
    return set(db.session.scalars(select(RoutingTask.unit_id).where(
        RoutingTask.request_id == request_id, RoutingTask.status == TaskStatus.OPEN)))


def task_documents(task_ids: list[int]) -> dict[int, list[Attachment]]:
    """The documents units attached to their answers, per task id."""
    found: dict[int, list[Attachment]] = defaultdict(list)
    if not task_ids:
        return found
    rows = db.session.scalars(
        select(Attachment).where(Attachment.task_id.in_(task_ids),
                                 Attachment.purpose == AttachmentPurpose.UNIT_ANSWER)
        .order_by(Attachment.id))
    for attachment in rows:
        found[attachment.task_id].append(attachment)
    return found


@dataclass(frozen=True)
class UnitTaskPage:
    rows: list[tuple[RoutingTask, InformationRequest]]
    page: int
    pages: int
    total: int
    open_count: int


def unit_task_page(unit_id: int, *, page: int = 1, per_page: int = 50) -> UnitTaskPage:
    """One unit's tasks: open first by internal due, then returned, then the rest (newest due first)."""
    # An open task on a request that no longer waits for units (notice issued, withdrawn …)
    # is not work to do: it sorts with the closed ones.
    live = (RoutingTask.status == TaskStatus.OPEN) & InformationRequest.status.in_(
        [str(status) for status in ROUTABLE_STATUSES])
    joined = (select(RoutingTask, InformationRequest)
              .join(InformationRequest, InformationRequest.id == RoutingTask.request_id)
              .where(RoutingTask.unit_id == unit_id))
    total, open_count = db.session.execute(
        select(func.count(RoutingTask.id), func.count(RoutingTask.id).filter(live))
        .join(InformationRequest, InformationRequest.id == RoutingTask.request_id)
        .where(RoutingTask.unit_id == unit_id)).one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rank = case((live, 0), (RoutingTask.status == TaskStatus.RETURNED, 1), else_=2)
    due_order = case((live, RoutingTask.internal_due), else_=None)
    rows = db.session.execute(
        joined
        .order_by(rank, due_order, RoutingTask.internal_due.desc(), RoutingTask.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return UnitTaskPage([(task, item) for task, item in rows], page, pages, total, open_count)
