"""The Atasan PPID's side of an objection (keberatan): PPID Utama's account of the case, the
written response (tanggapan atasan) with its numbered letter, the release order it may give,
and the reads behind the Atasan's queue.

Services flush, never commit. Each logs the same kind on the request's timeline (through
``request_event``, the funnel) and on the objection's own timeline (``event_log``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..attachments.models import Attachment
from ..attachments.services import attachment_claim
from ..dbtypes import utcnow
from ..errors import DomainError, FieldError, ValidationFailed
from ..notices.models import LetterSentVia
from ..notices.services import (
    default_sent_via,
    letter_receipt_problems,
    received_on_when_sent,
    sent_via_problem,
)
from ..notifications.services import outbox_enqueue
from ..organisation.profile_selectors import atasan_signature, body_profile, number_pattern
from ..requests.lifecycle import ensure_version, request_event
from ..requests.models import InformationRequest
from ..requests.numbering import format_number, next_sequence
from ..sla import WorkingCalendar
from ..web.urls import public_url
from ..workcalendar.selectors import body_today, clock_rules, local_date, working_calendar
from ..workcalendar.services import deadline_calendar
from .dispute_selectors import dispute_window
from .filing_services import StaleObjection
from .lifecycle import objection_event
from .models import (
    SETTLEABLE_GROUNDS,
    InadmissibleBasis,
    Objection,
    ObjectionDecision,
    ObjectionStatus,
)
from .response_selectors import release_order_of

RESPONSE_SERIES = "tanggapan-keberatan"
TEXT_MAX = 20_000
OVERTURNS = frozenset({ObjectionDecision.OVERTURNED_FULL, ObjectionDecision.OVERTURNED_PARTIAL})


def ensure_objection_version(objection: Objection, expected_version: int | None) -> None:
    if expected_version is not None and objection.version != expected_version:
        raise StaleObjection(objection)


def _refs(objection: Objection) -> dict:
    return {"objection_id": objection.id, "objection_number": objection.number}


def _log_both(*, actor: User | None, objection: Objection, kind: str, data: dict,
              changes: dict | None = None, objection_changes: dict | None = None, at=None) -> None:
    """One step through the funnel, on the request's timeline and on the objection's own."""
    at = at or utcnow()
    # The objection's step first: its row is written in one flush (one version bump).
    objection_event(actor=actor, objection=objection, kind=kind, changes=objection_changes, data=data, at=at)
    request_event(actor=actor, item=objection.request, kind=kind, changes=changes,
                  data={**_refs(objection), **data}, at=at)


# --- PPID Utama's account of the case -------------------------------------------------------

def objection_account_record(*, actor: User, objection: Objection, text: str,
                             expected_version: int | None) -> Objection:
    """Store (or replace) PPID Utama's account of the case while the objection is open."""
    ensure_objection_version(objection, expected_version)
    if not objection.is_open:
        raise DomainError(_("Keberatan ini sudah ditanggapi; tanggapan PPID tidak dapat diubah lagi."))
    text = (text or "").strip()
    if not text:
        raise FieldError("text", _("Tulis tanggapan PPID atas keberatan ini."))
    if len(text) > TEXT_MAX:
        raise FieldError("text", _("Paling banyak %(max)d karakter.", max=TEXT_MAX))
    replaced = objection.ppid_account is not None
    now = utcnow()
    objection.ppid_account = text
    _log_both(actor=actor, objection=objection, kind="objection_account_recorded", at=now,
              objection_changes={"ppid_account_at": now}, data={"text": text, "replaced": replaced})
    return objection


# --- the Atasan PPID's response -------------------------------------------------------------

