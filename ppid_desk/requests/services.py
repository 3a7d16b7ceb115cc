"""Writes on information requests: <noun>_<verb>(*, actor, …); flush, never commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, exists, select

from ..accounts.models import User
from ..attachments.models import Attachment
from ..attachments.services import attachment_claim
from ..audit.personal import GUEST_APPLICANT, subject_begins
from ..audit.services import chain_begins
from ..extensions import db
from ..notifications.services import outbox_enqueue_snapshot
from ..organisation.profile_selectors import body_profile, body_timezone, number_pattern
from ..rows import row_insert
from ..sla import Explanation, local_receipt_date, notice_due
from ..web.urls import public_url
from ..workcalendar.selectors import clock_rules, local_date, working_calendar
from ..workcalendar.services import calendar_years_ensure_around, deadline_calendar
from .lifecycle import request_event
from .models import AccessibilityNeed, Applicant, Channel, InformationRequest, RequestStatus
from .numbering import format_number, next_sequence

REQUEST_SERIES = "permohonan"


@dataclass(frozen=True)
class ApplicantDetails:
    kind: str
    name: str
    nik: str | None
    legal_approval_number: str | None
    representative_name: str | None
    address: str
    occupation: str
    phone: str
    email: str


@dataclass(frozen=True)
class RequestDetails:
    rincian: str
    tujuan: str
    access_method: str
    copy_delivery: str | None
    accessibility_needs: tuple[str, ...] = ()  # AccessibilityNeed values
    accessibility_note: str | None = None


def accessibility_columns(needs: tuple[str, ...] | list[str], note: str | None) -> dict[str, str | None]:
    """The request's accessibility columns: the known needs in their fixed order (None when none)
    and the note (None when blank)."""
    chosen = set(needs)
    known = ",".join(need.value for need in AccessibilityNeed if need.value in chosen)
    return {"accessibility_needs": known or None, "accessibility_note": (note or "").strip() or None}


def request_register(
    *,
    actor: User | None,
    applicant: ApplicantDetails,
    details: RequestDetails,
    documents: list[Attachment],
    received_at: datetime,
    channel: str = Channel.ONLINE,
    owner: User | None = None,
    notify: bool = True,
) -> InformationRequest:
    """Register a request (permohonan): number, clock, applicant, documents and event at once.

    An online submission registers immediately; the written-notice clock counts from the local
    receipt date (DESIGN §5). Everything is written in the caller's transaction.
    """
    # The request's clocks (notice, extension, objection, dispute) reach into the next year:
    # import both now, so that its pages only read (workcalendar.selectors).
    calendar_years_ensure_around(local_date(received_at))
    calendar = deadline_calendar()
    rules = clock_rules()
    tz = body_timezone()
    receipt_date = local_receipt_date(received_at, tz, rules, calendar)
    due = notice_due(receipt_date, calendar, rules)
    registered_on = local_date(received_at)

    seq, number = _free_number(registered_on)
    # The applicant and the request are inserted by a statement each, without a flush.
    applicant_row = row_insert(Applicant, user_id=owner.id if owner else None, **applicant.__dict__)
    request = row_insert(
        InformationRequest, loaded={"applicant": applicant_row},  # known: no read, no write
        number=number, year=registered_on.year, seq=seq, channel=str(channel),
        received_at=received_at, receipt_date=receipt_date, applicant_id=applicant_row.id,
        user_id=owner.id if owner else None, rincian=details.rincian, tujuan=details.tujuan,
        access_method=details.access_method, copy_delivery=details.copy_delivery,
        **accessibility_columns(details.accessibility_needs, details.accessibility_note),
        # legal_due as the funnel derives it from notice_due (no extension): set before the
        # insert, so the registration event below finds nothing more to write to the row.
        status=RequestStatus.REGISTERED, notice_due=due, due_date=due, legal_due=due,
        registered_by_id=actor.id if actor and actor.id != (owner.id if owner else None) else None,
        tracking_token=secrets.token_urlsafe(24),
    )
    # Both rows are new: the request's event chain and the applicant's key are known to be
    # empty, so the events and the sealed values below read neither.
    chain_begins("request", request.id)
    subject_begins(applicant_row.id)
    for document in documents:
        attachment_claim(document, request_id=request.id)

    request_event(
        actor=actor,
        actor_label=None if actor else GUEST_APPLICANT,
        item=request, kind="registered", at=received_at,
        changes={"status": RequestStatus.REGISTERED.value, "notice_due": due},
        data={"number": number, "channel": str(channel), "receipt_date": receipt_date.isoformat(),
              "documents": [d.id for d in documents]},
    )
    if notify and applicant.email:
        request_send_receipt(request=request, actor=actor)
    return request


# Built once, on the table.
_NUMBER_TAKEN = select(exists().where(InformationRequest.__table__.c.number == bindparam("number")))


def _free_number(registered_on) -> tuple[int, str]:
    """The next sequence and its number, skipping a number a historical import already holds."""
    pattern = number_pattern("request")
    while True:
        seq = next_sequence(REQUEST_SERIES, registered_on.year)
        number = format_number(pattern, seq=seq, on=registered_on)
        taken = db.session.scalar(_NUMBER_TAKEN, {"number": number})
        if not taken:
            return seq, number


def request_send_receipt(*, request: InformationRequest, actor: User | None) -> None:
    """Queue the receipt (tanda bukti) e-mail, with the deadline explained day by day.

    Rendered by the outbox sender, not inside the filing (issue 17): queued with the values the
    template reads, taken now (``receipt_snapshot``)."""
    explanation = working_calendar().explain(request.receipt_date, clock_rules().notice_wd, stored=request.notice_due)
    outbox_enqueue_snapshot(
        recipient=request.applicant.email,
        subject=_l("Tanda bukti permohonan informasi %(number)s", number=request.number),
        template=RECEIPT_TEMPLATE, request=request, actor=actor,
        snapshot=receipt_snapshot(request, explanation,
                                  tracking_url=public_url("requests.track_token", token=request.tracking_token),
                                  body_name=body_profile().name),
    )


RECEIPT_TEMPLATE = "email/request_registered.txt"


def receipt_snapshot(request: InformationRequest, explanation: Explanation, *, tracking_url: str,
                     body_name: str) -> dict:
    """Every value ``RECEIPT_TEMPLATE`` reads, under the names it reads them by. The NIK only as
    its mask (and whether there is one): the outbox never holds it in plain."""
    applicant = request.applicant
    return {
        "request": {
            "number": request.number, "received_at": request.received_at, "channel": request.channel,
            "notice_due": request.notice_due, "rincian": request.rincian, "tujuan": request.tujuan,
            "access_method": request.access_method, "copy_delivery": request.copy_delivery,
            "applicant": {"name": applicant.name, "kind": applicant.kind, "nik": bool(applicant.nik),
                          "nik_masked": applicant.nik_masked, "address": applicant.address,
                          "occupation": applicant.occupation, "phone": applicant.phone},
        },
        "explanation": {
            "n": explanation.n,
            "days": [{"day": day.day, "count": day.count,
                      "reasons": [{"kind": str(reason.kind), "name": reason.name} for reason in day.reasons]}
                     for day in explanation.days],
        },
        "tracking_url": tracking_url,
        "body_name": body_name,
    }
