"""Monev: overdue now and who holds it (GET /meja/monev/terlambat)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ppid_desk.extensions import db
from ppid_desk.routing.models import RoutingTask

URL = "/meja/monev/terlambat"


def _route(item, unit, user_id, internal_due=date(2026, 1, 20)):
    db.session.add(RoutingTask(request_id=item.id, unit_id=unit.id, instruction="Siapkan dokumen.",
                               internal_due=internal_due, status="open", routed_by_id=user_id))
    db.session.commit()


@pytest.fixture
def overdue_log(app, clock, file_request, make_unit, make_user):
    """Three overdue requests (two with units, one unrouted) and one still in time."""
    officer = make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    disdik = make_unit()
    dinkes = make_unit(code="DINKES", name="Dinas Kesehatan")
    old = file_request(received_at=datetime(2026, 1, 5, 3, 0, tzinfo=UTC), name="Ani Lama")
    middle = file_request(received_at=datetime(2026, 1, 12, 3, 0, tzinfo=UTC), name="Budi Tengah")
    unrouted = file_request(received_at=datetime(2026, 1, 7, 3, 0, tzinfo=UTC), name="Citra Utama")
    fresh = file_request(received_at=datetime(2026, 2, 20, 3, 0, tzinfo=UTC), name="Dedi Baru")
    _route(old, disdik, officer.id)
    _route(middle, disdik, officer.id, internal_due=date(2026, 1, 22))
    _route(middle, dinkes, officer.id)
    clock.travel_to(datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    return {"old": old, "middle": middle, "unrouted": unrouted, "fresh": fresh}


def test_groups_by_holder_and_orders_by_days_overdue(app, overdue_log, officer_client):
    from ppid_desk.monev.dashboard_selectors import overdue_now
    from ppid_desk.workcalendar.selectors import body_today, working_calendar

    with app.test_request_context():
        result = overdue_now(today=body_today(), calendar=working_calendar())
        groups = {g.key: g for g in result.groups}
        assert set(groups) == {"DISDIK", "DINKES", "__utama__"}
        assert result.groups[0].key == "DISDIK"  # the largest group first
        disdik = [row.item.number for row in groups["DISDIK"].rows]
        assert disdik == [overdue_log["old"].number, overdue_log["middle"].number]
        days = [row.days_overdue for row in groups["DISDIK"].rows]
        assert days[0] > days[1] >= 1
        calendar = working_calendar()
        assert days[0] == calendar.working_days_between(overdue_log["old"].due_date, body_today())
        assert groups["DISDIK"].rows[1].internal_due == date(2026, 1, 22)
        assert [r.item.number for r in groups["__utama__"].rows] == [overdue_log["unrouted"].number]
        assert result.request_total == 3

    page = officer_client("pengawas").get(URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "PPID Utama (belum didisposisi)" in html and "Dinas Kesehatan" in html
    assert overdue_log["fresh"].number not in html
    assert f"/meja/permohonan/{overdue_log['old'].id}" in html
    assert "terlambat" in html and "hari kerja" in html
    assert html.index(overdue_log["old"].number) < html.index(overdue_log["middle"].number)


def test_one_day_rule_uses_working_days(app, clock, file_request):
    from ppid_desk.monev.dashboard_selectors import overdue_now
    from ppid_desk.workcalendar.selectors import working_calendar

    item = file_request(received_at=datetime(2026, 2, 2, 3, 0, tzinfo=UTC))
    with app.test_request_context():
        calendar = working_calendar()
        due = item.due_date
        assert overdue_now(today=due, calendar=calendar).request_total == 0
        nxt = calendar.next_working_day(due)
        assert overdue_now(today=nxt, calendar=calendar).request_total == 1
        # a non-working day right after the due date is not yet a day late
        from datetime import timedelta
        day = due + timedelta(days=1)
        if not calendar.is_working_day(day):
            assert overdue_now(today=day, calendar=calendar).request_total == 0


def test_overdue_objection_held_by_atasan(app, overdue_log, officer_client):
    from ppid_desk.objections.models import Objection

    item = overdue_log["old"]
    db.session.add(Objection(
        number="0001/KEB/PPID/I/2026", year=2026, seq=1, request_id=item.id, channel="online",
        grounds=["c"], case_summary="x", intended_use="y", filed_at=datetime(2026, 1, 6, 3, tzinfo=UTC),
        filed_date=date(2026, 1, 6), ground_date=date(2026, 1, 5), filing_due=date(2026, 2, 16),
        response_due=date(2026, 2, 16), status="registered"))
    db.session.commit()
    html = officer_client("atasan").get(URL).get_data(as_text=True)
    assert "Atasan PPID" in html and "0001/KEB/PPID/I/2026" in html


def test_htmx_returns_rows_only(overdue_log, officer_client):
    client = officer_client("ppid_utama")
    full = client.get(URL).get_data(as_text=True)
    partial = client.get(URL, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    body = partial.get_data(as_text=True)
    assert 'id="overdue-rows"' in body and "<html" not in body and "<html" in full
    assert overdue_log["old"].number in body


def test_access(client, officer_client):
    assert client.get(URL).status_code == 302
    assert client.get(URL, headers={"HX-Request": "true"}).status_code == 401
    for role in ("pemohon", "pembantu", "petugas"):
        assert officer_client(role).get(URL).status_code == 403


def test_constant_queries(app, clock, file_request, make_unit, make_user, officer_client, count_queries):
    officer = make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    unit = make_unit()
    client = officer_client("pengawas")

    def add(n):
        for i in range(n):
            item = file_request(received_at=datetime(2026, 1, 5 + i % 10, 3, 0, tzinfo=UTC), name=f"Pemohon {i}")
            if i % 2:
                _route(item, unit, officer.id)

    def count():
        client.get(URL)  # warm the calendar import and the session
        with count_queries() as statements:
            assert client.get(URL).status_code == 200
        return len(statements)

    add(3)
    clock.travel_to(datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    few = count()
    add(17)
    assert count() == few