def inadmissibility_problems(objection: Objection, *, basis: Collection[str], not_applicant_reason: str) -> dict[str, str]:
    """What a decision that the objection is inadmissible still needs, by form field.

    "Late" only when the objection is late by the windows stored at filing (the dates the
    applicant was told on the receipt): a letter never contradicts them."""
    problems: dict[str, str] = {}
    known = {b.value for b in InadmissibleBasis}
    if not basis:
        problems["inadmissible_basis"] = _("Pilih dasar keberatan tidak dapat diterima: diajukan lewat waktu, "
                                           "atau tidak diajukan oleh pemohon atau kuasanya.")
    elif not set(basis) <= known:
        problems["inadmissible_basis"] = _("Pilih dasar dari pilihan yang tersedia.")
    elif InadmissibleBasis.LATE in basis and not objection.late:
        problems["inadmissible_basis"] = _(
            "Menurut jangka waktu yang tercatat saat keberatan diterima, keberatan ini tidak diajukan lewat "
            "waktu (atau jangka waktunya belum diketahui), sehingga tidak dapat dinyatakan terlambat.")
    if InadmissibleBasis.NOT_APPLICANT in basis:
        if not not_applicant_reason:
            problems["not_applicant_reason"] = _("Tulis mengapa keberatan dianggap tidak diajukan oleh pemohon "
                                                 "atau kuasanya, misalnya tidak ada surat kuasa.")
        elif len(not_applicant_reason) > TEXT_MAX:
            problems["not_applicant_reason"] = _("Paling banyak %(max)d karakter.", max=TEXT_MAX)
    return problems


def inadmissibility_record(objection: Objection, basis: Collection[str]) -> dict:
    """The basis as the letter will state it, fixed now: the chosen bases in order and, for
    "late", the filing day and the windows stored at filing."""
    chosen = [b.value for b in InadmissibleBasis if b.value in basis]
    record: dict = {"basis": chosen, "filed_on": objection.filed_date.isoformat(),
                    "filing_wd": clock_rules().objection_filing_wd}
    if InadmissibleBasis.LATE in chosen:
        record["windows"] = dict(objection.ground_windows or {})
        record["filing_due"] = objection.filing_due.isoformat() if objection.filing_due else None
    return record


def response_problems(objection: Objection, *, decision: str, reasons: str, release_by: date | None,
                      settlement: str, today: date, inadmissible_basis: Collection[str] = (),
                      not_applicant_reason: str = "") -> dict[str, str]:
    """What the chosen decision still needs, by form field."""
    problems: dict[str, str] = {}
    try:
        chosen = ObjectionDecision(decision)
    except ValueError:
        return {"decision": _("Pilih tanggapan Atasan PPID.")}
    if chosen == ObjectionDecision.INADMISSIBLE:
        problems.update(inadmissibility_problems(objection, basis=inadmissible_basis,
                                                 not_applicant_reason=not_applicant_reason))
        if not reasons.strip():
            problems["reasons"] = _("Tulis pertimbangan Atasan PPID; pertimbangan ini dikirim kepada pemohon.")
        return problems
    if chosen == ObjectionDecision.SETTLED:
        if not set(objection.grounds) <= SETTLEABLE_GROUNDS:
            problems["decision"] = _("Musyawarah hanya untuk keberatan dengan alasan huruf b sampai g. "
                                     "Keberatan ini juga beralasan huruf a (penolakan berdasarkan Pasal 17); "
                                     "tanggapi dengan menguatkan atau membatalkan keputusan PPID.")
        if not settlement.strip():
            problems["settlement"] = _("Tulis apa yang disepakati dalam musyawarah.")
        return problems
    if not reasons.strip():
        problems["reasons"] = _("Tulis alasan tanggapan Atasan PPID; alasan ini dikirim kepada pemohon.")
    if chosen in OVERTURNS:
        if release_by is None:
            problems["release_by"] = _("Tulis tanggal paling lambat PPID memberikan informasinya.")
        elif release_by <= today:
            problems["release_by"] = _("Tanggal pemberian informasi harus sesudah hari ini.")
    return problems


