"""Account settings: a person's own account — profile, password, e-mail, deletion, and claiming
requests filed as a guest with the account's verified address.

Every write validates, changes state, logs an event on the user (and on each request it
touches) and flushes; the view commits once. E-mails go through the outbox. Events never hold
an address or a name in plain: the log is hash-chained and outlives the account.

Who may do what: every account edits its name, phone, address and password. Changing the
e-mail, deleting the account and claiming guest requests are for citizen accounts (no staff
role): an officer's address and existence are the administrator's to change, and an officer's
name must stay on the events the officer signed.
"""

from __future__ import annotations

import hmac
import secrets

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import DomainError, FieldError
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..requests.lifecycle import request_event
from ..requests.models import Applicant, InformationRequest
from ..web.urls import public_url
from .models import Role, User, hash_password
from .selectors import normalise_email, user_by_email
from .services import _asker_locale, _common_context, _public_url, duration_text, password_problem
from .tokens import TokenInvalid, email_change_token, email_fingerprint, read_email_change_token

REMOVED = "[dihapus]"  # what an anonymised account shows for its name (as the retention purge)


class EmailTaken(DomainError):
    """The new address belongs to another account by the time its link is followed."""


def is_citizen_account(user: User) -> bool:
    """A citizen's own account: no staff role (an officer who also files requests is staff)."""
    return not (user.roles - {Role.PEMOHON.value})


def _check_password(user: User, password: str, field: str = "current_password") -> None:
    if not user.check_password(password or ""):
        raise FieldError(field, _("Kata sandi salah. Tulis kata sandi akun Anda yang sekarang."))


def _log(user: User, kind: str, data: dict | None = None) -> None:
    event_log(actor=user, subject_type="user", subject_id=user.id, kind=kind, data=data or {})


# --- profile ------------------------------------------------------------------------------

def profile_update(*, user: User, name: str, phone: str | None, address: str | None) -> list[str]:
    """Set the account's name, phone and address; logs which fields changed (not their values)."""
    values = {"name": (name or "").strip(), "phone": (phone or "").strip() or None,
              "address": (address or "").strip() or None}
    if not values["name"]:
        raise FieldError("name", _("Tulis nama lengkap Anda."))
    changed = [field for field, value in values.items() if getattr(user, field) != value]
    for field in changed:
        setattr(user, field, values[field])
    if changed:
        _log(user, "profile_updated", {"fields": changed})
        db.session.flush()
    return changed


# --- password -----------------------------------------------------------------------------

def password_change(*, user: User, current_password: str, new_password: str) -> None:
    """Set a new password after checking the current one. The session identity carries a
    fingerprint of the password hash, so every other session and "remember me" cookie of the
    account ends here; the view logs this browser in again."""
    _check_password(user, current_password)
    problem = password_problem(new_password or "", email=user.email)
    if problem:
        raise FieldError("password", problem)
    if user.check_password(new_password):
        raise FieldError("password", _("Kata sandi baru harus berbeda dari kata sandi yang sekarang."))
    user.set_password(new_password)
    _log(user, "password_changed")
    outbox_enqueue(
        recipient=user.email, subject=_("Kata sandi akun PPID Anda sudah diganti"),
        template="email/account_password_changed.txt", locale=_asker_locale(), user=user,
        forgot_url=_public_url("accounts.forgot_password"), **_common_context(),
    )
    db.session.flush()


# --- e-mail -------------------------------------------------------------------------------

def email_change_request(*, user: User, new_email: str, password: str) -> None:
    """Ask to move the account to ``new_email``: the address changes only when the link sent
    to the new address is followed (it proves control of it). The old address is told."""
    if not is_citizen_account(user):
        raise DomainError(_("Alamat e-mail akun petugas diubah oleh administrator."))
    _check_password(user, password, "password")
    new_email = normalise_email(new_email)
    if new_email == normalise_email(user.email):
        raise FieldError("email", _("Ini sudah alamat e-mail akun Anda. Tulis alamat yang baru."))
    if user_by_email(new_email) is not None:
        raise FieldError("email", _("Alamat e-mail ini sudah dipakai akun lain. Pakai alamat lain."))
    user.pending_email = new_email
    _log(user, "email_change_requested")
    valid_for = duration_text(current_app.config["ACCOUNT_TOKEN_MAX_AGE"])
    token = email_change_token(user_id=user.id, new_email=new_email)
    outbox_enqueue(
        recipient=new_email, subject=_("Konfirmasi alamat e-mail baru akun PPID Anda"),
        template="email/account_email_change.txt", locale=_asker_locale(), user=user,
        confirm_url=_public_url("accounts.email_confirm", token=token), valid_for=valid_for,
        **_common_context(),
    )
    outbox_enqueue(
        recipient=user.email, subject=_("Permintaan mengganti alamat e-mail akun PPID Anda"),
        template="email/account_email_change_notice.txt", locale=_asker_locale(), user=user,
        valid_for=valid_for, forgot_url=_public_url("accounts.forgot_password"), **_common_context(),
    )
    db.session.flush()


