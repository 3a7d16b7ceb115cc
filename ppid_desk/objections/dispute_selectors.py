"""Reads of disputes (sengketa informasi) at the Komisi Informasi: the 14-WD window after an
objection, the dispute of an objection, the KI's start and finish clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..notices.models import RECEIVED_WHEN_ISSUED
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


def response_received_on(objection: Objection) -> date | None:
    """The day the applicant received the Atasan's response: the day recorded (post, courier), or
    the day it was issued (e-mail, hand-over, and responses issued before the way was recorded).
    None when there is no response yet, or its receipt by post or courier is not recorded yet."""
    if objection.responded_at is None:
        return None
    if objection.response_received_on is not None:
        return objection.response_received_on
    if objection.response_sent_via is None or objection.response_sent_via in RECEIVED_WHEN_ISSUED:
        return local_date(objection.responded_at)
    return None


def dispute_window(objection: Objection, calendar: WorkingCalendar, today: date,
                   rules: ClockRules | None = None) -> tuple[date, date | None] | None:
    """The 14-WD window to take the objection to the KI (Pasal 37(2)): ``(opens_on, due)``.

    It counts from the day the applicant RECEIVED the Atasan's response (``response_received_on``),
    or, when none came, from ``response_due`` once that day has passed ("lapse": it opens the day
    after). A response sent by post or courier whose receipt is not recorded yet gives
    ``(the day it was issued, None)``: a dispute may be recorded, its end is not known yet, and
    it is never late. ``None`` while neither a response nor a lapse has happened.
    """
    rules = rules or clock_rules()
    if objection.status == ObjectionStatus.WITHDRAWN:
        return None
    if objection.responded_at is not None:
        received = response_received_on(objection)
        if received is None:
            return local_date(objection.responded_at), None
        return received, dispute_filing_due(received, calendar, rules)
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
