"""The daily tallies (monev.tallies) give exactly the metrics the live path computes, and stay
current: every change through the funnel, a calendar change and the sweep keep them honest."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from ppid_desk.extensions import db
from ppid_desk.monev.metrics import monev_metrics
from ppid_desk.monev.models import MonevTally, MonevTallyDay, MonevTallyDuration, WorkdayOrdinal
from ppid_desk.monev.tallies import tallies_ensure, tallies_forget, tallies_forget_crossing
from ppid_desk.notices.services import DeliveryDraft, delivery_record, notice_issue
from ppid_desk.notifications.sweep import sweep_run
from ppid_desk.organisation.models import Unit
from ppid_desk.routing.models import RoutingTask
from ppid_desk.routing.services import request_route, task_answer
from ppid_desk.workcalendar.admin_services import holiday_add
from ppid_desk.workcalendar.services import calendar_years_ensure
from tests.factories import END, START, TODAY, at, grant, make_unit

PERIODS = [(START, END), (date(2026, 7, 6), date(2026, 7, 6)), (date(2026, 7, 1), date(2026, 7, 31)),
           (date(2026, 9, 1), date(2026, 9, 30)), (date(2026, 1, 1), date(2026, 12, 31))]


def both_ways(app, start=START, end=END, today=TODAY, *, refresh=True, unit_code=None, subunits=True):
    """(with tallies, all live) for the period, of the whole body or of one unit (and, with
    ``subunits``, the units under it); with ``refresh`` the tallies are re-summed first, as the
    sweep does (a page only reads them: clean days from the tallies, the others live)."""
    if refresh:
        tallies_ensure(start, end)
    scope = {"unit_code": unit_code, "subunits": subunits}
    app.config["MONEV_TALLIES"] = True
    tallied = monev_metrics(start=start, end=end, today=today, **scope)
    app.config["MONEV_TALLIES"] = False
    try:
        live = monev_metrics(start=start, end=end, today=today, **scope)
    finally:
        app.config["MONEV_TALLIES"] = True
    return tallied, live


def dirty_days() -> set[date]:
    return set(db.session.scalars(select(MonevTallyDay.day).where(MonevTallyDay.dirty.is_(True))))


@pytest.mark.parametrize("unit_code", [None, "U1", "U2"])
@pytest.mark.parametrize("period", PERIODS)
def test_tallies_give_the_live_metrics(app, log, period, unit_code):  # noqa: F811
    marks = {(row.day, row.dirty) for row in db.session.scalars(select(MonevTallyDay))}
    untallied, live = both_ways(app, *period, refresh=False, unit_code=unit_code)  # nothing tallied: all live
    assert untallied == live
    assert db.session.scalar(select(func.count()).select_from(MonevTally)) == 0  # reading wrote nothing
    assert {(row.day, row.dirty) for row in db.session.scalars(select(MonevTallyDay))} == marks
    tallied, live = both_ways(app, *period, unit_code=unit_code)
    assert tallied == live
    if period[0] <= date(2026, 7, 6) <= period[1]:  # A–G and W were received on 6 July
        assert db.session.scalar(select(func.count()).select_from(MonevTally)) > 0  # really read from tallies
        if unit_code == "U1":  # A (settled) is U1's: its unit rows really hold it
            assert db.session.scalar(select(func.sum(MonevTally.total)).where(MonevTally.kind == "scope")) >= 1


def test_a_request_two_units_of_a_scope_hold_counts_once(app, log, clock, make_user):  # noqa: F811
    """E is held by U1 and by U1A under it, then settled: U1 with its subunits counts it once,
    each unit alone once, with and without tallies; and a unit's tallies follow a change."""
    officer = make_user(email="utama5@pemda.example.id", roles=("ppid_utama",), name="Rudi Utama")
    u1 = db.session.scalar(select(Unit).where(Unit.code == "U1"))
    child = make_unit(code="U1A", name="Seksi Satu A", parent=u1)
    item = log["E"]
    clock.travel_to(at(9, 29))
    request_route(actor=officer, item=item, unit_ids=[child.id], instruction="Bantu Unit Satu.",
                  internal_due=date(2026, 9, 29), at=at(9, 29), notify=False)
    for task in db.session.scalars(select(RoutingTask).where(RoutingTask.request_id == item.id)):
        task_answer(actor=officer, item=item, task=task, answer_text="Terlampir.", at=at(9, 29))  # both stay live
    notice_issue(actor=officer, item=item, draft=grant(), at=at(9, 29), notify=False)
    db.session.commit()
    scopes = [("U1", True), ("U1", False), ("U1A", True), ("U2", True)]
    totals = {}
    for code, subunits in scopes:
        tallied, live = both_ways(app, unit_code=code, subunits=subunits)
        assert tallied == live
        totals[code, subunits] = tallied["received"]["total"]
    assert totals["U1", True] == totals["U1", False] == 2  # A and E: E once, though two of its units hold it
    assert totals["U1A", True] == 1
    assert db.session.scalar(select(func.sum(MonevTally.total)).where(MonevTally.kind == "scope")) > 0
    # A change through the funnel dirties the day: the unit's figures follow before a re-sum.
    clock.travel_to(at(9, 30))
    delivery_record(actor=officer, item=item, draft=DeliveryDraft(method="in_person"), at=at(9, 30), notify=False)
    db.session.commit()
    for code, subunits in scopes:
        tallied, live = both_ways(app, unit_code=code, subunits=subunits, refresh=False)
        assert tallied == live


