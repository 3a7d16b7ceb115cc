"""The one funnel for every change of a request (DESIGN §2).

``request_event`` sets the request's cached columns and appends an event recording each
column's value before and after, in the same transaction. The event log is the source of
truth: ``rebuild_cached_columns`` replays it, and ``flask ppid rebuild-cache --check`` proves
the stored columns agree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date

from ..accounts.models import User
from ..audit.models import Event
from ..audit.selectors import events_for
from ..audit.services import event_log
from ..dbtypes import UTCDateTime, utcnow
from ..errors import DomainError
from ..signals import request_changed
from ..workcalendar.selectors import local_date
from .models import InformationRequest

CACHED_COLUMNS = (
    "status", "notice_due", "extended_due", "due_date", "extension_reason", "accepted_at",
    "missing_items", "notice_at", "delivered_at", "closed_at", "outcome", "pasal17_basis",
    "fee_amount", "reminded_for_due", "escalated_at", "release_due", "released_at",
    "extended_on", "legal_due", "notice_on", "delivered_on", "routed_on",
)


def derived_changes(state: dict[str, Any], changes: dict[str, Any], at: datetime,
                    to_local: Callable[[datetime], date]) -> dict[str, Any]:
    """The derived columns ``changes`` implies, given the columns' current ``state``; pure.

    * ``due_date``: the due officers work to, extended_due or notice_due.
    * ``extended_on``: the body-local day an extension was granted (``at``), unless given.
    * ``legal_due``: the due the law measures the notice against: extended_due when the
      extension was granted on or before notice_due (or its day is unknown), else notice_due.
    * ``notice_on`` / ``delivered_on``: body-local days of notice_at / delivered_at.
    * ``routed_on``: the body-local day the request was first routed to a unit.

    Monev aggregates compare these plain dates (no per-row time-zone arithmetic in SQL).
    """
    derived: dict[str, Any] = {}

    def now(column: str) -> Any:
        return changes.get(column, state.get(column))

    if "extended_due" in changes and "extended_on" not in changes:
        if changes["extended_due"] is None:
            derived["extended_on"] = None
        elif state.get("extended_due") is None:
            derived["extended_on"] = to_local(at)
    if {"notice_due", "extended_due", "extended_on"} & set(changes):
        notice_due, extended_due = now("notice_due"), now("extended_due")
        extended_on = derived.get("extended_on", now("extended_on"))
        derived["due_date"] = extended_due or notice_due
        valid = extended_due is not None and (extended_on is None or notice_due is None or extended_on <= notice_due)
        derived["legal_due"] = extended_due if valid else notice_due
    if changes.get("status") == "routed" and state.get("routed_on") is None and "routed_on" not in changes:
        derived["routed_on"] = to_local(at)
    for moment, day in (("notice_at", "notice_on"), ("delivered_at", "delivered_on")):
        if moment in changes:
            derived[day] = None if changes[moment] is None else to_local(changes[moment])
    return derived


class StaleRequest(DomainError):
    """Someone else changed the request since this officer loaded it."""

    def __init__(self, item: InformationRequest) -> None:
        super().__init__(f"request {item.number} changed (now version {item.version})")
        self.item = item


def ensure_version(item: InformationRequest, expected_version: int | None) -> None:
    """Refuse to act on a request the officer saw in an older state (optimistic locking)."""
    if expected_version is not None and item.version != expected_version:
        raise StaleRequest(item)


def _dump(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _load(column: str, value: Any) -> Any:
    if value is None:
        return None
    column_type = InformationRequest.__table__.c[column].type
    if isinstance(column_type, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    return value


def request_event(
    *,
    actor: User | None,
    item: InformationRequest,
    kind: str,
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
    actor_label: str | None = None,
) -> Event:
    """Apply ``changes`` to the cached columns and log ``kind`` with before/after; flush only."""
    changes = dict(changes or {})
    unknown = set(changes) - set(CACHED_COLUMNS)
    if unknown:
        raise ValueError(f"not cached columns: {sorted(unknown)}")
    at = at or utcnow()
    changes.update(derived_changes(cached_columns(item), changes, at, local_date))
    before = {column: _dump(getattr(item, column)) for column in changes}
    for column, value in changes.items():
        setattr(item, column, value)
    after = {column: _dump(value) for column, value in changes.items()}
    payload = dict(data or {})
    if changes:
        payload["before"], payload["after"] = before, after
    request_changed.send(item)  # e.g. monev marks the tallies of this receipt day stale
    return event_log(actor=actor, actor_label=actor_label, subject_type="request",
                     subject_id=item.id, kind=kind, data=payload, at=at)


def request_access_logged(
    *,
    actor: User | None,
    item: InformationRequest,
    kind: str,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
    actor_label: str | None = None,
) -> Event:
    """Log who read the request's documents or personal data (a download, an identity view) on
    its timeline; flush only. Not a change of state: no cached column moves and no listener is
    told (``request_changed`` is for changes). It is the one write a GET may commit, and it
    writes the event log only (tests/test_reads_never_write.py states the exception)."""
    return event_log(actor=actor, actor_label=actor_label, subject_type="request",
                     subject_id=item.id, kind=kind, data=dict(data or {}), at=at or utcnow())


def replayed_columns(item: InformationRequest) -> dict[str, Any]:
    """The cached columns as the event log says they should be."""
    state: dict[str, Any] = {column: None for column in CACHED_COLUMNS}
    for event in events_for("request", item.id):
        after = {column: _load(column, value) for column, value in (event.data.get("after") or {}).items()}
        # Derived again from the logged values, so a log written before a derived column existed
        # replays to the same state the funnel keeps today.
        after.update(derived_changes(state, after, event.at, local_date))
        state.update(after)
    return state


def cached_columns(item: InformationRequest) -> dict[str, Any]:
    return {column: getattr(item, column) for column in CACHED_COLUMNS}


def rebuild_cached_columns(item: InformationRequest) -> dict[str, tuple[Any, Any]]:
    """Set the cached columns from the log; return the columns that differed (stored, replayed)."""
    replayed = replayed_columns(item)
    differences = {
        column: (getattr(item, column), value)
        for column, value in replayed.items() if getattr(item, column) != value
    }
    for column, (_stored, value) in differences.items():
        setattr(item, column, value)
    return differences
