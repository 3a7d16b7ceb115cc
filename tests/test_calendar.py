"""The working-day calendar as data: import from the `holidays` package, import on first
need, admin edits that an import never overwrites, the cuti bersama setting, and the
`flask ppid calendar …` commands. (The pure arithmetic is tested in tests/sla/.)

Expected dates were counted by hand from the reference CSV (day 1 = first working day after
the receipt date; LN = libur nasional, CB = cuti bersama, WE = weekend).
"""

from __future__ import annotations

import csv
from datetime import date

import pytest
from sqlalchemy import func, select

from ppid_desk.extensions import db
from ppid_desk.workcalendar.models import CalendarYear, Holiday, HolidaySource
from ppid_desk.workcalendar.selectors import CalendarYearMissing, active_closures, working_calendar
from ppid_desk.workcalendar.services import calendar_year_import, deadline_calendar
from tests.helpers import REFERENCE_HOLIDAYS

# These tests import years themselves, or count what an import wrote: no baseline calendar.
pytestmark = pytest.mark.usefixtures("empty_calendar")

D = date.fromisoformat
REFERENCE = REFERENCE_HOLIDAYS

# Received Thu 2025-03-27, 10 WD, default calendar:
#   03-28 CB Nyepi, 03-29 WE+LN Nyepi, 03-30 WE, 03-31 LN Idul Fitri, 04-01 LN Idul Fitri (2),
#   04-02/03/04 CB Idul Fitri, 04-05/06 WE, 04-07 CB Idul Fitri — all skipped;
#   04-08 d1, 04-09 d2, 04-10 d3, 04-11 d4, (12–13 WE), 04-14 d5, 04-15 d6, 04-16 d7, 04-17 d8,
#   04-18 LN Wafat Yesus Kristus, 04-19 WE, 04-20 WE+LN Kebangkitan, 04-21 d9, 04-22 d10.
LEBARAN_RECEIVED, LEBARAN_DUE = D("2025-03-27"), D("2025-04-22")
# Same count with cuti bersama as working days: 03-28 d1, (29–30 WE, 03-31 and 04-01 LN),
#   04-02 d2, 04-03 d3, 04-04 d4, (WE), 04-07 d5, 04-08 d6, 04-09 d7, 04-10 d8, 04-11 d9, 04-14 d10.
LEBARAN_DUE_CB_WORKING = D("2025-04-14")


def reference_rows(*years: int) -> set[tuple[date, str, str]]:
    with REFERENCE.open(encoding="utf-8") as handle:
        rows = {(D(r["date"]), r["kind"], r["name"]) for r in csv.DictReader(handle)}
    return {row for row in rows if row[0].year in years}


def holiday_rows(year: int, **where) -> list[Holiday]:
    query = select(Holiday).where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
    for column, value in where.items():
        query = query.where(getattr(Holiday, column) == value)
    return list(db.session.scalars(query.order_by(Holiday.day, Holiday.id)))


def imported_years() -> set[int]:
    return set(db.session.scalars(select(CalendarYear.year)))


def cli(runner, *args: str):
    return runner.invoke(args=["ppid", "calendar", *args])


# --- import from the library ---------------------------------------------------------------

def test_import_matches_the_decreed_holidays_2024_to_2026(app):
    for year in (2024, 2025, 2026):
        added = calendar_year_import(year)
        expected = reference_rows(year)
        assert added == len(expected), year
        rows = holiday_rows(year)
        assert {(h.day, h.kind, h.name) for h in rows} == expected, year
        assert len(rows) == len(expected), year  # no duplicates, no extra library rows
        assert all(h.source == HolidaySource.LIBRARY and h.active for h in rows)
        assert db.session.get(CalendarYear, year).holidays_imported == len(expected)
    db.session.commit()


# --- import on first need ------------------------------------------------------------------

def test_a_deadline_computed_on_a_write_path_imports_exactly_the_years_it_touches(app):
    assert imported_years() == set()
    assert not db.session.scalars(select(Holiday)).all()

    assert deadline_calendar().add_working_days(LEBARAN_RECEIVED, 10) == LEBARAN_DUE
    assert imported_years() == {2025}
    assert {(h.day, h.kind, h.name) for h in holiday_rows(2025)} == reference_rows(2025)

    # Mon 2025-12-22: 12-23 d1, 12-24 d2, 12-25 LN Natal, 12-26 CB Natal, (27–28 WE),
    # 12-29 d3, 12-30 d4, 12-31 d5, 2026-01-01 LN Tahun Baru, 01-02 d6, (3–4 WE),
    # 01-05 d7, 01-06 d8, 01-07 d9, 01-08 d10.
    assert deadline_calendar().add_working_days(D("2025-12-22"), 10) == D("2026-01-08")
    assert imported_years() == {2025, 2026}
    assert not holiday_rows(2024) and not holiday_rows(2027)