def release_due_of(release_by: date, calendar: WorkingCalendar) -> date:
    """The effective day of a release order: the date the Atasan wrote (``release_by``, kept as
    written in the signed letter) or, when that is not a working day, the first working day after
    it (a deadline that falls on a closed day rolls forward). The request's ``release_due``; a
    calendar change recounts it with this rule (``objections.recount``)."""
    return release_by if calendar.is_working_day(release_by) else calendar.next_working_day(release_by)


def objection_respond(*, actor: User, objection: Objection, decision: str, reasons: str | None,
                      release_by: date | None, settlement: str | None, expected_version: int | None,
                      sent_via: str | None = None, notify: bool = True, inadmissible_basis: Collection[str] = (),
                      not_applicant_reason: str | None = None) -> Objection:
    """Issue the Atasan PPID's numbered written response and tell the applicant.

    An overturn orders the PPID to release the information by ``release_by``: the request's
    ``release_due`` (a tracked clock) is that day, or the next working day when it is closed. A settlement (grounds b–g only) closes it by agreement.
    ``sent_via`` (default: e-mail when the applicant has an address, else hand-over): e-mail and
    hand-over are received the day issued; post and courier on the day recorded later
    (``response_receipt_record``). The 14-WD dispute window counts from that day.

    ``inadmissible`` (tidak dapat diterima) needs its basis (``inadmissible_basis``: late, and/or not
    by the applicant or their representative with ``not_applicant_reason``) and the considerations
    (``reasons``); it ends the objection like any response, with no order and no settlement, and
    the applicant may still take it to the Komisi Informasi (Pasal 37(2)).
    """
    ensure_objection_version(objection, expected_version)
    if not objection.is_open:
        raise DomainError(_("Keberatan ini sudah ditanggapi."))
    reasons, settlement = (reasons or "").strip(), (settlement or "").strip()
    not_applicant_reason = (not_applicant_reason or "").strip()
    basis = [b for b in dict.fromkeys(inadmissible_basis or ()) if b]
    today = body_today()
    problems = response_problems(objection, decision=decision, reasons=reasons, release_by=release_by,
                                 settlement=settlement, today=today, inadmissible_basis=basis,
                                 not_applicant_reason=not_applicant_reason)
    for name, value in (("reasons", reasons), ("settlement", settlement)):
        if len(value) > TEXT_MAX and name not in problems:
            problems[name] = _("Paling banyak %(max)d karakter.", max=TEXT_MAX)
    sent_via = sent_via or default_sent_via(objection.request)
    if problem := sent_via_problem(objection.request, sent_via):
        problems["sent_via"] = problem
    if problems:
        raise ValidationFailed(problems)
    chosen = ObjectionDecision(decision)
    settled = chosen == ObjectionDecision.SETTLED
    inadmissible = chosen == ObjectionDecision.INADMISSIBLE
    seq = next_sequence(RESPONSE_SERIES, today.year)
    number = format_number(number_pattern("objection_response"), seq=seq, on=today)
    now = utcnow()
    release_by = release_by if chosen in OVERTURNS else None
    objection.reasons = reasons or None
    objection.settlement = settlement if settled else None
    objection.not_applicant_reason = (
        not_applicant_reason if inadmissible and InadmissibleBasis.NOT_APPLICANT in basis else None)
    inadmissibility = inadmissibility_record(objection, basis) if inadmissible else None
    objection.responded_by_id = actor.id
    objection.response_signature = atasan_signature(fallback_name=actor.name)
    objection_changes = {
        "status": (ObjectionStatus.SETTLED if settled else ObjectionStatus.RESPONDED).value,
        "decision": chosen.value, "release_by": release_by, "response_number": number, "responded_at": now,
        "response_sent_via": sent_via, "response_received_on": received_on_when_sent(sent_via, local_date(now))}
    if inadmissible:
        objection_changes["inadmissibility"] = inadmissibility
    changes = {"release_due": release_due_of(release_by, deadline_calendar())} if release_by else None
    if changes and objection.request.released_at is not None:
        changes["released_at"] = None  # a new order opens a new clock
    _log_both(actor=actor, objection=objection, changes=changes, objection_changes=objection_changes, at=now,
              kind="objection_settled" if settled else "objection_inadmissible" if inadmissible
              else "objection_responded",
              data={"decision": chosen.value, "response_number": number, "reasons": reasons or None,
                    "settlement": objection.settlement,
                    "release_by": release_by.isoformat() if release_by else None,
                    **({"inadmissibility": inadmissibility, "not_applicant_reason": objection.not_applicant_reason}
                       if inadmissible else {})})
    if notify:
        _tell_applicant(objection, actor)
    return objection


