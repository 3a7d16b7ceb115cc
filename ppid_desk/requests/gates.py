"""Which request statuses allow which step: the one table, beside the lifecycle.

Every service (and every view deciding whether to offer a form) asks ``gate_allows`` or
``gate_check`` instead of keeping its own set of statuses. A step may have further conditions
of its own (no written notice yet, not extended before, the deadline not passed …); those stay
in the service, next to their messages. ``tests/test_funnel_gates.py`` proves that each
service refuses exactly the statuses this table leaves out.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.sql.elements import ColumnElement

from ..errors import DomainError
from .models import InformationRequest, RequestStatus


class Gate(StrEnum):
    ROUTE = "route"  # route to units, reassign, and units answer or return their tasks
    NOTICE = "notice"  # issue the written notice (pemberitahuan tertulis)
    EXTEND = "extend"  # extend the notice deadline once (also: no notice yet, before notice_due)
    WITHDRAW = "withdraw"  # the applicant withdraws the request (also: no notice yet)
    COMPLETENESS = "completeness"  # accept as complete (registered: only while not yet accepted)
    COMPLETE = "complete"  # the applicant sends what was missing
    CLOSE_NOT_COMPLETED = "close_not_completed"  # close as not completed (also: the period has passed)
    DELIVER = "deliver"  # record the delivery (also: the notice gives information)
    CLOSE = "close"  # close after delivery
    OBJECT = "object"  # file an objection: any registered request (the ground decides, not the status)
    CLOCK = "clock"  # the notice clock runs (queues' and monev's "due soon", "overdue")


_WORKING = frozenset({RequestStatus.REGISTERED, RequestStatus.ROUTED, RequestStatus.ANSWERED})

STATUS_GATES: dict[Gate, frozenset[str]] = {
    Gate.ROUTE: _WORKING,
    Gate.NOTICE: _WORKING,
    Gate.EXTEND: _WORKING | {RequestStatus.INCOMPLETE},
    Gate.WITHDRAW: _WORKING | {RequestStatus.INCOMPLETE},
    Gate.COMPLETENESS: frozenset({RequestStatus.REGISTERED, RequestStatus.INCOMPLETE}),
    Gate.COMPLETE: frozenset({RequestStatus.INCOMPLETE}),
    Gate.CLOSE_NOT_COMPLETED: frozenset({RequestStatus.INCOMPLETE}),
    Gate.DELIVER: frozenset({RequestStatus.NOTICE_ISSUED}),
    Gate.CLOSE: frozenset({RequestStatus.DELIVERED}),
    Gate.OBJECT: frozenset(RequestStatus),
    Gate.CLOCK: _WORKING | {RequestStatus.INCOMPLETE},
}


class StatusGateClosed(DomainError):
    """The request's status does not allow this step (see ``STATUS_GATES``)."""

    def __init__(self, gate: Gate, status: str, message: str) -> None:
        super().__init__(message)
        self.gate, self.status = gate, status


def gate_allows(gate: Gate, status: str) -> bool:
    return status in STATUS_GATES[gate]


def request_clock_running() -> ColumnElement[bool]:
    """SQL: the request's notice clock runs (``Gate.CLOCK``), for ``workcalendar.clock_sql``."""
    return InformationRequest.status.in_(sorted(str(status) for status in STATUS_GATES[Gate.CLOCK]))


def gate_check(gate: Gate, item: InformationRequest, message: str) -> None:
    """Raise ``StatusGateClosed`` with ``message`` unless ``item``'s status allows ``gate``."""
    if not gate_allows(gate, item.status):
        raise StatusGateClosed(gate, item.status, message)
