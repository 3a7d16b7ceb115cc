"""Withdrawal (pencabutan) of an objection by its applicant, the same way as a request's
(``requests.withdrawal``): online from the applicant's pages, or recorded by the desk with the
channel and real moment. The Atasan PPID's response clock stops at that moment
(``Objection.withdrawn_at``); the step is logged on the objection's and the request's timelines.
Flush, never commit."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..audit.selectors import events_for
from ..errors import DomainError
from ..notifications.services import outbox_enqueue
from ..requests.lifecycle import request_event
from ..requests.models import Channel
from ..requests.withdrawal import (
    Withdrawal,
    actor_label_for,
    clean_reason,
    withdrawal_data,
    withdrawal_from,
    withdrawal_moment,
)
from ..web.urls import public_url
from ..workcalendar.selectors import local_date
from .lifecycle import objection_event
from .models import Objection, ObjectionStatus
from .response_services import ensure_objection_version


def objection_withdrawable(objection: Objection) -> bool:
    """Still waiting for the Atasan PPID's response."""
    return objection.status == ObjectionStatus.REGISTERED


def objection_withdraw(*, actor: User | None, objection: Objection, channel: str = Channel.ONLINE,
                       received_at: datetime | None = None, reason: str | None = None,
                       expected_version: int | None = None, notify: bool = True) -> Objection:
    """Withdraw an objection that waits for the Atasan PPID's response (see the module docstring)."""
    ensure_objection_version(objection, expected_version)
    if not objection_withdrawable(objection):
        raise DomainError(_("Keberatan %(number)s tidak dapat dicabut: sudah ditanggapi, diselesaikan, atau "
                            "dicabut.", number=objection.number))
    at = withdrawal_moment(channel=channel, received_at=received_at, not_before=objection.filed_at,
                           not_before_label=_("keberatan"))
    reason = clean_reason(reason)
    item = objection.request
    data = withdrawal_data(applicant_id=item.applicant_id, channel=channel, at=at, reason=reason)
    label = actor_label_for(actor)
    request_event(actor=actor, actor_label=label, item=item, kind="objection_withdrawn",
                  data={"objection_id": objection.id, "objection_number": objection.number, **data})
    objection_event(actor=actor, actor_label=label, objection=objection, kind="objection_withdrawn", data=data,
                    changes={"status": ObjectionStatus.WITHDRAWN.value, "withdrawn_at": at})
    if notify and item.applicant.email:
        outbox_enqueue(
            recipient=item.applicant.email, request=item, actor=actor,
            subject=_l("Keberatan %(number)s sudah dicabut", number=objection.number),
            template="email/objection_withdrawn.txt", objection=objection, withdrawn_on=local_date(at),
            reason=reason, tracking_url=public_url("requests.track_token", token=item.tracking_token),
            body_name=current_app.config["BODY_NAME"])
    return objection


def objection_withdrawal_of(objection: Objection) -> Withdrawal | None:
    if objection.status != ObjectionStatus.WITHDRAWN:
        return None
    events = [e for e in events_for("objection", objection.id) if e.kind == "objection_withdrawn"]
    return withdrawal_from(events[-1].data if events else {}, objection.withdrawn_at)