def test_the_tallies_hold_only_settled_requests_and_every_series(app, log):  # noqa: F811
    tallies_ensure(START, END)
    kinds = dict(db.session.execute(
        select(MonevTally.kind, func.sum(MonevTally.total)).group_by(MonevTally.kind)).all())
    # A, B, C, D, F, G have a notice (E and H are open, W withdrawn without one).
    assert kinds["body"] == 6
    series = set(db.session.scalars(select(MonevTallyDuration.series).distinct()))
    assert {"notice", "routing"} <= series
    days = {row.day: row.dirty for row in db.session.scalars(select(MonevTallyDay))}
    assert len(days) == (END - START).days + 1 and not any(days.values())


def test_a_change_through_the_funnel_dirties_its_day_and_the_metrics_follow(app, log, clock,  # noqa: F811
                                                                            make_user):
    before, _ = both_ways(app)
    assert not dirty_days()
    officer = make_user(email="utama2@pemda.example.id", roles=("ppid_utama",), name="Rudi Utama")
    item = log["E"]  # open and overdue: now it gets its (late) notice
    clock.travel_to(at(9, 29))
    notice_issue(actor=officer, item=item, draft=grant(), at=at(9, 29), notify=False)
    db.session.commit()
    assert dirty_days() == {item.receipt_date}
    stale, live = both_ways(app, refresh=False)  # the dirty day is aggregated live, not re-summed
    assert stale == live and dirty_days() == {item.receipt_date}
    after, live = both_ways(app)
    assert after == live
    assert after["outcomes"]["granted_full"] == before["outcomes"]["granted_full"] + 1
    assert after["overdue_open"]["count"] == before["overdue_open"]["count"] - 1
    assert not dirty_days()
    clock.travel_to(at(9, 30))
    delivery_record(actor=officer, item=item, draft=DeliveryDraft(method="in_person"), at=at(9, 30), notify=False)
    db.session.commit()
    assert dirty_days() == {item.receipt_date}
    delivered, live = both_ways(app)
    assert delivered == live
    assert delivered["wd_to_delivery"]["count"] == before["wd_to_delivery"]["count"] + 1


def clean_days() -> set[date]:
    return set(db.session.scalars(select(MonevTallyDay.day).where(MonevTallyDay.dirty.is_(False))))


def test_a_holiday_forgets_the_tallies_whose_durations_count_it(app, log, make_user):  # noqa: F811
    tallies_ensure(START, END)
    db.session.commit()
    every_day = clean_days()
    admin = make_user(email="kalender@pemda.example.id", roles=("admin",), name="Admin Kalender")
    holiday_add(actor=admin, day=date(2026, 7, 15), kind="local_closure", name="Hari jadi kota")
    db.session.commit()
    # 6 July's requests were answered after the 15th (their durations count it) and their deadlines
    # moved: that day is read live until re-summed. A day after the holiday (28 September's H), or
    # a day without requests, holds the same numbers under the new calendar: kept.
    assert clean_days() == every_day - {date(2026, 7, 6)}
    tallied, live = both_ways(app, refresh=False)
    assert tallied == live
    assert tallies_ensure(START, END) == 1  # only the forgotten day is re-summed
    tallied, live = both_ways(app)
    assert tallied == live


def test_a_change_after_every_event_of_a_day_keeps_its_tallies(app, log):  # noqa: F811
    tallies_ensure(START, END)
    db.session.commit()
    every_day = clean_days()
    # B's notice (27 July) is the last event of the requests received on 6 July.
    assert tallies_forget_crossing(date(2026, 7, 27), date(2026, 7, 27)) == 1
    assert clean_days() == every_day - {date(2026, 7, 6)}
    assert tallies_ensure(START, END) == 1
    assert tallies_forget_crossing(date(2026, 7, 28), date(2026, 8, 31)) == 0  # after it: 6 July kept
    assert tallies_forget_crossing(date(2026, 9, 28), date(2026, 9, 28)) == 1  # H's own receipt day
    assert clean_days() == every_day - {date(2026, 9, 28)}


def test_a_lazy_calendar_import_keeps_every_tally(app, log):  # noqa: F811
    """Importing a year no date has reached yet (what a deadline computed into next year does)
    renumbers the ordinals but discards no tally: nothing is re-summed afterwards."""
    tallies_ensure(START, END)
    db.session.commit()
    marks = {(row.day, row.dirty) for row in db.session.scalars(select(MonevTallyDay))}
    rows = db.session.scalar(select(func.count()).select_from(MonevTally))
    assert calendar_years_ensure(2031) == [2031]
    db.session.commit()
    assert db.session.scalar(select(func.max(WorkdayOrdinal.day))) >= date(2031, 12, 31)  # the signal ran
    assert {(row.day, row.dirty) for row in db.session.scalars(select(MonevTallyDay))} == marks
    assert db.session.scalar(select(func.count()).select_from(MonevTally)) == rows
    assert tallies_ensure(START, END) == 0  # not one day to re-sum
    tallied, live = both_ways(app, refresh=False)
    assert tallied == live


def test_the_sweep_re_sums_changed_days(app, log):  # noqa: F811
    tallies_forget()
    db.session.commit()
    report = sweep_run(now=at(9, 30))
    assert not report.errors
    assert report.monev_days >= (date(2026, 9, 30) - date(2025, 1, 1)).days
    assert "monev days re-summed" in report.summary()
    assert sweep_run(now=at(9, 30)).monev_days == 0  # nothing changed since
