"""Who a request may be assigned to (reads only): the active officers of the unit that handles it.

The request is the PPID Utama's work, so its desk officers and PPID Utama may always be named;
a PPID Pembantu officer only while their unit holds a live (not cancelled) task on the request.
Supervisors, the Atasan PPID and administrators do not work requests and are not offered.
"""

from __future__ import annotations

from sqlalchemy import and_, exists, or_, select

from ..accounts.models import Role, User, UserRole
from ..extensions import db
from ..requests.models import InformationRequest
from ..routing.models import RoutingTask, TaskStatus

DESK_WORKERS = (Role.PETUGAS.value, Role.PPID_UTAMA.value)


def _has_role(*roles: str):
    return exists().where(UserRole.user_id == User.id, UserRole.role.in_(roles))


def _assignable(item: InformationRequest):
    live_task_of_unit = exists().where(
        RoutingTask.request_id == item.id, RoutingTask.unit_id == User.unit_id,
        RoutingTask.status != TaskStatus.CANCELLED.value)
    return and_(User.active.is_(True), User.deleted_at.is_(None),
                or_(_has_role(*DESK_WORKERS), and_(_has_role(Role.PEMBANTU.value), live_task_of_unit)))


def assignable_officers(item: InformationRequest) -> list[User]:
    """The officers this request may be assigned to, by name."""
    return list(db.session.scalars(select(User).where(_assignable(item)).order_by(User.name, User.id)))


def assignable_officer(item: InformationRequest, user_id: int) -> User | None:
    """That officer, if the request may be assigned to them (else None)."""
    return db.session.scalar(select(User).where(User.id == user_id, _assignable(item)))
