"""Writes of an incomplete request's letters: the numbered notice that a request is incomplete
(what is missing, the completion period and its last day), the record of how it was handed to
the applicant, and the close as not completed (tidak dilengkapi) once the period has passed,
with its own numbered letter. Flush, never commit.

The completion period is a setting (``INCOMPLETE_COMPLETION_WD``, default 10 WD): the law names
none (KIP §2). The statutory notice clock keeps running while a request is incomplete; closing it
as not completed stops that clock as an administrative end (like a withdrawal), never a breach.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import User
from ..attachments.models import Attachment
from ..attachments.services import attachment_claim
from ..dbtypes import utcnow
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..organisation.profile_selectors import body_profile, number_pattern, utama_signature
from ..requests.gates import Gate, gate_check
from ..requests.letters import handover_problems
from ..requests.lifecycle import ensure_version, request_event
from ..requests.models import (
    NEEDS_PROOF,
    CompletenessLetter,
    CompletenessLetterKind,
    InformationRequest,
    LetterSentVia,
    Outcome,
    RequestStatus,
)
from ..requests.numbering import format_number, next_sequence
from ..sla import completion_due
from ..web.formatting import long_date
from ..web.urls import public_url
from ..workcalendar.selectors import body_today, clock_rules, local_date
from ..workcalendar.services import deadline_calendar

SERIES = {CompletenessLetterKind.INCOMPLETE: "surat-belum-lengkap",
          CompletenessLetterKind.NOT_COMPLETED: "surat-tidak-dilengkapi"}


@dataclass(frozen=True)
class CompletionPeriod:
    """The period an incomplete request's applicant has to complete it, from the letter's day."""

    start: date  # the day the incomplete-notice letter was issued (day 0)
    working_days: int
    last_day: date


def completion_period(start: date) -> CompletionPeriod:
    """The period starting on ``start`` (a write path: a year it reaches is imported first)."""
    rules = clock_rules()
    return CompletionPeriod(start=start, working_days=rules.completion_wd,
                            last_day=completion_due(start, deadline_calendar(), rules))


def _number(kind: CompletenessLetterKind, on: date) -> str:
    return format_number(number_pattern(str(kind)), seq=next_sequence(SERIES[kind], on.year), on=on)


def _letter(*, actor: User, item: InformationRequest, kind: CompletenessLetterKind, number: str,
            now: datetime, missing_items: str, period: CompletionPeriod) -> CompletenessLetter:
    today = local_date(now)
    letter = CompletenessLetter(
        request_id=item.id, kind=kind.value, number=number, issued_at=now, issued_on=today,
        issued_by_id=actor.id, missing_items=missing_items, completion_wd=period.working_days,
        completion_due=period.last_day, signature=utama_signature(fallback_name=actor.name))
    if item.applicant.email:  # e-mailed at once: received the day it is sent (KIP §3)
        letter.handover_method, letter.handed_over_on = LetterSentVia.EMAIL.value, today
        letter.handover_recorded_at = now
    db.session.add(letter)
    db.session.flush()
    return letter


def _pdf_url(item: InformationRequest, letter: CompletenessLetter) -> str:
    return public_url("requests.completeness_letter_pdf", request_id=item.id, letter_id=letter.id)


def incomplete_letter_issue(*, actor: User, item: InformationRequest, missing_items: str) -> CompletenessLetter:
    """Mark ``item`` incomplete with a numbered letter; the caller checked the gate and the text.

    The completion period starts on the letter's day; the request's ``completion_due`` is its
    last day. The e-mail (when there is an address) carries the same dates and the letter's number.
    """
    now = utcnow()
    today = local_date(now)
    period = completion_period(today)
    number = _number(CompletenessLetterKind.INCOMPLETE, today)
    request_event(actor=actor, item=item, kind="marked_incomplete", at=now,
                  changes={"status": RequestStatus.INCOMPLETE.value, "missing_items": missing_items,
                           "completion_due": period.last_day},
                  data={"letter": number, "completion_wd": period.working_days})
    letter = _letter(actor=actor, item=item, kind=CompletenessLetterKind.INCOMPLETE, number=number, now=now,
                     missing_items=missing_items, period=period)
    if item.applicant.email:
        outbox_enqueue(
            recipient=item.applicant.email,
            subject=_l("Permohonan informasi %(number)s perlu dilengkapi", number=item.number),
            template="email/request_incomplete.txt", request=item, actor=actor,
            missing_items=missing_items, due=item.current_due, letter_number=number,
            completion_due=period.last_day, completion_wd=period.working_days,
            tracking_url=public_url("requests.track_token", token=item.tracking_token),
            pdf_url=_pdf_url(item, letter), body_name=body_profile().name,
        )
    return letter


def closable_from(item: InformationRequest) -> date | None:
    """The first day ``item`` may be closed as not completed: the day after its completion
    period's last day (None when it has no period)."""
    if item.completion_due is None:
        return None
    return date.fromordinal(item.completion_due.toordinal() + 1)


