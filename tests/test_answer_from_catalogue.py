"""The desk answers a request by pointing to an item already in the Daftar Informasi Publik
(issue 15 item 8): the delivery is "already published", the applicant gets the item's page, the
item is suggested on the delivery form, and monev counts the answer."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ppid_desk.extensions import db
from ppid_desk.notices.models import Delivery
from tests.helpers import MONDAY, fresh, issue, text_pdf


@pytest.fixture
def setting(app, clock, file_request, make_unit, make_user, officer_client):
    from ppid_desk.accounts.models import User
    from ppid_desk.dip.services import ItemDraft, document_add, item_approve, item_create

    clock.travel_to(MONDAY)
    unit = make_unit("DISDIK", "Dinas Pendidikan")
    officer = make_user(email="unit@pemda.example.id", roles=("pembantu",), unit=unit)
    utama = officer_client("ppid_utama")
    approver = db.session.scalar(select(User).where(User.email == utama.user_email))

    def published(title: str, approve: bool = True):
        item = item_create(actor=officer, draft=ItemDraft(
            title=title, summary="Ringkasan.", category="setiap_saat", unit_id=unit.id, official="Kepala",
            made_when="2025", made_where="Dinas", format="softcopy", retention="5 tahun", external_url="",
            review_months=None))
        document_add(actor=officer, item=item, storage=FileStorage(io.BytesIO(text_pdf(title)), "dok.pdf"))
        if approve:
            item_approve(actor=approver, item=item, today=MONDAY.date())
        db.session.commit()
        return item

    dpa, draft = published("Dokumen Pelaksanaan Anggaran Dinas Pendidikan 2025"), published("Draf", approve=False)
    request = file_request()  # "Dokumen anggaran Dinas Pendidikan tahun 2025."
    assert issue(utama, fresh(request), "granted_full").status_code == 303
    return {"utama": utama, "dpa": dpa, "draft": draft, "request": fresh(request)}


def deliver(client, item, **overrides):
    data = {"version": str(item.version), "method": "published", "fee_paid": "0", **overrides}
    return client.post(f"/meja/permohonan/{item.id}/penyampaian", data=data, content_type="multipart/form-data")


def test_the_delivery_points_to_the_published_item_and_monev_counts_it(setting, officer_client):
    item, dpa = setting["request"], setting["dpa"]
    page = setting["utama"].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert f'href="/informasi/{dpa.id}"' in page  # suggested on the delivery form
    response = deliver(setting["utama"], item, published_item=f"https://ppid.contoh.go.id/informasi/{dpa.id}")
    assert response.status_code == 303
    delivery = db.session.scalar(select(Delivery))
    assert delivery.method == "published" and delivery.published_item_id == dpa.id
    assert delivery.link_url.endswith(f"/informasi/{dpa.id}")
    applicant = fresh(item)
    assert applicant.status == "delivered"
    monev = officer_client("pengawas").get("/meja/monev").get_data(as_text=True)
    section = monev.split('id="dip-answers"', 1)[1].split("</p>", 1)[0]
    assert ">1<" in section


@pytest.mark.parametrize("typed, message", [
    ("", "Tulis nomor informasi yang sudah diumumkan"), ("draft", "Tidak ada informasi terbit dengan nomor itu"),
    ("999999", "Tidak ada informasi terbit dengan nomor itu")])
def test_a_missing_or_unpublished_item_is_refused_next_to_the_field(setting, typed, message):
    item = setting["request"]
    number = str(setting["draft"].id) if typed == "draft" else typed
    response = deliver(setting["utama"], item, published_item=number, note="Catatan yang diketik.")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page and "Catatan yang diketik." in page
    assert db.session.scalar(select(Delivery.id)) is None
