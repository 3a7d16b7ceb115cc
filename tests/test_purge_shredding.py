"""`flask ppid purge` leaves nothing personal: a guest's request with its KTP, a completion, an
objection with a representative, a power of attorney and a scanned letter, a dispute, e-mails to
the applicant and reminders to officers; afterwards no row of any table (read raw and through
the column types, on a fresh connection) and no file of the uploads folder holds the name, the
e-mail, the phone or the NIK, while the event log still verifies, the cached columns still
replay and the timelines still render. Personal values in the log are references or sealed
with the applicant's key (``ppid_desk.audit.personal``), which the purge destroys."""

from __future__ import annotations

import contextlib
import io
from datetime import UTC, date, datetime, time

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select, text
from werkzeug.datastructures import FileStorage

from ppid_desk.accounts.models import User
from ppid_desk.attachments.models import Attachment, AttachmentPurpose
from ppid_desk.attachments.services import attachment_read, attachment_stage, upload_folder
from ppid_desk.audit.models import Event, SubjectKey
from ppid_desk.audit.personal import GUEST_APPLICANT, actor_shown, is_sealed, unseal
from ppid_desk.audit.selectors import events_for
from ppid_desk.audit.services import event_log
from ppid_desk.dbtypes import utcnow
from ppid_desk.desk.intake_services import (
    note_add,
    request_accept,
    request_complete,
    request_mark_incomplete,
)
from ppid_desk.extensions import db
from ppid_desk.notices.services import notice_issue
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.notifications.sweep import sweep_run
from ppid_desk.objections.dispute_services import dispute_outcome_record, dispute_record
from ppid_desk.objections.models import Objection
from ppid_desk.objections.response_services import objection_respond
from ppid_desk.operations.retention import PURGED
from ppid_desk.requests.models import Applicant, InformationRequest
from tests.factories import grant
from tests.helpers import pdf_bytes, png_bytes, request_form

NAME = "Rahmat Hidayatullah"
EMAIL = "rahmat.hidayat@contoh.id"
PHONE = "081298765432"
NIK = "3174091203850007"
REPRESENTATIVE = "Sri Wahyuningsih"
PERSONAL = (NAME, EMAIL, PHONE, NIK, REPRESENTATIVE)
MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB
LATER = datetime(2033, 1, 3, 3, 0, tzinfo=UTC)  # far past every retention period


def day(on: date) -> datetime:
    return datetime.combine(on, time(3, 0), tzinfo=UTC)


def upload(purpose: str, filename: str, content: bytes) -> Attachment:
    kind = "application/pdf" if filename.endswith(".pdf") else "image/png"
    storage = FileStorage(io.BytesIO(content), filename=filename, content_type=kind)
    return attachment_stage(field="document", purpose=purpose, storage=storage)


def database_text() -> str:
    """Every row of every table, as stored and as the column types read it, on a fresh connection."""
    chunks = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            chunks += [repr(tuple(row)) for row in connection.execute(text(f'SELECT * FROM "{table.name}"'))]
            chunks += [repr(tuple(row)) for row in connection.execute(table.select())]
    return "\n".join(chunks).lower()


def uploads_text(app) -> str:
    """Every file name under the uploads folder and its content, decrypted where it is encrypted."""
    fernet = Fernet(app.config["DATA_KEY"].encode())
    chunks = []
    for path in sorted(upload_folder().rglob("*")):
        if path.is_file():
            content = path.read_bytes()
            with contextlib.suppress(InvalidToken):
                content = fernet.decrypt(content)
            chunks += [str(path), content.decode("latin-1")]
    return "\n".join(chunks).lower()


def found(haystack: str) -> list[str]:
    return [value for value in PERSONAL if value.lower() in haystack]


