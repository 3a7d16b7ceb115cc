"""Working-day calendar: which days count, and how N working days are counted.

Working days are Monday–Friday minus the active closures of the year: libur nasional,
cuti bersama (non-working by default, configurable) and local closures. Closures are
data supplied by a loader, never code; the loader is called lazily, once per year.

Counting convention (DESIGN §5): for a receipt on date D, day 1 is the first working day
after D, whether or not D itself is a working day; "N working days" is the N-th such day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "ClosedDay",
    "ClosureKind",
    "ExplainedDay",
    "Explanation",
    "NoWorkingDayError",
    "WorkingCalendar",
    "YearLoader",
]

# More consecutive non-working days than this means the calendar data is broken.
MAX_CLOSED_RUN = 366

_ONE_DAY = timedelta(days=1)
_WEEKEND_NAMES = {5: "Sabtu", 6: "Minggu"}


class ClosureKind(StrEnum):
    """Why a day is not a working day."""

    WEEKEND = "weekend"
    LIBUR_NASIONAL = "libur_nasional"
    CUTI_BERSAMA = "cuti_bersama"
    LOCAL_CLOSURE = "local_closure"

    @property
    def label(self) -> str:
        """Plain English label, keeping the Indonesian legal terms."""
        return self.value.replace("_", " ")


_KIND_ORDER = {kind: i for i, kind in enumerate(ClosureKind)}


@dataclass(frozen=True)
class ClosedDay:
    """One reason a day is closed, e.g. a libur nasional with its name."""

    day: date
    kind: ClosureKind
    name: str


YearLoader = Callable[[int], Iterable[ClosedDay]]
"""Returns one year's active closures (libur nasional, cuti bersama, local; never weekends)."""


class NoWorkingDayError(RuntimeError):
    """Raised when no working day exists within MAX_CLOSED_RUN days: the calendar data is broken."""


@dataclass(frozen=True)
class ExplainedDay:
    """One calendar day of a count: counted (1..n) or skipped with its reasons."""

    day: date
    count: int | None
    reasons: tuple[ClosedDay, ...] = ()

    @property
    def counted(self) -> bool:
        return self.count is not None


@dataclass(frozen=True)
class Explanation:
    """The day-by-day count behind a deadline, from start (day 0) to due."""

    start: date
    n: int
    due: date
    days: tuple[ExplainedDay, ...]
    # The date the app stored for this deadline, when the caller gives it. A count on today's
    # calendar that ends elsewhere (the calendar changed after the date was stored and it was
    # not recounted, e.g. a row kept from a historical register) must not be shown as its reason.
    stored: date | None = None

    @property
    def agrees(self) -> bool:
        """The count ends on the stored date (or no stored date was given)."""
        return self.stored is None or self.stored == self.due

    @property
    def skipped(self) -> tuple[ExplainedDay, ...]:
        return tuple(d for d in self.days if d.count is None)

    def lines(self) -> list[str]:
        """Plain English text, one line per day (the UI renders its own text from `days`)."""
        out = [f"{self.start.isoformat()} {self.start:%a}  received (day 0)"]
        for d in self.days:
            prefix = f"{d.day.isoformat()} {d.day:%a}  "
            if d.count is not None:
                out.append(f"{prefix}day {d.count}" + (" (due)" if d.day == self.due else ""))
            else:
                why = "; ".join(f"{r.kind.label} ({r.name})" for r in d.reasons)
                out.append(f"{prefix}skipped: {why}")
        return out


def _weekdays_between(a: date, b: date) -> int:
    """Monday–Friday days in (a, b], for a <= b."""
    days = (b - a).days
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    weekday = a.weekday()
    for offset in range(1, rest + 1):
        if (weekday + offset) % 7 < 5:
            count += 1
    return count


