"""Account security (issue 6, item 2): login lock-out, per-form rate limits, cookie flags, and
sessions that end on logout and on a password change. Lock-outs live in the database (shared by
every worker; tests/test_shared_limits.py runs two), and time is moved with the app clock."""

from __future__ import annotations

import re
import secrets
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ppid_desk import create_app
from ppid_desk.accounts import throttle
from ppid_desk.accounts.models import LoginFailure, LoginThrottle
from ppid_desk.audit.models import Event
from ppid_desk.dbtypes import utcnow
from ppid_desk.extensions import db
from ppid_desk.notifications.sender import sender_pass

PASSWORD = "rahasia-panjang-1"
WRONG = "tebak-tebakan-salah"
LOCKED = "Terlalu banyak percobaan masuk yang gagal"


def attempt(client, email="warga@example.id", password=WRONG, **kwargs):
    return client.post("/masuk", data={"email": email, "password": password}, **kwargs)


def lock_events(user_id: int) -> list[Event]:
    db.session.expire_all()
    return list(db.session.scalars(select(Event).where(
        Event.subject_type == "user", Event.subject_id == user_id, Event.kind == "login_locked")))


def rows(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


# --- lock-out per account -----------------------------------------------------------------

def test_five_failures_lock_the_account_even_for_the_right_password(client, make_user, mailbox, rate_limits):
    user = make_user()
    assert [attempt(client).status_code for _ in range(4)] == [422] * 4
    fifth = attempt(client)
    assert fifth.status_code == 429 and LOCKED in fifth.text and "15 menit" in fifth.text
    assert 'href="/lupa-sandi"' in fifth.text
    right = attempt(client, password=PASSWORD)
    assert right.status_code == 429 and LOCKED in right.text
    assert client.get("/permohonan-saya").status_code == 302  # not logged in

    events = lock_events(user.id)
    assert len(events) == 1 and events[0].data["minutes"] == 15 and events[0].actor_id is None
    for _ in range(3):  # more attempts during the lock-out: no new event, no new e-mail
        attempt(client)
    assert len(lock_events(user.id)) == 1
    assert mailbox.received == []  # account e-mails leave through the outbox sender, not the request
    sender_pass()
    mailbox.wait_for(1)
    locked_mails = [m for m in mailbox.to("warga@example.id") if "dikunci" in m["Subject"]]
    assert len(locked_mails) == 1
    assert "15 menit" in locked_mails[0].get_content() and "/lupa-sandi" in locked_mails[0].get_content()


def test_unknown_address_gets_the_same_lockout(app, client, make_user, mailbox, rate_limits, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "50 per minute")
    user = make_user()
    known = [attempt(client).status_code for _ in range(5)]
    unknown = [attempt(client, email="tidak-ada@example.id").status_code for _ in range(5)]
    assert known == unknown == [422, 422, 422, 422, 429]
    assert LOCKED in attempt(client, email="tidak-ada@example.id").text
    kinds = db.session.scalars(select(Event.subject_id).where(Event.kind == "login_locked")).all()
    assert kinds == [user.id]  # logged only for the real account


def test_a_successful_login_resets_the_count(client, make_user, rate_limits):
    make_user()
    assert [attempt(client).status_code for _ in range(4)] == [422] * 4
    assert attempt(client, password=PASSWORD).status_code == 303
    client.post("/keluar")
    assert [attempt(client).status_code for _ in range(4)] == [422] * 4  # counting from zero again
    assert attempt(client).status_code == 429


def test_the_lockout_ends_after_its_minutes(client, make_user, rate_limits, clock, monkeypatch, app):
    monkeypatch.setitem(app.config, "LOGIN_LOCKOUT_MINUTES", 30)
    make_user()
    for _ in range(5):
        response = attempt(client)
    assert response.status_code == 429 and "30 menit" in response.text
    clock.advance(timedelta(minutes=20))
    still = attempt(client, password=PASSWORD)
    assert still.status_code == 429 and "10 menit" in still.text
    clock.advance(timedelta(minutes=11))
    assert attempt(client, password=PASSWORD).status_code == 303


def test_after_a_lockout_counting_starts_afresh(client, make_user, rate_limits, clock):
    make_user()
    for _ in range(5):
        attempt(client)
    clock.advance(timedelta(minutes=16))  # the lock-out (15) is over; its failures no longer count
    assert [attempt(client).status_code for _ in range(5)] == [422] * 4 + [429]


def test_failures_outside_the_window_do_not_add_up(client, make_user, rate_limits, clock):
    make_user()
    assert [attempt(client).status_code for _ in range(4)] == [422] * 4
    clock.advance(timedelta(minutes=16))  # LOGIN_LOCKOUT_WINDOW is 15 minutes
    assert [attempt(client).status_code for _ in range(4)] == [422] * 4
    assert attempt(client).status_code == 429  # the four of the window, and this one


def test_counters_live_in_the_database(client, make_user, rate_limits):
    """Security state is in the database every worker shares, not in the rate-limit storage
    (memory:// counts per process): clearing that storage does not lift a lock-out."""
    make_user()
    for _ in range(5):
        attempt(client)
    assert attempt(client, password=PASSWORD).status_code == 429
    rate_limits.reset()
    assert attempt(client, password=PASSWORD).status_code == 429
    db.session.expire_all()
    [locked] = db.session.scalars(select(LoginThrottle).where(LoginThrottle.locked_until > utcnow())).all()
    assert locked.kind == "account" and "warga" not in locked.key  # a keyed digest, not the address
    assert rows(LoginFailure) == 5 * 2  # each failure counted for the address and for the client IP


def test_an_administrator_can_unlock(client, make_user, rate_limits):
    make_user()
    for _ in range(5):
        attempt(client)
    throttle.login_unlock(email=" Warga@Example.ID ")
    db.session.commit()
    assert attempt(client, password=PASSWORD).status_code == 303


def test_the_sweep_prunes_what_no_longer_counts(client, make_user, rate_limits, clock):
    from ppid_desk.notifications.sweep import sweep_run

    make_user()
    for _ in range(5):
        attempt(client)  # locked for 15 minutes
    attempt(client, email="lain@example.id")  # one failure of another address
    sweep_run(now=utcnow())
    assert rows(LoginFailure) == 6 * 2 and rows(LoginThrottle) == 1  # all still within the window
    assert attempt(client, password=PASSWORD).status_code == 429
    clock.advance(timedelta(minutes=16))
    sweep_run(now=utcnow())
    assert rows(LoginFailure) == rows(LoginThrottle) == 0
    assert attempt(client, password=PASSWORD).status_code == 303


def test_no_lockout_when_rate_limiting_is_off(client, make_user):
    make_user()
    assert {attempt(client).status_code for _ in range(8)} == {422}
    assert attempt(client, password=PASSWORD).status_code == 303


# --- lock-out per client IP ---------------------------------------------------------------

def test_many_addresses_from_one_ip_lock_that_ip_only(app, make_user, rate_limits, monkeypatch, mailbox):
    monkeypatch.setitem(app.config, "LOGIN_LOCKOUT_IP_FAILURES", 6)
    make_user(email="korban@example.id")
    guesser = app.test_client()
    here = {"environ_base": {"REMOTE_ADDR": "203.0.113.7"}}
    codes = [attempt(guesser, email=f"orang{n}@example.id", **here).status_code for n in range(6)]
    assert codes == [422] * 5 + [429]
    blocked = attempt(guesser, email="korban@example.id", password=PASSWORD, **here)
    assert blocked.status_code == 429 and LOCKED in blocked.text
    elsewhere = attempt(app.test_client(), email="korban@example.id", password=PASSWORD,
                        environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert elsewhere.status_code == 303
    assert db.session.scalar(select(Event).where(Event.kind == "login_locked")) is None


def test_an_office_s_typos_do_not_lock_out_its_staff(app, make_user, rate_limits):
    """Many people behind one address (an office, a campus) mistype their passwords: the per-IP
    lock-out and the login limit stay far above that, so a colleague still logs in."""
    make_user(email="petugas@pemda.example.id", roles=("petugas",))
    office = {"environ_base": {"REMOTE_ADDR": "203.0.113.50"}}
    codes = [attempt(app.test_client(), email=f"warga{n}@example.id", **office).status_code
             for n in range(8) for _ in range(3)]
    assert codes == [422] * 24  # each address below its own lock-out (5)
    staff = attempt(app.test_client(), email="petugas@pemda.example.id", password=PASSWORD, **office)
    assert staff.status_code == 303


def test_right_passwords_do_not_count_towards_the_login_limit(app, make_user, rate_limits):
    """A morning of logins from one office address: only refused attempts count."""
    make_user()
    office = {"environ_base": {"REMOTE_ADDR": "203.0.113.51"}}
    browser = app.test_client()
    for _ in range(60):
        assert attempt(browser, password=PASSWORD, **office).status_code == 303
        browser.post("/keluar", **office)


def test_the_ip_ceiling_is_much_higher_than_an_account_s():
    from ppid_desk.config import DEFAULTS

    assert DEFAULTS["LOGIN_LOCKOUT_IP_FAILURES"] >= 10 * DEFAULTS["LOGIN_LOCKOUT_FAILURES"]


# --- rate limits per form -----------------------------------------------------------------

def register_form(n: int) -> dict:
    return {"name": "Ani Lestari", "email": f"ani{n}@example.id", "password": "kalimat rahasia ani",
            "password_confirm": "kalimat rahasia ani", "privacy": "y"}


LIMITED_FORMS = [
    ("REGISTER_RATE_LIMIT", "/daftar", register_form),
    ("PASSWORD_RESET_RATE_LIMIT", "/lupa-sandi", lambda n: {"email": f"lupa{n}@example.id"}),
    ("ACCOUNT_MAIL_RATE_LIMIT", "/daftar/kirim-ulang", lambda n: {"email": f"ulang{n}@example.id"}),
    ("LOOKUP_RATE_LIMIT", "/lacak", lambda n: {"number": f"000{n}/PPID/I/2026", "email": "a@example.id"}),
]


@pytest.mark.parametrize(("key", "path", "form"), LIMITED_FORMS, ids=[row[0] for row in LIMITED_FORMS])
def test_each_form_has_its_own_limit_and_a_friendly_429(app, client, rate_limits, monkeypatch, mailbox,
                                                         key, path, form):
    monkeypatch.setitem(app.config, key, "2 per hour")
    first = [client.post(path, data=form(n)).status_code for n in range(2)]
    assert all(code in (303, 422) for code in first), first
    blocked = client.post(path, data=form(3))
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.text and "Kembali ke beranda" in blocked.text
    assert "Traceback" not in blocked.text and blocked.headers["Retry-After"]
    assert client.get(path).status_code == 200  # only POSTs count
    # The other forms keep their own counters.
    for other_key, other_path, other_form in LIMITED_FORMS:
        if other_key != key:
            assert client.post(other_path, data=other_form(9)).status_code != 429, other_path


def test_each_limit_is_configured():
    from ppid_desk.config import DEFAULTS

    for key, _path, _form in LIMITED_FORMS:
        assert re.fullmatch(r"\d+ per \w+", DEFAULTS[key]), key


# --- cookies ------------------------------------------------------------------------------

PRODUCTION_SECRET = secrets.token_urlsafe(48)


def production_app(database_url, **overrides):
    config = {"SECRET_KEY": PRODUCTION_SECRET, "SQLALCHEMY_DATABASE_URI": database_url,
              "TESTING": False, "DEBUG": False, "RATELIMIT_ENABLED": False,
              "PUBLIC_BASE_URL": "https://ppid.contoh.go.id"}
    config.update(overrides)
    return create_app(config)


@pytest.mark.parametrize(("overrides", "env", "secure"), [
    ({}, None, True),
    ({"PUBLIC_BASE_URL": "http://127.0.0.1:5000"}, None, False),
    ({"TESTING": True}, None, False),
    ({"DEBUG": True}, None, False),
    ({"PUBLIC_BASE_URL": "http://ppid.internal"}, "true", True),
    ({}, "false", False),
], ids=["https", "http", "testing", "debug", "forced-on", "forced-off"])
def test_secure_cookies_in_production(app, monkeypatch, overrides, env, secure):
    if env is not None:
        monkeypatch.setenv("PPID_SESSION_COOKIE_SECURE", env)
    prod = production_app(app.config["SQLALCHEMY_DATABASE_URI"], **overrides)
    assert prod.config["SESSION_COOKIE_SECURE"] is secure
    assert prod.config["REMEMBER_COOKIE_SECURE"] is secure
    assert prod.config["SESSION_COOKIE_HTTPONLY"] and prod.config["REMEMBER_COOKIE_HTTPONLY"]
    assert prod.config["SESSION_COOKIE_SAMESITE"] == prod.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert prod.permanent_session_lifetime == timedelta(hours=8)


def test_production_cookies_carry_the_flags(app, make_user):
    make_user()
    prod = production_app(app.config["SQLALCHEMY_DATABASE_URI"])
    browser = prod.test_client()
    page = browser.get("/masuk", base_url="https://ppid.contoh.go.id")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                      page.text)
    response = browser.post("/masuk", base_url="https://ppid.contoh.go.id",
                            headers={"Referer": "https://ppid.contoh.go.id/masuk"}, data={
        "email": "warga@example.id", "password": PASSWORD, "remember": "y",
        "csrf_token": token.group(1) or token.group(2)})
    assert response.status_code == 303, response.text[:300]
    cookies = {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        flags = [part.strip().lower() for part in cookies[name].split(";")]
        assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags, cookies[name]


def test_the_test_app_cookies_are_httponly_lax(client, make_user):
    make_user()
    response = attempt(client, password=PASSWORD)
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header


# --- sessions end -------------------------------------------------------------------------

def test_an_old_session_cookie_is_refused_after_logout(client, make_user):
    make_user()
    assert attempt(client, password=PASSWORD).status_code == 303
    stolen = client.get_cookie("session").value
    assert client.get("/permohonan-saya").status_code == 200
    client.post("/keluar")
    client.set_cookie("session", stolen)  # the cookie of before the logout, replayed
    replay = client.get("/permohonan-saya")
    assert replay.status_code == 302 and replay.headers["Location"].startswith("/masuk")
    assert attempt(client, password=PASSWORD).status_code == 303  # a new login works
    assert client.get("/permohonan-saya").status_code == 200


def test_logout_also_ends_the_remember_me_cookie_and_other_devices(app, make_user):
    make_user()
    laptop, phone = app.test_client(), app.test_client()
    laptop.post("/masuk", data={"email": "warga@example.id", "password": PASSWORD, "remember": "y"})
    remember = laptop.get_cookie("remember_token").value
    assert attempt(phone, password=PASSWORD).status_code == 303
    laptop.post("/keluar")
    assert phone.get("/permohonan-saya").status_code == 302
    thief = app.test_client()
    thief.set_cookie("remember_token", remember)
    assert thief.get("/permohonan-saya").status_code == 302


def test_a_password_reset_elsewhere_ends_the_session(app, client, make_user, mailbox):
    make_user()
    assert attempt(client, password=PASSWORD).status_code == 303
    old_cookie = client.get_cookie("session").value
    other = app.test_client()
    other.post("/lupa-sandi", data={"email": "warga@example.id"})
    sender_pass()
    message = mailbox.wait_for(1)[-1]
    path = re.search(r"https?://[^/\s]+(/lupa-sandi/\S+)", message.get_content()).group(1)
    done = other.post(path, data={"password": "sandi-baru-yang-panjang", "password_confirm": "sandi-baru-yang-panjang"})
    assert done.status_code == 303
    client.set_cookie("session", old_cookie)
    replay = client.get("/permohonan-saya")
    assert replay.status_code == 302 and replay.headers["Location"].startswith("/masuk")


def test_a_session_cookie_expires_after_the_session_lifetime(client, make_user, monkeypatch):
    from itsdangerous.timed import TimestampSigner

    make_user()
    assert attempt(client, password=PASSWORD).status_code == 303
    assert client.get("/permohonan-saya").status_code == 200
    signed_at = time.time()
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(signed_at + 9 * 3600))
    assert client.get("/permohonan-saya").status_code == 302


def test_behind_a_trusted_proxy_limits_see_the_visitor_address(app):
    """With TRUSTED_PROXIES the client address comes from X-Forwarded-For (one hop), else not."""
    from flask import request

    from ppid_desk import create_app

    seen = {}
    for proxies in (0, 1):
        proxied = create_app({**app.config, "TRUSTED_PROXIES": proxies})

        @proxied.get("/_whoami")
        def whoami(proxies=proxies):
            seen[proxies] = request.remote_addr
            return "ok"

        proxied.test_client().get("/_whoami", headers={"X-Forwarded-For": "203.0.113.7"},
                                  environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert seen == {0: "10.0.0.2", 1: "203.0.113.7"}
