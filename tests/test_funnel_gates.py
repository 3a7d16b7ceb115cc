"""The status gates live in one table (``requests.gates.STATUS_GATES``), and each service refuses
exactly the request statuses its gate leaves out (issue 12 item 6).

For every gate and every status, a real request is put in that status and the real service is
called: it must raise ``StatusGateClosed`` exactly when the table says no. A status the gate
allows may still fail for the service's other reasons (a missing field, no notice yet); that is
fine, it must just not be the gate that refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from ppid_desk.dbtypes import utcnow
from ppid_desk.desk.incomplete_services import request_close_not_completed
from ppid_desk.desk.intake_services import awaiting_completeness_check, request_complete
from ppid_desk.errors import DomainError
from ppid_desk.extensions import db
from ppid_desk.notices.services import (
    DeliveryDraft,
    NoticeDraft,
    delivery_record,
    notice_issue,
    request_close,
    request_extend,
)
from ppid_desk.objections.filing_services import objection_file
from ppid_desk.requests.gates import STATUS_GATES, Gate, StatusGateClosed, gate_allows
from ppid_desk.requests.models import InformationRequest, RequestStatus
from ppid_desk.requests.withdrawal import request_withdraw, request_withdrawable
from ppid_desk.routing.services import TaskNotOpen, not_routable_reason, request_route, task_answer
from ppid_desk.workcalendar.selectors import body_today

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


@pytest.fixture
def world(app, clock, file_request, make_user, make_unit):
    clock.travel_to(MONDAY)
    unit = make_unit()
    utama = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="PPID Utama")
    officer = make_user(email="unit@pemda.example.id", roles=("ppid_pembantu",), name="Petugas Unit", unit=unit)
    return {"item": file_request(), "unit": unit, "utama": utama, "officer": officer}


def _refused(item_id: int, status: str, call: Callable[[InformationRequest], object],
             refusal: type[Exception] = StatusGateClosed) -> bool:
    """Whether ``call`` is refused by the gate with the request in ``status``; nothing is kept."""
    db.session.execute(update(InformationRequest).where(InformationRequest.id == item_id).values(status=status))
    db.session.commit()
    db.session.expire_all()
    item = db.session.get(InformationRequest, item_id)
    try:
        call(item)
    except refusal:
        return True
    except DomainError:
        return False  # refused, but for another reason than the status
    finally:
        db.session.rollback()
    return False


def _refused_statuses(item_id: int, call, refusal: type[Exception] = StatusGateClosed) -> set[str]:
    return {status.value for status in RequestStatus if _refused(item_id, status.value, call, refusal)}


def _closed(gate: Gate) -> set[str]:
    return {status.value for status in RequestStatus} - set(STATUS_GATES[gate])


def test_every_gate_names_statuses_that_exist_and_none_is_empty():
    statuses = {status.value for status in RequestStatus}
    assert set(STATUS_GATES) == set(Gate)
    for gate, allowed in STATUS_GATES.items():
        assert allowed and set(allowed) <= statuses, gate


def test_routing_refuses_exactly_what_the_route_gate_leaves_out(world):
    def route(item):
        request_route(actor=world["utama"], item=item, unit_ids=[world["unit"].id], instruction="Siapkan.",
                      internal_due=body_today(), notify=False)

    assert _refused_statuses(world["item"].id, route) == _closed(Gate.ROUTE)
    for status in RequestStatus:
        world["item"].status = status.value
        assert (not_routable_reason(world["item"]) is None) == gate_allows(Gate.ROUTE, status)
    db.session.rollback()


def test_a_unit_answers_only_while_the_route_gate_is_open(world):
    item = world["item"]
    (task,) = request_route(actor=world["utama"], item=item, unit_ids=[world["unit"].id], instruction="Siapkan.",
                            internal_due=body_today(), notify=False)
    db.session.commit()
    task_id = task.id

    def answer(item):
        from ppid_desk.routing.models import RoutingTask

        task_answer(actor=world["officer"], item=item, task=db.session.get(RoutingTask, task_id), answer_text="Ini.")

    assert _refused_statuses(item.id, answer, TaskNotOpen) == _closed(Gate.ROUTE)


def test_the_notice_refuses_exactly_what_the_notice_gate_leaves_out(world):
    def issue(item):
        notice_issue(actor=world["utama"], item=item, draft=NoticeDraft(outcome="", held=None), notify=False)

    assert _refused_statuses(world["item"].id, issue) == _closed(Gate.NOTICE)


def test_the_extension_refuses_exactly_what_the_extend_gate_leaves_out(world):
    def extend(item):
        request_extend(actor=world["utama"], item=item, reason="", notify=False)

    assert _refused_statuses(world["item"].id, extend) == _closed(Gate.EXTEND)


def test_withdrawal_refuses_exactly_what_the_withdraw_gate_leaves_out(world):
    def withdraw(item):
        request_withdraw(actor=None, item=item, notify=False)

    assert _refused_statuses(world["item"].id, withdraw) == _closed(Gate.WITHDRAW)
    for status in RequestStatus:
        world["item"].status = status.value
        assert request_withdrawable(world["item"]) == gate_allows(Gate.WITHDRAW, status)
    db.session.rollback()


def test_completion_and_the_completeness_check_follow_their_gates(world):
    def complete(item):
        request_complete(actor=None, item=item, text="", document=None)

    assert _refused_statuses(world["item"].id, complete) == _closed(Gate.COMPLETE)
    item = world["item"]
    for status in RequestStatus:
        item.status, item.accepted_at = status.value, None
        assert awaiting_completeness_check(item) == gate_allows(Gate.COMPLETENESS, status)
    db.session.rollback()


def test_closing_as_not_completed_refuses_exactly_what_its_gate_leaves_out(world):
    def close(item):
        request_close_not_completed(actor=world["utama"], item=item)

    assert _refused_statuses(world["item"].id, close) == _closed(Gate.CLOSE_NOT_COMPLETED)


def test_delivery_and_closing_refuse_exactly_what_their_gates_leave_out(world):
    def deliver(item):
        delivery_record(actor=world["utama"], item=item, draft=DeliveryDraft(method=""), notify=False)

    def close(item):
        request_close(actor=world["utama"], item=item, notify=False)

    assert _refused_statuses(world["item"].id, deliver) == _closed(Gate.DELIVER)
    assert _refused_statuses(world["item"].id, close) == _closed(Gate.CLOSE)


def test_an_objection_may_be_filed_in_every_status_the_object_gate_allows(world):
    def file(item):
        objection_file(actor=None, request=item, grounds=["c"], case_summary="Tidak dijawab.", intended_use="Riset",
                       representative_name=None, documents=[], filed_at=utcnow(), channel="online", notify=False)

    assert _refused_statuses(world["item"].id, file) == _closed(Gate.OBJECT) == set()


def test_the_table_keeps_the_rules_the_services_had_before_it():
    working = {"registered", "routed", "answered"}
    assert {gate.value: set(allowed) for gate, allowed in STATUS_GATES.items()} == {
        "route": working, "notice": working, "extend": working | {"incomplete"},
        "withdraw": working | {"incomplete"}, "completeness": {"registered", "incomplete"},
        "complete": {"incomplete"}, "deliver": {"notice_issued"}, "close": {"delivered"},
        "close_not_completed": {"incomplete"},
        "object": {status.value for status in RequestStatus}, "clock": working | {"incomplete"},
    }