def not_closable_reason(item: InformationRequest, today: date) -> str | None:
    """Why ``item`` cannot be closed as not completed today, or None when it can."""
    if item.status != RequestStatus.INCOMPLETE:
        if item.status == RequestStatus.NOT_COMPLETED:
            return _("Permohonan ini sudah ditutup karena tidak dilengkapi.")
        return _("Hanya permohonan yang menunggu kelengkapan dari pemohon yang dapat ditutup karena tidak "
                 "dilengkapi.")
    if item.completion_due is None:
        return _("Permohonan ini belum mempunyai surat pemberitahuan belum lengkap dengan masa melengkapi; "
                 "tandai belum lengkap lagi untuk menerbitkannya.")
    if today <= item.completion_due:
        return _("Masa melengkapi belum berakhir: pemohon dapat melengkapi sampai %(last)s. Permohonan dapat "
                 "ditutup karena tidak dilengkapi mulai %(first)s.", last=long_date(item.completion_due),
                 first=long_date(closable_from(item)))
    return None


def request_close_not_completed(*, actor: User, item: InformationRequest,
                                expected_version: int | None = None) -> CompletenessLetter:
    """Close an incomplete request whose completion period has passed as not completed
    (tidak dilengkapi), with a numbered closing letter; refused (``DomainError``) before then.

    The notice clock stops now (status and outcome ``not_completed``, ``closed_at``); monev
    counts it as an administrative end, not as a breach. The applicant may file a new request.
    """
    from ..routing.services import request_tasks_cancel_open

    ensure_version(item, expected_version)
    gate_check(Gate.CLOSE_NOT_COMPLETED, item, not_closable_reason(item, body_today()) or "")
    now = utcnow()
    today = local_date(now)
    reason = not_closable_reason(item, today)
    if reason:
        raise DomainError(reason)
    previous = latest_incomplete_letter(item)  # the letter that gave the period that has passed
    period = CompletionPeriod(start=previous.issued_on if previous else today,
                              working_days=previous.completion_wd if previous else 0, last_day=item.completion_due)
    missing = item.missing_items or ""
    number = _number(CompletenessLetterKind.NOT_COMPLETED, today)
    request_event(actor=actor, item=item, kind="closed_not_completed", at=now,
                  changes={"status": RequestStatus.NOT_COMPLETED.value, "outcome": Outcome.NOT_COMPLETED.value,
                           "closed_at": now},
                  data={"letter": number, "completion_due": item.completion_due.isoformat(),
                        "incomplete_letter": previous.number if previous else None})
    request_tasks_cancel_open(actor=actor, item=item, at=now,
                              reason=_("Permohonan %(number)s ditutup karena tidak dilengkapi.", number=item.number))
    letter = _letter(actor=actor, item=item, kind=CompletenessLetterKind.NOT_COMPLETED, number=number, now=now,
                     missing_items=missing, period=period)
    if item.applicant.email:
        outbox_enqueue(
            recipient=item.applicant.email, request=item, actor=actor,
            subject=_l("Permohonan %(number)s ditutup karena tidak dilengkapi", number=item.number),
            template="email/request_not_completed.txt", letter_number=number, missing_items=missing,
            completion_due=item.completion_due, incomplete_letter=previous.number if previous else None,
            incomplete_on=previous.issued_on if previous else None, closed_on=today,
            tracking_url=public_url("requests.track_token", token=item.tracking_token),
            new_request_url=public_url("requests.new_request"), pdf_url=_pdf_url(item, letter),
            body_name=body_profile().name)
    return letter


def latest_incomplete_letter(item: InformationRequest) -> CompletenessLetter | None:
    return db.session.scalars(
        select(CompletenessLetter).where(CompletenessLetter.request_id == item.id,
                                            CompletenessLetter.kind == CompletenessLetterKind.INCOMPLETE.value)
        .order_by(CompletenessLetter.id.desc()).limit(1)).first()


def completeness_letter_handover(*, actor: User, item: InformationRequest, letter: CompletenessLetter,
                                 method: str | None, received_on: date | None,
                                 proof: Attachment | None = None) -> None:
    """Record how and when a printed letter reached the applicant (in person, by post or courier
    with the proof, or e-mailed by hand): the shared check of every letter's hand-over
    (``requests.letters.handover_problems``); refused by field (``ValidationFailed``)."""
    problems = handover_problems(item=item, method=method, received_on=received_on, proof=proof,
                                 issued_on=letter.issued_on, today=body_today())
    if problems:
        raise ValidationFailed(problems)
    if method in NEEDS_PROOF:
        attachment_claim(proof, request_id=item.id)
    else:
        proof = None
    now = utcnow()
    before = {"method": letter.handover_method, "on": letter.handed_over_on.isoformat()
              if letter.handed_over_on else None}
    letter.handover_method, letter.handed_over_on = method, received_on
    letter.handover_recorded_at, letter.handover_recorded_by_id = now, actor.id
    letter.handover_proof_id = proof.id if proof else None
    db.session.flush()
    request_event(actor=actor, item=item, kind="completeness_letter_handed_over", at=now,
                  data={"letter": letter.number, "method": method, "on": received_on.isoformat(),
                        "proof": proof.id if proof else None, "before": before})
