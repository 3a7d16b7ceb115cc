"""How often the citizen request form may be filed.

Two limits, in the rate-limit storage every worker shares (Flask-Limiter's, Redis in
production): ``SUBMIT_RATE_LIMIT`` per client IP *and* e-mail filed with, and the higher
``SUBMIT_IP_RATE_LIMIT`` per client IP. Only valid submissions count — the view asks after the
form validated, so a form sent back with errors costs nothing — and the people of one office,
campus or mobile carrier behind one address each have their own count below the IP's ceiling.
The e-mail enters the key as a keyed digest, never as it is.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many

from ..extensions import limiter

NAMESPACE = "ppid-submit"


@dataclass(frozen=True)
class SubmitRefused:
    """A submission refused by a limit, and in how many seconds the limit lets it through."""

    seconds_left: int

    @property
    def minutes_left(self) -> int:
        return max(1, math.ceil(self.seconds_left / 60))


def _email_digest(email: str) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, f"submit:{email.strip().lower()}".encode(), hashlib.sha256).hexdigest()[:32]


def _limits(email: str) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    config = current_app.config
    prefix = config.get("RATELIMIT_KEY_PREFIX") or ""
    base = (prefix, NAMESPACE) if prefix else (NAMESPACE,)
    ip = get_remote_address() or "unknown"
    per_email = (*base, "ip-email", ip, _email_digest(email))
    per_ip = (*base, "ip", ip)
    return ([(item, per_email) for item in parse_many(config["SUBMIT_RATE_LIMIT"])]
            + [(item, per_ip) for item in parse_many(config["SUBMIT_IP_RATE_LIMIT"])])


def submission_count(*, email: str) -> SubmitRefused | None:
    """Count one valid submission filed with ``email`` from this client, or, when a limit is
    reached, the refusal (and count nothing)."""
    if not (limiter.enabled and limiter.initialized):
        return None
    strategy = limiter.limiter
    limits = _limits(email)
    reached = [(item, keys) for item, keys in limits if not strategy.test(item, *keys)]
    if not reached:
        # Two submissions racing past the test are both counted; the later one is refused
        # when that takes it over a limit.
        reached = [(item, keys) for item, keys in limits if not strategy.hit(item, *keys)]
    if not reached:
        return None
    reset_at = max(strategy.get_window_stats(item, *keys).reset_time for item, keys in reached)
    return SubmitRefused(seconds_left=max(1, math.ceil(reset_at - time.time())))  # the storage's clock
