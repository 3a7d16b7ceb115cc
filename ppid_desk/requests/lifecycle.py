"""The one funnel for every change of a request (DESIGN §2).

``request_event`` sets the request's cached columns and appends an event recording each
column's value before and after, in the same transaction. The event log is the source of
truth: ``rebuild_cached_columns`` replays it, and ``flask ppid rebuild-cache --check`` proves
the stored columns agree. The generic part (shared with objections and routing tasks) is
``audit.funnel``; this module holds what is the request's own: its columns, their pure
derivation (``derived_changes``), and the status gates (``gates``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ..accounts.models import User
from ..audit import funnel
from ..audit.funnel import Subject, subject_event
from ..audit.models import Event
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import DomainError
from ..signals import request_changed
from ..workcalendar.selectors import local_date
from .models import InformationRequest

CACHED_COLUMNS = (
    "status", "notice_due", "extended_due", "due_date", "extension_reason", "accepted_at",
    "missing_items", "notice_at", "delivered_at", "closed_at", "outcome", "pasal17_basis",
    "fee_amount", "reminded_for_due", "escalated_at", "release_due", "released_at",
    "extended_on", "legal_due", "notice_on", "delivered_on", "routed_on", "completion_due",
    "notice_sent_via", "notice_received_on", "extension_sent_via", "extension_received_on",
    "provide_by", "provide_reminded_for", "provide_lapsed_for", "assignee_id",
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


def _local_date(moment: datetime) -> date:
    return local_date(moment)


# The request as a subject of the generic funnel (``audit.funnel``). Its log has recorded
# before/after since the first version, so there is no legacy reader and replay starts from None.
REQUEST = Subject(
    subject_type="request", model=InformationRequest, columns=CACHED_COLUMNS, to_local=_local_date,
    derive=derived_changes, describe=lambda item: item.number, always_record=False,
    stale=StaleRequest,
)


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
    event = subject_event(REQUEST, row=item, kind=kind, actor=actor, changes=changes, data=data, at=at,
                          actor_label=actor_label)
    request_changed.send(item)  # e.g. monev marks the tallies of this receipt day stale
    return event


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
    return funnel.replayed_columns(REQUEST, item)


def cached_columns(item: InformationRequest) -> dict[str, Any]:
    return funnel.columns_of(REQUEST, item)


def rebuild_cached_columns(item: InformationRequest) -> dict[str, tuple[Any, Any]]:
    """Set the cached columns from the log; return the columns that differed (stored, replayed)."""
    return funnel.rebuild_columns(REQUEST, item)
