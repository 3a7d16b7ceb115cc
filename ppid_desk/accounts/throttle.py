"""Login lock-out after repeated failed passwords, per account (the address tried) and per client IP.

Lock-outs are security state, so they live in the database that every worker and every server
shares (``LoginFailure``, ``LoginThrottle``), never in a per-process store: a guesser gets the
same count whichever worker answers. Counting is race-safe across processes: each failure is
one inserted row and the failures of the window are counted from the rows; a lock-out is
started with one upsert that only the first of several racing workers wins, so the owner is
told once. Subjects are keyed digests of the address and of the IP, never the values.

Times are the app clock's (``ppid_desk.clock``). Lock-out follows the rate limiter: when
``RATELIMIT_ENABLED`` is off (or ``LOGIN_LOCKOUT_FAILURES`` is 0), nothing is counted. The
sweep prunes rows that no longer matter (``login_throttle_prune``).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select

from ..dbtypes import utcnow
from ..extensions import db, limiter
from ..rows import conflict_insert
from .models import LoginFailure, LoginThrottle
from .selectors import normalise_email

ACCOUNT = "account"
IP = "ip"


@dataclass(frozen=True)
class Lockout:
    """An active lock-out: how long it still lasts, and whether it started just now (this attempt)."""

    seconds_left: int
    until: datetime
    started_now: bool = False
    account: bool = True  # False: the client IP is locked, not the address


def _enabled() -> bool:
    return bool(limiter.enabled and limiter.initialized and current_app.config["LOGIN_LOCKOUT_FAILURES"] > 0)


def _digest(kind: str, value: str) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, f"login-throttle:{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def _subjects(email: str, ip: str | None) -> list[tuple[str, str, int]]:
    """(kind, key, failures allowed) for the address and, when known, the client IP; always in
    this order, so that two workers touching both rows take their row locks in the same order."""
    config = current_app.config
    subjects = [(ACCOUNT, _digest(ACCOUNT, normalise_email(email)), config["LOGIN_LOCKOUT_FAILURES"])]
    if ip and config["LOGIN_LOCKOUT_IP_FAILURES"] > 0:
        subjects.append((IP, _digest(IP, ip), config["LOGIN_LOCKOUT_IP_FAILURES"]))
    return subjects


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_LOCKOUT_WINDOW"])


def _is(kind: str, key: str):
    return and_(LoginThrottle.kind == kind, LoginThrottle.key == key)


def _upsert(values: dict, *, update: tuple[str, ...], only_if=None):
    """Insert the subject's row or update ``update`` of it (when ``only_if`` holds for the stored
    row); the row as written, or None when ``only_if`` kept it unchanged."""
    table = LoginThrottle.__table__
    statement = conflict_insert()(table).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.kind, table.c.key],
        set_={name: statement.excluded[name] for name in update}, where=only_if)
    # RETURNING, not rowcount: psycopg reports -1 for INSERT … ON CONFLICT.
    return db.session.execute(statement.returning(table.c.locked_until)).first()


def _state(kind: str, key: str):
    """(counted_from, locked_until) of the subject; (None, None) for one never seen."""
    row = db.session.execute(select(LoginThrottle.counted_from, LoginThrottle.locked_until)
                             .where(_is(kind, key))).first()
    return row if row is not None else (None, None)


def _failures_since(kind: str, key: str, now: datetime, counted_from: datetime | None) -> int:
    since = now - _window()
    if counted_from is not None and counted_from > since:
        since = counted_from
    return db.session.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.kind == kind, LoginFailure.key == key, LoginFailure.failed_at > since))


def _lockout(kind: str, until: datetime, now: datetime, *, started_now: bool = False) -> Lockout:
    seconds = max(1, math.ceil((until - now).total_seconds()))
    return Lockout(seconds_left=seconds, until=until, started_now=started_now, account=kind == ACCOUNT)


def login_lockout(*, email: str, ip: str | None) -> Lockout | None:
    """The lock-out refusing a login with ``email`` from ``ip`` now, or None."""
    if not _enabled():
        return None
    now = utcnow()
    for kind, key, _allowed in _subjects(email, ip):
        _counted_from, until = _state(kind, key)
        if until is not None and until > now:
            return _lockout(kind, until, now)
    return None


def _count_failure(kind: str, key: str, allowed: int, now: datetime) -> Lockout | None:
    db.session.add(LoginFailure(kind=kind, key=key, failed_at=now))
    db.session.flush()
    counted_from, until = _state(kind, key)
    if until is not None and until > now:  # another worker locked it since our first look
        return _lockout(kind, until, now)
    if _failures_since(kind, key, now, counted_from) < allowed:
        return None
    # The limit is reached: lock, and count afresh after the lock-out. Only a row that is not
    # locked yet is updated, so of two workers crossing the line together one starts it.
    lock_until = now + timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])
    started = _upsert({"kind": kind, "key": key, "counted_from": now, "locked_until": lock_until},
                      update=("counted_from", "locked_until"),
                      only_if=or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now))
    if started is not None:
        return _lockout(kind, lock_until, now, started_now=True)
    _counted_from, until = _state(kind, key)  # the other worker's lock-out
    return _lockout(kind, until or lock_until, now)


def login_failed(*, email: str, ip: str | None) -> Lockout | None:
    """Count a failed password; the lock-out it triggers, if any (``started_now`` for a new one;
    the account's rather than the IP's when both). Flushes; the caller commits, whatever the
    outcome of the login."""
    if not _enabled():
        return None
    now = utcnow()
    result: Lockout | None = None
    for kind, key, allowed in _subjects(email, ip):
        lockout = _count_failure(kind, key, allowed, now)
        if lockout is not None and (result is None or (lockout.account and not result.account)):
            result = lockout
    return result


def login_succeeded(*, email: str) -> None:
    """A right password resets the address's failure count (not the IP's: one valid account
    must not let a guesser wipe the count of the addresses it tries)."""
    if not _enabled():
        return
    now = utcnow()
    kind, key, _allowed = _subjects(email, None)[0]
    counted_from, _until = _state(kind, key)
    if _failures_since(kind, key, now, counted_from):  # write only when there is something to forget
        _upsert({"kind": kind, "key": key, "counted_from": now}, update=("counted_from",))


def login_unlock(*, email: str) -> None:
    """End a lock-out of ``email`` early (e.g. an administrator's decision) and forget its
    failures. Flushes; commit after it."""
    kind, key, _allowed = _subjects(email, None)[0]
    _upsert({"kind": kind, "key": key, "counted_from": utcnow(), "locked_until": None},
            update=("counted_from", "locked_until"))


def login_throttle_prune(*, now: datetime) -> int:
    """Delete failures older than the window and subjects neither locked nor counting (the
    sweep); flushes. Returns the rows deleted."""
    since = now - _window()
    failures = db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= since)).rowcount
    subjects = db.session.execute(delete(LoginThrottle).where(
        or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
        or_(LoginThrottle.counted_from.is_(None), LoginThrottle.counted_from <= since),
    )).rowcount
    return max(failures, 0) + max(subjects, 0)
