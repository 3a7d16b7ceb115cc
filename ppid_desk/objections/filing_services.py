"""Filing an objection (keberatan) to the Atasan PPID: the window, the suggested grounds, the
registration (number, clocks, documents, events on both timelines, e-mail). Flush, never commit."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..attachments.models import Attachment, AttachmentPurpose
from ..attachments.services import attachment_claim
from ..audit.personal import GUEST_APPLICANT
from ..errors import DomainError, FieldError
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..organisation.profile_selectors import body_profile, number_pattern
from ..requests.gates import Gate, gate_check
from ..requests.lifecycle import request_event
from ..requests.models import Channel, InformationRequest
from ..requests.numbering import format_number, next_sequence
from ..sla import objection_response_due
from ..web.formatting import long_date
from ..web.urls import public_url
from ..workcalendar.selectors import clock_rules, local_date, working_calendar
from ..workcalendar.services import calendar_years_ensure_around, deadline_calendar
from . import labels as objection_labels
from .filing_selectors import objection_window, open_objection_of, stored_windows
from .lifecycle import objection_event, objection_filing_changes
from .models import PASAL_35_GROUNDS, Objection, ObjectionStatus

OBJECTION_SERIES = "keberatan"
OBJECTION_CHANNELS = frozenset({Channel.ONLINE, Channel.WALK_IN, Channel.LETTER, Channel.EMAIL})


class StaleObjection(DomainError):
    """Someone else changed the objection since this person loaded it (optimistic locking)."""

    def __init__(self, objection: Objection) -> None:
        super().__init__(f"objection {objection.number} changed (now version {objection.version})")
        self.objection = objection


class ObjectionStillOpen(DomainError):
    """Another objection of this request is still waiting for the Atasan's response."""

    def __init__(self, objection: Objection) -> None:
        super().__init__(_("Keberatan %(number)s atas permohonan ini masih menunggu tanggapan Atasan PPID. "
                           "Keberatan baru dapat diajukan setelah keberatan itu ditanggapi.",
                           number=objection.number))
        self.objection = objection


# --- the service ----------------------------------------------------------------------------

def periodic_found_problem(grounds: list[str], found_on: date | None, filed_on: date) -> str | None:
    """Ground b needs the day the applicant found the periodic information missing: not after the
    objection is filed (never in the future). None when there is nothing to say."""
    if "b" not in grounds:
        return None
    if found_on is None:
        return _("Untuk alasan huruf b, tulis tanggal Anda mengetahui informasi berkala itu tidak tersedia.")
    if found_on > filed_on:
        return _("Tanggal Anda mengetahui informasi berkala tidak tersedia tidak boleh sesudah %(date)s "
                 "(tanggal keberatan diajukan) dan tidak boleh di masa depan.", date=long_date(filed_on))
    return None


def _check(*, request: InformationRequest, grounds: list[str], case_summary: str, intended_use: str,
           representative_name: str | None, documents: list[Attachment], channel: str,
           periodic_found_on: date | None, filed_on: date) -> list[str]:
    chosen = [g for g in PASAL_35_GROUNDS if g in set(grounds)]
    if not chosen or set(grounds) - set(PASAL_35_GROUNDS):
        raise FieldError("grounds", _("Pilih paling sedikit satu alasan keberatan."))
    problem = periodic_found_problem(chosen, periodic_found_on, filed_on)
    if problem:
        raise FieldError("periodic_found_on", problem)
    if not (case_summary or "").strip():
        raise FieldError("case_summary", _("Tulis kasus posisi: apa yang terjadi dan mengapa Anda keberatan."))
    if not (intended_use or "").strip():
        raise FieldError("intended_use", _("Tulis tujuan penggunaan informasi."))
    if channel not in OBJECTION_CHANNELS:
        raise FieldError("channel", _("Pilih saluran keberatan diterima."))
    if representative_name and not any(d.purpose == AttachmentPurpose.OBJECTION_ATTORNEY for d in documents):
        raise FieldError("power_of_attorney", _("Keberatan yang diajukan oleh kuasa wajib dilampiri surat kuasa."))
    current = open_objection_of(request)
    if current is not None:
        raise ObjectionStillOpen(current)
    return chosen


