"""The one funnel through which every stateful subject changes (DESIGN §2), generic part.

A *subject* is a row whose state columns are a cache of its event log: a request, an objection,
a routing task. ``subject_event`` sets those columns and appends one event to the subject's
hash-chained log recording each changed column's value ``before`` and ``after``, in the caller's
transaction (flush, never commit). Columns that follow from others are computed by the
subject's own pure ``derive`` function, both when writing and when replaying.

``replayed_columns`` replays the log; ``rebuild_columns`` sets the columns from it; ``flask ppid
rebuild-cache --check`` proves every subject's stored columns agree.

Why here, beside ``event_log``: every domain can import ``audit`` without a circle, and the
funnel knows nothing of any domain. What is specific to a subject (its columns, derivation, its
legacy events) lives in that domain's ``lifecycle`` module, which builds a ``Subject``:
``requests.lifecycle``, ``objections.lifecycle``, ``routing.lifecycle``.

Logs written before a subject went through the funnel (an upgraded installation) hold events
without before/after. A subject may give ``legacy``, which reads such an event's data into the
columns it proves exactly; a column that no event determines keeps its stored value (the log
cannot contradict it), so a database made by an older version replays without a migration.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date

from ..accounts.models import User
from ..dbtypes import UTCDateTime, utcnow
from .models import Event
from .selectors import events_for
from .services import event_log

Derive = Callable[[dict[str, Any], dict[str, Any], datetime, Callable[[datetime], date]], dict[str, Any]]


class _Unknown:
    """A column the log does not determine (only legacy events so far)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


def _no_derivation(state: dict[str, Any], changes: dict[str, Any], at: datetime,
                   to_local: Callable[[datetime], date]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Subject:
    """How the funnel reads and writes one kind of subject (built by the domain's lifecycle)."""

    subject_type: str  # Event.subject_type of the subject's own log
    model: type  # the mapped class holding the cached columns
    columns: tuple[str, ...]  # the cached columns, in the order reports show them
    to_local: Callable[[datetime], date]  # the body's local day of a moment (for derive)
    derive: Derive = _no_derivation  # pure: (state, changes, at, to_local) -> derived changes
    describe: Callable[[Any], str] = lambda row: f"#{row.id}"  # how --check names a row
    # Events written before the funnel covered this subject: (event, row) -> the columns that
    # event proves, or None. Also used for events of another stream that ``history`` returns.
    legacy: Callable[[Event, Any], dict[str, Any] | None] | None = None
    # The events to replay, in order (default: the subject's own log). An unknown column reads
    # as its stored value in ``derive`` while replaying.
    history: Callable[[Any], Sequence[Event]] | None = None
    # Whether every event records before/after even when nothing changed (so that a kind the
    # legacy reader knows is never mistaken for a legacy event). Requests keep their old shape.
    always_record: bool = True
    stale: Callable[[Any], Exception] | None = None  # the error for a version mismatch

    def events(self, row: Any) -> Sequence[Event]:
        return self.history(row) if self.history else events_for(self.subject_type, row.id)


def dump(value: Any) -> Any:
    """A column value as stored in an event (dates and moments as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def load(subject: Subject, column: str, value: Any) -> Any:
    """An event's stored value back as the column's Python value."""
    if value is None:
        return None
    column_type = subject.model.__table__.c[column].type
    if isinstance(column_type, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    return value


def columns_of(subject: Subject, row: Any) -> dict[str, Any]:
    """The subject's cached columns as stored."""
    return {column: getattr(row, column) for column in subject.columns}


def ensure_version_of(subject: Subject, row: Any, expected_version: int | None) -> None:
    """Refuse to act on a row seen in an older version (optimistic locking)."""
    if expected_version is not None and row.version != expected_version:
        raise subject.stale(row) if subject.stale else ValueError(f"{subject.describe(row)} changed")


def subject_event(
    subject: Subject,
    *,
    row: Any,
    kind: str,
    actor: User | None,
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
    actor_label: str | None = None,
    expected_version: int | None = None,
    created: bool = False,
) -> Event:
    """Apply ``changes`` (and what they imply) to ``row`` and log ``kind`` with before/after.

    The row must have its id (flushed). ``created``: the row was just inserted with these
    values, so every ``before`` is None. Flush only: the caller's transaction holds both."""
    ensure_version_of(subject, row, expected_version)
    changes = dict(changes or {})
    unknown = set(changes) - set(subject.columns)
    if unknown:
        raise ValueError(f"not cached columns of {subject.subject_type}: {sorted(unknown)}")
    at = at or utcnow()
    changes.update(subject.derive(columns_of(subject, row), changes, at, subject.to_local))
    before = {column: None if created else dump(getattr(row, column)) for column in changes}
    for column, value in changes.items():
        if getattr(row, column) != value:  # an equal value set again would only cost a flush
            setattr(row, column, value)
    after = {column: dump(value) for column, value in changes.items()}
    payload = dict(data or {})
    if changes or subject.always_record:
        payload["before"], payload["after"] = before, after
    return event_log(actor=actor, actor_label=actor_label, subject_type=subject.subject_type,
                     subject_id=row.id, kind=kind, data=payload, at=at)


def _proved(subject: Subject, event: Event, row: Any) -> dict[str, Any] | None:
    """The columns one event sets: its ``after`` when it is the subject's funnel event, else
    what the subject's legacy reader proves from it."""
    data = event.data or {}
    if event.subject_type == subject.subject_type and "after" in data:
        return {column: load(subject, column, value) for column, value in (data.get("after") or {}).items()
                if column in subject.columns}
    if subject.legacy is None:
        return None
    return subject.legacy(event, row)


def replayed_columns(subject: Subject, row: Any, *, known_only: bool = False) -> dict[str, Any]:
    """The cached columns as the event log says they should be.

    A column no event determines keeps its stored value (``known_only``: is left out)."""
    start = None if subject.legacy is None else UNKNOWN
    state: dict[str, Any] = {column: start for column in subject.columns}
    for event in subject.events(row):
        after = _proved(subject, event, row)
        if not after:
            continue
        # Derived again from the logged values, so a log written before a derived column existed
        # replays to the same state the funnel keeps today.
        seen = {column: getattr(row, column) if value is UNKNOWN else value for column, value in state.items()}
        after.update(subject.derive(seen, after, event.at, subject.to_local))
        state.update(after)
    if known_only:
        return {column: value for column, value in state.items() if value is not UNKNOWN}
    return {column: getattr(row, column) if value is UNKNOWN else value for column, value in state.items()}


def rebuild_columns(subject: Subject, row: Any) -> dict[str, tuple[Any, Any]]:
    """Set the cached columns from the log; return the columns that differed (stored, replayed)."""
    differences = {
        column: (getattr(row, column), value)
        for column, value in replayed_columns(subject, row).items() if getattr(row, column) != value
    }
    for column, (_stored, value) in differences.items():
        setattr(row, column, value)
    return differences
