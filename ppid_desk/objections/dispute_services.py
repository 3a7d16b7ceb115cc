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
from ..web.formatting import long_date
from ..workcalendar.selectors import body_today, clock_rules
from ..workcalendar.services import deadline_calendar
from .dispute_selectors import (
    appeal_windows,
    court_case_of,
    dispute_of,
    dispute_window,
    final_decision,
    window_of,
)
from .lifecycle import COURT_CASE_COLUMNS, objection_event
from .models import (
    Appellant,
    Compliance,
    Court,
    CourtCase,
    CourtHearing,
    CourtOutcome,
    CourtTier,
    Dispute,
    DisputeLevel,
    DisputeStage,
    DisputeStageKind,
    KiDecision,
    Objection,
)

MAX_KI_NUMBER = 100
MAX_NOTE = 2000
MAX_OUTCOME = 4000
MAX_COURT_NAME = 200
MAX_PROOF = 200


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
        "Tanggal tidak boleh sebelum %(date)s, hari jangka waktu sengketa mulai.", date=long_date(opens_on)))
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
        "Tanggal tidak boleh sebelum sengketa diajukan (%(date)s).", date=long_date(dispute.filed_date)))
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


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _received(field: str, day: date | None, decided: date, *, required: bool = False) -> date | None:
    """A receipt date of a decision: not before the decision, not in the future."""
    if day is None:
        if required:
            raise FieldError(field, _("Isi tanggalnya."))
        return None
    return _past_day(field, day, not_before=decided, before_message=_(
        "Tanggal diterima tidak boleh sebelum tanggal putusan (%(date)s).", date=long_date(decided)))


