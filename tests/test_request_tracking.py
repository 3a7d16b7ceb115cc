"""Following a request: own list, tracking link, number + e-mail; nobody sees another's request."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from ppid_desk.extensions import db
from ppid_desk.requests.models import InformationRequest
from tests.helpers import request_form


def file(client, **overrides) -> InformationRequest:
    response = client.post("/permohonan/baru", data=request_form(**overrides),
                           content_type="multipart/form-data")
    assert response.status_code == 303
    return db.session.scalar(select(InformationRequest).order_by(InformationRequest.id.desc()).limit(1))


def test_the_guest_who_filed_sees_receipt_and_status(client):
    item = file(client)
    for url in (f"/permohonan/{item.id}", f"/permohonan/{item.id}/tanda-bukti"):
        response = client.get(url)
        assert response.status_code == 200 and item.number in response.get_data(as_text=True)


def test_another_visitor_cannot_see_it(client, app):
    item = file(client)
    stranger = app.test_client()
    for url in (f"/permohonan/{item.id}", f"/permohonan/{item.id}/tanda-bukti"):
        assert stranger.get(url).status_code == 404
        assert stranger.get(url, headers={"HX-Request": "true"}).status_code == 404


def test_tracking_link_from_the_email_opens_it(client, app, mailbox):
    item = file(client)
    body = mailbox.wait_for(1)[0].get_content()
    path = re.search(r"https?://[^/\s]+(/lacak/\S+)", body).group(1)
    other = app.test_client()
    response = other.get(path)
    assert response.status_code == 303 and response.headers["Location"] == f"/permohonan/{item.id}"
    page = other.get(response.headers["Location"]).get_data(as_text=True)
    assert item.number in page and "Permohonan terdaftar" in page
    assert other.get("/lacak/not-a-real-token").status_code == 404


def test_lookup_by_number_and_email(client, app):
    item = file(client)
    other = app.test_client()
    wrong = other.post("/lacak", data={"number": item.number, "email": "orang.lain@example.id"})
    assert wrong.status_code == 422
    html = wrong.get_data(as_text=True)
    assert re.search(r'id="number-error">.*tidak ada permohonan', html, re.S | re.I)
    assert item.number in html  # typed value kept
    assert other.get(f"/permohonan/{item.id}").status_code == 404
    right = other.post("/lacak", data={"number": item.number, "email": "BUDI@example.id "})
    assert right.status_code == 303
    assert other.get(right.headers["Location"]).status_code == 200


def loosely(number: str) -> list[str]:
    """The ways a person types 0001/PPID/XII/2026 from a paper receipt."""
    seq, *rest = number.split("/")
    return [number.lower(), " ".join(number), "/".join([str(int(seq)), *rest]), f"  {number}  ".replace("/", " / ")]


def test_lookup_accepts_the_number_without_leading_zeros_or_with_spaces(client, app):
    item = file(client)
    for typed in loosely(item.number):
        other = app.test_client()
        response = other.post("/lacak", data={"number": typed, "email": "budi@example.id"})
        assert response.status_code == 303, typed
        assert response.headers["Location"] == f"/permohonan/{item.id}"
    other = app.test_client()
    seq, *rest = item.number.split("/")
    another = "/".join([str(int(seq) + 1), *rest])  # one digit off is another request, not this one
    assert other.post("/lacak", data={"number": another, "email": "budi@example.id"}).status_code == 422


def test_lookup_form_validation(client):
    response = client.post("/lacak", data={"number": "", "email": "x"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="number-error"' in html and 'id="email-error"' in html


def test_lookup_is_rate_limited(client, app, rate_limits):
    app.config["LOOKUP_RATE_LIMIT"] = "3 per hour"
    try:
        codes = [client.post("/lacak", data={"number": "0001/PPID/I/2026", "email": f"x{i}@example.id"},
                             environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code for i in range(5)]
    finally:
        app.config["LOOKUP_RATE_LIMIT"] = "20 per hour"
    assert codes[:3] == [422, 422, 422] and codes[3:] == [429, 429]


def test_citizen_sees_only_their_own_requests(client, app, make_user, login):
    make_user(email="siti@example.id", name="Siti")
    make_user(email="andi@example.id", name="Andi")
    login("siti@example.id")
    mine = file(client, email="siti@example.id", rincian="Rincian milik Siti yang cukup panjang")
    client.post("/keluar")
    login("andi@example.id")
    theirs = file(client, email="andi@example.id", rincian="Rincian milik Andi yang cukup panjang")
    html = client.get("/permohonan-saya").get_data(as_text=True)
    assert theirs.number in html and mine.number not in html
    assert client.get(f"/permohonan/{mine.id}").status_code == 404
    assert mine.user_id != theirs.user_id


def test_my_requests_needs_login(client):
    response = client.get("/permohonan-saya")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    hx = client.get("/permohonan-saya", headers={"HX-Request": "true"})
    assert hx.status_code == 401 and "/masuk" in hx.headers["HX-Redirect"]


def test_status_page_partial_for_htmx(client):
    item = file(client)
    full = client.get(f"/permohonan/{item.id}")
    partial = client.get(f"/permohonan/{item.id}", headers={"HX-Request": "true"})
    assert full.status_code == partial.status_code == 200
    assert "<html" in full.get_data(as_text=True)
    body = partial.get_data(as_text=True)
    assert "<html" not in body and "Terdaftar" in body and "hari kerja lagi" in body
    # The partial replaces itself: it carries the element htmx swaps out (outerHTML).
    assert body.strip().startswith('<div id="request-status"')


@pytest.mark.parametrize("role", ["petugas", "ppid_utama", "atasan", "pengawas", "admin"])
def test_desk_roles_can_read_a_request(client, app, make_user, login, role):
    item = file(client)
    officer = app.test_client()
    make_user(email=f"{role}@example.id", roles=(role,))
    officer.post("/masuk", data={"email": f"{role}@example.id", "password": "rahasia-panjang-1"})
    assert officer.get(f"/permohonan/{item.id}").status_code == 200


def test_pembantu_and_other_citizens_cannot(client, app, make_user):
    item = file(client)
    for role in ("pembantu", "pemohon"):
        other = app.test_client()
        make_user(email=f"{role}@example.id", roles=(role,))
        other.post("/masuk", data={"email": f"{role}@example.id", "password": "rahasia-panjang-1"})
        assert other.get(f"/permohonan/{item.id}").status_code == 404


def test_applicant_timeline_hides_internal_work(client, app, make_user):
    from ppid_desk.requests.lifecycle import request_event

    item = file(client)
    request_event(actor=None, item=item, kind="note_added", data={"note_id": 1})
    request_event(actor=None, item=item, kind="identity_viewed")
    db.session.commit()
    html = client.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert "Permohonan terdaftar" in html
    assert "Catatan internal" not in html and "NIK lengkap" not in html
