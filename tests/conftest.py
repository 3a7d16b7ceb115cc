"""Shared fixtures: a migrated database per test worker (SQLite, or PostgreSQL when
PPID_TEST_DATABASE_URL names an admin connection), a real local SMTP server, users, files."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, event, exists, literal, select, text, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ppid_desk import create_app
from ppid_desk.extensions import db, limiter
from tests import factories
from tests.helpers import (
    ARTIFACTS,
    Mailbox,
    build_test_config,
    free_port,
    send_outbox,
    xdist_worker,
)

# --- order: the long tests first ------------------------------------------------------------
# Real browsers, several server processes and the form fuzzing take seconds each: started first,
# xdist's workers (`make test`: --dist worksteal) fill in around them with the short tests
# instead of waiting for one long test at the end.

LONG_MODULES = {"test_fuzz_forms.py"}


def pytest_collection_modifyitems(config, items):
    def is_long(item) -> bool:
        return (item.get_closest_marker("browser") is not None or item.get_closest_marker("concurrency") is not None
                or item.path.name in LONG_MODULES)

    items.sort(key=lambda item: not is_long(item))  # stable: the order within each part is kept


# --- database -----------------------------------------------------------------------------

@event.listens_for(Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, connection_record) -> None:
    """The test database is thrown away: SQLite need not fsync at every commit (3 to 17 ms of
    waiting each on a busy disk, thousands of commits a run). Visibility is unchanged."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    admin_url = os.environ.get("PPID_TEST_DATABASE_URL")
    if not admin_url:
        path = tmp_path_factory.mktemp("db") / "ppid_test.sqlite3"
        yield f"sqlite:///{path}"
        return
    from ppid_desk.config import normalise_database_url

    admin_url = normalise_database_url(admin_url)
    name = f"ppid_test_{xdist_worker()}_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # A throwaway database need not wait for the disk at each commit (servers started by
        # the tests connect to it too); what a commit makes visible is unchanged.
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    base = admin_url.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    from ppid_desk.extensions import db as app_db

    with contextlib.suppress(Exception):  # let the app's pool release its connections first
        app_db.engine.dispose()
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    except Exception as error:  # a throwaway database left behind must not fail the run
        print(f"note: could not drop test database {name}: {error}")
    admin.dispose()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, Mailbox]]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory) -> Iterator[str]:
    """A local S3-compatible server for the S3 upload storage: moto's (``moto[server]`` of the
    test extras, pure Python, installed by pip like the rest) on a free loopback port, one per test
    worker, started the first time a test asks for it. Yields its endpoint URL."""
    if importlib.util.find_spec("moto") is None:
        pytest.fail("moto is not installed, and the S3 storage tests need its local S3 server: "
                    "run `make setup` (pip install -e '.[test]').", pytrace=False)
    port = free_port()
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    with open(log, "wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                   stdout=sink, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"moto's S3 server did not start: {log.read_text()[-2000:]}", pytrace=False)
            time.sleep(0.05)
    yield endpoint
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3_settings(s3_server) -> dict[str, str]:
    """The settings of an S3 upload storage in a new, empty bucket of the local S3 server."""
    import boto3

    bucket = f"ppid-test-{xdist_worker()}-{secrets.token_hex(6)}".lower()
    settings = {"UPLOAD_STORAGE": "s3", "UPLOAD_S3_BUCKET": bucket, "UPLOAD_S3_ENDPOINT_URL": s3_server,
                "UPLOAD_S3_REGION": "us-east-1", "UPLOAD_S3_PREFIX": "uploads/",
                "UPLOAD_S3_ACCESS_KEY_ID": "testing", "UPLOAD_S3_SECRET_ACCESS_KEY": "testing"}
    boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=bucket)
    return settings


@pytest.fixture
def s3_storage(app, s3_settings, monkeypatch):
    """The app's uploads in an S3 bucket of the local S3 server for one test; yields the store."""
    from ppid_desk.attachments.storage import upload_storage

    for key, value in s3_settings.items():
        monkeypatch.setitem(app.config, key, value)
    return upload_storage()


