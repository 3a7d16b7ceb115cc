"""Reads for officer administration: the list, the last-administrator count, units by code,
pending invitations, and the units whose open tasks no active officer holds."""

from __future__ import annotations

import hmac
import math
from dataclasses import dataclass
from enum import StrEnum

from flask import has_request_context, request
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..organisation.models import Unit
from .invitation_tokens import read_invitation_token
from .models import Role, User, UserRole
from .role_labels import STAFF_ROLES
from .tokens import TokenInvalid, password_fingerprint

PER_PAGE = 25
INVITATION_KINDS = ("officer_invited", "invitation_resent")
HELD_CACHE_KEY = "ppid_desk.units_held_by_inactive"


class OfficerStatus(StrEnum):
    ACTIVE = "aktif"
    INVITED = "diundang"  # active, but the invitation was not accepted yet
    INACTIVE = "nonaktif"


def officer_status(user: User) -> OfficerStatus:
    if not user.active:
        return OfficerStatus.INACTIVE
    return OfficerStatus.INVITED if user.email_verified_at is None else OfficerStatus.ACTIVE


def _has_role(*roles: str):
    return exists().where(UserRole.user_id == User.id, UserRole.role.in_(roles))


def is_staff(user: User | None) -> bool:
    return user is not None and bool(user.roles.intersection(STAFF_ROLES))


# --- the list -------------------------------------------------------------------------------

@dataclass(frozen=True)
class OfficerFilters:
    words: str = ""
    role: str | None = None
    status: OfficerStatus | None = None


@dataclass(frozen=True)
class OfficerPage:
    rows: list[User]
    total: int
    page: int
    pages: int


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def officer_list_page(filters: OfficerFilters, *, page: int = 1, per_page: int = PER_PAGE) -> OfficerPage:
    """Users holding a staff role, by name; searched in name and e-mail, filtered by role and
    status. Three queries whatever the page size: count, rows (with units), their roles."""
    conditions = [_has_role(*STAFF_ROLES)]
    for word in filters.words.split()[:8]:
        pattern = f"%{_escape_like(word.lower())}%"
        conditions.append(or_(func.lower(User.name).like(pattern, escape="\\"),
                              func.lower(User.email).like(pattern, escape="\\")))
    if filters.role:
        conditions.append(_has_role(filters.role))
    if filters.status == OfficerStatus.INACTIVE:
        conditions.append(User.active.is_(False))
    elif filters.status == OfficerStatus.INVITED:
        conditions.extend([User.active.is_(True), User.email_verified_at.is_(None)])
    elif filters.status == OfficerStatus.ACTIVE:
        conditions.extend([User.active.is_(True), User.email_verified_at.is_not(None)])
    total = db.session.scalar(select(func.count(User.id)).where(*conditions)) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    rows = list(db.session.scalars(
        select(User).where(*conditions).options(selectinload(User.unit))
        .order_by(func.lower(User.name), User.id).limit(per_page).offset((page - 1) * per_page)
    )) if total else []
    return OfficerPage(rows=rows, total=total, page=page, pages=pages)


def officers_for_export() -> list[User]:
    """Every officer (staff role), by e-mail: `flask ppid users list --csv`."""
    return list(db.session.scalars(
        select(User).where(_has_role(*STAFF_ROLES)).options(selectinload(User.unit)).order_by(User.email)))


def officer_or_none(user_id: int) -> User | None:
    """The user, if it is an officer (holds a staff role); a citizen account is not administered here."""
    user = db.session.get(User, user_id)
    return user if is_staff(user) else None


def users_by_email(emails) -> dict[str, User]:
    """The accounts of these addresses (normalised), in one query per 500 addresses."""
    wanted = sorted({email for email in emails if email})
    found: dict[str, User] = {}
    for start in range(0, len(wanted), 500):
        for user in db.session.scalars(select(User).where(func.lower(User.email).in_(wanted[start:start + 500]))):
            found[user.email.lower()] = user
    return found


# --- the last administrator ---------------------------------------------------------------

def active_admin_ids(*, lock: bool = False) -> set[int]:
    """Ids of the administrators who can act: active, with a password of their own (an invited
    administrator who never accepted cannot log in).

    ``lock`` first locks those rows (PostgreSQL; SQLite has one writer at a time anyway), then
    counts again in a new statement: of two transactions removing two different administrators at
    once, the second waits for the first and then sees its change."""
    query = select(User.id).where(User.active.is_(True), User.email_verified_at.is_not(None),
                                  _has_role(Role.ADMIN.value))
    if lock:
        db.session.execute(query.with_for_update()).all()
    return set(db.session.scalars(query))


# --- units ----------------------------------------------------------------------------------

def unit_choices() -> list[Unit]:
    """Units an officer can be placed in: active ones, by name."""
    return list(db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name, Unit.code)))


def units_by_code() -> dict[str, Unit]:
    """Every unit by its code (case-insensitive key: upper case)."""
    return {unit.code.upper(): unit for unit in db.session.scalars(select(Unit))}


def units_held_by_inactive() -> set[int]:
    """Units whose PPID Pembantu officers are all deactivated (at least one was): their open tasks
    are held by a deactivated officer. Routing tasks are given to a unit, not to a person, so this
    is what "held by" means here. One query per HTTP request (cached with the request)."""
    cache = request.environ if has_request_context() else {}
    cached = cache.get(HELD_CACHE_KEY)
    if cached is not None:
        return cached
    pembantu = (select(User.unit_id).join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role == Role.PEMBANTU.value, User.unit_id.is_not(None)))
    inactive = pembantu.where(User.active.is_(False))
    active = pembantu.where(User.active.is_(True))
    held = set(db.session.scalars(inactive.except_(active)))
    cache[HELD_CACHE_KEY] = held
    return held


def open_task_count(unit_id: int | None) -> int:
    """Open routing tasks of a unit (shown when its officer is deactivated)."""
    if unit_id is None:
        return 0
    from ..routing.models import RoutingTask, TaskStatus

    return db.session.scalar(select(func.count(RoutingTask.id)).where(
        RoutingTask.unit_id == unit_id, RoutingTask.status == TaskStatus.OPEN)) or 0


def other_active_unit_officers(user: User) -> int:
    """Active PPID Pembantu officers of ``user``'s unit other than ``user``."""
    if user.unit_id is None:
        return 0
    return db.session.scalar(select(func.count(User.id)).where(
        User.unit_id == user.unit_id, User.id != user.id, User.active.is_(True),
        _has_role(Role.PEMBANTU.value))) or 0


# --- invitations ----------------------------------------------------------------------------

def last_invitation_id(user_id: int) -> int | None:
    """The id of the latest invitation event of the user: only the link sent with it works."""
    from ..audit.models import Event

    return db.session.scalar(select(func.max(Event.id)).where(
        Event.subject_type == "user", Event.subject_id == user_id, Event.kind.in_(INVITATION_KINDS)))


def user_for_invitation(token: str) -> User:
    """The active officer an invitation link was sent to, while it is the latest link sent and the
    password was never set since; raises TokenInvalid."""
    user_id, fingerprint, invitation_id = read_invitation_token(token)
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.email_verified_at is not None:
        raise TokenInvalid()
    if invitation_id != last_invitation_id(user.id):
        raise TokenInvalid()  # a newer invitation was sent
    if not hmac.compare_digest(fingerprint, password_fingerprint(user.password_hash)):
        raise TokenInvalid()  # the password was set since: the link is used up
    return user
