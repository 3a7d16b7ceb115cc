"""Disputes (sengketa informasi) at the Komisi Informasi: the 14-WD window after an objection,
the record that the applicant filed, and the KI's number, stages and outcome (tracked, not run).

Selectors read windows and clocks; services validate, write, log on both timelines and flush.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ..accounts.models import User
from ..errors import DomainError, FieldError
from ..extensions import db
from ..requests.lifecycle import request_event
from ..sla import (
    ki_finish_due,
    ki_start_due,
)
from ..workcalendar.selectors import body_today, clock_rules
from ..workcalendar.services import deadline_calendar
from .dispute_selectors import dispute_of, dispute_window
from .lifecycle import objection_event
from .models import (
    Dispute,
    DisputeLevel,
    DisputeStage,
    DisputeStageKind,
    Objection,
)

MAX_KI_NUMBER = 100
MAX_NOTE = 2000
MAX_OUTCOME = 4000


# --- services ---------------------------------------------------------------------------------

def _log(*, actor: User | None, actor_label: str | None, objection: Objection, kind: str, data: dict) -> None:
    """One step on both timelines: the request's (the funnel) and the objection's own."""
    payload = {"objection_id": objection.id, "objection_number": objection.number, **data}
    request_event(actor=actor, actor_label=actor_label, item=objection.request, kind=kind, data=payload)
    objection_event(actor=actor, actor_label=actor_label, objection=objection, kind=kind, data=payload)


def _past_day(field: str, day: date | None, *, not_before: date, before_message: str) -> date:
    if day is None:
        raise FieldError(field, _("Isi tanggalnya."))
    if day > body_today():
        raise FieldError(field, _("Tanggal tidak boleh di masa depan."))
    if day < not_before:
        raise FieldError(field, before_message)
    return day


def dispute_record(*, actor: User | None, objection: Objection, level: str, filed_date: date | None,
                   ki_number: str | None = None, actor_label: str | None = None,
                   by: str = "applicant") -> Dispute:
    """Record that the dispute was filed with the KI (by the applicant, or by staff for them)."""
    if dispute_of(objection) is not None:
        raise DomainError(_("Sengketa untuk keberatan ini sudah dicatat."))
    calendar_rules = clock_rules()
    calendar = deadline_calendar()
    window = dispute_window(objection, calendar, body_today(), calendar_rules)
    if window is None:
        raise DomainError(_("Sengketa baru dapat diajukan setelah Atasan PPID menanggapi keberatan "
                            "atau setelah batas tanggapan lewat."))
    opens_on, due = window
    if level not in {lv.value for lv in DisputeLevel}:
        raise FieldError("level", _("Pilih Komisi Informasi tempat sengketa diajukan."))
    filed_date = _past_day("filed_date", filed_date, not_before=opens_on, before_message=_(
        "Tanggal tidak boleh sebelum %(date)s, hari jangka waktu sengketa mulai.", date=opens_on.strftime("%d/%m/%Y")))
    ki_number = (ki_number or "").strip() or None
    if ki_number and len(ki_number) > MAX_KI_NUMBER:
        raise FieldError("ki_number", _("Paling banyak %(max)d karakter.", max=MAX_KI_NUMBER))
    dispute = Dispute(
        objection_id=objection.id, request_id=objection.request_id, level=level, ki_number=ki_number,
        filed_date=filed_date, recorded_by_id=actor.id if actor else None,
        ki_start_due=ki_start_due(filed_date, calendar, calendar_rules),
        ki_finish_due=ki_finish_due(filed_date, calendar, calendar_rules),
    )
    db.session.add(dispute)
    db.session.flush()
    _log(actor=actor, actor_label=actor_label, objection=objection, kind="dispute_recorded", data={
        "dispute_id": dispute.id, "level": level, "filed_date": filed_date.isoformat(), "ki_number": ki_number,
        "window_opens": opens_on.isoformat(), "window_due": due.isoformat() if due else None,
        "late": due is not None and filed_date > due,  # never late while the response's receipt is unknown
        "ki_start_due": dispute.ki_start_due.isoformat(), "ki_finish_due": dispute.ki_finish_due.isoformat(),
        "by": by})
    return dispute


def dispute_ki_number_set(*, actor: User, dispute: Dispute, ki_number: str | None) -> Dispute:
    ki_number = (ki_number or "").strip()
    if not ki_number:
        raise FieldError("ki_number", _("Isi nomor registrasi dari Komisi Informasi."))
    if len(ki_number) > MAX_KI_NUMBER:
        raise FieldError("ki_number", _("Paling banyak %(max)d karakter.", max=MAX_KI_NUMBER))
    before = dispute.ki_number
    dispute.ki_number = ki_number
    db.session.flush()
    _log(actor=actor, actor_label=None, objection=dispute.objection, kind="dispute_number_set",
         data={"dispute_id": dispute.id, "before": before, "ki_number": ki_number})
    return dispute


def dispute_stage_add(*, actor: User, dispute: Dispute, stage: str, stage_date: date | None,
                      note: str | None) -> DisputeStage:
    if stage not in {kind.value for kind in DisputeStageKind}:
        raise FieldError("stage", _("Pilih tahap sengketa."))
    stage_date = _past_day("stage_date", stage_date, not_before=dispute.filed_date, before_message=_(
        "Tanggal tidak boleh sebelum sengketa diajukan (%(date)s).", date=dispute.filed_date.strftime("%d/%m/%Y")))
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise FieldError("note", _("Paling banyak %(max)d karakter.", max=MAX_NOTE))
    row = DisputeStage(dispute_id=dispute.id, stage=stage, stage_date=stage_date, note=note,
                       recorded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    db.session.refresh(dispute, ["stages"])
    _log(actor=actor, actor_label=None, objection=dispute.objection, kind="dispute_stage_added", data={
        "dispute_id": dispute.id, "stage_id": row.id, "stage": stage, "stage_date": stage_date.isoformat(),
        "note": note})
    return row


def dispute_outcome_record(*, actor: User, dispute: Dispute, outcome: str | None,
                           outcome_date: date | None) -> Dispute:
    outcome = (outcome or "").strip()
    if not outcome:
        raise FieldError("outcome", _("Tulis hasil atau putusan Komisi Informasi."))
    if len(outcome) > MAX_OUTCOME:
        raise FieldError("outcome", _("Paling banyak %(max)d karakter.", max=MAX_OUTCOME))
    outcome_date = _past_day("outcome_date", outcome_date, not_before=dispute.filed_date, before_message=_(
        "Tanggal tidak boleh sebelum sengketa diajukan (%(date)s).", date=dispute.filed_date.strftime("%d/%m/%Y")))
    before = {"outcome": dispute.outcome,
              "outcome_date": dispute.outcome_date.isoformat() if dispute.outcome_date else None}
    dispute.outcome, dispute.outcome_date = outcome, outcome_date
    db.session.flush()
    _log(actor=actor, actor_label=None, objection=dispute.objection, kind="dispute_outcome_recorded", data={
        "dispute_id": dispute.id, "outcome": outcome, "outcome_date": outcome_date.isoformat(), "before": before})
    return dispute
