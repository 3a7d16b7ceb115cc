"""Desk intake: registration at the desk, the completeness check and the applicant completing,
internal notes, the request's documents and the full NIK (every view logged), and who may do it."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ppid_desk.accounts.models import User
from ppid_desk.attachments.models import Attachment
from ppid_desk.audit.personal import unseal
from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.requests.models import InformationRequest, InternalNote
from ppid_desk.routing.models import RoutingTask
from tests.helpers import desk_request_form, pdf_bytes, png_bytes, request_form

HX = {"HX-Request": "true"}
NIK = "3201011505900001"
# Monday 16 March 2026, 10.00 WIB.
NOW = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)


def register(desk, **overrides):
    return desk.post("/meja/permohonan/baru", data=desk_request_form(**overrides), content_type="multipart/form-data")


def latest() -> InformationRequest:
    return db.session.scalar(select(InformationRequest).order_by(InformationRequest.id.desc()).limit(1))


def user_of(client) -> User:
    return db.session.scalar(select(User).where(User.email == client.user_email))


def kinds(item) -> list[str]:
    return [e.kind for e in events_for("request", item.id)]


def fresh(item) -> InformationRequest:
    db.session.expire_all()
    return db.session.get(InformationRequest, item.id)


@pytest.fixture
def filed(app):
    """A request filed online by a guest with a KTP image; the guest's client keeps its grant."""
    def _filed(**overrides):
        citizen = app.test_client()
        response = citizen.post("/permohonan/baru", data=request_form(**overrides),
                                content_type="multipart/form-data")
        assert response.status_code == 303
        return latest(), citizen
    return _filed


@pytest.fixture
def routed_pembantu(officer_client, make_unit, make_user):
    """A PPID Pembantu officer whose unit has a task on ``item`` (so may see it, not act on intake)."""
    clients = {}

    def _routed(item):
        if item.id in clients:
            return clients[item.id]
        unit = make_unit(code=f"U{item.id}", name="Dinas Pertanian")
        client = officer_client("pembantu", unit=unit)
        router = make_user(email=f"router{item.id}@example.id", roles=("ppid_utama",))
        db.session.add(RoutingTask(request_id=item.id, unit_id=unit.id, instruction="Siapkan datanya.",
                                   internal_due=item.notice_due, routed_by_id=router.id))
        db.session.commit()
        clients[item.id] = client
        return client
    return _routed


# --- desk registration ----------------------------------------------------------------------

@pytest.mark.parametrize("role", ["petugas", "ppid_utama"])
def test_registration_page_full_and_partial(officer_client, clock, role):
    clock.travel_to(NOW)
    desk = officer_client(role)
    page = desk.get("/meja/permohonan/baru")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html and "Registrasi permohonan" in html
    for channel in ("walk_in", "letter", "email", "phone"):
        assert f'value="{channel}"' in html
    assert 'value="online"' not in html and 'name="declaration"' not in html
    assert 'value="2026-03-16"' in html and 'value="10:00"' in html  # now, in WIB
    assert 'href="/meja/permohonan/baru"' in html  # in the desk navigation
    partial = desk.get("/meja/permohonan/baru", headers=HX)
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in body
    assert body.strip().startswith('<div id="register-main"') and 'name="received_time"' in body


def test_registration_refuses_everyone_else(app, officer_client):
    anonymous = app.test_client()
    assert anonymous.get("/meja/permohonan/baru").status_code == 302
    hx = anonymous.get("/meja/permohonan/baru", headers=HX)
    assert hx.status_code == 401 and hx.headers.get("HX-Redirect")
    assert register(anonymous).status_code == 302
    for role in ("pemohon", "pembantu", "atasan", "pengawas", "admin"):
        client = officer_client(role)
        assert client.get("/meja/permohonan/baru").status_code == 403, role
        assert client.get("/meja/permohonan/baru", headers=HX).status_code == 403, role
        assert register(client).status_code == 403, role
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 0


