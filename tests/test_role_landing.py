"""Each role lands on its own work after logging in (item 8); staff pages say who is logged in
with which role, and staff do not get the citizen's links."""

from __future__ import annotations

import pytest

PASSWORD = "rahasia-panjang-1"


def login(app, email: str):
    client = app.test_client()
    response = client.post("/masuk", data={"email": email, "password": PASSWORD})
    assert response.status_code == 303
    return client, response.headers["Location"]


@pytest.mark.parametrize(("roles", "landing"), [
    (("pemohon",), "/permohonan-saya"),
    (("petugas",), "/meja/"),
    (("ppid_utama",), "/meja/"),
    (("pembantu",), "/meja/tugas"),
    (("atasan",), "/meja/keberatan"),
    (("pengawas",), "/meja/monev"),
    (("admin",), "/meja/admin"),
    # several roles: the request work first, then the unit, objections, monev, administration
    (("admin", "ppid_utama"), "/meja/"),
    (("admin", "pembantu"), "/meja/tugas"),
    (("atasan", "pembantu"), "/meja/tugas"),
    (("pengawas", "atasan"), "/meja/keberatan"),
    (("admin", "pengawas"), "/meja/monev"),
])
def test_each_role_lands_on_its_own_work(app, make_user, make_unit, roles, landing):
    unit = make_unit() if "pembantu" in roles else None
    make_user(email="orang@pemda.example.id", roles=roles, unit=unit)
    client, location = login(app, "orang@pemda.example.id")
    assert location == landing
    assert client.get(location).status_code == 200  # the role may open its landing page
    assert client.get("/masuk").headers["Location"] == landing  # an already logged-in visit too


def test_a_next_page_still_wins(app, make_user):
    make_user(email="atasan@pemda.example.id", roles=("atasan",))
    response = app.test_client().post("/masuk?next=/meja/register/permohonan",
                                      data={"email": "atasan@pemda.example.id", "password": PASSWORD})
    assert response.headers["Location"] == "/meja/register/permohonan"


def test_staff_pages_show_who_is_logged_in_with_which_roles(app, make_user, make_unit):
    make_user(email="dewi@pemda.example.id", name="Dewi Lestari", roles=("ppid_utama", "admin"))
    client, _location = login(app, "dewi@pemda.example.id")
    for url in ("/meja/", "/meja/pengguna", "/meja/kalender"):
        page = client.get(url).text
        assert 'id="signed-in"' in page, url
        assert "Masuk sebagai <strong>Dewi Lestari</strong> · PPID Utama, Administrator" in page, url
    # the citizen's links are not offered to staff; the desk is
    header = client.get("/").text.split("</header>")[0]
    assert "Permohonan saya" not in header and "Ajukan permohonan" not in header
    assert '<a href="/meja/">Meja layanan</a>' in header and "Lacak permohonan" in header


def test_a_unit_officer_header_links_to_its_own_work(app, make_user, make_unit):
    make_user(email="yusuf@pemda.example.id", name="Yusuf", roles=("pembantu",), unit=make_unit())
    client, _location = login(app, "yusuf@pemda.example.id")
    page = client.get("/meja/tugas").text
    assert "Masuk sebagai <strong>Yusuf</strong> · PPID Pembantu" in page
    assert '<a href="/meja/tugas">Meja layanan</a>' in page.split("</header>")[0]


def test_citizens_and_visitors_keep_their_links(app, make_user):
    header = app.test_client().get("/").text.split("</header>")[0]
    assert "Ajukan permohonan" in header and "Meja layanan" not in header
    make_user()
    client, _location = login(app, "warga@example.id")
    page = client.get("/permohonan-saya").text
    header = page.split("</header>")[0]
    assert "Ajukan permohonan" in header and "Permohonan saya" in header and "Meja layanan" not in header
    assert 'id="signed-in"' not in page


def test_the_desk_menu_offers_user_administration_to_administrators_only(app, make_user):
    make_user(email="admin@pemda.example.id", roles=("admin",))
    make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    admin, _location = login(app, "admin@pemda.example.id")
    utama, _location = login(app, "utama@pemda.example.id")
    assert 'href="/meja/pengguna"' in admin.get("/meja/").text
    assert 'href="/meja/pengguna"' not in utama.get("/meja/").text
