"""The application's clock. Tests and demos move it; production reads the system time.

Everything time-dependent asks ``now()`` (or takes ``now``/``today`` as an argument), so a
test can put the whole app — including a live server thread — on any date without sleeping.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_offset = timedelta(0)


def now() -> datetime:
    """Current time as an aware UTC datetime."""
    return datetime.now(UTC) + _offset


def travel_to(moment: datetime) -> None:
    """Make ``now()`` read ``moment`` (then keep ticking from there)."""
    global _offset
    if moment.tzinfo is None:
        raise ValueError("travel_to needs an aware datetime")
    _offset = moment - datetime.now(UTC)


def advance(delta: timedelta) -> None:
    global _offset
    _offset += delta


def reset() -> None:
    global _offset
    _offset = timedelta(0)