def test_walk_in_counts_from_the_real_receipt(officer_client, clock, mailbox):
    clock.travel_to(NOW)
    desk = officer_client("petugas", name="Dewi Petugas")
    response = register(desk)
    assert response.status_code == 303
    item = latest()
    assert response.headers["Location"] == f"/permohonan/{item.id}/tanda-bukti"
    assert item.channel == "walk_in"
    # 06.00 WIB on 3 March is 23.00 UTC on 2 March: the clock counts from the local date.
    assert item.received_at == datetime(2026, 3, 2, 23, 0, tzinfo=UTC)
    assert item.receipt_date == date(2026, 3, 3)
    assert item.notice_due == date(2026, 3, 17)  # 10 WD from 3 March, not from today
    officer = user_of(desk)
    assert item.registered_by_id == officer.id and item.user_id is None
    [event] = events_for("request", item.id)
    assert event.kind == "registered" and event.actor_id == officer.id and event.actor_label == "Dewi Petugas"
    assert event.data["channel"] == "walk_in"
    # No e-mail address: nothing queued, nothing sent.
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert mailbox.wait_for(1, timeout=0.3) == []
    receipt = desk.get(response.headers["Location"])
    html = receipt.get_data(as_text=True)
    assert receipt.status_code == 200 and item.number in html and "Datang langsung" in html
    assert "17 Maret 2026" in html and NIK not in html