@pytest.fixture
def mailbox(smtp_server, _app) -> Iterator[Mailbox]:
    """The local SMTP server's inbox; reading it runs the outbox sender once (see ``Mailbox``)."""
    box = smtp_server[1]
    box.deliver = lambda: send_outbox(_app)
    box.clear()
    yield box
    box.deliver = None


@pytest.fixture(scope="session")
def _app(database_url, smtp_server, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    os.environ["PPID_INSTANCE_PATH"] = str(instance)
    # One data key for the session, inherited by the servers some tests start in subprocesses.
    from cryptography.fernet import Fernet

    os.environ.setdefault("PPID_DATA_KEY", Fernet.generate_key().decode())
    app = create_app(build_test_config(database_url, instance, smtp_server[0].port))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    app.config["INSTANCE_FOR_TESTS"] = instance
    app.test_client_class = IsolatedClient
    app.test_cli_runner_class = IsolatedCliRunner
    return app


# --- every request in its own application context -------------------------------------------
# The `app` fixture keeps one application context pushed for the whole test, and Flask reuses a
# pushed context of the same app for test-client requests: the view would then share the test's
# `g` and its Flask-SQLAlchemy session (scoped by application context), and work a view forgot
# to commit would look saved. So each request (each redirect hop too) and each CLI invocation
# runs in a fresh application context with its own session, as in production; before it, the
# test's own transaction ends, so afterwards the test reads only what was committed.

class UncommittedSetup(RuntimeError):
    pass


def _end_the_tests_transaction(app) -> None:
    from flask import current_app, has_app_context

    if not has_app_context() or current_app._get_current_object() is not app:
        return  # no test context of this app: nothing the test holds
    session = db.session()
    if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty) \
            or session.info.get("flushed_uncommitted") or _wrote_without_flush(session):
        raise UncommittedSetup(
            "the test has database changes it did not commit: commit your setup before a request, or "
            "roll back what it need not keep (the request runs in its own session and would not see them)")
    session.rollback()  # also expires what the test holds: it reloads committed state


def _wrote_without_flush(session) -> bool:
    """Rows inserted by a statement of their own (``ppid_desk.rows``) mark the connection, not the
    session (``operations.data_version``)."""
    from ppid_desk.operations.data_version import MARK

    return session.in_transaction() and bool(session.connection().info.get(MARK))


class IsolatedClient(FlaskClient):
    def open(self, *args, **kwargs):
        _end_the_tests_transaction(self.application)
        return super().open(*args, **kwargs)

    def run_wsgi_app(self, environ, buffered=False):
        with self.application.app_context():
            return super().run_wsgi_app(environ, buffered=buffered)


class IsolatedCliRunner(FlaskCliRunner):
    def invoke(self, cli=None, args=None, **kwargs):
        _end_the_tests_transaction(self.app)
        with self.app.app_context():
            return super().invoke(cli, args, **kwargs)


@event.listens_for(Session, "after_flush")
def _note_flush(session, flush_context):
    session.info["flushed_uncommitted"] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_flush(session, *args):
    session.info.pop("flushed_uncommitted", None)


# The working calendar is a baseline every test starts from: 2025 to 2028 imported from the
# `holidays` package, monev's working-day ordinals built. Almost every test files a request, which
# would otherwise import two years into an empty database and renumber the ordinals. A test that
# changes the calendar leaves a different fingerprint: the next test's clean-up then empties the
# three tables and imports the baseline again. Tests of importing itself start with no year at
# all: the ``empty_calendar`` fixture.
CALENDAR_TABLES = ("calendar_year", "holiday", "workday_ordinal")
BASELINE_YEARS = (2025, 2026, 2027, 2028)
_baseline: dict = {}


def _calendar_fingerprint(conn) -> tuple:
    """What the calendar holds: every year and holiday row (a hundred or so), the ordinals' extent."""
    return (tuple(conn.execute(text("SELECT year FROM calendar_year ORDER BY year"))),
            tuple(conn.execute(text("SELECT id, day, kind, name, active FROM holiday ORDER BY id"))),
            tuple(conn.execute(text("SELECT count(*), min(day), max(day), max(ordinal) FROM workday_ordinal")).one()))


