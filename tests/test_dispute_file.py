"""The dispute file holds documents, not pages: the request's receipt, the written notice, each
objection's receipt and the response are PDFs on the letterhead (never a web page with the site's
navigation, form tokens or the downloader's messages), and never the full NIK."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime

import pytest

from ppid_desk.extensions import db
from ppid_desk.web import letter_pdf
from tests.factories import make_objection
from tests.helpers import NIK, issue_with_preview, notice_form, pdf_text

RESPONDED = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)  # Wednesday 1 April 2026, 10.00 WIB

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB
LATER = datetime(2026, 4, 6, 3, 0, tzinfo=UTC)


@pytest.fixture
def case(app, clock, file_request, officer_client):
    """A refused request with its notice, and an objection by a representative, responded to."""
    clock.travel_to(MONDAY)
    item = file_request(rincian="Dokumen pelaksanaan anggaran (DPA) Dinas Pendidikan tahun 2025.")
    utama = officer_client("ppid_utama", name="Rina Utama")
    assert issue_with_preview(utama, f"/meja/permohonan/{item.id}/pemberitahuan",
                              notice_form(item, "refused")).status_code == 303
    objection = make_objection(item, filed=date(2026, 3, 4), responded_at=RESPONDED)
    objection.representative_name = "Rahmat Kuasa"
    db.session.commit()
    clock.travel_to(LATER)
    return {"item": item, "objection": objection, "atasan": officer_client("atasan", name="Bambang Atasan")}


def _archive(response) -> zipfile.ZipFile:
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_members_are_pdfs_and_a_text_timeline(case):
    item = case["item"]
    archive = _archive(case["atasan"].get(f"/meja/permohonan/{item.id}/berkas-sengketa.zip"))
    names = archive.namelist()
    assert names == ["01-permohonan.pdf", "02-pemberitahuan-tertulis.pdf", "03-keberatan-1.pdf",
                     "04-tanggapan-1.pdf", "05-riwayat.txt"]
    for name in names:
        content = archive.read(name)
        if name.endswith(".pdf"):
            assert content.startswith(b"%PDF") and b"/Type /Page" in content, name
        for page_marker in (b"<html", b"<!doctype", b"csrf", b"<nav", b"Keluar"):
            assert page_marker not in content.lower(), (name, page_marker)
        assert NIK.encode() not in content


def test_receipts_say_what_the_receipt_pages_say_never_the_full_nik(case, monkeypatch):
    """Drawn with the core font (text readable in the file): each receipt names its request or
    objection, the applicant and what was asked, with the NIK masked."""
    monkeypatch.setattr(letter_pdf, "FONT_CANDIDATES", ())
    item, objection = case["item"], case["objection"]
    archive = _archive(case["atasan"].get(f"/meja/permohonan/{item.id}/berkas-sengketa.zip"))
    texts = {name: pdf_text(archive.read(name)) for name in archive.namelist() if name.endswith(".pdf")}
    request_receipt = texts["01-permohonan.pdf"]
    for shown in ("Pemerintah Kota Contoh", "TANDA BUKTI PERMOHONAN INFORMASI PUBLIK", item.number, "Budi Santoso",
                  "Jl. Melati No. 5", "Dokumen pelaksanaan anggaran", "16 Maret 2026", "************0001"):
        assert shown in request_receipt, shown
    objection_receipt = texts["03-keberatan-1.pdf"]
    for shown in ("TANDA TERIMA KEBERATAN", objection.number, item.number, "Budi Santoso", "Rahmat Kuasa",
                  "c. Permohonan tidak ditanggapi", "Permohonan tidak ditanggapi sampai batas waktu.", "Pengawasan anggaran"):
        assert shown in objection_receipt, shown
    assert objection.response_number in texts["04-tanggapan-1.pdf"]
    for name, text in texts.items():
        assert NIK not in text, name
        assert "Bambang Atasan" not in text, name  # nothing of whoever downloads it


def test_downloading_the_file_leaves_the_officers_messages_alone(case):
    """Building the file must not render a page for the downloader: a message waiting to be shown
    to the officer is neither put in the file nor used up by it."""
    atasan, item = case["atasan"], case["item"]
    with atasan.session_transaction() as session:
        session["_flashes"] = [("success", "Pesan uji untuk petugas")]
    archive = _archive(atasan.get(f"/meja/permohonan/{item.id}/berkas-sengketa.zip"))
    for name in archive.namelist():
        assert b"Pesan uji" not in archive.read(name), name
    assert "Pesan uji untuk petugas" in atasan.get("/meja/keberatan").get_data(as_text=True)


def test_the_applicants_file_is_the_same_documents(app, case):
    item = case["item"]
    applicant = app.test_client()
    assert applicant.get(f"/lacak/{item.tracking_token}").status_code == 303
    archive = _archive(applicant.get(f"/permohonan/{item.id}/berkas-sengketa.zip"))
    assert [n for n in archive.namelist() if not n.endswith(".pdf")] == ["05-riwayat.txt"]


def test_the_longest_texts_the_forms_accept_still_make_a_file(app, clock, file_request, officer_client):
    """A 5,000-character request and case summary run over several pages (a table row may not)."""
    clock.travel_to(MONDAY)
    item = file_request(rincian=("Rincian informasi yang panjang sekali. " * 130)[:5000])
    item.tujuan = ("Tujuan penggunaan. " * 110)[:2000]
    objection = make_objection(item, responded_at=RESPONDED)
    objection.case_summary = ("Kasus posisi yang panjang. " * 190)[:5000]
    db.session.commit()
    clock.travel_to(LATER)
    archive = _archive(officer_client("atasan").get(f"/meja/permohonan/{item.id}/berkas-sengketa.zip"))
    for name in ("01-permohonan.pdf", "03-keberatan-1.pdf"):
        assert len(re.findall(rb"/Type\s*/Page\b(?!s)", archive.read(name))) >= 2, name
