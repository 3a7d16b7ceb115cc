"""What is due next on a request (the officer page's side column): one pure rule over the
request's state, and the one query that reads that state.

The rule names a step, not a person: the page shows the step's panel open to an officer who
can take it, and to anyone else a line saying who does it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import exists, select

from ..extensions import db
from ..notices.services import DELIVERABLE_OUTCOMES
from ..objections.models import Objection, ObjectionStatus
from ..requests.models import InformationRequest, RequestStatus


class Step(StrEnum):
    """A step of the request's handling; the action panels' ``key`` uses the same names."""

    INTAKE = "intake"  # check completeness (accept, or ask for what is missing)
    ROUTING = "routing"  # route (disposisi) to one or more units
    UNITS = "units"  # the units are preparing their answers: nothing for the desk to do
    NOTICE = "notice"  # issue the written notice
    DELIVERY = "delivery"  # deliver the information the notice grants
    CLOSE = "close"  # close after delivery
    OBJECTION = "objection"  # an objection is open: PPID Utama's account, the Atasan's response
    RELEASE = "release"  # the Atasan PPID ordered release: record that it was complied with


@dataclass(frozen=True)
class RequestState:
    status: str
    accepted: bool = False  # the completeness check accepted it
    outcome: str | None = None  # the written notice's decision
    objection_open: bool = False  # an objection waits for the Atasan PPID's response
    release_pending: bool = False  # an order to release not yet complied with


def next_action(state: RequestState) -> Step | None:
    """The step due next on a request in ``state``; None when nothing is due (a closed,
    withdrawn or refused request)."""
    if state.release_pending:
        return Step.RELEASE
    if state.objection_open:
        return Step.OBJECTION
    status = state.status
    if status == RequestStatus.INCOMPLETE or (status == RequestStatus.REGISTERED and not state.accepted):
        return Step.INTAKE
    if status == RequestStatus.REGISTERED:
        return Step.ROUTING  # never routed, or every unit returned its task
    if status == RequestStatus.ROUTED:
        return Step.UNITS
    if status == RequestStatus.ANSWERED:
        return Step.NOTICE
    if status == RequestStatus.NOTICE_ISSUED and state.outcome in DELIVERABLE_OUTCOMES:
        return Step.DELIVERY
    if status == RequestStatus.DELIVERED:
        return Step.CLOSE
    return None


def request_state(item: InformationRequest, *, objections_visible: bool) -> RequestState:
    """``item``'s state as the rule reads it. Without ``objections_visible`` (a unit officer, who
    is not told that the applicant objected) its objections and release orders are left out."""
    if not objections_visible:
        return RequestState(status=item.status, accepted=item.accepted_at is not None, outcome=item.outcome)
    objection_open = bool(db.session.scalar(select(exists().where(
        Objection.request_id == item.id, Objection.status == ObjectionStatus.REGISTERED.value))))
    return RequestState(status=item.status, accepted=item.accepted_at is not None, outcome=item.outcome,
                        objection_open=objection_open,
                        release_pending=item.release_due is not None and item.released_at is None)

