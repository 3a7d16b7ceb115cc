"""Citizen intake: the request form, validation that loses nothing, registration, receipt, e-mail."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ppid_desk.attachments.models import Attachment
from ppid_desk.attachments.services import attachment_read
from ppid_desk.audit.models import Event
from ppid_desk.audit.selectors import events_for
from ppid_desk.audit.services import chain_is_intact
from ppid_desk.extensions import db
from ppid_desk.requests.models import Applicant, InformationRequest
from tests.helpers import free_port, pdf_bytes, png_bytes, request_form, send_outbox

NUMBER_RE = re.compile(r"\d{4}/PPID/[IVX]+/\d{4}")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def submit(client, **overrides):
    return client.post("/permohonan/baru", data=request_form(**overrides),
                       content_type="multipart/form-data")


def test_form_has_every_field_of_kip(client):
    html = client.get("/permohonan/baru").get_data(as_text=True)
    for name in ("applicant_kind", "name", "nik", "legal_approval_number", "represented",
                 "representative_name", "address", "occupation", "phone", "email", "rincian",
                 "tujuan", "access_method", "copy_delivery", "identity_document", "power_of_attorney"):
        assert f'name="{name}"' in html, name
    for option in ("perorangan", "badan_hukum", "kelompok", "melihat", "salinan_hardcopy",
                   "salinan_softcopy", "ambil_langsung", "kurir", "pos", "faksimili", "email"):
        assert f'value="{option}"' in html, option
    assert 'enctype="multipart/form-data"' in html


def test_guest_submission_registers_everything_in_one_go(client, mailbox):
    response = submit(client)
    assert response.status_code == 303
    item = db.session.scalar(select(InformationRequest))
    assert NUMBER_RE.fullmatch(item.number)
    assert item.seq == 1 and item.status == "registered" and item.channel == "online"
    assert item.applicant.name == "Budi Santoso" and item.applicant.nik == "3201011505900001"
    assert item.user_id is None and item.applicant.user_id is None
    # The clock counts from the local receipt date (WIB) in working days.
    assert item.notice_due > item.receipt_date
    document = db.session.scalar(select(Attachment))
    assert document.request_id == item.id and document.content_type == "image/png"
    assert attachment_read(document) == png_bytes()
    events = events_for("request", item.id)
    assert [e.kind for e in events] == ["registered", "email_queued"]
    assert events[0].data["after"]["notice_due"] == item.notice_due.isoformat()
    assert chain_is_intact(events)
    [message] = mailbox.wait_for(1)
    assert message["To"] == "budi@example.id"
    assert item.number in message["Subject"]
    body = message.get_content()
    assert f"/lacak/{item.tracking_token}" in body
    assert "3201011505900001" not in body and "0001" in body


def test_receipt_shows_number_deadline_explanation_and_masks_nik(client):
    response = submit(client)
    receipt = client.get(response.headers["Location"])
    html = receipt.get_data(as_text=True)
    item = db.session.scalar(select(InformationRequest))
    assert receipt.status_code == 200
    assert item.number in html
    assert "3201011505900001" not in html and "0001" in html
    assert "Mengapa tanggal ini?" in html and "hari kerja ke-10" in html
    assert "Daring (situs web)" in html and "WIB" in html
    assert "Dokumen pelaksanaan anggaran" in html


def test_identity_document_is_encrypted_on_disk_outside_static(client, app):
    submit(client)
    document = db.session.scalar(select(Attachment))
    folder = app.config["UPLOAD_FOLDER"]
    assert "static" not in folder.split("/")
    raw = (Path(folder) / document.stored_name).read_bytes()
    assert raw != png_bytes() and b"PNG" not in raw
    assert document.stored_name != "ktp-budi.png" and len(document.stored_name) == 32
    assert document.sha256 == hashlib.sha256(png_bytes()).hexdigest()


def test_nik_is_encrypted_at_rest(client):
    submit(client)
    stored = db.session.execute(db.text("SELECT nik FROM applicant")).scalar()
    assert stored and "3201011505900001" not in stored


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Tulis nama lengkap"),
        ({"nik": "12345"}, "nik", "16 angka"),
        ({"nik": "320101150590000X"}, "nik", "hanya berisi angka"),
        ({"nik": "9901011505900001"}, "nik", "kode provinsi"),
        ({"nik": "3201011513900001"}, "nik", "tanggal lahir"),
        ({"nik": ""}, "nik", "Tulis NIK"),
        ({"email": "bukan-email"}, "email", "tidak valid"),
        ({"phone": "abc"}, "phone", "hanya berisi angka"),
        ({"rincian": "pendek"}, "rincian", "10 sampai"),
        ({"tujuan": ""}, "tujuan", "untuk apa"),
        ({"access_method": None}, "access_method", "Pilih cara memperoleh"),
        ({"copy_delivery": None}, "copy_delivery", "Pilih cara mendapatkan salinan"),
        ({"declaration": None}, "declaration", "Centang pernyataan"),
        ({"applicant_kind": "badan_hukum", "nik": ""}, "legal_approval_number", "Kemenkumham"),
        ({"applicant_kind": "badan_hukum", "nik": ""}, "representative_name", "mewakili badan hukum"),
        ({"applicant_kind": "kelompok"}, "power_of_attorney", "Unggah"),
        ({"identity_document": None}, "identity_document", "Unggah"),
        ({"identity_document": (io.BytesIO(b"MZ\x90\x00 not an image"), "ktp.exe")}, "identity_document",
         "tidak didukung"),
        ({"identity_document": (io.BytesIO(b""), "kosong.png")}, "identity_document", "kosong"),
    ],
)
def test_invalid_input_keeps_everything_and_saves_nothing(client, overrides, field, message):
    response = submit(client, **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    # The message stands next to its field (in the field's error paragraph) and in the summary.
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html, re.S)
    assert match and message in match.group(1), html[:3000]
    assert f'href="#{field}"' in html
    # Typed values are kept.
    assert "Jl. Melati No. 5" in html and "Pengawasan penggunaan anggaran" in html or field == "tujuan"
    assert count(InformationRequest) == 0 and count(Applicant) == 0 and count(Event) == 0


def test_oversized_upload_is_refused_next_to_the_field(client, app):
    app.config["UPLOAD_MAX_BYTES"] = 1024
    try:
        big = png_bytes() + b"\0" * 2048
        response = submit(client, identity_document=(io.BytesIO(big), "besar.png"))
    finally:
        app.config["UPLOAD_MAX_BYTES"] = 5 * 1024 * 1024
    assert response.status_code == 422
    assert "lebih dari" in response.get_data(as_text=True)
    assert count(InformationRequest) == 0


def test_request_over_the_global_size_limit_gets_a_page_not_a_crash(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 4096
    try:
        response = submit(client, identity_document=(io.BytesIO(b"%PDF-" + b"x" * 8000), "a.pdf"))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413
    assert "terlalu besar" in response.get_data(as_text=True)


def test_accepted_upload_is_not_asked_for_again(client):
    first = submit(client, rincian="")
    html = first.get_data(as_text=True)
    assert first.status_code == 422
    assert "Sudah diterima" in html and "ktp-budi.png" in html
    token = re.search(r'name="identity_document_token" value="([^"]+)"', html).group(1)
    second = submit(client, identity_document=None, identity_document_token=token)
    assert second.status_code == 303
    item = db.session.scalar(select(InformationRequest))
    [document] = db.session.scalars(select(Attachment)).all()
    assert document.request_id == item.id and document.staged_token is None


def test_staged_upload_of_another_session_cannot_be_claimed(client, app):
    first = submit(client, rincian="")
    token = re.search(r'name="identity_document_token" value="([^"]+)"',
                      first.get_data(as_text=True)).group(1)
    stranger = app.test_client()
    response = stranger.post("/permohonan/baru", content_type="multipart/form-data",
                             data=request_form(identity_document=None, identity_document_token=token))
    assert response.status_code == 422
    assert count(InformationRequest) == 0


def test_pdf_deed_and_power_of_attorney_for_a_group(client):
    response = submit(client, applicant_kind="kelompok", representative_name="Ani Wakil",
                      identity_document=(io.BytesIO(pdf_bytes()), "ktp-wakil.pdf"),
                      power_of_attorney=(io.BytesIO(pdf_bytes()), "surat-kuasa.pdf"))
    assert response.status_code == 303
    purposes = sorted(d.purpose for d in db.session.scalars(select(Attachment)))
    assert purposes == ["identity_document", "power_of_attorney"]


def test_legal_entity_without_nik(client):
    response = submit(client, applicant_kind="badan_hukum", nik="", name="PT Data Terbuka",
                      legal_approval_number="AHU-0012345.AH.01.01.2020",
                      representative_name="Dewi Direktur")
    assert response.status_code == 303
    applicant = db.session.scalar(select(Applicant))
    assert applicant.nik is None and applicant.legal_approval_number.startswith("AHU-")


def test_nik_typed_with_spaces_is_accepted_and_normalised(client):
    assert submit(client, nik="3201 0115 0590 0001").status_code == 303
    assert db.session.scalar(select(Applicant)).nik == "3201011505900001"


def test_copy_delivery_ignored_when_only_viewing(client):
    submit(client, access_method="melihat", copy_delivery="pos")
    assert db.session.scalar(select(InformationRequest)).copy_delivery is None


def test_numbers_are_sequential_per_year(client, app):
    from ppid_desk.requests.numbering import format_number

    for _ in range(3):
        assert submit(client).status_code == 303
    numbers = db.session.scalars(select(InformationRequest.seq).order_by(InformationRequest.id)).all()
    assert numbers == [1, 2, 3]
    assert format_number(app.config["REQUEST_NUMBER_PATTERN"], seq=7, on=date(2026, 11, 3)) == "0007/PPID/XI/2026"
    assert format_number("{year}-{month}-{seq}", seq=12, on=date(2027, 1, 5)) == "2027-01-12"


def test_registration_date_and_clock_follow_the_body_time_zone(app):
    from ppid_desk.requests.services import ApplicantDetails, RequestDetails, request_register

    # 2025-12-31 17:30 UTC is 1 January 2026 00:30 WIB: a 2026 number, counted from 1 January.
    item = request_register(
        actor=None, documents=[], received_at=datetime(2025, 12, 31, 17, 30, tzinfo=UTC),
        applicant=ApplicantDetails(kind="perorangan", name="A", nik=None, legal_approval_number=None,
                                   representative_name=None, address="x", occupation="y",
                                   phone="0812345678", email="a@example.id"),
        details=RequestDetails(rincian="rincian informasi", tujuan="tujuan", access_method="melihat",
                               copy_delivery=None),
    )
    db.session.commit()
    assert item.number == "0001/PPID/I/2026" and item.receipt_date == date(2026, 1, 1)
    from ppid_desk.workcalendar.selectors import working_calendar

    calendar = working_calendar()
    assert calendar.working_days_between(date(2026, 1, 1), item.notice_due) == 10
    assert calendar.is_working_day(item.notice_due)


def test_a_failed_registration_writes_nothing(client, monkeypatch):
    from ppid_desk.requests import services

    def boom(*args, **kwargs):
        raise RuntimeError("SMTP template exploded")

    monkeypatch.setattr(services, "outbox_enqueue_snapshot", boom)  # queueing the receipt fails
    response = submit(client)
    assert response.status_code == 500
    assert count(InformationRequest) == 0 and count(Applicant) == 0 and count(Event) == 0
    from ppid_desk.requests.models import RegistrationCounter

    counter = db.session.scalar(select(RegistrationCounter.last_value))
    assert counter in (None, 0)  # the number was given back


def test_filing_only_queues_the_receipt_and_the_sender_delivers_it(client, app, mailbox):
    from ppid_desk.notifications.models import OutboxMessage

    assert submit(client).status_code == 303
    message = db.session.scalar(select(OutboxMessage))
    assert (message.status, message.attempts, message.recipient) == ("pending", 0, "budi@example.id")
    assert mailbox.received == []  # the request never talked to the mail server

    assert send_outbox(app).sent == 1  # the sender beside the web workers
    [receipt] = mailbox.received
    assert receipt["To"] == "budi@example.id" and "/PPID/" in receipt.get_content()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == "sent"


def test_mail_server_down_keeps_the_request_and_the_mail(client, app, monkeypatch):
    from ppid_desk.notifications.models import OutboxMessage

    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    assert submit(client).status_code == 303
    result = send_outbox(app)
    assert (result.sent, result.retrying) == (0, 1)
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == "pending" and message.attempts == 1 and message.last_error
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 1


def test_prefill_for_a_logged_in_citizen(client, make_user, login):
    make_user(email="siti@example.id", name="Siti Aminah")
    login("siti@example.id")
    html = client.get("/permohonan/baru").get_data(as_text=True)
    assert 'value="Siti Aminah"' in html and 'value="siti@example.id"' in html
    assert submit(client, name="Siti Aminah", email="siti@example.id",
                  address="Jl. Kenanga 9").status_code == 303
    html = client.get("/permohonan/baru").get_data(as_text=True)
    assert "Jl. Kenanga 9" in html  # known details from her last request


def test_htmx_and_plain_requests_both_get_the_form(client):
    plain = client.get("/permohonan/baru")
    hx = client.get("/permohonan/baru", headers={"HX-Request": "true"})
    assert plain.status_code == hx.status_code == 200
    assert "HX-Request" in plain.headers["Vary"] and "HX-Request" in hx.headers["Vary"]


WTFORMS_ENGLISH = ("Not a valid", "This field", "Field must", "Field cannot", "Invalid email", "Invalid input")


@pytest.mark.parametrize(
    "overrides",
    [
        {"applicant_kind": "hacker"},
        {"access_method": "x"},
        {"copy_delivery": "zz"},
        {"name": "a" * 500, "address": "b" * 5000, "occupation": "c" * 500,
         "legal_approval_number": "d" * 500, "representative_name": "e" * 500},
        {"nik": "३२०१०११५०५९०००१"},  # Devanagari digits are digits to Python, not to a KTP
        {"email": "a@b", "phone": "+" * 40},
        {"rincian": "\x00" * 20},
    ],
)
def test_odd_input_gets_indonesian_messages_and_no_crash(client, overrides):
    response = submit(client, **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="field-error"' in html
    assert not any(english in html for english in WTFORMS_ENGLISH)
    assert count(InformationRequest) == 0


@pytest.mark.parametrize(("url", "data"), [
    ("/masuk", {"email": "x" * 300, "password": "y" * 5000}),
    ("/daftar", {"name": "n" * 500, "email": "bad", "password": "a", "password_confirm": "b"}),
    ("/lacak", {"number": "n" * 500, "email": "@"}),
    ("/lupa-sandi", {"email": "not-an-email"}),
])
def test_every_form_answers_odd_input_in_indonesian(client, url, data):
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code in (303, 422)
    assert not any(english in html for english in WTFORMS_ENGLISH)


def test_a_number_held_by_an_imported_request_is_skipped(client, file_request):
    imported = file_request()  # takes sequence 1 …
    held = imported.number.replace("0001/", "0002/", 1)
    imported.number = held  # … and, like an import that kept its own number, holds 0002
    db.session.commit()
    native = file_request(email="baru@example.id")  # sequence 2 would clash: 0003 is given
    assert native.number == held.replace("0002/", "0003/", 1) and native.seq == 3
