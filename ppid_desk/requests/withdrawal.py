"""Withdrawal (pencabutan) of a request by its applicant: online from the request page, or
recorded by the desk when it came by letter, phone, e-mail or in person, at its real moment.

The change goes through the funnel as a ``withdrawn`` event (status and outcome ``withdrawn``,
``closed_at`` the moment the withdrawal was received), so ``flask ppid rebuild-cache --check``
replays it. The written-notice clock stops at that moment, the units' open tasks are cancelled
and their officers told, the applicant gets an e-mail. The applicant's reason is personal text:
it is sealed in the event (``audit.personal``), so the retention purge shreds it.

Services flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import Role, User, UserRole
from ..audit.personal import GUEST_APPLICANT, seal, unseal
from ..audit.selectors import events_for
from ..dbtypes import utcnow
from ..errors import DomainError, FieldError
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..web.formatting import long_date
from ..web.urls import public_url
from ..workcalendar.selectors import body_today, local_date
from .gates import Gate, gate_allows, gate_check
from .letters import official_letter_issue
from .lifecycle import ensure_version, request_event
from .models import Channel, InformationRequest, OfficialLetterKind, Outcome, RequestStatus

REASON_MAX = 2000
# How a withdrawal reaches the body: the applicant's own page (online) or the desk's channels.
DESK_WITHDRAWAL_CHANNELS = frozenset({Channel.LETTER, Channel.PHONE, Channel.WALK_IN, Channel.EMAIL})


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawal as its event tells it (for pages, registers and letters)."""

    at: datetime | None  # when it was received (the clock stopped then)
    channel: str | None
    by_desk: bool
    reason: str | None  # unsealed; "[dihapus]" after the retention purge


def request_withdrawable(item: InformationRequest) -> bool:
    """Open and without a written notice: once the notice is out (or the request closed) the
    request has had its answer, and what remains is an objection, not a withdrawal."""
    return gate_allows(Gate.WITHDRAW, item.status) and item.notice_at is None


def not_withdrawable_reason(item: InformationRequest) -> str:
    if item.status == RequestStatus.WITHDRAWN:
        return _("Permohonan ini sudah dicabut.")
    return _("Permohonan ini tidak dapat dicabut lagi: pemberitahuan tertulis sudah terbit atau permohonan "
             "sudah selesai. Jika Anda tidak puas dengan jawabannya, Anda dapat mengajukan keberatan.")


# --- checks shared with the objection's withdrawal -----------------------------------------------

def clean_reason(reason: str | None) -> str | None:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise FieldError("reason", _("Paling banyak %(max)d karakter.", max=REASON_MAX))
    return reason or None


def withdrawal_moment(*, channel: str, received_at: datetime | None, not_before: datetime,
                      not_before_label: str) -> datetime:
    """When the withdrawal was received: now for the applicant's own page; for the desk, the
    real moment typed in, never in the future and never before ``not_before``."""
    now = utcnow()
    if channel == Channel.ONLINE:
        return now
    if channel not in DESK_WITHDRAWAL_CHANNELS:
        raise FieldError("channel", _("Pilih bagaimana pencabutan diterima."))
    if received_at is None:
        raise FieldError("received_date", _("Tulis tanggal pencabutan diterima."))
    if received_at > now:
        field = "received_date" if local_date(received_at) > body_today() else "received_time"
        raise FieldError(field, _("Waktu diterima tidak boleh lebih dari sekarang."))
    if received_at < not_before:
        field = "received_date" if local_date(received_at) < local_date(not_before) else "received_time"
        raise FieldError(field, _("Pencabutan tidak mungkin diterima sebelum %(what)s diterima (%(when)s).",
                                  what=not_before_label, when=long_date(local_date(not_before))))
    return received_at


def withdrawal_data(*, applicant_id: int, channel: str, at: datetime, reason: str | None) -> dict:
    """The event payload of a withdrawal; the applicant's reason sealed with their own key."""
    return {"channel": str(channel), "withdrawn_at": at.isoformat(), "by": "applicant" if channel == Channel.ONLINE
            else "desk", "reason": seal(applicant_id, reason) if reason else None}


def withdrawal_from(data: dict, fallback_at: datetime | None) -> Withdrawal:
    at = data.get("withdrawn_at")
    return Withdrawal(at=datetime.fromisoformat(at) if at else fallback_at, channel=data.get("channel"),
                      by_desk=data.get("by") == "desk", reason=unseal(data.get("reason")))


def actor_label_for(actor: User | None) -> str | None:
    return None if actor is not None else GUEST_APPLICANT


# --- the request ------------------------------------------------------------------------------------

