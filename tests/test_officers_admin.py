"""Officer administration (issue "Ready for a real office", item 7): the list, invitations that
expire and work once, roles and unit, deactivation that ends every session at once, the last
administrator, and the audit record of every change.

Links are read from the queued e-mail (the outbox), as the officer would click them; state is
read back in a fresh session, never from objects the test still holds.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ppid_desk.accounts.models import User
from ppid_desk.audit.services import chain_is_intact
from ppid_desk.extensions import db
from tests.helpers import NEW_PASSWORD, accept, fresh_user, invitation_paths, user_events

PASSWORD = "rahasia-panjang-1"
MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB


def invite_form(**overrides) -> dict:
    data = {"email": "rina@pemda.example.id", "name": "Rina Kartika", "roles": ["petugas"], "unit": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def admin(officer_client):
    """A logged-in administrator (the only one)."""
    return officer_client("admin", name="Hendra Admin")


@pytest.fixture
def admin_user(admin):
    return fresh_user(admin.user_email)


def is_logged_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


# --- who may open the pages -------------------------------------------------------------------

def test_every_page_is_for_administrators_only(app, officer_client, make_unit, admin, admin_user):
    unit = make_unit()
    other = officer_client("pembantu", unit=unit)
    target = fresh_user(other.user_email).id
    pages = ["/meja/pengguna", "/meja/pengguna/undang", f"/meja/pengguna/{target}", "/meja/pengguna/impor",
             "/meja/pengguna/impor/templat.csv"]
    posts = ["/meja/pengguna/undang", f"/meja/pengguna/{target}", f"/meja/pengguna/{target}/nonaktifkan",
             f"/meja/pengguna/{target}/aktifkan", f"/meja/pengguna/{target}/undangan", "/meja/pengguna/impor"]
    anonymous = app.test_client()
    for url in pages:
        response = anonymous.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/masuk"), url
        assert admin.get(url).status_code == 200, url
    for role in ("pemohon", "petugas", "ppid_utama", "pembantu", "atasan", "pengawas"):
        client = officer_client(role, unit=unit if role == "pembantu" else None)
        for url in pages:
            assert client.get(url).status_code == 403, (role, url)
        for url in posts:
            assert client.post(url, data=invite_form(confirm="y")).status_code == 403, (role, url)
    assert fresh_user(other.user_email).active and fresh_user("rina@pemda.example.id") is None


def test_a_citizen_account_is_not_administered_here(admin, make_user):
    citizen = make_user()
    assert admin.get(f"/meja/pengguna/{citizen.id}").status_code == 404
    assert admin.post(f"/meja/pengguna/{citizen.id}/nonaktifkan", data={"confirm": "y"}).status_code == 404
    assert fresh_user("warga@example.id").active
    assert admin.get("/meja/pengguna/999999").status_code == 404


# --- invitations ------------------------------------------------------------------------------

def test_invite_accept_and_land_on_the_officers_work(app, admin, admin_user, make_unit, mailbox):
    unit = make_unit()
    response = admin.post("/meja/pengguna/undang",
                          data=invite_form(email=" Rina@Pemda.Example.ID ", roles=["pembantu"], unit=str(unit.id)))
    assert response.status_code == 303
    rina = fresh_user("rina@pemda.example.id")
    assert response.headers["Location"] == f"/meja/pengguna/{rina.id}"
    assert rina.roles == {"pembantu"} and rina.unit_id == unit.id and rina.active
    assert rina.email_verified_at is None and rina.last_login_at is None
    invited = user_events(rina.id, "officer_invited")
    assert len(invited) == 1 and invited[0].actor_label == "Hendra Admin"
    assert invited[0].data["after"] == {"email": "rina@pemda.example.id", "name": "Rina Kartika",
                                        "roles": ["pembantu"], "unit": "DISDIK", "active": True}
    page = admin.get(f"/meja/pengguna/{rina.id}").text
    assert "Diundang, belum membuat kata sandi" in page and "Kirim ulang undangan" in page

    [path] = invitation_paths("rina@pemda.example.id")
    mail = mailbox.wait_for(1)[-1]
    assert mail["To"] == "rina@pemda.example.id" and "PPID Pembantu" in mail.get_content()
    # an unknown password does not log in before the invitation is accepted
    officer = app.test_client()
    assert officer.post("/masuk", data={"email": "rina@pemda.example.id", "password": PASSWORD}).status_code == 422
    form = officer.get(path)
    assert form.status_code == 200 and "rina@pemda.example.id" in form.text
    done = accept(officer, path)
    assert done.status_code == 303 and done.headers["Location"] == "/meja/tugas"  # PPID Pembantu's work
    assert is_logged_in(officer) and officer.get("/meja/tugas").status_code == 200
    rina = fresh_user("rina@pemda.example.id")
    assert rina.email_verified_at is not None and rina.last_login_at is not None
    assert rina.check_password(NEW_PASSWORD)
    assert [e.kind for e in user_events(rina.id)][-1] == "invitation_accepted"
    # the link works once
    again = app.test_client().get(path)
    assert again.status_code == 400 and "tidak berlaku" in again.text
    assert accept(app.test_client(), path, "lain-lagi-sandinya").status_code == 400
    assert fresh_user("rina@pemda.example.id").check_password(NEW_PASSWORD)
    # the officer now logs in with the password
    other = app.test_client()
    assert other.post("/masuk", data={"email": "rina@pemda.example.id", "password": NEW_PASSWORD}).status_code == 303


def test_the_invitation_expires(app, admin, clock):
    clock.travel_to(MONDAY)
    admin.post("/meja/pengguna/undang", data=invite_form())
    [path] = invitation_paths("rina@pemda.example.id")
    officer = app.test_client()
    clock.travel_to(MONDAY + timedelta(days=7) - timedelta(minutes=1))
    assert officer.get(path).status_code == 200
    clock.travel_to(MONDAY + timedelta(days=7, minutes=1))
    expired = officer.get(path)
    assert expired.status_code == 400 and "sudah kedaluwarsa" in expired.text
    assert accept(officer, path).status_code == 400
    assert fresh_user("rina@pemda.example.id").email_verified_at is None


def test_resend_makes_a_new_link_and_the_old_one_stop(app, admin, clock):
    clock.travel_to(MONDAY)
    admin.post("/meja/pengguna/undang", data=invite_form())
    rina = fresh_user("rina@pemda.example.id")
    clock.travel_to(MONDAY + timedelta(days=6))
    response = admin.post(f"/meja/pengguna/{rina.id}/undangan")
    assert response.status_code == 303
    old, new = invitation_paths("rina@pemda.example.id")
    assert old != new
    assert [e.kind for e in user_events(rina.id)] == ["officer_invited", "invitation_resent"]
    officer = app.test_client()
    assert officer.get(old).status_code == 400
    clock.travel_to(MONDAY + timedelta(days=12))  # the new link counts its 7 days from the resend
    assert accept(officer, new).status_code == 303
    # once accepted, there is nothing to resend
    refused = admin.post(f"/meja/pengguna/{rina.id}/undangan")
    assert refused.status_code == 422 and "sudah menerima undangan" in refused.text
    assert len(invitation_paths("rina@pemda.example.id")) == 2


def test_a_deactivated_officer_cannot_use_the_invitation(app, admin):
    admin.post("/meja/pengguna/undang", data=invite_form())
    rina = fresh_user("rina@pemda.example.id")
    [path] = invitation_paths(rina.email)
    assert admin.post(f"/meja/pengguna/{rina.id}/nonaktifkan", data={"confirm": "y"}).status_code == 303
    assert app.test_client().get(path).status_code == 400
    refused = admin.post(f"/meja/pengguna/{rina.id}/undangan")
    assert refused.status_code == 422 and "nonaktif" in refused.text


def test_a_tampered_or_foreign_token_is_refused(app, admin, make_user):
    from ppid_desk.accounts.tokens import reset_token

    admin.post("/meja/pengguna/undang", data=invite_form())
    [path] = invitation_paths("rina@pemda.example.id")
    rina = fresh_user("rina@pemda.example.id")
    client = app.test_client()
    assert client.get(path[:-2] + ("aa" if not path.endswith("aa") else "bb")).status_code == 400
    reset = reset_token(user_id=rina.id, password_hash=rina.password_hash)  # another purpose's token
    assert client.get(f"/undangan/{reset}").status_code == 400


def test_invitation_password_rules_at_the_field(app, admin):
    admin.post("/meja/pengguna/undang", data=invite_form())
    [path] = invitation_paths("rina@pemda.example.id")
    client = app.test_client()
    short = client.post(path, data={"password": "pendek", "password_confirm": "pendek"})
    assert short.status_code == 422 and "paling sedikit 10 karakter" in short.text
    same = client.post(path, data={"password": "rina@pemda.example.id", "password_confirm": "rina@pemda.example.id"})
    assert same.status_code == 422 and "tidak boleh sama dengan alamat e-mail" in same.text
    differ = client.post(path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD + "x"})
    assert differ.status_code == 422 and "tidak sama" in differ.text
    assert fresh_user("rina@pemda.example.id").email_verified_at is None
    assert accept(client, path).status_code == 303  # still usable after the refusals


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize(("overrides", "message"), [
    ({"email": ""}, "Tulis alamat e-mail petugas."),
    ({"email": "bukan-email"}, "Alamat e-mail tidak valid"),
    ({"email": "a" * 250 + "@x.id"}, "paling banyak 254 karakter"),
    ({"name": ""}, "Tulis nama petugas."),
    ({"name": "N" * 201}, "Nama paling banyak 200 karakter."),
    ({"roles": []}, "Pilih paling sedikit satu peran."),
    ({"roles": ["raja"]}, "Pilih peran dari daftar yang tersedia."),
    ({"roles": ["pemohon"]}, "Pilih peran dari daftar yang tersedia."),
    ({"roles": ["pembantu"]}, "PPID Pembantu harus ditempatkan di sebuah unit."),
    ({"unit": "999999"}, "Pilih unit dari daftar yang tersedia."),
    ({"unit": "x'; DROP TABLE unit; --"}, "Pilih unit dari daftar yang tersedia."),
])
def test_invite_refuses_bad_input_at_the_field(admin, overrides, message):
    form = invite_form(**overrides)
    response = admin.post("/meja/pengguna/undang", data=form)
    assert response.status_code == 422
    assert message in response.text
    assert 'class="error-summary"' in response.text
    if form.get("name") and len(form["name"]) < 50:
        assert f'value="{form["name"]}"' in response.text  # typed values are kept
    assert db.session.scalar(select(User).where(User.email.like("%pemda.example.id"),
                                                User.email != admin.user_email)) is None


def test_invite_keeps_typed_values_and_refuses_taken_addresses(admin, make_user, officer_client, make_unit):
    unit = make_unit()
    make_user(email="warga@example.id")
    taken = officer_client("petugas")
    citizen = admin.post("/meja/pengguna/undang", data=invite_form(email="warga@example.id", roles=["atasan", "pengawas"],
                                                                  unit=str(unit.id)))
    assert citizen.status_code == 422 and "dipakai akun pemohon" in citizen.text
    assert 'value="warga@example.id"' in citizen.text and 'value="Rina Kartika"' in citizen.text
    assert re.search(r'value="atasan" checked', citizen.text) and re.search(r'value="pengawas" checked', citizen.text)
    assert re.search(rf'<option value="{unit.id}" selected>', citizen.text)
    officer = admin.post("/meja/pengguna/undang", data=invite_form(email=taken.user_email.upper()))
    assert officer.status_code == 422 and "Sudah ada petugas dengan e-mail ini" in officer.text
    assert fresh_user("warga@example.id").roles == {"pemohon"}


def test_an_inactive_unit_cannot_be_chosen(admin, make_unit):
    unit = make_unit()
    unit.active = False
    db.session.commit()
    response = admin.post("/meja/pengguna/undang", data=invite_form(roles=["pembantu"], unit=str(unit.id)))
    assert response.status_code == 422 and "Pilih unit dari daftar yang tersedia." in response.text


# --- roles and unit -----------------------------------------------------------------------------

def test_change_roles_and_unit_is_audited_with_before_and_after(admin, officer_client, make_unit):
    unit_a, unit_b = make_unit("DISDIK", "Dinas Pendidikan"), make_unit("DINKES", "Dinas Kesehatan")
    officer = officer_client("pembantu", unit=unit_a, name="Yusuf Hidayat")
    yusuf = fresh_user(officer.user_email)
    page = admin.get(f"/meja/pengguna/{yusuf.id}").text
    assert 'value="pembantu" checked' in page and f'<option value="{unit_a.id}" selected>' in page
    response = admin.post(f"/meja/pengguna/{yusuf.id}", data={"name": "Yusuf Hidayat, S.E.",
                                                              "roles": ["pembantu", "atasan"], "unit": str(unit_b.id)})
    assert response.status_code == 303
    yusuf = fresh_user(officer.user_email)
    assert yusuf.roles == {"pembantu", "atasan"} and yusuf.unit_id == unit_b.id and yusuf.name == "Yusuf Hidayat, S.E."
    [changed] = user_events(yusuf.id, "officer_changed")
    assert changed.actor_label == "Hendra Admin"
    assert changed.data["before"] == {"email": yusuf.email, "name": "Yusuf Hidayat", "roles": ["pembantu"],
                                      "unit": "DISDIK", "active": True}
    assert changed.data["after"] == {"email": yusuf.email, "name": "Yusuf Hidayat, S.E.",
                                     "roles": ["pembantu", "atasan"], "unit": "DINKES", "active": True}
    assert chain_is_intact(user_events(yusuf.id))
    history = admin.get(f"/meja/pengguna/{yusuf.id}").text
    assert "Nama, peran atau unit diubah" in history and "DISDIK → DINKES" in history
    # the new role takes effect on the officer's next request, without logging in again
    assert officer.get("/meja/keberatan").status_code == 200
    # saving the same values again changes and logs nothing
    again = admin.post(f"/meja/pengguna/{yusuf.id}", data={"name": "Yusuf Hidayat, S.E.",
                                                           "roles": ["pembantu", "atasan"], "unit": str(unit_b.id)})
    assert again.status_code == 303 and len(user_events(yusuf.id, "officer_changed")) == 1


def test_removing_a_role_takes_effect_at_once(admin, officer_client):
    officer = officer_client("atasan")
    assert officer.get("/meja/keberatan").status_code == 200
    user = fresh_user(officer.user_email)
    admin.post(f"/meja/pengguna/{user.id}", data={"name": user.name, "roles": ["petugas"], "unit": ""})
    assert officer.get("/meja/keberatan").status_code == 403
    assert officer.get("/meja/permohonan/baru").status_code == 200


def test_a_role_given_elsewhere_is_kept(admin, make_user):
    """An account holding the citizen role besides a staff role (made before this page existed)
    keeps it when an administrator changes the staff roles."""
    both = make_user(email="ganda@pemda.example.id", name="Ganda", roles=("pemohon", "petugas"))
    page = admin.get(f"/meja/pengguna/{both.id}").text
    assert 'value="petugas" checked' in page and 'value="pemohon"' not in page
    assert admin.post(f"/meja/pengguna/{both.id}", data={"name": "Ganda", "roles": ["atasan"]}).status_code == 303
    assert fresh_user("ganda@pemda.example.id").roles == {"pemohon", "atasan"}


def test_edit_refuses_bad_input_at_the_field(admin, officer_client):
    officer = officer_client("petugas", name="Agus")
    user = fresh_user(officer.user_email)
    response = admin.post(f"/meja/pengguna/{user.id}", data={"name": "Agus Baru", "roles": [], "unit": "abc"})
    assert response.status_code == 422
    assert "Pilih paling sedikit satu peran." in response.text and "Pilih unit dari daftar yang tersedia." in response.text
    assert 'value="Agus Baru"' in response.text
    assert fresh_user(officer.user_email).name == "Agus" and not user_events(user.id, "officer_changed")


# --- the last administrator -----------------------------------------------------------------------

def test_the_last_administrator_cannot_be_demoted_or_deactivated(admin, admin_user, officer_client):
    demote = admin.post(f"/meja/pengguna/{admin_user.id}", data={"name": admin_user.name, "roles": ["ppid_utama"]})
    assert demote.status_code == 422 and "administrator aktif terakhir" in demote.text
    assert re.search(r'id="roles-error"[^>]*>.*administrator aktif terakhir', demote.text, re.S)
    assert 'value="ppid_utama" checked' in demote.text  # what was ticked stays ticked
    deactivate = admin.post(f"/meja/pengguna/{admin_user.id}/nonaktifkan", data={"confirm": "y"})
    assert deactivate.status_code == 422 and "administrator aktif terakhir" in deactivate.text
    assert re.search(r'id="confirm-error"[^>]*>.*administrator aktif terakhir', deactivate.text, re.S)
    user = fresh_user(admin.user_email)
    assert user.active and user.roles == {"admin"}
    assert not user_events(user.id, "officer_changed") and not user_events(user.id, "officer_deactivated")

    # an invited administrator who has not set a password does not count …
    admin.post("/meja/pengguna/undang", data=invite_form(roles=["admin"]))
    assert admin.post(f"/meja/pengguna/{admin_user.id}", data={"name": admin_user.name,
                                                               "roles": ["ppid_utama"]}).status_code == 422
    # … a second active administrator does: then the first may step down
    second = officer_client("admin", name="Admin Kedua")
    stepped_down = admin.post(f"/meja/pengguna/{admin_user.id}", data={"name": admin_user.name,
                                                                       "roles": ["ppid_utama"]})
    assert stepped_down.status_code == 303 and stepped_down.headers["Location"] == "/meja/"  # their new work
    assert fresh_user(admin.user_email).roles == {"ppid_utama"}
    assert admin.get("/meja/pengguna").status_code == 403  # no longer an administrator
    second_user = fresh_user(second.user_email)
    refused = second.post(f"/meja/pengguna/{second_user.id}/nonaktifkan", data={"confirm": "y"})
    assert refused.status_code == 422 and fresh_user(second.user_email).active


# --- deactivation ---------------------------------------------------------------------------

def test_deactivation_ends_every_session_and_keeps_the_name(app, admin, officer_client, file_request):
    officer = officer_client("petugas", name="Agus Setiawan")
    remember = app.test_client()
    assert remember.post("/masuk", data={"email": officer.user_email, "password": PASSWORD,
                                         "remember": "y"}).status_code == 303
    session_cookie = officer.get_cookie("session").value
    remember_cookie = remember.get_cookie("remember_token").value
    user = fresh_user(officer.user_email)
    item = file_request()
    assert officer.post(f"/meja/permohonan/{item.id}/catatan", data={"note_body": "Sudah dicek."}).status_code == 303
    assert officer.get("/meja/").status_code == 200

    refused = admin.post(f"/meja/pengguna/{user.id}/nonaktifkan")
    assert refused.status_code == 422 and "Centang pernyataan ini" in refused.text
    assert fresh_user(officer.user_email).active
    response = admin.post(f"/meja/pengguna/{user.id}/nonaktifkan", data={"confirm": "y"})
    assert response.status_code == 303
    assert not fresh_user(officer.user_email).active
    [event] = user_events(user.id, "officer_deactivated")
    assert event.data["before"]["active"] is True and event.data["after"]["active"] is False
    assert event.actor_label == "Hendra Admin"

    # the live session, a replayed session cookie and the "remember me" cookie are all refused
    assert officer.get("/meja/").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", session_cookie)
    assert replay.get("/meja/").headers["Location"].startswith("/masuk")
    thief = app.test_client()
    thief.set_cookie("remember_token", remember_cookie)
    assert thief.get("/meja/").status_code == 302
    login = app.test_client().post("/masuk", data={"email": officer.user_email, "password": PASSWORD})
    assert login.status_code == 422 and "sedang dinonaktifkan" in login.text

    # the history keeps the name
    page = admin.get(f"/meja/permohonan/{item.id}").text
    assert "Agus Setiawan" in page
    listed = admin.get("/meja/pengguna?status=nonaktif").text
    assert "Agus Setiawan" in listed and "Nonaktif" in listed

    # reactivation: the officer logs in again; the old cookies stay dead
    assert admin.post(f"/meja/pengguna/{user.id}/aktifkan").status_code == 303
    assert fresh_user(officer.user_email).active
    assert [e.kind for e in user_events(user.id) if e.kind.startswith("officer_")][-2:] == [
        "officer_deactivated", "officer_reactivated"]
    replay = app.test_client()
    replay.set_cookie("session", session_cookie)
    assert replay.get("/meja/").status_code == 302
    thief = app.test_client()
    thief.set_cookie("remember_token", remember_cookie)
    assert thief.get("/meja/").status_code == 302
    again = app.test_client()
    assert again.post("/masuk", data={"email": officer.user_email, "password": PASSWORD}).status_code == 303
    assert again.get("/meja/").status_code == 200


def test_an_administrator_may_deactivate_themselves_when_another_remains(admin, admin_user, officer_client):
    officer_client("admin", name="Admin Kedua")
    response = admin.post(f"/meja/pengguna/{admin_user.id}/nonaktifkan", data={"confirm": "y"})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert admin.get("/meja/pengguna").status_code == 302  # logged out at once


def test_open_tasks_of_a_unit_without_active_officer_show_as_held_by_a_deactivated_officer(
        app, admin, officer_client, make_unit, file_request):
    from ppid_desk.dbtypes import utcnow
    from ppid_desk.routing.models import RoutingTask

    unit, other_unit = make_unit("DISDIK", "Dinas Pendidikan"), make_unit("DINKES", "Dinas Kesehatan")
    officer = officer_client("pembantu", unit=unit, name="Yusuf Hidayat")
    utama = officer_client("ppid_utama")
    item = file_request()
    tasks = [RoutingTask(request_id=item.id, unit_id=u.id, instruction="Siapkan DPA", internal_due=item.notice_due,
                         routed_at=utcnow(), routed_by_id=fresh_user(utama.user_email).id) for u in (unit, other_unit)]
    db.session.add_all(tasks)
    db.session.commit()
    task_ids = [task.id for task in tasks]
    held = "dipegang petugas nonaktif"
    assert held not in utama.get(f"/meja/permohonan/{item.id}").text

    user = fresh_user(officer.user_email)
    response = admin.post(f"/meja/pengguna/{user.id}/nonaktifkan", data={"confirm": "y"}, follow_redirects=True)
    assert "1 tugas terbuka" in response.text and "Dinas Pendidikan" in response.text
    [event] = user_events(user.id, "officer_deactivated")
    assert event.data["open_unit_tasks_without_officer"] == 1
    page = utama.get(f"/meja/permohonan/{item.id}").text
    assert page.count(held) == 1  # the unit of the deactivated officer only, not the other unit
    assert held in utama.get(f"/meja/tugas/{task_ids[0]}").text
    assert held not in utama.get(f"/meja/tugas/{task_ids[1]}").text
    assert "dipegang petugas nonaktif" in admin.get(f"/meja/pengguna/{user.id}").text

    # another active officer in the unit holds the tasks again
    officer_client("pembantu", unit=unit, name="Pengganti")
    assert held not in utama.get(f"/meja/permohonan/{item.id}").text


# --- the list ----------------------------------------------------------------------------------

def test_the_list_searches_filters_and_pages(app, admin, officer_client, make_user, make_unit, clock):
    unit = make_unit()
    for number in range(30):
        make_user(email=f"petugas{number:02d}@pemda.example.id", name=f"Petugas Nomor {number:02d}",
                  roles=("petugas",))
    make_user(email="yusuf@pemda.example.id", name="Yusuf Hidayat", roles=("pembantu",), unit=unit)
    make_user(email="warga@example.id", name="Warga Biasa")  # a citizen is not listed
    clock.travel_to(MONDAY)
    app.test_client().post("/masuk", data={"email": "yusuf@pemda.example.id", "password": PASSWORD})
    clock.reset()

    first = admin.get("/meja/pengguna")
    assert first.status_code == 200
    assert "32 petugas" in first.text and "halaman 1 dari 2" in first.text
    assert "Warga Biasa" not in first.text
    second = admin.get("/meja/pengguna?halaman=2")
    assert "Yusuf Hidayat" in second.text
    assert "Dinas Pendidikan" in second.text and "2 Maret 2026" in second.text  # unit and last login
    found = admin.get("/meja/pengguna?q=YUSUF")
    assert "1 petugas" in found.text and "yusuf@pemda.example.id" in found.text
    assert "1 petugas" in admin.get("/meja/pengguna?q=pemda.example.id+yusuf").text
    assert "1 petugas" in admin.get("/meja/pengguna?peran=pembantu").text
    assert "1 petugas" in admin.get("/meja/pengguna?peran=admin").text
    assert "0 petugas" in admin.get("/meja/pengguna?q=%25").text  # LIKE wildcards are literal
    assert "0 petugas" in admin.get("/meja/pengguna?status=nonaktif").text
    # unknown filter values are ignored, not a 500
    odd = admin.get("/meja/pengguna?peran=raja&status=x&halaman=abc")
    assert odd.status_code == 200 and "32 petugas" in odd.text
    rows = admin.get("/meja/pengguna?halaman=2", headers={"HX-Request": "true"})
    assert rows.text.lstrip().startswith('<div id="officer-rows">')


def test_the_list_reads_in_a_fixed_number_of_queries(admin, make_user, make_unit, count_queries):
    unit = make_unit()
    for number in range(5):
        make_user(email=f"u{number}@pemda.example.id", name=f"U{number}", roles=("pembantu",), unit=unit)
    admin.get("/meja/pengguna")  # the body profile, read once after a write and then kept by the worker
    with count_queries() as few:
        admin.get("/meja/pengguna")
    for number in range(5, 20):
        make_user(email=f"u{number}@pemda.example.id", name=f"U{number}", roles=("pembantu", "atasan"),
                  unit=make_unit(f"U{number}", f"Unit {number}"))
    admin.get("/meja/pengguna")  # the writes replaced the data version: the profile is read again, once
    with count_queries() as many:
        admin.get("/meja/pengguna")
    assert len(many) == len(few)


def test_every_administrative_event_is_hash_chained(admin, officer_client, make_unit):
    unit = make_unit()
    admin.post("/meja/pengguna/undang", data=invite_form(roles=["pembantu"], unit=str(unit.id)))
    rina = fresh_user("rina@pemda.example.id")
    admin.post(f"/meja/pengguna/{rina.id}/undangan")
    admin.post(f"/meja/pengguna/{rina.id}", data={"name": "Rina K.", "roles": ["petugas"], "unit": ""})
    admin.post(f"/meja/pengguna/{rina.id}/nonaktifkan", data={"confirm": "y"})
    admin.post(f"/meja/pengguna/{rina.id}/aktifkan")
    events = user_events(rina.id)
    assert [e.kind for e in events] == ["officer_invited", "invitation_resent", "officer_changed",
                                        "officer_deactivated", "officer_reactivated"]
    assert all(e.actor_label == "Hendra Admin" for e in events)
    assert chain_is_intact(events)
    events[2].data = {**events[2].data, "after": {**events[2].data["after"], "roles": ["admin"]}}
    assert not chain_is_intact(events)
