"""Monev metrics (issue 5, items 1, 2, 9): a small log built by hand through the real services,
and every metric asserted to its exact value; the CLI JSON equals the function; bounded queries.

Calendar: July 2026 has no holidays. A request received Mon 6 July is due Mon 20 July (10 WD);
a 7-WD extension moves it to Wed 29 July. 17 Aug and 25 Aug are holidays. "Today" is 30 Sep.
"""

from __future__ import annotations

import json
from datetime import date

from ppid_desk.extensions import db
from ppid_desk.monev.metrics import monev_metrics
from ppid_desk.monev.models import WorkdayOrdinal
from ppid_desk.monev.ordinals import ordinals_ensure
from ppid_desk.monev.tallies import tallies_ensure
from ppid_desk.workcalendar.admin_services import holiday_add
from ppid_desk.workcalendar.services import calendar_year_import
from tests.factories import END, START, TODAY, at


def test_every_metric_has_its_exact_value(log):
    m = monev_metrics(start=START, end=END, unit_code=None, today=TODAY)
    assert m["received"] == {"total": 8, "by_channel": {"online": 8}, "by_unit": {"U1": 2, "U2": 1}}
    # counted: A–G (E open past due); H not yet due. On time within 10 WD: A, F, G.
    assert m["on_time_10"] == {"share": 3 / 7, "on_time": 3, "counted": 7}
    # Legal: B's valid extension makes it on time; C's late extension does not.
    by_month = m["on_time_legal"].pop("by_month")
    assert m["on_time_legal"] == {"share": 4 / 7, "on_time": 4, "counted": 7}
    assert sum(month["on_time"] for month in by_month.values()) == 4
    assert sum(month["counted"] for month in by_month.values()) == 7
    assert m["breach"] == {"share": 3 / 7, "count": 3}
    assert m["extended"] == {"share": 0.25, "count": 2, "valid": 1, "valid_share": 0.5}
    assert m["overdue_open"] == {"count": 1, "by_unit": {"U1": 1, "U2": 0}}
    # WD to notice: G 2, A 4, F 6, D 12, C 14, B 15.
    assert m["wd_to_notice"] == {"count": 6, "median": 9.0, "mean": 8.83, "p90": 15,
                                 "histogram": {"2": 1, "4": 1, "6": 1, "12": 1, "14": 1, "15": 1}}
    assert m["wd_to_delivery"] == {"count": 1, "median": 5.0, "mean": 5.0, "p90": 5}
    assert m["outcomes"] == {"granted_full": 2, "granted_partial": 1, "refused": 2, "not_held": 1,
                             "not_documented": 0, "withdrawn": 1, "not_completed": 0, "pending": 2}
    assert m["refusal_quality"] == {"share": 0.5, "refusals": 2, "complete": 1}
    # By Pasal 17 letter: F's refusal (b, h), G's (c) and B's partial grant (b, h) (issue 13, item 8).
    assert m["refusal_basis"] == {"b": 2, "c": 1, "h": 2}
    assert m["refusal_basis_partial"] == {"b": 1, "h": 1} and m["partial_with_basis"] == 1
    assert m["accessibility"] == {"requests": 0, "by_need": {"deaf": 0, "blind": 0, "wheelchair": 0,
                                                             "assisted_filing": 0, "other": 0}}
    assert m["objection_rate"] == {"rate": 0.25, "count": 2, "by_ground": {"a": 1, "g": 1}}
    assert m["objection_on_time"] == {"share": 0.5, "on_time": 1, "counted": 2}
    assert m["objection_upheld"] == {"share": 0.5, "overturned": 1, "decided": 2, "inadmissible": 0}
    assert m["objection_decisions"] == {"upheld": 1, "overturned_full": 1, "overturned_partial": 0, "settled": 0,
                                        "inadmissible": 0}
    assert m["disputes"] == {
        "rate": 0.0, "count": 0, "outcomes": {}, "ki_decisions": {},
        "court": {"first": 0, "cassation": 0, "pending": 0, "by_appellant": {}},
        "compliance": {"final": 0, "requires_action": 0, "complied": 0, "not_complied": 0, "unrecorded": 0}}
    # First routing: A 1, E 2, H 1. Answer: A's task 2 WD after its routing.
    assert m["routing"] == {
        "to_first_routing": {"count": 3, "median": 1.0, "mean": 1.33, "p90": 2},
        "to_answer": {"count": 1, "median": 2.0, "mean": 2.0, "p90": 2},
        "by_unit": {"U1": {"tasks": 2, "answered": 1, "answered_on_time": 1, "on_time_share": 1.0},
                    "U2": {"tasks": 1, "answered": 0, "answered_on_time": 0, "on_time_share": None}}}
    assert m["fees"] == {"share": 1 / 6, "with_fee": 1, "counted": 6, "median": 10000.0}
    # Body: 100 × (0.8 × 4/7 + 0.2 × 0.5) = 55.7; U1: A on time, E late, no refusals: 100 × (0.4 + 0.2) = 60.
    assert m["index"]["body"] == {"score": 55.7, "band": "Kurang"}
    assert m["index"]["by_unit"] == {"U1": {"score": 60.0, "band": "Cukup"},
                                     "U2": {"score": None, "band": None}}