def request_withdraw(*, actor: User | None, item: InformationRequest, channel: str = Channel.ONLINE,
                     received_at: datetime | None = None, reason: str | None = None,
                     expected_version: int | None = None, notify: bool = True) -> list:
    """Withdraw an open request (before its written notice); returns the cancelled unit tasks.

    ``channel`` online: the applicant on the request page (``actor`` their account, or None for a
    guest holding a tracking grant), received now. A desk channel: an officer records it with
    the moment it was received (``received_at``, UTC)."""
    from ..routing.services import request_tasks_cancel_open

    ensure_version(item, expected_version)
    gate_check(Gate.WITHDRAW, item, not_withdrawable_reason(item))
    if not request_withdrawable(item):
        raise DomainError(not_withdrawable_reason(item))
    at = withdrawal_moment(channel=channel, received_at=received_at, not_before=item.received_at,
                           not_before_label=_("permohonan"))
    reason = clean_reason(reason)
    data = withdrawal_data(applicant_id=item.applicant_id, channel=channel, at=at, reason=reason)
    request_event(actor=actor, actor_label=actor_label_for(actor), item=item, kind="withdrawn",
                  changes={"status": RequestStatus.WITHDRAWN.value, "outcome": Outcome.WITHDRAWN.value,
                           "closed_at": at}, data=data)
    cancelled = request_tasks_cancel_open(actor=actor, item=item,
                                          reason=_("Permohonan %(number)s dicabut pemohon.", number=item.number))
    # The confirmation as a numbered letter: e-mailed when there is an address, else printed at the
    # desk and its hand-over recorded. The reason stays sealed with the applicant's key.
    letter = official_letter_issue(
        actor=actor, item=item, kind=OfficialLetterKind.WITHDRAWAL,
        content={"withdrawn_at": at.isoformat(), "channel": str(channel), "by": data["by"],
                 "reason": data["reason"], "received_at": item.received_at.isoformat()})
    if notify:
        _tell_units(item, cancelled, actor)
        _tell_applicant(item, actor, at=at, reason=reason, letter=letter)
    return cancelled


def unit_officer_emails(unit_ids) -> list[str]:
    """The addresses of the active PPID Pembantu officers of these units."""
    unit_ids = list(unit_ids)
    if not unit_ids:
        return []
    return list(db.session.scalars(
        select(User.email).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.PEMBANTU, User.unit_id.in_(unit_ids), User.active.is_(True))
        .order_by(User.email)))


def _tell_units(item: InformationRequest, tasks: list, actor: User | None) -> None:
    """Each unit whose task was cancelled hears it; the e-mails are listed on the request's
    timeline (``units_told``) so the retention purge finds them."""
    outbox_ids, told = [], []
    for task in tasks:
        recipients = unit_officer_emails([task.unit_id])
        for recipient in recipients:
            message = outbox_enqueue(
                recipient=recipient, subject=_l("Tugas dibatalkan: permohonan %(number)s dicabut", number=item.number),
                template="email/task_cancelled_withdrawn.txt", item=item, task=task,
                task_url=public_url("routing.task_page", task_id=task.id),
                body_name=current_app.config["BODY_NAME"])
            outbox_ids.append(message.id)
        if recipients:
            told.append(task.unit.code)
    if outbox_ids:
        request_event(actor=actor, actor_label=actor_label_for(actor), item=item, kind="units_told_withdrawn",
                      data={"units": told, "outbox_ids": outbox_ids})


def _tell_applicant(item: InformationRequest, actor: User | None, *, at: datetime, reason: str | None,
                    letter) -> None:
    if not item.applicant.email:
        return
    outbox_enqueue(
        recipient=item.applicant.email, request=item, actor=actor,
        subject=_l("Permohonan %(number)s sudah dicabut", number=item.number),
        template="email/request_withdrawn.txt", withdrawn_on=local_date(at), reason=reason,
        letter_number=letter.number,
        pdf_url=public_url("requests.official_letter_pdf", request_id=item.id, letter_id=letter.id),
        tracking_url=public_url("requests.track_token", token=item.tracking_token),
        new_request_url=public_url("requests.new_request"), body_name=current_app.config["BODY_NAME"])


# --- reads --------------------------------------------------------------------------------------------

def withdrawal_of(item: InformationRequest) -> Withdrawal | None:
    """How and when the request was withdrawn, and why (None unless it was)."""
    if item.status != RequestStatus.WITHDRAWN:
        return None
    events = [e for e in events_for("request", item.id) if e.kind == "withdrawn"]
    return withdrawal_from(events[-1].data if events else {}, item.closed_at)
