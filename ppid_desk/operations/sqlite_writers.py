"""SQLite: writers of every process wait in line on a file lock, instead of SQLite's sleeps.

SQLite lets one transaction write at a time. A second writer gets SQLITE_BUSY and its busy
handler sleeps and retries in growing steps (1, 2, 5, 10, 15, 20 … ms), so while two gunicorn
workers both file requests, the one that waits sleeps past the moment the other commits: with two
workers the bench filed fewer requests per second than with one (bench/README.md).

So before the first write statement of a transaction, a connection takes an exclusive ``flock``
on a file beside the database (``<database>.writers``), and lets it go when the transaction
ends (commit, rollback, or the connection going back to the pool). A writer that finds it taken
polls it every fraction of a millisecond, so the next one starts right after the commit. The
lock only orders writers that would wait for each other anyway; SQLite's own locking stays what
keeps the data right. Hence, on purpose:

* the threads of one process share the process's hold (a counter): they fall back to SQLite's
  busy handler between themselves, as before, and can never wait for their own process;
* a writer that has waited ``WAIT_SECONDS`` goes on without the lock (SQLite's busy timeout then
  applies as before), so a lock held too long slows writers down and never stops them.

PostgreSQL has row locks and needs none of this; nothing here runs for it.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from .data_version import is_write

WAIT_SECONDS = 30.0  # as long as SQLite's busy timeout (web/setup.py)
_HOLDS = "ppid_writer_lock"  # in the DBAPI connection's info: the lock file this connection holds


class _ProcessHold:
    """One open lock file per process and database, held while any of its connections writes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.pid = os.getpid()
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self.count = 0
        self.mutex = threading.Lock()

    def acquire(self) -> None:
        with self.mutex:
            self.count += 1
            if self.count > 1:
                return  # another thread of this process holds it
        deadline = time.monotonic() + WAIT_SECONDS
        pause = 0.0001
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return  # go on: SQLite's busy handler decides from here
                time.sleep(pause)
                pause = min(pause * 2, 0.0005)

    def release(self) -> None:
        with self.mutex:
            self.count -= 1
            if self.count == 0:
                fcntl.flock(self.fd, fcntl.LOCK_UN)


_holds: dict[str, _ProcessHold | None] = {}
_holds_mutex = threading.Lock()


def _hold_for(database: str) -> _ProcessHold | None:
    """This process's hold on the database's lock file; None where it cannot be made (e.g. a
    read-only folder): writers then only have SQLite's busy handler, as before."""
    path = os.path.abspath(database) + ".writers"
    key = f"{os.getpid()}:{path}"  # made again in a forked worker
    if key not in _holds:
        with _holds_mutex:
            if key not in _holds:
                try:
                    _holds[key] = _ProcessHold(path)
                except OSError:
                    _holds[key] = None
    return _holds[key]


def _file_database(conn) -> str | None:
    database = conn.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database


@event.listens_for(Engine, "before_cursor_execute")
def _wait_in_line(conn, _cursor, statement: str, _parameters, _context, _executemany) -> None:
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL: nothing to do, before anything else is looked at
    info = conn.info
    if _HOLDS in info or not is_write(statement):
        return
    database = _file_database(conn)
    if database is None:
        return
    hold = _hold_for(database)
    if hold is not None:
        hold.acquire()
        info[_HOLDS] = hold


def _let_go(info) -> None:
    hold = info.pop(_HOLDS, None)
    if hold is not None and hold.pid == os.getpid():
        hold.release()


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _transaction_ends(conn) -> None:
    # Fired just before the COMMIT itself (microseconds in WAL mode): the next writer's first
    # statement may still meet it and wait one step of SQLite's busy handler.
    _let_go(conn.info)


@event.listens_for(Pool, "checkin")
def _connection_returned(_dbapi_connection, record) -> None:
    if record is not None:
        _let_go(record.info)


@event.listens_for(Pool, "reset")
def _connection_reset(_dbapi_connection, record, _reset_state) -> None:
    if record is not None:
        _let_go(record.info)