def test_reading_a_year_never_imported_raises_and_writes_nothing(app):
    calendar_year_import(2025)
    db.session.commit()
    with pytest.raises(CalendarYearMissing) as raised:
        working_calendar().add_working_days(D("2025-12-22"), 10)  # reaches into 2026
    assert raised.value.year == 2026
    assert "2026" in str(raised.value) and "flask ppid calendar import 2026" in str(raised.value)
    assert not db.session.new and not db.session.dirty
    db.session.rollback()
    assert imported_years() == {2025} and not holiday_rows(2026)


def test_cli_due_imports_on_first_need_and_keeps_the_import(runner):
    result = cli(runner, "due", "2025-12-22", "--days", "10")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "2026-01-08"
    db.session.rollback()  # only what the command committed is left
    assert imported_years() == {2025, 2026}
    assert len(holiday_rows(2026)) == len(reference_rows(2026))


# --- admin edits survive every later import ------------------------------------------------

def test_admin_edits_are_never_overwritten_by_a_later_import(app, runner):
    calendar_year_import(2025)
    cuti = holiday_rows(2025, day=D("2025-04-07"), kind="cuti_bersama")
    assert len(cuti) == 1 and cuti[0].source == HolidaySource.LIBRARY
    cuti[0].active = False  # the admin decides 7 April 2025 is a working day after all
    db.session.commit()

    # Without 04-07: 04-07 d1, 04-08 d2, 04-09 d3, 04-10 d4, 04-11 d5, 04-14 d6, 04-15 d7,
    # 04-16 d8, 04-17 d9, (04-18 LN, 19–20 WE), 04-21 d10.
    assert working_calendar().add_working_days(LEBARAN_RECEIVED, 10) == D("2025-04-21")

    db.session.add(Holiday(day=D("2025-04-21"), kind="local_closure", name="Hari Jadi Kota Contoh",
                           source=HolidaySource.ADMIN, active=True))
    db.session.commit()
    edited = sorted((h.day, h.kind, h.name, h.source, h.active) for h in holiday_rows(2025))
    count_before = len(edited)
    assert count_before == len(reference_rows(2025)) + 1

    # The explicit import, through the CLI …
    result = cli(runner, "import", "2025")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2025: already imported, left as is"
    # … and the service and the automatic path behind every deadline.
    assert calendar_year_import(2025) is None
    closures = active_closures(2025)
    db.session.commit()
    db.session.expire_all()
    assert sorted((h.day, h.kind, h.name, h.source, h.active) for h in holiday_rows(2025)) == edited
    assert (D("2025-04-07"), "cuti_bersama") not in {(c.day, c.kind) for c in closures}
    assert (D("2025-04-21"), "local_closure", "Hari Jadi Kota Contoh") in {
        (c.day, c.kind, c.name) for c in closures}

    # With both edits: 04-07 d1 … 04-17 d9, (04-18 LN, 19–20 WE), 04-21 local closure, 04-22 d10.
    explanation = working_calendar().explain(LEBARAN_RECEIVED, 10)
    assert explanation.due == D("2025-04-22")
    by_day = {d.day: d for d in explanation.days}
    assert by_day[D("2025-04-07")].count == 1
    assert [(r.kind, r.name) for r in by_day[D("2025-04-21")].reasons] == [
        ("local_closure", "Hari Jadi Kota Contoh")]

    result = cli(runner, "due", "2025-03-27", "--days", "10", "--explain")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2025-04-22"
    assert "2025-04-07 Mon  day 1" in lines
    assert "2025-04-21 Mon  skipped: local closure (Hari Jadi Kota Contoh)" in lines
    assert len(holiday_rows(2025)) == count_before


def test_an_admin_closure_in_a_year_not_yet_imported_survives_its_import(app):
    db.session.add(Holiday(day=D("2026-04-29"), kind="local_closure", name="Hari Jadi Kota Contoh",
                           source=HolidaySource.ADMIN, active=True))
    db.session.commit()
    assert imported_years() == set()

    # Tue 2026-04-28: 04-29 local closure, 04-30 d1, 05-01 LN Hari Buruh, (2–3 WE), 05-04 d2.
    assert deadline_calendar().add_working_days(D("2026-04-28"), 2) == D("2026-05-04")
    assert imported_years() == {2026}
    admin = holiday_rows(2026, source=HolidaySource.ADMIN)
    assert [(h.day, h.kind, h.name, h.active) for h in admin] == [
        (D("2026-04-29"), "local_closure", "Hari Jadi Kota Contoh", True)]
    assert len(holiday_rows(2026, source=HolidaySource.LIBRARY)) == len(reference_rows(2026))


# --- the cuti bersama setting --------------------------------------------------------------

