"""Officer administration (writes): invite, change roles and unit, deactivate and reactivate,
resend an invitation, accept one. Shared by the admin pages, the CSV import and the CLI.

Every function validates, changes state, logs an event with the state before and after in the
hash-chained log (subject "user"; staff actors by name) and flushes; the caller commits once.
E-mails go through the outbox. There is always at least one administrator who can act: a change
that would leave none is refused before anything is written (``LastAdministrator``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import FieldError, ValidationFailed
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..organisation.models import Unit
from ..web.urls import public_url
from .invitation_tokens import invitation_token
from .models import Role, User, UserRole, hash_password
from .officer_selectors import (
    active_admin_ids,
    is_staff,
    open_task_count,
    other_active_unit_officers,
    user_for_invitation,
)
from .role_labels import STAFF_ROLES, roles_text, sorted_roles
from .selectors import normalise_email, user_by_email
from .services import duration_text, password_problem

NAME_MAX = 200
EMAIL_MAX = 254
CLI_ACTOR = "Konsol server (flask ppid users)"  # the actor label of changes made with the CLI


class LastAdministrator(FieldError):
    """The change would leave no active administrator."""


@dataclass(frozen=True)
class OfficerDetails:
    """What an administrator sets for an officer."""

    name: str
    roles: frozenset[str]
    unit_id: int | None = None


@dataclass(frozen=True)
class Invitation:
    user: User
    url: str


@dataclass(frozen=True)
class Deactivation:
    """What a deactivation leaves behind: the unit's open tasks if no active officer remains."""

    unit: Unit | None
    orphaned_tasks: int


# --- checks ---------------------------------------------------------------------------------

def clean_name(name: str | None) -> str:
    """A name on one line: runs of spaces, tabs and line breaks become one space."""
    return " ".join((name or "").split())