def test_letter_with_email_sends_the_receipt(officer_client, clock, mailbox):
    clock.travel_to(NOW)
    desk = officer_client("ppid_utama")
    response = register(desk, channel="letter", email="Sri@Example.id", received_date="13/03/2026",
                        received_time="15.45")
    assert response.status_code == 303
    item = latest()
    assert item.channel == "letter" and item.applicant.email == "sri@example.id"
    assert item.received_at == datetime(2026, 3, 13, 8, 45, tzinfo=UTC)
    [message] = mailbox.wait_for(1)
    assert message["To"] == "sri@example.id" and item.number in message["Subject"]
    assert kinds(item) == ["registered", "email_queued"]


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"received_date": "2026-03-16", "received_time": "10:30"}, "received_time", "tidak boleh lebih dari sekarang"),
    ({"received_date": "2026-03-17", "received_time": "08:00"}, "received_date", "tidak boleh lebih dari sekarang"),
    ({"received_date": "2026-01-14"}, "received_date", "paling lama 60 hari"),
    ({"received_date": "31-02-2026"}, "received_date", "Tanggal tidak valid"),
    ({"received_time": "25:00"}, "received_time", "Jam tidak valid"),
    ({"channel": "online"}, "channel", "Pilih salah satu"),
    ({"channel": ""}, "channel", "Pilih saluran"),
])
def test_bad_receipt_refused_next_to_the_field(officer_client, clock, overrides, field, message):
    clock.travel_to(NOW)
    desk = officer_client("petugas")
    response = register(desk, **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error">.*?{message}', html, re.S), html[:3000]
    assert 'value="Sri Rahayu"' in html and "pupuk bersubsidi" in html  # typed values kept
    assert latest() is None


def test_oldest_allowed_receipt_and_email_optional(officer_client, clock):
    clock.travel_to(NOW)
    desk = officer_client("petugas")
    assert register(desk, channel="phone", received_date="2026-01-15", received_time="07:30").status_code == 303
    item = latest()
    assert item.channel == "phone" and item.applicant.email == "" and item.receipt_date == date(2026, 1, 15)


def test_desk_keeps_the_public_form_rules(officer_client, clock):
    clock.travel_to(NOW)
    desk = officer_client("petugas")
    response = register(desk, nik="123", email="bukan-email")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="nik-error">.*?16 angka', html, re.S)
    assert re.search(r'id="email-error">.*?tidak valid', html, re.S)


def test_identity_document_optional_but_kept_across_a_retry(officer_client, clock):
    clock.travel_to(NOW)
    desk = officer_client("petugas")
    first = register(desk, name="", identity_document=(io.BytesIO(pdf_bytes()), "ktp-sri.pdf"))
    html = first.get_data(as_text=True)
    assert first.status_code == 422 and "ktp-sri.pdf" in html
    token = re.search(r'name="identity_document_token" value="([^"]+)"', html).group(1)
    second = register(desk, identity_document_token=token)
    assert second.status_code == 303
    item = latest()
    [document] = db.session.scalars(select(Attachment).where(Attachment.request_id == item.id))
    assert document.purpose == "identity_document" and document.staged_token is None
    assert events_for("request", item.id)[0].data["documents"] == [document.id]


# --- completeness check ---------------------------------------------------------------------

def test_accept_as_complete(filed, officer_client, clock, runner):
    item, _citizen = filed()
    desk = officer_client("petugas")
    page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="intake-panel"' in page and "Terima (lengkap)" in page
    response = desk.post(f"/meja/permohonan/{item.id}/terima", data={"version": item.version})
    assert response.status_code == 303 and response.headers["Location"] == f"/meja/permohonan/{item.id}"
    item = fresh(item)
    assert item.status == "registered" and item.accepted_at is not None
    assert kinds(item)[-1] == "accepted"
    after = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="intake-panel"' not in after and "Permohonan diterima lengkap" in after
    # Accepting again (an old page, or a direct POST) changes nothing.
    assert desk.post(f"/meja/permohonan/{item.id}/terima", data={"version": item.version}).status_code == 409
    assert kinds(fresh(item)).count("accepted") == 1
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_incomplete_then_the_applicant_completes(filed, officer_client, app, mailbox, runner):
    item, citizen = filed()
    mailbox.wait_for(1)
    mailbox.clear()
    due = item.notice_due
    desk = officer_client("petugas")
    empty = desk.post(f"/meja/permohonan/{item.id}/belum-lengkap", data={"version": item.version, "missing_items": " "})
    assert empty.status_code == 422
    assert re.search(r'id="missing_items-error">.*?perlu dilengkapi', empty.get_data(as_text=True), re.S)
    missing = "Rincian informasi kurang jelas: sebutkan nama sekolah dan tahun anggaran."
    response = desk.post(f"/meja/permohonan/{item.id}/belum-lengkap", data={"version": item.version, "missing_items": missing})
    assert response.status_code == 303
    item = fresh(item)
    assert item.status == "incomplete" and item.missing_items == missing
    assert item.notice_due == due  # the statutory clock keeps running
    [message] = mailbox.wait_for(1)
    body = message.get_content()
    assert message["To"] == "budi@example.id" and item.number in message["Subject"]
    assert missing in body and f"/lacak/{item.tracking_token}" in body
    assert kinds(item)[-2:] == ["marked_incomplete", "email_queued"]

    # The applicant (by the tracking link, in another browser) sees what is missing.
    path = re.search(r"https?://[^/\s]+(/lacak/\S+)", body).group(1)
    applicant = app.test_client()
    applicant.get(path)
    page = applicant.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="complete-panel"' in page and missing in page
    partial = applicant.get(f"/permohonan/{item.id}", headers=HX)
    assert partial.status_code == 200 and "<html" not in partial.get_data(as_text=True)

    refused = applicant.post(f"/permohonan/{item.id}/lengkapi", content_type="multipart/form-data", data={
        "version": item.version, "completion_text": "",
        "completion_document": (io.BytesIO(png_bytes()), "daftar-sekolah.png")})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "daftar-sekolah.png" in html
    assert re.search(r'id="completion_text-error">', html)
    token = re.search(r'name="completion_document_token" value="([^"]+)"', html).group(1)
    done = applicant.post(f"/permohonan/{item.id}/lengkapi", content_type="multipart/form-data", data={
        "version": item.version, "completion_text": "SD Negeri 1 dan 2, tahun anggaran 2025.",
        "completion_document_token": token})
    assert done.status_code == 303 and done.headers["Location"] == f"/permohonan/{item.id}"
    item = fresh(item)
    assert item.status == "registered" and item.missing_items is None and item.accepted_at is None
    document = db.session.scalar(select(Attachment).where(Attachment.purpose == "completion"))
    assert document.request_id == item.id and document.staged_token is None
    completed = events_for("request", item.id)[-1]
    assert completed.kind == "completed" and completed.actor_id is None
    assert unseal(completed.data["text"]).startswith("SD Negeri 1") and completed.data["attachment_id"] == document.id
    assert "SD Negeri" not in str(completed.data)  # sealed with the applicant's key: the purge shreds it
    assert 'id="complete-panel"' not in applicant.get(f"/permohonan/{item.id}").get_data(as_text=True)

    # Back on the desk: the answer and its file are there, and the officer accepts it.
    desk_page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "SD Negeri 1 dan 2" in desk_page and "daftar-sekolah.png" in desk_page
    assert desk.post(f"/meja/permohonan/{item.id}/terima", data={"version": item.version}).status_code == 303
    assert fresh(item).accepted_at is not None
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_accept_an_incomplete_request_completed_elsewhere(file_request, officer_client):
    item = file_request(email="")
    desk = officer_client("ppid_utama")
    desk.post(f"/meja/permohonan/{item.id}/belum-lengkap", data={"version": item.version, "missing_items": "Surat kuasa."})
    item = fresh(item)
    assert item.status == "incomplete" and "email_queued" not in kinds(item)  # no address
    assert desk.post(f"/meja/permohonan/{item.id}/terima", data={"version": item.version}).status_code == 303
    item = fresh(item)
    assert item.status == "registered" and item.missing_items is None and item.accepted_at is not None


def test_stale_completeness_form_keeps_the_typed_text(filed, officer_client):
    item, _citizen = filed()
    first, second = officer_client("petugas"), officer_client("petugas")
    version = item.version
    assert first.post(f"/meja/permohonan/{item.id}/terima", data={"version": version}).status_code == 303
    late = second.post(f"/meja/permohonan/{item.id}/belum-lengkap",
                       data={"version": version, "missing_items": "Fotokopi KTP tidak terbaca."})
    html = late.get_data(as_text=True)
    assert late.status_code == 409 and "diubah oleh petugas lain" in html
    assert "Fotokopi KTP tidak terbaca." in html
    assert fresh(item).status == "registered"


def test_completeness_access(filed, officer_client, routed_pembantu, app):
    item, _citizen = filed()
    expected = [(app.test_client(), {}, 302), (app.test_client(), HX, 401),
                (officer_client("pemohon"), {}, 403), (officer_client("pembantu"), {}, 404),
                (officer_client("pengawas"), {}, 403), (officer_client("atasan"), {}, 403),
                (routed_pembantu(item), {}, 403)]
    data = {"version": item.version, "missing_items": "KTP"}
    for path in (f"/meja/permohonan/{item.id}/terima", f"/meja/permohonan/{item.id}/belum-lengkap"):
        for client, headers, status in expected:
            assert client.post(path, data=data, headers=headers).status_code == status, (path, status)
    assert kinds(fresh(item)) == ["registered", "email_queued"]
    assert 'id="intake-panel"' not in expected[4][0].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)


