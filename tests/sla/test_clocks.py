"""Statutory clocks: receipt dates across time zones, due dates, and reading a clock."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ppid_desk.sla import (
    ClockReading,
    ClockRules,
    ClockState,
    ClosedDay,
    ClosureKind,
    WorkingCalendar,
    dispute_filing_due,
    end_of_day,
    extended_notice_due,
    local_receipt_date,
    notice_due,
    objection_filing_due,
    objection_response_due,
    read_clock,
    unit_task_due,
)

D = date.fromisoformat
WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
RULES = ClockRules()
CUTOFF = ClockRules(cutoff=time(16, 0))


def reference_csv() -> Path:
    """The decreed holidays 2024–2026, kept in tests/data (see its README)."""
    return Path(__file__).resolve().parents[1] / "data" / "id-holidays-2024-2026.csv"


@cache
def reference_rows() -> tuple[ClosedDay, ...]:
    with reference_csv().open(newline="", encoding="utf-8") as f:
        return tuple(
            ClosedDay(D(r["date"]), ClosureKind(r["kind"]), r["name"]) for r in csv.DictReader(f)
        )


def calendar(cb_non_working: bool = True) -> WorkingCalendar:
    return WorkingCalendar(
        lambda year: [r for r in reference_rows() if r.day.year == year],
        cuti_bersama_non_working=cb_non_working,
    )


def utc(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).replace(tzinfo=UTC)


# --------------------------------------------------------------------------------------
# Receipt date
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "tz", "rules", "cb_non_working", "expected"),
    [
        # 17:30Z Mon = 00:30 WIB / 01:30 WITA / 02:30 WIT on Tue 17 Mar
        ("2026-03-16T17:30", WIB, RULES, True, "2026-03-17"),
        ("2026-03-16T17:30", WITA, RULES, True, "2026-03-17"),
        ("2026-03-16T17:30", WIT, RULES, True, "2026-03-17"),
        # 16:30Z Mon = 23:30 WIB (still Mon) but 00:30 WITA (Tue)
        ("2026-03-16T16:30", WIB, RULES, True, "2026-03-16"),
        ("2026-03-16T16:30", WITA, RULES, True, "2026-03-17"),
        # cut-off 16:00 local: 08:30Z = 15:30 WIB (before), 16:30 WITA, 17:30 WIT (after)
        ("2026-03-16T08:30", WIB, CUTOFF, True, "2026-03-16"),
        ("2026-03-16T08:30", WITA, CUTOFF, True, "2026-03-17"),
        ("2026-03-16T08:30", WIT, CUTOFF, True, "2026-03-17"),
        # exactly at the cut-off is not later than it
        ("2026-03-16T09:00", WIB, CUTOFF, True, "2026-03-16"),
        ("2026-03-16T09:00:01", WIB, CUTOFF, True, "2026-03-17"),
        # after the cut-off on Tue 17 Mar: next working day skips 18CB 19LN 20CB 21 22 23CB 24CB
        ("2026-03-17T09:30", WIB, CUTOFF, True, "2026-03-25"),
        ("2026-03-17T09:30", WIB, CUTOFF, False, "2026-03-18"),
        # cut-off off: a Saturday receipt stays on the Saturday ...
        ("2026-04-11T02:00", WIB, RULES, True, "2026-04-11"),
        # ... cut-off on: any non-working-day receipt is deemed on the next working day
        ("2026-04-11T02:00", WIB, CUTOFF, True, "2026-04-13"),
        # Friday 17:00 WIB after the cut-off -> Monday
        ("2026-04-10T10:00", WIB, CUTOFF, True, "2026-04-13"),
    ],
)
def test_local_receipt_date(
    received: str, tz: str, rules: ClockRules, cb_non_working: bool, expected: str
) -> None:
    assert local_receipt_date(utc(received), tz, rules, calendar(cb_non_working)) == D(expected)


def test_local_receipt_date_accepts_zoneinfo_and_non_utc_aware() -> None:
    cal = calendar()
    jakarta_evening = datetime(2026, 3, 16, 23, 30, tzinfo=ZoneInfo(WIB))
    assert local_receipt_date(jakarta_evening, ZoneInfo(WITA), RULES, cal) == D("2026-03-17")


def test_local_receipt_date_rejects_naive() -> None:
    with pytest.raises(ValueError):
        local_receipt_date(datetime(2026, 3, 16, 10, 0), WIB, RULES, calendar())  # noqa: DTZ001


def test_cutoff_keeps_deadlines_monotonic() -> None:
    """A later receipt never gets an earlier notice due (Friday evening vs Saturday)."""
    cal = calendar()
    stamps = ["2026-04-10T08:00", "2026-04-10T10:00", "2026-04-11T02:00", "2026-04-12T02:00"]
    dues = [notice_due(local_receipt_date(utc(s), WIB, CUTOFF, cal), cal, CUTOFF) for s in stamps]
    assert dues == sorted(dues)
    # Fri before cut-off: 13..17=1..5 20..24=6..10; after it / weekend: day 1 = Tue 14
    assert dues == [D("2026-04-24"), D("2026-04-27"), D("2026-04-27"), D("2026-04-27")]


# --------------------------------------------------------------------------------------
# Due dates
# --------------------------------------------------------------------------------------


def test_notice_and_extension_through_lebaran_2026() -> None:
    cal = calendar()
    # Mon 16 Mar: 17=1 [18..24 closed] 25=2 .. 2 Apr=8 [3LN 4 5] 6=9 7=10
    due = notice_due(D("2026-03-16"), cal, RULES)
    assert due == D("2026-04-07")
    # 8=1 9=2 10=3 13=4 14=5 15=6 16=7
    assert extended_notice_due(due, cal, RULES) == D("2026-04-16")
    # configurable lengths
    assert notice_due(D("2026-03-16"), cal, ClockRules(notice_wd=1)) == D("2026-03-17")


def test_objection_and_dispute_windows() -> None:
    cal = calendar()
    # 30 WD from Tue 7 Apr 2026: 8..10=1..3 13..17=4..8 20..24=9..13 27..30=14..17 [1 May LN]
    #   4..8=18..22 11..13=23..25 [14LN 15CB] 18..22=26..30
    assert objection_filing_due(D("2026-04-07"), cal, RULES) == D("2026-05-22")
    assert objection_response_due(D("2026-04-07"), cal, RULES) == D("2026-05-22")
    # 14 WD from Fri 22 May 2026: 25=1 26=2 [27LN 28CB] 29=3 [30 31LN 1 Jun LN] 2..5=4..7
    #   8..12=8..12 15=13 [16LN] 17=14
    assert dispute_filing_due(D("2026-05-22"), cal, RULES) == D("2026-06-17")


@pytest.mark.parametrize(
    ("routed", "buffer", "expected"),
    [
        # statutory due Tue 7 Apr 2026; back 3 WD: 6 (1), [5 4 3LN] 2 (2), 1 (3)
        ("2026-03-17", 3, "2026-04-01"),
        ("2026-03-31", 3, "2026-04-01"),  # floor = 1 Apr, same day
        ("2026-04-01", 3, "2026-04-02"),  # floor = next working day after routing
        ("2026-04-02", 3, "2026-04-06"),  # next working day after Thu 2 Apr is Mon 6 Apr
        ("2026-04-06", 3, "2026-04-07"),
        ("2026-04-07", 3, "2026-04-08"),  # routed on the due: still one working day
        ("2026-03-17", 0, "2026-04-07"),
        ("2026-03-17", 1, "2026-04-06"),
        ("2026-03-17", 2, "2026-04-02"),
    ],
)
def test_unit_task_due(routed: str, buffer: int, expected: str) -> None:
    rules = ClockRules(unit_buffer_wd=buffer)
    assert unit_task_due(D("2026-04-07"), D(routed), calendar(), rules) == D(expected)


@pytest.mark.parametrize(
    ("tz", "expected_utc"),
    [
        (WIB, "2026-03-31T16:59:59.999999"),
        (WITA, "2026-03-31T15:59:59.999999"),
        (WIT, "2026-03-31T14:59:59.999999"),
    ],
)
def test_end_of_day_in_utc(tz: str, expected_utc: str) -> None:
    end = end_of_day(D("2026-03-31"), tz)
    assert end == utc(expected_utc)
    assert end.utcoffset() is not None and end.utcoffset().total_seconds() == 0
    assert end.astimezone(ZoneInfo(tz)).time() == time.max


# --------------------------------------------------------------------------------------
# Reading a clock
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        # due Tue 7 Apr 2026; (25 Mar, 7 Apr] = 26 27 30 31 1 2 6 7
        ("2026-04-07", "2026-03-25", ClockReading(ClockState.ON_TRACK, 8)),
        ("2026-04-07", "2026-04-01", ClockReading(ClockState.ON_TRACK, 3)),
        ("2026-04-07", "2026-04-02", ClockReading(ClockState.DUE_SOON, 2)),
        ("2026-04-07", "2026-04-03", ClockReading(ClockState.DUE_SOON, 2)),  # on LN
        ("2026-04-07", "2026-04-05", ClockReading(ClockState.DUE_SOON, 2)),  # Sunday
        ("2026-04-07", "2026-04-06", ClockReading(ClockState.DUE_SOON, 1)),
        ("2026-04-07", "2026-04-07", ClockReading(ClockState.DUE_TODAY, 0)),
        ("2026-04-07", "2026-04-08", ClockReading(ClockState.OVERDUE, -1)),
        ("2026-04-07", "2026-04-10", ClockReading(ClockState.OVERDUE, -3)),
        # due Fri 10 Apr; the weekend after it is already one day overdue, never -0
        ("2026-04-10", "2026-04-11", ClockReading(ClockState.OVERDUE, -1)),
        ("2026-04-10", "2026-04-12", ClockReading(ClockState.OVERDUE, -1)),
        ("2026-04-10", "2026-04-13", ClockReading(ClockState.OVERDUE, -1)),
        ("2026-04-10", "2026-04-14", ClockReading(ClockState.OVERDUE, -2)),
        # due Thu 2 Apr; Fri 3 Apr is LN, then the weekend
        ("2026-04-02", "2026-04-03", ClockReading(ClockState.OVERDUE, -1)),
        ("2026-04-02", "2026-04-06", ClockReading(ClockState.OVERDUE, -1)),
        ("2026-04-02", "2026-04-07", ClockReading(ClockState.OVERDUE, -2)),
    ],
)
def test_read_clock(due: str, today: str, expected: ClockReading) -> None:
    assert read_clock(D(due), D(today), calendar()) == expected


def test_read_clock_due_soon_threshold_is_configurable() -> None:
    cal, due = calendar(), D("2026-04-07")
    assert read_clock(due, D("2026-03-25"), cal, due_soon_wd=8).state is ClockState.DUE_SOON
    assert read_clock(due, D("2026-03-25"), cal, due_soon_wd=7).state is ClockState.ON_TRACK
    assert read_clock(due, D("2026-04-06"), cal, due_soon_wd=0).state is ClockState.ON_TRACK


@pytest.mark.parametrize(
    ("stopped_on", "today", "left"),
    [
        ("2026-04-01", "2026-04-01", 3),  # (1 Apr, 7 Apr] = 2 6 7
        ("2026-04-01", "2026-06-30", 3),  # reading later does not change a stopped clock
        ("2026-04-07", "2026-04-20", 0),
        ("2026-04-09", "2026-04-20", -2),
        ("2026-04-11", "2026-04-20", -3),  # Sat after Fri 10: 8 9 10
    ],
)
def test_read_clock_stopped(stopped_on: str, today: str, left: int) -> None:
    reading = read_clock(D("2026-04-07"), D(today), calendar(), stopped_on=D(stopped_on))
    assert reading == ClockReading(ClockState.STOPPED, left)


def test_read_clock_stopped_on_weekend_after_due_is_late() -> None:
    reading = read_clock(D("2026-04-10"), D("2026-04-20"), calendar(), stopped_on=D("2026-04-11"))
    assert reading == ClockReading(ClockState.STOPPED, -1)


def test_read_clock_depends_on_cuti_bersama_setting() -> None:
    # due Tue 31 Mar 2026, today Tue 17 Mar: (17, 31] = 25 26 27 30 31 with CB closed,
    # 18 20 23 24 25 26 27 30 31 with CB working
    assert read_clock(D("2026-03-31"), D("2026-03-17"), calendar()).working_days_left == 5
    assert read_clock(D("2026-03-31"), D("2026-03-17"), calendar(False)).working_days_left == 9
