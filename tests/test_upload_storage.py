"""Uploaded files in a storage every server reaches (issue 17, item 5): the instance folder by
default, an S3-compatible bucket when configured. Each test runs on both stores; the S3 one is a
bucket of the local S3 server the suite starts (moto's, see the ``s3_server`` fixture)."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ppid_desk import create_app
from ppid_desk.attachments.models import Attachment
from ppid_desk.attachments.services import (
    attachment_claim,
    attachment_read,
    attachment_stage,
    attachments_purge_staged,
)
from ppid_desk.attachments.storage import StorageConfigError, upload_storage
from ppid_desk.extensions import db
from ppid_desk.notices.services import notice_issue
from ppid_desk.operations.data_key import data_key_rotate
from ppid_desk.operations.retention import personal_data_purge, retention_ends_on
from ppid_desk.privacy import EXTENSION, data_key_init
from tests.factories import at, grant
from tests.helpers import pdf_bytes, png_bytes, request_form


@pytest.fixture(params=["local", "s3"])
def storage(request, app, tmp_path, monkeypatch):
    """The app's upload storage for this test: an empty folder, or a fresh S3 bucket."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    if request.param == "s3":
        return request.getfixturevalue("s3_storage")
    return upload_storage()


def local_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def stage(content: bytes = b"", name: str = "ktp.png", purpose: str = "identity_document") -> Attachment:
    upload = FileStorage(io.BytesIO(content or png_bytes()), filename=name)
    return attachment_stage(field="identity_document", purpose=purpose, storage=upload)


def test_the_store_writes_reads_lists_and_deletes(app, storage):
    assert storage.files() == []
    storage.write("a1", b"first")
    storage.write("b2", b"second")
    storage.write("a1", b"replaced")  # a rewrite (the data-key rotation) replaces the whole file
    assert storage.read("a1") == b"replaced"
    assert [(f.name, f.size) for f in storage.files()] == [("a1", 8), ("b2", 6)]
    assert storage.delete("a1") is True
    assert storage.delete("a1") is False  # nothing there any more: said, not raised
    with pytest.raises(FileNotFoundError):
        storage.read("a1")
    for bad in ("", "../x", "sub/x"):
        with pytest.raises(ValueError):
            storage.write(bad, b"x")


