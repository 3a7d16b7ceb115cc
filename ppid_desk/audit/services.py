"""The one funnel through which every state change is recorded."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select

from ..accounts.models import User
from ..dbtypes import utcnow
from ..extensions import db
from ..rows import row_insert, transaction_memo
from .models import Event
from .personal import actor_label_of


def _digest(prev_hash: str | None, at: datetime, actor_label: str, subject_type: str,
            subject_id: int, kind: str, data: dict[str, Any]) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(), actor_label, subject_type, subject_id, kind, data],
        sort_keys=True, ensure_ascii=False, default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


# The hash of each chain's newest event this transaction wrote, by (subject type, subject id): a
# second event of the same subject in one transaction (a filing's registration and its queued
# receipt) reads its predecessor from here instead of the database; None for the chain of a
# subject this transaction inserted (``chain_begins``). Dropped at the end of any transaction,
# savepoints included (``rows.transaction_memo``), so a rolled-back event is never chained to.
_HEADS = "audit_chain_heads"
_UNREAD = object()
_EVENTS = Event.__table__
_HEAD = (select(_EVENTS.c.hash)
         .where(_EVENTS.c.subject_type == bindparam("subject_type"), _EVENTS.c.subject_id == bindparam("subject_id"))
         .order_by(_EVENTS.c.id.desc()).limit(1))  # built once, on the table: every logged change runs it


def _chain_heads() -> dict[tuple[str, int], str | None]:
    return transaction_memo(_HEADS)


def chain_begins(subject_type: str, subject_id: int) -> None:
    """The subject was inserted by this transaction: its chain has no event yet, so its first
    event reads no head. (Subjects are never deleted, so a new id has no events of an old row.)"""
    _chain_heads().setdefault((subject_type, subject_id), None)


def event_log(*, actor: User | None, actor_label: str | None = None, subject_type: str,
              subject_id: int, kind: str, data: dict[str, Any] | None = None,
              at: datetime | None = None) -> Event:
    """Append an event chained to the previous event of the same subject; flush (the caller's
    pending changes, then the event, ``rows.row_insert``), never commit.

    The hash covers what is stored, so personal values must come in as references or sealed
    (``audit.personal``): without ``actor_label``, a citizen account is logged as a reference,
    never by name."""
    at = at or utcnow()
    data = data or {}
    label = actor_label or actor_label_of(actor)
    heads = _chain_heads()
    prev_hash = heads.get((subject_type, subject_id), _UNREAD)
    if prev_hash is _UNREAD:
        # Every event is in the database once it is written (here and in ``event_log_many``):
        # the table's statement needs no autoflush.
        prev_hash = db.session.scalar(_HEAD, {"subject_type": subject_type, "subject_id": subject_id})
    db.session.flush()  # the caller's pending changes go out before their event, as they always have
    event = row_insert(
        Event, at=at, actor_id=actor.id if actor else None, actor_label=label,
        subject_type=subject_type, subject_id=subject_id, kind=kind, data=data,
        prev_hash=prev_hash,
        hash=_digest(prev_hash, at, label, subject_type, subject_id, kind, data),
    )
    heads[(subject_type, subject_id)] = event.hash
    return event


def event_log_many(*, actor: User | None, subject_type: str, entries: Sequence[tuple[int, str, dict[str, Any]]],
                   actor_label: str | None = None, at: datetime | None = None) -> list[Event]:
    """Append several events, each chained like ``event_log`` (entries: subject id, kind, data, in
    order), with one query for the chains' heads and one flush: a bulk change stays cheap."""
    at = at or utcnow()
    label = actor_label or (actor.name if actor else "Sistem")
    ids = sorted({subject_id for subject_id, _kind, _data in entries})
    heads: dict[int, str] = {}
    if ids:
        latest = (select(func.max(Event.id).label("id"))
                  .where(Event.subject_type == subject_type, Event.subject_id.in_(ids))
                  .group_by(Event.subject_id).subquery())
        heads = dict(db.session.execute(select(Event.subject_id, Event.hash).join(latest, Event.id == latest.c.id)).all())
    events = []
    for subject_id, kind, data in entries:
        prev_hash = heads.get(subject_id)
        event = Event(at=at, actor_id=actor.id if actor else None, actor_label=label, subject_type=subject_type,
                      subject_id=subject_id, kind=kind, data=data, prev_hash=prev_hash,
                      hash=_digest(prev_hash, at, label, subject_type, subject_id, kind, data))
        heads[subject_id] = event.hash
        events.append(event)
    db.session.add_all(events)  # inserted in this order, so ids follow each chain
    db.session.flush()
    written = _chain_heads()
    for event in events:
        written[(subject_type, event.subject_id)] = event.hash
    return events


def chain_problem(events: Sequence[Any]) -> tuple[Any, str] | None:
    """The first event where a subject's chain breaks, with why; None when the chain is intact.

    ``edited``: the event's content no longer gives its hash; ``broken link``: its ``prev_hash``
    is not the hash of the event before it (an event was deleted or the order was changed)."""
    prev = None
    for event in events:
        if event.prev_hash != prev:
            return event, "broken link"
        expected = _digest(prev, event.at, event.actor_label, event.subject_type,
                           event.subject_id, event.kind, event.data)
        if event.hash != expected:
            return event, "edited"
        prev = event.hash
    return None


def chain_is_intact(events: list[Event]) -> bool:
    """True when every event's hash matches its content and its predecessor."""
    return chain_problem(events) is None
