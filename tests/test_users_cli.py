"""`flask ppid users create|list|deactivate|reactivate` (item 7): exact output, the invitation link
printed and e-mailed, the same checks as the admin pages, and the last administrator kept."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from ppid_desk.extensions import db
from tests.helpers import accept, fresh_user, invitation_paths, user_events

LINK = re.compile(r"^invitation link \(valid 7 days, works once; also e-mailed\): "
                  r"(http://127\.0\.0\.1:5000/undangan/\S+)$")


@pytest.fixture
def units(make_unit):
    return make_unit("UTAMA", "PPID Utama", kind="utama"), make_unit("DISDIK", "Dinas Pendidikan")


def create(runner, *args):
    return runner.invoke(args=["ppid", "users", "create", *args])


def test_create_prints_the_invitation_and_queues_the_email(app, runner, units, mailbox):
    result = create(runner, "--email", "Admin@Pemda.Example.ID", "--name", "Hendra Gunawan",
                    "--role", "admin", "--role", "ppid_utama", "--unit", "utama")
    assert result.exit_code == 0, result.output
    first, second = result.output.splitlines()
    assert first == "invited admin@pemda.example.id as admin;ppid_utama, unit UTAMA"
    link = LINK.match(second).group(1)
    assert invitation_paths("admin@pemda.example.id") == [urlsplit(link).path]
    assert mailbox.wait_for(1)[-1]["To"] == "admin@pemda.example.id"
    user = fresh_user("admin@pemda.example.id")
    assert user.roles == {"admin", "ppid_utama"} and user.unit.code == "UTAMA" and user.email_verified_at is None
    [event] = user_events(user.id, "officer_invited")
    assert event.actor_label == "Konsol server (flask ppid users)" and event.actor_id is None
    # the printed link sets the password and logs the administrator in, at the queue (PPID Utama first)
    client = app.test_client()
    done = accept(client, urlsplit(link).path)
    assert done.status_code == 303 and done.headers["Location"] == "/meja/"


@pytest.mark.parametrize(("args", "message"), [
    (["--email", "bukan-email", "--name", "X", "--role", "petugas"],
     "Error: --email: Alamat e-mail tidak valid, contoh: nama@contoh.id\n"),
    (["--email", "x@pemda.example.id", "--name", " ", "--role", "petugas"], "Error: --name: Tulis nama petugas.\n"),
    (["--email", "x@pemda.example.id", "--name", "X", "--role", "pembantu"],
     "Error: --unit: PPID Pembantu harus ditempatkan di sebuah unit.\n"),
    (["--email", "x@pemda.example.id", "--name", "X", "--role", "petugas", "--unit", "NOPE"],
     "Error: --unit: unknown unit code 'NOPE'\n"),
])
def test_create_refuses_bad_input(runner, units, args, message):
    result = create(runner, *args)
    assert result.exit_code == 1 and result.output == message
    assert fresh_user("x@pemda.example.id") is None


def test_create_refuses_an_unknown_role_and_a_taken_address(runner, units, make_user):
    unknown = create(runner, "--email", "x@pemda.example.id", "--name", "X", "--role", "raja")
    assert unknown.exit_code == 2 and "Invalid value for '--role'" in unknown.output
    make_user(email="warga@example.id")
    taken = create(runner, "--email", "warga@example.id", "--name", "X", "--role", "petugas")
    assert taken.exit_code == 1
    assert taken.output == "Error: --email: E-mail ini dipakai akun pemohon. Undang petugas dengan alamat e-mail dinas.\n"
    assert fresh_user("warga@example.id").roles == {"pemohon"}


def test_list_csv_is_exact_and_ordered_by_email(runner, units, make_user):
    utama, disdik = units
    make_user(email="zaki@pemda.example.id", name="Zaki", roles=("petugas",))
    make_user(email="ani@pemda.example.id", name="Ani, S.H.", roles=("pembantu", "atasan"), unit=disdik)
    inactive = make_user(email="maya@pemda.example.id", name="=Maya", roles=("admin", "ppid_utama"), unit=utama)
    inactive.active = False
    db.session.commit()
    make_user(email="warga@example.id", name="Warga")  # a citizen is not an officer
    result = runner.invoke(args=["ppid", "users", "list", "--csv"])
    assert result.exit_code == 0
    assert result.stdout_bytes.decode() == (
        "email,name,roles,unit_code,active\n"
        'ani@pemda.example.id,"Ani, S.H.",pembantu;atasan,DISDIK,true\n'
        "maya@pemda.example.id,'=Maya,ppid_utama;admin,UTAMA,false\n"  # a formula is written as text
        "zaki@pemda.example.id,Zaki,petugas,,true\n"
    )
    plain = runner.invoke(args=["ppid", "users", "list"])
    assert plain.output.splitlines()[-1] == "3 officer(s)"
    assert "maya@pemda.example.id  =Maya  [ppid_utama;admin]  UTAMA  nonaktif" in plain.output


def test_the_cli_keeps_the_last_administrator(runner, make_user):
    make_user(email="admin@pemda.example.id", name="Admin", roles=("admin",))
    refused = runner.invoke(args=["ppid", "users", "deactivate", "--email", "admin@pemda.example.id"])
    assert refused.exit_code == 1
    assert refused.output == ("Error: admin@pemda.example.id is the last active administrator; "
                              "make another officer administrator first\n")
    assert fresh_user("admin@pemda.example.id").active
    make_user(email="kedua@pemda.example.id", name="Kedua", roles=("admin",))
    done = runner.invoke(args=["ppid", "users", "deactivate", "--email", "ADMIN@pemda.example.id"])
    assert done.exit_code == 0 and done.output == "deactivated admin@pemda.example.id\n"
    user = fresh_user("admin@pemda.example.id")
    assert not user.active
    assert user_events(user.id, "officer_deactivated")[0].actor_label == "Konsol server (flask ppid users)"
    again = runner.invoke(args=["ppid", "users", "reactivate", "--email", "admin@pemda.example.id"])
    assert again.output == "reactivated admin@pemda.example.id\n" and fresh_user("admin@pemda.example.id").active
    missing = runner.invoke(args=["ppid", "users", "deactivate", "--email", "warga@example.id"])
    assert missing.exit_code == 1 and missing.output == "Error: no officer with the e-mail 'warga@example.id'\n"