def test_purge_leaves_no_name_email_phone_or_nik_anywhere(app, clock, make_user, officer_client, runner, mailbox):
    utama = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="Dewi Utama")
    atasan = make_user(email="atasan@pemda.example.id", roles=("atasan",), name="Bapak Atasan")
    clock.travel_to(MONDAY)
    guest = app.test_client()
    response = guest.post("/permohonan/baru", content_type="multipart/form-data", data=request_form(
        name=NAME, nik=NIK, phone=PHONE, email=EMAIL,
        rincian=f"Saya, {NAME}, meminta DPA Dinas Pendidikan tahun 2025.",
        identity_document=(io.BytesIO(png_bytes()), f"KTP {NAME}.png")))
    assert response.status_code == 303
    item = db.session.scalar(select(InformationRequest))
    old_token = item.tracking_token

    # Incomplete, completed by the guest (their words name them; a new KTP scan), accepted.
    request_mark_incomplete(actor=utama, item=item, missing_items="Pindaian KTP tidak terbaca.")
    db.session.commit()
    completion = upload(AttachmentPurpose.COMPLETION, f"KTP {NAME} (baru).png", png_bytes())
    request_complete(actor=None, item=item, text=f"KTP baru atas nama {NAME}, NIK {NIK}.", document=completion)
    request_accept(actor=utama, item=item)
    note_add(actor=utama, item=item, body=f"{NAME} menelepon dari {PHONE}.")
    db.session.commit()
    # The sweep reminds the officers on the due day: their e-mail names the applicant.
    clock.travel_to(day(item.notice_due))
    sweep_run(now=utcnow())
    # (that day's sweep may also queue other mail to PPID Utama, e.g. the annual report's reminder)
    reminder = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == utama.email,
                                                             OutboxMessage.subject.contains(item.number)))
    assert NAME in reminder.body
    notice_issue(actor=utama, item=item, draft=grant(), at=utcnow())
    db.session.commit()

    # A paper objection by a representative, with the power of attorney and the scanned letter.
    desk = officer_client("petugas")
    response = desk.post(f"/meja/permohonan/{item.id}/keberatan/baru", content_type="multipart/form-data", data={
        "grounds": ["c"], "case_summary": f"{NAME} menilai informasi yang diberikan tidak lengkap.",
        "intended_use": "Pengawasan anggaran.", "representative_name": REPRESENTATIVE, "channel": "letter",
        "received_date": item.notice_due.strftime("%Y-%m-%d"), "received_time": "09.00",
        "power_of_attorney": (io.BytesIO(pdf_bytes() + f"% kuasa dari {NAME}".encode()), f"Kuasa {NAME}.pdf"),
        "paper_document": (io.BytesIO(png_bytes()), f"Surat keberatan {NAME}.png")})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    objection = db.session.scalar(select(Objection))
    objection_respond(actor=atasan, objection=objection, decision="upheld", reasons="Informasi sudah lengkap.",
                      release_by=None, settlement=None, expected_version=None)
    db.session.commit()
    dispute = dispute_record(actor=None, actor_label=GUEST_APPLICANT, objection=objection, level="provinsi",
                             filed_date=objection.responded_at.date())
    db.session.commit()
    dispute_outcome_record(actor=utama, dispute=dispute, outcome="Komisi Informasi menguatkan tanggapan.",
                           outcome_date=objection.responded_at.date())
    db.session.commit()
    sweep_run(now=utcnow())  # delivers what is still queued

    documents = db.session.scalars(select(Attachment)).all()
    stored_names = [d.stored_name for d in documents]  # the purge deletes the rows
    assert {d.purpose for d in documents} == {"identity_document", "completion", "objection_attorney",
                                              "objection_document"}
    # Before the purge: all of it is there and readable (so the searches below can see it).
    assert set(found(database_text())) == set(PERSONAL)  # the NIK through its column type (decrypted)
    assert set(found(uploads_text(app))) == {NAME}
    desk_page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert f"{NAME} (pemohon, tanpa akun)" in desk_page  # the reference, resolved
    sealed = [v for e in db.session.scalars(select(Event)) for v in e.data.values() if is_sealed(v)]
    assert {unseal(v) for v in sealed} >= {EMAIL, f"KTP baru atas nama {NAME}, NIK {NIK}."}

    clock.travel_to(LATER)
    result = runner.invoke(args=["ppid", "purge"])
    assert result.exit_code == 0, result.output
    assert "purged personal data of 1 request(s), 4 file(s)" in result.output
    assert "subject keys destroyed: 1" in result.output and "remaining in old events" not in result.output

    assert found(database_text()) == []
    assert found(uploads_text(app)) == []
    assert not any((upload_folder() / name).exists() for name in stored_names)
    assert runner.invoke(args=["ppid", "audit", "verify"]).exit_code == 0
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0

    db.session.expire_all()
    item = db.session.get(InformationRequest, item.id)
    assert item.rincian == f"Saya, {PURGED}, meminta DPA Dinas Pendidikan tahun 2025."
    assert item.outcome == "granted_full" and item.applicant.occupation == "Wiraswasta"
    assert db.session.scalar(select(SubjectKey)) is None
    assert {unseal(v) for v in sealed} == {"[dihapus]"}  # the ciphertext stays, unreadable
    # The timelines still render, the guest shown as removed; the old tracking link leads nowhere.
    desk_page = desk.get(f"/meja/permohonan/{item.id}")
    assert desk_page.status_code == 200
    assert "[dihapus] (pemohon, tanpa akun)" in desk_page.get_data(as_text=True)
    objection_page = officer_client("atasan").get(f"/meja/keberatan/{objection.id}")
    assert objection_page.status_code == 200 and NAME not in objection_page.get_data(as_text=True)
    assert "[dihapus] (pemohon, tanpa akun)" in objection_page.get_data(as_text=True)  # the dispute's record
    assert app.test_client().get(f"/lacak/{old_token}").status_code == 404


