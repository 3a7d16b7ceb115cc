"""Reads of disputes (sengketa informasi) at the Komisi Informasi: the 14-WD window after an
objection, the dispute of an objection, the KI's start and finish clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from ..extensions import db
from ..notices.models import RECEIVED_WHEN_ISSUED
from ..sla import (
    ClockReading,
    ClockRules,
    Explanation,
    WorkingCalendar,
    cassation_filing_due,
    court_filing_due,
    dispute_filing_due,
)
from ..sla import read_clock as _read_clock
from ..web.formatting import long_date as day_text
from ..workcalendar.selectors import clock_rules, local_date
from .models import (
    Appellant,
    Compliance,
    CourtCase,
    CourtOutcome,
    CourtTier,
    Dispute,
    DisputeStageKind,
    KiDecision,
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


# --- after the KI: the court stage, the final decision (UU KIP Pasal 47–50) -------------------------

APPLICANT_FAVOUR = frozenset({KiDecision.GRANTED_FULL, KiDecision.GRANTED_PARTIAL, KiDecision.MEDIATION})


@dataclass(frozen=True)
class FilingWindow:
    """One party's window to take a decision to the next court, counted from its receipt.

    ``assumed``: the applicant's receipt is not known, so the body's receipt is taken (the
    Commission and the courts send their decisions to both parties). ``working_days``: the
    PTUN/PN window counts working days (Pasal 48(1)); kasasi counts calendar days (Pasal 50)."""

    party: str  # Appellant
    received: date
    due: date
    n: int
    working_days: bool
    assumed: bool = False

    def state(self, today: date, filed: date | None) -> str:
        """"open", "due_today", "passed" (nobody filed), "used" (filed on time) or "late"."""
        if filed is not None:
            return "late" if filed > self.due else "used"
        if today > self.due:
            return "passed"
        return "due_today" if today == self.due else "open"

    def days_left(self, today: date, calendar: WorkingCalendar) -> int:
        if self.working_days:
            return calendar.working_days_between(today, self.due)
        return (self.due - today).days


def appeal_windows(tier: str, received_body: date | None, received_applicant: date | None,
                   calendar: WorkingCalendar, rules: ClockRules) -> tuple[FilingWindow, ...]:
    """Each party's window to bring ``tier`` (the next court) against the decision below, from the
    days the parties received that decision: (body, applicant), either left out while unknown."""

    def window(party: str, received: date, assumed: bool = False) -> FilingWindow:
        if tier == CourtTier.FIRST:
            return FilingWindow(party, received, court_filing_due(received, calendar, rules), rules.court_filing_wd,
                                True, assumed)
        return FilingWindow(party, received, cassation_filing_due(received, rules), rules.cassation_filing_days,
                            False, assumed)

    windows = []
    if received_body is not None:
        windows.append(window(Appellant.BODY, received_body))
    if received_applicant is not None:
        windows.append(window(Appellant.APPLICANT, received_applicant))
    elif received_body is not None:
        windows.append(window(Appellant.APPLICANT, received_body, assumed=True))
    return tuple(windows)


def window_of(windows: tuple[FilingWindow, ...], party: str) -> FilingWindow | None:
    return next((w for w in windows if w.party == party), None)


def court_case_of(dispute: Dispute, tier: str) -> CourtCase | None:
    return next((case for case in dispute.court_cases if case.tier == tier), None)


def effective_content(below: str | None, outcome: str | None) -> str | None:
    """What a court's decision leaves standing on the information: the decision below when the
    court affirmed it or did not accept the appeal, else what the court itself decided."""
    if outcome in (CourtOutcome.AFFIRMED, CourtOutcome.NOT_ACCEPTED):
        return below
    return outcome


@dataclass(frozen=True)
class DecisionStep:
    """One decision of the chain (the KI's, the PTUN/PN's, the MA's) and what follows it."""

    level: str  # "ki", or a CourtTier
    decision_date: date
    received_body: date | None
    received_applicant: date | None
    content: str | None  # what stands on the information after it (KiDecision values)
    next_tier: str | None  # the court a party may go to next (None: final when decided)
    windows: tuple[FilingWindow, ...]  # each party's window to go there
    appeal: CourtCase | None  # the case brought there, if recorded


def decision_chain(dispute: Dispute, calendar: WorkingCalendar, rules: ClockRules) -> list[DecisionStep]:
    """The decisions recorded so far, in order: the KI's (when its content is recorded), then each
    court's that has decided."""
    if dispute.outcome_date is None or dispute.ki_decision is None:
        return []
    steps: list[DecisionStep] = []
    mediation = dispute.ki_decision == KiDecision.MEDIATION  # final and binding (Pasal 39)
    first = court_case_of(dispute, CourtTier.FIRST)
    steps.append(DecisionStep(
        "ki", dispute.outcome_date, dispute.ki_decision_received_body, dispute.ki_decision_received_applicant,
        dispute.ki_decision, None if mediation else CourtTier.FIRST,
        () if mediation else appeal_windows(CourtTier.FIRST, dispute.ki_decision_received_body,
                                            dispute.ki_decision_received_applicant, calendar, rules),
        None if mediation else first))
    if mediation or first is None or first.decision_date is None or first.outcome is None:
        return steps
    cassation = court_case_of(dispute, CourtTier.CASSATION)
    content = effective_content(dispute.ki_decision, first.outcome)
    steps.append(DecisionStep(
        CourtTier.FIRST, first.decision_date, first.decision_received_body, first.decision_received_applicant,
        content, CourtTier.CASSATION, appeal_windows(CourtTier.CASSATION, first.decision_received_body,
                                                     first.decision_received_applicant, calendar, rules),
        cassation))
    if cassation is None or cassation.decision_date is None or cassation.outcome is None:
        return steps
    steps.append(DecisionStep(
        CourtTier.CASSATION, cassation.decision_date, cassation.decision_received_body,
        cassation.decision_received_applicant, effective_content(content, cassation.outcome), None, (), None))
    return steps


@dataclass(frozen=True)
class FinalDecision:
    """The decision that is final (berkekuatan hukum tetap, inkracht): the KI's when nobody went to
    court within the windows (or it was a mediation agreement), else the last court's."""

    level: str  # "ki", or a CourtTier
    decision_date: date
    final_on: date  # the day it became final
    content: str | None

    @property
    def requires_action(self) -> bool:
        """Whether it is (at least partly) in the applicant's favour: the body must comply."""
        return self.content in APPLICANT_FAVOUR


def final_decision(dispute: Dispute, calendar: WorkingCalendar, today: date,
                   rules: ClockRules | None = None) -> FinalDecision | None:
    """The final decision read on ``today``; None while a court case is pending, a window is still
    open, or no receipt is known to count a window from."""
    rules = rules or clock_rules()
    steps = decision_chain(dispute, calendar, rules)
    if not steps:
        return None
    last = steps[-1]
    if last.next_tier is None:  # a mediation agreement, or the Mahkamah Agung's decision
        return FinalDecision(last.level, last.decision_date, last.decision_date, last.content)
    if last.appeal is not None or not last.windows:
        return None  # a case pending at the next court, or no receipt to count from yet
    closes = max(window.due for window in last.windows)
    if today <= closes:
        return None
    return FinalDecision(last.level, last.decision_date, closes + timedelta(days=1), last.content)


# --- one timeline of the dispute, from the KI to compliance -----------------------------------------

@dataclass(frozen=True)
class TimelineEntry:
    """One step of the dispute's timeline as the desk, the applicant and the dispute file show it."""

    day: date | None
    title: str
    lines: tuple[str, ...] = ()
    badge: str | None = None
    badge_class: str = ""  # "", "badge-warn", "badge-late", "badge-done"
    explanation: Explanation | None = None  # the day-by-day count of a working-day window
    intro: str | None = None
    ident: str | None = None  # an HTML id for the entry


def _window_badge(window: FilingWindow, state: str, today: date, calendar: WorkingCalendar,
                  due_soon_wd: int) -> tuple[str, str]:
    if state == "late":
        return _("diajukan setelah batas"), "badge-late"
    if state == "used":
        return _("diajukan dalam batas waktu"), "badge-done"
    if state == "passed":
        return _("sudah lewat"), ""
    if state == "due_today":
        return _("batas waktu hari ini"), "badge-warn"
    left = window.days_left(today, calendar)
    if window.working_days:
        return ngettext("%(n)d hari kerja lagi", "%(n)d hari kerja lagi", left, n=left), "badge-warn" if left <= due_soon_wd else ""
    return _("%(n)d hari lagi", n=left), "badge-warn" if left <= due_soon_wd else ""


def _window_entries(step: DecisionStep, calendar: WorkingCalendar, today: date, due_soon_wd: int,
                    rules: ClockRules) -> list[TimelineEntry]:
    from .dispute_labels import APPELLANT_LABELS, TIER_LABELS

    tier = step.next_tier
    if not step.windows:
        return [TimelineEntry(None, _("%(what)s: batas waktunya dihitung setelah tanggal putusan diterima dicatat",
                                      what=TIER_LABELS[tier]))]
    windows = step.windows
    if step.appeal is not None:
        windows = tuple(w for w in windows if w.party == step.appeal.appellant) or windows
    entries = []
    for window in windows:
        filed = step.appeal.filed_date if step.appeal is not None and step.appeal.appellant == window.party else None
        badge, badge_class = _window_badge(window, window.state(today, filed), today, calendar, due_soon_wd)
        if window.working_days:
            rule = _("%(n)d hari kerja sejak putusan diterima pada %(date)s (Pasal 48 ayat (1) UU 14/2008).",
                     n=window.n, date=day_text(window.received))
        else:
            rule = _("%(n)d hari (hari kalender, bukan hari kerja) sejak putusan diterima pada %(date)s "
                     "(Pasal 50 UU 14/2008).", n=window.n, date=day_text(window.received))
        lines = [rule]
        if window.assumed:
            lines.append(_("Tanggal pemohon menerima putusan belum diketahui: dihitung dari tanggal badan publik "
                           "menerimanya."))
        party = str(APPELLANT_LABELS[window.party]).lower()
        title = (_("Batas mengajukan gugatan ke PTUN atau Pengadilan Negeri bagi %(party)s", party=party)
                 if tier == CourtTier.FIRST else _("Batas mengajukan kasasi ke Mahkamah Agung bagi %(party)s", party=party))
        entries.append(TimelineEntry(
            window.due, title, tuple(lines), badge, badge_class,
            calendar.explain(window.received, window.n) if window.working_days else None,
            _("Putusan diterima %(date)s. Hari itu tidak dihitung; batasnya hari kerja ke-%(n)d sesudahnya.",
              date=day_text(window.received), n=window.n) if window.working_days else None))
    return entries


def _received_lines(body: date | None, applicant: date | None) -> list[str]:
    return [_("Diterima badan publik: %(date)s", date=day_text(body) if body else _("belum dicatat")),
            _("Diterima pemohon: %(date)s", date=day_text(applicant) if applicant else _("belum diketahui"))]


def _case_entries(case: CourtCase, step_below: DecisionStep) -> list[TimelineEntry]:
    from .dispute_labels import APPELLANT_LABELS, COURT_OUTCOME_LABELS

    window = window_of(step_below.windows, case.appellant)
    late = window is not None and case.filed_date > window.due
    lines = [_("Nomor perkara: %(number)s", number=case.case_number or _("belum ada"))]
    if window is None:
        lines.append(_("Batas waktunya belum dapat dihitung: tanggal putusan sebelumnya diterima belum dicatat."))
    entries = [TimelineEntry(
        case.filed_date, _("%(party)s mengajukan ke %(court)s", party=APPELLANT_LABELS[case.appellant],
                           court=case.court_name), tuple(lines),
        _("setelah batas") if late else None, "badge-late" if late else "", ident=f"court-{case.tier}-{case.id}")]
    for hearing in case.hearings:
        entries.append(TimelineEntry(hearing.hearing_date, _("Sidang di %(court)s", court=case.court_name),
                                     (hearing.note,) if hearing.note else ()))
    if case.decision_date is not None and case.outcome is not None:
        lines = [str(COURT_OUTCOME_LABELS[case.outcome])]
        if case.outcome_note:
            lines.append(case.outcome_note)
        entries.append(TimelineEntry(
            case.decision_date, _("Putusan %(court)s", court=case.court_name),
            tuple(lines + _received_lines(case.decision_received_body, case.decision_received_applicant)),
            ident=f"court-decision-{case.tier}-{case.id}"))
    else:
        entries.append(TimelineEntry(None, _("Menunggu putusan %(court)s", court=case.court_name)))
    return entries


def dispute_timeline(dispute: Dispute, calendar: WorkingCalendar, today: date, rules: ClockRules | None = None,
                     due_soon_wd: int = 2) -> list[TimelineEntry]:
    """The dispute from its filing at the KI to the body's compliance, in order, with each window."""
    from .dispute_labels import (
        COMPLIANCE_LABELS,
        CONTENT_SHORT_LABELS,
        DECISION_LEVEL_LABELS,
        KI_DECISION_LABELS,
        LEVEL_LABELS,
        STAGE_LABELS,
    )

    rules = rules or clock_rules()
    entries = [TimelineEntry(dispute.filed_date, _("Sengketa diajukan ke %(ki)s", ki=LEVEL_LABELS[dispute.level]))]
    entries += [TimelineEntry(stage.stage_date, str(STAGE_LABELS.get(stage.stage, stage.stage)),
                              (stage.note,) if stage.note else ()) for stage in dispute.stages]
    if dispute.outcome_date is None:
        return entries
    lines = [str(KI_DECISION_LABELS[dispute.ki_decision])] if dispute.ki_decision else []
    lines.append(dispute.outcome or "")
    if dispute.ki_decision != KiDecision.MEDIATION:
        lines += _received_lines(dispute.ki_decision_received_body, dispute.ki_decision_received_applicant)
    entries.append(TimelineEntry(dispute.outcome_date, _("Putusan Komisi Informasi"), tuple(lines),
                                 ident=f"ki-outcome-{dispute.objection_id}"))
    steps = decision_chain(dispute, calendar, rules)
    for step in steps:
        if step.next_tier is None:
            continue
        entries += _window_entries(step, calendar, today, due_soon_wd, rules)
        if step.appeal is not None:
            entries += _case_entries(step.appeal, step)
    final = final_decision(dispute, calendar, today, rules)
    if final is not None:
        content = CONTENT_SHORT_LABELS.get(final.content, final.content or "")
        if final.level == "ki" and final.content == KiDecision.MEDIATION:
            why = _("Kesepakatan mediasi bersifat final dan mengikat (Pasal 39 UU 14/2008).")
        elif final.level == CourtTier.CASSATION:
            why = _("Putusan kasasi Mahkamah Agung.")
        else:
            why = _("Tidak ada pihak yang mengajukan ke pengadilan berikutnya dalam batas waktu.")
        entries.append(TimelineEntry(
            final.final_on, _("Putusan akhir (berkekuatan hukum tetap)"),
            (_("%(decision)s tanggal %(date)s: %(content)s.", decision=DECISION_LEVEL_LABELS[final.level],
               date=day_text(final.decision_date), content=content), why),
            badge=_("wajib dilaksanakan") if final.requires_action else None,
            badge_class="badge-warn" if final.requires_action and not dispute.compliance else "",
            ident=f"final-{dispute.objection_id}"))
    elif steps and dispute.ki_decision is not None:
        entries.append(TimelineEntry(None, _("Belum ada putusan akhir"), (_(
            "Putusan menjadi akhir setelah batas mengajukan ke pengadilan berikutnya lewat tanpa pengajuan, "
            "atau dengan putusan kasasi."),)))
    if dispute.compliance:
        lines = [dispute.compliance_note or ""]
        if dispute.compliance_proof:
            lines.append(_("Bukti: %(proof)s", proof=dispute.compliance_proof))
        entries.append(TimelineEntry(
            dispute.compliance_date, _("Pelaksanaan putusan akhir: %(what)s",
                                       what=str(COMPLIANCE_LABELS[dispute.compliance]).lower()),
            tuple(lines), badge=None if dispute.compliance == Compliance.COMPLIED else _("tidak dilaksanakan"),
            badge_class="" if dispute.compliance == Compliance.COMPLIED else "badge-late",
            ident=f"compliance-{dispute.objection_id}"))
    elif final is not None:
        entries.append(TimelineEntry(None, _("Pelaksanaan putusan akhir belum dicatat"), (
            _("Putusan akhir mewajibkan badan publik memberikan informasi atau melaksanakan kesepakatan.")
            if final.requires_action else _("Putusan akhir tidak mewajibkan badan publik memberikan informasi."),)))
    return entries
