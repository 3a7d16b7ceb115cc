"""Writes on consultations: log one, correct it, withdraw one logged by mistake (with a reason),
turn one into a registered request (permohonan) at its real receipt time, and blank the contact
details whose retention ended. Every change is an event of the subject ``consultation``, with
before and after for the fields that are not personal (the contact details are never written into
the hash-chained log: only that they changed). Flush, never commit; the view commits.

Who may do what is checked here too (``may_*``): PPID Utama and the desk officers on every unit's
consultations, a PPID Pembantu officer on its own unit's. Turning one into a request is the desk's
registration (``desk.policy.Action.REGISTER``: the desk officers and PPID Utama), through the desk
intake service, so the request gets its number, clock and receipt exactly as a walk-in would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import Role, User
from ..accounts.roles import CONSULTATION_ALL_UNITS_ROLES
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..desk.intake_services import desk_request_register
from ..desk.policy import Action, can
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..organisation.models import Unit
from ..requests.lifecycle import request_event
from ..requests.models import InformationRequest
from ..requests.services import ApplicantDetails, RequestDetails
from ..signals import consultation_changed
from ..workcalendar.selectors import body_today, local_date
from .models import Consultation, ConsultationChannel, Resolution

SUBJECT = "consultation"
TOPIC_MAX, NOTE_MAX, NAME_MAX, CONTACT_MAX, REASON_MAX = 2000, 1000, 200, 254, 1000
DEFAULT_MAX_AGE_DAYS = 366  # how far back a consultation may be logged (a paper log typed in late)
AUDITED = ("occurred_at", "channel", "topic", "unit_id", "resolution", "resolution_note", "contact_consent")
PERSONAL = ("contact_name", "contact")  # never written into the event log, only named as changed
# Resolutions that need a word more: which body, or what was done.
NOTE_REQUIRED = {Resolution.REFERRED_OTHER_BODY.value, Resolution.OTHER.value}
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{6,18}[0-9]$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class StaleConsultation(DomainError):
    """Someone changed the consultation since this page was opened."""


class NotAllowed(DomainError):
    """The actor may not do this to this consultation (in its present state)."""


class AlreadyConverted(DomainError):
    """The consultation already became a request: it is never registered twice."""


@dataclass(frozen=True)
class ConsultationDraft:
    """A consultation as typed; ``occurred_at`` (UTC) and ``unit_id`` are None when missing or
    unreadable (the form has already put its message on the field)."""

    occurred_at: datetime | None
    channel: str
    topic: str
    unit_id: int | None
    resolution: str
    resolution_note: str = ""
    contact_consent: bool = False
    contact_name: str = ""
    contact: str = ""


# --- who may do what --------------------------------------------------------------------------

def logs_for_every_unit(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.has_role(*CONSULTATION_ALL_UNITS_ROLES)


def unit_officer_of(user: User | None, unit_id: int | None) -> bool:
    return (user is not None and user.is_authenticated and user.has_role(Role.PEMBANTU)
            and user.unit_id is not None and user.unit_id == unit_id)


def may_log(user: User | None) -> bool:
    """PPID Utama and the desk officers for any unit; a unit officer only with a unit of its own."""
    return logs_for_every_unit(user) or (user is not None and user.is_authenticated
                                         and user.has_role(Role.PEMBANTU) and user.unit_id is not None)


def may_view(user: User | None, consultation: Consultation) -> bool:
    return logs_for_every_unit(user) or unit_officer_of(user, consultation.unit_id)


def may_edit(user: User | None, consultation: Consultation) -> bool:
    return may_view(user, consultation) and not consultation.withdrawn


def may_withdraw(user: User | None, consultation: Consultation) -> bool:
    """A consultation logged by mistake is withdrawn (it stays, uncounted); never once it became a request."""
    return may_edit(user, consultation) and not consultation.converted


def may_convert(user: User | None, consultation: Consultation) -> bool:
    """The desk's registration right, on a consultation this user sees, not withdrawn, not converted."""
    return (may_view(user, consultation) and can(user, Action.REGISTER) and not consultation.withdrawn
            and not consultation.converted)


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed(_("Anda tidak dapat melakukan ini pada konsultasi ini dalam keadaannya sekarang."))


def _check_version(consultation: Consultation, expected_version: int | None) -> None:
    if expected_version is not None and consultation.version != expected_version:
        raise StaleConsultation(_("Konsultasi ini baru saja diubah oleh petugas lain. Periksa isian terbarunya; "
                                  "perubahan Anda belum disimpan."))


# --- checking a draft ---------------------------------------------------------------------------

