"""The request form's limits (issue "Close what an attacker found", item 5): a shared address
does not lock out a whole office. Only valid submissions count; the limit keys on client IP and
e-mail, under a higher per-IP ceiling; a refusal gives the form back as typed, upload kept, and
says when to try again."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from ppid_desk.attachments.models import Attachment
from ppid_desk.extensions import db
from ppid_desk.requests.models import InformationRequest
from tests.helpers import request_form

OFFICE = "203.0.113.80"
TOKEN_RE = re.compile(r'name="identity_document_token" value="([^"]*)"')


def submit(client, ip: str = OFFICE, **overrides):
    return client.post("/permohonan/baru", data=request_form(**overrides), content_type="multipart/form-data",
                       environ_base={"REMOTE_ADDR": ip})


def registered() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(InformationRequest))


@pytest.fixture
def limits(app, rate_limits, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMIT_RATE_LIMIT", "2 per hour")
    monkeypatch.setitem(app.config, "SUBMIT_IP_RATE_LIMIT", "4 per hour")
    return rate_limits


def test_forms_sent_back_with_errors_do_not_count(client, limits):
    for _ in range(5):
        assert submit(client, rincian="").status_code == 422
    assert [submit(client).status_code for _ in range(3)] == [303, 303, 429]
    assert registered() == 2


def test_the_limit_is_per_address_and_e_mail_under_a_higher_ceiling_per_address(app, limits):
    office = app.test_client()
    assert [submit(office, email="ani@example.id").status_code for _ in range(3)] == [303, 303, 429]
    # A colleague behind the same address files on: the ceiling for the address is higher.
    assert submit(office, email="budi@example.id").status_code == 303
    assert submit(office, email="citra@example.id").status_code == 303
    assert submit(office, email="dedi@example.id").status_code == 429  # 4 per address reached
    assert submit(app.test_client(), ip="198.51.100.20", email="dedi@example.id").status_code == 303
    assert registered() == 5


def test_a_refusal_keeps_what_was_typed_and_the_upload_and_says_when(client, limits):
    for _ in range(2):
        submit(client)
    refused = submit(client, name="Siti Pemohon", rincian="Salinan kontrak pengadaan buku 2025.")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert "Permohonan belum terkirim" in html and "Coba kirim lagi dalam 60 menit" in html
    assert 'value="Siti Pemohon"' in html and "Salinan kontrak pengadaan buku 2025." in html
    assert "Sudah diterima" in html and "ktp-budi.png" in html  # the upload was accepted and kept
    token = TOKEN_RE.search(html).group(1)
    assert token
    assert registered() == 2

    limits.reset()  # the hour has passed
    again = submit(client, name="Siti Pemohon", rincian="Salinan kontrak pengadaan buku 2025.",
                   identity_document=None, identity_document_token=token)
    assert again.status_code == 303
    item = db.session.scalars(select(InformationRequest).order_by(InformationRequest.id.desc())).first()
    assert item.applicant.name == "Siti Pemohon"
    document = db.session.scalar(select(Attachment).where(Attachment.request_id == item.id))
    assert document.original_name == "ktp-budi.png"


def test_the_refusal_in_english(client, limits):
    client.set_cookie("ppid_lang", "en")
    for _ in range(2):
        submit(client)
    refused = submit(client)
    assert refused.status_code == 429
    assert "Try sending it again in 60 minutes" in refused.get_data(as_text=True)


def test_each_limit_is_a_setting():
    from limits import parse_many

    from ppid_desk.config import DEFAULTS

    per_email = parse_many(DEFAULTS["SUBMIT_RATE_LIMIT"])[0]
    per_ip = parse_many(DEFAULTS["SUBMIT_IP_RATE_LIMIT"])[0]
    assert per_ip.get_expiry() == per_email.get_expiry() and per_ip.amount > per_email.amount