def test_cuti_bersama_setting_changes_a_due_date_across_lebaran(app, runner, monkeypatch):
    assert deadline_calendar().add_working_days(LEBARAN_RECEIVED, 10) == LEBARAN_DUE
    monkeypatch.setitem(app.config, "CUTI_BERSAMA_NON_WORKING", False)  # undone after the test
    assert deadline_calendar().add_working_days(LEBARAN_RECEIVED, 10) == LEBARAN_DUE_CB_WORKING
    db.session.commit()  # the deadline calendar (a write path) imported the year
    result = cli(runner, "due", "2025-03-27", "--explain")  # default length: NOTICE_WD = 10
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == LEBARAN_DUE_CB_WORKING.isoformat()
    assert "2025-03-28 Fri  day 1" in lines
    assert not any("cuti bersama" in line for line in lines)
    # The setting hides cuti bersama; it does not delete them.
    # 11 in 2025: 01-28, 03-28, 04-02, 04-03, 04-04, 04-07, 05-13, 05-30, 06-09, 08-18, 12-26.
    cuti = {(h.day, h.kind, h.name) for h in holiday_rows(2025, kind="cuti_bersama", active=True)}
    assert cuti == {r for r in reference_rows(2025) if r[1] == "cuti_bersama"} and len(cuti) == 11


# --- the commands --------------------------------------------------------------------------

def test_cli_due_prints_the_iso_date_and_explains_skipped_days(runner):
    result = cli(runner, "due", "2025-03-27", "--days", "10")
    assert result.exit_code == 0, result.output
    assert result.output == "2025-04-22\n"  # the count is in LEBARAN_DUE's comment

    result = cli(runner, "due", "2025-03-27", "--days", "10", "--explain")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["2025-04-22", "2025-03-27 Thu  received (day 0)"]
    for expected in (
        "2025-03-28 Fri  skipped: cuti bersama (Cuti Bersama Hari Suci Nyepi)",
        "2025-03-29 Sat  skipped: weekend (Sabtu); libur nasional (Hari Suci Nyepi)",
        "2025-03-31 Mon  skipped: libur nasional (Hari Raya Idul Fitri)",
        "2025-04-01 Tue  skipped: libur nasional (Hari kedua dari Hari Raya Idul Fitri)",
        "2025-04-07 Mon  skipped: cuti bersama (Cuti Bersama Hari Raya Idul Fitri)",
        "2025-04-08 Tue  day 1",
        "2025-04-18 Fri  skipped: libur nasional (Wafat Yesus Kristus)",
        "2025-04-20 Sun  skipped: weekend (Minggu); libur nasional (Kebangkitan Yesus Kristus)",
        "2025-04-22 Tue  day 10 (due)",
    ):
        assert expected in lines
    assert lines[-1] == "2025-04-22 Tue  day 10 (due)"
    assert sum(1 for line in lines if "skipped" in line) == 16  # 26 calendar days, 10 counted


def test_cli_list_prints_the_non_working_weekdays_of_a_year(runner):
    result = cli(runner, "list", "2025")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    weekday_rows = sorted(r for r in reference_rows(2025) if r[0].weekday() < 5)
    # 28 decreed rows in 2025, of which 4 fall on a weekend (03-29 Sat Nyepi, 04-20 Sun
    # Kebangkitan, 06-01 Sun Pancasila, 08-17 Sun Kemerdekaan): 24 non-working weekdays.
    assert len(weekday_rows) == 24
    assert lines[-1] == "24 non-working weekdays in 2025"
    body = lines[:-1]
    assert len(body) == 24
    for (day, kind, name), line in zip(weekday_rows, body, strict=True):
        assert line.split(maxsplit=3) == [day.isoformat(), f"{day:%a}", kind, name]
    for weekend_holiday in ("2025-06-01", "2025-03-29", "2025-04-20", "2025-08-17"):
        assert not any(line.startswith(weekend_holiday) for line in lines)


@pytest.mark.parametrize("args, message", [
    (("due", "2025-13-45"), "YYYY-MM-DD"),
    (("due", "27-03-2025"), "YYYY-MM-DD"),
    (("due", "2025-03-27", "--days", "-1"), "--days"),
    (("due", "2025-03-27", "--days", "sepuluh"), "--days"),
    (("list", "dua-ribu"), "YEAR"),
    (("import",), "YEARS"),
])
def test_cli_bad_input_exits_non_zero_with_a_clear_message(runner, args, message):
    result = cli(runner, *args)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a usage error, not a crash
    assert "Traceback" not in result.output
    assert "Error: " in result.output and message in result.output
    assert imported_years() == set()


def test_due_rejects_dates_and_lengths_outside_the_calendar(runner):
    for args in (["9999-12-31"], ["2025-03-27", "--days", "100000"], ["1900-01-01"]):
        result = runner.invoke(args=["ppid", "calendar", "due", *args])
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(CalendarYear)) == 0
