"""A cache for the public aggregate pages (GET /statistik, the published annual reports).

These pages are anonymous and their figures cost a metric run (about 670 ms on a body with a
million requests). The figures change only when what they are made of changes, or the day:

    key = (page, its arguments, the figures version, the body's today, the settings they read)

**The figures version** is one row, ``monev_figures_version``: a random ``epoch`` and a
``counter``. Whatever changes the inputs of monev figures already tells the daily tallies
(``monev.tallies``): the request funnel marks a day dirty, bulk writers and calendar changes
forget tallies. Those functions also call ``figures_changed()``, which flags the session; a
``before_commit`` hook then bumps the counter as the transaction's last statement. Hence:

* a reader that sees counter N sees every change of every transaction that bumped to N or less
  (the bump commits atomically with the change). A ``max(event.id)`` would not do on PostgreSQL:
  ids are handed out before commit, so a transaction committing late with a lower id would hide
  behind a higher id already read, and its change would never reach the cache;
* the counter's row lock is taken last and held only while committing: no waits for the rest
  of the transaction, and no deadlock cycle (nothing is locked after it);
* the epoch is random whenever the row is (re)created, so a recreated database never matches
  entries cached under an earlier one.

**Where entries live**: in a bounded per-process LRU (``MAX_ENTRIES``), and they are the
*figures*, not the response bodies. Bodies are per visitor (the layout carries the session's
CSRF token, the logged-in user's menu and the visitor's language) so they cannot be shared;
rendering the template from cached figures takes a few milliseconds. Per process is correct
across workers because the key holds the version each request reads from the database: a
worker never serves figures older than the version it just read. The price is one metric run
per worker per version, instead of one per version with a database table; in exchange there
is no write on an anonymous GET and nothing survives a restart with changed settings. The
Flask-Limiter storage cannot hold them: it stores counters only.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..rows import conflict_insert, dialect_insert
from .models import MonevFiguresVersion

T = TypeVar("T")
MAX_ENTRIES = 64  # /statistik (one entry), a few published years (figures and PDF), a day's versions
_FLAG = "monev_figures_changed"
# The settings figures depend on (the rest is read from the database).
SETTINGS = ("BODY_TIMEZONE", "MONEV_TALLIES", "CUTI_BERSAMA_NON_WORKING", "RECEIPT_CUTOFF", "NOTICE_WD",
            "EXTENSION_WD", "OBJECTION_FILING_WD", "OBJECTION_RESPONSE_WD", "DISPUTE_FILING_WD",
            "SURVEY_MIN_RESPONDENTS")

_entries: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()


def figures_changed(session=None) -> None:
    """What monev figures are made of changed in this transaction: bump the version on commit."""
    (session if session is not None else db.session()).info[_FLAG] = True


def _bump(insert) -> Any:  # on the table: no ORM on the way; every write to a request runs it
    table = MonevFiguresVersion.__table__
    stmt = insert(table).values(id=1, epoch=bindparam("epoch"), counter=1)
    return stmt.on_conflict_do_update(index_elements=["id"], set_={"counter": table.c.counter + 1})


@event.listens_for(Session, "before_commit")
def _bump_on_commit(session: Session) -> None:
    if not session.info.pop(_FLAG, False):
        return
    session.execute(dialect_insert(_bump, session.get_bind()), {"epoch": secrets.token_hex(8)})


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop(_FLAG, None)


def figures_version() -> tuple[str, int]:
    """(epoch, counter) as committed now; creates the row when there is none (flush only)."""
    row = db.session.execute(select(MonevFiguresVersion.epoch, MonevFiguresVersion.counter)
                             .where(MonevFiguresVersion.id == 1)).one_or_none()
    if row is None:
        db.session.execute(conflict_insert()(MonevFiguresVersion).values(id=1, epoch=secrets.token_hex(8), counter=0)
                           .on_conflict_do_nothing(index_elements=["id"]))
        row = db.session.execute(select(MonevFiguresVersion.epoch, MonevFiguresVersion.counter)
                                 .where(MonevFiguresVersion.id == 1)).one()
    return row.epoch, row.counter


def cached(page: str, args: tuple, today: date, compute: Callable[[], T]) -> T:
    """``compute()`` once per (page, args, figures version, today, settings) in this process.

    Callers must not mutate what they get back: every request shares it."""
    config = current_app.config
    key = (page, args, figures_version(), today, tuple(config.get(name) for name in SETTINGS))
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
    value = compute()
    with _lock:
        _entries[key] = value
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def cache_clear() -> None:
    """Forget every entry of this process (tests, benchmarks)."""
    with _lock:
        _entries.clear()
