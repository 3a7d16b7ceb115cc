"""Staged uploads cannot fill the disk (issue "Close what an attacker found", item 11;
ppid_desk/attachments/services.py, requests.views.document_for_field).

A request form that does not validate keeps the files it accepted (so they are not asked for
again). Posting invalid forms with 5 MB files over and over used to stage a new file every
time, kept for UPLOAD_STAGING_HOURS. Now a new upload replaces the one the same browser staged
for the same field (deleted at once), and one client address may hold at most
UPLOAD_STAGING_QUOTA_BYTES of unclaimed staged files in the window: over it, the field says so.
"""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ppid_desk.attachments.models import Attachment
from ppid_desk.attachments.services import attachment_stage, upload_folder
from ppid_desk.extensions import db
from ppid_desk.requests.models import InformationRequest
from tests.helpers import png_bytes, request_form

SCAN = png_bytes(60, 60)  # a real PNG of a few kilobytes
QUOTA_MESSAGE = "Terlalu banyak berkas yang diunggah dari jaringan Anda"


def post_invalid(client, content: bytes = SCAN, *, address: str = "203.0.113.5", **fields):
    """A request form that does not validate (no name), with an identity document."""
    data = request_form(name="", identity_document=(io.BytesIO(content), "ktp.png"), **fields)
    return client.post("/permohonan/baru", data=data, content_type="multipart/form-data",
                       environ_base={"REMOTE_ADDR": address})


def staged() -> list[Attachment]:
    db.session.expire_all()
    return list(db.session.scalars(select(Attachment).where(Attachment.request_id.is_(None)).order_by(Attachment.id)))


def on_disk(attachment: Attachment | str) -> bool:
    """Whether the file of ``attachment`` (or of that stored name) is on disk."""
    name = attachment if isinstance(attachment, str) else attachment.stored_name
    return (upload_folder() / name).exists()


def test_a_new_upload_replaces_the_field_s_earlier_one_and_its_file(app, client):
    assert post_invalid(client).status_code == 422
    [first] = staged()
    first_id, first_file = first.id, first.stored_name  # the next upload deletes the row
    assert on_disk(first)
    response = post_invalid(client, png_bytes(61, 61))
    assert response.status_code == 422
    [second] = staged()
    assert second.id != first_id and not on_disk(first_file) and on_disk(second)
    assert second.staged_token in response.get_data(as_text=True)  # the form keeps the new one
    # Another field is its own slot; the form then goes through with the latest files.
    response = client.post("/permohonan/baru", content_type="multipart/form-data", environ_base={"REMOTE_ADDR": "203.0.113.5"},
                           data=request_form(identity_document=None, identity_document_token=second.staged_token,
                                             represented="y", representative_name="Ani",
                                             power_of_attorney=(io.BytesIO(png_bytes(62, 62)), "kuasa.png")))
    assert response.status_code == 303
    item = db.session.scalar(select(InformationRequest))
    claimed = list(db.session.scalars(select(Attachment).where(Attachment.request_id == item.id)))
    assert {a.id for a in claimed} >= {second.id} and len(claimed) == 2 and staged() == []
    assert all(a.staged_by is None for a in claimed)  # no longer counted against the address


def test_one_address_cannot_stage_beyond_its_quota(app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_STAGING_QUOTA_BYTES", int(len(SCAN) * 2.5))
    # An attacker drops the session cookie each time, so nothing is replaced.
    for _ in range(2):
        assert post_invalid(app.test_client()).status_code == 422
    assert len(staged()) == 2
    response = post_invalid(app.test_client())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert QUOTA_MESSAGE in page and 'id="identity_document-error"' in page  # at the field, not a 500
    assert "Dokumen pelaksanaan anggaran (DPA) Dinas Pendidikan tahun 2025." in page  # the rest is kept as typed
    assert len(staged()) == 2  # nothing written
    # Another address has its own quota; the same IPv6 /64 shares one.
    assert QUOTA_MESSAGE not in post_invalid(app.test_client(), address="198.51.100.9").get_data(as_text=True)
    for host in ("2001:db8:1:2::1", "2001:db8:1:2:ffff::7"):
        post_invalid(app.test_client(), address=host)
    assert QUOTA_MESSAGE in post_invalid(app.test_client(), address="2001:db8:1:2::99").get_data(as_text=True)
    # Addresses are never stored, only a keyed hash.
    assert all(a.staged_by and "203.0.113" not in a.staged_by and len(a.staged_by) == 32 for a in staged())


def test_replacing_within_the_quota_is_always_possible(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_STAGING_QUOTA_BYTES", int(len(SCAN) * 1.5))
    assert QUOTA_MESSAGE not in post_invalid(client).get_data(as_text=True)
    for _ in range(3):  # the same browser correcting its file: the earlier one is not counted
        assert QUOTA_MESSAGE not in post_invalid(client).get_data(as_text=True)
    assert len(staged()) == 1


def test_the_quota_counts_only_the_staging_window(app, clock, monkeypatch):
    from datetime import UTC, datetime

    clock.travel_to(datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    monkeypatch.setitem(app.config, "UPLOAD_STAGING_QUOTA_BYTES", int(len(SCAN) * 1.5))
    post_invalid(app.test_client())
    assert QUOTA_MESSAGE in post_invalid(app.test_client()).get_data(as_text=True)
    clock.advance(timedelta(hours=app.config["UPLOAD_STAGING_HOURS"], minutes=1))
    assert QUOTA_MESSAGE not in post_invalid(app.test_client()).get_data(as_text=True)


def test_staff_are_not_counted(app, officer_client, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_STAGING_QUOTA_BYTES", len(SCAN) // 2)  # not even one file
    assert QUOTA_MESSAGE in post_invalid(app.test_client()).get_data(as_text=True)  # a visitor: refused
    officer = officer_client("petugas")  # the desk, from the same office address
    assert QUOTA_MESSAGE not in post_invalid(officer).get_data(as_text=True)
    [kept] = staged()
    assert kept.staged_by is None


def test_a_rolled_back_replacement_keeps_the_earlier_file(app):
    with app.test_request_context():
        first = attachment_stage(field="f", purpose="identity_document",
                                 storage=FileStorage(io.BytesIO(SCAN), "a.png"))
        db.session.commit()
        attachment_stage(field="f", purpose="identity_document", storage=FileStorage(io.BytesIO(SCAN), "b.png"),
                         replaces=first.staged_token)
        db.session.rollback()
        [kept] = staged()
        assert kept.id == first.id and on_disk(kept)
        second = attachment_stage(field="f", purpose="identity_document",
                                  storage=FileStorage(io.BytesIO(SCAN), "c.png"), replaces=first.staged_token)
        db.session.commit()
        assert [a.id for a in staged()] == [second.id] and not on_disk(first)


def test_a_token_of_another_purpose_is_never_deleted(app):
    with app.test_request_context():
        other = attachment_stage(field="f", purpose="power_of_attorney", storage=FileStorage(io.BytesIO(SCAN), "a.png"))
        db.session.commit()
        attachment_stage(field="f", purpose="identity_document", storage=FileStorage(io.BytesIO(SCAN), "b.png"),
                         replaces=other.staged_token)
        db.session.commit()
        assert on_disk(other) and db.session.get(Attachment, other.id) is not None
