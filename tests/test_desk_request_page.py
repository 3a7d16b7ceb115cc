"""The officer request page: who may open it, what it shows, and where (the step due next beside
the request, the other actions collapsed, no dead panels)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ppid_desk.desk.next_action_selectors import RequestState, Step, next_action
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


# --- the case layout: the step due next, and no dead panels (issue 14 item 1) -----------------

@pytest.mark.parametrize(("state", "step"), [
    (RequestState("registered"), Step.INTAKE),  # not yet checked
    (RequestState("incomplete"), Step.INTAKE),  # waiting for the applicant; the desk may still accept
    (RequestState("registered", accepted=True), Step.ROUTING),
    (RequestState("routed", accepted=True), Step.UNITS),
    (RequestState("answered", accepted=True), Step.NOTICE),
    (RequestState("notice_issued", accepted=True, outcome="granted_full"), Step.DELIVERY),
    (RequestState("notice_issued", accepted=True, outcome="granted_partial"), Step.DELIVERY),
    (RequestState("notice_issued", accepted=True, outcome="not_documented"), Step.DELIVERY),
    (RequestState("delivered", accepted=True, outcome="granted_full"), Step.CLOSE),
    (RequestState("closed", accepted=True, outcome="refused"), None),
    (RequestState("closed", accepted=True, outcome="not_held"), None),
    (RequestState("closed", accepted=True, outcome="granted_full"), None),
    (RequestState("withdrawn"), None),
    (RequestState("not_completed"), None),
    (RequestState("submitted"), None),
    # An objection waiting for its answer comes before the request's own steps ...
    (RequestState("closed", accepted=True, outcome="refused", objection_open=True), Step.OBJECTION),
    (RequestState("answered", accepted=True, objection_open=True), Step.OBJECTION),
    # ... and an Atasan's order to release before everything.
    (RequestState("closed", accepted=True, outcome="refused", release_pending=True), Step.RELEASE),
    (RequestState("closed", accepted=True, outcome="refused", objection_open=True, release_pending=True), Step.RELEASE),
])
def test_the_step_due_next(state, step):
    assert next_action(state) == step


def side_column(html: str) -> str:
    return html[html.index('id="request-actions"'):html.index('id="request-record"')]


def test_a_desk_officer_is_told_who_routes_instead_of_an_empty_routing_panel(
        app, file_request, make_user, officer_client):
    from ppid_desk.desk.intake_services import request_accept

    utama = make_user(email="utama.route@pemda.example.id", roles=("ppid_utama",))
    item = file_request()
    request_accept(actor=utama, item=item)
    db.session.commit()
    html = officer_client("petugas").get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="disposisi"' not in html and 'id="disposisi-baru"' not in html
    assert "Permohonan ini belum diteruskan" not in html
    assert 'data-step="routing"' in side_column(html)
    assert "Disposisi ke unit dilakukan oleh PPID Utama." in side_column(html)

    html = officer_client("ppid_utama").get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    side = side_column(html)
    assert 'data-action="routing"' in side and 'id="disposisi-baru"' in side  # open, first
    assert side.index('id="next-action"') < side.index("<details")
    assert "dilakukan oleh PPID Utama" not in html


def test_a_unit_officer_sees_its_task_not_a_routing_form(app, file_request, make_unit, make_user, officer_client):
    from ppid_desk.routing.services import request_route

    unit = make_unit("DISDIK", "Dinas Pendidikan")
    utama = make_user(email="utama.unit@pemda.example.id", roles=("ppid_utama",))
    item = file_request()
    request_route(actor=utama, item=item, unit_ids=[unit.id], instruction="Siapkan DPA",
                  internal_due=item.notice_due, notify=False)
    db.session.commit()
    html = officer_client("pembantu", unit=unit).get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    record = html[html.index('id="request-record"'):]
    assert 'id="disposisi"' in record and "Siapkan DPA" in record  # its task, as a record
    assert 'id="disposisi-baru"' not in html and "<details class=\"case-action\"" not in html
    assert "sedang menyiapkan jawabannya" in side_column(html)  # the step: the units answer


def test_a_refused_form_opens_its_collapsed_panel(app, file_request, officer_client):
    item = file_request()
    petugas = officer_client("petugas")
    response = petugas.post(f"/meja/permohonan/{item.id}/pencabutan", data={"version": item.version})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<details class="case-action" data-action="withdrawal" open>' in side_column(html)
    assert '<details class="case-action" data-action="objection">' in side_column(html)  # still closed