def email_change_confirm(*, token: str) -> User:
    """Follow the link sent to the new address: the account moves to it, verified.

    Raises TokenInvalid (tampered, expired, superseded by a newer request, or already used) or
    EmailTaken (another account took the address meanwhile)."""
    user_id, sent_to = read_email_change_token(token, max_age=current_app.config["ACCOUNT_TOKEN_MAX_AGE"])
    user = db.session.get(User, user_id)
    if (user is None or not user.active or user.deleted_at is not None or not user.pending_email
            or not hmac.compare_digest(sent_to, email_fingerprint(user.pending_email))):
        raise TokenInvalid()
    new_email = user.pending_email
    other = user_by_email(new_email)
    if other is not None and other.id != user.id:
        raise EmailTaken(_("Alamat e-mail ini sudah dipakai akun lain. Alamat akun Anda tidak diubah."))
    user.email = new_email
    user.pending_email = None
    user.email_verified_at = utcnow()
    _log(user, "email_changed")
    db.session.flush()  # a concurrent change to the same address fails here (unique e-mail)
    return user


# --- claiming requests filed as a guest -----------------------------------------------------

def claimable_requests(user: User) -> list[InformationRequest]:
    """Requests filed without an account under this account's address, while that address is
    verified (never a pending or unverified one); purged applicants excluded."""
    if not is_citizen_account(user) or user.email_verified_at is None or user.deleted_at is not None:
        return []
    return list(db.session.scalars(
        select(InformationRequest).join(Applicant, Applicant.id == InformationRequest.applicant_id)
        .where(InformationRequest.user_id.is_(None), Applicant.purged_at.is_(None),
               func.lower(Applicant.email) == normalise_email(user.email))
        .order_by(InformationRequest.received_at.desc(), InformationRequest.id.desc())))


def requests_claim(*, user: User, request_ids: list[int] | None = None) -> list[InformationRequest]:
    """Bring guest requests into the account (all claimable ones when ``request_ids`` is None)."""
    claimable = {item.id: item for item in claimable_requests(user)}
    if request_ids is None:
        chosen = list(claimable.values())
    else:
        if not request_ids or any(request_id not in claimable for request_id in request_ids):
            raise DomainError(_("Permohonan ini tidak dapat dimasukkan ke akun Anda. Hanya permohonan "
                                "tanpa akun dengan alamat e-mail akun Anda yang sudah terverifikasi."))
        chosen = [claimable[request_id] for request_id in dict.fromkeys(request_ids)]
    if not chosen:
        raise DomainError(_("Tidak ada permohonan tanpa akun dengan alamat e-mail Anda."))
    for item in chosen:
        item.user_id = user.id
        item.applicant.user_id = user.id
        request_event(actor=user, item=item, kind="claimed_by_account", data={})
    _log(user, "requests_claimed", {"request_ids": [item.id for item in chosen]})
    db.session.flush()
    return chosen


# --- deleting the account -------------------------------------------------------------------

def account_delete(*, user: User, password: str) -> list[InformationRequest]:
    """Delete a citizen account: its requests (and their objections) stay, as a guest's, under
    the retention rules — the applicant record keeps the name and address the desk writes to —
    and the user row is anonymised and switched off (kept, because events refer to it).

    The owner is e-mailed the tracking links of the requests, the only way back to them.
    Returns the requests that were the account's."""
    if not is_citizen_account(user):
        raise DomainError(_("Akun petugas dinonaktifkan oleh administrator, tidak dihapus sendiri."))
    _check_password(user, password, "password")
    items = list(db.session.scalars(
        select(InformationRequest).where(InformationRequest.user_id == user.id)
        .order_by(InformationRequest.received_at, InformationRequest.id)))
    outbox_enqueue(
        recipient=user.email, subject=_("Akun PPID Anda sudah dihapus"),
        template="email/account_deleted.txt", locale=_asker_locale(), user=user,
        requests=[(item.number, public_url("requests.track_token", token=item.tracking_token)) for item in items],
        **_common_context(),
    )
    for item in items:
        item.user_id = None
        request_event(actor=user, item=item, kind="account_deleted", data={})
    db.session.execute(update(Applicant).where(Applicant.user_id == user.id).values(user_id=None))
    _log(user, "account_deleted", {"request_ids": [item.id for item in items]})
    user.email = f"dihapus-{user.id}@akun-dihapus.invalid"
    user.name = REMOVED
    user.phone = user.address = user.pending_email = None
    user.email_verified_at = None
    user.password_hash = hash_password(secrets.token_urlsafe(32))  # nobody knows it: no login, no reset
    user.active = False
    user.deleted_at = utcnow()
    db.session.flush()
    return items
