"""Writes on exemption decisions: check a draft, create and change it, submit it to PPID Utama,
approve it (which numbers it) or return it, revoke it. Every change is an event of the subject
``exemption`` with its before and after (hash-chained). Flush, never commit; the view commits.

Who may do what is checked here too (``may_*``), so that no view can forget it: a PPID Pembantu
officer works on its own unit's decisions while they are drafts; PPID Utama on every decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from ..accounts.models import Role, User
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..notices.models import PASAL_17_LETTERS
from ..organisation.models import Unit
from ..organisation.profile_selectors import number_pattern
from ..requests.numbering import format_number, next_sequence
from ..workcalendar.selectors import body_today, local_date
from .models import EXPIRING_LETTERS, ExemptionDecision, ExemptionStatus

if TYPE_CHECKING:
    from ..requests.models import InformationRequest

SUBJECT = "exemption"
SERIES = "penetapan-dikecualikan"  # organisation.profile_selectors.PATTERN_SERIES["exemption"]
TITLE_MAX, TEXT_MAX, PERIOD_MAX, NAME_MAX, PLACE_MAX, REASON_MAX = 300, 5000, 120, 200, 120, 2000
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2200, 12, 31)
AUDITED = ("unit_id", "title", "description", "pasal17_letter", "legal_basis", "harm", "public_interest",
           "weighing", "period", "ends_on", "official_name", "official_position", "official_nip",
           "decided_place", "decided_on")
TEXT_FIELDS = ("title", "description", "legal_basis", "harm", "public_interest", "weighing", "period",
               "official_name", "official_position", "official_nip", "decided_place")


class StaleDecision(DomainError):
    """Someone changed the decision since this page was opened."""


class NotAllowed(DomainError):
    """The actor may not do this to this decision (in its present state)."""


@dataclass(frozen=True)
class ExemptionDraft:
    """A decision as typed; the ids and dates are None when missing or unreadable (the form has
    already put its message on the field)."""

    unit_id: int | None
    title: str
    description: str
    pasal17_letter: str
    legal_basis: str
    harm: str
    public_interest: str
    weighing: str
    period: str
    ends_on: date | None
    official_name: str
    official_position: str
    official_nip: str
    decided_place: str
    decided_on: date | None


# --- who may do what --------------------------------------------------------------------------

def is_utama(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.has_role(Role.PPID_UTAMA)


def unit_officer_of(user: User | None, unit_id: int | None) -> bool:
    return (user is not None and user.is_authenticated and user.has_role(Role.PEMBANTU)
            and user.unit_id is not None and user.unit_id == unit_id)


def may_view(user: User | None, decision: ExemptionDecision) -> bool:
    return is_utama(user) or unit_officer_of(user, decision.unit_id)


def may_edit(user: User | None, decision: ExemptionDecision) -> bool:
    """Drafts by their unit or PPID Utama; a submitted decision by PPID Utama (its last
    corrections before approving). An approved decision is never edited: revoke it and decide anew."""
    if decision.status == ExemptionStatus.DRAFT:
        return may_view(user, decision)
    return decision.status == ExemptionStatus.SUBMITTED and is_utama(user)


def may_submit(user: User | None, decision: ExemptionDecision) -> bool:
    return decision.status == ExemptionStatus.DRAFT and may_view(user, decision)


def may_approve(user: User | None, decision: ExemptionDecision) -> bool:
    """PPID Utama approves a submitted decision, or its own draft without submitting it to itself."""
    return is_utama(user) and decision.status in (ExemptionStatus.DRAFT, ExemptionStatus.SUBMITTED)


def may_return(user: User | None, decision: ExemptionDecision) -> bool:
    return is_utama(user) and decision.status == ExemptionStatus.SUBMITTED


def may_revoke(user: User | None, decision: ExemptionDecision) -> bool:
    return is_utama(user) and decision.status == ExemptionStatus.APPROVED


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed(_("Anda tidak dapat melakukan ini pada penetapan ini dalam keadaannya sekarang."))


def _check_version(decision: ExemptionDecision, expected_version: int | None) -> None:
    if expected_version is not None and decision.version != expected_version:
        raise StaleDecision(_("Penetapan ini baru saja diubah oleh petugas lain. Periksa isian terbarunya; "
                              "perubahan Anda belum disimpan."))


# --- checking a draft ---------------------------------------------------------------------------

def _clean(text: str | None) -> str:
    return (text or "").strip()


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def exemption_problems(draft: ExemptionDraft, *, actor: User | None) -> dict[str, str]:
    """Every problem of a draft, by form field (the consequence test is complete or it is refused)."""
    problems: dict[str, str] = {}
    if draft.unit_id is None:
        problems["unit_id"] = _("Pilih unit yang menguasai informasi ini.")
    else:
        unit = db.session.get(Unit, draft.unit_id)
        if unit is None or not unit.active:
            problems["unit_id"] = _("Pilih unit yang aktif dari daftar.")
        elif not is_utama(actor) and not unit_officer_of(actor, unit.id):
            problems["unit_id"] = _("Anda hanya dapat menetapkan informasi yang dikuasai unit Anda sendiri.")
    required = {
        "title": (_one_line(draft.title), TITLE_MAX,
                  _("Tulis judul informasi yang dikecualikan, misalnya Dokumen penyidikan perkara X. "
                    "Jangan menulis isi informasinya.")),
        "description": (_clean(draft.description), TEXT_MAX,
                        _("Uraikan informasi yang dikecualikan secara spesifik (dokumen, bagian, periode), "
                          "tanpa menyebut isinya.")),
        "legal_basis": (_clean(draft.legal_basis), TEXT_MAX,
                        _("Tulis undang-undang lain yang menjadi dasar pengecualian, dengan pasalnya.")),
        "harm": (_clean(draft.harm), TEXT_MAX, _("Uji konsekuensi: tulis akibat (kerugian) yang timbul jika "
                                                   "informasi dibuka.")),
        "public_interest": (_clean(draft.public_interest), TEXT_MAX,
                            _("Uji konsekuensi: tulis kepentingan publik yang dipertimbangkan.")),
        "weighing": (_clean(draft.weighing), TEXT_MAX,
                     _("Uji konsekuensi: jelaskan mengapa kerugian itu lebih besar daripada kepentingan publik "
                       "jika informasi dibuka.")),
        "period": (_one_line(draft.period), PERIOD_MAX, _("Tulis jangka waktu pengecualian, misalnya 5 tahun.")),
        "official_name": (_one_line(draft.official_name), NAME_MAX, _("Tulis nama pejabat yang menetapkan.")),
        "official_position": (_one_line(draft.official_position), NAME_MAX,
                              _("Tulis jabatan pejabat yang menetapkan.")),
        "decided_place": (_one_line(draft.decided_place), PLACE_MAX,
                          _("Tulis tempat penetapan, misalnya nama kota.")),
    }
    for name, (value, limit, missing) in required.items():
        if not value:
            problems[name] = missing
        elif len(value) > limit:
            problems[name] = _("Paling banyak %(max)d karakter.", max=limit)
    if draft.pasal17_letter not in PASAL_17_LETTERS:
        problems["pasal17_letter"] = _("Pilih huruf Pasal 17 yang menjadi dasar pengecualian (a sampai j).")
    nip = _one_line(draft.official_nip).replace(" ", "")
    if nip and not re.fullmatch(r"[0-9]{18}", nip):
        problems["official_nip"] = _("NIP terdiri atas 18 angka; kosongkan bila pejabat tidak memiliki NIP.")
    for name, day, missing in (("decided_on", draft.decided_on, _("Tulis tanggal penetapan, contoh 02/01/2026.")),):
        if day is None:
            problems[name] = missing
        elif not FIRST_DAY <= day <= LAST_DAY:
            problems[name] = _("Tulis tanggal antara tahun 2000 dan 2200.")
    if draft.ends_on is None:
        if draft.pasal17_letter in EXPIRING_LETTERS:
            problems["ends_on"] = _("Pengecualian berdasarkan Pasal 17 huruf a sampai f tidak bersifat permanen "
                                    "(Pasal 20): tulis tanggal berakhirnya, contoh 31/12/2030.")
    elif not FIRST_DAY <= draft.ends_on <= LAST_DAY:
        problems["ends_on"] = _("Tulis tanggal antara tahun 2000 dan 2200.")
    elif draft.decided_on is not None and "decided_on" not in problems and draft.ends_on <= draft.decided_on:
        problems["ends_on"] = _("Tanggal berakhir harus sesudah tanggal penetapan.")
    return problems


def _values(decision: ExemptionDecision) -> dict[str, Any]:
    return {name: (value.isoformat() if isinstance(value, date) else value)
            for name in AUDITED for value in [getattr(decision, name)]}


def _apply(decision: ExemptionDecision, draft: ExemptionDraft) -> None:
    decision.unit_id = draft.unit_id
    for name in ("title", "period", "official_name", "official_position", "decided_place"):
        setattr(decision, name, _one_line(getattr(draft, name)))
    for name in ("description", "legal_basis", "harm", "public_interest", "weighing"):
        setattr(decision, name, _clean(getattr(draft, name)))
    decision.pasal17_letter = draft.pasal17_letter
    decision.official_nip = _one_line(draft.official_nip).replace(" ", "")
    decision.ends_on = draft.ends_on
    decision.decided_on = draft.decided_on


def _log(actor: User | None, decision: ExemptionDecision, kind: str, data: dict[str, Any],
         at: datetime | None = None) -> None:
    event_log(actor=actor, subject_type=SUBJECT, subject_id=decision.id, kind=kind, data=data, at=at)


def _status_change(decision: ExemptionDecision, status: ExemptionStatus, at: datetime | None = None) -> dict[str, Any]:
    before = decision.status
    decision.status = status.value
    decision.updated_at = at or utcnow()
    return {"changed": ["status"], "before": {"status": before}, "after": {"status": status.value}}


# --- writes -------------------------------------------------------------------------------------

def exemption_create(*, actor: User, draft: ExemptionDraft, request: InformationRequest | None = None,
                     at: datetime | None = None) -> ExemptionDecision:
    """A new draft decision (penetapan informasi yang dikecualikan), made before or apart from any
    request, or (``request``) from the consequence test of the written notice that answers it."""
    problems = exemption_problems(draft, actor=actor)
    if problems:
        raise ValidationFailed(problems)
    now = at or utcnow()
    decision = ExemptionDecision(status=ExemptionStatus.DRAFT.value, created_at=now, updated_at=now,
                                 created_by_id=actor.id if actor else None,
                                 request_id=request.id if request is not None else None)
    _apply(decision, draft)
    db.session.add(decision)
    db.session.flush()
    data: dict[str, Any] = {"after": {"status": decision.status, **_values(decision)}}
    if request is not None:
        data["request"] = {"id": request.id, "number": request.number}
    _log(actor, decision, "exemption_created", data, at)
    return decision


def exemption_update(*, actor: User, decision: ExemptionDecision, draft: ExemptionDraft,
                     expected_version: int | None = None) -> list[str]:
    """Change a draft (or a submitted decision, by PPID Utama); returns the fields that changed."""
    _check_version(decision, expected_version)
    _require(may_edit(actor, decision))
    problems = exemption_problems(draft, actor=actor)
    if problems:
        raise ValidationFailed(problems)
    before = _values(decision)
    _apply(decision, draft)
    after = _values(decision)
    changed = [name for name in AUDITED if before[name] != after[name]]
    if not changed:
        return []
    decision.updated_at = utcnow()
    db.session.flush()
    _log(actor, decision, "exemption_updated", {"changed": changed, "before": {k: before[k] for k in changed},
                                                "after": {k: after[k] for k in changed}})
    return changed


def exemption_submit(*, actor: User, decision: ExemptionDecision, expected_version: int | None = None,
                     at: datetime | None = None) -> None:
    """Send a draft to PPID Utama for approval."""
    _check_version(decision, expected_version)
    _require(may_submit(actor, decision))
    data = _status_change(decision, ExemptionStatus.SUBMITTED, at)
    decision.submitted_at = at or utcnow()
    db.session.flush()
    _log(actor, decision, "exemption_submitted", data, at)


def exemption_return(*, actor: User, decision: ExemptionDecision, reason: str,
                     expected_version: int | None = None) -> None:
    """PPID Utama sends a submitted decision back to its unit as a draft, saying what to correct."""
    _check_version(decision, expected_version)
    _require(may_return(actor, decision))
    reason = _clean(reason)
    if not reason:
        raise ValidationFailed({"reason": _("Tulis apa yang perlu diperbaiki unit.")})
    if len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": _("Paling banyak %(max)d karakter.", max=REASON_MAX)})
    data = _status_change(decision, ExemptionStatus.DRAFT)
    decision.returned_reason = reason
    db.session.flush()
    _log(actor, decision, "exemption_returned", {**data, "reason": reason})


def exemption_approve(*, actor: User, decision: ExemptionDecision, expected_version: int | None = None,
                      at: datetime | None = None) -> str:
    """PPID Utama approves the decision: it is numbered with the body's pattern for exemption
    decisions (a gapless sequence per year of approval) and enters the public register."""
    _check_version(decision, expected_version)
    _require(may_approve(actor, decision))
    problems = exemption_problems(_draft_of(decision), actor=actor)
    if problems:  # a unit deactivated since, or a draft made before a rule: fix it first
        raise DomainError(_("Penetapan ini belum lengkap: %(problem)s", problem=next(iter(problems.values()))))
    today = local_date(at) if at else body_today()
    number = format_number(number_pattern("exemption"), seq=next_sequence(SERIES, today.year), on=today)
    data = _status_change(decision, ExemptionStatus.APPROVED, at)
    decision.number = number
    decision.approved_at = at or utcnow()
    decision.approved_by_id = actor.id
    db.session.flush()
    _log(actor, decision, "exemption_approved", {**data, "number": number}, at)
    return number


def exemption_revoke(*, actor: User, decision: ExemptionDecision, reason: str,
                     expected_version: int | None = None) -> None:
    """PPID Utama revokes an approved decision with a reason; it stays in the register as revoked."""
    _check_version(decision, expected_version)
    _require(may_revoke(actor, decision))
    reason = _clean(reason)
    if not reason:
        raise ValidationFailed({"reason": _("Tulis alasan pencabutan penetapan ini.")})
    if len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": _("Paling banyak %(max)d karakter.", max=REASON_MAX)})
    data = _status_change(decision, ExemptionStatus.REVOKED)
    decision.revoked_at = utcnow()
    decision.revoked_by_id = actor.id
    decision.revoked_reason = reason
    db.session.flush()
    _log(actor, decision, "exemption_revoked", {**data, "reason": reason})


def _draft_of(decision: ExemptionDecision) -> ExemptionDraft:
    return ExemptionDraft(**{name: getattr(decision, name) for name in AUDITED})

