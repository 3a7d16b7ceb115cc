"""Citizen accounts: register, verify, log in/out, reset a forgotten password (issue item 9).

E-mails travel through the real outbox and a real SMTP server (the ``mailbox`` fixture); links
are taken from the delivered message bodies, as a citizen would click them. Account e-mails are
sent by the outbox sender after the response (``send_outbox`` runs it), never by the request.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import func, select

from ppid_desk.accounts.models import User
from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.notifications.sender import sender_pass

PASSWORD = "rahasia-panjang-1"
NEW_PASSWORD = "sandi-baru-yang-panjang"


def register_form(**overrides) -> dict:
    data = {
        "name": "Ani Lestari",
        "email": "ani@example.id",
        "phone": "0812 1111 2222",
        "password": "kalimat rahasia ani",
        "password_confirm": "kalimat rahasia ani",
        "privacy": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def body_of(message) -> str:
    return message.get_content()


def link_path(message, prefix: str) -> str:
    """The path of the first link in ``message`` that starts with ``prefix``."""
    for url in re.findall(r"https?://\S+", body_of(message)):
        path = urlsplit(url).path
        if path.startswith(prefix):
            return path
    raise AssertionError(f"no {prefix} link in:\n{body_of(message)}")


def send_outbox() -> None:
    """Run the outbox sender once, as `flask ppid outbox` does beside the web workers."""
    sender_pass()


def only_message_to(mailbox, address: str, count: int = 1):
    send_outbox()
    mailbox.wait_for(count)
    messages = mailbox.to(address)
    assert len(messages) == 1, [m["Subject"] for m in mailbox.messages]
    return messages[0]


def user_named(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def is_logged_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


# --- the whole journey --------------------------------------------------------------------

def test_register_verify_login_logout_journey(client, mailbox):
    form_page = client.get("/daftar")
    assert form_page.status_code == 200
    assert 'autocomplete="new-password"' in form_page.text

    response = client.post("/daftar", data=register_form(email="  Ani@Example.ID "))
    assert response.status_code == 303
    assert response.headers["Location"] == "/daftar/terkirim"
    sent_page = client.get("/daftar/terkirim")
    assert "Periksa e-mail Anda" in sent_page.text and "ani@example.id" in sent_page.text

    user = user_named("ani@example.id")  # stored stripped and in lower case
    assert user is not None and user.roles == {"pemohon"} and user.email_verified_at is None
    assert user.phone == "0812 1111 2222"
    assert not user.check_password("x") and user.check_password("kalimat rahasia ani")

    message = only_message_to(mailbox, "ani@example.id")
    verify_path = link_path(message, "/daftar/verifikasi/")
    assert "Ani Lestari" in body_of(message)

    refused = client.post("/masuk", data={"email": "ani@example.id", "password": "kalimat rahasia ani"})
    assert refused.status_code == 422  # not verified yet

    verified = client.get(verify_path)
    assert verified.status_code == 303 and verified.headers["Location"] == "/masuk"
    assert "sudah terverifikasi" in client.get("/masuk").text
    assert user_named("ani@example.id").email_verified_at is not None

    logged_in = client.post("/masuk", data={"email": "ANI@example.id ", "password": "kalimat rahasia ani"})
    assert logged_in.status_code == 303
    assert logged_in.headers["Location"] == "/permohonan-saya"
    mine = client.get("/permohonan-saya")
    assert mine.status_code == 200 and "Selamat datang, Ani Lestari." in mine.text

    logged_out = client.post("/keluar")
    assert logged_out.status_code == 303 and logged_out.headers["Location"] == "/"
    assert "Anda sudah keluar." in client.get("/").text
    after = client.get("/permohonan-saya")
    assert after.status_code == 302 and after.headers["Location"].startswith("/masuk?next=")

    kinds = [e.kind for e in events_for("user", user.id)]
    assert kinds == ["account_registered", "email_verified", "logged_in", "logged_out"]


def test_verification_link_works_twice_without_harm(client, mailbox):
    client.post("/daftar", data=register_form())
    path = link_path(only_message_to(mailbox, "ani@example.id"), "/daftar/verifikasi/")
    assert client.get(path).status_code == 303
    assert client.get(path).status_code == 303  # a second click (or a mail scanner) is harmless
    user = user_named("ani@example.id")
    assert [e.kind for e in events_for("user", user.id)].count("email_verified") == 1


def test_resend_verification_sends_a_new_working_link(client, mailbox, make_user):
    make_user(email="lama@example.id", verified=False)
    make_user(email="sudah@example.id", verified=True)
    form = client.get("/daftar/kirim-ulang?email=lama@example.id")
    assert 'value="lama@example.id"' in form.text

    response = client.post("/daftar/kirim-ulang", data={"email": "Lama@Example.id"})
    assert response.status_code == 303 and response.headers["Location"] == "/daftar/terkirim?ulang=1"
    path = link_path(only_message_to(mailbox, "lama@example.id"), "/daftar/verifikasi/")
    assert client.get(path).status_code == 303
    assert client.post("/masuk", data={"email": "lama@example.id", "password": PASSWORD}).status_code == 303

    # Verified or unknown addresses get the same answer and no e-mail.
    mailbox.clear()
    for email in ("sudah@example.id", "tidak-ada@example.id"):
        other = client.post("/daftar/kirim-ulang", data={"email": email})
        assert other.status_code == 303 and other.headers["Location"] == "/daftar/terkirim?ulang=1"
    send_outbox()
    assert mailbox.messages == []


# --- logging in ---------------------------------------------------------------------------

def test_unverified_account_cannot_log_in(client, make_user, mailbox):
    make_user(verified=False)
    response = client.post("/masuk", data={"email": "warga@example.id", "password": PASSWORD})
    assert response.status_code == 422
    assert "belum diverifikasi" in response.text
    assert "/daftar/kirim-ulang?email=warga@example.id" in response.text
    assert not is_logged_in(client)
    assert client.get("/permohonan-saya").status_code == 302


def test_inactive_account_cannot_log_in(client, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    response = client.post("/masuk", data={"email": "warga@example.id", "password": PASSWORD})
    assert response.status_code == 422 and "dinonaktifkan" in response.text
    assert not is_logged_in(client)


@pytest.mark.parametrize("email, password", [
    ("warga@example.id", "salah-sekali-123"),
    ("bukan-warga@example.id", PASSWORD),
])
def test_wrong_credentials_one_message_keeps_email_not_password(client, make_user, email, password):
    make_user()
    response = client.post("/masuk", data={"email": email, "password": password})
    assert response.status_code == 422
    assert response.text.count("E-mail atau kata sandi salah.") == 2  # summary + next to the field
    assert 'id="email-error"' in response.text
    assert f'value="{email}"' in response.text
    assert password not in response.text
    assert not is_logged_in(client)


def test_login_form_requires_both_fields(client):
    response = client.post("/masuk", data={"email": "ani@example.id", "password": ""})
    assert response.status_code == 422
    assert 'id="password-error"' in response.text and "Tulis kata sandi Anda." in response.text
    assert 'value="ani@example.id"' in response.text


@pytest.mark.parametrize("target", [
    "//evil.example", "https://evil.example", "https://evil.example/permohonan-saya",
    "/\\evil.example", "javascript:alert(1)", "evil.example",
])
def test_login_refuses_to_redirect_off_site(client, make_user, target):
    make_user()
    in_form = client.post("/masuk", data={"email": "warga@example.id", "password": PASSWORD, "next": target})
    assert in_form.headers["Location"] == "/permohonan-saya"
    client.post("/keluar")
    in_query = client.post("/masuk", query_string={"next": target},
                           data={"email": "warga@example.id", "password": PASSWORD})
    assert in_query.headers["Location"] == "/permohonan-saya"


def test_login_follows_a_local_next(client, make_user):
    make_user()
    bounced = client.get("/permohonan-saya")
    login_url = bounced.headers["Location"]
    page = client.get(login_url)
    assert 'name="next" value="/permohonan-saya"' in page.text
    response = client.post("/masuk", data={"email": "warga@example.id", "password": PASSWORD,
                                           "next": "/permohonan/baru?x=1"})
    assert response.status_code == 303 and response.headers["Location"] == "/permohonan/baru?x=1"


def test_login_starts_a_fresh_session_keeping_guest_grants(client, make_user):
    make_user()
    with client.session_transaction() as session:
        session["granted_requests"] = [41, 42]
        session["staged_uploads"] = ["abc"]
        session["planted"] = "by someone else"
    assert client.post("/masuk", data={"email": "warga@example.id", "password": PASSWORD}).status_code == 303
    with client.session_transaction() as session:
        assert session["granted_requests"] == [41, 42]
        assert session["staged_uploads"] == ["abc"]
        assert "planted" not in session
        assert session["_user_id"]


def test_remember_me_cookie_is_set_and_cleared_on_logout(client, make_user):
    make_user()
    client.post("/masuk", data={"email": "warga@example.id", "password": PASSWORD, "remember": "y"})
    assert client.get_cookie("remember_token") is not None
    client.post("/keluar")
    assert client.get_cookie("remember_token") is None
    assert client.get("/permohonan-saya").status_code == 302


def test_logout_only_by_post_with_csrf(app, client, make_user, login):
    make_user()
    assert login().status_code == 303
    assert client.get("/keluar").status_code == 405

    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/keluar").status_code == 400  # no token: refused, still logged in
    page = client.get("/permohonan-saya")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert client.post("/keluar", data={"csrf_token": token}).status_code == 303
    assert client.get("/permohonan-saya").status_code == 302


def test_login_posts_are_throttled(client, app, make_user, rate_limits, monkeypatch):
    make_user()
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    wrong = {"email": "warga@example.id", "password": "tebak-tebakan-1"}
    assert [client.post("/masuk", data=wrong).status_code for _ in range(3)] == [422, 422, 422]
    blocked = client.post("/masuk", data={"email": "warga@example.id", "password": PASSWORD})
    assert blocked.status_code == 429 and "Terlalu banyak percobaan" in blocked.text
    assert client.get("/masuk").status_code == 200  # only POSTs count


# --- registration -------------------------------------------------------------------------

def test_duplicate_registration_reveals_nothing_and_tells_the_owner(client, mailbox, make_user):
    make_user(email="warga@example.id")
    fresh = client.post("/daftar", data=register_form(email="baru@example.id"))
    taken = client.post("/daftar", data=register_form(email=" Warga@Example.id", name="Penyusup"))
    assert (taken.status_code, taken.headers["Location"]) == (fresh.status_code, fresh.headers["Location"])
    page = client.get(taken.headers["Location"])
    assert page.status_code == 200 and "warga@example.id" in page.text

    assert db.session.scalar(select(func.count()).select_from(User)) == 2
    owner = user_named("warga@example.id")
    assert owner.name == "Siti Warga" and owner.check_password(PASSWORD)

    warning = only_message_to(mailbox, "warga@example.id", count=2)
    assert "mencoba mendaftar" in body_of(warning)
    reset_path = link_path(warning, "/lupa-sandi/")
    assert client.get(reset_path).status_code == 200  # the owner can set a password from it
    assert "registration_attempt_existing" in [e.kind for e in events_for("user", owner.id)]


@pytest.mark.parametrize("overrides, field, message", [
    ({"name": ""}, "name", "Tulis nama lengkap Anda."),
    ({"email": "ani-at-example"}, "email", "Alamat e-mail tidak valid"),
    ({"phone": "telepon saya"}, "phone", "Nomor telepon hanya berisi angka"),
    ({"password": "abc12", "password_confirm": "abc12"}, "password", "paling sedikit 10 karakter"),
    ({"email": "panjang@example.id", "password": "Panjang@Example.id",
      "password_confirm": "Panjang@Example.id"}, "password", "tidak boleh sama dengan alamat e-mail"),
    ({"password_confirm": "kalimat lain sekali"}, "password_confirm", "Kedua kata sandi tidak sama"),
    ({"privacy": None}, "privacy", "Centang persetujuan pernyataan privasi"),
])
def test_register_bad_input_is_explained_next_to_the_field(client, mailbox, overrides, field, message):
    data = register_form(**overrides)
    response = client.post("/daftar", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert message in response.text
    assert 'class="error-summary"' in response.text and f'href="#{field}"' in response.text
    for kept in ("name", "email", "phone"):
        if data.get(kept):
            assert f'value="{data[kept]}"' in response.text
    assert data["password"] not in response.text
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    send_outbox()
    assert mailbox.messages == []


def test_privacy_statement_is_shown_on_the_register_page(client):
    page = client.get("/daftar")
    assert "Pernyataan privasi" in page.text and 'name="privacy"' in page.text


# --- forgotten password -------------------------------------------------------------------

def test_reset_password_journey_and_single_use_link(client, mailbox, make_user):
    user = make_user()
    response = client.post("/lupa-sandi", data={"email": " WARGA@example.id "})
    assert response.status_code == 303 and response.headers["Location"] == "/lupa-sandi/terkirim"
    assert "Jika ada akun dengan alamat warga@example.id" in client.get("/lupa-sandi/terkirim").text

    path = link_path(only_message_to(mailbox, "warga@example.id"), "/lupa-sandi/")
    form = client.get(path)
    assert form.status_code == 200 and "warga@example.id" in form.text

    done = client.post(path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == "/masuk"
    assert "Kata sandi Anda sudah diganti" in client.get("/masuk").text
    assert not is_logged_in(client)  # asked to log in, not logged in

    assert client.post("/masuk", data={"email": "warga@example.id", "password": PASSWORD}).status_code == 422
    assert client.post("/masuk", data={"email": "warga@example.id", "password": NEW_PASSWORD}).status_code == 303
    client.post("/keluar")

    again = client.get(path)
    assert again.status_code == 400 and "tidak berlaku" in again.text
    assert 'href="/lupa-sandi"' in again.text
    replay = client.post(path, data={"password": "percobaan-kedua-99", "password_confirm": "percobaan-kedua-99"})
    assert replay.status_code == 400
    assert user_named("warga@example.id").check_password(NEW_PASSWORD)

    send_outbox()
    notice = mailbox.wait_for(2)[-1]
    assert notice["To"] == "warga@example.id" and "sudah diganti" in notice["Subject"]
    kinds = [e.kind for e in events_for("user", user.id)]
    assert kinds[:2] == ["password_reset_requested", "password_reset"]


def test_reset_also_verifies_the_email(client, mailbox, make_user):
    make_user(verified=False)
    client.post("/lupa-sandi", data={"email": "warga@example.id"})
    path = link_path(only_message_to(mailbox, "warga@example.id"), "/lupa-sandi/")
    client.post(path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert user_named("warga@example.id").email_verified_at is not None
    assert client.post("/masuk", data={"email": "warga@example.id", "password": NEW_PASSWORD}).status_code == 303


def test_forgot_password_gives_the_same_answer_for_unknown_addresses(client, mailbox, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    for email in ("tidak-ada@example.id", "warga@example.id"):
        response = client.post("/lupa-sandi", data={"email": email})
        assert response.status_code == 303 and response.headers["Location"] == "/lupa-sandi/terkirim"
    send_outbox()
    assert mailbox.messages == []  # nothing was queued for either


def test_forgot_password_bad_input(client):
    response = client.post("/lupa-sandi", data={"email": "bukan e-mail"})
    assert response.status_code == 422
    assert 'id="email-error"' in response.text and 'value="bukan e-mail"' in response.text


def test_resend_bad_input(client):
    response = client.post("/daftar/kirim-ulang", data={"email": ""})
    assert response.status_code == 422
    assert 'id="email-error"' in response.text and "Tulis alamat e-mail akun Anda." in response.text


@pytest.mark.parametrize("password, confirm, field, message", [
    ("pendek", "pendek", "password", "paling sedikit 10 karakter"),
    ("warga@example.id", "warga@example.id", "password", "tidak boleh sama dengan alamat e-mail"),
    (NEW_PASSWORD, "lain-lagi-sekali", "password_confirm", "Kedua kata sandi tidak sama"),
])
def test_reset_bad_input(client, mailbox, make_user, password, confirm, field, message):
    make_user()
    client.post("/lupa-sandi", data={"email": "warga@example.id"})
    path = link_path(only_message_to(mailbox, "warga@example.id"), "/lupa-sandi/")
    response = client.post(path, data={"password": password, "password_confirm": confirm})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.text
    assert 'value="warga@example.id"' in response.text  # only the hidden username
    assert f'value="{password}"' not in response.text.replace('value="warga@example.id"', "", 1)
    assert user_named("warga@example.id").check_password(PASSWORD)
    assert client.get(path).status_code == 200  # a refused try does not use the link up


# --- broken links -------------------------------------------------------------------------

def test_tampered_links_show_a_friendly_page(client, mailbox, make_user):
    make_user(verified=False)
    client.post("/lupa-sandi", data={"email": "warga@example.id"})
    path = link_path(only_message_to(mailbox, "warga@example.id"), "/lupa-sandi/")
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    for url in (tampered, "/lupa-sandi/bukan-token", "/daftar/verifikasi/bukan-token"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "Tautan ini tidak berlaku" in response.text
    assert client.post(tampered, data={"password": NEW_PASSWORD,
                                       "password_confirm": NEW_PASSWORD}).status_code == 400
    assert 'href="/daftar/kirim-ulang"' in client.get("/daftar/verifikasi/x").text


def test_expired_reset_link(app, client, mailbox, make_user):
    make_user()
    client.post("/lupa-sandi", data={"email": "warga@example.id"})
    path = link_path(only_message_to(mailbox, "warga@example.id"), "/lupa-sandi/")
    app.config["RESET_TOKEN_MAX_AGE"] = -1  # every link is now older than allowed
    try:
        response = client.get(path)
    finally:
        app.config["RESET_TOKEN_MAX_AGE"] = 2 * 3600
    assert response.status_code == 400 and "sudah kedaluwarsa" in response.text
    assert 'href="/lupa-sandi"' in response.text


def test_expired_verification_link(app, client, mailbox, monkeypatch):
    """A link minted four days ago (the default validity is three days) no longer verifies."""
    days_ago = int(time.time()) - 4 * 86400
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: days_ago)
        client.post("/daftar", data=register_form())
    path = link_path(only_message_to(mailbox, "ani@example.id"), "/daftar/verifikasi/")
    response = client.get(path)
    assert response.status_code == 400 and "sudah kedaluwarsa" in response.text
    assert user_named("ani@example.id").email_verified_at is None


def test_a_verification_token_is_not_a_reset_token(client, mailbox):
    client.post("/daftar", data=register_form())
    path = link_path(only_message_to(mailbox, "ani@example.id"), "/daftar/verifikasi/")
    token = path.rsplit("/", 1)[1]
    assert client.get(f"/lupa-sandi/{token}").status_code == 400


# --- every page, full and partial ---------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/masuk", "/daftar", "/daftar/terkirim", "/daftar/kirim-ulang", "/lupa-sandi", "/lupa-sandi/terkirim",
])
@pytest.mark.parametrize("htmx", [False, True])
def test_pages_answer_with_and_without_htmx(client, path, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    assert "HX-Request" in response.headers.get("Vary", "")
    if path in ("/masuk", "/daftar", "/daftar/kirim-ulang", "/lupa-sandi"):
        assert ("<html" in response.text) is not htmx
        assert "<form" in response.text


@pytest.mark.parametrize("htmx", [False, True])
def test_reset_page_with_and_without_htmx(client, mailbox, make_user, htmx):
    make_user()
    client.post("/lupa-sandi", data={"email": "warga@example.id"})
    path = link_path(only_message_to(mailbox, "warga@example.id"), "/lupa-sandi/")
    response = client.get(path, headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 200
    assert ("<html" in response.text) is not htmx and 'autocomplete="new-password"' in response.text


def test_login_page_links_to_register_and_forgot_password(client):
    page = client.get("/masuk").text
    assert 'href="/daftar"' in page and 'href="/lupa-sandi"' in page
    assert 'name="email"' in page and 'autocomplete="current-password"' in page


def test_a_racing_duplicate_sign_up_gets_the_same_answer(client, mailbox, make_user, monkeypatch):
    """Two sign-ups for one address at once (a double submit): the loser hits the unique index
    at flush; it must still get the ordinary answer, and the owner the ordinary warning."""
    from ppid_desk.accounts import services

    make_user()
    real_lookup = services.user_by_email
    misses = iter([None])  # the first look-up runs before the other sign-up committed
    monkeypatch.setattr(services, "user_by_email", lambda email: next(misses, real_lookup(email)))
    response = client.post("/daftar", data=register_form(email="warga@example.id"))
    assert response.status_code == 303 and response.headers["Location"] == "/daftar/terkirim"
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert "mencoba mendaftar" in body_of(only_message_to(mailbox, "warga@example.id"))


def test_login_page_sends_a_logged_in_user_on(client, make_user, login):
    make_user()
    login()
    response = client.get("/masuk")
    assert response.status_code == 302 and response.headers["Location"] == "/permohonan-saya"


def test_a_password_change_ends_other_sessions(app, make_user):
    from ppid_desk.accounts.models import User

    make_user(email="sesi@example.id")
    other_device = app.test_client()
    other_device.post("/masuk", data={"email": "sesi@example.id", "password": "rahasia-panjang-1"})
    assert other_device.get("/permohonan-saya").status_code == 200
    user = db.session.scalar(select(User).where(User.email == "sesi@example.id"))
    user.set_password("kata-sandi-baru-2")
    db.session.commit()
    assert other_device.get("/permohonan-saya").status_code == 302
