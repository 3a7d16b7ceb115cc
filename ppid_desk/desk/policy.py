"""Who may see and do what on the officer desk (DESIGN §3), checked per object.

Views call these before building any template context; templates only hide buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import exists, select

from ..accounts.models import Role, User
from ..accounts.roles import READ_ALL_ROLES, STAFF_ROLES
from ..attachments.models import Attachment, is_personal
from ..extensions import db
from ..requests.models import InformationRequest


class Action(StrEnum):
    REGISTER = "register"  # desk registration of walk-in, letter, e-mail, phone requests
    CHECK_COMPLETENESS = "check_completeness"
    ROUTE = "route"  # disposisi, reassign
    ASSIGN = "assign"  # triage: name the officer who handles a request (assign, reassign, unassign)
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
    # The day a notice or extension letter sent by post or courier was received, with its proof
    RECORD_LETTER_RECEIPT = "record_letter_receipt"
    RECORD_RESPONSE_RECEIPT = "record_response_receipt"  # the same for the Atasan's response


ACTION_ROLES: dict[Action, frozenset[str]] = {
    Action.REGISTER: frozenset({Role.PETUGAS, Role.PPID_UTAMA}),
    Action.CHECK_COMPLETENESS: frozenset({Role.PETUGAS, Role.PPID_UTAMA}),
    Action.ROUTE: frozenset({Role.PPID_UTAMA}),
    # PPID Utama and the desk officers who triage (DESIGN §1: the petugas layanan "triages").
    Action.ASSIGN: frozenset({Role.PPID_UTAMA, Role.PETUGAS}),
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
    Action.RECORD_LETTER_RECEIPT: frozenset({Role.PETUGAS, Role.PPID_UTAMA}),
    Action.RECORD_RESPONSE_RECEIPT: frozenset({Role.PPID_UTAMA, Role.ATASAN}),
}


def is_desk_user(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*STAFF_ROLES)


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


def issues_own_notices(user: User, item: InformationRequest | None) -> bool:
    """A PPID Pembantu officer of an active unit that issues written notices itself (a PPID
    Pelaksana), on a request holding a live task to that unit (any such request without ``item``)."""
    if not user.has_role(Role.PEMBANTU) or user.unit_id is None:
        return False
    unit = user.unit
    if unit is None or not unit.active or not unit.issues_notices:
        return False
    if item is None:
        return True
    from ..routing.models import RoutingTask, TaskStatus

    return bool(db.session.scalar(select(exists().where(
        RoutingTask.request_id == item.id, RoutingTask.unit_id == unit.id,
        RoutingTask.status != TaskStatus.CANCELLED.value))))


def can(user: User | None, action: Action, item: InformationRequest | None = None) -> bool:
    """May ``user`` do ``action`` (on ``item``)? A unit officer acts only on its unit's tasks."""
    if action == Action.ISSUE_NOTICE and is_desk_user(user) and issues_own_notices(user, item):
        return True
    if not is_desk_user(user) or not user.has_role(*ACTION_ROLES[action]):
        return False
    if item is None:
        return True
    if not can_view(user, item):
        return False
    if user.has_role(*READ_ALL_ROLES):
        return True
    return action in (Action.ANSWER_TASK, Action.NOTE)  # unit officer, on a routed request


# --- documents and the applicant --------------------------------------------------------------

def may_download(user: User | None, attachment: Attachment, item: InformationRequest) -> bool:
    """May ``user`` download ``attachment`` of ``item`` (whose page they may already read)? A file
    that may carry identity (``attachments.models.PERSONAL_PURPOSES``) needs the identity
    permission, whatever route serves it; the caller logs every download."""
    return not is_personal(attachment.purpose) or can(user, Action.VIEW_IDENTITY, item)


def sees_applicant(user: User | None) -> bool:
    """Who asked, and the objections they filed, are shown to officers who read every request; a
    unit officer works on the information asked for, not on who asked (data minimisation)."""
    return is_desk_user(user) and user.has_role(*READ_ALL_ROLES)


def staff_elsewhere(user: User | None, item: InformationRequest) -> bool:
    """A logged-in officer on one of the applicant's pages of a request that is not their own:
    they are sent to the desk's page, so nothing they do is logged as the applicant's."""
    return is_desk_user(user) and item.user_id != user.id


# Request events about objections and disputes, left off a unit officer's timeline.
OBJECTION_EVENT_PREFIXES = ("objection_", "dispute_")
OBJECTION_EVENT_KINDS = frozenset({"release_complied"})


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a timeline as shown (never the audit row itself, which must stay untouched)."""

    at: datetime
    kind: str
    actor_label: str

    @property
    def actor_shown(self) -> str:  # as audit.personal.actor_shown reads an event
        return self.actor_label


def timeline_for(user: User | None, item: InformationRequest, events: list) -> list:
    """The request's events as ``user`` may see them on the desk: all of them for officers who see
    the applicant; for a unit officer, no objection or dispute event, and the applicant's own
    actions labelled "Pemohon" instead of a name (only staff and the system are named)."""
    if sees_applicant(user):
        return events
    from flask_babel import gettext as _

    shown = []
    for event in events:
        if event.kind.startswith(OBJECTION_EVENT_PREFIXES) or event.kind in OBJECTION_EVENT_KINDS:
            continue
        by_staff = event.actor_id is not None and event.actor_id != item.user_id
        by_system = event.actor_id is None and event.actor_label.startswith("Sistem")
        label = event.actor_label if by_staff or by_system else _("Pemohon")
        shown.append(TimelineEntry(at=event.at, kind=event.kind, actor_label=label))
    return shown
