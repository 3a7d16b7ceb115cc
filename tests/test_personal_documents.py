"""Files that may carry identity (attachments.models.PERSONAL_PURPOSES): one declaration, used by
every document route, the request page and the backup. An objection's power of attorney and its
paper letter, a completion document: only for officers who may see the identity, every download
logged; a PPID Pembantu sees neither the objections nor who asked on its request page."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from ppid_desk.attachments.models import (
    PERSONAL_PURPOSES,
    PUBLIC_PURPOSES,
    Attachment,
    AttachmentPurpose,
)
from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.objections.models import Objection
from ppid_desk.requests.lifecycle import request_event
from tests.helpers import desk_objection_form, guest_client, objection_form, pdf_bytes, png_bytes

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB
LATER = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
NIK = "3201011505900001"


def test_every_purpose_is_declared_personal_or_public_once():
    """A new purpose fails here until someone decides whether its files may carry identity."""
    declared = [*PERSONAL_PURPOSES, *PUBLIC_PURPOSES]
    assert len(declared) == len(set(declared))
    assert set(declared) == set(AttachmentPurpose)
    assert {AttachmentPurpose.OBJECTION_ATTORNEY, AttachmentPurpose.OBJECTION_DOCUMENT,
            AttachmentPurpose.COMPLETION} <= PERSONAL_PURPOSES


@pytest.fixture
def case(app, clock, file_request, make_unit, make_user, officer_client):
    """A request routed to a unit; the applicant objected online through a representative (power of
    attorney); a second objection was received on paper at the desk (the scanned letter)."""
    from ppid_desk.routing.services import request_route

    clock.travel_to(MONDAY)
    unit = make_unit("DISDIK", "Dinas Pendidikan")
    utama_user = make_user(email="utama.rute@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    item = file_request()
    request_route(actor=utama_user, item=item, unit_ids=[unit.id], instruction="Siapkan DPA",
                  internal_due=item.notice_due, notify=False)
    db.session.commit()
    clock.travel_to(MONDAY + timedelta(days=15))  # no notice by its due (16 March): the objection is offered
    applicant = guest_client(app, item)
    filed = applicant.post(f"/permohonan/{item.id}/keberatan", content_type="multipart/form-data",
                           data={**objection_form(representative_name="Rahmat Kuasa"),
                                 "power_of_attorney": (io.BytesIO(png_bytes()), "kuasa.png")})
    assert filed.status_code == 303
    online = db.session.scalar(select(Objection).order_by(Objection.id))
    online.status = "responded"  # closed, so the desk may register another one
    db.session.commit()
    clock.travel_to(LATER)
    petugas = officer_client("petugas")
    paper = petugas.post(f"/meja/permohonan/{item.id}/keberatan/baru", content_type="multipart/form-data",
                         data={**desk_objection_form(), "paper_document": (io.BytesIO(pdf_bytes()), "surat.pdf")})
    assert paper.status_code == 303
    by_purpose = {a.purpose: a for a in db.session.scalars(select(Attachment))}
    return {"item": item, "unit": unit, "petugas": petugas, "online": online,
            "attorney": by_purpose["objection_attorney"], "letter": by_purpose["objection_document"],
            "paper": db.session.scalar(select(Objection).where(Objection.id != online.id))}


def _downloads(item) -> list:
    return [e for e in events_for("request", item.id) if e.kind == "document_viewed"]


def test_objection_papers_need_the_identity_permission_and_are_logged(case, officer_client):
    item, attorney, letter = case["item"], case["attorney"], case["letter"]
    online, paper = case["online"], case["paper"]
    unit_officer = officer_client("pembantu", unit=case["unit"])
    # the request's documents route never serves an objection's papers (before: 200 to the unit)
    for role_client in (unit_officer, officer_client("ppid_utama"), officer_client("pengawas")):
        for document in (attorney, letter):
            assert role_client.get(f"/meja/permohonan/{item.id}/dokumen/{document.id}").status_code == 404
    # the objection's route: the Atasan PPID, PPID Utama and the desk officer may see the identity
    for role in ("atasan", "ppid_utama", "petugas"):
        client = officer_client(role)
        response = client.get(f"/meja/keberatan/{online.id}/dokumen/{attorney.id}")
        assert response.status_code == 200 and response.data == png_bytes(), role
        assert "no-store" in response.headers["Cache-Control"]
        response = client.get(f"/meja/keberatan/{paper.id}/dokumen/{letter.id}")
        assert response.status_code == 200 and response.data == pdf_bytes(), role
    logged = _downloads(item)
    assert len(logged) == 6 and {e.data["purpose"] for e in logged} == {"objection_attorney", "objection_document"}
    # a supervisor reads the objection but not the papers; a unit and the admin see nothing of it
    assert officer_client("pengawas").get(f"/meja/keberatan/{online.id}/dokumen/{attorney.id}").status_code == 403
    assert unit_officer.get(f"/meja/keberatan/{online.id}/dokumen/{attorney.id}").status_code == 404
    assert officer_client("admin").get(f"/meja/keberatan/{online.id}/dokumen/{attorney.id}").status_code == 404
    # a paper of another objection through this objection's URL
    assert officer_client("atasan").get(f"/meja/keberatan/{online.id}/dokumen/{letter.id}").status_code == 404
    assert len(_downloads(item)) == 6


def test_objection_page_lists_the_papers(case, officer_client):
    online, attorney = case["online"], case["attorney"]
    link = f'href="/meja/keberatan/{online.id}/dokumen/{attorney.id}"'
    page = officer_client("atasan").get(f"/meja/keberatan/{online.id}").get_data(as_text=True)
    assert 'id="objection-documents"' in page and link in page and "kuasa.png" in page
    supervisor = officer_client("pengawas").get(f"/meja/keberatan/{online.id}").get_data(as_text=True)
    assert 'id="objection-documents"' in supervisor and link not in supervisor
    assert "Hanya untuk petugas yang berwenang melihat identitas" in supervisor


def test_unit_officer_sees_no_objection_and_no_applicant_on_its_request_page(case, officer_client):
    item = case["item"]
    request_event(actor=None, item=item, kind="objection_responded", changes={"release_due": date(2026, 4, 10)})
    db.session.commit()
    html = officer_client("pembantu", unit=case["unit"]).get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Dokumen anggaran Dinas Pendidikan" in html and "Siapkan DPA" in html
    for hidden in ("Budi Santoso", "Rahmat Kuasa", case["online"].number, case["paper"].number, "Keberatan",
                   "keberatan", "Perintah Atasan PPID", 'id="documents-panel"', "0001</span>"):
        assert hidden not in html, hidden
    queue = officer_client("pembantu", unit=case["unit"]).get("/meja/").get_data(as_text=True)
    assert item.number in queue and "Dokumen anggaran Dinas Pendidikan" in queue and "Budi Santoso" not in queue
    # the work of staff stays named, the applicant's own steps are "Pemohon"
    assert "Diteruskan ke unit (disposisi) — <span class=\"hint\">Rina Utama</span>" in html
    assert "Permohonan terdaftar — <span class=\"hint\">Pemohon</span>" in html
    # officers who read every request still see it all
    full = officer_client("ppid_utama").get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    for shown in ("Budi Santoso", case["online"].number, "Perintah Atasan PPID", 'id="documents-panel"'):
        assert shown in full, shown
    assert "Budi Santoso (pemohon, tanpa akun)" in full


def test_completion_document_needs_the_identity_permission(app, clock, file_request, officer_client):
    clock.travel_to(MONDAY)
    item = file_request()
    applicant = guest_client(app, item)
    officer_client("petugas").post(f"/meja/permohonan/{item.id}/belum-lengkap",
                                   data={"version": item.version, "missing_items": "Daftar sekolah."})
    db.session.expire_all()
    response = applicant.post(f"/permohonan/{item.id}/lengkapi", content_type="multipart/form-data", data={
        "version": item.version, "completion_text": "Terlampir.",
        "completion_document": (io.BytesIO(pdf_bytes()), "sekolah.pdf")})
    assert response.status_code == 303
    document = db.session.scalar(select(Attachment).where(Attachment.purpose == "completion"))
    url = f"/meja/permohonan/{item.id}/dokumen/{document.id}"
    for role in ("pengawas", "admin"):
        client = officer_client(role)
        assert client.get(url).status_code == 403, role
        page = client.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
        assert f'href="{url}"' not in page and "sekolah.pdf" not in page, role
    assert not _downloads(item)
    petugas = officer_client("petugas")
    assert f'href="{url}"' in petugas.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert petugas.get(url).status_code == 200
    assert [e.data for e in _downloads(item)] == [{"attachment_id": document.id, "purpose": "completion"}]


def test_task_documents_follow_the_same_declaration(app, clock, file_request, make_unit, make_user,
                                                    officer_client, monkeypatch):
    """The task route asks the shared declaration too: were a unit's answer declared personal, a
    unit officer (no identity permission) could no longer download it."""
    from werkzeug.datastructures import FileStorage

    from ppid_desk.attachments import models as attachment_models
    from ppid_desk.attachments.services import attachment_stage
    from ppid_desk.dbtypes import utcnow
    from ppid_desk.routing.models import RoutingTask

    clock.travel_to(MONDAY)
    unit = make_unit()
    item = file_request()
    router = make_user(email="utama.tugas@pemda.example.id", roles=("ppid_utama",))
    task = RoutingTask(request_id=item.id, unit_id=unit.id, instruction="Siapkan", internal_due=item.notice_due,
                       routed_at=utcnow(), routed_by_id=router.id)
    db.session.add(task)
    db.session.flush()
    with app.test_request_context():
        answer = attachment_stage(field="documents", purpose="unit_answer",
                                  storage=FileStorage(io.BytesIO(pdf_bytes()), "jawaban.pdf"))
    answer.task_id, answer.staged_token = task.id, None
    db.session.commit()
    url = f"/meja/tugas/{task.id}/dokumen/{answer.id}"
    unit_officer = officer_client("pembantu", unit=unit)
    assert unit_officer.get(url).status_code == 200
    monkeypatch.setattr(attachment_models, "PUBLIC_PURPOSES", frozenset({AttachmentPurpose.INFORMATION}))
    assert unit_officer.get(url).status_code == 403
    assert officer_client("ppid_utama").get(url).status_code == 200


def test_backup_manifest_marks_the_personal_files(app, client, clock, runner, tmp_path):
    from tests.helpers import request_form

    clock.travel_to(MONDAY)
    response = client.post("/permohonan/baru", data=request_form(), content_type="multipart/form-data")
    assert response.status_code == 303
    item_id = int(response.headers["Location"].rstrip("/").split("/")[-2])
    with app.test_request_context():
        from werkzeug.datastructures import FileStorage

        from ppid_desk.attachments.services import attachment_claim, attachment_stage

        information = attachment_stage(field="files", purpose="information",
                                       storage=FileStorage(io.BytesIO(pdf_bytes()), "dpa.pdf"))
        attachment_claim(information, request_id=item_id)
    db.session.commit()
    identity = db.session.scalar(select(Attachment.stored_name).where(Attachment.purpose == "identity_document"))
    information = information.stored_name
    stray = Path(app.config["UPLOAD_FOLDER"]) / "no-row-names-this"
    stray.write_bytes(b"x")
    archive = tmp_path / "b.tar.gz"
    try:
        result = runner.invoke(args=["ppid", "backup", "--output", str(archive)])
    finally:
        stray.unlink()
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    personal = {entry["path"]: entry["personal"] for entry in manifest["files"]}
    assert personal[manifest["database"]] is True
    assert personal[f"uploads/{identity}"] is True
    assert personal[f"uploads/{information}"] is False
    assert personal["uploads/no-row-names-this"] is True  # unknown: treated as personal
    assert set(manifest["personal_purposes"]) == set(PERSONAL_PURPOSES)