def test_a_citizens_upload_is_stored_encrypted_and_the_officer_downloads_it(app, storage, client, officer_client):
    response = client.post("/permohonan/baru", data=request_form(), content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    document = db.session.scalar(select(Attachment))
    stored = storage.read(document.stored_name)
    assert png_bytes() not in stored  # ciphertext only, in either store
    assert [f.name for f in storage.files()] == [document.stored_name]
    if storage.kind == "s3":
        assert local_files(app) == set()  # nothing on this server's disk
    utama = officer_client("ppid_utama")
    download = utama.get(f"/meja/permohonan/{document.request_id}/dokumen/{document.id}")
    assert download.status_code == 200 and download.get_data() == png_bytes()


def test_a_replaced_staged_upload_leaves_the_store_once_committed(app, storage):
    first = stage(png_bytes(2, 2))
    db.session.commit()
    second = attachment_stage(field="identity_document", purpose="identity_document",
                              storage=FileStorage(io.BytesIO(png_bytes(3, 3)), filename="ktp.png"),
                              replaces=first.staged_token)
    assert {f.name for f in storage.files()} == {first.stored_name, second.stored_name}  # until the commit
    db.session.commit()
    assert [f.name for f in storage.files()] == [second.stored_name]


def test_stale_staged_uploads_and_orphans_leave_the_store_young_ones_stay(app, storage, clock):
    stage()
    stage(png_bytes(4, 4))
    db.session.commit()
    storage.write("orphan0000", b"left by a worker killed before its commit")
    assert attachments_purge_staged(older_than_hours=24) == 0  # all younger than a day: kept
    db.session.commit()
    assert len(storage.files()) == 3
    clock.advance(timedelta(hours=25))
    assert attachments_purge_staged(older_than_hours=24) == 3  # two staged uploads and the orphan
    db.session.commit()
    assert storage.files() == [] and db.session.scalar(select(Attachment.id)) is None


def test_the_retention_purge_removes_the_identity_document_from_the_store(app, storage, file_request, make_user,
                                                                           clock):
    officer = make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    clock.travel_to(at(7, 6))
    item = file_request(received_at=at(7, 6))
    document = stage()
    attachment_claim(document, request_id=item.id)
    notice_issue(actor=officer, item=item, draft=grant(), notify=False, at=at(7, 6))
    db.session.commit()
    name = document.stored_name
    last_kept = retention_ends_on(item) + timedelta(days=app.config["PERSONAL_DATA_RETENTION_DAYS"])
    report = personal_data_purge(today=last_kept + timedelta(days=1))
    assert report.requests == [item.number] and report.missing_files == 0
    assert name not in {f.name for f in storage.files()}
    with pytest.raises(FileNotFoundError):
        storage.read(name)


@pytest.fixture
def restore_key(app):
    saved = (app.config["DATA_KEY"], list(app.config["DATA_KEYS"]), app.extensions[EXTENSION])
    yield
    app.config["DATA_KEY"], app.config["DATA_KEYS"], app.extensions[EXTENSION] = saved


def test_the_data_key_rotation_rewrites_the_stored_files(app, storage, file_request, restore_key):
    item = file_request()
    document = stage()
    attachment_claim(document, request_id=item.id)
    db.session.commit()
    before = storage.read(document.stored_name)
    old, new = app.config["DATA_KEY"], Fernet.generate_key().decode()
    app.config.update(DATA_KEY=new, DATA_KEYS=[old])
    data_key_init(app)
    assert data_key_rotate()["files"] == 1
    db.session.commit()
    assert Fernet(new.encode()).decrypt(storage.read(document.stored_name)) == png_bytes()
    assert storage.read(document.stored_name) != before
    app.config.update(DATA_KEY=new, DATA_KEYS=[])
    data_key_init(app)
    assert attachment_read(document) == png_bytes()


def test_backup_takes_the_stored_files_and_restore_puts_back_exactly_them(app, storage, client, runner, tmp_path):
    response = client.post("/permohonan/baru", data=request_form(), content_type="multipart/form-data")
    assert response.status_code == 303
    document_id, name = db.session.execute(select(Attachment.id, Attachment.stored_name)).one()
    archive = tmp_path / "b.tar.gz"
    result = runner.invoke(args=["ppid", "backup", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    uploads = {e["path"]: e["personal"] for e in manifest["files"] if e["path"].startswith("uploads/")}
    assert uploads == {f"uploads/{name}": True}

    storage.write(name, b"damaged")
    storage.write("stray00000", b"not in the backup")
    result = runner.invoke(args=["ppid", "restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert [f.name for f in storage.files()] == [name]
    assert attachment_read(db.session.get(Attachment, document_id)) == png_bytes()


def test_a_delivered_document_copied_for_the_catalogue_is_its_own_object(app, storage):
    source = stage(pdf_bytes(), name="dpa.pdf", purpose="unit_answer")
    db.session.commit()
    from ppid_desk.attachments.services import attachment_copy

    copy = attachment_copy(source, purpose="dip_document", request_id=None, visibility="public")
    db.session.commit()
    assert copy.stored_name != source.stored_name
    assert {f.name for f in storage.files()} == {source.stored_name, copy.stored_name}
    assert attachment_read(copy) == attachment_read(source) == pdf_bytes()


def test_s3_settings_that_cannot_work_refuse_to_start(tmp_path, monkeypatch):
    monkeypatch.setenv("PPID_INSTANCE_PATH", str(tmp_path))
    base = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    with pytest.raises(StorageConfigError, match="UPLOAD_S3_BUCKET"):
        create_app({**base, "UPLOAD_STORAGE": "s3"})
    with pytest.raises(StorageConfigError, match="'local' or 's3'"):
        create_app({**base, "UPLOAD_STORAGE": "ftp"})
    with pytest.raises(StorageConfigError, match="neither"):
        create_app({**base, "UPLOAD_STORAGE": "s3", "UPLOAD_S3_BUCKET": "b", "UPLOAD_S3_ACCESS_KEY_ID": "k"})
