"""Set-password links for an account someone else created (the first administrator, made by
`flask ppid init`): the reset-password machinery with its own salt and a longer life.

The token is signed, expires after ``ACCOUNT_TOKEN_MAX_AGE`` and carries a keyed fingerprint of
the (random, never disclosed) password hash the account was created with, so it works once:
setting the password changes the hash and the link stops working.
"""

from __future__ import annotations

import hmac

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import FieldError
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..web.urls import public_url
from .models import User
from .services import duration_text, password_problem
from .tokens import TokenInvalid, _load, _serializer, password_fingerprint

INVITE_SALT = "ppid-desk.accounts.set-password"


def invitation_token(user: User) -> str:
    return _serializer(INVITE_SALT).dumps({"uid": user.id, "pw": password_fingerprint(user.password_hash)})


def invitation_link(user: User) -> str:
    """The absolute link (from PUBLIC_BASE_URL, never a request's Host) to set the password."""
    return public_url("accounts.set_password", token=invitation_token(user))


def user_for_invitation(token: str) -> User:
    """The active user a set-password link was made for, while the password is still unset."""
    user_id, fingerprint = _load(INVITE_SALT, token, max_age=current_app.config["ACCOUNT_TOKEN_MAX_AGE"],
                                 claim="pw")
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise TokenInvalid()
    if not hmac.compare_digest(fingerprint, password_fingerprint(user.password_hash)):
        raise TokenInvalid()  # the password was set since: the link is used up
    return user


def invitation_send(user: User, *, link: str, body_name: str) -> None:
    """Queue the e-mail with the link (in the body's language)."""
    outbox_enqueue(
        recipient=user.email, subject=_l("Buat kata sandi akun PPID Anda"), template="email/account_invite.txt",
        user=user, set_password_url=link, body_name=body_name,
        valid_for=duration_text(current_app.config["ACCOUNT_TOKEN_MAX_AGE"]),
        forgot_url=public_url("accounts.forgot_password"), login_url=public_url("accounts.login"),
    )


def invitation_accept(*, token: str, password: str) -> User:
    """Set the first password through the link; this also confirms the address.
    Raises TokenInvalid or FieldError("password")."""
    user = user_for_invitation(token)
    problem = password_problem(password, email=user.email)
    if problem:
        raise FieldError("password", problem)
    user.set_password(password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    event_log(actor=user, subject_type="user", subject_id=user.id, kind="password_set",
              data={"via": "invitation"})
    db.session.flush()
    return user


def invitation_accepted_message() -> str:
    return _("Kata sandi Anda sudah dibuat. Silakan masuk.")
