"""Signed, expiring tokens for e-mail verification and password reset (itsdangerous).

A token is only a signed (not encrypted) claim; the reader still looks the user up and checks
that the claim holds now. Claims are keyed digests, so a token read from a log reveals neither
the address nor anything about the password. A reset token carries a fingerprint of the password hash, so it stops working as
soon as the password changes (single use). Each purpose has its own salt, so a verification
token can never be replayed as a reset token or the other way round.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from ..errors import DomainError

VERIFY_SALT = "ppid-desk.accounts.verify-email"
RESET_SALT = "ppid-desk.accounts.reset-password"
CHANGE_EMAIL_SALT = "ppid-desk.accounts.change-email"


class TokenInvalid(DomainError):
    """A link that is tampered with, used up, or (``expired``) too old."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("expired token" if expired else "invalid token")
        self.expired = expired


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _keyed_digest(purpose: str, value: str) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def password_fingerprint(password_hash: str) -> str:
    """A keyed digest of the stored hash: changes with every new password, reveals nothing."""
    return _keyed_digest("password", password_hash)


def session_fingerprint(password_hash: str, logout_marker: int) -> str:
    """A keyed digest of the password hash and the last logout: changes with either."""
    return _keyed_digest("session", f"{password_hash}|{logout_marker}")


def email_fingerprint(email: str) -> str:
    """A keyed digest of the address, so a link in a server log does not spell it out."""
    return _keyed_digest("email", email)


def verification_token(*, user_id: int, email: str) -> str:
    return _serializer(VERIFY_SALT).dumps({"uid": user_id, "em": email_fingerprint(email)})


def reset_token(*, user_id: int, password_hash: str) -> str:
    return _serializer(RESET_SALT).dumps({"uid": user_id, "pw": password_fingerprint(password_hash)})


def email_change_token(*, user_id: int, new_email: str) -> str:
    """The link sent to a new address: it proves control of that address (account settings)."""
    return _serializer(CHANGE_EMAIL_SALT).dumps({"uid": user_id, "em": email_fingerprint(new_email)})


def _load(salt: str, token: str, *, max_age: int, claim: str) -> tuple[int, str]:
    try:
        payload = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TokenInvalid(expired=True) from error
    except BadData as error:
        raise TokenInvalid() from error
    if not isinstance(payload, dict):
        raise TokenInvalid()
    user_id, value = payload.get("uid"), payload.get(claim)
    if not isinstance(user_id, int) or not isinstance(value, str):
        raise TokenInvalid()
    return user_id, value


def read_verification_token(token: str, *, max_age: int) -> tuple[int, str]:
    """(user id, fingerprint of the address the link was sent to); raises TokenInvalid."""
    return _load(VERIFY_SALT, token, max_age=max_age, claim="em")


def read_reset_token(token: str, *, max_age: int) -> tuple[int, str]:
    """(user id, password fingerprint at the time of sending); raises TokenInvalid."""
    return _load(RESET_SALT, token, max_age=max_age, claim="pw")


def read_email_change_token(token: str, *, max_age: int) -> tuple[int, str]:
    """(user id, fingerprint of the new address the link was sent to); raises TokenInvalid."""
    return _load(CHANGE_EMAIL_SALT, token, max_age=max_age, claim="em")