def _calendar_empty(conn) -> None:
    for name in CALENDAR_TABLES[::-1]:  # children first
        conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - fixed table names
    # A change behind the ORM's back: replace the version token, as every change does, so that
    # no app keeps the holidays it held in memory (workcalendar.selectors).
    conn.execute(text("UPDATE calendar_version SET token = :token"), {"token": secrets.token_hex(16)})


def _calendar_baseline(app) -> None:
    from ppid_desk.workcalendar.services import calendar_years_ensure

    with app.app_context():
        calendar_years_ensure(*BASELINE_YEARS)
        db.session.commit()
        with db.engine.connect() as conn:
            _baseline["fingerprint"] = _calendar_fingerprint(conn)


def _clean(app) -> None:
    """Empty every table the last test wrote but the baseline calendar (imported again first if
    the last test changed it): one query finds the tables that hold rows, children go first."""
    tables = list(reversed(db.metadata.sorted_tables))
    written = union_all(*(select(literal(table.name)).where(exists().select_from(table)) for table in tables))
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            changed = _calendar_fingerprint(conn) != _baseline.get("fingerprint")
            if changed:
                _calendar_empty(conn)
        if changed:
            _calendar_baseline(app)  # its signal touches monev's tables too: emptied below
        with db.engine.begin() as conn:
            # The two version rows stay; the data's token is replaced, as every write through a
            # session replaces it, so that no worker serves a page it kept from the last test.
            holding = set(conn.scalars(written)) - set(CALENDAR_TABLES) - {"calendar_version", "data_version"}
            for table in tables:
                if table.name in holding:
                    conn.execute(table.delete())
            conn.execute(text("UPDATE data_version SET token = :token"), {"token": secrets.token_hex(16)})


@pytest.fixture
def app(_app, mailbox):
    from ppid_desk import clock

    clock.reset()
    _clean(_app)
    _app.config.update(WTF_CSRF_ENABLED=False)
    limiter.enabled = False
    with _app.app_context():
        yield _app
        db.session.remove()


@pytest.fixture
def empty_calendar(app):
    """No calendar year imported (the baseline removed, committed): for the tests of importing."""
    with db.engine.begin() as conn:
        _calendar_empty(conn)


@pytest.fixture
def rate_limits(app):
    """Turn Flask-Limiter on for one test, with fresh counters."""
    limiter.reset()
    limiter.enabled = True
    yield limiter
    limiter.enabled = False
    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- people and files ---------------------------------------------------------------------

@pytest.fixture
def make_user(app):
    """``make_user(email=..., roles=(...), unit=...)``: a committed user (tests/factories.py)."""
    return factories.make_user


@pytest.fixture
def clock(app):
    """Move the app's time: clock.travel_to(datetime(..., tzinfo=UTC)), clock.advance(timedelta)."""
    from ppid_desk import clock as app_clock

    yield app_clock
    app_clock.reset()


@pytest.fixture
def make_unit(app):
    return factories.make_unit


@pytest.fixture
def officer_client(app, make_user):
    """A test client logged in as a new user with ``role`` (and ``unit``)."""
    counter = iter(range(1, 10_000))

    def _officer(role: str, unit=None, name=None):
        email = f"{role}{next(counter)}@pemda.example.id"
        make_user(email=email, roles=(role,), unit=unit, name=name or f"Petugas {role}")
        client = app.test_client()
        response = client.post("/masuk", data={"email": email, "password": "rahasia-panjang-1"})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        client.user_email = email
        return client

    return _officer


@pytest.fixture
def file_request(app):
    """Register a request through the service (fast; no HTTP), optionally in the past."""
    return factories.register_request


@pytest.fixture
def login(client):
    def _login(email="warga@example.id", password="rahasia-panjang-1"):
        return client.post("/masuk", data={"email": email, "password": password})

    return _login


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def count_queries(app):
    """Record the SQL statements run inside ``with count_queries() as statements:`` (N+1 checks)."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def _count():
        statements: list[str] = []

        def _record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", _record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", _record)

    return _count


@pytest.fixture
def log(app, clock):
    """The monev quarter's requests A–H and W, keyed by letter (tests/factories.py: monev_log)."""
    return factories.monev_log()
