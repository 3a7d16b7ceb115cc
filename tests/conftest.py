"""Shared fixtures: a migrated database per test worker (SQLite, or PostgreSQL when
PPID_TEST_DATABASE_URL names an admin connection), a real local SMTP server, users, files."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from ppid_desk import create_app
from ppid_desk.extensions import db, limiter

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_HOLIDAYS = ROOT / "tests" / "data" / "id-holidays-2024-2026.csv"  # see tests/data/README.md
ARTIFACTS = ROOT / "test-artifacts"


# --- database -----------------------------------------------------------------------------

def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    admin_url = os.environ.get("PPID_TEST_DATABASE_URL")
    if not admin_url:
        path = tmp_path_factory.mktemp("db") / "ppid_test.sqlite3"
        yield f"sqlite:///{path}"
        return
    from ppid_desk.config import normalise_database_url

    admin_url = normalise_database_url(admin_url)
    name = f"ppid_test_{_worker()}_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
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


class Mailbox:
    """A real SMTP server on loopback that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        from email import message_from_bytes
        from email.policy import default

        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 5.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.messages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, Mailbox]]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    smtp_server[1].clear()
    return smtp_server[1]


def build_test_config(database_url: str, instance: Path, smtp_port: int) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,  # initialised on; each test starts with limits off
        # `make test` shares one Redis between the xdist workers (PPID_RATELIMIT_STORAGE_URI):
        # each worker's keys get their own prefix, so one worker's reset leaves the others' alone.
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": f"ppid-test-{_worker()}"},
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "SERVER_NAME": None,
        # scrypt costs ~0.1 s a hash; the suite logs in hundreds of times. Production keeps scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


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

    @app.before_request
    def _forget_the_previous_requests_user():
        # The `app` fixture keeps an app context pushed, which Flask reuses for test-client
        # requests, so `g` would carry Flask-Login's cached user from one client to the next.
        from flask import g

        g.pop("_login_user", None)

    return app


def _clean(app) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


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
    from ppid_desk.accounts.models import User, UserRole

    def _make(email="warga@example.id", password="rahasia-panjang-1", *, name="Siti Warga",
              roles=("pemohon",), verified=True, unit=None):
        from ppid_desk.dbtypes import utcnow

        user = User(email=email, name=name, email_verified_at=utcnow() if verified else None, unit=unit)
        user.set_password(password)
        user.role_rows = [UserRole(role=r) for r in roles]
        db.session.add(user)
        db.session.commit()
        return user

    return _make


@pytest.fixture
def clock(app):
    """Move the app's time: clock.travel_to(datetime(..., tzinfo=UTC)), clock.advance(timedelta)."""
    from ppid_desk import clock as app_clock

    yield app_clock
    app_clock.reset()


@pytest.fixture
def make_unit(app):
    from ppid_desk.organisation.models import Unit

    def _make(code="DISDIK", name="Dinas Pendidikan", kind="pembantu", parent=None):
        unit = Unit(code=code, name=name, kind=kind, parent=parent)
        db.session.add(unit)
        db.session.commit()
        return unit

    return _make


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
    """Register a request directly through the service (fast; no HTTP), optionally in the past."""
    from ppid_desk.requests.services import ApplicantDetails, RequestDetails, request_register

    def _file(*, received_at=None, email="budi@example.id", name="Budi Santoso", owner=None,
              channel="online", rincian="Dokumen anggaran Dinas Pendidikan tahun 2025.", actor=None):
        from ppid_desk.dbtypes import utcnow

        item = request_register(
            actor=actor or owner, owner=owner, channel=channel, documents=[],
            received_at=received_at or utcnow(),
            applicant=ApplicantDetails(kind="perorangan", name=name, nik="3201011505900001",
                                       legal_approval_number=None, representative_name=None,
                                       address="Jl. Melati No. 5", occupation="Wiraswasta",
                                       phone="081234567890", email=email),
            details=RequestDetails(rincian=rincian, tujuan="Pengawasan anggaran",
                                   access_method="salinan_softcopy", copy_delivery="email"),
        )
        db.session.commit()
        return item

    return _file


@pytest.fixture
def login(client):
    def _login(email="warga@example.id", password="rahasia-panjang-1"):
        return client.post("/masuk", data={"email": email, "password": password})

    return _login


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def request_form(**overrides) -> dict:
    """A complete, valid guest request form (perorangan) with a KTP image."""
    import io

    data = {
        "applicant_kind": "perorangan",
        "name": "Budi Santoso",
        "nik": "3201011505900001",
        "address": "Jl. Melati No. 5, RT 01/RW 02, Kelurahan Sukamaju",
        "occupation": "Wiraswasta",
        "phone": "0812 3456 7890",
        "email": "budi@example.id",
        "rincian": "Dokumen pelaksanaan anggaran (DPA) Dinas Pendidikan tahun 2025.",
        "tujuan": "Pengawasan penggunaan anggaran pendidikan di kelurahan kami.",
        "access_method": "salinan_softcopy",
        "copy_delivery": "email",
        "declaration": "y",
        "identity_document": (io.BytesIO(png_bytes()), "ktp-budi.png"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


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