def test_only_the_applicant_completes_and_only_when_incomplete(filed, officer_client, app):
    item, citizen = filed()
    data = {"version": item.version, "completion_text": "Ini kelengkapannya."}
    # Not incomplete: nothing happens.
    assert citizen.post(f"/permohonan/{item.id}/lengkapi", data=data).status_code == 303
    assert "completed" not in kinds(fresh(item))
    officer_client("petugas").post(f"/meja/permohonan/{item.id}/belum-lengkap",
                                   data={"version": item.version, "missing_items": "KTP"})
    data["version"] = fresh(item).version
    assert app.test_client().post(f"/permohonan/{item.id}/lengkapi", data=data).status_code == 404
    assert officer_client("pemohon").post(f"/permohonan/{item.id}/lengkapi", data=data).status_code == 404
    assert fresh(item).status == "incomplete"


# --- internal notes -------------------------------------------------------------------------

def test_notes_for_officers_never_for_the_applicant(filed, officer_client, routed_pembantu):
    item, citizen = filed()
    desk = officer_client("petugas", name="Andi Petugas")
    empty = desk.post(f"/meja/permohonan/{item.id}/catatan", data={"note_body": ""})
    assert empty.status_code == 422 and re.search(r'id="note_body-error">', empty.get_data(as_text=True))
    secret = "Pemohon ini juga meminta data serupa bulan lalu; cek arsip."
    response = desk.post(f"/meja/permohonan/{item.id}/catatan", data={"note_body": secret})
    assert response.status_code == 303
    note = db.session.scalar(select(InternalNote))
    assert note.body == secret and note.author.name == "Andi Petugas"
    event = events_for("request", item.id)[-1]
    assert event.kind == "note_added" and event.data == {"note_id": note.id} and "after" not in event.data
    page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert secret in page and "Andi Petugas" in page
    # Supervisors read notes but do not write them; a routed unit writes them.
    supervisor = officer_client("pengawas")
    assert secret in supervisor.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert supervisor.post(f"/meja/permohonan/{item.id}/catatan", data={"note_body": "x"}).status_code == 403
    assert officer_client("pembantu").post(f"/meja/permohonan/{item.id}/catatan", data={"note_body": "x"}).status_code == 404
    assert routed_pembantu(item).post(f"/meja/permohonan/{item.id}/catatan", data={"note_body": "Data ada di bidang B."}).status_code == 303
    # The applicant never sees a note, on the page or its partial.
    for headers in ({}, HX):
        applicant_page = citizen.get(f"/permohonan/{item.id}", headers=headers).get_data(as_text=True)
        assert secret not in applicant_page and "Data ada di bidang B." not in applicant_page
        assert 'id="notes-panel"' not in applicant_page
    # A grant to the request on the public side opens nothing on the desk.
    assert citizen.post(f"/meja/permohonan/{item.id}/catatan", data={"note_body": "x"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(InternalNote)) == 2


# --- documents and identity -----------------------------------------------------------------

def test_download_identity_document_is_logged(filed, officer_client):
    item, _citizen = filed()
    desk = officer_client("petugas")
    page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    document = db.session.scalar(select(Attachment).where(Attachment.request_id == item.id))
    link = f"/meja/permohonan/{item.id}/dokumen/{document.id}"
    assert f'href="{link}"' in page and "ktp-budi.png" in page and 'hx-boost="false"' in page
    response = desk.get(link)
    assert response.status_code == 200 and response.data == png_bytes()
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("attachment") and "ktp-budi.png" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    event = events_for("request", fresh(item).id)[-1]
    assert event.kind == "document_viewed" and event.actor_id == user_of(desk).id
    assert event.data == {"attachment_id": document.id, "purpose": "identity_document"}
    assert officer_client("atasan").get(link).status_code == 200
    assert kinds(item).count("document_viewed") == 2


def test_identity_document_refused_to_units_and_supervisors(filed, officer_client, routed_pembantu, app):
    item, citizen = filed()
    document = db.session.scalar(select(Attachment).where(Attachment.request_id == item.id))
    link = f"/meja/permohonan/{item.id}/dokumen/{document.id}"
    assert app.test_client().get(link).status_code == 302
    assert app.test_client().get(link, headers=HX).status_code == 401
    assert officer_client("pemohon").get(link).status_code == 403
    assert citizen.get(link).status_code == 302
    assert officer_client("pembantu").get(link).status_code == 404
    supervisor = officer_client("pengawas")
    assert supervisor.get(link).status_code == 403
    assert routed_pembantu(item).get(link).status_code == 403
    page = supervisor.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert f'href="{link}"' not in page and "Tampilkan NIK lengkap" not in page
    assert "document_viewed" not in kinds(fresh(item))


def test_files_of_another_request_or_unknown_are_404(filed, officer_client):
    first, _ = filed()
    second, _ = filed(email="lain@example.id")
    desk = officer_client("petugas")
    other = db.session.scalar(select(Attachment).where(Attachment.request_id == second.id))
    assert desk.get(f"/meja/permohonan/{first.id}/dokumen/{other.id}").status_code == 404
    assert desk.get(f"/meja/permohonan/{first.id}/dokumen/999999").status_code == 404
    assert desk.get(f"/meja/permohonan/999999/dokumen/{other.id}").status_code == 404


def test_completion_file_needs_the_identity_permission_and_is_logged(filed, officer_client):
    item, citizen = filed()
    officer_client("petugas").post(f"/meja/permohonan/{item.id}/belum-lengkap",
                                   data={"version": item.version, "missing_items": "Daftar sekolah."})
    citizen.post(f"/permohonan/{item.id}/lengkapi", content_type="multipart/form-data", data={
        "version": fresh(item).version, "completion_text": "Terlampir.",
        "completion_document": (io.BytesIO(pdf_bytes()), "sekolah.pdf")})
    document = db.session.scalar(select(Attachment).where(Attachment.purpose == "completion"))
    # it may carry identity (attachments.models.PERSONAL_PURPOSES): not for a supervisor
    assert officer_client("pengawas").get(f"/meja/permohonan/{item.id}/dokumen/{document.id}").status_code == 403
    response = officer_client("petugas").get(f"/meja/permohonan/{item.id}/dokumen/{document.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert events_for("request", item.id)[-1].data == {"attachment_id": document.id, "purpose": "completion"}


def test_reveal_nik_once_and_logged(filed, officer_client):
    item, _citizen = filed()
    desk = officer_client("petugas")
    page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert NIK not in page and "Tampilkan NIK lengkap" in page
    assert desk.get(f"/meja/permohonan/{item.id}/nik").status_code == 405  # GET never shows it
    response = desk.post(f"/meja/permohonan/{item.id}/nik")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="full-nik">{NIK}<' in html
    assert "no-store" in response.headers["Cache-Control"]
    event = events_for("request", item.id)[-1]
    assert event.kind == "identity_viewed" and event.actor_id == user_of(desk).id
    assert "NIK lengkap dilihat petugas" in html  # on the timeline at once
    assert NIK not in desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    partial = desk.post(f"/meja/permohonan/{item.id}/nik", headers=HX).get_data(as_text=True)
    assert "<html" not in partial and NIK in partial
    assert kinds(fresh(item)).count("identity_viewed") == 2


def test_reveal_nik_refused(filed, officer_client, routed_pembantu, app):
    item, citizen = filed()
    path = f"/meja/permohonan/{item.id}/nik"
    assert app.test_client().post(path).status_code == 302
    assert app.test_client().post(path, headers=HX).status_code == 401
    assert citizen.post(path).status_code == 302
    assert officer_client("pemohon").post(path).status_code == 403
    assert officer_client("pembantu").post(path).status_code == 404
    assert routed_pembantu(item).post(path).status_code == 403
    assert officer_client("pengawas").post(path).status_code == 403
    assert "identity_viewed" not in kinds(fresh(item))


def test_receipt_time_limit_is_configurable(officer_client, clock, app):
    clock.travel_to(NOW)
    app.config["DESK_RECEIPT_MAX_AGE_DAYS"] = 5
    try:
        desk = officer_client("petugas")
        response = register(desk, received_date=(date(2026, 3, 16) - timedelta(days=6)).isoformat())
        assert response.status_code == 422 and "paling lama 5 hari" in response.get_data(as_text=True)
    finally:
        app.config.pop("DESK_RECEIPT_MAX_AGE_DAYS")


def test_legal_entity_number_is_masked_everywhere_and_revealed_on_demand(filed, officer_client):
    item, citizen = filed()
    number = "AHU-0012345.AH.01.04.TAHUN 2020"
    item.applicant.legal_approval_number = number
    db.session.commit()
    assert number not in citizen.get(f"/permohonan/{item.id}").get_data(as_text=True)
    desk = officer_client("petugas")
    page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert number not in page and number[-4:] in page  # the tail identifies it
    html = desk.post(f"/meja/permohonan/{item.id}/nik").get_data(as_text=True)
    assert f'id="full-legal-number">{number}<' in html and f'id="full-nik">{NIK}<' in html
    event = events_for("request", item.id)[-1]
    assert event.kind == "identity_viewed" and event.data == {"fields": ["nik", "legal_approval_number"]}
