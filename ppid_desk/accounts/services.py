"""Account writes: register, verify e-mail, log in/out, reset a password.

Every function validates, changes state, logs an event and flushes; the view commits once.
E-mails are queued in the outbox: the outbox sender (``flask ppid outbox``) sends them after the
response, never the web request (as every e-mail). "Forgot password" and "resend verification"
do not even look the address up in the request: they store an ``AccountMailRequest`` for any
address, which the sender turns into an e-mail when the account exists. No function reveals
whether an address has an account: callers get the same outcome either way, also in time.
"""

from __future__ import annotations

import hmac
from functools import cache
from typing import NoReturn

from flask import current_app
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash

from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import DomainError, FieldError
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..organisation.profile_selectors import body_profile
from ..web.urls import public_url
from .models import AccountMailRequest, Role, User, UserRole, hash_password
from .selectors import normalise_email, user_by_email, user_for_reset_token
from .throttle import Lockout, login_failed, login_lockout, login_succeeded
from .tokens import (
    TokenInvalid,
    email_fingerprint,
    read_verification_token,
    reset_token,
    verification_token,
)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200  # hashing is deliberately slow; refuse megabyte "passwords"


class LoginRefused(DomainError):
    """Unknown e-mail or wrong password: one answer for both, so nothing is enumerated."""


class AccountUnverified(DomainError):
    """Right password, but the address was never confirmed."""


class AccountInactive(DomainError):
    """Right password, but an administrator switched the account off."""


class LoginLocked(DomainError):
    """Too many failed passwords for this address or from this client: refused, whatever the
    password, until the lock-out ends. The same for unknown addresses (nothing is enumerated)."""

    def __init__(self, lockout: Lockout) -> None:
        super().__init__("login locked")
        self.lockout = lockout


def password_problem(password: str, *, email: str = "") -> str | None:
    """Why ``password`` is not acceptable for the account ``email``, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Kata sandi paling sedikit %(n)d karakter.", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("Kata sandi paling banyak %(n)d karakter.", n=MAX_PASSWORD_LENGTH)
    if email and normalise_email(password) == normalise_email(email):
        return _("Kata sandi tidak boleh sama dengan alamat e-mail.")
    return None


# --- e-mails ------------------------------------------------------------------------------

def _public_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, from configuration, never from the request's Host header
    (a forged Host would otherwise send a reset token to someone else's server); also works in
    the outbox sender, outside any request."""
    return public_url(endpoint, **values)


