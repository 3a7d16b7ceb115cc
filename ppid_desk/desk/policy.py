"""Who may see and do what on the officer desk (DESIGN §3), checked per object.

Views call these before building any template context; templates only hide buttons.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import exists, select

from ..accounts.models import Role, User
from ..extensions import db
from ..requests.models import InformationRequest

DESK_ROLES = frozenset({Role.PETUGAS, Role.PPID_UTAMA, Role.PEMBANTU, Role.ATASAN, Role.PENGAWAS, Role.ADMIN})
# Roles that read every request; a PPID Pembantu officer reads only what was routed to its unit.
READ_ALL_ROLES = frozenset({Role.PETUGAS, Role.PPID_UTAMA, Role.ATASAN, Role.PENGAWAS, Role.ADMIN})


class Action(StrEnum):
    REGISTER = "register"  # desk registration of walk-in, letter, e-mail, phone requests
    CHECK_COMPLETENESS = "check_completeness"
    ROUTE = "route"  # disposisi, reassign
    ANSWER_TASK = "answer_task"  # a unit answers or returns its task
    ISSUE_NOTICE = "issue_notice"
    EXTEND = "extend"
    DELIVER = "deliver"
    CLOSE = "close"
    WITHDRAW = "withdraw"  # record an applicant's withdrawal received by letter, phone, e-mail or in person
    NOTE = "note"
    VIEW_IDENTITY = "view_identity"  # the NIK in full and the identity document (logged)
    ADMIN_CALENDAR = "admin_calendar"
    VIEW_OBJECTION = "view_objection"  # read objections, their responses and disputes
    REGISTER_OBJECTION = "register_objection"  # an objection received on paper
    OBJECTION_ACCOUNT = "objection_account"  # PPID Utama's account of the case
    RESPOND_OBJECTION = "respond_objection"  # the Atasan PPID's written response
    RECORD_DISPUTE = "record_dispute"  # the Komisi Informasi's number, stages and outcome


ACTION_ROLES: dict[Action, frozenset[str]] = {
    Action.REGISTER: frozenset({Role.PETUGAS, Role.PPID_UTAMA}),
    Action.CHECK_COMPLETENESS: frozenset({Role.PETUGAS, Role.PPID_UTAMA}),
    Action.ROUTE: frozenset({Role.PPID_UTAMA}),
    Action.ANSWER_TASK: frozenset({Role.PEMBANTU}),
    Action.ISSUE_NOTICE: frozenset({Role.PPID_UTAMA}),
    Action.EXTEND: frozenset({Role.PPID_UTAMA}),
    Action.DELIVER: frozenset({Role.PPID_UTAMA, Role.PETUGAS}),
    Action.CLOSE: frozenset({Role.PPID_UTAMA}),
    Action.WITHDRAW: frozenset({Role.PETUGAS, Role.PPID_UTAMA}),
    Action.NOTE: frozenset({Role.PETUGAS, Role.PPID_UTAMA, Role.PEMBANTU, Role.ATASAN}),
    Action.VIEW_IDENTITY: frozenset({Role.PETUGAS, Role.PPID_UTAMA, Role.ATASAN}),
    Action.ADMIN_CALENDAR: frozenset({Role.ADMIN}),
    # Objections are seen by the applicant, the Atasan PPID, PPID Utama and supervisors (issue 4).
    Action.VIEW_OBJECTION: frozenset({Role.ATASAN, Role.PPID_UTAMA, Role.PENGAWAS}),
    Action.REGISTER_OBJECTION: frozenset({Role.PETUGAS, Role.PPID_UTAMA}),
    Action.OBJECTION_ACCOUNT: frozenset({Role.PPID_UTAMA}),
    Action.RESPOND_OBJECTION: frozenset({Role.ATASAN}),
    Action.RECORD_DISPUTE: frozenset({Role.PPID_UTAMA, Role.ATASAN}),
}


def is_desk_user(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*DESK_ROLES)


def routed_to_unit(item: InformationRequest, unit_id: int | None) -> bool:
    if unit_id is None:
        return False
    from ..routing.models import RoutingTask

    return bool(db.session.scalar(select(exists().where(
        RoutingTask.request_id == item.id, RoutingTask.unit_id == unit_id))))


def can_view(user: User | None, item: InformationRequest) -> bool:
    if not is_desk_user(user):
        return False
    if user.has_role(*READ_ALL_ROLES):
        return True
    return user.has_role(Role.PEMBANTU) and routed_to_unit(item, user.unit_id)


def can(user: User | None, action: Action, item: InformationRequest | None = None) -> bool:
    """May ``user`` do ``action`` (on ``item``)? A unit officer acts only on its unit's tasks."""
    if not is_desk_user(user) or not user.has_role(*ACTION_ROLES[action]):
        return False
    if item is None:
        return True
    if not can_view(user, item):
        return False
    if user.has_role(*READ_ALL_ROLES):
        return True
    return action in (Action.ANSWER_TASK, Action.NOTE)  # unit officer, on a routed request
