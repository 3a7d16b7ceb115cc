"""What a request costs in the database, as counts (issue 17, item 2); never a time.

GET pages never commit; a signed-in request loads its user, roles and logout marker in one
statement; a worker reads the holidays once and keeps them until the calendar's version token
changes, which every calendar change does in its own transaction, seen by another app (another
worker or server) on the same database from its next transaction on.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ppid_desk import create_app
from ppid_desk.extensions import db
from ppid_desk.workcalendar.models import Holiday
from ppid_desk.workcalendar.selectors import working_calendar
from tests import factories
from tests.helpers import build_test_config

FREE_WEDNESDAY = date(2026, 9, 16)  # an ordinary working day in the baseline calendar


@contextmanager
def commits():
    """Every commit in this process, by the ORM session or straight on a connection."""
    seen: list[str] = []

    def on_session(session):
        seen.append("session")

    def on_connection(conn):
        seen.append("connection")

    event.listen(Session, "after_commit", on_session)
    event.listen(Engine, "commit", on_connection)
    try:
        yield seen
    finally:
        event.remove(Session, "after_commit", on_session)
        event.remove(Engine, "commit", on_connection)


def test_get_pages_commit_nothing(app, client, officer_client):
    item = factories.register_request()
    desk = officer_client("ppid_utama")
    citizen_pages = ["/", "/permohonan/baru", "/statistik", "/healthz", "/informasi"]
    desk_pages = ["/meja/", "/meja/?tenggat=overdue", f"/meja/permohonan/{item.id}", "/meja/kalender"]
    with commits() as seen:
        for path in citizen_pages:
            assert client.get(path).status_code in (200, 404), path
        for path in desk_pages:
            assert desk.get(path).status_code in (200, 403), path
    assert seen == []


def test_a_signed_in_request_loads_user_roles_and_logout_marker_in_one_statement(app, officer_client, count_queries):
    desk = officer_client("ppid_utama")
    with count_queries() as statements:
        assert desk.get("/healthz").status_code == 200
        assert desk.get("/meja/").status_code == 200
    user_reads = [s for s in statements if "FROM user_account" in s and "user_role" in s]
    role_reads = [s for s in statements if "FROM user_role" in s]
    assert len(user_reads) == 2  # one per request, with the roles joined
    assert role_reads == []  # never a second statement for the roles
    assert all("max(event.id)" in s for s in user_reads)  # and the logout marker in it


def test_a_logout_still_ends_every_session_of_the_user(app, officer_client):
    laptop = officer_client("ppid_utama")
    phone = app.test_client()
    assert phone.post("/masuk", data={"email": laptop.user_email, "password": "rahasia-panjang-1"}).status_code == 303
    assert phone.get("/meja/").status_code == 200
    assert laptop.post("/keluar").status_code in (302, 303)
    assert phone.get("/meja/").status_code == 302  # the marker read with the user changed


def holiday_reads(statements) -> int:
    return sum(1 for s in statements if "FROM holiday" in s)


def test_holidays_are_read_once_then_only_the_version_token(app, count_queries):
    with app.app_context():
        assert working_calendar().is_working_day(FREE_WEDNESDAY)  # loads 2026 (perhaps already held)
    with count_queries() as statements, app.app_context():
        assert working_calendar().is_working_day(FREE_WEDNESDAY)
        assert not working_calendar().is_working_day(date(2026, 12, 25))
    assert holiday_reads(statements) == 0
    assert sum(1 for s in statements if "FROM calendar_version" in s) == 1  # once per transaction


@pytest.fixture
def other_app(app, database_url, tmp_path, smtp_server):
    """A second app on the same database: another worker process, or another server."""
    return create_app(build_test_config(database_url, tmp_path, smtp_server[0].port))


def test_a_change_made_by_another_app_is_seen_at_the_next_transaction(app, other_app):
    from ppid_desk.accounts.models import User
    from ppid_desk.workcalendar.admin_services import holiday_add

    admin = factories.make_user(email="admin@pemda.example.id", roles=("admin",))
    with app.app_context():
        assert working_calendar().is_working_day(FREE_WEDNESDAY)  # held in this app's memory now
    with other_app.app_context():
        holiday_add(actor=db.session.get(User, admin.id), day=FREE_WEDNESDAY, kind="local_closure",
                    name="Libur daerah uji")
        db.session.commit()
    with app.app_context():
        calendar = working_calendar()
        assert not calendar.is_working_day(FREE_WEDNESDAY)
        assert [c.name for c in calendar.closures_on(FREE_WEDNESDAY)] == ["Libur daerah uji"]
    with other_app.app_context():  # a rename moves no date, but the name is on every explanation
        holiday = db.session.scalar(db.select(Holiday).where(Holiday.day == FREE_WEDNESDAY))
        holiday.name = "Libur daerah uji (diganti)"
        db.session.commit()
    with app.app_context():
        assert [c.name for c in working_calendar().closures_on(FREE_WEDNESDAY)] == ["Libur daerah uji (diganti)"]


def test_a_change_rolled_back_is_never_held(app):
    with app.app_context():
        assert working_calendar().is_working_day(FREE_WEDNESDAY)
        db.session.add(Holiday(day=FREE_WEDNESDAY, kind="local_closure", name="Tidak jadi"))
        db.session.flush()
        assert not working_calendar().is_working_day(FREE_WEDNESDAY)  # this transaction sees its change
        db.session.rollback()
        assert working_calendar().is_working_day(FREE_WEDNESDAY)
    with app.app_context():
        assert working_calendar().is_working_day(FREE_WEDNESDAY)