def duration_text(seconds: int) -> str:
    """How long a link stays valid, in words ("3 hari", "2 jam")."""
    if seconds >= 86400 and seconds % 86400 == 0:
        days = seconds // 86400
        return ngettext("%(num)d hari", "%(num)d hari", days)
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(num)d jam", "%(num)d jam", hours)
    minutes = max(1, seconds // 60)
    return ngettext("%(num)d menit", "%(num)d menit", minutes)


def _common_context() -> dict:
    return {"body_name": body_profile().name, "login_url": _public_url("accounts.login")}


def _reset_link(user: User) -> str:
    token = reset_token(user_id=user.id, password_hash=user.password_hash)
    return _public_url("accounts.reset_password", token=token)


def _asker_locale() -> str:
    """The language of the person who asked for this account e-mail (they read it next)."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def _send_verification(user: User) -> None:
    token = verification_token(user_id=user.id, email=user.email)
    outbox_enqueue(
        recipient=user.email,
        subject=_("Konfirmasi alamat e-mail akun PPID Anda"),
        template="email/account_verify.txt", locale=_asker_locale(),
        user=user,
        verify_url=_public_url("accounts.verify_email", token=token),
        valid_for=duration_text(current_app.config["ACCOUNT_TOKEN_MAX_AGE"]),
        **_common_context(),
    )


def _send_reset(user: User, *, template: str, subject: str) -> None:
    outbox_enqueue(
        recipient=user.email, subject=subject, template=template, user=user, locale=_asker_locale(),
        reset_url=_reset_link(user),
        valid_for=duration_text(current_app.config["RESET_TOKEN_MAX_AGE"]),
        forgot_url=_public_url("accounts.forgot_password"),
        **_common_context(),
    )


# --- registration and verification --------------------------------------------------------

def _anonymous_label() -> str:
    return _("Pengunjung tanpa akun")


def _notify_existing_owner(user: User) -> None:
    """Someone tried to register with this address: tell its owner, quietly."""
    if not user.active:
        return
    event_log(actor=None, actor_label=_anonymous_label(), subject_type="user", subject_id=user.id,
              kind="registration_attempt_existing")
    _send_reset(user, template="email/account_exists.txt",
                subject=_("Ada pendaftaran akun PPID dengan alamat e-mail Anda"))


def account_register(*, name: str, email: str, phone: str | None, password: str) -> User | None:
    """Create a citizen (pemohon) account awaiting e-mail verification.

    Returns the new user, or None when the address already has an account; then only its
    owner hears about it, by e-mail. Raises FieldError for an unacceptable password.
    """
    email = normalise_email(email)
    problem = password_problem(password, email=email)
    if problem:
        raise FieldError("password", problem)
    existing = user_by_email(email)
    if existing is not None:
        hash_password(password)  # the same slow work as a real sign-up: no timing clue
        _notify_existing_owner(existing)
        return None
    user = User(email=email, name=name.strip(), phone=(phone or "").strip() or None,
                email_verified_at=None, active=True)
    user.set_password(password)
    user.role_rows = [UserRole(role=Role.PEMOHON.value)]
    db.session.add(user)
    db.session.flush()  # a concurrent sign-up for the same address fails here (unique e-mail)
    event_log(actor=user, subject_type="user", subject_id=user.id, kind="account_registered",
              data={"roles": [Role.PEMOHON.value]})
    _send_verification(user)
    return user


def account_resend_verification(*, email: str) -> None:
    """Queue a new verification link for ``email``: the outbox sender sends it if the address
    has an active, unverified account. Nothing else happens here, whatever the address."""
    _queue_mail_request(MAIL_VERIFICATION, email)


def _verification_mail(email: str) -> None:
    user = user_by_email(email)
    if user is None or not user.active or user.email_verified_at is not None:
        return
    event_log(actor=None, actor_label=_anonymous_label(), subject_type="user", subject_id=user.id,
              kind="verification_resent")
    _send_verification(user)


def account_verify_email(*, token: str) -> User:
    """Mark the address as verified (idempotent); raises TokenInvalid."""
    user_id, sent_to = read_verification_token(token, max_age=current_app.config["ACCOUNT_TOKEN_MAX_AGE"])
    user = db.session.get(User, user_id)
    if user is None or not user.active or not hmac.compare_digest(sent_to, email_fingerprint(user.email)):
        raise TokenInvalid()  # e.g. the address changed since the link was sent
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        event_log(actor=user, subject_type="user", subject_id=user.id, kind="email_verified")
        db.session.flush()
    return user


# --- logging in and out -------------------------------------------------------------------

@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")


def account_login(*, email: str, password: str, client_ip: str | None = None) -> User:
    """The user with these credentials, allowed to log in; logs the event.

    Raises LoginLocked while the address or ``client_ip`` is locked out (checked before the
    password, and raised by the failure that starts a lock-out), LoginRefused (unknown e-mail or
    wrong password, indistinguishable, also in time), then, only to someone who knows the
    password, AccountInactive or AccountUnverified.
    """
    lockout = login_lockout(email=email, ip=client_ip)
    if lockout is not None:
        raise LoginLocked(lockout)
    user = user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        _login_failed(None, email=email, client_ip=client_ip)
    elif not user.check_password(password):
        _login_failed(user, email=email, client_ip=client_ip)
    login_succeeded(email=email)
    if not user.active:
        raise AccountInactive()
    if user.email_verified_at is None:
        raise AccountUnverified()
    user.last_login_at = utcnow()  # listed on the officer administration page
    event_log(actor=user, subject_type="user", subject_id=user.id, kind="logged_in")
    return user


def _login_failed(user: User | None, *, email: str, client_ip: str | None) -> NoReturn:
    """Count the failure; on the one that starts a lock-out, log it and tell the owner once."""
    lockout = login_failed(email=email, ip=client_ip)
    if lockout is None:
        raise LoginRefused()
    if lockout.started_now:
        current_app.logger.warning("login lock-out (%s) for %s minutes",
                                   "account" if lockout.account else "client address",
                                   current_app.config["LOGIN_LOCKOUT_MINUTES"])
    if lockout.started_now and lockout.account and user is not None:
        event_log(actor=None, actor_label=_("Sistem pengaman login"), subject_type="user",
                  subject_id=user.id, kind="login_locked",
                  data={"failures": current_app.config["LOGIN_LOCKOUT_FAILURES"],
                        "window_minutes": current_app.config["LOGIN_LOCKOUT_WINDOW"],
                        "minutes": current_app.config["LOGIN_LOCKOUT_MINUTES"],
                        "until": lockout.until.isoformat(timespec="seconds")})
        if user.active:
            outbox_enqueue(
                recipient=user.email,
                subject=_l("Akun PPID Anda dikunci sementara"),  # in the body's language: anyone may trigger it
                template="email/account_locked.txt",
                user=user, minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"],
                failures=current_app.config["LOGIN_LOCKOUT_FAILURES"],
                forgot_url=_public_url("accounts.forgot_password"),
                **_common_context(),
            )
    raise LoginLocked(lockout)


def account_logout(*, user: User) -> None:
    event_log(actor=user, subject_type="user", subject_id=user.id, kind="logged_out")


# --- forgotten password -------------------------------------------------------------------

def account_request_password_reset(*, email: str) -> None:
    """Queue a single-use reset link for ``email``: the outbox sender sends it if the address has
    an active account. Nothing else happens here, whatever the address."""
    _queue_mail_request(MAIL_PASSWORD_RESET, email)


def _password_reset_mail(email: str) -> None:
    user = user_by_email(email)
    if user is None or not user.active:
        return
    event_log(actor=None, actor_label=_anonymous_label(), subject_type="user", subject_id=user.id,
              kind="password_reset_requested")
    _send_reset(user, template="email/account_reset.txt",
                subject=_("Atur ulang kata sandi akun PPID Anda"))


def account_reset_password(*, token: str, password: str) -> User:
    """Set a new password through a reset link; this also proves control of the address.

    Raises TokenInvalid (tampered, expired, or already used) or FieldError("password").
    """
    user = user_for_reset_token(token)
    problem = password_problem(password, email=user.email)
    if problem:
        raise FieldError("password", problem)
    user.set_password(password)  # a new hash: the link that led here stops working
    verified_now = user.email_verified_at is None
    if verified_now:
        user.email_verified_at = utcnow()
    event_log(actor=user, subject_type="user", subject_id=user.id, kind="password_reset",
              data={"email_verified": verified_now})
    outbox_enqueue(
        recipient=user.email,
        subject=_("Kata sandi akun PPID Anda sudah diganti"),
        template="email/account_password_changed.txt", locale=_asker_locale(),
        user=user, forgot_url=_public_url("accounts.forgot_password"), **_common_context(),
    )
    db.session.flush()
    return user


# --- account e-mails asked for by address (the outbox sender) --------------------------------

MAIL_PASSWORD_RESET = "password_reset"
MAIL_VERIFICATION = "verification"
_MAILERS = {MAIL_PASSWORD_RESET: _password_reset_mail, MAIL_VERIFICATION: _verification_mail}
MAIL_REQUEST_BATCH = 100


def _queue_mail_request(kind: str, email: str) -> None:
    db.session.add(AccountMailRequest(kind=kind, email=normalise_email(email)[:254],
                                      locale=_asker_locale(), requested_at=utcnow()))
    db.session.flush()


def account_mail_requests_process() -> int:
    """Turn the queued "forgot password" / "resend verification" requests into e-mails (queued
    for the sender to send) where the address has a fitting account; commits. Returns
    the requests handled.

    Each request is taken by deleting it (DELETE … RETURNING) in the transaction that logs its
    event and queues its e-mail, so two senders never handle one twice, and one that dies
    midway leaves it queued. A request that cannot be handled is logged and dropped.
    """
    handled = 0
    while True:
        batch = select(AccountMailRequest.id).order_by(AccountMailRequest.id).limit(MAIL_REQUEST_BATCH)
        if db.session.scalar(batch.limit(1)) is None:  # an idle pass only reads
            return handled
        taken = db.session.execute(
            delete(AccountMailRequest).where(AccountMailRequest.id.in_(batch))
            .returning(AccountMailRequest.kind, AccountMailRequest.email, AccountMailRequest.locale)
            .execution_options(synchronize_session=False)).all()
        for kind, email, locale in taken:
            try:
                with db.session.begin_nested(), force_locale(locale):
                    _MAILERS[kind](email)
            except Exception:
                current_app.logger.exception("account e-mail (%s) could not be queued", kind)
        db.session.commit()
        handled += len(taken)
        if len(taken) < MAIL_REQUEST_BATCH:
            return handled
