"""Upload types are judged from the content, per purpose: identity scans vs information files."""

from __future__ import annotations

import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage

from ppid_desk.attachments.services import check_upload
from ppid_desk.errors import FieldError
from tests.helpers import pdf_bytes, png_bytes


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def upload(content: bytes, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(content), name)


@pytest.mark.parametrize(("content", "name", "mime"), [
    (pdf_bytes(), "dpa.pdf", "application/pdf"),
    (xlsx_bytes(), "anggaran.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"sekolah;jumlah\nSDN 1;120\n", "data.csv", "text/csv"),
])
def test_information_files_may_be_documents_and_data(app, content, name, mime):
    assert check_upload("files", upload(content, name), "information")[1] == mime


def test_identity_documents_stay_scans_only(app):
    assert check_upload("identity_document", upload(png_bytes(), "ktp.png"), "identity_document")[1] == "image/png"
    for content, name in ((xlsx_bytes(), "ktp.xlsx"), (b"a;b\n1;2\n", "ktp.csv")):
        with pytest.raises(FieldError) as refused:
            check_upload("identity_document", upload(content, name), "identity_document")
        assert "JPEG, PNG atau PDF" in refused.value.message


def test_a_renamed_binary_is_not_taken_for_csv(app):
    with pytest.raises(FieldError):
        check_upload("files", upload(b"MZ\x90\x00\x03\x00\xff\xfe", "data.csv"), "information")
