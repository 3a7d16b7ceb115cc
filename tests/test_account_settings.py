"""Account settings at /akun: profile, password (other sessions end), e-mail (re-verified from the
new address), deletion (the requests stay, as a guest's) and claiming guest requests filed with the
account's verified address. E-mails travel through the real outbox to the test SMTP server; every
effect is read back in a fresh session or through another browser.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from ppid_desk.accounts.models import User
from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.requests.models import Applicant, InformationRequest

PASSWORD = "rahasia-panjang-1"
NEW_PASSWORD = "kalimat sandi yang baru"
PAGES = ("/akun", "/akun/kata-sandi", "/akun/email", "/akun/permohonan-tamu", "/akun/hapus")
CITIZEN_ONLY = ("/akun/email", "/akun/permohonan-tamu", "/akun/hapus")


def user_by(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def fresh_user(user_id: int) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def fresh_request(request_id: int) -> InformationRequest:
    db.session.expire_all()
    return db.session.get(InformationRequest, request_id)


def logged_in(app, email="warga@example.id", password=PASSWORD, **extra):
    browser = app.test_client()
    response = browser.post("/masuk", data={"email": email, "password": password, **extra})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return browser


def link_in(message, prefix: str) -> str:
    for url in re.findall(r"https?://\S+", message.get_content()):
        path = urlsplit(url).path
        if path.startswith(prefix):
            return path
    raise AssertionError(f"no {prefix} link in:\n{message.get_content()}")


def kinds(user_id: int) -> list[str]:
    db.session.expire_all()
    return [event.kind for event in events_for("user", user_id)]


@pytest.fixture
def citizen(app, make_user):
    return make_user(email="warga@example.id", name="Siti Warga")


# --- who may use which page ------------------------------------------------------------------------

def test_pages_by_role(app, citizen, officer_client, file_request):
    anonymous = app.test_client()
    for path in PAGES:
        for headers in ({}, {"HX-Request": "true"}):
            response = anonymous.get(path, headers=headers)
            assert response.status_code in (302, 401) and "/masuk" in (
                response.headers.get("Location", "") + response.headers.get("HX-Redirect", "")), path
    guest = app.test_client()  # a tracking grant is not an account
    item = file_request(email="warga@example.id")
    assert guest.get(f"/lacak/{item.tracking_token}").status_code == 303
    assert guest.get("/akun").status_code == 302
    owner = logged_in(app)
    for path in PAGES:
        assert owner.get(path).status_code == 200, path
    assert 'href="/akun"' in owner.get("/").get_data(as_text=True)  # in the header
    for role in ("petugas", "ppid_utama", "pembantu", "atasan", "pengawas", "admin"):
        staff = officer_client(role)
        assert staff.get("/akun").status_code == 200 and staff.get("/akun/kata-sandi").status_code == 200, role
        for path in CITIZEN_ONLY:
            assert staff.get(path).status_code == 403, (role, path)
            assert staff.post(path, data={"password": PASSWORD, "email": "baru@example.id",
                                          "understood": "y"}).status_code == 403, (role, path)
        page = staff.get("/akun").get_data(as_text=True)
        assert "/akun/hapus" not in page and "diubah oleh administrator" in page
    assert user_by("warga@example.id").active


# --- profile ----------------------------------------------------------------------------------------

def test_profile_is_saved_and_fills_the_next_request_form(app, citizen):
    browser = logged_in(app)
    form = browser.get("/akun").get_data(as_text=True)
    assert 'value="Siti Warga"' in form
    response = browser.post("/akun", data={"name": "Siti Aminah", "phone": "0812 5555 6666",
                                           "address": "Jl. Kenanga 9, Kelurahan Sukamaju"})
    assert response.status_code == 303 and response.headers["Location"] == "/akun"
    user = fresh_user(citizen.id)
    assert (user.name, user.phone, user.address) == ("Siti Aminah", "0812 5555 6666", "Jl. Kenanga 9, Kelurahan Sukamaju")
    event = events_for("user", citizen.id)[-1]
    assert event.kind == "profile_updated" and event.data == {"fields": ["name", "phone", "address"]}
    request_form = browser.get("/permohonan/baru").get_data(as_text=True)
    assert 'value="Siti Aminah"' in request_form and "Jl. Kenanga 9, Kelurahan Sukamaju" in request_form
    assert 'value="0812 5555 6666"' in request_form
    # the same values again change nothing and log nothing
    assert browser.post("/akun", data={"name": "Siti Aminah", "phone": "0812 5555 6666",
                                       "address": "Jl. Kenanga 9, Kelurahan Sukamaju"}).status_code == 303
    assert kinds(citizen.id).count("profile_updated") == 1


@pytest.mark.parametrize("overrides, field, message", [
    ({"name": ""}, "name", "Tulis nama lengkap Anda."),
    ({"name": "n" * 201}, "name", "Nama paling banyak 200 karakter."),
    ({"phone": "telepon saya"}, "phone", "Nomor telepon hanya berisi angka"),
    ({"phone": "0" * 33}, "phone", "Nomor telepon paling banyak 32 karakter."),
    ({"address": "a" * 501}, "address", "Paling banyak 500 karakter."),
])
def test_profile_bad_input(app, citizen, overrides, field, message):
    browser = logged_in(app)
    data = {"name": "Siti Aminah", "phone": "0812 5555 6666", "address": "Jl. Kenanga 9"}
    data.update(overrides)
    response = browser.post("/akun", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html[html.index(f'id="{field}-error"'):][:300]
    assert f'value="{data["name"]}"' in html and f">{data['address']}</textarea>" in html
    user = fresh_user(citizen.id)
    assert (user.name, user.phone, user.address) == ("Siti Warga", None, None)


# --- password ---------------------------------------------------------------------------------------

def test_a_password_change_ends_every_other_session(app, citizen, mailbox):
    laptop = logged_in(app, remember="y")
    old_cookie = laptop.get_cookie("session").value
    old_remember = laptop.get_cookie("remember_token").value
    phone = logged_in(app)
    assert phone.get("/permohonan-saya").status_code == 200
    mailbox.clear()

    response = laptop.post("/akun/kata-sandi", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                     "password_confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert laptop.get("/permohonan-saya").status_code == 200  # this browser carries on
    assert phone.get("/permohonan-saya").status_code == 302  # every other session has ended
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)  # the laptop's cookie of before the change, replayed
    assert replay.get("/permohonan-saya").status_code == 302
    thief = app.test_client()
    thief.set_cookie("remember_token", old_remember)
    assert thief.get("/permohonan-saya").status_code == 302

    assert fresh_user(citizen.id).check_password(NEW_PASSWORD)
    assert "password_changed" in kinds(citizen.id)
    [told] = [m for m in mailbox.wait_for(1) if m["To"] == "warga@example.id"]
    assert "diganti" in told["Subject"]
    assert app.test_client().post("/masuk", data={"email": "warga@example.id",
                                                  "password": PASSWORD}).status_code == 422
    logged_in(app, password=NEW_PASSWORD)


@pytest.mark.parametrize("current, new, confirm, field, message", [
    ("salah-sandi-lama", NEW_PASSWORD, NEW_PASSWORD, "current_password", "Kata sandi salah."),
    ("", NEW_PASSWORD, NEW_PASSWORD, "current_password", "Tulis kata sandi akun Anda yang sekarang."),
    (PASSWORD, "pendek", "pendek", "password", "Kata sandi paling sedikit 10 karakter."),
    (PASSWORD, NEW_PASSWORD, "lain sekali", "password_confirm", "Kedua kata sandi tidak sama."),
    (PASSWORD, "warga@example.id", "warga@example.id", "password", "tidak boleh sama dengan alamat e-mail"),
    (PASSWORD, PASSWORD, PASSWORD, "password", "harus berbeda dari kata sandi yang sekarang"),
])
def test_password_bad_input(app, citizen, current, new, confirm, field, message):
    browser = logged_in(app)
    response = browser.post("/akun/kata-sandi", data={"current_password": current, "password": new,
                                                      "password_confirm": confirm})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html[html.index(f'id="{field}-error"'):][:300]
    assert set(re.findall(r'type="password" value="([^"]*)"', html)) == {""}  # passwords are never echoed
    assert fresh_user(citizen.id).check_password(PASSWORD)
    assert browser.get("/permohonan-saya").status_code == 200


# --- e-mail ---------------------------------------------------------------------------------------

def test_the_new_address_is_used_only_after_its_link_is_followed(app, citizen, mailbox):
    browser = logged_in(app)
    mailbox.clear()
    response = browser.post("/akun/email", data={"email": " Siti.Baru@Example.ID ", "password": PASSWORD})
    assert response.status_code == 303
    user = fresh_user(citizen.id)
    assert (user.email, user.pending_email) == ("warga@example.id", "siti.baru@example.id")
    mailbox.wait_for(2)
    [to_new] = mailbox.to("siti.baru@example.id")
    [to_old] = mailbox.to("warga@example.id")
    assert "Konfirmasi" in to_new["Subject"] and "siti.baru" not in to_old.get_content()
    path = link_in(to_new, "/akun/email/")
    # nothing changes until the link is followed: the old address still logs in
    logged_in(app, email="warga@example.id")

    elsewhere = app.test_client()  # the mailbox may be read on another device
    followed = elsewhere.get(path)
    assert followed.status_code == 303 and followed.headers["Location"] == "/masuk"
    user = fresh_user(citizen.id)
    assert (user.email, user.pending_email) == ("siti.baru@example.id", None) and user.email_verified_at
    assert [k for k in kinds(citizen.id) if k.startswith("email")] == ["email_change_requested", "email_changed"]
    assert "siti.baru" not in str([e.data for e in events_for("user", citizen.id)])  # no address in the log
    assert elsewhere.post("/masuk", data={"email": "warga@example.id", "password": PASSWORD}).status_code == 422
    logged_in(app, email="siti.baru@example.id")
    assert elsewhere.get(path).status_code == 400  # used up
    assert browser.get("/permohonan-saya").status_code == 200  # the session goes on


def test_a_newer_request_supersedes_the_older_link(app, citizen, mailbox):
    browser = logged_in(app)
    browser.post("/akun/email", data={"email": "satu@example.id", "password": PASSWORD})
    browser.post("/akun/email", data={"email": "dua@example.id", "password": PASSWORD})
    mailbox.wait_for(4)
    first = link_in(mailbox.to("satu@example.id")[0], "/akun/email/")
    assert app.test_client().get(first).status_code == 400
    assert fresh_user(citizen.id).email == "warga@example.id"
    second = link_in(mailbox.to("dua@example.id")[0], "/akun/email/")
    assert browser.get(second).headers["Location"] == "/akun"  # the owner's own browser: back to settings
    assert fresh_user(citizen.id).email == "dua@example.id"


def test_an_address_taken_meanwhile_is_refused_at_the_link(app, citizen, make_user, mailbox):
    browser = logged_in(app)
    browser.post("/akun/email", data={"email": "rebutan@example.id", "password": PASSWORD})
    path = link_in(mailbox.wait_for(2) and mailbox.to("rebutan@example.id")[0], "/akun/email/")
    make_user(email="rebutan@example.id", name="Orang Lain")
    response = app.test_client().get(path)
    assert response.status_code == 409 and "sudah dipakai akun lain" in response.get_data(as_text=True)
    assert fresh_user(citizen.id).email == "warga@example.id"


@pytest.mark.parametrize("email, password, field, message", [
    ("", PASSWORD, "email", "Tulis alamat e-mail baru Anda."),
    ("bukan-alamat", PASSWORD, "email", "Alamat e-mail tidak valid"),
    ("Warga@Example.id", PASSWORD, "email", "Ini sudah alamat e-mail akun Anda."),
    ("dipakai@example.id", PASSWORD, "email", "sudah dipakai akun lain"),
    ("baru@example.id", "salah-sandi", "password", "Kata sandi salah."),
    ("baru@example.id", "", "password", "Tulis kata sandi akun Anda yang sekarang."),
])
def test_email_bad_input(app, citizen, make_user, mailbox, email, password, field, message):
    make_user(email="dipakai@example.id", name="Pemilik Lain")
    browser = logged_in(app)
    mailbox.clear()
    response = browser.post("/akun/email", data={"email": email, "password": password})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html[html.index(f'id="{field}-error"'):][:300]
    if email:
        assert f'value="{email}"' in html
    user = fresh_user(citizen.id)
    assert (user.email, user.pending_email) == ("warga@example.id", None)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0  # nothing queued, nothing sent


def test_tampered_and_expired_links(app, citizen, mailbox, monkeypatch):
    browser = logged_in(app)
    browser.post("/akun/email", data={"email": "baru@example.id", "password": PASSWORD})
    path = link_in(mailbox.wait_for(2) and mailbox.to("baru@example.id")[0], "/akun/email/")
    assert app.test_client().get(path[:-3] + "abc").status_code == 400
    app.config["ACCOUNT_TOKEN_MAX_AGE"] = -1
    try:
        expired = app.test_client().get(path)
    finally:
        app.config["ACCOUNT_TOKEN_MAX_AGE"] = 3 * 24 * 3600
    assert expired.status_code == 400 and "kedaluwarsa" in expired.get_data(as_text=True)
    assert fresh_user(citizen.id).email == "warga@example.id"


# --- claiming requests filed as a guest --------------------------------------------------------------

def test_guest_requests_are_claimed_only_with_the_verified_address(app, citizen, file_request, make_user,
                                                                   mailbox):
    from ppid_desk.accounts.settings_services import claimable_requests

    mine_1 = file_request(email="WARGA@example.id", name="Siti Warga")
    mine_2 = file_request(email="warga@example.id", name="Siti Warga")
    pending_one = file_request(email="kantor@example.id", name="Siti Warga")
    someone_else = file_request(email="orang@example.id", name="Orang Lain")
    owned = file_request(email="warga@example.id", owner=make_user(email="pemilik@example.id"))
    browser = logged_in(app)
    page = browser.get("/akun/permohonan-tamu").get_data(as_text=True)
    assert mine_1.number in page and mine_2.number in page
    for other in (pending_one, someone_else, owned):
        assert other.number not in page
    # an address waiting for its link is not verified: its guest requests stay out
    browser.post("/akun/email", data={"email": "kantor@example.id", "password": PASSWORD})
    assert pending_one.number not in browser.get("/akun/permohonan-tamu").get_data(as_text=True)
    # a request that is not offered cannot be claimed by its id
    for request_id in (pending_one.id, someone_else.id, owned.id, 99999, "x"):
        refused = browser.post("/akun/permohonan-tamu", data={"request_id": request_id})
        assert refused.status_code == 422 and "tidak dapat dimasukkan" in refused.get_data(as_text=True)
    assert fresh_request(someone_else.id).user_id is None and fresh_request(owned.id).user_id != citizen.id

    one = browser.post("/akun/permohonan-tamu", data={"request_id": mine_1.id})
    assert one.status_code == 303 and one.headers["Location"] == "/permohonan-saya"
    assert fresh_request(mine_1.id).user_id == citizen.id and fresh_request(mine_2.id).user_id is None
    assert db.session.get(Applicant, fresh_request(mine_1.id).applicant_id).user_id == citizen.id
    assert browser.post("/akun/permohonan-tamu").status_code == 303  # all that is left
    assert fresh_request(mine_2.id).user_id == citizen.id
    mine = browser.get("/permohonan-saya").get_data(as_text=True)
    assert mine_1.number in mine and mine_2.number in mine
    assert browser.get(f"/permohonan/{mine_2.id}").status_code == 200  # the owner's now, no grant needed
    assert "claimed_by_account" in [e.kind for e in events_for("request", mine_1.id)]
    claims = [e for e in events_for("user", citizen.id) if e.kind == "requests_claimed"]
    assert [c.data["request_ids"] for c in claims] == [[mine_1.id], [mine_2.id]]
    nothing = browser.post("/akun/permohonan-tamu")
    assert nothing.status_code == 422 and "Tidak ada permohonan tanpa akun" in nothing.get_data(as_text=True)
    # an account whose address was never verified sees nothing to claim
    unverified = make_user(email="orang@example.id", verified=False)
    assert claimable_requests(unverified) == []


# --- deleting the account ---------------------------------------------------------------------------

@pytest.mark.parametrize("data, field, message", [
    ({"password": "salah-sandi", "understood": "y"}, "password", "Kata sandi salah."),
    ({"password": "", "understood": "y"}, "password", "Tulis kata sandi akun Anda yang sekarang."),
    ({"password": PASSWORD}, "understood", "Centang pernyataan ini untuk menghapus akun."),
])
def test_delete_needs_the_password_and_the_confirmation(app, citizen, data, field, message):
    browser = logged_in(app)
    response = browser.post("/akun/hapus", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html[html.index(f'id="{field}-error"'):][:300]
    assert set(re.findall(r'type="password" value="([^"]*)"', html)) == {""}
    user = fresh_user(citizen.id)
    assert user.active and user.deleted_at is None and user.email == "warga@example.id"


def test_deleting_the_account_keeps_the_requests_as_a_guests(app, citizen, file_request, mailbox,
                                                             officer_client, make_user):
    item = file_request(owner=citizen, email="warga@example.id", name="Siti Warga")
    other = file_request(owner=citizen, email="warga@example.id", name="Siti Warga")
    browser = logged_in(app)
    assert browser.post(f"/permohonan/{item.id}/cabut", data={"version": str(item.version)}).status_code == 303
    other_device = logged_in(app)
    assert "Permohonan Anda (2)" in browser.get("/akun/hapus").get_data(as_text=True)
    mailbox.clear()

    response = browser.post("/akun/hapus", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert browser.get("/permohonan-saya").status_code == 302  # logged out
    assert other_device.get("/permohonan-saya").status_code == 302  # everywhere
    assert browser.get(f"/permohonan/{other.id}").status_code == 200  # this browser may still follow them

    user = fresh_user(citizen.id)
    assert (user.active, user.name, user.phone, user.address, user.email_verified_at) == (
        False, "[dihapus]", None, None, None)
    assert user.deleted_at is not None and user.email.endswith(".invalid") and "warga" not in user.email
    assert not user.check_password(PASSWORD)
    for request_id in (item.id, other.id):
        kept = fresh_request(request_id)
        assert kept.user_id is None and kept.applicant.user_id is None
        assert (kept.applicant.name, kept.applicant.email) == ("Siti Warga", "warga@example.id")
        assert kept.status in ("withdrawn", "registered")
    assert kinds(citizen.id)[-1] == "account_deleted"
    # the desk still sees who acted: the applicant, now as a guest
    desk_page = officer_client("ppid_utama").get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Siti Warga (pemohon, tanpa akun)" in desk_page and "[dihapus]" not in desk_page
    # the tracking links were e-mailed: the way back to the requests
    [farewell] = [m for m in mailbox.wait_for(1) if m["To"] == "warga@example.id"]
    path = link_in(farewell, f"/lacak/{fresh_request(other.id).tracking_token}")
    stranger = app.test_client()
    assert stranger.get(path).status_code == 303 and stranger.get(f"/permohonan/{other.id}").status_code == 200
    # the old login is gone and the address is free for a new account
    assert stranger.post("/masuk", data={"email": "warga@example.id", "password": PASSWORD}).status_code == 422
    fresh_account = make_user(email="warga@example.id", name="Siti Lagi")
    assert fresh_account.id != citizen.id
    # a new account with the same (verified) address may claim them again
    page = logged_in(app).get("/akun/permohonan-tamu").get_data(as_text=True)
    assert item.number in page and other.number in page
