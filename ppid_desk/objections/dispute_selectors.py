"""Reads of disputes (sengketa informasi) at the Komisi Informasi: the 14-WD window after an
objection, the dispute of an objection, the KI's start and finish clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..sla import (
    ClockReading,
    ClockRules,
    WorkingCalendar,
    dispute_filing_due,
)
from ..sla import read_clock as _read_clock
from ..workcalendar.selectors import clock_rules, local_date
from .models import (
    Dispute,
    DisputeStageKind,
    Objection,
    ObjectionStatus,
)


def dispute_window(objection: Objection, calendar: WorkingCalendar, today: date,
                   rules: ClockRules | None = None) -> tuple[date, date] | None:
    """The 14-WD window to take the objection to the KI (Pasal 37(2)): ``(opens_on, due)``.

    It opens on the day of the Atasan's response (its local date), or, when none came, on the
    day after ``response_due`` once that day has passed ("lapse"). ``None`` while neither holds.
    """
    rules = rules or clock_rules()
    if objection.status == ObjectionStatus.WITHDRAWN:
        return None
    if objection.responded_at is not None:
        responded_on = local_date(objection.responded_at)
        return responded_on, dispute_filing_due(responded_on, calendar, rules)
    if today > objection.response_due:
        return objection.response_due + timedelta(days=1), dispute_filing_due(objection.response_due, calendar, rules)
    return None


def window_lapsed(objection: Objection) -> bool:
    """Whether the window opened because the Atasan did not respond in time."""
    return objection.responded_at is None


def dispute_of(objection: Objection) -> Dispute | None:
    return db.session.scalar(select(Dispute).where(Dispute.objection_id == objection.id))


@dataclass(frozen=True)
class KiClocks:
    start: ClockReading
    finish: ClockReading


def ki_clocks(dispute: Dispute, calendar: WorkingCalendar, today: date, due_soon_wd: int = 2) -> KiClocks:
    """The KI's start (14 WD) and finish (100 WD) clocks, read today. A recorded stage after
    registration stops the start clock; a recorded outcome stops both."""
    started = next((s.stage_date for s in dispute.stages if s.stage != DisputeStageKind.REGISTRATION), None)
    finished = dispute.outcome_date
    return KiClocks(
        start=_read_clock(dispute.ki_start_due, today, calendar, stopped_on=started or finished,
                          due_soon_wd=due_soon_wd),
        finish=_read_clock(dispute.ki_finish_due, today, calendar, stopped_on=finished, due_soon_wd=due_soon_wd),
    )
