"""`flask ppid backup` / `flask ppid restore` round-trip a populated database and its uploads, on
the configured database (SQLite, or PostgreSQL with PPID_TEST_DATABASE_URL); damaged, altered
or newer archives are refused (issue 6, item 8)."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from ppid_desk.attachments.models import Attachment
from ppid_desk.attachments.services import attachment_read
from ppid_desk.audit.models import Event
from ppid_desk.audit.services import chain_is_intact
from ppid_desk.dbtypes import utcnow
from ppid_desk.extensions import db
from ppid_desk.objections.filing_services import objection_file
from ppid_desk.objections.models import Objection
from ppid_desk.operations.backup import MANIFEST, BackupError, _check_revision, backup_create
from ppid_desk.requests.lifecycle import request_event
from ppid_desk.requests.models import InformationRequest
from tests.helpers import png_bytes, request_form

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
CACHED = ("number", "seq", "status", "notice_due", "due_date", "notice_at", "outcome", "pasal17_basis",
          "closed_at")


def table_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def cached(item_id: int) -> dict:
    item = db.session.get(InformationRequest, item_id)
    return {name: getattr(item, name) for name in CACHED}


def uploads_folder(app) -> Path:
    return Path(app.config["UPLOAD_FOLDER"])


def chains_intact() -> bool:
    subjects = db.session.execute(select(Event.subject_type, Event.subject_id).distinct()).all()
    assert subjects
    return all(chain_is_intact(list(db.session.scalars(
        select(Event).where(Event.subject_type == kind, Event.subject_id == sid).order_by(Event.id))))
        for kind, sid in subjects)


@pytest.fixture
def populated(app, client, clock, file_request):
    """Two web submissions with KTP scans, one refused and objected to, one filed by the desk."""
    clock.travel_to(MONDAY)
    ktps = {}
    for name, size in (("Budi Santoso", 2), ("Sari Dewi", 4)):
        response = client.post("/permohonan/baru", data=request_form(
            name=name, identity_document=(io.BytesIO(png_bytes(size, size)), "ktp.png")),
            content_type="multipart/form-data")
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
        item_id = int(response.headers["Location"].rstrip("/").split("/")[-2])
        ktps[item_id] = png_bytes(size, size)
    refused = db.session.get(InformationRequest, min(ktps))
    request_event(actor=None, item=refused, kind="notice_issued", changes={
        "status": "notice_issued", "notice_at": utcnow(), "outcome": "refused", "pasal17_basis": "b"})
    db.session.commit()
    clock.advance(timedelta(days=3))
    objection_file(actor=None, request=refused, grounds=["a"], case_summary="Ditolak tanpa uji konsekuensi.",
                   intended_use="Riset", representative_name=None, documents=[], filed_at=utcnow(),
                   channel="online")
    db.session.commit()
    file_request(channel="walk_in", name="Ani Lestari", email="ani@example.id")
    return ktps


def test_backup_and_restore_round_trip(app, populated, runner, tmp_path, file_request):
    ktps = populated
    counts, states = table_counts(), {item_id: cached(item_id) for item_id in ktps}
    assert counts["objection"] == 1 and counts["attachment"] == 2 and counts["event"] >= 5
    files_before = {p.name: p.read_bytes() for p in uploads_folder(app).iterdir()}

    archive = tmp_path / "b.tar.gz"
    result = runner.invoke(args=["ppid", "backup", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    assert "DATA_KEY" in result.output and archive.exists()
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
        names = set(tar.getnames())
    assert manifest["db_dialect"] == db.engine.dialect.name
    assert manifest["alembic_revision"] == db.session.scalar(text("SELECT version_num FROM alembic_version"))
    assert "DATA_KEY" in manifest["secrets"]
    assert {f"uploads/{name}" for name in files_before} <= names
    assert not any("data.key" in name or "config" in name for name in names)
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"])

    # Life goes on: a request changes, another is filed, a scan is lost and another damaged.
    first, second = sorted(ktps)
    item = db.session.get(InformationRequest, second)
    request_event(actor=None, item=item, kind="notice_issued", changes={
        "status": "notice_issued", "notice_at": utcnow(), "outcome": "granted_full"})
    db.session.commit()
    file_request(email="baru@example.id")
    db.session.execute(Objection.__table__.delete())
    db.session.commit()
    documents = {d.request_id: d for d in db.session.scalars(select(Attachment))}
    (uploads_folder(app) / documents[first].stored_name).unlink()
    (uploads_folder(app) / documents[second].stored_name).write_bytes(b"rusak")
    (uploads_folder(app) / "stray-file").write_bytes(b"x")
    assert table_counts() != counts

    result = runner.invoke(args=["ppid", "restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()

    assert table_counts() == counts
    assert {item_id: cached(item_id) for item_id in ktps} == states
    for document in db.session.scalars(select(Attachment)):
        assert attachment_read(document) == ktps[document.request_id]
    assert {p.name: p.read_bytes() for p in uploads_folder(app).iterdir()} == files_before
    assert chains_intact()
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0
    # The restored database is a working one: the next registration continues the numbering.
    assert file_request(email="lagi@example.id").seq == max(s["seq"] for s in states.values()) + 2


def rewrite(archive: Path, target: Path, change) -> Path:
    """Copy a backup archive, letting ``change(name, data)`` alter each member's bytes."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as sink:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            sink.addfile(member, io.BytesIO(data))
    return target


