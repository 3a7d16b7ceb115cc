"""Personal data (issue 6, item 6): a data key from configuration (never from SECRET_KEY), NIK,
legal-entity numbers and identity documents encrypted at rest, and `flask ppid purge` past the
retention period keeping the register's non-personal columns and the monev metrics."""

from __future__ import annotations

import io
import os
import secrets
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text
from werkzeug.datastructures import FileStorage

from ppid_desk import create_app
from ppid_desk.attachments.models import Attachment
from ppid_desk.attachments.services import (
    attachment_claim,
    attachment_read,
    attachment_stage,
    upload_folder,
)
from ppid_desk.audit.models import Event
from ppid_desk.audit.personal import unseal
from ppid_desk.audit.selectors import events_for
from ppid_desk.audit.services import chain_is_intact
from ppid_desk.extensions import db
from ppid_desk.monev.metrics import monev_metrics
from ppid_desk.monev.register_columns import REQUEST_COLUMNS
from ppid_desk.monev.register_selectors import RegisterFilters, request_register
from ppid_desk.notices.services import notice_issue
from ppid_desk.objections.filing_services import objection_file
from ppid_desk.operations.data_key import data_key_rotate
from ppid_desk.operations.retention import PURGED, personal_data_purge, retention_ends_on
from ppid_desk.privacy import EXTENSION, DataKeyError, data_key_init, legacy_secret_key
from ppid_desk.requests.models import Applicant, InformationRequest
from tests.factories import END, START, TODAY, at, grant
from tests.helpers import ROOT, png_bytes

PERSONAL_HEADERS = {"Nama pemohon", "Alamat", "Kontak (telepon/e-mail)"}


def identity_document(item) -> Attachment:
    storage = FileStorage(io.BytesIO(png_bytes()), filename="ktp.png", content_type="image/png")
    attachment = attachment_stage(field="identity_document", purpose="identity_document", storage=storage)
    attachment_claim(attachment, request_id=item.id)
    db.session.commit()
    return attachment


def raw(column: str, applicant_id: int) -> str | None:
    return db.session.execute(text(f"SELECT {column} FROM applicant WHERE id = :id"), {"id": applicant_id}).scalar()


# --- encryption at rest ---------------------------------------------------------------------

def test_nik_legal_number_and_identity_documents_are_encrypted_at_rest(app, file_request):
    item = file_request()
    item.applicant.legal_approval_number = "AHU-0012345.AH.01.07.2020"
    db.session.commit()
    document = identity_document(item)
    nik, legal = raw("nik", item.applicant_id), raw("legal_approval_number", item.applicant_id)
    assert "3201011505900001" not in nik and "AHU" not in legal
    fernet = Fernet(app.config["DATA_KEY"].encode())
    assert fernet.decrypt(nik.encode()).decode() == "3201011505900001"
    assert fernet.decrypt(legal.encode()).decode() == "AHU-0012345.AH.01.07.2020"
    on_disk = (upload_folder() / document.stored_name).read_bytes()
    assert png_bytes() not in on_disk and attachment_read(document) == png_bytes()
    # Masked unless revealed: only the last four characters show.
    assert item.applicant.nik_masked.endswith("0001") and "3201" not in item.applicant.nik_masked
    assert item.applicant.legal_approval_number_masked.endswith("2020")
    assert "AHU" not in item.applicant.legal_approval_number_masked


def test_the_data_key_is_not_derived_from_the_session_secret(app):
    assert app.config["DATA_KEY"] != legacy_secret_key(app.config["SECRET_KEY"])


REAL_SECRET = secrets.token_urlsafe(48)  # outside debug/testing the app wants a real session secret