class WorkingCalendar:
    """Working-day arithmetic over closures supplied per year by `loader`.

    The loader is called lazily, at most once per year per instance, the first time a
    computation touches that year (so a never-imported year can be imported on demand).
    With ``cuti_bersama_non_working=False`` cuti bersama rows are ignored.
    """

    def __init__(self, loader: YearLoader, *, cuti_bersama_non_working: bool = True) -> None:
        self._loader = loader
        self.cuti_bersama_non_working = cuti_bersama_non_working
        self._years: dict[int, dict[date, tuple[ClosedDay, ...]]] = {}

    # -- data ---------------------------------------------------------------------------

    def _year(self, year: int) -> dict[date, tuple[ClosedDay, ...]]:
        """Active closures of `year` keyed by day, loading the year on first use."""
        if year not in self._years:
            by_day: dict[date, list[ClosedDay]] = {}
            for row in self._loader(year):
                if row.day.year != year:
                    raise ValueError(f"loader for {year} returned a closure on {row.day}")
                if row.kind is ClosureKind.WEEKEND:
                    raise ValueError(f"loader returned a weekend row for {row.day}")
                if row.kind is ClosureKind.CUTI_BERSAMA and not self.cuti_bersama_non_working:
                    continue
                by_day.setdefault(row.day, []).append(row)
            self._years[year] = {
                day: tuple(sorted(rows, key=lambda r: _KIND_ORDER[r.kind]))
                for day, rows in by_day.items()
            }
        return self._years[year]

    def _holidays_on(self, day: date) -> tuple[ClosedDay, ...]:
        return self._year(day.year).get(day, ())

    # -- single days ----------------------------------------------------------------------

    def closures_on(self, day: date) -> list[ClosedDay]:
        """Every reason `day` is not a working day (weekend first); [] for a working day."""
        reasons: list[ClosedDay] = []
        if day.weekday() in _WEEKEND_NAMES:
            reasons.append(ClosedDay(day, ClosureKind.WEEKEND, _WEEKEND_NAMES[day.weekday()]))
        reasons.extend(self._holidays_on(day))
        return reasons

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in _WEEKEND_NAMES and not self._holidays_on(day)

    def next_working_day(self, day: date) -> date:
        """First working day strictly after `day`."""
        current = day
        for _ in range(MAX_CLOSED_RUN):
            current += _ONE_DAY
            if self.is_working_day(current):
                return current
        raise NoWorkingDayError(f"no working day within {MAX_CLOSED_RUN} days after {day}")

    def previous_working_day(self, day: date) -> date:
        """Last working day strictly before `day`."""
        current = day
        for _ in range(MAX_CLOSED_RUN):
            current -= _ONE_DAY
            if self.is_working_day(current):
                return current
        raise NoWorkingDayError(f"no working day within {MAX_CLOSED_RUN} days before {day}")

    # -- counting -------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (day 1 = first working day after start)."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        due = start
        for _ in range(n):
            due = self.next_working_day(due)
        return due

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative (minus those in (b, a]) when b < a."""
        if b < a:
            return -self.working_days_between(b, a)
        # Weekdays counted arithmetically, minus the closed weekdays: constant in the span's
        # length, so a request overdue for years costs as little as one due tomorrow.
        closed = {c.day for c in self.closures_in(a + _ONE_DAY, b, weekdays_only=True)}
        return _weekdays_between(a, b) - len(closed)

    def explain(self, start: date, n: int, *, stored: date | None = None) -> Explanation:
        """The day-by-day count behind ``add_working_days(start, n)``; ``stored``: the date kept
        for this deadline, which the explanation must agree with (``Explanation.agrees``)."""
        due = self.add_working_days(start, n)
        days: list[ExplainedDay] = []
        count = 0
        current = start
        while current < due:
            current += _ONE_DAY
            reasons = self.closures_on(current)
            if reasons:
                days.append(ExplainedDay(current, None, tuple(reasons)))
            else:
                count += 1
                days.append(ExplainedDay(current, count))
        return Explanation(start=start, n=n, due=due, days=tuple(days), stored=stored)

    def closures_in(
        self, start: date, end: date, *, weekdays_only: bool = False
    ) -> list[ClosedDay]:
        """Active non-weekend closures in [start, end], sorted by day.

        Holidays falling on a weekend are included unless ``weekdays_only`` is set.
        """
        found: list[ClosedDay] = []
        for year in range(start.year, end.year + 1):
            for day, rows in self._year(year).items():
                if start <= day <= end and not (weekdays_only and day.weekday() in _WEEKEND_NAMES):
                    found.extend(rows)
        found.sort(key=lambda r: (r.day, _KIND_ORDER[r.kind]))
        return found
