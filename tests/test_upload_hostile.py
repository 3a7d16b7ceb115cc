"""Issue 6, item 4: hostile uploads. The type is sniffed from the content (never the name), sizes are
limited with a clear message, names on disk are random, and downloads are attachments with nosniff."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ppid_desk.attachments.models import Attachment, AttachmentPurpose
from ppid_desk.attachments.services import attachment_stage, check_upload
from ppid_desk.errors import FieldError
from ppid_desk.extensions import db
from tests.helpers import pdf_bytes, png_bytes, request_form

SCANS = [AttachmentPurpose.IDENTITY_DOCUMENT, AttachmentPurpose.POWER_OF_ATTORNEY, AttachmentPurpose.COMPLETION,
         AttachmentPurpose.OBJECTION_ATTORNEY, AttachmentPurpose.OBJECTION_DOCUMENT]
DOCUMENTS = [AttachmentPurpose.UNIT_ANSWER, AttachmentPurpose.INFORMATION]
ALL = SCANS + DOCUMENTS


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("isi.txt", "bukan pdf")
    return buffer.getvalue()


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
POLYGLOT = png_bytes() + b"<html><script>alert(1)</script></html>"


def upload(content: bytes, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(content), name)


@pytest.mark.parametrize("purpose", ALL)
@pytest.mark.parametrize(("content", "name"), [
    (HTML, "ktp.png"), (HTML, "ktp.pdf"), (SVG, "gambar.svg"), (SVG, "gambar.png"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "ktp.pdf"), (b"\x00" * 64, "ktp.pdf"),
    (b"#!/bin/sh\nrm -rf /\n", "ktp.png"), (b"", "ktp.pdf"),
])
def test_markup_scripts_executables_and_empty_files_are_refused_for_every_purpose(app, purpose, content, name):
    with pytest.raises(FieldError) as refused:
        check_upload("berkas", upload(content, name), purpose)
    assert refused.value.field == "berkas"
    assert "Jenis berkas tidak didukung" in refused.value.message or "Berkas kosong" in refused.value.message


@pytest.mark.parametrize("purpose", ALL)
def test_the_stored_type_comes_from_the_content_not_the_name(app, purpose):
    assert check_upload("f", upload(png_bytes(), "surat.pdf"), purpose)[1] == "image/png"
    assert check_upload("f", upload(pdf_bytes(), "foto.png"), purpose)[1] == "application/pdf"
    # A PNG with HTML appended is kept as an image: served as image/png, attachment, nosniff.
    assert check_upload("f", upload(POLYGLOT, "poly.html"), purpose)[1] == "image/png"


@pytest.mark.parametrize("purpose", SCANS)
def test_an_archive_named_pdf_is_not_a_scan(app, purpose):
    with pytest.raises(FieldError) as refused:
        check_upload("f", upload(zip_bytes(), "ktp.pdf"), purpose)
    assert "JPEG, PNG atau PDF" in refused.value.message


@pytest.mark.parametrize("purpose", DOCUMENTS)
def test_an_archive_named_pdf_is_stored_as_an_archive_for_documents(app, purpose):
    assert check_upload("f", upload(zip_bytes(), "data.pdf"), purpose)[1] == "application/zip"


@pytest.mark.parametrize("purpose", ALL)
def test_one_byte_over_the_limit_gets_a_clear_message(app, purpose):
    limit = 64 * 1024
    app.config["UPLOAD_MAX_BYTES"] = limit
    try:
        exact = png_bytes() + b"\x00" * (limit - len(png_bytes()))
        assert check_upload("f", upload(exact, "a.png"), purpose)[1] == "image/png"
        with pytest.raises(FieldError) as refused:
            check_upload("f", upload(exact + b"\x00", "a.png"), purpose)
        assert "Berkas lebih dari" in refused.value.message
    finally:
        app.config["UPLOAD_MAX_BYTES"] = 5 * 1024 * 1024


@pytest.mark.parametrize("name", [
    "../../etc/passwd", "..\\..\\x.pdf", "/etc/passwd", "a\x00b.pdf", "n" * 300 + ".pdf", "", "..",
    "<script>alert(1)</script>.pdf", "CON", "ktp\u202egnp.exe",
])
def test_names_on_disk_are_random_and_the_kept_name_is_harmless(app, name):
    attachment = attachment_stage(field="f", purpose=AttachmentPurpose.IDENTITY_DOCUMENT,
                                  storage=upload(pdf_bytes(), name))
    assert re.fullmatch(r"[0-9a-f]{32}", attachment.stored_name)
    assert (Path(app.config["UPLOAD_FOLDER"]) / attachment.stored_name).is_file()
    kept = attachment.original_name
    assert 0 < len(kept) <= 255
    assert not any(c in kept for c in "/\\\x00<>") and ".." not in kept
    db.session.rollback()


# --- through the web: the message next to the field, the global limit, downloads ---------------------

def test_a_disguised_file_on_the_request_form_is_refused_next_to_the_field(client):
    response = client.post("/permohonan/baru", content_type="multipart/form-data",
                           data=request_form(identity_document=(io.BytesIO(HTML), "ktp.png")))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="identity_document-error">.*?Jenis berkas tidak didukung', page, re.S)
    assert "<script>alert(document.cookie)" not in page
    assert db.session.scalar(select(Attachment)) is None


def test_a_body_over_the_global_limit_gets_a_friendly_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 200 * 1024
    try:
        big = png_bytes() + b"\x00" * (300 * 1024)
        response = client.post("/permohonan/baru", content_type="multipart/form-data",
                               data=request_form(identity_document=(io.BytesIO(big), "ktp.png")))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 12 * 1024 * 1024
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Berkas yang dikirim terlalu besar" in page and "Traceback" not in page
    assert response.mimetype == "text/html"


def test_an_upload_over_the_file_limit_is_refused_on_the_form(app, client):
    app.config["UPLOAD_MAX_BYTES"] = 64 * 1024
    try:
        big = png_bytes() + b"\x00" * (64 * 1024)
        response = client.post("/permohonan/baru", content_type="multipart/form-data",
                               data=request_form(identity_document=(io.BytesIO(big), "ktp.png")))
    finally:
        app.config["UPLOAD_MAX_BYTES"] = 5 * 1024 * 1024
    assert response.status_code == 422
    assert re.search(r'id="identity_document-error">.*?Berkas lebih dari', response.get_data(as_text=True), re.S)


def test_a_traversal_name_is_stored_at_random_and_downloaded_as_an_attachment(app, client, officer_client):
    name = "../../etc/<img src=x onerror=alert(1)>.png"
    response = client.post("/permohonan/baru", content_type="multipart/form-data",
                           data=request_form(identity_document=(io.BytesIO(POLYGLOT), name)))
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    attachment = db.session.scalar(select(Attachment))
    assert re.fullmatch(r"[0-9a-f]{32}", attachment.stored_name) and "/" not in attachment.original_name
    assert attachment.content_type == "image/png"
    officer = officer_client("petugas")
    page = officer.get(f"/meja/permohonan/{attachment.request_id}").get_data(as_text=True)
    assert "<img src=x onerror" not in page
    download = officer.get(f"/meja/permohonan/{attachment.request_id}/dokumen/{attachment.id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == "image/png"
    assert "/" not in download.headers["Content-Disposition"] and "<" not in download.headers["Content-Disposition"]
    assert download.get_data() == POLYGLOT


def test_register_import_refuses_markup_and_binaries(officer_client):
    admin = officer_client("admin")
    for content, name in ((HTML, "register.xlsx"), (png_bytes(), "register.csv"), (zip_bytes(), "register.xlsx"),
                          (b"", "register.csv")):
        response = admin.post("/meja/monev/impor", content_type="multipart/form-data",
                              data={"berkas": (io.BytesIO(content), name)})
        assert response.status_code == 422, name
        assert "<script>alert(document.cookie)" not in response.get_data(as_text=True)