def test_a_citizen_account_is_unlinked_and_never_named_in_the_log(app, clock, make_user, login, runner, client):
    citizen = make_user(email=EMAIL, name=NAME)
    utama = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="Dewi Utama")
    clock.travel_to(MONDAY)
    login(email=EMAIL)
    response = client.post("/permohonan/baru", content_type="multipart/form-data",
                           data=request_form(name=NAME, nik=NIK, phone=PHONE, email=EMAIL))
    assert response.status_code == 303
    item = db.session.scalar(select(InformationRequest))
    assert item.user_id == citizen.id
    registered = events_for("request", item.id)[0]
    assert registered.actor_id == citizen.id and NAME not in registered.actor_label
    assert actor_shown(registered) == NAME
    notice_issue(actor=utama, item=item, draft=grant(), at=utcnow())
    db.session.commit()
    assert item.number in client.get("/permohonan-saya").get_data(as_text=True)

    clock.travel_to(LATER)
    assert runner.invoke(args=["ppid", "purge"]).exit_code == 0
    db.session.expire_all()
    # The account is the citizen's own and stays, but no longer leads to the request.
    assert db.session.get(User, citizen.id).name == NAME
    item = db.session.get(InformationRequest, item.id)
    assert item.user_id is None and db.session.get(Applicant, item.applicant_id).user_id is None
    events = events_for("request", item.id)
    assert all(e.actor_id != citizen.id for e in events)
    assert actor_shown(events[0]) == "[dihapus]"
    assert item.number not in client.get("/permohonan-saya").get_data(as_text=True)
    with db.engine.connect() as connection:
        rows = [repr(tuple(r)) for t in db.metadata.sorted_tables if t.name != "user_account"
                for r in connection.execute(t.select())]
    assert [v for v in PERSONAL if v.lower() in "\n".join(rows).lower()] == []
    assert runner.invoke(args=["ppid", "audit", "verify"]).exit_code == 0