def _fresh_app(tmp_path, monkeypatch, **config):
    monkeypatch.setenv("PPID_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("PPID_DATA_KEY", raising=False)
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", **config})


def test_production_refuses_to_start_without_a_data_key(tmp_path, monkeypatch):
    with pytest.raises(DataKeyError, match="PPID_DATA_KEY"):
        _fresh_app(tmp_path, monkeypatch, SECRET_KEY=REAL_SECRET)
    with pytest.raises(DataKeyError, match="Fernet"):
        _fresh_app(tmp_path, monkeypatch, SECRET_KEY=REAL_SECRET, DATA_KEY="not-a-key")
    key = Fernet.generate_key().decode()
    assert _fresh_app(tmp_path, monkeypatch, SECRET_KEY=REAL_SECRET, DATA_KEY=key).config["DATA_KEY"] == key
    assert not (tmp_path / "data.key").exists()


def test_development_generates_the_key_file_once_and_reuses_it(tmp_path, monkeypatch):
    first = _fresh_app(tmp_path, monkeypatch, TESTING=True)  # development: debug or testing
    path = tmp_path / "data.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.config["DATA_KEY"] == path.read_text().strip()
    again = _fresh_app(tmp_path, monkeypatch, SECRET_KEY=REAL_SECRET)  # an existing file is configuration
    assert again.config["DATA_KEY"] == first.config["DATA_KEY"]


@pytest.fixture
def restore_key(app):
    saved = (app.config["DATA_KEY"], list(app.config["DATA_KEYS"]), app.extensions[EXTENSION])
    yield
    app.config["DATA_KEY"], app.config["DATA_KEYS"], app.extensions[EXTENSION] = saved


def _use_keys(app, key: str, *old: str) -> None:
    app.config.update(DATA_KEY=key, DATA_KEYS=list(old))
    data_key_init(app)


def test_rotation_re_encrypts_values_and_files_with_the_new_key(app, file_request, restore_key):
    item = file_request()
    document = identity_document(item)
    old, new = app.config["DATA_KEY"], Fernet.generate_key().decode()
    _use_keys(app, new, old)
    # the NIK and the applicant's subject key (which sealed the receipt's address in the log)
    assert data_key_rotate() == {"values": 2, "files": 1, "missing_files": 0}
    db.session.commit()
    _use_keys(app, new)  # the old key is gone: everything still reads
    db.session.expire_all()
    assert db.session.get(Applicant, item.applicant_id).nik == "3201011505900001"
    assert attachment_read(document) == png_bytes()
    [queued] = [e for e in events_for("request", item.id) if e.kind == "email_queued"]
    assert unseal(queued.data["recipient"]) == "budi@example.id"


def test_rotation_takes_over_values_of_the_old_secret_derived_key(app, file_request, restore_key, runner):
    item = file_request()
    legacy = Fernet(legacy_secret_key(app.config["SECRET_KEY"]).encode())
    db.session.execute(text("UPDATE applicant SET nik = :v WHERE id = :id"),
                       {"v": legacy.encrypt(b"3201011505900009").decode(), "id": item.applicant_id})
    db.session.commit()
    assert runner.invoke(args=["ppid", "data-key", "rotate"]).exit_code == 1
    result = runner.invoke(args=["ppid", "data-key", "rotate", "--legacy-secret"])
    assert result.exit_code == 0, result.output
    assert "re-encrypted 2 value(s)" in result.output  # the NIK and the subject key
    db.session.expire_all()
    assert db.session.get(Applicant, item.applicant_id).nik == "3201011505900009"


@pytest.mark.skipif(bool(os.environ.get("PPID_TEST_DATABASE_URL")), reason="the migration is checked on SQLite")
def test_the_migration_encrypts_existing_legal_approval_numbers(tmp_path):
    key = Fernet.generate_key().decode()
    env = dict(os.environ, PPID_INSTANCE_PATH=str(tmp_path), PPID_DATA_KEY=key, PPID_SECRET_KEY=REAL_SECRET,
               DATABASE_URL=f"sqlite:///{tmp_path / 'm.sqlite3'}")

    def flask(*args):
        subprocess.run([sys.executable, "-m", "flask", "--app", "ppid_desk", *args], env=env, cwd=ROOT,
                       check=True, capture_output=True)

    flask("db", "upgrade", "74af5f0eaa56")
    with sqlite3.connect(tmp_path / "m.sqlite3") as conn:
        conn.execute("INSERT INTO applicant (kind, name, legal_approval_number, address, occupation, phone, email,"
                     " created_at) VALUES ('badan_hukum', 'PT Contoh', 'AHU-77', 'Jl. A', 'Swasta', '1', 'a@b.id',"
                     " '2026-01-01 00:00:00')")
    flask("db", "upgrade")
    with sqlite3.connect(tmp_path / "m.sqlite3") as conn:
        stored, purged = conn.execute("SELECT legal_approval_number, purged_at FROM applicant").fetchone()
    assert purged is None and stored != "AHU-77"
    assert Fernet(key.encode()).decrypt(stored.encode()) == b"AHU-77"


# --- the purge ------------------------------------------------------------------------------

def _register_without_personal_columns() -> list[list[str]]:
    columns = [c for c in REQUEST_COLUMNS if str(c.header) not in PERSONAL_HEADERS]
    rows = request_register(RegisterFilters(start=START, end=END)).rows
    return [[str(c.value(row)) for c in columns] for row in rows]


def test_purge_removes_personal_data_and_keeps_register_and_metrics(app, log, clock, runner):  # noqa: F811
    documents = {key: identity_document(log[key]) for key in ("A", "E")}
    # ids and file names now: the purge deletes A's row, and a deleted row cannot be read back
    document_ids = {key: d.id for key, d in documents.items()}
    purged_file = documents["A"].stored_name
    metrics_before = monev_metrics(start=START, end=END, unit_code=None, today=TODAY)
    register_before = _register_without_personal_columns()
    # Five years and a bit later: everything but the open requests E and H has expired.
    clock.travel_to(datetime(2031, 12, 1, 3, 0, tzinfo=UTC))

    result = runner.invoke(args=["ppid", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would purge personal data of 7 request(s), 1 file(s)" in result.output
    assert db.session.get(Applicant, log["A"].applicant_id).name == "Budi Santoso"

    result = runner.invoke(args=["ppid", "purge"])
    assert result.exit_code == 0, result.output
    assert "purged personal data of 7 request(s), 1 file(s)" in result.output
    db.session.expire_all()
    for key, item in log.items():
        applicant = db.session.get(Applicant, item.applicant_id)
        if key in "EH":
            assert applicant.purged_at is None and applicant.nik == "3201011505900001"
            continue
        assert (applicant.name, applicant.address, applicant.phone, applicant.email) == (PURGED,) * 4
        assert applicant.nik is None and applicant.legal_approval_number is None and applicant.purged_at
        assert applicant.occupation == "Wiraswasta"  # not identifying; the register keeps it
        events = events_for("request", item.id)
        assert events[-1].kind == "personal_data_purged" and chain_is_intact(events)
    assert db.session.get(Attachment, document_ids["A"]) is None
    assert not (upload_folder() / purged_file).exists()
    assert attachment_read(db.session.get(Attachment, document_ids["E"])) == png_bytes()

    assert monev_metrics(start=START, end=END, unit_code=None, today=TODAY) == metrics_before
    assert _register_without_personal_columns() == register_before
    db.session.rollback()  # the metrics refill monev's caches the purge emptied: not this test's to keep
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0
    # Idempotent.
    again = runner.invoke(args=["ppid", "purge"])
    assert "purged personal data of 0 request(s), 0 file(s)" in again.output
    assert db.session.scalar(select(db.func.count()).select_from(Event)
                             .where(Event.kind == "personal_data_purged")) == 7


def test_retention_counts_from_the_end_of_the_objection_window(app, file_request, make_user, clock):
    officer = make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    clock.travel_to(at(7, 6))
    item = file_request(received_at=at(7, 6))
    clock.travel_to(at(7, 10))
    notice_issue(actor=officer, item=item, draft=grant(), notify=False, at=at(7, 10))
    db.session.commit()
    ended = retention_ends_on(item)
    assert ended > at(8, 20).date()  # 30 working days after the 10 July notice (17 Aug is a holiday)
    days = app.config["PERSONAL_DATA_RETENTION_DAYS"]
    last_kept = ended + timedelta(days=days)
    assert personal_data_purge(today=last_kept).requests == []
    # An objection filed in time keeps it until the objection is answered.
    clock.travel_to(at(7, 15))
    objection_file(actor=None, request=item, grounds=["g"], case_summary="Kasus.", intended_use="Pengawasan.",
                   representative_name=None, documents=[], filed_at=at(7, 15), channel="online", notify=False)
    db.session.commit()
    assert retention_ends_on(item) is None
    assert personal_data_purge(today=last_kept + timedelta(days=3650)).requests == []


def test_purge_after_the_period_and_never_before(app, file_request, make_user, clock):
    officer = make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    clock.travel_to(at(7, 6))
    item = file_request(received_at=at(7, 6))
    notice_issue(actor=officer, item=item, draft=grant(), notify=False, at=at(7, 6))
    db.session.commit()
    last_kept = retention_ends_on(item) + timedelta(days=app.config["PERSONAL_DATA_RETENTION_DAYS"])
    assert personal_data_purge(today=last_kept).requests == []
    assert personal_data_purge(today=last_kept + timedelta(days=1)).requests == [item.number]
    db.session.expire_all()
    assert db.session.get(InformationRequest, item.id).applicant.name == PURGED