def email_problem(email: str) -> str | None:
    """Why ``email`` cannot be an officer's address, or None."""
    if not email:
        return _("Tulis alamat e-mail petugas.")
    if len(email) > EMAIL_MAX:
        return _("Alamat e-mail paling banyak 254 karakter.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return _("Alamat e-mail tidak valid, contoh: nama@contoh.id")
    return None


def email_taken_problem(email: str) -> str | None:
    """Why ``email`` cannot be given to a new officer (an account has it already), or None."""
    existing = user_by_email(email)
    if existing is None:
        return None
    if is_staff(existing):
        return _("Sudah ada petugas dengan e-mail ini. Buka halamannya untuk mengubah peran atau unitnya.")
    return _("E-mail ini dipakai akun pemohon. Undang petugas dengan alamat e-mail dinas.")


def details_problems(details: OfficerDetails) -> dict[str, str]:
    """Problems with a name, roles and unit, by field ("name", "roles", "unit")."""
    problems: dict[str, str] = {}
    if not details.name:
        problems["name"] = _("Tulis nama petugas.")
    elif len(details.name) > NAME_MAX:
        problems["name"] = _("Nama paling banyak %(max)d karakter.", max=NAME_MAX)
    unknown = sorted(details.roles - set(STAFF_ROLES))
    if unknown:
        problems["roles"] = _("Peran tidak dikenal: %(roles)s.", roles=", ".join(unknown))
    elif not details.roles:
        problems["roles"] = _("Pilih paling sedikit satu peran.")
    unit = db.session.get(Unit, details.unit_id) if details.unit_id is not None else None
    if details.unit_id is not None and unit is None:
        problems["unit"] = _("Unit tidak ditemukan.")
    elif unit is not None and not unit.active:
        problems["unit"] = _("Unit %(code)s sudah nonaktif; pilih unit yang aktif.", code=unit.code)
    elif unit is None and Role.PEMBANTU.value in details.roles:
        problems["unit"] = _("PPID Pembantu harus ditempatkan di sebuah unit.")
    return problems


def _require_valid(details: OfficerDetails, *, email: str | None = None) -> None:
    problems = {}
    if email is not None:
        problem = email_problem(email) or email_taken_problem(email)
        if problem:
            problems["email"] = problem
    problems.update(details_problems(details))
    if problems:
        raise ValidationFailed(problems)


def _can_administer(user: User) -> bool:
    return user.active and user.email_verified_at is not None and Role.ADMIN.value in user.roles


def admins_left(*, losing: Iterable[int] = (), gaining: Iterable[int] = ()) -> set[int]:
    """The administrators who could act after ``losing`` stop and ``gaining`` start (user ids);
    locks the current ones first (see ``active_admin_ids``)."""
    return (active_admin_ids(lock=True) - set(losing)) | set(gaining)


def last_admin_message() -> str:
    return _("Ini administrator aktif terakhir. Jadikan petugas lain administrator lebih dulu; "
             "harus selalu ada paling sedikit satu administrator aktif.")


def _guard_last_admin(user: User, *, roles_after: set[str], active_after: bool, field: str) -> None:
    if not _can_administer(user):
        return
    if Role.ADMIN.value in roles_after and active_after:
        return
    if not admins_left(losing=[user.id]):
        raise LastAdministrator(field, last_admin_message())


# --- the audit record -----------------------------------------------------------------------

def officer_snapshot(user: User) -> dict:
    """The administered state of an officer, as logged before and after a change."""
    return {"email": user.email, "name": user.name, "roles": sorted_roles(user.roles),
            "unit": user.unit.code if user.unit is not None else None, "active": user.active}


def _log(actor: User | None, actor_label: str | None, user: User, kind: str, **data):
    return event_log(actor=actor, actor_label=actor_label, subject_type="user", subject_id=user.id,
                     kind=kind, data=data)


# --- invitations ----------------------------------------------------------------------------

@cache
def _placeholder_password_hash() -> str:
    """The password hash of an invited officer until the invitation is accepted: a real hash (a
    login attempt costs the same time as for any account) of a random secret nobody keeps. Made
    once per process, so a CSV import of thousands of officers does not hash thousands of times;
    sharing it is harmless, as the invitation link is bound to the user and its invitation event."""
    return hash_password(secrets.token_urlsafe(32))


def _send_invitation(user: User, *, actor: User | None, actor_label: str | None, kind: str) -> str:
    """Log the invitation event (its id makes earlier links stop working) and e-mail the link."""
    event = _log(actor, actor_label, user, kind, after=officer_snapshot(user))
    token = invitation_token(user_id=user.id, password_hash=user.password_hash, invitation_id=event.id)
    url = public_url("accounts.accept_invitation", token=token)
    outbox_enqueue(
        recipient=user.email, subject=_l("Undangan menjadi petugas layanan informasi publik"),
        template="email/officer_invitation.txt", user=user, invite_url=url,
        roles=roles_text(user.roles), unit_name=user.unit.name if user.unit is not None else None,
        valid_for=duration_text(current_app.config["INVITATION_MAX_AGE"]),
        body_name=current_app.config["BODY_NAME"], login_url=public_url("accounts.login"),
    )
    return url


def officer_invite(*, actor: User | None, email: str, details: OfficerDetails,
                   actor_label: str | None = None, checked: bool = False) -> Invitation:
    """Create an officer who sets a password through an e-mailed link; raises ValidationFailed.

    ``checked``: the caller checked the address and details in this transaction (the import)."""
    email = normalise_email(email)
    details = OfficerDetails(name=clean_name(details.name), roles=frozenset(details.roles), unit_id=details.unit_id)
    if not checked:
        _require_valid(details, email=email)
    user = User(email=email, name=details.name, active=True, email_verified_at=None,
                password_hash=_placeholder_password_hash(),
                unit=db.session.get(Unit, details.unit_id) if details.unit_id is not None else None)
    user.role_rows = [UserRole(role=role) for role in sorted_roles(details.roles)]
    db.session.add(user)
    db.session.flush()  # a concurrent invitation of the same address fails here (unique e-mail)
    url = _send_invitation(user, actor=actor, actor_label=actor_label, kind="officer_invited")
    return Invitation(user=user, url=url)


def officer_resend_invitation(*, actor: User | None, user: User, actor_label: str | None = None) -> Invitation:
    """A new link for an invited officer who has not set a password; earlier links stop working."""
    if not user.active:
        raise FieldError("invitation", _("Akun ini nonaktif. Aktifkan kembali sebelum mengirim undangan."))
    if user.email_verified_at is not None:
        raise FieldError("invitation", _("Petugas ini sudah menerima undangan dan membuat kata sandi."))
    url = _send_invitation(user, actor=actor, actor_label=actor_label, kind="invitation_resent")
    return Invitation(user=user, url=url)


def invitation_accept(*, token: str, password: str) -> User:
    """Set the first password through an invitation link: the officer is verified and may log in.

    Raises TokenInvalid (tampered, expired, superseded or already used) or FieldError("password").
    """
    user = user_for_invitation(token)
    problem = password_problem(password, email=user.email)
    if problem:
        raise FieldError("password", problem)
    user.set_password(password)  # a new hash: the link that led here stops working
    user.email_verified_at = utcnow()
    user.last_login_at = utcnow()  # the view logs the officer in
    _log(user, None, user, "invitation_accepted")
    db.session.flush()
    return user


# --- changes --------------------------------------------------------------------------------

def officer_update(*, actor: User | None, user: User, details: OfficerDetails,
                   actor_label: str | None = None, check_last_admin: bool = True) -> bool:
    """Set an officer's name, roles and unit; False when nothing changes (nothing is logged).

    Raises ValidationFailed, or LastAdministrator("roles") when the last administrator would lose
    the role (``check_last_admin=False``: the caller checked the whole batch, as the import does).
    """
    details = OfficerDetails(name=clean_name(details.name), roles=frozenset(details.roles), unit_id=details.unit_id)
    _require_valid(details)
    before = officer_snapshot(user)
    roles = set(details.roles) | (user.roles - set(STAFF_ROLES))  # a role given elsewhere (pemohon) stays
    if (details.name, roles, details.unit_id) == (user.name, user.roles, user.unit_id):
        return False
    if check_last_admin:
        _guard_last_admin(user, roles_after=roles, active_after=user.active, field="roles")
    user.name = details.name
    user.unit = db.session.get(Unit, details.unit_id) if details.unit_id is not None else None
    keep = [row for row in user.role_rows if row.role in roles]
    user.role_rows = keep + [UserRole(role=role) for role in sorted_roles(roles - user.roles)]
    db.session.flush()
    _log(actor, actor_label, user, "officer_changed", before=before, after=officer_snapshot(user))
    return True


def officer_deactivate(*, actor: User | None, user: User, actor_label: str | None = None,
                       field: str = "confirm") -> Deactivation:
    """Switch an officer off: every session and "remember me" cookie of the user ends at once
    (the event is part of the session identity, see ``last_logout_marker``); the name stays in the
    history. Raises LastAdministrator(``field``) for the last administrator."""
    if not user.active:
        return Deactivation(unit=None, orphaned_tasks=0)
    _guard_last_admin(user, roles_after=user.roles, active_after=False, field=field)
    before = officer_snapshot(user)
    orphaned = 0
    if Role.PEMBANTU.value in user.roles and not other_active_unit_officers(user):
        orphaned = open_task_count(user.unit_id)
    user.active = False
    db.session.flush()
    _log(actor, actor_label, user, "officer_deactivated", before=before, after=officer_snapshot(user),
         open_unit_tasks_without_officer=orphaned)
    return Deactivation(unit=user.unit, orphaned_tasks=orphaned)


def officer_reactivate(*, actor: User | None, user: User, actor_label: str | None = None) -> bool:
    """Switch an officer on again (earlier sessions stay ended); False if already active."""
    if user.active:
        return False
    before = officer_snapshot(user)
    user.active = True
    db.session.flush()
    _log(actor, actor_label, user, "officer_reactivated", before=before, after=officer_snapshot(user))
    return True