def test_one_unit_and_an_empty_period(log):
    m = monev_metrics(start=START, end=END, unit_code="U1", today=TODAY)
    assert m["received"] == {"total": 2, "by_channel": {"online": 2}, "by_unit": {"U1": 2}}
    assert m["on_time_legal"] == {"share": 0.5, "on_time": 1, "counted": 2,
                                  "by_month": {"2026-07": {"share": 0.5, "on_time": 1, "counted": 2}}}
    assert m["overdue_open"]["count"] == 1
    assert m["routing"]["to_first_routing"] == {"count": 2, "median": 1.5, "mean": 1.5, "p90": 2}
    empty = monev_metrics(start=date(2025, 1, 1), end=date(2025, 1, 31), unit_code=None, today=TODAY)
    assert empty["received"]["total"] == 0 and empty["on_time_10"]["share"] is None
    assert empty["wd_to_notice"] == {"count": 0, "median": None, "mean": None, "p90": None, "histogram": {}}
    assert empty["index"]["body"] == {"score": None, "band": None}


def test_cli_json_equals_the_function(log, runner):
    result = runner.invoke(args=["ppid", "monev", "--from", "2026-07-01", "--to", "2026-09-30", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(json.dumps(
        monev_metrics(start=START, end=END, unit_code=None, today=TODAY)))
    human = runner.invoke(args=["ppid", "monev", "--from", "2026-07-01", "--to", "2026-09-30", "--unit", "U1"])
    assert human.exit_code == 0 and "Received: 2" in human.output
    bad = runner.invoke(args=["ppid", "monev", "--from", "2026-07-01", "--to", "2026-09-30", "--unit", "NOPE"])
    assert bad.exit_code != 0


def test_query_count_does_not_grow_with_the_cohort(log, file_request, count_queries):
    tallies_ensure(START, END)  # as the sweep does: pages only read them
    before = monev_metrics(start=START, end=END, unit_code=None, today=TODAY)
    with count_queries() as small:
        monev_metrics(start=START, end=END, unit_code=None, today=TODAY)
    for n in range(10):
        file_request(received_at=at(7, 6), email=f"more{n}@example.id")
    with count_queries() as refresh:  # the funnel marked 6 July dirty: only that day is re-summed
        assert tallies_ensure(START, END) == 1
    with count_queries() as large:
        after = monev_metrics(start=START, end=END, unit_code=None, today=TODAY)
    assert after["received"]["total"] == before["received"]["total"] + 10
    assert len(small) == len(large) <= 20
    assert len(refresh) <= 22  # a fixed number of statements per stale range of days (units' sets included)


def test_ordinals_cover_the_imported_years_and_follow_every_calendar_change(app, make_user, empty_calendar):
    def rows():
        found = {row.day: row for row in db.session.query(WorkdayOrdinal)}
        assert len(found) == (max(found) - min(found)).days + 1  # one contiguous span
        return found

    assert db.session.query(WorkdayOrdinal).count() == 0
    calendar_year_import(2026)  # a write path changed the calendar: the ordinals are built with it
    numbered = rows()
    assert min(numbered) == date(2026, 1, 1) and max(numbered) == date(2026, 12, 31)
    assert numbered[date(2026, 7, 20)].ordinal - numbered[date(2026, 7, 6)].ordinal == 10
    assert numbered[date(2026, 8, 17)].working is False
    ordinals_ensure(date(2026, 7, 10), date(2026, 7, 20))  # covered: nothing to do
    assert rows() == numbered
    ordinals_ensure(date(2025, 12, 1), date(2026, 1, 2))  # the sweep's span reaches back: renumbered
    numbered = rows()
    assert min(numbered) == date(2025, 10, 31) and max(numbered) == date(2026, 12, 31)
    assert numbered[date(2026, 7, 20)].ordinal - numbered[date(2026, 7, 6)].ordinal == 10
    admin = make_user(email="kalender@pemda.example.id", roles=("admin",), name="Admin Kalender")
    holiday_add(actor=admin, day=date(2026, 7, 15), kind="local_closure", name="Hari jadi kota")
    numbered = rows()
    assert numbered[date(2026, 7, 20)].ordinal - numbered[date(2026, 7, 6)].ordinal == 9
    assert numbered[date(2026, 7, 15)].working is False