def response_awaiting_receipt(objection: Objection) -> bool:
    """The response was sent by post or courier and the day it was received is not recorded yet."""
    return (objection.responded_at is not None and objection.response_received_on is None
            and objection.response_sent_via in (LetterSentVia.POST, LetterSentVia.COURIER))


def response_receipt_record(*, actor: User, objection: Objection, received_on: date | None,
                            proof: Attachment | None, expected_version: int | None) -> Objection:
    """Record the day the applicant received the response sent by post or courier, with its proof;
    the 14-WD dispute window (Pasal 37(2)) counts from it. Flush only."""
    ensure_objection_version(objection, expected_version)
    if not response_awaiting_receipt(objection):
        raise DomainError(_("Tanggal diterima hanya dicatat untuk tanggapan yang dikirim lewat pos atau kurir "
                            "dan belum dicatat tanggal diterimanya."))
    now = utcnow()
    problems = letter_receipt_problems(received_on=received_on, proof=proof, request_id=objection.request_id,
                                       issued_on=local_date(objection.responded_at), today=local_date(now))
    if problems:
        raise ValidationFailed(problems)
    attachment_claim(proof, request_id=objection.request_id)
    proof.objection_id = objection.id
    _log_both(actor=actor, objection=objection, kind="objection_response_received", at=now,
              objection_changes={"response_received_on": received_on},
              data={"received_on": received_on.isoformat(), "proof": proof.id})
    return objection


def _tell_applicant(objection: Objection, actor: User) -> None:
    from .response_labels import DECISION_LABELS
    from .response_pdf import inadmissibility_rows

    item = objection.request
    window = dispute_window(objection, working_calendar(), local_date(objection.responded_at))
    if not item.applicant.email:
        return
    outbox_enqueue(
        recipient=item.applicant.email, request=item, actor=actor,
        subject=_l("Keberatan %(number)s tidak dapat diterima: keputusan Atasan PPID", number=objection.number)
        if objection.decision == ObjectionDecision.INADMISSIBLE
        else _l("Tanggapan Atasan PPID atas keberatan %(number)s", number=objection.number),
        template="email/objection_response.txt", objection=objection,
        decision_label=str(DECISION_LABELS[ObjectionDecision(objection.decision)]),
        tracking_url=public_url("requests.track_token", token=item.tracking_token),
        pdf_url=public_url("requests.objection_response_pdf", request_id=item.id, objection_id=objection.id),
        dispute_wd=current_app.config["DISPUTE_FILING_WD"], body_name=body_profile().name,
        dispute_due=window[1] if window else None, basis_rows=inadmissibility_rows(objection))


def release_complied(*, actor: User, item: InformationRequest, expected_version: int | None) -> InformationRequest:
    """PPID Utama records that the information was given as the Atasan PPID ordered."""
    ensure_version(item, expected_version)
    if item.release_due is None or item.released_at is not None:
        raise DomainError(_("Tidak ada perintah pemberian informasi yang masih berjalan untuk permohonan ini."))
    now = utcnow()
    objection = release_order_of(item)
    data = {"release_due": item.release_due.isoformat(), "released_on": local_date(now).isoformat()}
    if objection is not None:
        data.update(_refs(objection))
    request_event(actor=actor, item=item, kind="release_complied", changes={"released_at": now}, data=data, at=now)
    if objection is not None:
        objection_event(actor=actor, objection=objection, kind="release_complied", at=now,
                        data={k: v for k, v in data.items() if not k.startswith("objection_")})
    return item


