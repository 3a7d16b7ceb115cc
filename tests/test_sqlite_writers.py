"""SQLite's writers wait in line on a file lock beside the database (operations/sqlite_writers.py).

Each test looks at the lock file the way another worker process would: its own open file
description, a non-blocking ``flock``."""

from __future__ import annotations

import fcntl
import os

import pytest

from ppid_desk.extensions import db
from ppid_desk.organisation.models import Unit


@pytest.fixture
def lock_path(app):
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        pytest.skip("PostgreSQL has row locks: writers do not queue on a file")
    return os.path.abspath(url.database) + ".writers"


def taken_by_someone_else(path: str) -> bool:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def test_a_write_holds_the_line_until_it_commits(app, lock_path):
    db.session.rollback()
    db.session.get(Unit, 1)  # reading takes nothing
    assert not taken_by_someone_else(lock_path)
    db.session.add(Unit(code="BAPPEDA", name="Bappeda", kind="pembantu"))
    db.session.flush()
    assert taken_by_someone_else(lock_path)
    db.session.commit()
    assert not taken_by_someone_else(lock_path)
    assert db.session.query(Unit).filter_by(code="BAPPEDA").one().name == "Bappeda"


def test_a_rollback_or_a_returned_connection_lets_go(app, lock_path):
    db.session.rollback()
    db.session.add(Unit(code="DINKES", name="Dinas Kesehatan", kind="pembantu"))
    db.session.flush()
    assert taken_by_someone_else(lock_path)
    db.session.rollback()
    assert not taken_by_someone_else(lock_path)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO unit (code, name, kind, active, issues_notices) VALUES ('X1', 'Unit X', 'pembantu', 1, 0)")
        assert taken_by_someone_else(lock_path)
    assert not taken_by_someone_else(lock_path)  # closed without a commit: rolled back, let go
    assert db.session.query(Unit).filter_by(code="X1").first() is None


def test_a_request_that_files_leaves_the_line_free(app, client, lock_path):
    from tests.helpers import request_form

    assert client.post("/permohonan/baru", data=request_form()).status_code == 303
    assert not taken_by_someone_else(lock_path)
