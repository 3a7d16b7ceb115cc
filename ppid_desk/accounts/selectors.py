"""Reads on accounts for views and services."""

from __future__ import annotations

import hmac
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, func, select

from ..extensions import db
from .models import User
from .tokens import TokenInvalid, password_fingerprint, read_reset_token


def normalise_email(email: str | None) -> str:
    """The one spelling of an address we store and compare: stripped, lower case."""
    return (email or "").strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def user_for_reset_token(token: str) -> User:
    """The active user a reset link was sent to, while the password is unchanged since."""
    user_id, fingerprint = read_reset_token(token, max_age=current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise TokenInvalid()
    if not hmac.compare_digest(fingerprint, password_fingerprint(user.password_hash)):
        raise TokenInvalid()  # the password changed since: the link is used up
    return user


# Events after which no earlier session of the user is valid (a reactivated officer logs in anew).
SESSION_ENDING_KINDS = ("logged_out", "officer_deactivated")


def _logout_marker_of(user_id):
    from ..audit.models import Event

    return (select(func.max(Event.id))
            .where(Event.subject_type == "user", Event.subject_id == user_id,
                   Event.kind.in_(SESSION_ENDING_KINDS))
            .scalar_subquery())


def last_logout_marker(user_id: int | None) -> int:
    """The id of the user's latest logout or deactivation event (0 if none): part of the session
    identity."""
    if user_id is None:
        return 0
    return db.session.scalar(select(_logout_marker_of(user_id))) or 0


@cache
def _session_statement():
    """Built once per process (half the cost of a cached page was building this expression)."""
    from sqlalchemy.orm import joinedload

    return (select(User, _logout_marker_of(User.id))
            .options(joinedload(User.role_rows))
            .where(User.id == bindparam("user_id")))


def user_for_session(user_id: int) -> tuple[User, int] | None:
    """The user a session names, with its roles and its last logout marker (for the session
    identity, ``User.session_id``), in one statement: every signed-in request runs it."""
    row = db.session.execute(_session_statement(), {"user_id": user_id}).unique().first()
    if row is None:
        return None
    return row[0], row[1] or 0
