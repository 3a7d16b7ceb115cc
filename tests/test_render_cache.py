"""Rendered pages kept per worker under the data version token (issue 17 items 1 and 2).

A page is served from the cache when nothing it shows can have changed: the same data version
token (replaced by every committed write through a session, on any server), URL, language,
user and date. What a hit must still do per visitor: its own CSRF token, the flashed message
shown once. The tests watch Flask's ``template_rendered`` signal to tell a rendered page from
a kept one, and read the token from the database, as another worker would."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from ppid_desk import create_app
from ppid_desk.extensions import db
from ppid_desk.operations.data_version import data_token
from ppid_desk.operations.models import DataVersion
from ppid_desk.organisation.models import Unit
from ppid_desk.requests.models import InformationRequest
from tests import factories
from tests.helpers import TOKEN_RE, build_test_config, request_form, templates_rendered

FORM = "/permohonan/baru"


def committed_token() -> str:
    with db.engine.connect() as conn:
        return conn.scalar(select(DataVersion.token).where(DataVersion.id == 1))


def csrf_of(html: str) -> str:
    match = TOKEN_RE.search(html)
    assert match, "no csrf_token field in the page"
    return next(g for g in match.groups() if g)


def test_the_request_form_is_rendered_once_and_every_visitor_gets_a_token_of_their_own(app, mailbox):
    app.config["WTF_CSRF_ENABLED"] = True  # the `app` fixture turns it off again for the next test
    first, second = app.test_client(), app.test_client()
    with templates_rendered(app) as names:
        page_one = first.get(FORM).get_data(as_text=True)
        page_two = second.get(FORM).get_data(as_text=True)
    assert names == ["requests/new.html"]  # the second visitor got the kept page
    token_one, token_two = csrf_of(page_one), csrf_of(page_two)
    assert token_one != token_two
    assert "\x00" not in page_two
    # The token of the kept page is the second visitor's own: the filing goes through …
    response = second.post(FORM, data={**request_form(), "csrf_token": token_two})
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    # … and another visitor's token is refused, as without the cache.
    refused = first.post(FORM, data={**request_form(email="lain@example.id"), "csrf_token": token_two})
    assert refused.status_code == 400
    with db.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM information_request")) == 1


def test_a_committed_write_replaces_the_token_and_the_next_page_is_rendered_afresh(app, client):
    before = committed_token()
    client.get(FORM)
    client.get("/")
    assert committed_token() == before  # reading never replaces it
    factories.make_unit(code="BAPPEDA", name="Bappeda")
    db.session.commit()
    after = committed_token()
    assert after != before and len(after) == 32
    with templates_rendered(app) as names:
        client.get(FORM)
        client.get(FORM)
    assert names == ["requests/new.html"]


def test_a_rolled_back_write_keeps_the_token(app):
    before = committed_token()
    assert data_token() == before
    db.session.rollback()
    db.session.add(Unit(code="BAPPEDA", name="Bappeda", kind="pembantu"))
    db.session.flush()
    assert data_token() is None  # this session's reads may still roll back: no kept page for it
    db.session.rollback()
    assert committed_token() == before
    assert data_token() == before


def test_the_queue_is_kept_per_officer_and_a_write_on_another_server_is_seen(app, officer_client, make_unit):
    health = make_unit(code="DINKES", name="Dinas Kesehatan")
    db.session.commit()
    item = factories.register_request(rincian="Data sekolah penerima BOS tahun 2025.")
    db.session.commit()
    number, item_id = item.number, item.id
    utama = officer_client("ppid_utama")
    unit_officer = officer_client("pembantu", unit=health)
    utama.get("/meja/")  # shows the welcome flashed at login: rendered for this visit only
    unit_officer.get("/meja/")
    with templates_rendered(app) as names:
        assert number in utama.get("/meja/").get_data(as_text=True)
        assert number not in unit_officer.get("/meja/").get_data(as_text=True)  # not routed to them
    assert names == ["desk/queue.html", "desk/queue.html"]  # one page each, not one for both

    # Behind every session's back (no token replaced): the kept queue still shows the old number.
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE information_request SET number = :n WHERE id = :id"),
                     {"n": "999/PPID/XII/2026", "id": item_id})
    with templates_rendered(app) as names:
        kept = utama.get("/meja/").get_data(as_text=True)
    assert names == [] and number in kept

    # A second server on the same database registers a request: its commit replaces the token.
    other = create_app(build_test_config(app.config["SQLALCHEMY_DATABASE_URI"], app.config["INSTANCE_FOR_TESTS"],
                                         app.config["MAIL_PORT"]))
    with other.app_context():
        factories.register_request(email="sari@example.id", name="Sari", rincian="Daftar gedung sekolah rusak.")
        db.session.commit()
        db.session.remove()
    with templates_rendered(app) as names:
        fresh = utama.get("/meja/").get_data(as_text=True)
    assert names == ["desk/queue.html"]
    assert "999/PPID/XII/2026" in fresh and number not in fresh
    assert "Sari" in fresh


def test_a_flashed_message_is_shown_once_and_never_kept(app, officer_client):
    utama = officer_client("ppid_utama")
    utama.get("/meja/")  # the welcome flashed at login
    utama.get("/meja/")  # kept
    with utama.session_transaction() as session:
        session["_flashes"] = [("info", "Pesan sekali tampil")]
    assert "Pesan sekali tampil" in utama.get("/meja/").get_data(as_text=True)
    with templates_rendered(app) as names:
        again = utama.get("/meja/").get_data(as_text=True)
    assert "Pesan sekali tampil" not in again
    assert names == []  # the page kept before the message, not the one that showed it


def test_the_next_day_renders_afresh(app, client, clock):
    clock.travel_to(datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    client.get(FORM)
    clock.advance(timedelta(hours=2))
    with templates_rendered(app) as names:
        client.get(FORM)
    assert names == []
    clock.advance(timedelta(days=1))
    with templates_rendered(app) as names:
        client.get(FORM)
    assert names == ["requests/new.html"]


def test_the_cache_can_be_turned_off(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 0)
    with templates_rendered(app) as names:
        client.get(FORM)
        client.get(FORM)
    assert names == ["requests/new.html", "requests/new.html"]


def test_a_filing_does_not_leave_the_form_of_the_last_visitor(app, client):
    """An answer other than a plain 200 page (here the 422 with the visitor's own text) is never
    kept: the next visitor gets the empty form."""
    response = client.post(FORM, data=request_form(name="", rincian="Teks yang tidak boleh bocor"))
    assert response.status_code == 422
    other = app.test_client()
    page = other.get(FORM).get_data(as_text=True)
    assert "Teks yang tidak boleh bocor" not in page
    assert re.search(r'name="rincian"', page)
    assert db.session.scalar(select(InformationRequest.id)) is None
