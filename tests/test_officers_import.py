"""CSV import of officers (item 7): all or nothing, every bad row reported with its line and
reason, re-importing the same file changes nothing, and the last administrator stays."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from ppid_desk.accounts.models import User
from ppid_desk.audit.models import Event
from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.web.spreadsheets import Sheet, csv_bytes, xlsx_bytes
from tests.helpers import accept, fresh_user, invitation_paths, user_events

HEADER = ("email", "name", "roles", "unit_code")


@pytest.fixture
def admin(officer_client):
    return officer_client("admin", name="Hendra Admin")


@pytest.fixture
def units(make_unit):
    utama = make_unit("UTAMA", "PPID Utama", kind="utama")
    disdik = make_unit("DISDIK", "Dinas Pendidikan")
    return {"UTAMA": utama, "DISDIK": disdik}


def upload(client, content: bytes, name: str = "petugas.csv"):
    return client.post("/meja/pengguna/impor", data={"berkas": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def csv_file(*rows, header=HEADER) -> bytes:
    return csv_bytes([header, *rows])


def counts() -> dict[str, int]:
    db.session.expire_all()
    return {"users": db.session.scalar(select(func.count(User.id))),
            "events": db.session.scalar(select(func.count(Event.id))),
            "outbox": db.session.scalar(select(func.count(OutboxMessage.id)))}


GOOD = (
    ("agus@pemda.example.id", "Agus Setiawan", "petugas", "UTAMA"),
    ("Yusuf@Pemda.Example.ID", "Yusuf Hidayat", "pembantu", "disdik"),
    ("dewi@pemda.example.id", "Dewi Lestari", "ppid_utama; Administrator", ""),
)


def test_import_invites_new_officers_and_reimport_changes_nothing(app, admin, units):
    response = upload(admin, csv_file(*GOOD))
    assert response.status_code == 303 and response.headers["Location"] == "/meja/pengguna"
    assert "3 petugas diundang, 0 diubah, 0 tidak berubah" in admin.get("/meja/pengguna").text
    yusuf = fresh_user("yusuf@pemda.example.id")
    assert yusuf.roles == {"pembantu"} and yusuf.unit_id == units["DISDIK"].id and yusuf.email_verified_at is None
    dewi = fresh_user("dewi@pemda.example.id")
    assert dewi.roles == {"ppid_utama", "admin"} and dewi.unit_id is None
    assert user_events(dewi.id, "officer_invited")[0].actor_label == "Hendra Admin"
    [path] = invitation_paths("yusuf@pemda.example.id")
    assert accept(app.test_client(), path).status_code == 303

    before = counts()
    again = upload(admin, csv_file(*GOOD))
    assert again.status_code == 303
    assert "Tidak ada yang berubah: semua 3 baris" in admin.get("/meja/pengguna").text
    assert counts() == before  # no user, no event, no e-mail
    # spelled differently, the same data is still the same
    variant = csv_file(("AGUS@pemda.example.id", "  Agus \t Setiawan ", "Petugas layanan informasi", "utama"))
    assert upload(admin, variant).status_code == 303
    assert counts() == before


def test_import_updates_known_officers_with_before_and_after(admin, units, officer_client):
    officer = officer_client("petugas", name="Agus")
    response = upload(admin, csv_file((officer.user_email, "Agus Setiawan", "petugas;atasan", "UTAMA")))
    assert response.status_code == 303
    agus = fresh_user(officer.user_email)
    assert agus.name == "Agus Setiawan" and agus.roles == {"petugas", "atasan"} and agus.unit_id == units["UTAMA"].id
    [changed] = user_events(agus.id, "officer_changed")
    assert changed.data["before"]["roles"] == ["petugas"] and changed.data["after"]["roles"] == ["petugas", "atasan"]
    assert changed.data["before"]["unit"] is None and changed.data["after"]["unit"] == "UTAMA"
    assert invitation_paths(officer.user_email) == []  # a known officer is not invited again


@pytest.mark.parametrize(("row", "column", "message"), [
    (("bukan-email", "Ani", "petugas", ""), "email", "Alamat e-mail tidak valid"),
    (("", "Ani", "petugas", ""), "email", "Tulis alamat e-mail petugas."),
    (("ani@pemda.example.id", "", "petugas", ""), "name", "Tulis nama petugas."),
    (("ani@pemda.example.id", "A" * 201, "petugas", ""), "name", "Nama paling banyak 200 karakter."),
    (("ani@pemda.example.id", "Ani", "raja", ""), "roles", "Peran tidak dikenal: raja."),
    (("ani@pemda.example.id", "Ani", "pemohon", ""), "roles", "Peran tidak dikenal: pemohon."),
    (("ani@pemda.example.id", "Ani", "", ""), "roles", "Pilih paling sedikit satu peran."),
    (("ani@pemda.example.id", "Ani", "petugas", "XYZ"), "unit_code", "Kode unit XYZ tidak dikenal."),
    (("ani@pemda.example.id", "Ani", "pembantu", ""), "unit_code", "PPID Pembantu harus ditempatkan di sebuah unit."),
    (("warga@example.id", "Ani", "petugas", ""), "email", "E-mail ini dipakai akun pemohon."),
])
def test_each_kind_of_bad_row_is_reported_and_nothing_is_written(admin, units, make_user, row, column, message):
    make_user(email="warga@example.id")
    before = counts()
    response = upload(admin, csv_file(GOOD[0], row))
    assert response.status_code == 422
    assert "1 masalah ditemukan; tidak ada yang diimpor" in response.text
    report = response.text[response.text.index('id="laporan-impor"'):]
    assert '<th scope="row">3</th>' in report and f"<code>{column}</code>" in report and message in report
    assert counts() == before  # not even the good first row
    assert fresh_user("agus@pemda.example.id") is None


def test_every_bad_row_is_reported_with_its_line(admin, units):
    response = upload(admin, csv_file(
        GOOD[0],
        ("AGUS@pemda.example.id", "Agus Lagi", "petugas", ""),  # the same address as line 2
        ("ani@pemda.example.id", "Ani", "raja;petugas", "XYZ"),
        ("", "", "", ""),  # an empty row is skipped, not counted
        ("budi@", "Budi", "pembantu", ""),
    ))
    assert response.status_code == 422
    report = response.text[response.text.index('id="laporan-impor"'):]
    assert "5 masalah ditemukan" in report
    assert "E-mail agus@pemda.example.id sudah ada di baris 2." in report
    lines = [int(number) for number in re.findall(r'<th scope="row">(\d+)</th>', report)]
    assert lines == [3, 4, 4, 6, 6]


def test_an_inactive_unit_is_refused(admin, units):
    units["DISDIK"].active = False
    db.session.commit()
    response = upload(admin, csv_file(GOOD[1]))
    assert response.status_code == 422 and "Unit DISDIK sudah nonaktif" in response.text


def test_the_file_cannot_remove_the_last_administrator(admin, units, officer_client):
    me = fresh_user(admin.user_email)
    before = counts()
    response = upload(admin, csv_file((me.email, me.name, "ppid_utama", "")))
    assert response.status_code == 422 and "administrator aktif terakhir" in response.text
    assert counts() == before and fresh_user(me.email).roles == {"admin"}
    # … moving the role to another active officer in the same file is fine
    other = officer_client("petugas", name="Petugas Lain")
    moved = upload(admin, csv_file((me.email, me.name, "ppid_utama", ""), (other.user_email, "Petugas Lain", "admin", "")))
    assert moved.status_code == 303
    assert fresh_user(me.email).roles == {"ppid_utama"} and fresh_user(other.user_email).roles == {"admin"}


def test_an_invited_administrator_does_not_replace_the_last_one(admin):
    me = fresh_user(admin.user_email)
    response = upload(admin, csv_file((me.email, me.name, "ppid_utama", ""), ("baru@pemda.example.id", "Baru", "admin", "")))
    assert response.status_code == 422 and "administrator aktif terakhir" in response.text
    assert fresh_user("baru@pemda.example.id") is None


@pytest.mark.parametrize(("content", "message"), [
    (b"", "Berkas kosong."),
    (csv_bytes([("email", "nama")]), "Kolom wajib tidak ditemukan di baris judul: roles, unit_code."),
    (csv_bytes([HEADER]), "Berkas tidak memuat satu baris data pun."),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "Jenis berkas tidak didukung."),
    ("email,name\n".encode("utf-16"), "UTF-8"),
])
def test_a_file_that_cannot_be_used_is_refused_at_the_field(admin, content, message):
    response = upload(admin, content)
    assert response.status_code == 422
    assert 'id="berkas-error"' in response.text and message in response.text


def test_no_file_is_refused_at_the_field(admin):
    response = admin.post("/meja/pengguna/impor", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Pilih berkas CSV atau XLSX yang akan diimpor." in response.text


def test_the_template_downloads_and_imports(admin, units):
    template = admin.get("/meja/pengguna/impor/templat.csv")
    assert template.status_code == 200
    assert template.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert template.data.decode("utf-8-sig").splitlines()[0] == "email,name,roles,unit_code"
    assert upload(admin, template.data).status_code == 303
    assert fresh_user("sekretariat.disdik@pemda.example.id").roles == {"pembantu"}


def test_semicolon_csv_labels_and_xlsx_are_read(admin, units):
    semicolon = b"email;name;roles;unit_code\nani@pemda.example.id;Ani;PPID Pembantu;DISDIK\n"
    assert upload(admin, semicolon).status_code == 303
    assert fresh_user("ani@pemda.example.id").roles == {"pembantu"}
    workbook = xlsx_bytes([Sheet("Petugas", ["E-mail", "Nama", "Peran", "Kode unit"],
                                 [["budi@pemda.example.id", "Budi", "atasan", None]])])
    assert upload(admin, workbook, "petugas.xlsx").status_code == 303
    assert fresh_user("budi@pemda.example.id").roles == {"atasan"}


def test_the_users_list_csv_imports_as_is(admin, units, runner):
    assert upload(admin, csv_file(*GOOD)).status_code == 303
    listed = runner.invoke(args=["ppid", "users", "list", "--csv"])
    before = counts()
    assert upload(admin, listed.output.encode()).status_code == 303  # the `active` column is ignored
    assert counts() == before


def test_a_file_of_more_than_a_thousand_officers_is_refused(admin, units):
    rows = [(f"p{number}@pemda.example.id", f"Petugas {number}", "petugas", "") for number in range(1001)]
    response = upload(admin, csv_file(*rows))
    assert response.status_code == 422 and "lebih dari 1000 baris" in response.text
    assert fresh_user("p0@pemda.example.id") is None