def dispute_outcome_record(*, actor: User, dispute: Dispute, outcome: str | None,
                           outcome_date: date | None, ki_decision: str | None = None,
                           received_body: date | None = None,
                           received_applicant: date | None = None) -> Dispute:
    """The KI's decision: its words and date, what it decided (``KiDecision``) and the days the
    body and (if known) the applicant received it, from which the court window counts (Pasal
    48(1)). Recording it again corrects it; the event keeps what it replaced."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise FieldError("outcome", _("Tulis hasil atau putusan Komisi Informasi."))
    if len(outcome) > MAX_OUTCOME:
        raise FieldError("outcome", _("Paling banyak %(max)d karakter.", max=MAX_OUTCOME))
    if ki_decision is not None and ki_decision not in {kind.value for kind in KiDecision}:
        raise FieldError("ki_decision", _("Pilih isi putusan Komisi Informasi."))
    outcome_date = _past_day("outcome_date", outcome_date, not_before=dispute.filed_date, before_message=_(
        "Tanggal tidak boleh sebelum sengketa diajukan (%(date)s).", date=long_date(dispute.filed_date)))
    received_body = _received("received_body", received_body, outcome_date)
    received_applicant = _received("received_applicant", received_applicant, outcome_date)
    first = court_case_of(dispute, CourtTier.FIRST)
    if first is not None and (ki_decision == KiDecision.MEDIATION or first.filed_date < outcome_date):
        raise FieldError("outcome_date" if ki_decision != KiDecision.MEDIATION else "ki_decision", _(
            "Perkara di pengadilan sudah dicatat (diajukan %(date)s): putusan Komisi Informasi harus putusan "
            "ajudikasi dan diputus sebelum itu.", date=long_date(first.filed_date)))
    before = {"outcome": dispute.outcome, "outcome_date": _iso(dispute.outcome_date),
              "ki_decision": dispute.ki_decision, "ki_decision_received_body": _iso(dispute.ki_decision_received_body),
              "ki_decision_received_applicant": _iso(dispute.ki_decision_received_applicant)}
    dispute.outcome, dispute.outcome_date = outcome, outcome_date
    dispute.ki_decision = ki_decision
    dispute.ki_decision_received_body, dispute.ki_decision_received_applicant = received_body, received_applicant
    db.session.flush()
    windows = () if ki_decision in (None, KiDecision.MEDIATION) else appeal_windows(
        CourtTier.FIRST, received_body, received_applicant, deadline_calendar(), clock_rules())
    _log(actor=actor, actor_label=None, objection=dispute.objection, kind="dispute_outcome_recorded", data={
        "dispute_id": dispute.id, "outcome": outcome, "outcome_date": outcome_date.isoformat(),
        "ki_decision": ki_decision, "ki_decision_received_body": _iso(received_body),
        "ki_decision_received_applicant": _iso(received_applicant),
        "court_windows": {w.party: w.due.isoformat() for w in windows}, "before": before, "replaced": before})
    return dispute


# --- the court stage (UU KIP Pasal 47–50) ----------------------------------------------------------

def _decision_below(dispute: Dispute, tier: str) -> tuple[date, date | None, date | None]:
    """The decision a ``tier`` case is brought against: (its date, received by body, by applicant)."""
    if tier == CourtTier.FIRST:
        if dispute.ki_decision is None or dispute.outcome_date is None:
            raise DomainError(_("Catat dahulu putusan Komisi Informasi dan isinya."))
        if dispute.ki_decision == KiDecision.MEDIATION:
            raise DomainError(_("Kesepakatan mediasi bersifat final dan mengikat (Pasal 39 UU 14/2008): "
                                "tidak dapat diajukan ke pengadilan."))
        return dispute.outcome_date, dispute.ki_decision_received_body, dispute.ki_decision_received_applicant
    first = court_case_of(dispute, CourtTier.FIRST)
    if first is None or first.decision_date is None or first.outcome is None:
        raise DomainError(_("Kasasi baru dapat dicatat setelah putusan PTUN atau Pengadilan Negeri dicatat."))
    return first.decision_date, first.decision_received_body, first.decision_received_applicant


def _text(field: str, value: str | None, limit: int, *, required_message: str | None = None) -> str | None:
    value = (value or "").strip() or None
    if value is None and required_message:
        raise FieldError(field, required_message)
    if value and len(value) > limit:
        raise FieldError(field, _("Paling banyak %(max)d karakter.", max=limit))
    return value


def _case_values(case: CourtCase) -> dict:
    return {column: _iso(value) if isinstance(value, date) else value
            for column, value in ((c, getattr(case, c)) for c in COURT_CASE_COLUMNS)}


def dispute_court_case_record(*, actor: User, dispute: Dispute, tier: str, appellant: str | None,
                              court: str | None, court_name: str | None, case_number: str | None,
                              filed_date: date | None) -> CourtCase:
    """Record (or correct) that a party took the decision below to court: the PTUN or PN against
    the KI's adjudication decision (Pasal 47–48), or kasasi at the Mahkamah Agung (Pasal 50).
    The filing window of the appellant is logged with the filing, and whether it was after it."""
    if tier not in {t.value for t in CourtTier}:
        raise DomainError(_("Tingkat pengadilan tidak dikenal."))
    decided, received_body, received_applicant = _decision_below(dispute, tier)
    if appellant not in {a.value for a in Appellant}:
        raise FieldError("appellant", _("Pilih pihak yang mengajukan."))
    if tier == CourtTier.CASSATION:
        court, court_name = Court.MA.value, _text("court_name", court_name, MAX_COURT_NAME) or "Mahkamah Agung"
    else:
        if court not in (Court.PTUN.value, Court.PN.value):
            raise FieldError("court", _("Pilih PTUN (badan publik negara) atau Pengadilan Negeri (badan publik "
                                        "selain badan publik negara)."))
        court_name = _text("court_name", court_name, MAX_COURT_NAME,
                           required_message=_("Tulis nama pengadilannya, misalnya PTUN Bandung."))
    case_number = _text("case_number", case_number, MAX_KI_NUMBER)
    filed_date = _past_day("filed_date", filed_date, not_before=decided, before_message=_(
        "Tanggal tidak boleh sebelum tanggal putusan yang diajukan (%(date)s).", date=long_date(decided)))
    case = court_case_of(dispute, tier)
    if case is not None and case.decision_date is not None and filed_date > case.decision_date:
        raise FieldError("filed_date", _("Tanggal tidak boleh sesudah putusan pengadilan ini (%(date)s).",
                                         date=long_date(case.decision_date)))
    windows = appeal_windows(tier, received_body, received_applicant, deadline_calendar(), clock_rules())
    window = window_of(windows, appellant)
    created = case is None
    before = None if created else _case_values(case)
    if created:
        case = CourtCase(dispute_id=dispute.id, tier=tier, recorded_by_id=actor.id)
        db.session.add(case)
    case.appellant, case.court, case.court_name = appellant, court, court_name
    case.case_number, case.filed_date = case_number, filed_date
    db.session.flush()
    db.session.refresh(dispute, ["court_cases"])
    _log(actor=actor, actor_label=None, objection=dispute.objection, kind="dispute_court_filed", data={
        "dispute_id": dispute.id, "court_case_id": case.id, "tier": tier, "appellant": appellant, "court": court,
        "court_name": court_name, "case_number": case_number, "filed_date": filed_date.isoformat(),
        "window_from": _iso(window.received) if window else None, "window_due": _iso(window.due) if window else None,
        "window_assumed": window.assumed if window else None,
        "late": (filed_date > window.due) if window else None, "replaced": before})
    return case


def dispute_court_decision_record(*, actor: User, dispute: Dispute, tier: str, decision_date: date | None,
                                  outcome: str | None, outcome_note: str | None, received_body: date | None,
                                  received_applicant: date | None) -> CourtCase:
    """Record (or correct) a court's decision: its date, what it decided, the days the parties
    received it (the kasasi window counts from them)."""
    case = court_case_of(dispute, tier)
    if case is None:
        raise DomainError(_("Catat dahulu perkara di pengadilan ini."))
    if outcome not in {o.value for o in CourtOutcome}:
        raise FieldError("outcome", _("Pilih isi putusan pengadilan."))
    outcome_note = _text("outcome_note", outcome_note, MAX_OUTCOME)
    decision_date = _past_day("decision_date", decision_date, not_before=case.filed_date, before_message=_(
        "Tanggal tidak boleh sebelum perkara diajukan (%(date)s).", date=long_date(case.filed_date)))
    received_body = _received("received_body", received_body, decision_date)
    received_applicant = _received("received_applicant", received_applicant, decision_date)
    cassation = court_case_of(dispute, CourtTier.CASSATION) if tier == CourtTier.FIRST else None
    if cassation is not None and cassation.filed_date < decision_date:
        raise FieldError("decision_date", _("Kasasi sudah dicatat (diajukan %(date)s): putusan ini harus sebelum itu.",
                                            date=long_date(cassation.filed_date)))
    before = _case_values(case)
    case.decision_date, case.outcome, case.outcome_note = decision_date, outcome, outcome_note
    case.decision_received_body, case.decision_received_applicant = received_body, received_applicant
    db.session.flush()
    windows = () if tier == CourtTier.CASSATION else appeal_windows(
        CourtTier.CASSATION, received_body, received_applicant, deadline_calendar(), clock_rules())
    _log(actor=actor, actor_label=None, objection=dispute.objection, kind="dispute_court_decided", data={
        "dispute_id": dispute.id, "court_case_id": case.id, "tier": tier, "decision_date": decision_date.isoformat(),
        "outcome": outcome, "outcome_note": outcome_note, "decision_received_body": _iso(received_body),
        "decision_received_applicant": _iso(received_applicant),
        "cassation_windows": {w.party: w.due.isoformat() for w in windows}, "replaced": before})
    return case


def dispute_court_hearing_add(*, actor: User, dispute: Dispute, tier: str, hearing_date: date | None,
                              note: str | None) -> CourtHearing:
    """A hearing (sidang) or other stage of a court case, with its date."""
    case = court_case_of(dispute, tier)
    if case is None:
        raise DomainError(_("Catat dahulu perkara di pengadilan ini."))
    hearing_date = _past_day("hearing_date", hearing_date, not_before=case.filed_date, before_message=_(
        "Tanggal tidak boleh sebelum perkara diajukan (%(date)s).", date=long_date(case.filed_date)))
    note = _text("note", note, MAX_NOTE)
    row = CourtHearing(court_case_id=case.id, hearing_date=hearing_date, note=note, recorded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    db.session.refresh(case, ["hearings"])
    _log(actor=actor, actor_label=None, objection=dispute.objection, kind="dispute_court_hearing_added", data={
        "dispute_id": dispute.id, "court_case_id": case.id, "tier": tier, "hearing_id": row.id,
        "hearing_date": hearing_date.isoformat(), "note": note})
    return row


def dispute_compliance_record(*, actor: User, dispute: Dispute, compliance: str | None,
                              compliance_date: date | None, note: str | None, proof: str | None) -> Dispute:
    """Whether and when the body complied with the final decision, and what it did. Only once a
    decision is final; recording again corrects it (the event keeps what it replaced)."""
    final = final_decision(dispute, deadline_calendar(), body_today(), clock_rules())
    if final is None:
        raise DomainError(_("Belum ada putusan yang berkekuatan hukum tetap: kepatuhan dicatat setelah putusan "
                            "akhir."))
    if compliance not in {c.value for c in Compliance}:
        raise FieldError("compliance", _("Pilih apakah badan publik sudah melaksanakan putusan."))
    compliance_date = _past_day("compliance_date", compliance_date, not_before=final.decision_date, before_message=_(
        "Tanggal tidak boleh sebelum putusan akhir (%(date)s).", date=long_date(final.decision_date)))
    note = _text("compliance_note", note, MAX_OUTCOME, required_message=_(
        "Tulis apa yang dilakukan (misalnya informasi yang diberikan), atau mengapa belum dilaksanakan."))
    proof = _text("compliance_proof", proof, MAX_PROOF)
    before = {"compliance": dispute.compliance, "compliance_date": _iso(dispute.compliance_date),
              "compliance_note": dispute.compliance_note, "compliance_proof": dispute.compliance_proof}
    dispute.compliance, dispute.compliance_date = compliance, compliance_date
    dispute.compliance_note, dispute.compliance_proof = note, proof
    db.session.flush()
    _log(actor=actor, actor_label=None, objection=dispute.objection, kind="dispute_compliance_recorded", data={
        "dispute_id": dispute.id, "compliance": compliance, "compliance_date": compliance_date.isoformat(),
        "compliance_note": note, "compliance_proof": proof, "final_level": final.level,
        "final_decision_date": final.decision_date.isoformat(), "final_on": final.final_on.isoformat(),
        "replaced": before})
    return dispute