def max_age_days() -> int:
    return int(current_app.config.get("CONSULTATION_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS))


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _clean(text: str | None) -> str:
    return (text or "").strip()


def _contact_of(text: str | None) -> str:
    """A phone number as typed without inner spaces doubled; an e-mail address in lower case."""
    value = _one_line(text)
    return value.lower() if "@" in value else value


def _same_minute(a: datetime, b: datetime) -> bool:
    """The form shows and sends hours and minutes: a time kept to the second is the same time."""
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


def consultation_problems(draft: ConsultationDraft, *, actor: User | None,
                          consultation: Consultation | None = None) -> dict[str, str]:
    """Every problem of a draft, by form field."""
    problems: dict[str, str] = {}
    if draft.occurred_at is not None:
        today = body_today()
        day = local_date(draft.occurred_at)
        if consultation is not None and consultation.converted and not _same_minute(draft.occurred_at,
                                                                                    consultation.occurred_at):
            problems["occurred_date"] = _("Konsultasi ini sudah menjadi permohonan: waktunya adalah waktu "
                                          "permohonan diterima dan tidak dapat diubah lagi.")
        elif draft.occurred_at > utcnow():
            problems["occurred_date" if day > today else "occurred_time"] = _(
                "Waktu konsultasi tidak boleh lebih dari sekarang.")
        elif day < today - timedelta(days=max_age_days()):
            problems["occurred_date"] = _("Tanggal konsultasi paling lama %(n)d hari yang lalu.", n=max_age_days())
    if draft.channel not in {c.value for c in ConsultationChannel}:
        problems["channel"] = _("Pilih saluran konsultasi.")
    topic = _clean(draft.topic)
    if not topic:
        problems["topic"] = _("Tulis pokok yang ditanyakan dan jawabannya secara singkat, tanpa identitas orangnya.")
    elif len(topic) > TOPIC_MAX:
        problems["topic"] = _("Paling banyak %(max)d karakter.", max=TOPIC_MAX)
    if draft.unit_id is None:
        problems["unit_id"] = _("Pilih unit yang melayani konsultasi ini.")
    else:
        unit = db.session.get(Unit, draft.unit_id)
        if unit is None or not unit.active:
            problems["unit_id"] = _("Pilih unit yang aktif dari daftar.")
        elif not logs_for_every_unit(actor) and not unit_officer_of(actor, unit.id):
            problems["unit_id"] = _("Anda hanya dapat mencatat konsultasi unit Anda sendiri.")
    note = _clean(draft.resolution_note)
    if draft.resolution not in {r.value for r in Resolution}:
        problems["resolution"] = _("Pilih tindak lanjut konsultasi.")
    elif draft.resolution in NOTE_REQUIRED and not note:
        problems["resolution_note"] = (
            _("Tulis badan publik yang dirujuk.") if draft.resolution == Resolution.REFERRED_OTHER_BODY
            else _("Jelaskan tindak lanjutnya."))
    if len(note) > NOTE_MAX:
        problems["resolution_note"] = _("Paling banyak %(max)d karakter.", max=NOTE_MAX)
    name, contact = _one_line(draft.contact_name), _contact_of(draft.contact)
    if draft.contact_consent:
        if not contact:
            problems["contact"] = _("Tulis nomor telepon atau alamat e-mail, atau hapus centang persetujuan.")
        elif len(contact) > CONTACT_MAX:
            problems["contact"] = _("Paling banyak %(max)d karakter.", max=CONTACT_MAX)
        elif not (PHONE_RE.match(contact) or EMAIL_RE.match(contact)):
            problems["contact"] = _("Tulis satu nomor telepon (contoh 0812 3456 7890) atau satu alamat e-mail.")
        if len(name) > NAME_MAX:
            problems["contact_name"] = _("Paling banyak %(max)d karakter.", max=NAME_MAX)
    elif name or contact:
        problems["contact_consent"] = _("Kontak hanya disimpan bila orangnya setuju: centang persetujuannya, "
                                        "atau kosongkan nama dan kontak.")
    return problems


def _values(consultation: Consultation) -> dict[str, Any]:
    return {name: (value.isoformat() if isinstance(value, datetime | date) else value)
            for name in AUDITED for value in [getattr(consultation, name)]}


def _apply(consultation: Consultation, draft: ConsultationDraft) -> None:
    consultation.occurred_at = draft.occurred_at
    consultation.occurred_on = local_date(draft.occurred_at)
    consultation.channel = draft.channel
    consultation.topic = _clean(draft.topic)
    consultation.unit_id = draft.unit_id
    consultation.resolution = draft.resolution
    consultation.resolution_note = _clean(draft.resolution_note)
    consultation.contact_consent = bool(draft.contact_consent)
    if draft.contact_consent:
        consultation.contact_name = _one_line(draft.contact_name) or None
        consultation.contact = _contact_of(draft.contact) or None
    else:  # consent withdrawn: nothing kept
        consultation.contact_name = consultation.contact = None


def _log(actor: User | None, consultation: Consultation, kind: str, data: dict[str, Any]) -> None:
    """The event, and the announcement that monev's figures changed (its caches listen)."""
    event_log(actor=actor, subject_type=SUBJECT, subject_id=consultation.id, kind=kind, data=data)
    consultation_changed.send(consultation)


# --- writes -------------------------------------------------------------------------------------

def consultation_log(*, actor: User, draft: ConsultationDraft) -> Consultation:
    """Log a consultation (or another non-formal information service) served by ``actor``."""
    if not may_log(actor):
        raise NotAllowed(_("Anda tidak dapat mencatat konsultasi."))
    problems = consultation_problems(draft, actor=actor)
    if draft.occurred_at is None and "occurred_date" not in problems:
        problems["occurred_date"] = _("Tulis tanggal konsultasi.")
    if problems:
        raise ValidationFailed(problems)
    now = utcnow()
    consultation = Consultation(created_at=now, updated_at=now, created_by_id=actor.id, officer_id=actor.id)
    _apply(consultation, draft)
    db.session.add(consultation)
    db.session.flush()
    _log(actor, consultation, "consultation_logged",
         {"after": _values(consultation), "contact_kept": consultation.contact is not None})
    return consultation


def consultation_update(*, actor: User, consultation: Consultation, draft: ConsultationDraft,
                        expected_version: int | None = None) -> list[str]:
    """Correct a consultation; returns the fields that changed (personal ones by name only)."""
    _check_version(consultation, expected_version)
    _require(may_edit(actor, consultation))
    problems = consultation_problems(draft, actor=actor, consultation=consultation)
    if draft.occurred_at is None and "occurred_date" not in problems:
        problems["occurred_date"] = _("Tulis tanggal konsultasi.")
    if problems:
        raise ValidationFailed(problems)
    if consultation.converted:  # the request's receipt: kept exactly as it is
        draft = replace(draft, occurred_at=consultation.occurred_at)
    before = _values(consultation)
    personal_before = {name: getattr(consultation, name) for name in PERSONAL}
    _apply(consultation, draft)
    after = _values(consultation)
    changed = [name for name in AUDITED if before[name] != after[name]]
    personal = [name for name in PERSONAL if getattr(consultation, name) != personal_before[name]]
    if not changed and not personal:
        return []
    consultation.updated_at = utcnow()
    db.session.flush()
    _log(actor, consultation, "consultation_updated",
         {"changed": changed + personal, "before": {k: before[k] for k in changed},
          "after": {k: after[k] for k in changed}})
    return changed + personal


def consultation_withdraw(*, actor: User, consultation: Consultation, reason: str,
                          expected_version: int | None = None) -> None:
    """Withdraw a consultation logged by mistake (twice, or not a service at all). Nothing is
    deleted: it stays on the list as withdrawn, with the reason, and is no longer counted."""
    _check_version(consultation, expected_version)
    _require(may_withdraw(actor, consultation))
    reason = _clean(reason)
    if not reason:
        raise ValidationFailed({"reason": _("Tulis alasan pembatalan, misalnya tercatat dua kali.")})
    if len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": _("Paling banyak %(max)d karakter.", max=REASON_MAX)})
    consultation.withdrawn_at = consultation.updated_at = utcnow()
    consultation.withdrawn_by_id = actor.id
    consultation.withdrawn_reason = reason
    db.session.flush()
    _log(actor, consultation, "consultation_withdrawn", {"reason": reason})


def consultation_convert(*, actor: User, consultation: Consultation, channel: str, applicant: ApplicantDetails,
                         details: RequestDetails, expected_version: int | None = None) -> InformationRequest:
    """Register the formal request (permohonan) that a consultation turned into.

    The request is received when the person asked, not when the officer registers it: its receipt
    time is the consultation's, so the written-notice clock counts from that day (KIP.md "When
    each clock starts"). It goes through the desk intake (number, clock, receipt, e-mail), and the
    two are linked both ways. A consultation becomes a request once only."""
    if consultation.converted:
        raise AlreadyConverted(_("Konsultasi ini sudah menjadi permohonan %(number)s.",
                                 number=consultation.request.number if consultation.request else ""))
    _check_version(consultation, expected_version)
    _require(may_convert(actor, consultation))
    item = desk_request_register(actor=actor, channel=channel, received_at=consultation.occurred_at,
                                 applicant=applicant, details=details, documents=[])
    consultation.request_id = item.id
    consultation.converted_at = consultation.updated_at = utcnow()
    consultation.converted_by_id = actor.id
    db.session.flush()  # the version check: a second conversion racing this one fails here
    _log(actor, consultation, "consultation_converted", {"request_id": item.id, "number": item.number})
    request_event(actor=actor, item=item, kind="from_consultation", data={"consultation_id": consultation.id})
    return item


def consultation_contacts_purge(*, today: date, retention_days: int) -> int:
    """Blank the contact details of consultations older than ``retention_days`` (they were kept
    only to answer the person back). Returns how many were blanked; flush, never commit."""
    cutoff = today - timedelta(days=retention_days)
    rows = list(db.session.scalars(select(Consultation).where(
        Consultation.occurred_on < cutoff, Consultation.contact_purged_at.is_(None),
        (Consultation.contact.is_not(None)) | (Consultation.contact_name.is_not(None)))))
    now = utcnow()
    for consultation in rows:
        consultation.contact = consultation.contact_name = None
        consultation.contact_purged_at = now
        db.session.flush()
        _log(None, consultation, "consultation_contact_purged", {"retention_days": retention_days})
    return len(rows)
