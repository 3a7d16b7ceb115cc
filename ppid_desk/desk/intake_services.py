"""Writes of the desk intake: desk registration, the completeness check, completion by the
applicant, internal notes, and the log of every view of identity data. Flush, never commit."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _

from ..accounts.models import User
from ..attachments.models import Attachment
from ..attachments.services import attachment_claim
from ..audit.personal import GUEST_APPLICANT, seal
from ..dbtypes import utcnow
from ..errors import DomainError, FieldError
from ..extensions import db
from ..requests.gates import Gate, gate_allows, gate_check
from ..requests.lifecycle import ensure_version, request_access_logged, request_event
from ..requests.models import (
    Channel,
    CompletenessLetter,
    InformationRequest,
    InternalNote,
    RequestStatus,
)
from ..requests.services import ApplicantDetails, RequestDetails, request_register
from ..workcalendar.selectors import body_today, local_date
from .incomplete_services import incomplete_letter_issue

DESK_CHANNELS = frozenset({Channel.WALK_IN, Channel.LETTER, Channel.EMAIL, Channel.PHONE})
DEFAULT_MAX_RECEIPT_AGE_DAYS = 60


def max_receipt_age_days() -> int:
    """How far back a desk officer may date a receipt (a late entry, not a rewrite of history)."""
    return int(current_app.config.get("DESK_RECEIPT_MAX_AGE_DAYS", DEFAULT_MAX_RECEIPT_AGE_DAYS))


def desk_receipt_check(*, received_at: datetime) -> None:
    """Refuse a receipt time in the future or too far back (FieldError on the date or time field)."""
    today = body_today()
    received_on = local_date(received_at)
    if received_at > utcnow():
        field = "received_date" if received_on > today else "received_time"
        raise FieldError(field, _("Waktu diterima tidak boleh lebih dari sekarang."))
    limit = max_receipt_age_days()
    if received_on < today - timedelta(days=limit):
        raise FieldError("received_date", _(
            "Tanggal diterima paling lama %(n)d hari yang lalu. Untuk permohonan yang lebih lama, "
            "hubungi PPID Utama.", n=limit))


def desk_request_register(
    *,
    actor: User,
    channel: str,
    received_at: datetime,
    applicant: ApplicantDetails,
    details: RequestDetails,
    documents: list[Attachment],
) -> InformationRequest:
    """Register a walk-in, letter, e-mail or phone request (permohonan) at its real receipt time.

    The statutory clock counts from the local date of ``received_at`` (UTC), not from the
    moment the officer types it in. The receipt e-mail goes out only when there is an address.
    """
    if channel not in DESK_CHANNELS:
        raise FieldError("channel", _("Pilih saluran permohonan diterima."))
    desk_receipt_check(received_at=received_at)
    return request_register(
        actor=actor, owner=None, applicant=applicant, details=details, documents=documents,
        received_at=received_at, channel=channel, notify=bool(applicant.email),
    )


def awaiting_completeness_check(item: InformationRequest) -> bool:
    """Registered and not yet accepted, or waiting for the applicant to complete it."""
    return gate_allows(Gate.COMPLETENESS, item.status) and (
        item.status == RequestStatus.INCOMPLETE or item.accepted_at is None)


def request_accept(*, actor: User, item: InformationRequest, expected_version: int | None = None) -> None:
    """Accept a request as complete. The status stays ``registered``; the clock is untouched."""
    ensure_version(item, expected_version)
    if not awaiting_completeness_check(item):
        raise DomainError(_("Kelengkapan permohonan ini sudah diperiksa."))
    changes: dict = {"accepted_at": utcnow()}
    if item.status == RequestStatus.INCOMPLETE:
        changes.update(status=RequestStatus.REGISTERED.value, missing_items=None, completion_due=None)
    request_event(actor=actor, item=item, kind="accepted", changes=changes)


def request_mark_incomplete(*, actor: User, item: InformationRequest, missing_items: str,
                            expected_version: int | None = None) -> CompletenessLetter:
    """Mark a request incomplete with what is missing: a numbered letter (``incomplete_services``)
    giving the applicant a completion period, e-mailed when there is an address, printed at the
    desk otherwise.

    The statutory clock keeps running: the law binds the body, and UU KIP has no pause for
    an incomplete request, so the notice is still due on the same date.
    """
    ensure_version(item, expected_version)
    text = (missing_items or "").strip()
    if not text:
        raise FieldError("missing_items", _("Tulis apa yang perlu dilengkapi pemohon."))
    if not awaiting_completeness_check(item):
        raise DomainError(_("Kelengkapan permohonan ini sudah diperiksa."))
    return incomplete_letter_issue(actor=actor, item=item, missing_items=text)


def request_complete(*, actor: User | None, item: InformationRequest, text: str,
                     document: Attachment | None, expected_version: int | None = None) -> None:
    """The applicant completes an incomplete request: back to ``registered`` for a new check."""
    ensure_version(item, expected_version)
    gate_check(Gate.COMPLETE, item, _("Permohonan ini tidak sedang menunggu kelengkapan."))
    text = (text or "").strip()
    if not text:
        raise FieldError("completion_text", _("Tulis keterangan kelengkapan yang Anda kirim."))
    if document is not None:
        attachment_claim(document, request_id=item.id)
    label = None if actor else GUEST_APPLICANT
    request_event(actor=actor, actor_label=label, item=item, kind="completed",
                  changes={"status": RequestStatus.REGISTERED.value, "missing_items": None,
                           "completion_due": None},
                  data={"text": seal(item.applicant_id, text),  # the applicant's own words: may identify them
                        "attachment_id": document.id if document else None})


def note_add(*, actor: User, item: InformationRequest, body: str) -> InternalNote:
    """Leave an internal note (never shown to the applicant). Notes change no state, so a
    concurrent change of the request does not refuse them."""
    text = (body or "").strip()
    if not text:
        raise FieldError("note_body", _("Tulis isi catatan."))
    note = InternalNote(request_id=item.id, author_id=actor.id, body=text, created_at=utcnow())
    db.session.add(note)
    db.session.flush()
    request_event(actor=actor, item=item, kind="note_added", data={"note_id": note.id})
    return note


def attachment_view_record(*, actor: User, item: InformationRequest, attachment: Attachment) -> None:
    """Log that an officer opened one of the request's files (UU 27/2022: every view logged)."""
    request_access_logged(actor=actor, item=item, kind="document_viewed",
                  data={"attachment_id": attachment.id, "purpose": attachment.purpose})


def identity_view_record(*, actor: User, item: InformationRequest) -> None:
    """Log that an officer displayed the applicant's full identity numbers (NIK, legal-entity number)."""
    fields = [name for name in ("nik", "legal_approval_number") if getattr(item.applicant, name)]
    request_access_logged(actor=actor, item=item, kind="identity_viewed",
                  data={"fields": fields})
