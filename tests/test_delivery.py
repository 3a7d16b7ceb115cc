"""Delivery (penyampaian) of the information, fees and payment, closing, and the applicant's
authorised, logged downloads."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from ppid_desk.attachments.models import Attachment
from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.notices.models import Delivery
from ppid_desk.requests.models import InformationRequest
from tests.helpers import MONDAY, errors_of, fresh, issue, pdf_bytes, png_bytes, request_form


@pytest.fixture
def utama(officer_client):
    return officer_client("ppid_utama", name="Rina Utama")


@pytest.fixture
def filed(app, clock, file_request):
    clock.travel_to(MONDAY)
    return file_request(copy_delivery="pos")  # a copy sent by post may carry a fee; one e-mailed may not


def deliver(client, item, files=(), **overrides):
    data = {"version": str(item.version), "method": "file", "fee_paid": "15000",
            "payment_method": "Tunai di meja layanan", "payment_reference": "KW-2026-031",
            "files": [(io.BytesIO(content), name) for name, content in files]}
    data.update(overrides)
    return client.post(f"/meja/permohonan/{item.id}/penyampaian", data=data, content_type="multipart/form-data")


def granted(client, item):
    response = issue(client, item, "granted_partial", fee_amount="15.000", payment_method="Tunai",
                     fee_reason="Dua CD dan ongkos kirim menurut kuitansi.")
    assert response.status_code == 303
    return fresh(item)


def test_delivery_with_files_download_by_the_applicant_and_close(app, filed, utama, mailbox, runner):
    item = granted(utama, filed)
    mailbox.clear()
    response = deliver(utama, item, files=[("dpa-2025.pdf", pdf_bytes()), ("bagan.png", png_bytes())],
                       note="Diserahkan melalui halaman permohonan.")
    assert response.status_code == 303
    item = fresh(item)
    assert item.status == "delivered" and item.delivered_at is not None
    delivery = db.session.scalar(select(Delivery))
    assert (delivery.method, delivery.fee_paid, delivery.payment_reference) == ("file", 15000, "KW-2026-031")
    files = db.session.scalars(select(Attachment).where(Attachment.purpose == "information")
                               .order_by(Attachment.id)).all()
    assert [(f.original_name, f.request_id, f.visibility, f.staged_token) for f in files] == [
        ("dpa-2025.pdf", item.id, "applicant", None), ("bagan.png", item.id, "applicant", None)]
    body = mailbox.wait_for(1)[0].get_content()
    assert "dpa-2025.pdf" in body and f"/lacak/{item.tracking_token}" in body

    applicant = app.test_client()
    applicant.get(f"/lacak/{item.tracking_token}")
    page = applicant.get(f"/permohonan/{item.id}").get_data(as_text=True)
    link = f"/permohonan/{item.id}/informasi/{files[0].id}"
    assert link in page and "bagan.png" in page
    download = applicant.get(link)
    assert download.status_code == 200 and download.get_data() == pdf_bytes()
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == "attachment; filename=dpa-2025.pdf"
    logged = [e for e in events_for("request", item.id) if e.kind == "information_downloaded"]
    assert len(logged) == 1 and logged[0].data["attachment_id"] == files[0].id
    assert app.test_client().get(link).status_code == 404  # a stranger
    assert officer_download(utama, item, files[1]).status_code == 200

    mailbox.clear()
    assert utama.post(f"/meja/permohonan/{item.id}/tutup", data={"version": str(item.version)}).status_code == 303
    item = fresh(item)
    assert item.status == "closed" and item.closed_at is not None
    assert item.number in mailbox.wait_for(1)[0].get_content()
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def officer_download(client, item, attachment):
    return client.get(f"/meja/permohonan/{item.id}/informasi/{attachment.id}")


def test_only_information_files_of_that_request_are_served(app, client, clock, utama, file_request):
    clock.travel_to(MONDAY)
    client.post("/permohonan/baru", data=request_form(), content_type="multipart/form-data")
    mine = db.session.scalars(select(InformationRequest)).first()
    other = file_request(email="lain@example.id", copy_delivery="pos")
    granted(utama, other)
    deliver(utama, fresh(other), files=[("rahasia.pdf", pdf_bytes())])
    other_file = db.session.scalar(select(Attachment).where(Attachment.purpose == "information"))
    identity = db.session.scalar(select(Attachment).where(Attachment.purpose == "identity_document"))
    assert identity.request_id == mine.id
    # `client` filed `mine` as a guest and holds its session grant, not `other`'s.
    assert client.get(f"/permohonan/{mine.id}/informasi/{other_file.id}").status_code == 404
    assert client.get(f"/permohonan/{other.id}/informasi/{other_file.id}").status_code == 404
    assert client.get(f"/permohonan/{mine.id}/informasi/{identity.id}").status_code == 404
    assert officer_download(utama, mine, identity).status_code == 404


def test_delivery_rules_and_files_kept_across_a_failed_try(filed, utama):
    item = granted(utama, filed)
    response = deliver(utama, item, files=[], fee_paid="10000", payment_reference="")
    assert response.status_code == 422
    assert set(errors_of(response)) == {"files", "fee_paid", "payment_reference"}
    response = deliver(utama, item, files=[("catatan.txt", b"hanya teks biasa")])
    assert response.status_code == 422 and "Jenis berkas tidak didukung" in response.get_data(as_text=True)
    response = deliver(utama, item, method="link", link_url="http://contoh.id/berkas")
    assert response.status_code == 422 and errors_of(response) == ["link_url"]
    response = deliver(utama, item, method="post", note="")
    assert response.status_code == 422 and errors_of(response) == ["note"]

    # A valid file with another mistake: the file is kept and need not be uploaded again.
    response = deliver(utama, item, files=[("dpa.pdf", pdf_bytes())], payment_method="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and errors_of(response) == ["payment_method"]
    assert "Sudah diterima" in html and "dpa.pdf" in html
    token = db.session.scalar(select(Attachment.staged_token).where(Attachment.original_name == "dpa.pdf"))
    assert f'value="{token}"' in html
    assert deliver(utama, item, file_tokens=token).status_code == 303
    assert db.session.scalar(select(Attachment.request_id).where(Attachment.staged_token.is_(None),
                                                                 Attachment.original_name == "dpa.pdf")) == item.id


def test_link_and_in_person_deliveries(filed, utama):
    item = fresh(filed)
    assert issue(utama, item, "granted_full").status_code == 303
    response = deliver(utama, fresh(item), method="link", link_url="https://data.contoh.go.id/dpa-2025",
                       fee_paid="0", payment_method="", payment_reference="")
    assert response.status_code == 303
    assert db.session.scalar(select(Delivery.link_url)) == "https://data.contoh.go.id/dpa-2025"


def test_desk_officer_delivers_but_only_ppid_utama_closes(filed, utama, officer_client):
    item = granted(utama, filed)
    desk = officer_client("petugas")
    assert "Catat penyampaian" in desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert deliver(desk, item, method="in_person", note="Diterima langsung oleh pemohon.").status_code == 303
    item = fresh(item)
    assert "Tutup permohonan" not in desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert desk.post(f"/meja/permohonan/{item.id}/tutup", data={"version": str(item.version)}).status_code == 403
    assert "Tutup permohonan" in utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)


def test_no_delivery_after_a_refusal_and_no_closing_before_delivery(filed, utama, file_request):
    assert utama.post(f"/meja/permohonan/{filed.id}/tutup", data={"version": str(filed.version)}).status_code == 422
    assert issue(utama, filed, "refused").status_code == 303
    item = fresh(filed)
    response = deliver(utama, item, method="in_person", fee_paid="0")
    assert response.status_code == 422 and "Penyampaian informasi dicatat setelah" in response.get_data(as_text=True)
    assert db.session.scalar(select(Delivery)) is None
    other = file_request(email="lain@example.id")
    response = deliver(utama, other, method="in_person", fee_paid="0")  # no notice yet
    assert response.status_code == 422 and fresh(other).status == "registered"


def test_stale_delivery_is_refused_with_text_kept(filed, utama):
    item = granted(utama, filed)
    response = deliver(utama, item, method="in_person", note="Catatan penting saya",
                       version=str(item.version - 1))
    assert response.status_code == 409 and "Catatan penting saya" in response.get_data(as_text=True)
    assert fresh(item).status == "notice_issued"
