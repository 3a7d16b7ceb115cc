"""The authorisation matrix (issue 6, item 1): every route of the URL map × every role, as
tabled in tests/access_matrix.py (``GET_ACCESS`` / ``POST_ACCESS``, the world of real objects).

* allowed  → 200 (or a redirect that is not the login page, for the few routes that redirect);
* refused  → 403 / 404, or for anonymous visitors of login-gated pages 302 to /masuk (plain) and
  401 + ``HX-Redirect`` to /masuk (htmx) — never the content.

POST routes: every refused role is refused and nothing in the database changes; every allowed
role gets through the access check (an empty form: 422, 400 or a redirect, never 403/404).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ppid_desk.extensions import db
from tests.access_matrix import (
    ADMIN,
    ANON,
    CIT_A,
    CIT_B,
    DOCUMENT_ACCESS,
    GET_ACCESS,
    IDENTITY,
    PENGAWAS,
    POST_ACCESS,
    PUBLIC,
    READ_ALL,
    REDIRECT_WHEN_LOGGED_IN,
    REDIRECTING,
    ROLES,
    SAFE_METHODS,
    STAFF_TO_DESK,
    UNIT_RIGHT,
    UNIT_WRONG,
    UTAMA,
    World,
    build_world,
    stub_pdfs,
    table_counts,
    url_of,
)


@pytest.fixture
def world(app, clock, make_unit, officer_client, file_request, monkeypatch) -> World:
    stub_pdfs(monkeypatch)
    return build_world(app, clock, make_unit, officer_client, file_request)


def routes(app, method: str) -> dict[str, str]:
    """endpoint → URL for every rule accepting ``method`` (URLs filled lazily by the caller)."""
    return {rule.endpoint: rule for rule in app.url_map.iter_rules() if method in rule.methods}


def is_login_redirect(response, htmx: bool) -> bool:
    if htmx:
        return response.status_code == 401 and "/masuk" in response.headers.get("HX-Redirect", "")
    return response.status_code == 302 and "/masuk" in response.headers.get("Location", "")


def refused(response, htmx: bool) -> bool:
    return response.status_code in (403, 404) or is_login_redirect(response, htmx)


def test_every_route_has_an_entry(app):
    """A new route fails here until someone decides who may use it."""
    get_routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    post_routes = {rule.endpoint for rule in app.url_map.iter_rules() if rule.methods - SAFE_METHODS - {"GET"}}
    assert set(GET_ACCESS) == get_routes, {"no entry": get_routes - set(GET_ACCESS),
                                           "no route": set(GET_ACCESS) - get_routes}
    assert set(POST_ACCESS) == post_routes, {"no entry": post_routes - set(POST_ACCESS),
                                             "no route": set(POST_ACCESS) - post_routes}
    for rule in app.url_map.iter_rules():  # only GET and POST: a PUT/DELETE would need its own table
        assert rule.methods - SAFE_METHODS <= {"GET", "POST"}, rule


@pytest.mark.parametrize("htmx", [False, True], ids=["http", "htmx"])
def test_get_matrix(app, world, htmx):
    """Every GET route × every role (plain or htmx): allowed cells answer, refused cells do not."""
    wrong, cells = [], 0
    # Following the tracking link grants the browser citizen A's request: it goes last, so that no
    # later cell tests that grant instead of the role.
    granting = ("requests.track_token", "requests.survey_link")  # the survey link is a tracking link too
    ordered = sorted(routes(app, "GET").items(), key=lambda pair: (pair[0] in granting, pair[0]))
    for endpoint, rule in ordered:
        url = url_of(app, rule, world.ids)
        for role in ROLES:
            allowed = role in GET_ACCESS[endpoint]
            cells += 1
            headers = {"HX-Request": "true"} if htmx else {}
            response = world.clients[role].get(url, headers=headers)
            status = response.status_code
            expected = "allowed" if allowed else "refused"
            if endpoint in STAFF_TO_DESK and role in READ_ALL:
                desk_url = url_of(app, routes(app, "GET")[STAFF_TO_DESK[endpoint]], world.ids)
                ok, expected = status == 303 and response.headers["Location"].endswith(desk_url), "to the desk"
            elif allowed:
                ok = status == 200
                if endpoint in REDIRECTING or (role != ANON and endpoint in REDIRECT_WHEN_LOGGED_IN):
                    ok = ok or (status in (302, 303) and not is_login_redirect(response, False))
                if endpoint in ("accounts.verify_email", "accounts.reset_password", "accounts.set_password",
                                "organisation.body_logo_image", "accounts.email_confirm",
                                "accounts.accept_invitation"):
                    ok = ok or status in (400, 404)  # a made-up token (or no logo): public, nothing behind it
            else:
                ok = refused(response, htmx)
            if not ok:
                wrong.append((endpoint, role, "htmx" if htmx else "http", expected, status,
                              response.headers.get("Location")))
    assert not wrong, "\n".join(map(str, wrong))
    assert cells == len(GET_ACCESS) * len(ROLES)


def test_post_matrix_refuses_without_changing_anything(app, world):
    """Every POST route × every role it is not meant for: refused (HTTP and htmx), no row written."""
    from ppid_desk.requests.models import InformationRequest

    before = table_counts()
    version = db.session.get(InformationRequest, world.ids["item"]).version
    wrong = []
    for endpoint, rule in sorted(routes(app, "POST").items()):
        url = url_of(app, rule, world.ids)
        for role in sorted(set(ROLES) - POST_ACCESS[endpoint]):
            for htmx in (False, True):
                headers = {"HX-Request": "true"} if htmx else {}
                response = world.clients[role].post(url, data={"version": str(version)}, headers=headers)
                if not refused(response, htmx):
                    wrong.append((endpoint, role, "htmx" if htmx else "http", response.status_code))
    assert not wrong, "\n".join(map(str, wrong))
    assert table_counts() == before
    assert db.session.get(InformationRequest, world.ids["item"]).version == version


def test_post_matrix_lets_the_right_roles_through(app, world):
    """The allowed cells pass the access check: an empty form is answered (422/400/409/redirect)."""
    wrong = []
    for endpoint, rule in sorted(routes(app, "POST").items()):
        if endpoint == "accounts.logout":
            continue  # below, last
        url = url_of(app, rule, world.ids)
        roles = [ANON] if POST_ACCESS[endpoint] == PUBLIC else sorted(POST_ACCESS[endpoint])
        for role in roles:
            # received_date/_time: a form without them (not a browser's) fails with a 500 in
            # desk/intake_forms.py parse_local_date(None) — reported, not an access question
            response = world.clients[role].post(url, data={"received_date": "", "received_time": ""})
            if refused(response, False) or response.status_code >= 500:
                wrong.append((endpoint, role, response.status_code))
    assert not wrong, "\n".join(map(str, wrong))
    for role in ROLES:
        assert world.clients[role].post("/keluar").status_code in (302, 303)


# --- object-level cases -----------------------------------------------------------------------------

def test_other_peoples_objects_are_refused(app, world):
    ids, c = world.ids, world.clients
    item, other = ids["item"], ids["other"]
    # citizen A reaches B's things neither directly nor through A's own request
    for url in (f"/permohonan/{other}", f"/permohonan/{other}/tanda-bukti",
                f"/permohonan/{other}/keberatan/{ids['other_objection']}",
                f"/permohonan/{item}/keberatan/{ids['other_objection']}",
                f"/permohonan/{item}/keberatan/{ids['other_objection']}/tanggapan.pdf",
                f"/permohonan/{other}/informasi/{ids['other_information']}",
                f"/permohonan/{item}/informasi/{ids['other_information']}",
                f"/permohonan/{item}/informasi/{ids['identity']}",  # a KTP is never "information"
                f"/permohonan/{item}/informasi/{ids['answer']}",  # nor a unit's internal answer
                f"/permohonan/{other}/berkas-sengketa.zip", f"/permohonan/{other}/pemberitahuan.pdf"):
        for headers in ({}, {"HX-Request": "true"}):
            assert c[CIT_A].get(url, headers=headers).status_code == 404, url
    assert c[CIT_A].post(f"/permohonan/{item}/keberatan/{ids['other_objection']}/sengketa",
                         data={"level": "pusat", "filed_date": "2026-04-03"}).status_code == 404
    # the desk: a file of another request, or of another task, through this request's URL
    for url in (f"/meja/permohonan/{item}/dokumen/{ids['other_identity']}",
                f"/meja/permohonan/{other}/dokumen/{ids['identity']}",
                f"/meja/permohonan/{item}/informasi/{ids['other_information']}",
                f"/meja/permohonan/{item}/informasi/{ids['identity']}",
                f"/meja/tugas/{ids['task']}/dokumen/{ids['identity']}",
                f"/meja/tugas/{ids['task']}/dokumen/{ids['information']}"):
        assert c[UTAMA].get(url).status_code == 404, url
    # the unit of the task reads its request and the answer, but not the applicant's KTP
    assert c[UNIT_RIGHT].get(f"/meja/permohonan/{item}/dokumen/{ids['answer']}").status_code == 200
    for role in (UNIT_RIGHT, PENGAWAS, ADMIN):
        assert c[role].get(f"/meja/permohonan/{item}/dokumen/{ids['identity']}").status_code == 403, role
        assert c[role].post(f"/meja/permohonan/{item}/nik").status_code == 403, role
    # the wrong unit sees nothing of a request that was not routed to it
    for url in (f"/meja/permohonan/{item}", f"/meja/tugas/{ids['task']}",
                f"/meja/tugas/{ids['task']}/dokumen/{ids['answer']}",
                f"/meja/permohonan/{item}/dokumen/{ids['answer']}",
                f"/meja/keberatan/{ids['objection']}/tanda-terima"):
        assert c[UNIT_WRONG].get(url).status_code == 404, url
    # objections of unrouted requests are not shown to the unit that has a task elsewhere
    assert c[UNIT_RIGHT].get(f"/meja/permohonan/{other}").status_code == 404
    assert c[UNIT_RIGHT].get(f"/meja/keberatan/{ids['other_objection']}").status_code in (403, 404)


# --- every document purpose on every document route ----------------------------------------------

DOCUMENT_URLS = {
    "request": "/meja/permohonan/{item}/dokumen/{attachment}",
    "objection": "/meja/keberatan/{objection}/dokumen/{attachment}",
    "task": "/meja/tugas/{task}/dokumen/{attachment}",
}
DOWNLOAD_EVENTS = ("document_viewed", "task_document_downloaded")


def test_every_purpose_has_its_row_and_personal_ones_need_the_identity():
    from ppid_desk.attachments.models import PERSONAL_PURPOSES, AttachmentPurpose

    assert set(DOCUMENT_ACCESS) == {p.value for p in AttachmentPurpose}
    for purpose in PERSONAL_PURPOSES:
        for route, roles in DOCUMENT_ACCESS[purpose].items():
            assert roles <= IDENTITY, (purpose, route)


def test_every_purpose_on_every_document_route(app, world):
    """Each file × each document route × each role: the right roles get it, and each download is
    logged; the others are refused and nothing is logged."""
    from ppid_desk.audit.models import Event

    def downloads() -> int:
        db.session.expire_all()
        return db.session.scalar(select(func.count()).select_from(Event).where(Event.kind.in_(DOWNLOAD_EVENTS)))

    ids, wrong = world.ids, []
    assert set(ids["documents"]) == set(DOCUMENT_ACCESS)
    for purpose, routes_of in sorted(DOCUMENT_ACCESS.items()):
        attachment = ids["documents"][purpose]
        for route, allowed in routes_of.items():
            url = DOCUMENT_URLS[route].format(item=ids["item"], objection=ids["objection"], task=ids["task"],
                                              attachment=attachment)
            for role in ROLES:
                before = downloads()
                response = world.clients[role].get(url)
                logged = downloads() - before
                if role in allowed:
                    ok = response.status_code == 200 and logged == 1
                else:
                    ok = refused(response, False) and logged == 0
                if not ok:
                    wrong.append((purpose, route, role, response.status_code, logged))
    assert not wrong, "\n".join(map(str, wrong))


def test_tracking_tokens_open_one_request_only(app, world):
    ids = world.ids
    guest = app.test_client()
    for token in ("bukan-token", ids["token"][:-1], ids["token"] + "x", ids["token"].upper()):
        if token == ids["token"]:
            continue
        assert guest.get(f"/lacak/{token}").status_code == 404, token
    assert guest.get(f"/permohonan/{ids['item']}").status_code == 404
    opened = guest.get(f"/lacak/{ids['other_token']}")
    assert opened.status_code == 303 and opened.location.endswith(f"/permohonan/{ids['other']}")
    assert guest.get(f"/permohonan/{ids['other']}").status_code == 200
    # B's token opens B's request only: A's request, objection, files and notice stay closed
    for url in (f"/permohonan/{ids['item']}", f"/permohonan/{ids['item']}/tanda-bukti",
                f"/permohonan/{ids['item']}/keberatan/{ids['objection']}",
                f"/permohonan/{ids['item']}/informasi/{ids['information']}",
                f"/permohonan/{ids['item']}/pemberitahuan.pdf",
                f"/permohonan/{ids['item']}/berkas-sengketa.zip",
                f"/permohonan/{ids['other']}/keberatan/{ids['objection']}",
                f"/permohonan/{ids['other']}/informasi/{ids['information']}"):
        assert guest.get(url).status_code == 404, url
    # …and the guest never reaches the desk
    assert guest.get(f"/meja/permohonan/{ids['other']}").status_code == 302
    # the logged-in citizen B holding nothing of A: the same 404s
    assert world.clients[CIT_B].get(f"/permohonan/{ids['item']}").status_code == 404
