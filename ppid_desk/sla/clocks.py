"""Statutory clocks of UU 14/2008 (KIP): when each one falls due, and how it reads today.

Every function takes the calendar, the rules and (where relevant) `today` as arguments;
nothing here reads the system clock. Deadlines are local dates in the body's time zone;
`end_of_day` turns one into the exact instant it expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from .workdays import WorkingCalendar

__all__ = [
    "ClockReading",
    "ClockRules",
    "ClockState",
    "cassation_filing_due",
    "court_filing_due",
    "completion_due",
    "dispute_filing_due",
    "end_of_day",
    "extended_notice_due",
    "ki_finish_due",
    "ki_start_due",
    "local_receipt_date",
    "notice_due",
    "objection_filing_due",
    "objection_response_due",
    "read_clock",
    "unit_task_due",
]


@dataclass(frozen=True)
class ClockRules:
    """Statutory lengths in working days (UU KIP defaults), all configurable."""

    notice_wd: int = 10  # Pasal 22(7): written notice (pemberitahuan tertulis)
    extension_wd: int = 7  # Pasal 22(8): one extension (perpanjangan)
    objection_filing_wd: int = 30  # Pasal 36(1): filing an objection (keberatan)
    objection_response_wd: int = 30  # Pasal 36(2): response of the Atasan PPID
    dispute_filing_wd: int = 14  # Pasal 37(2): filing a dispute (sengketa) with the KI
    ki_start_wd: int = 14  # Pasal 38: KI starts settlement
    ki_finish_wd: int = 100  # Pasal 38: KI finishes settlement
    court_filing_wd: int = 14  # Pasal 48(1): going to the PTUN/PN after the KI's decision
    cassation_filing_days: int = 14  # Pasal 50: kasasi to the MA; CALENDAR days ("14 hari")
    unit_buffer_wd: int = 3  # internal: unit task due = statutory due minus this buffer
    completion_wd: int = 10  # setting (not in UU KIP): the applicant completes an incomplete request
    cutoff: time | None = None  # optional daily cut-off for receipts (default off)


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def local_receipt_date(
    received_at: datetime, tz: str | ZoneInfo, rules: ClockRules, cal: WorkingCalendar
) -> date:
    """The receipt date D in the body's time zone, from which clocks count (day 0).

    With a daily cut-off set, a receipt later than the cut-off is deemed received on the
    next working day, and so is any receipt on a non-working day: otherwise a Friday-evening
    receipt would get a later deadline than one on the Saturday after it.
    """
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ValueError("received_at must be timezone-aware")
    local = received_at.astimezone(_zone(tz))
    day = local.date()
    if rules.cutoff is not None and (
        local.time() > rules.cutoff or not cal.is_working_day(day)
    ):
        return cal.next_working_day(day)
    return day


def notice_due(receipt_date: date, cal: WorkingCalendar, rules: ClockRules) -> date:
    """Due date of the written notice (pemberitahuan tertulis), Pasal 22(7)."""
    return cal.add_working_days(receipt_date, rules.notice_wd)


def extended_notice_due(original_due: date, cal: WorkingCalendar, rules: ClockRules) -> date:
    """Due date after the one extension (perpanjangan), from the original due, Pasal 22(8)."""
    return cal.add_working_days(original_due, rules.extension_wd)


def completion_due(marked_on: date, cal: WorkingCalendar, rules: ClockRules) -> date:
    """Last day for the applicant to complete a request the desk found incomplete (belum lengkap).

    Counted like every clock: the day the incomplete-notice letter is issued is day 0, the first
    working day after it is day 1, and the period ends with the ``completion_wd``-th working day.
    The law sets no such period (KIP §2: a setting); after it the desk may close the request as
    not completed (tidak dilengkapi), an administrative end, never a breach.
    """
    return cal.add_working_days(marked_on, rules.completion_wd)


def unit_task_due(
    statutory_due: date, routed_on: date, cal: WorkingCalendar, rules: ClockRules
) -> date:
    """Internal due date of a unit's task: `unit_buffer_wd` working days before the statutory due.

    Never earlier than the first working day after routing, so a late-routed unit always
    gets at least one working day (even if that falls after the statutory due).
    """
    due = statutory_due
    for _ in range(rules.unit_buffer_wd):
        due = cal.previous_working_day(due)
    return max(due, cal.next_working_day(routed_on))


def objection_filing_due(ground_date: date, cal: WorkingCalendar, rules: ClockRules) -> date:
    """Last day to file an objection (keberatan), from the day its ground arose, Pasal 36(1)."""
    return cal.add_working_days(ground_date, rules.objection_filing_wd)


def objection_response_due(objection_date: date, cal: WorkingCalendar, rules: ClockRules) -> date:
    """Due date of the Atasan PPID's response to an objection (keberatan), Pasal 36(2)."""
    return cal.add_working_days(objection_date, rules.objection_response_wd)


