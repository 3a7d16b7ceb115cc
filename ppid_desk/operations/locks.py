"""One run at a time across every server: the lock the sweep and the outbox sender take.

With several app servers each may schedule `flask ppid sweep` and run `flask ppid outbox --loop`:
whoever takes the lock runs, the others skip that run and say so (exit status 0).

* **PostgreSQL**: a session-level advisory lock (``pg_try_advisory_lock``) on a connection of its
  own, held for the run and released after it. Never waits; a process that dies loses its
  connection and with it the lock, so nothing stale is left behind. The key is a stable 64-bit
  number derived from the lock's name, e.g. ``ppid-desk:sweep``.
* **SQLite**: one server only (the database is a file on its disk), but cron, a timer and a shell
  may still overlap there: an exclusive ``flock`` on a file beside the database
  (``<database>.sweep.lock``). The kernel releases it when the process ends, however it ends.

Neither needs a table (no migration): the lock lives as long as the run's connection or process.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from ..extensions import db

SWEEP = "sweep"
OUTBOX = "outbox"


def lock_key(name: str) -> int:
    """The advisory lock's key for ``name``: a signed 64-bit integer, the same on every server."""
    return int.from_bytes(hashlib.sha256(f"ppid-desk:{name}".encode()).digest()[:8], "big", signed=True)


def lock_file(name: str) -> Path:
    """Where an SQLite installation's lock ``name`` lives: beside the database file."""
    database = db.engine.url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return Path(current_app.instance_path) / f"ppid-desk.{name}.lock"
    return Path(f"{database}.{name}.lock")


@contextlib.contextmanager
def run_lock(name: str) -> Iterator[bool]:
    """``with run_lock("sweep") as held:``: True when this process holds the lock for the block,
    False when another run (on any server) holds it; never waits."""
    if db.engine.dialect.name == "postgresql":
        with _advisory_lock(lock_key(name)) as held:
            yield held
    else:
        with _file_lock(lock_file(name)) as held:
            yield held


@contextlib.contextmanager
def _advisory_lock(key: int) -> Iterator[bool]:
    connection = db.engine.connect()
    held = False
    try:
        held = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
        connection.commit()  # no transaction stays open; a session-level lock outlives it
        yield held
    finally:
        if held:
            try:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
            except Exception:  # noqa: BLE001 - a broken connection: close it, which releases the lock
                connection.invalidate()
        connection.close()


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[bool]:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
