"""CSRF on every non-GET route (issue 6, item 2): discovered from the URL map, each route refuses
a request without a token and with a wrong token (400), sent by a logged-in user whose role could
otherwise act (see tests/test_authz_matrix.py POST_ACCESS), and nothing in the database changes.
Also the session cookie's flags on the login response."""

from __future__ import annotations

import re

import pytest

from tests.access_matrix import (
    ANON,
    CIT_A,
    POST_ACCESS,
    PUBLIC,
    ROLES,
    SAFE_METHODS,
    build_world,
    stub_pdfs,
    table_counts,
    url_of,
)

WRONG = "IjA5ZjM4YjY4ZTQ3YzQ1ZGY5YjEwYzQ5YWI2MzhkZjI0Ig.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"


@pytest.fixture
def world(app, clock, make_unit, officer_client, file_request, monkeypatch):
    stub_pdfs(monkeypatch)
    built = build_world(app, clock, make_unit, officer_client, file_request)  # logs in without CSRF
    app.config["WTF_CSRF_ENABLED"] = True  # the `app` fixture turns it off again for the next test
    return built


def actor_for(endpoint: str) -> str:
    allowed = POST_ACCESS[endpoint]
    if endpoint == "accounts.logout":
        return CIT_A  # logging out is only meaningful when logged in
    return ANON if allowed == PUBLIC else next(role for role in ROLES if role in allowed)


def token_of(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_every_post_route_refuses_a_missing_or_wrong_token(app, world):
    from ppid_desk.extensions import db
    from ppid_desk.requests.models import InformationRequest

    before = table_counts()
    version = db.session.get(InformationRequest, world.ids["item"]).version
    wrong, checked = [], 0
    for rule in app.url_map.iter_rules():
        if not rule.methods - SAFE_METHODS - {"GET"}:
            continue
        url = url_of(app, rule, world.ids)
        client = world.clients[actor_for(rule.endpoint)]
        attempts = {
            "missing": dict(data={"version": str(version)}),
            "wrong": dict(data={"version": str(version), "csrf_token": WRONG}),
            "wrong htmx header": dict(data={"version": str(version)},
                                      headers={"HX-Request": "true", "X-CSRFToken": WRONG}),
        }
        for name, kwargs in attempts.items():
            checked += 1
            response = client.post(url, **kwargs)
            if response.status_code != 400:
                wrong.append((rule.endpoint, actor_for(rule.endpoint), name, response.status_code))
    assert not wrong, "\n".join(map(str, wrong))
    assert checked == 3 * len(POST_ACCESS)
    assert table_counts() == before
    assert db.session.get(InformationRequest, world.ids["item"]).version == version
    # still logged in: logout without a token did not end the session
    assert world.clients[CIT_A].get("/permohonan-saya").status_code == 200


def test_the_right_token_passes_and_the_session_cookie_is_guarded(app, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    make_user(email="warga@example.id")
    client = app.test_client()
    token = token_of(client, "/masuk")
    refused = client.post("/masuk", data={"email": "warga@example.id", "password": "rahasia-panjang-1",
                                          "csrf_token": token + "x"})
    assert refused.status_code == 400
    response = client.post("/masuk", data={"email": "warga@example.id", "password": "rahasia-panjang-1",
                                           "csrf_token": token})
    assert response.status_code == 303
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(app.config.get(
        "SESSION_COOKIE_NAME", "session") + "=")]
    assert cookies, response.headers.getlist("Set-Cookie")
    flags = cookies[-1].lower()
    assert "httponly" in flags and "samesite=lax" in flags
    assert client.get("/permohonan-saya").status_code == 200
