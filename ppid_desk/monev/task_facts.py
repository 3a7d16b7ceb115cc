"""The facts of a routing task that monev counts, stored on the task (issue 17 item 3).

A cold metric run (no tallies: after seed-load, an import, a calendar change) aggregates every
task of the period live. Deriving these facts task by task cost most of it on a year of a
million requests: two ``date()`` conversions per task (its routing and answer days in the body's
zone), a read of the task's row for its timestamps, and a look-up of its newer siblings. So each
task keeps them, at the end of the covering index ``ix_routing_task_monev``:

* ``routed_on`` / ``answered_on``: the body-local days of ``routed_at`` / ``answered_at``
  (``metrics.local_day``, the same conversion as the request's ``routed_on``, ``notice_on``);
  they do not depend on the working calendar, and the body's zone is set once, at install;
* ``superseded``: the task is live (not cancelled) and a newer live task (a greater id) of the
  same unit holds the same request. A request counts once per unit holding it (``metrics``'s
  per-unit figures), through the unit's newest live task: the one not superseded.

Written in SQL from these definitions (``task_facts``) at the end of every flush that inserts,
deletes or changes a task's request, unit, status or timestamps, for every task of the requests
concerned (a sibling's ``superseded`` changes with it), whoever the writer is. Bulk writers that
bypass the ORM (seed-load) write the same values or call ``task_facts_refresh``; ``flask ppid
rebuild-cache [--check]`` compares every stored fact with the definition
(``task_facts_disagreeing``) and repairs it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, case, event, false, inspect, or_, select, true, update
from sqlalchemy.orm import Session, aliased

from ..extensions import db
from ..routing.models import RoutingTask, TaskStatus

RT = RoutingTask
FACTS = ("routed_on", "answered_on", "superseded")
# The columns a task's facts (or its siblings') are derived from.
_INPUTS = frozenset({"request_id", "unit_id", "status", "routed_at", "answered_at"})


def task_facts() -> dict:
    """Each stored fact's definition, in SQL over the task's table row (correlated with it)."""
    from .metrics import local_day

    table = RT.__table__
    newer = aliased(table)
    live = table.c.status != TaskStatus.CANCELLED.value
    has_newer = (select(newer.c.id).where(newer.c.request_id == table.c.request_id,
                                          newer.c.unit_id == table.c.unit_id,
                                          newer.c.status != TaskStatus.CANCELLED.value,
                                          newer.c.id > table.c.id).correlate(table).exists())
    return {
        "routed_on": local_day(table.c.routed_at),
        "answered_on": local_day(table.c.answered_at),
        "superseded": case((and_(live, has_newer), true()), else_=false()),
    }


def _differs(facts: dict):
    table = RT.__table__
    return or_(*(table.c[name].is_distinct_from(value) for name, value in facts.items()))


def task_facts_refresh(request_ids: Iterable[int] | None = None, *, connection=None) -> None:
    """Store the facts of every task of the given requests (of every task when None) that
    differ from the definition."""
    table = RT.__table__
    facts = task_facts()
    stmt = update(table).values(**facts).where(_differs(facts))
    if request_ids is not None:
        ids = sorted(set(request_ids))
        if not ids:
            return
        stmt = stmt.where(table.c.request_id.in_(ids))
    (connection or db.session.connection()).execute(stmt)


def task_facts_disagreeing() -> list[tuple]:
    """(task id, request id, {fact: (stored, defined)}) of every task whose stored facts are not
    the definition's."""
    table = RT.__table__
    facts = task_facts()
    rows = db.session.execute(
        select(table.c.id, table.c.request_id, *(table.c[name] for name in FACTS),
               *(facts[name].label(f"defined_{name}") for name in FACTS))
        .where(_differs(facts)).order_by(table.c.id)).all()
    out = []
    for row in rows:
        stored, defined = row[2:2 + len(FACTS)], row[2 + len(FACTS):]
        out.append((row[0], row[1], {name: (s, d) for name, s, d in zip(FACTS, stored, defined, strict=True)
                                     if s != d}))
    return out


def _changed(row) -> bool:
    state = inspect(row)
    return any(state.attrs[name].history.has_changes() for name in _INPUTS)


@event.listens_for(Session, "after_flush")
def _facts_changed(session: Session, _flush_context) -> None:
    """After every flush: re-store the facts of every task of each request one of whose tasks
    the flush inserted, deleted or changed (one UPDATE by key, in the flush's transaction)."""
    requests: set[int] = set()
    for row in (*session.new, *session.deleted, *session.dirty):
        if isinstance(row, RT) and (row in session.new or row in session.deleted or _changed(row)):
            requests.add(row.request_id)
            requests.update(inspect(row).attrs.request_id.history.deleted)  # moved from another request
    requests.discard(None)
    if requests:
        task_facts_refresh(requests, connection=session.connection())
        session.info.setdefault(_REFRESHED, set()).update(requests)


_REFRESHED = "monev_task_facts_refreshed"


@event.listens_for(Session, "after_flush_postexec")
def _forget_written_facts(session: Session, _flush_context) -> None:
    """The session's copies of those tasks hold the facts from before the UPDATE: read again on
    next access (once the flush is over, when the new ones are persistent)."""
    requests = session.info.pop(_REFRESHED, None)
    if not requests:
        return
    for row in list(session.identity_map.values()):
        if isinstance(row, RT) and inspect(row).dict.get("request_id") in requests:  # no load
            session.expire(row, list(FACTS))