def test_events_written_in_plain_before_sealing_are_listed_and_the_chain_verifies(
        app, clock, file_request, make_user, runner):
    utama = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="Dewi Utama")
    clock.travel_to(MONDAY)
    item = file_request(name=NAME, email=EMAIL)
    # What earlier versions wrote: the guest's name in the label, the address in the payload.
    old = [event_log(actor=None, actor_label=f"{NAME} (pemohon, tanpa akun)", subject_type="request",
                     subject_id=item.id, kind="notice_downloaded", data={"number": "x"}),
           event_log(actor=None, subject_type="request", subject_id=item.id, kind="email_queued",
                     data={"outbox_id": 0, "recipient": EMAIL, "subject": "Tanda bukti"})]
    notice_issue(actor=utama, item=item, draft=grant(), at=utcnow())
    db.session.commit()
    ids = ", ".join(str(e.id) for e in old)

    clock.travel_to(LATER)
    dry = runner.invoke(args=["ppid", "purge", "--dry-run"])
    assert f"{item.number} — remaining in old events: 2 ({ids})" in dry.output
    result = runner.invoke(args=["ppid", "purge"])
    assert result.exit_code == 0, result.output
    assert f"{item.number} — remaining in old events: 2 ({ids})" in result.output
    purged = events_for("request", item.id)[-1]
    assert purged.kind == "personal_data_purged" and purged.data["plain_events"] == [e.id for e in old]
    assert runner.invoke(args=["ppid", "audit", "verify"]).exit_code == 0
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_the_purge_removes_every_personal_purpose_and_keeps_the_others(app, clock, file_request, make_user):
    from ppid_desk.attachments.models import PERSONAL_PURPOSES
    from ppid_desk.attachments.services import attachment_claim
    from ppid_desk.operations.retention import personal_data_purge

    utama = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="Dewi Utama")
    clock.travel_to(MONDAY)
    item = file_request()
    kept = {}
    for purpose in AttachmentPurpose:
        document = upload(purpose, f"{purpose}.png", png_bytes())
        attachment_claim(document, request_id=item.id)
        kept[purpose] = document.id
    notice_issue(actor=utama, item=item, draft=grant(), at=utcnow())
    db.session.commit()
    clock.travel_to(LATER)
    assert personal_data_purge(today=LATER.date()).requests == [item.number]
    db.session.expire_all()
    left = {a.purpose for a in db.session.scalars(select(Attachment))}
    assert left == {p.value for p in AttachmentPurpose} - PERSONAL_PURPOSES == {
        "unit_answer", "information", "dip_document", "annual_report_proof", "evaluation_evidence",
        "evaluation_system"}
    assert attachment_read(db.session.get(Attachment, kept[AttachmentPurpose.INFORMATION])) == png_bytes()


def test_a_purged_applicants_sealed_values_stay_shredded_when_their_keys_id_is_given_again(
        app, clock, file_request, officer_client):
    """SQLite gives the id of a deleted row to the next one when it was the highest. The purged
    applicant's key was the newest; the next applicant's key takes its id. The purged request's
    sealed values (its withdrawal reason) must read as removed, not crash on the other key, on the
    pages that show them: the register of requests and the request's desk page."""
    from ppid_desk.operations.retention import personal_data_purge
    from ppid_desk.requests.withdrawal import request_withdraw

    clock.travel_to(MONDAY)
    old = file_request(email=EMAIL, name=NAME, notify=False)
    request_withdraw(actor=None, item=old, reason="Sudah dapat dari tetangga.", notify=False)  # sealed: a new key
    db.session.commit()
    clock.travel_to(LATER)
    assert personal_data_purge(today=LATER.date()).requests == [old.number]
    db.session.commit()
    new = file_request(email="tamu.baru@contoh.id", name="Tamu Baru")  # its key: a new row
    db.session.expire_all()
    sealed = [value for event in events_for("request", old.id) for value in (event.data or {}).values()
              if is_sealed(value)]
    assert sealed  # the purged request's withdrawal still holds its ciphertext
    assert {unseal(value) for value in sealed} == {"[dihapus]"}
    assert len(db.session.scalars(select(SubjectKey.id).where(SubjectKey.applicant_id == new.applicant_id)).all()) == 1
    utama = officer_client("ppid_utama")
    register = utama.get(f"/meja/register/permohonan?dari={MONDAY.date()}&sampai={MONDAY.date()}")
    assert register.status_code == 200 and old.number in register.get_data(as_text=True)
    page = utama.get(f"/meja/permohonan/{old.id}")
    assert page.status_code == 200 and "Sudah dapat dari tetangga" not in page.get_data(as_text=True)
