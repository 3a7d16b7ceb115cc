"""Login lock-out after repeated failed passwords, per account (the address tried) and per client IP.

No schema: the counters live in the Flask-Limiter storage (``limiter.storage``), so they are shared by
every worker when ``RATELIMIT_STORAGE_URI`` points at Redis or Memcached, and kept per process with the
default ``memory://``. Keys carry a keyed digest of the address, never the address itself. Expiry is the
storage's own (its clock, e.g. Redis TTLs); times shown to people are computed with the app clock.

Lock-out follows the rate limiter: when ``RATELIMIT_ENABLED`` is off (or ``LOGIN_LOCKOUT_FAILURES`` is 0),
nothing is counted.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from limits import RateLimitItemPerMinute
from limits.strategies import FixedWindowRateLimiter

from ..dbtypes import utcnow
from ..extensions import limiter
from .selectors import normalise_email

FAILURES = "ppid-login-failures"
LOCK = "ppid-login-lock"


@dataclass(frozen=True)
class Lockout:
    """An active lock-out: how long it still lasts, and whether it started just now (this attempt)."""

    seconds_left: int
    until: datetime
    started_now: bool = False
    account: bool = True  # False: the client IP is locked, not the address


def _enabled() -> bool:
    return bool(limiter.enabled and limiter.initialized and current_app.config["LOGIN_LOCKOUT_FAILURES"] > 0)


def _strategy() -> FixedWindowRateLimiter:
    # Fixed window on the app's limiter storage: a window starts with its first hit.
    return FixedWindowRateLimiter(limiter.storage)


def _digest(kind: str, value: str) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, f"login-throttle:{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def _subjects(email: str, ip: str | None) -> list[tuple[str, str, int]]:
    """(kind, key, failures allowed) for the address and, when known, the client IP."""
    config = current_app.config
    subjects = [("account", _digest("account", normalise_email(email)), config["LOGIN_LOCKOUT_FAILURES"])]
    if ip and config["LOGIN_LOCKOUT_IP_FAILURES"] > 0:
        subjects.append(("ip", _digest("ip", ip), config["LOGIN_LOCKOUT_IP_FAILURES"]))
    return subjects


def _failure_item(allowed: int) -> RateLimitItemPerMinute:
    return RateLimitItemPerMinute(allowed, current_app.config["LOGIN_LOCKOUT_WINDOW"])


def _lock_item() -> RateLimitItemPerMinute:
    return RateLimitItemPerMinute(1, current_app.config["LOGIN_LOCKOUT_MINUTES"])


def _lockout(kind: str, key: str, *, started_now: bool = False) -> Lockout:
    reset_at = _strategy().get_window_stats(_lock_item(), LOCK, kind, key).reset_time
    seconds = max(1, int(round(reset_at - time.time())))  # the storage's clock, as its expiry is
    return Lockout(seconds_left=seconds, until=utcnow() + timedelta(seconds=seconds),
                   started_now=started_now, account=kind == "account")


def login_lockout(*, email: str, ip: str | None) -> Lockout | None:
    """The lock-out refusing a login with ``email`` from ``ip`` now, or None."""
    if not _enabled():
        return None
    strategy = _strategy()
    for kind, key, _allowed in _subjects(email, ip):
        if not strategy.test(_lock_item(), LOCK, kind, key):
            return _lockout(kind, key)
    return None


def login_failed(*, email: str, ip: str | None) -> Lockout | None:
    """Count a failed password; the lock-out it triggers, if any (``started_now`` for a new one)."""
    if not _enabled():
        return None
    strategy = _strategy()
    result: Lockout | None = None
    for kind, key, allowed in _subjects(email, ip):
        item = _failure_item(allowed)
        strategy.hit(item, FAILURES, kind, key)
        if strategy.get_window_stats(item, FAILURES, kind, key).remaining > 0:
            continue
        # The limit is reached: lock. Only the first hit of the lock window starts a lock-out,
        # so two workers crossing the line together notify once.
        started = strategy.hit(_lock_item(), LOCK, kind, key)
        strategy.clear(item, FAILURES, kind, key)  # after the lock-out, counting starts afresh
        lockout = _lockout(kind, key, started_now=started)
        if result is None or (lockout.account and not result.account):
            result = lockout
    return result


def login_succeeded(*, email: str) -> None:
    """A right password resets the address's failure count (not the IP's: one valid account
    must not let a guesser wipe the count of the addresses it tries)."""
    if not _enabled():
        return
    kind, key, allowed = _subjects(email, None)[0]
    _strategy().clear(_failure_item(allowed), FAILURES, kind, key)


def login_unlock(*, email: str) -> None:
    """End a lock-out of ``email`` early (e.g. an administrator's decision) and forget its failures."""
    if not _enabled():
        return
    kind, key, allowed = _subjects(email, None)[0]
    strategy = _strategy()
    strategy.clear(_lock_item(), LOCK, kind, key)
    strategy.clear(_failure_item(allowed), FAILURES, kind, key)
