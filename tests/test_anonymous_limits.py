"""Every page anyone may open without logging in has a rate limit (issue "Close what an attacker
found", item 12; ppid_desk/web/limits.py).

``test_every_anonymous_page_is_limited`` walks the URL map: each GET route that an anonymous
visitor reaches (anything but a redirect to the login page) must answer 429 once the shared
public budget is spent, or be in ``EXEMPT`` with the reason. A new anonymous page without
``@public_page_limit`` fails it.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from ppid_desk.extensions import limiter

# Anonymous routes without the shared public limit, and why.
EXEMPT = {
    # Files from static/ (CSS, JS, images): no database, no template; behind the production
    # proxy they never reach the app at all.
    "static": "no database",
    # Sets the language cookie and redirects back: no database, no template.
    "pages.set_language": "no database",
    # For monitors: its own budget, HEALTHZ_RATE_LIMIT (test_healthz_has_its_own_budget), so a
    # monitor is never refused because its address also browsed the public pages.
    "pages.healthz": "own limit",
}

PLACEHOLDERS = {"lang": "id", "filename": "css/app.css", "fmt": "csv", "year": 2025, "token": "bukan-token"}


def _url(app, rule) -> str:
    values = {}
    for name in rule.arguments:
        values[name] = 1 if isinstance(rule._converters[name], IntegerConverter) else PLACEHOLDERS.get(name, "x")
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def _login_gated(response) -> bool:
    return response.status_code in (302, 303) and response.headers["Location"].startswith("/masuk")


@pytest.fixture
def one_per_minute(app, rate_limits, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_RATE_LIMIT", "1 per minute")
    monkeypatch.setitem(app.config, "HEALTHZ_RATE_LIMIT", "2 per minute")
    return rate_limits


def test_every_anonymous_page_is_limited(app, one_per_minute):
    anonymous_routes, unlimited = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods:
            continue
        url = _url(app, rule)
        limiter.enabled = False
        response = app.test_client().get(url)
        limiter.enabled = True
        if _login_gated(response):
            continue
        anonymous_routes.append(rule.endpoint)
        if rule.endpoint in EXEMPT:
            continue
        limiter.reset()
        client = app.test_client()
        first, second, head = client.get(url), client.get(url), client.head(url)
        if first.status_code == 429 or second.status_code != 429 or head.status_code != 429:
            unlimited.append((rule.endpoint, first.status_code, second.status_code, head.status_code))
    assert unlimited == [], f"anonymous pages without @public_page_limit (or an EXEMPT entry): {unlimited}"
    # The walk really saw the public side (and the exemptions name routes that exist).
    assert {"pages.home", "monev.public_statistics", "requests.track_token", "requests.detail",
            "monev.annual_report_public", "accounts.login"} <= set(anonymous_routes)
    assert set(EXEMPT) <= set(anonymous_routes)
    assert "desk.queue" not in anonymous_routes and "requests.my_requests" not in anonymous_routes


def test_exempt_pages_read_no_database(app, count_queries):
    for rule in app.url_map.iter_rules():
        if EXEMPT.get(rule.endpoint) == "no database":
            with count_queries() as statements:
                app.test_client().get(_url(app, rule))
            assert statements == [], rule.endpoint


def test_one_budget_across_the_public_pages(app, one_per_minute):
    client = app.test_client()
    assert client.get("/statistik").status_code == 200
    for url in ("/lacak", "/", "/permohonan/baru", "/lacak/bukan-token"):
        response = client.get(url)
        assert response.status_code == 429, url
        assert "Terlalu banyak" in response.get_data(as_text=True)  # the plain-language page, not a 500
    assert client.get("/", environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 200  # per address


def test_healthz_has_its_own_budget(app, one_per_minute):
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 429  # the public budget is spent …
    assert client.get("/healthz").status_code == 200  # … the monitor's is not
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").status_code == 429  # HEALTHZ_RATE_LIMIT = 2 per minute here


def test_the_default_budget_allows_normal_browsing(app, rate_limits):
    client = app.test_client()
    assert app.config["PUBLIC_RATE_LIMIT"] == "120 per minute"
    for _ in range(30):  # a visitor clicking around quickly
        assert client.get("/").status_code == 200