def dispute_filing_due(
    atasan_response_date: date, cal: WorkingCalendar, rules: ClockRules
) -> date:
    """Last day to file a dispute (sengketa) with the Komisi Informasi, Pasal 37(2)."""
    return cal.add_working_days(atasan_response_date, rules.dispute_filing_wd)


def ki_start_due(dispute_date: date, cal: WorkingCalendar, rules: ClockRules) -> date:
    """Tracked date by which the Komisi Informasi should start settlement, Pasal 38."""
    return cal.add_working_days(dispute_date, rules.ki_start_wd)


def ki_finish_due(dispute_date: date, cal: WorkingCalendar, rules: ClockRules) -> date:
    """Tracked date by which the Komisi Informasi should finish settlement, Pasal 38."""
    return cal.add_working_days(dispute_date, rules.ki_finish_wd)


def court_filing_due(decision_received: date, cal: WorkingCalendar, rules: ClockRules) -> date:
    """Last day to go to the PTUN (state body) or PN (other bodies) against the KI's adjudication
    decision: 14 working days after the party received it, UU KIP Pasal 47–48(1)."""
    return cal.add_working_days(decision_received, rules.court_filing_wd)


def cassation_filing_due(decision_received: date, rules: ClockRules) -> date:
    """Last day to file kasasi at the Mahkamah Agung against the PTUN/PN decision, UU KIP Pasal 50.

    Pasal 50 reads "paling lambat dalam waktu 14 (empat belas) hari sejak diterimanya putusan":
    days, not working days (Pasal 48(1) says "hari kerja" where it means them), so these are
    calendar days counted from the day after receipt. A last day on a weekend or holiday is
    not moved: the text gives no such rule.
    """
    return decision_received + timedelta(days=rules.cassation_filing_days)


def end_of_day(day: date, tz: str | ZoneInfo) -> datetime:
    """The instant a deadline on `day` expires: 23:59:59.999999 in the body's zone, in UTC."""
    return datetime.combine(day, time.max, tzinfo=_zone(tz)).astimezone(UTC)


class ClockState(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    STOPPED = "stopped"


@dataclass(frozen=True)
class ClockReading:
    """A clock read on one day.

    working_days_left: > 0 working days left (in (today, due]); 0 due today;
    < 0 working days overdue (in (due, today]).
    """

    state: ClockState
    working_days_left: int


def _signed_left(due: date, on: date, cal: WorkingCalendar) -> int:
    """Working days left from `on` until `due`; after the due it is at least one day overdue.

    A day past the due is overdue even when no working day lies in (due, on] (e.g. the
    weekend right after a Friday due), so it reads -1, never -0.
    """
    if on > due:
        return -max(1, cal.working_days_between(due, on))
    return cal.working_days_between(on, due)


def read_clock(
    due: date,
    today: date,
    cal: WorkingCalendar,
    *,
    stopped_on: date | None = None,
    due_soon_wd: int = 2,
) -> ClockReading:
    """Read a clock at `today` (derived at read time, never stored).

    A stopped clock reports the working days it had left when stopped (negative if late).
    DUE_SOON means 1..due_soon_wd working days left. If `today` is before a due that is
    itself not a working day and no working day lies between, it reads DUE_TODAY (0).
    """
    if stopped_on is not None:
        return ClockReading(ClockState.STOPPED, _signed_left(due, stopped_on, cal))
    left = _signed_left(due, today, cal)
    if today > due:
        state = ClockState.OVERDUE
    elif left == 0:
        state = ClockState.DUE_TODAY
    elif left <= due_soon_wd:
        state = ClockState.DUE_SOON
    else:
        state = ClockState.ON_TRACK
    return ClockReading(state, left)
