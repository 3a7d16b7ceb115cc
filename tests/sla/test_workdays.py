"""Working-day arithmetic against the decreed 2024–2026 holidays (reference CSV).

Expected due dates below were counted by hand from the CSV; each comment shows the count
(day 1 = first working day after the receipt date; LN = libur nasional, CB = cuti bersama).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest

from ppid_desk.sla import (
    ClosedDay,
    ClosureKind,
    NoWorkingDayError,
    WorkingCalendar,
)

D = date.fromisoformat
LN, CB, WE, LOCAL = (
    ClosureKind.LIBUR_NASIONAL,
    ClosureKind.CUTI_BERSAMA,
    ClosureKind.WEEKEND,
    ClosureKind.LOCAL_CLOSURE,
)


def reference_csv() -> Path:
    """The decreed holidays 2024–2026, kept in tests/data (see its README)."""
    return Path(__file__).resolve().parents[1] / "data" / "id-holidays-2024-2026.csv"


@cache
def reference_rows() -> dict[int, tuple[ClosedDay, ...]]:
    by_year: dict[int, list[ClosedDay]] = defaultdict(list)
    with reference_csv().open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            day = D(row["date"])
            by_year[day.year].append(ClosedDay(day, ClosureKind(row["kind"]), row["name"]))
    return {year: tuple(rows) for year, rows in by_year.items()}


def csv_loader(year: int) -> tuple[ClosedDay, ...]:
    return reference_rows().get(year, ())


def calendar(cb_non_working: bool = True) -> WorkingCalendar:
    return WorkingCalendar(csv_loader, cuti_bersama_non_working=cb_non_working)


# --------------------------------------------------------------------------------------
# Reference data vs the `holidays` package
# --------------------------------------------------------------------------------------


def test_holidays_package_agrees_with_reference_csv() -> None:
    holidays = pytest.importorskip("holidays")
    lib: set[tuple[date, ClosureKind, str]] = set()
    for category, kind in (("public", LN), ("government", CB)):
        found = holidays.country_holidays(
            "ID", years=range(2024, 2027), categories=(category,), language="id"
        )
        for day, names in found.items():
            lib.update((day, kind, name) for name in names.split("; "))
    ref = {(r.day, r.kind, r.name) for rows in reference_rows().values() for r in rows}
    # Checked 2024–2026 with holidays 0.109: identical dates, kinds and names.
    assert sorted(lib ^ ref) == []
    assert len(ref) == 82  # 29 + 28 + 25 rows


# --------------------------------------------------------------------------------------
# Hand-computed due dates
# --------------------------------------------------------------------------------------

# (receipt, n, cuti bersama non-working?, expected due)
DUE_TABLE = [
    # --- Lebaran 2024: CB 8,9 Apr; LN 10,11 Apr; CB 12,15 Apr; LN 1,9,23 May; CB 10,24 May
    # Fri 5 Apr: [6,7 wknd] 8CB 9CB 10LN 11LN 12CB [13,14] 15CB; 16=1 17=2 18=3 19=4
    #   22=5 23=6 24=7 25=8 26=9 29=10
    pytest.param("2024-04-05", 10, True, "2024-04-29", id="lebaran24-fri-before"),
    # Same, CB working: 8=1 9=2 [10,11 LN] 12=3 15=4 16=5 17=6 18=7 19=8 22=9 23=10
    pytest.param("2024-04-05", 10, False, "2024-04-23", id="lebaran24-fri-before-cb-working"),
    # Receipt on a CB day (Mon 8 Apr): 9CB 10LN 11LN 12CB [13,14] 15CB; 16=1 .. 29=10
    pytest.param("2024-04-08", 10, True, "2024-04-29", id="lebaran24-receipt-on-cb"),
    # Receipt on LN (Wed 10 Apr, Idul Fitri): 11LN 12CB [13,14] 15CB; 16=1 .. 29=10
    pytest.param("2024-04-10", 10, True, "2024-04-29", id="lebaran24-receipt-on-ln"),
    # Saturday 13 Apr: [14] 15CB; 16=1 .. 29=10
    pytest.param("2024-04-13", 10, True, "2024-04-29", id="lebaran24-saturday"),
    # Saturday 13 Apr, CB working: 15=1 16=2 17=3 18=4 19=5 22=6 23=7 24=8 25=9 26=10
    pytest.param("2024-04-13", 10, False, "2024-04-26", id="lebaran24-saturday-cb-working"),
    # Tue 16 Apr: 17=1 18=2 19=3 22=4 23=5 24=6 25=7 26=8 29=9 30=10
    pytest.param("2024-04-16", 10, True, "2024-04-30", id="lebaran24-tue-after"),
    # +7 from the 10-WD due 29 Apr: 30=1 [1 May LN] 2=2 3=3 6=4 7=5 8=6 [9LN 10CB 11,12] 13=7
    pytest.param("2024-04-29", 7, True, "2024-05-13", id="lebaran24-extension"),
    # +7 from the CB-working due 23 Apr: 24=1 25=2 26=3 29=4 30=5 [1 May LN] 2=6 3=7
    pytest.param("2024-04-23", 7, False, "2024-05-03", id="lebaran24-extension-cb-working"),
    # 30 WD from Tue 16 Apr: ..30 Apr=10 [1LN] 2=11 3=12 6=13 7=14 8=15 [9LN 10CB] 13..17=16..20
    #   20=21 21=22 22=23 [23LN 24CB] 27=24 28=25 29=26 30=27 31=28 [1 Jun Sat LN, 2] 3=29 4=30
    pytest.param("2024-04-16", 30, True, "2024-06-04", id="lebaran24-30wd"),
    # Same, CB working: 2=11 3=12 6=13 7=14 8=15 10=16 13..17=17..21 20=22 21=23 22=24
    #   24=25 27=26 28=27 29=28 30=29 31=30
    pytest.param("2024-04-16", 30, False, "2024-05-31", id="lebaran24-30wd-cb-working"),
    # --- Lebaran 2025: CB 28 Mar; LN 29 Mar (Sat), 31 Mar, 1 Apr; CB 2,3,4,7 Apr; LN 18,20 Apr
    # Thu 27 Mar: 28CB [29,30] 31LN 1LN 2CB 3CB 4CB [5,6] 7CB; 8=1 9=2 10=3 11=4 14=5 15=6
    #   16=7 17=8 [18LN 19 20] 21=9 22=10
    pytest.param("2025-03-27", 10, True, "2025-04-22", id="lebaran25-thu-before"),
    # Same, CB working: 28=1 [29,30,31LN,1LN] 2=2 3=3 4=4 7=5 8=6 9=7 10=8 11=9 14=10
    pytest.param("2025-03-27", 10, False, "2025-04-14", id="lebaran25-thu-before-cb-working"),
    # Wed 26 Mar: 27=1 [28 Mar .. 7 Apr closed] 8=2 9=3 10=4 11=5 14=6 15=7 16=8 17=9 [18LN] 21=10
    pytest.param("2025-03-26", 10, True, "2025-04-21", id="lebaran25-wed-before"),
    # Saturday that is also LN (Nyepi 29 Mar): [30] 31LN .. 7CB; 8=1 .. 22=10
    pytest.param("2025-03-29", 10, True, "2025-04-22", id="lebaran25-saturday-ln"),
    # Tue 8 Apr: 9=1 10=2 11=3 14=4 15=5 16=6 17=7 [18LN 19 20] 21=8 22=9 23=10
    pytest.param("2025-04-08", 10, True, "2025-04-23", id="lebaran25-tue-after"),
    # +7 from 22 Apr: 23=1 24=2 25=3 28=4 29=5 30=6 [1 May LN] 2=7
    pytest.param("2025-04-22", 7, True, "2025-05-02", id="lebaran25-extension"),
    # --- Lebaran 2026: CB 18 Mar; LN 19; CB 20; LN 21 (Sat), 22 (Sun); CB 23,24; LN 3,5 Apr
    # Mon 16 Mar: 17=1 [18CB 19LN 20CB 21 22 23CB 24CB] 25=2 26=3 27=4 30=5 31=6 1=7 2=8
    #   [3LN 4 5] 6=9 7=10
    pytest.param("2026-03-16", 10, True, "2026-04-07", id="lebaran26-mon-before"),
    # Same, CB working: 17=1 18=2 [19LN] 20=3 [21 22] 23=4 24=5 25=6 26=7 27=8 30=9 31=10
    pytest.param("2026-03-16", 10, False, "2026-03-31", id="lebaran26-mon-before-cb-working"),
    # Receipt on CB (Fri 20 Mar): [21 22 23CB 24CB] 25=1 26=2 27=3 30=4 31=5 1=6 2=7 [3LN] 6=8
    #   7=9 8=10
    pytest.param("2026-03-20", 10, True, "2026-04-08", id="lebaran26-receipt-on-cb"),
    # Same, CB working: [21 22] 23=1 24=2 25=3 26=4 27=5 30=6 31=7 1=8 2=9 [3LN 4 5] 6=10
    pytest.param("2026-03-20", 10, False, "2026-04-06", id="lebaran26-receipt-on-cb-working"),
    # Sunday that is also LN (22 Mar): 23CB 24CB; 25=1 .. 8 Apr=10
    pytest.param("2026-03-22", 10, True, "2026-04-08", id="lebaran26-sunday-ln"),
    # +7 from 7 Apr: 8=1 9=2 10=3 13=4 14=5 15=6 16=7
    pytest.param("2026-04-07", 7, True, "2026-04-16", id="lebaran26-extension"),
    # 30 WD from 16 Mar: 7 Apr=10 8=11 9=12 10=13 13..17=14..18 20..24=19..23 27=24 28=25
    #   29=26 30=27 [1 May LN 2 3] 4=28 5=29 6=30
    pytest.param("2026-03-16", 30, True, "2026-05-06", id="lebaran26-30wd"),
    # Same, CB working: 31 Mar=10 1=11 2=12 [3LN] 6..10=13..17 13..17=18..22 20..24=23..27
    #   27=28 28=29 29=30
    pytest.param("2026-03-16", 30, False, "2026-04-29", id="lebaran26-30wd-cb-working"),
    # --- Christmas / New Year 2024→2025: LN 25 Dec; CB 26 Dec; LN 1 Jan; LN 27, CB 28, LN 29 Jan
    # Fri 20 Dec: [21 22] 23=1 24=2 [25LN 26CB] 27=3 [28 29] 30=4 31=5 [1LN] 2=6 3=7 [4 5]
    #   6=8 7=9 8=10
    pytest.param("2024-12-20", 10, True, "2025-01-08", id="xmas24-fri-before"),
    # Same, CB working: 23=1 24=2 [25LN] 26=3 27=4 30=5 31=6 [1LN] 2=7 3=8 6=9 7=10
    pytest.param("2024-12-20", 10, False, "2025-01-07", id="xmas24-fri-before-cb-working"),
    # Receipt on LN (25 Dec): [26CB] 27=1 30=2 31=3 2=4 3=5 6=6 7=7 8=8 9=9 10=10
    pytest.param("2024-12-25", 10, True, "2025-01-10", id="xmas24-receipt-on-ln"),
    # Same, CB working: 26=1 27=2 30=3 31=4 2=5 3=6 6=7 7=8 8=9 9=10
    pytest.param("2024-12-25", 10, False, "2025-01-09", id="xmas24-receipt-on-ln-cb-working"),
    # +7 from 8 Jan: 9=1 10=2 13=3 14=4 15=5 16=6 17=7
    pytest.param("2025-01-08", 7, True, "2025-01-17", id="xmas24-extension"),
    # 30 WD from 20 Dec: 8 Jan=10 9=11 10=12 13..17=13..17 20..24=18..22 [27LN 28CB 29LN]
    #   30=23 31=24 3 Feb=25 4=26 5=27 6=28 7=29 10=30
    pytest.param("2024-12-20", 30, True, "2025-02-10", id="xmas24-30wd"),
    # Same, CB working: 7 Jan=10 8=11 9=12 10=13 13..17=14..18 20..24=19..23 [27LN] 28=24
    #   [29LN] 30=25 31=26 3 Feb=27 4=28 5=29 6=30
    pytest.param("2024-12-20", 30, False, "2025-02-06", id="xmas24-30wd-cb-working"),
    # --- Christmas / New Year 2025→2026: LN 25 Dec (Thu); CB 26 Dec (Fri); LN 1 Jan; LN 16 Jan
    # Fri 19 Dec: [20 21] 22=1 23=2 24=3 [25LN 26CB 27 28] 29=4 30=5 31=6 [1LN] 2=7 [3 4]
    #   5=8 6=9 7=10
    pytest.param("2025-12-19", 10, True, "2026-01-07", id="xmas25-fri-before"),
    # Same, CB working: 22=1 23=2 24=3 [25LN] 26=4 29=5 30=6 31=7 [1LN] 2=8 5=9 6=10
    pytest.param("2025-12-19", 10, False, "2026-01-06", id="xmas25-fri-before-cb-working"),
    # Saturday 20 Dec: same count as the Friday before (day 1 is Mon 22)
    pytest.param("2025-12-20", 10, True, "2026-01-07", id="xmas25-saturday"),
    # Sunday 21 Dec: same
    pytest.param("2025-12-21", 10, True, "2026-01-07", id="xmas25-sunday"),
    # Wed 24 Dec: [25LN 26CB 27 28] 29=1 30=2 31=3 [1LN] 2=4 5=5 6=6 7=7 8=8 9=9 12=10
    pytest.param("2025-12-24", 10, True, "2026-01-12", id="xmas25-christmas-eve"),
    # Same, CB working: 26=1 29=2 30=3 31=4 2=5 5=6 6=7 7=8 8=9 9=10
    pytest.param("2025-12-24", 10, False, "2026-01-09", id="xmas25-christmas-eve-cb-working"),
    # Receipt on CB (26 Dec): [27 28] 29=1 30=2 31=3 2=4 5=5 .. 9=9 12=10 — either setting
    pytest.param("2025-12-26", 10, True, "2026-01-12", id="xmas25-receipt-on-cb"),
    pytest.param("2025-12-26", 10, False, "2026-01-12", id="xmas25-receipt-on-cb-working"),
    # +7 from 7 Jan: 8=1 9=2 12=3 13=4 14=5 15=6 [16LN 17 18] 19=7
    pytest.param("2026-01-07", 7, True, "2026-01-19", id="xmas25-extension"),
    # 30 WD from 19 Dec: 7 Jan=10 8=11 9=12 12..15=13..16 [16LN] 19..23=17..21 26..30=22..26
    #   2 Feb=27 3=28 4=29 5=30
    pytest.param("2025-12-19", 30, True, "2026-02-05", id="xmas25-30wd"),
    # --- Ordinary weeks and other cuti bersama
    # Fri/Sat/Sun 13-15 Jun 2025 all give day 1 = Mon 16: 16..20=1..5 23..26=6..9 [27LN] 30=10
    pytest.param("2025-06-13", 10, True, "2025-06-30", id="jun25-friday"),
    pytest.param("2025-06-14", 10, True, "2025-06-30", id="jun25-saturday"),
    pytest.param("2025-06-15", 10, True, "2025-06-30", id="jun25-sunday"),
    # Thu 5 Jun 2025: [6LN 7 8 9CB] 10=1 11=2 12=3 13=4 16..20=5..9 23=10
    pytest.param("2025-06-05", 10, True, "2025-06-23", id="idul-adha25"),
    # Same, CB working: 9=1 10=2 11=3 12=4 13=5 16..20=6..10
    pytest.param("2025-06-05", 10, False, "2025-06-20", id="idul-adha25-cb-working"),
    # Fri 15 Aug 2025: [16 17(Sun, LN) 18CB (added mid-year)] 19=1 .. 22=4 25..29=5..9 1 Sep=10
    pytest.param("2025-08-15", 10, True, "2025-09-01", id="merdeka25"),
    # Same, CB working: 18=1 .. 22=5 25..29=6..10
    pytest.param("2025-08-15", 10, False, "2025-08-29", id="merdeka25-cb-working"),
    # n == 0 returns the start itself, even on a holiday
    pytest.param("2025-12-25", 0, True, "2025-12-25", id="zero"),
]


@pytest.mark.parametrize(("receipt", "n", "cb_non_working", "expected"), DUE_TABLE)
def test_add_working_days_hand_computed(
    receipt: str, n: int, cb_non_working: bool, expected: str
) -> None:
    cal = calendar(cb_non_working)
    due = cal.add_working_days(D(receipt), n)
    assert due == D(expected)
    if n:
        assert cal.is_working_day(due)
        assert cal.working_days_between(D(receipt), due) == n


def test_negative_n_is_rejected() -> None:
    with pytest.raises(ValueError):
        calendar().add_working_days(D("2025-01-06"), -1)


# --------------------------------------------------------------------------------------
# Single days
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "cb_non_working", "expected"),
    [
        ("2025-06-02", True, []),  # ordinary Monday
        ("2025-06-07", True, [(WE, "Sabtu")]),
        ("2025-06-08", True, [(WE, "Minggu")]),
        ("2025-06-01", True, [(WE, "Minggu"), (LN, "Hari Lahir Pancasila")]),
        ("2025-06-06", True, [(LN, "Hari Raya Idul Adha")]),
        ("2025-06-09", True, [(CB, "Cuti Bersama Hari Raya Idul Adha")]),
        ("2025-06-09", False, []),  # CB ignored when it is a working day
        ("2026-03-21", True, [(WE, "Sabtu"), (LN, "Hari Raya Idul Fitri")]),
    ],
)
def test_closures_on(day: str, cb_non_working: bool, expected: list) -> None:
    cal = calendar(cb_non_working)
    reasons = cal.closures_on(D(day))
    assert [(r.kind, r.name) for r in reasons] == expected
    assert all(r.day == D(day) for r in reasons)
    assert cal.is_working_day(D(day)) is (expected == [])


def test_next_working_day_skips_the_whole_lebaran_block() -> None:
    assert calendar().next_working_day(D("2026-03-17")) == D("2026-03-25")
    assert calendar(False).next_working_day(D("2026-03-17")) == D("2026-03-18")
    # strictly after, even when the day itself is a working day
    assert calendar().next_working_day(D("2026-03-25")) == D("2026-03-26")


# --------------------------------------------------------------------------------------
# explain()
# --------------------------------------------------------------------------------------


def with_local_closures(*extra: ClosedDay):
    def loader(year: int) -> list[ClosedDay]:
        return [*csv_loader(year), *(c for c in extra if c.day.year == year)]

    return loader


def test_explain_names_every_skipped_day_and_counts_in_order() -> None:
    jadi = ClosedDay(D("2025-06-16"), LOCAL, "Hari Jadi Kota")
    cal = WorkingCalendar(with_local_closures(jadi))
    ex = cal.explain(D("2025-06-05"), 10)
    # 6 LN, 7 Sab, 8 Min, 9 CB, 10..13 = 1..4, 14 Sab, 15 Min, 16 local, 17..20 = 5..8,
    # 21 Sab, 22 Min, 23 = 9, 24 = 10
    assert ex.start == D("2025-06-05") and ex.n == 10
    assert ex.due == D("2025-06-24") == cal.add_working_days(D("2025-06-05"), 10)
    assert [d.day for d in ex.days] == [
        D("2025-06-06") + timedelta(days=i) for i in range(19)
    ]
    assert ex.days[-1].day == ex.due and ex.days[-1].count == 10
    assert [d.count for d in ex.days if d.count is not None] == list(range(1, 11))
    skipped = {d.day.isoformat(): [(r.kind, r.name) for r in d.reasons] for d in ex.skipped}
    assert skipped == {
        "2025-06-06": [(LN, "Hari Raya Idul Adha")],
        "2025-06-07": [(WE, "Sabtu")],
        "2025-06-08": [(WE, "Minggu")],
        "2025-06-09": [(CB, "Cuti Bersama Hari Raya Idul Adha")],
        "2025-06-14": [(WE, "Sabtu")],
        "2025-06-15": [(WE, "Minggu")],
        "2025-06-16": [(LOCAL, "Hari Jadi Kota")],
        "2025-06-21": [(WE, "Sabtu")],
        "2025-06-22": [(WE, "Minggu")],
    }
    assert all(d.reasons == () for d in ex.days if d.count is not None)


def test_explain_keeps_several_reasons_on_one_day() -> None:
    # a local closure on top of a libur nasional that falls on a Saturday
    extra = ClosedDay(D("2026-03-21"), LOCAL, "Penutupan Kantor")
    cal = WorkingCalendar(with_local_closures(extra))
    ex = cal.explain(D("2026-03-20"), 1)
    assert ex.due == D("2026-03-25")
    sat = ex.days[0]
    assert sat.day == D("2026-03-21") and sat.count is None
    assert [(r.kind, r.name) for r in sat.reasons] == [
        (WE, "Sabtu"),
        (LN, "Hari Raya Idul Fitri"),
        (LOCAL, "Penutupan Kantor"),
    ]


def test_explain_lines_are_readable() -> None:
    lines = calendar().explain(D("2026-03-17"), 1).lines()
    assert lines[0] == "2026-03-17 Tue  received (day 0)"
    assert "2026-03-20 Fri  skipped: cuti bersama (Cuti Bersama Hari Raya Idul Fitri)" in lines
    sat = "2026-03-21 Sat  skipped: weekend (Sabtu); libur nasional (Hari Raya Idul Fitri)"
    assert sat in lines
    assert lines[-1] == "2026-03-25 Wed  day 1 (due)"


def test_explain_zero_days() -> None:
    ex = calendar().explain(D("2026-03-17"), 0)
    assert ex.due == D("2026-03-17") and ex.days == ()


# --------------------------------------------------------------------------------------
# working_days_between
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2026-03-17", "2026-03-17", 0),
        ("2026-03-17", "2026-03-25", 1),  # (17, 25]: only the 25th
        ("2026-03-25", "2026-03-17", -1),
        ("2026-04-10", "2026-04-12", 0),  # Fri -> Sun: no working day in (Fri, Sun]
        ("2026-03-16", "2026-04-07", 10),
        ("2026-04-07", "2026-03-16", -10),
        ("2024-12-20", "2025-02-10", 30),  # across the year boundary
    ],
)
def test_working_days_between(a: str, b: str, expected: int) -> None:
    assert calendar().working_days_between(D(a), D(b)) == expected


@pytest.mark.parametrize("cb_non_working", [True, False])
def test_between_is_the_inverse_of_add(cb_non_working: bool) -> None:
    cal = calendar(cb_non_working)
    day = D("2024-01-01")
    while day <= D("2026-10-31"):
        for n in (1, 7, 10, 30):
            due = cal.add_working_days(day, n)
            assert cal.working_days_between(day, due) == n, (day, n)
            assert cal.working_days_between(due, day) == -n, (day, n)
            # the due is the first day reaching n: the working day before it is n - 1
            assert cal.working_days_between(day, due - timedelta(days=1)) == n - 1, (day, n)
        day += timedelta(days=1)


# --------------------------------------------------------------------------------------
# closures_in
# --------------------------------------------------------------------------------------


def test_closures_in_a_year() -> None:
    cal = calendar()
    rows = cal.closures_in(D("2025-01-01"), D("2025-12-31"))
    assert len(rows) == 28 and all(r.day.year == 2025 for r in rows)
    assert [r.day for r in rows] == sorted(r.day for r in rows)
    assert all(r.kind is not WE for r in rows)
    weekdays = cal.closures_in(D("2025-01-01"), D("2025-12-31"), weekdays_only=True)
    # 29 Mar (Sat), 20 Apr, 1 Jun, 17 Aug (Sun) fall on weekends
    assert len(weekdays) == 24
    assert all(r.day.weekday() < 5 for r in weekdays)
    # cuti bersama are not closures when they are working days
    assert len(calendar(False).closures_in(D("2025-01-01"), D("2025-12-31"))) == 28 - 11


def test_closures_in_spans_years_and_bounds_inclusive() -> None:
    rows = calendar().closures_in(D("2025-12-25"), D("2026-01-01"))
    assert [(r.day.isoformat(), r.kind) for r in rows] == [
        ("2025-12-25", LN),
        ("2025-12-26", CB),
        ("2026-01-01", LN),
    ]


# --------------------------------------------------------------------------------------
# Lazy loading and data errors
# --------------------------------------------------------------------------------------


class RecordingLoader:
    def __init__(self) -> None:
        self.calls: list[int] = []

    def __call__(self, year: int) -> tuple[ClosedDay, ...]:
        self.calls.append(year)
        return csv_loader(year)


def test_loader_is_lazy_and_called_once_per_year() -> None:
    loader = RecordingLoader()
    cal = WorkingCalendar(loader)
    assert loader.calls == []  # nothing at construction
    assert cal.add_working_days(D("2025-06-13"), 10) == D("2025-06-30")
    assert loader.calls == [2025]
    cal.add_working_days(D("2025-06-13"), 30)
    cal.is_working_day(D("2025-01-01"))
    assert loader.calls == [2025]
    assert cal.add_working_days(D("2025-12-20"), 10) == D("2026-01-07")
    assert loader.calls == [2025, 2026]
    cal.working_days_between(D("2026-03-01"), D("2025-03-01"))
    assert loader.calls == [2025, 2026]


def test_loader_fresh_year_end_count_loads_both_years() -> None:
    loader = RecordingLoader()
    WorkingCalendar(loader).add_working_days(D("2025-12-20"), 10)
    assert sorted(loader.calls) == [2025, 2026]


def test_no_working_day_raises_instead_of_looping() -> None:
    def everything_closed(year: int) -> list[ClosedDay]:
        start = date(year, 1, 1)
        days = (start + timedelta(days=i) for i in range(366))
        return [ClosedDay(d, LOCAL, "Tutup") for d in days if d.year == year]

    cal = WorkingCalendar(everything_closed)
    with pytest.raises(NoWorkingDayError):
        cal.add_working_days(D("2030-01-01"), 1)


@pytest.mark.parametrize(
    "bad",
    [
        ClosedDay(D("2024-12-31"), LN, "wrong year"),
        ClosedDay(D("2025-06-07"), WE, "Sabtu"),
    ],
)
def test_loader_rows_are_checked(bad: ClosedDay) -> None:
    cal = WorkingCalendar(lambda year: [bad])
    with pytest.raises(ValueError):
        cal.is_working_day(D("2025-06-02"))
