"""The officer request page: who may open it, and what it shows."""

from __future__ import annotations

from sqlalchemy import select

from ppid_desk.extensions import db
from ppid_desk.requests.models import InformationRequest
from tests.helpers import request_form


def filed(client) -> InformationRequest:
    client.post("/permohonan/baru", data=request_form(), content_type="multipart/form-data")
    return db.session.scalar(select(InformationRequest))


def officer(app, make_user, role, **kwargs):
    email = f"{role}.{len(kwargs)}@example.id"
    make_user(email=email, roles=(role,), **kwargs)
    client = app.test_client()
    client.post("/masuk", data={"email": email, "password": "rahasia-panjang-1"})
    return client


def test_desk_roles_open_the_request_page(client, app, make_user):
    item = filed(client)
    for role in ("petugas", "ppid_utama", "atasan", "pengawas", "admin"):
        page = officer(app, make_user, role).get(f"/meja/permohonan/{item.id}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200, role
        assert item.number in html and "Riwayat" in html and "Permohonan terdaftar" in html
        assert "3201011505900001" not in html


def test_request_page_refuses_anonymous_citizens_and_other_units(client, app, make_user):
    item = filed(client)
    anonymous = app.test_client()
    assert anonymous.get(f"/meja/permohonan/{item.id}").status_code == 302
    assert anonymous.get(f"/meja/permohonan/{item.id}", headers={"HX-Request": "true"}).status_code == 401
    assert officer(app, make_user, "pemohon").get(f"/meja/permohonan/{item.id}").status_code == 403
    assert officer(app, make_user, "pembantu").get(f"/meja/permohonan/{item.id}").status_code == 404


def test_request_page_partial_for_htmx(client, app, make_user):
    item = filed(client)
    desk = officer(app, make_user, "petugas")
    partial = desk.get(f"/meja/permohonan/{item.id}", headers={"HX-Request": "true"})
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in body and body.strip().startswith('<div id="request-main"')


def test_unit_officer_sees_the_request_but_not_the_applicant(app, file_request, make_unit, make_user, officer_client):
    from ppid_desk.routing.services import request_route

    unit = make_unit("DISDIK", "Dinas Pendidikan")
    utama = make_user(email="utama.min@pemda.example.id", roles=("ppid_utama",))
    item = file_request()
    request_route(actor=utama, item=item, unit_ids=[unit.id], instruction="Siapkan DPA",
                  internal_due=item.notice_due, notify=False)
    db.session.commit()
    html = officer_client("pembantu", unit=unit).get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Dokumen anggaran Dinas Pendidikan" in html
    assert "Jl. Melati No. 5" not in html and "081234567890" not in html and "budi@example.id" not in html
    full = officer_client("ppid_utama").get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Jl. Melati No. 5" in full
