"""`flask ppid init` (issue "Ready for a real office", item 2): on an empty database it creates
exactly the body profile, the PPID Utama unit, the first administrator and this year's and next
year's holidays — no demo data — and prints (and e-mails) a one-time set-password link that
works once and expires. It migrates a database that has no schema yet, validates before it
writes, and refuses to run twice with nothing changed."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from ppid_desk import create_app
from ppid_desk.accounts.models import User
from ppid_desk.audit.models import Event
from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.organisation.models import Unit
from ppid_desk.organisation.profile_models import BodyProfile
from ppid_desk.organisation.profile_selectors import body_profile, body_profile_forget
from ppid_desk.workcalendar.models import CalendarYear
from ppid_desk.workcalendar.selectors import local_date
from tests.helpers import build_test_config

# These tests import years themselves, or count what an import wrote: no baseline calendar.
pytestmark = pytest.mark.usefixtures("empty_calendar")

LINK = re.compile(r"^(http://\S+/atur-sandi/\S+)$", re.MULTILINE)
NOW = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)  # already 1 January 2027 in Makassar (WITA, UTC+8)
ARGS = ["ppid", "init", "--body-name", "Pemerintah Kabupaten Uji", "--admin-email", "Admin@Uji.go.id",
        "--admin-name", "Sri Admin", "--timezone", "Asia/Makassar", "--no-input"]
CREATED_TABLES = {"body_profile", "service_hours", "unit", "user_account", "user_role", "calendar_year", "holiday",
                  "event", "outbox_message",
                  "monev_figures_version",  # the public figures' cache version, bumped by every commit that changes them
                  "workday_ordinal",  # numbered when the calendar changes (a year imported), so pages only read
                  "calendar_version",  # its one row comes with the schema; the import replaces its token
                  "data_version"}  # the same: every committed write replaces its token


def table_rows() -> dict[str, int]:
    """Rows in every table of the schema (what `init` may have touched)."""
    db.session.expire_all()
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def everything() -> dict[str, list]:
    """The full content of every table, to prove that a refused run changed nothing."""
    db.session.expire_all()
    return {table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in db.metadata.sorted_tables}


@pytest.fixture
def installed(app, runner, clock):
    clock.travel_to(NOW)
    result = runner.invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    return result


def test_init_creates_exactly_profile_utama_unit_admin_and_calendar_years(app, installed, mailbox):
    body_profile_forget()
    filled = {name for name, count in table_rows().items() if count}
    assert filled == CREATED_TABLES  # no requests, no demo users or units: nothing else
    profile = db.session.get(BodyProfile, 1)
    assert profile.name == "Pemerintah Kabupaten Uji" and profile.timezone == "Asia/Makassar"
    assert profile.request_number_pattern == app.config["REQUEST_NUMBER_PATTERN"]  # config: defaults for init
    assert [(h.weekday, f"{h.opens:%H:%M}-{h.closes:%H:%M}") for h in profile.hours] == [
        (day, "08:00-16:00") for day in range(5)]
    units = list(db.session.scalars(select(Unit)))
    assert [(u.code, u.kind, u.parent_id) for u in units] == [("UTAMA", "utama", None)]
    users = list(db.session.scalars(select(User)))
    assert [(u.email, u.name, u.roles, u.email_verified_at) for u in users] == [
        ("admin@uji.go.id", "Sri Admin", {"admin"}, None)]
    # This year and next in the body's zone: 1 January 2027 already in Makassar.
    assert sorted(db.session.scalars(select(CalendarYear.year))) == [2027, 2028]
    kinds = [e.kind for e in db.session.scalars(select(Event).order_by(Event.id))]
    assert kinds == ["body_profile_created", "unit_created", "account_created"]
    assert {e.actor_label for e in db.session.scalars(select(Event))} == {"flask ppid init"}

    link = LINK.search(installed.output).group(1)
    outbox = db.session.scalar(select(OutboxMessage))
    assert outbox.recipient == "admin@uji.go.id" and link in outbox.body and outbox.status == "sent"
    assert link in mailbox.wait_for(1)[0].get_content()
    assert "Set-password link (valid 72 hours, works once)" in installed.output
    # Every local date now follows the body's zone: 17.00 UTC on 31 December is 1 January in WITA.
    assert local_date(NOW).isoformat() == "2027-01-01" and body_profile().timezone == "Asia/Makassar"


def test_the_printed_link_sets_the_password_once_and_the_administrator_logs_in(app, installed, client):
    link = LINK.search(installed.output).group(1)
    path = link.removeprefix(app.config["PUBLIC_BASE_URL"])
    page = client.get(path)
    assert page.status_code == 200 and "admin@uji.go.id" in page.get_data(as_text=True)
    assert client.post("/masuk", data={"email": "admin@uji.go.id", "password": "kata-sandi-admin-1"}).status_code != 303
    short = client.post(path, data={"password": "pendek", "password_confirm": "pendek"})
    assert short.status_code == 422 and "paling sedikit 10 karakter" in short.get_data(as_text=True)
    done = client.post(path, data={"password": "kata-sandi-admin-1", "password_confirm": "kata-sandi-admin-1"})
    assert done.status_code == 303 and done.headers["Location"].endswith("/masuk")
    db.session.expire_all()
    admin = db.session.scalar(select(User))
    assert admin.email_verified_at is not None and admin.check_password("kata-sandi-admin-1")
    assert "password_set" in [e.kind for e in db.session.scalars(select(Event).where(Event.subject_type == "user"))]

    login = client.post("/masuk", data={"email": "admin@uji.go.id", "password": "kata-sandi-admin-1"})
    assert login.status_code == 303
    assert client.get("/meja/admin/profil").status_code == 200
    assert "Pemerintah Kabupaten Uji" in client.get("/meja/admin/profil").get_data(as_text=True)
    client.post("/keluar")
    again = client.post(path, data={"password": "kata-sandi-lain-22", "password_confirm": "kata-sandi-lain-22"})
    assert again.status_code == 400 and "tidak berlaku" in again.get_data(as_text=True)  # used up
    db.session.expire_all()
    assert db.session.scalar(select(User)).check_password("kata-sandi-admin-1")


def test_the_link_expires(app, installed, client, monkeypatch):
    path = LINK.search(installed.output).group(1).removeprefix(app.config["PUBLIC_BASE_URL"])
    monkeypatch.setitem(app.config, "ACCOUNT_TOKEN_MAX_AGE", -1)  # every link is now older than allowed
    response = client.get(path)
    assert response.status_code == 400 and "kedaluwarsa" in response.get_data(as_text=True)
    tampered = client.get(path[:-3] + "abc")
    assert tampered.status_code == 400


def test_a_second_run_is_refused_and_changes_nothing(app, installed, runner):
    before = everything()
    again = runner.invoke(args=["ppid", "init", "--body-name", "Lain", "--admin-email", "lain@uji.go.id",
                                "--no-input"])
    assert again.exit_code != 0 and "already has a body profile" in again.output
    assert "Nothing was changed" in again.output and everything() == before


def test_an_existing_administrator_or_profile_is_refused(app, runner, make_user):
    from ppid_desk.organisation.profile_services import body_profile_create

    make_user(email="admin@lama.go.id", roles=("admin",))
    before = everything()
    refused = runner.invoke(args=ARGS)
    assert refused.exit_code != 0 and "already has an administrator" in refused.output and everything() == before

    db.session.execute(text("DELETE FROM user_role"))
    db.session.execute(text("DELETE FROM user_account"))
    body_profile_create(actor=None, actor_label="lama", name="Profil Lama", timezone="Asia/Jakarta")
    db.session.commit()
    before = everything()
    refused = runner.invoke(args=ARGS)
    assert refused.exit_code != 0 and "already has a body profile" in refused.output and everything() == before


@pytest.mark.parametrize(("args", "message"), [
    (["--admin-email", "bukan-email", "--no-input"], "is not an e-mail address"),
    (["--admin-email", "a@uji.go.id", "--timezone", "Asia/Atlantis", "--no-input"], "not a known time zone"),
    (["--admin-email", "a@uji.go.id", "--body-name", " ", "--no-input"], "name is empty"),
    (["--no-input"], "--admin-email is required"),
])
def test_bad_values_are_refused_before_anything_is_written(app, runner, args, message):
    before = everything()  # empty, but for the two version rows the schema comes with
    result = runner.invoke(args=["ppid", "init", *args])
    assert result.exit_code != 0 and message in result.output
    assert everything() == before
    assert {name for name, count in table_rows().items() if count} == {"calendar_version", "data_version"}


def test_without_no_input_it_prompts_for_what_is_missing(app, runner):
    result = runner.invoke(args=["ppid", "init"], input="Kota Tanya Jawab\nadmin@tanya.go.id\nAsia/Jayapura\n")
    assert result.exit_code == 0, result.output
    assert "Name of the public body" in result.output and LINK.search(result.output)
    profile = db.session.get(BodyProfile, 1)
    assert (profile.name, profile.timezone) == ("Kota Tanya Jawab", "Asia/Jayapura")


# --- a database with no schema yet: `init` migrates it first (SQLite and PostgreSQL) -----------

@pytest.fixture
def empty_database(tmp_path):
    admin_url = os.environ.get("PPID_TEST_DATABASE_URL")
    if not admin_url:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    from ppid_desk.config import normalise_database_url

    admin_url = normalise_database_url(admin_url)
    name = f"ppid_init_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin_url.rsplit("/", 1)[0] + "/" + name
    with contextlib.suppress(Exception), admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_init_migrates_an_empty_database_then_installs(app, empty_database, tmp_path, smtp_server):
    other = create_app(build_test_config(empty_database, tmp_path, smtp_server[0].port))
    with other.app_context():
        try:
            assert inspect(db.engine).get_table_names() == []
            result = other.test_cli_runner().invoke(args=ARGS)
            assert result.exit_code == 0, result.output
            assert "Database migrated to the newest schema." in result.output
            assert "body_profile" in inspect(db.engine).get_table_names()
            from ppid_desk.cli import _pending_migrations

            assert not _pending_migrations()
            assert db.session.get(BodyProfile, 1).name == "Pemerintah Kabupaten Uji"
            assert db.session.scalar(select(func.count()).select_from(User)) == 1
        finally:
            db.session.remove()
            db.engine.dispose()