def objection_file(
    *,
    actor: User | None,
    request: InformationRequest,
    grounds: list[str],
    case_summary: str,
    intended_use: str,
    representative_name: str | None,
    documents: list[Attachment],
    filed_at: datetime,
    channel: str,
    periodic_found_on: date | None = None,
    notify: bool = True,
    representative_address: str | None = None,
    representative_contact: str | None = None,
) -> Objection:
    """Register an objection (keberatan) to the Atasan PPID.

    Allowed any time after the request's registration while no other objection of the request
    is still ``registered``. Each chosen ground has its own 30-WD filing window (Pasal 36(1),
    ``filing_selectors.ground_window``); the objection is late only when every chosen ground's
    window had closed, and never while one of them is unknown (a letter's receipt not recorded).
    A late objection is registered and flagged: the Atasan PPID decides on admissibility, not
    the software. The response clock (30 WD) counts from the local filing date.
    """
    gate_check(Gate.OBJECT, request, _("Keberatan hanya dapat diajukan atas permohonan yang terdaftar."))
    filed_date = local_date(filed_at)
    chosen = _check(request=request, grounds=grounds, case_summary=case_summary, intended_use=intended_use,
                    representative_name=representative_name, documents=documents, channel=channel,
                    periodic_found_on=periodic_found_on, filed_on=filed_date)
    periodic_found_on = periodic_found_on if "b" in chosen else None
    calendar_years_ensure_around(filed_date, *([periodic_found_on] if periodic_found_on else []))  # clocks reach on
    calendar = deadline_calendar()
    rules = clock_rules()
    window = objection_window(request, chosen, on=filed_date, calendar=calendar, found_missing_on=periodic_found_on)
    response_due = objection_response_due(filed_date, calendar, rules)

    seq = next_sequence(OBJECTION_SERIES, filed_date.year)
    number = format_number(number_pattern("objection"), seq=seq, on=filed_date)
    objection = Objection(
        number=number, year=filed_date.year, seq=seq, request=request, channel=str(channel),
        grounds=chosen, case_summary=case_summary.strip(), intended_use=intended_use.strip(),
        representative_name=(representative_name or "").strip() or None,
        # The representative's address and contact belong with a representative only.
        representative_address=(representative_address or "").strip() or None if representative_name else None,
        representative_contact=(representative_contact or "").strip() or None if representative_name else None,
        filed_at=filed_at, filed_date=filed_date,
        registered_by_id=actor.id if actor is not None and channel != Channel.ONLINE else None,
        ground_windows=window.windows_json(), periodic_found_on=periodic_found_on,
        ground_date=window.ground_date, filing_due=window.filing_due, late=window.late,
        response_due=response_due, status=ObjectionStatus.REGISTERED,
    )
    db.session.add(objection)
    db.session.flush()
    for document in documents:
        attachment_claim(document, request_id=request.id)
        document.objection_id = objection.id

    actor_label = None if actor else GUEST_APPLICANT
    data = {
        "objection_id": objection.id, "objection_number": number, "channel": str(channel),
        "grounds": chosen, "ground_date": _iso(window.ground_date), "ground_source": window.source,
        "filing_due": _iso(window.filing_due), "late": window.late, "ground_windows": window.windows_json(),
        "response_due": response_due.isoformat(), "documents": [d.id for d in documents],
    }
    request_event(actor=actor, actor_label=actor_label, item=request, kind="objection_filed",
                  at=filed_at, data=data)
    objection_event(actor=actor, actor_label=actor_label, objection=objection, kind="filed", at=filed_at,
                    changes=objection_filing_changes(objection), created=True,
                    data={**data, "request_id": request.id, "request_number": request.number})
    if notify and request.applicant.email:
        objection_send_receipt(objection=objection, actor=actor)
    return objection


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def objection_send_receipt(*, objection: Objection, actor: User | None) -> None:
    """Queue the confirmation e-mail: the receipt's contents and the tracking link."""
    request = objection.request
    outbox_enqueue(
        recipient=request.applicant.email,
        subject=_l("Tanda terima keberatan %(number)s", number=objection.number),
        template="email/objection_registered.txt",
        request=request, actor=actor, objection=objection,
        response_explanation=working_calendar().explain(objection.filed_date, clock_rules().objection_response_wd,
                                                         stored=objection.response_due),
        tracking_url=public_url("requests.track_token", token=request.tracking_token),
        body_name=body_profile().name, objection_labels=objection_labels,
        ground_windows=stored_windows(objection),
    )