def test_an_altered_or_newer_archive_is_refused_and_nothing_changes(app, populated, runner, tmp_path):
    archive = backup_create(tmp_path / "b.tar.gz")
    counts = table_counts()
    files = {p.name: p.read_bytes() for p in uploads_folder(app).iterdir()}

    def flip_upload(name, data):
        return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("uploads/") else data

    def newer_schema(name, data):
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["alembic_revision"] = "ffffffffffff"
        return json.dumps(manifest).encode()

    cases = {
        "checksum mismatch": rewrite(archive, tmp_path / "tampered.tar.gz", flip_upload),
        "newer PPID Desk": rewrite(archive, tmp_path / "newer.tar.gz", newer_schema),
        "not a readable backup": tmp_path / "junk.tar.gz",
    }
    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    for message, path in cases.items():
        result = runner.invoke(args=["ppid", "restore", str(path), "--yes"])
        assert result.exit_code != 0 and message in result.output, (message, result.output)
    db.session.remove()
    assert table_counts() == counts
    assert {p.name: p.read_bytes() for p in uploads_folder(app).iterdir()} == files


def test_restore_asks_for_confirmation(app, runner, tmp_path):
    archive = backup_create(tmp_path / "b.tar.gz")
    result = runner.invoke(args=["ppid", "restore", str(archive)], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output


def test_an_older_schema_is_upgraded_and_an_unknown_one_refused(app):
    from alembic.script import ScriptDirectory

    from ppid_desk.migrations_path import MIGRATIONS_DIR

    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    head = scripts.get_current_head()
    assert _check_revision(head) is False
    assert _check_revision("f007f6001f95") is True  # the initial schema: restore, then upgrade
    with pytest.raises(BackupError, match="newer"):
        _check_revision("0123456789ab")


def test_default_archive_name_is_under_instance_backups(app, runner, clock):
    clock.travel_to(MONDAY)
    result = runner.invoke(args=["ppid", "backup"])
    assert result.exit_code == 0, result.output
    # The clock keeps ticking after travel_to, so a loaded machine may name it a second or
    # two later: the name must carry the moment the backup ran, not a fixed string.
    backups = Path(app.instance_path) / "backups"
    names = {
        f"ppid-backup-{(MONDAY + timedelta(seconds=s)):%Y%m%d-%H%M%S}.tar.gz" for s in range(60)
    }
    made = [p for p in backups.iterdir() if p.name in names]
    assert len(made) == 1 and str(made[0]) in result.output, (list(backups.iterdir()), result.output)
    made[0].unlink()


def test_backup_is_online_and_takes_only_committed_data(app, populated, runner, tmp_path):
    from ppid_desk.organisation.models import Unit

    counts = table_counts()
    with db.engine.connect() as writer:  # another worker, in the middle of a transaction
        writer.execute(Unit.__table__.insert().values(code="BARU", name="Unit Baru", kind="pembantu"))
        archive = backup_create(tmp_path / "b.tar.gz")
        writer.rollback()
    assert runner.invoke(args=["ppid", "restore", str(archive), "--yes"]).exit_code == 0
    db.session.remove()
    assert table_counts() == counts
