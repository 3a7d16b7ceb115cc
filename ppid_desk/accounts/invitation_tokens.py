"""The signed, expiring link with which an invited officer sets a first password.

Like the reset link (``tokens.py``), the token is a signed claim the reader checks against the
database: the user id, a fingerprint of the password hash (setting the password uses the link up)
and the id of the invitation event it was sent with (a resend makes every earlier link stop
working). Its age is measured on the app's clock (``ppid_desk.clock``), so tests and demos can
move time; the salt is its own, so no other token is accepted as an invitation.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from .. import clock
from .tokens import TokenInvalid, password_fingerprint

INVITATION_SALT = "ppid-desk.accounts.officer-invitation"


class _ClockSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT,
                                  signer=_ClockSigner)


def invitation_token(*, user_id: int, password_hash: str, invitation_id: int) -> str:
    return _serializer().dumps({"uid": user_id, "pw": password_fingerprint(password_hash),
                                "inv": invitation_id})


def read_invitation_token(token: str) -> tuple[int, str, int]:
    """(user id, password fingerprint, invitation event id); raises TokenInvalid."""
    try:
        payload = _serializer().loads(token, max_age=current_app.config["INVITATION_MAX_AGE"])
    except SignatureExpired as error:
        raise TokenInvalid(expired=True) from error
    except BadData as error:
        raise TokenInvalid() from error
    if not isinstance(payload, dict):
        raise TokenInvalid()
    user_id, fingerprint, invitation_id = payload.get("uid"), payload.get("pw"), payload.get("inv")
    if not isinstance(user_id, int) or not isinstance(fingerprint, str) or not isinstance(invitation_id, int):
        raise TokenInvalid()
    return user_id, fingerprint, invitation_id
