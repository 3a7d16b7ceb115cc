"""The register's completeness facts kept per request (``information_request.register_missing``,
monev.register_quality): every writer keeps them equal to the definition, the metric set gives
the same figures from them with and without the daily tallies (whole body and one unit), and
``flask ppid rebuild-cache --check`` finds a mask that disagrees."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from ppid_desk.extensions import db
from ppid_desk.monev.models import MonevTallyDay
from ppid_desk.monev.register_quality import BITS, filed_mask, register_facts_disagreeing
from ppid_desk.notices.services import DeliveryDraft, delivery_record, notice_issue
from ppid_desk.organisation.models import Unit
from ppid_desk.requests.lifecycle import request_event
from ppid_desk.requests.models import Applicant, InformationRequest
from ppid_desk.routing.models import RoutingTask, TaskStatus
from ppid_desk.routing.services import task_reassign
from ppid_desk.rows import row_insert
from tests import factories
from tests.factories import assert_same_both_ways, at, grant, quarter_figures


def mask_of(item) -> int:
    return db.session.scalar(select(InformationRequest.register_missing).where(InformationRequest.id == item.id))


def register_facts_disagreeing_none() -> bool:
    """Every stored mask is the definition's."""
    return register_facts_disagreeing() == []


def dirty_days() -> set[date]:
    return set(db.session.scalars(select(MonevTallyDay.day).where(MonevTallyDay.dirty.is_(True))))


def test_the_stored_facts_follow_every_writer(app, log, clock, make_user):  # noqa: F811
    assert register_facts_disagreeing_none()
    assert {key: mask_of(item) for key, item in log.items()} == dict.fromkeys(log, 0)
    before = assert_same_both_ways(app)
    assert before["register_complete"]["complete"] == before["register_complete"]["rows"] == 8

    # An applicant's details changed outside the request funnel: A has no telephone nor e-mail.
    applicant = log["A"].applicant
    applicant.phone, applicant.email = "", " "
    db.session.commit()
    assert mask_of(log["A"]) == BITS["contact"] and register_facts_disagreeing_none()
    assert dirty_days() == {log["A"].receipt_date}  # its tallies are re-summed, not read stale
    stale = assert_same_both_ways(app, refresh=False)  # the dirty day read live
    assert stale["register_complete"]["complete"] == 7
    assert stale["register_complete"]["missing_by_column"]["contact"] == 1
    # ... and filled in later: complete again, with and without tallies.
    applicant.phone = "0812 3456 7890"
    db.session.commit()
    assert mask_of(log["A"]) == 0
    assert assert_same_both_ways(app)["register_complete"] == before["register_complete"]

    # A notice logged without its notice row (nor an outcome): "decision" and "held" are missing.
    officer = make_user(email="petugas3@pemda.example.id", roles=("ppid_utama",))
    request_event(actor=officer, item=log["E"], kind="notice_issued", at=at(9, 30),
                  changes={"status": "closed", "notice_at": at(9, 30), "closed_at": at(9, 30)}, data={})
    db.session.commit()
    assert mask_of(log["E"]) == BITS["decision"] | BITS["held"] and register_facts_disagreeing_none()
    noticed = assert_same_both_ways(app)
    assert noticed["register_complete"]["missing_by_column"]["held"] == 1
    assert noticed["register_complete"]["complete"] == 7


def test_a_delivery_row_written_after_the_funnel_event_counts(app, log, clock, make_user):  # noqa: F811
    """``delivery_record`` logs the delivery (delivered_at) before it adds the delivery row: the
    facts are stored once the flush has both, so the row is not counted as missing its delivery."""
    officer = make_user(email="utama2@pemda.example.id", roles=("ppid_utama",), name="Rudi Utama")
    item = log["E"]
    clock.travel_to(at(9, 29))
    notice_issue(actor=officer, item=item, draft=grant(), at=at(9, 29), notify=False)
    db.session.commit()
    clock.travel_to(at(9, 30))
    delivery_record(actor=officer, item=item, draft=DeliveryDraft(method="in_person"), at=at(9, 30), notify=False)
    db.session.commit()
    assert mask_of(item) == 0 and register_facts_disagreeing_none()
    body = assert_same_both_ways(app)
    assert body["register_complete"]["complete"] == body["register_complete"]["rows"]


def test_a_rerouted_request_counts_for_the_unit_that_holds_it(app, log, clock, make_user):  # noqa: F811
    """H is routed to U2; moved to U1 it counts for U1 and no longer for U2, the same with and
    without tallies (its register row among U1's)."""
    officer = make_user(email="utama4@pemda.example.id", roles=("ppid_utama",), name="Rudi Utama")
    u1, u2 = (db.session.scalar(select(Unit).where(Unit.code == code)) for code in ("U1", "U2"))
    body_before = assert_same_both_ways(app)
    before = {code: quarter_figures(app, code, refresh=False)[1] for code in ("U1", "U2")}
    item = log["H"]
    task = db.session.scalar(select(RoutingTask).where(RoutingTask.request_id == item.id,
                                                       RoutingTask.unit_id == u2.id))
    clock.travel_to(at(9, 30))
    task_reassign(actor=officer, item=item, task=task, unit_id=u1.id, instruction="Unit Satu menyiapkan.",
                  internal_due=date(2026, 10, 7), at=at(9, 30))
    db.session.commit()
    assert db.session.scalar(select(RoutingTask.status).where(RoutingTask.id == task.id)) == TaskStatus.CANCELLED
    assert assert_same_both_ways(app)["received"]["total"] == body_before["received"]["total"]
    after = {code: quarter_figures(app, code, refresh=False)[1] for code in ("U1", "U2")}
    assert after["U1"]["received"]["total"] == before["U1"]["received"]["total"] + 1
    assert after["U2"]["received"]["total"] == before["U2"]["received"]["total"] - 1
    assert after["U1"]["register_complete"]["rows"] == before["U1"]["register_complete"]["rows"] + 1


def test_rebuild_cache_check_finds_a_wrong_mask_and_rebuild_corrects_it(app, log, runner):  # noqa: F811
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0
    db.session.execute(update(InformationRequest).where(InformationRequest.id == log["B"].id)
                       .values(register_missing=BITS["tujuan"]))
    db.session.commit()
    checked = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert checked.exit_code == 1
    assert f"request {log['B'].number}: register_missing stored {BITS['tujuan']}, register says 0" in checked.output
    rebuilt = runner.invoke(args=["ppid", "rebuild-cache"])
    assert rebuilt.exit_code == 0 and "1 register mask(s) corrected" in rebuilt.output
    assert mask_of(log["B"]) == 0
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


@pytest.mark.parametrize(("applicant_values", "request_values"), [
    ({"address": "   "}, {}),  # spaces only: blank
    ({"address": "\t"}, {}),  # a tab is not trimmed (SQL's trim removes spaces only): filled
    ({"phone": "", "email": " "}, {}),  # no contact at all
    ({"phone": "", "occupation": "  "}, {"tujuan": " ", "rincian": " x "}),
    ({}, {"access_method": ""}),
])
def test_a_filings_mask_computed_in_memory_is_the_definitions(app, log, applicant_values, request_values):  # noqa: F811
    """A filing's mask is written with its INSERT from the values in memory (``filed_mask``); the
    same values stored through an update get the definition's mask in SQL: both agree."""
    item = log["H"]
    for name, value in applicant_values.items():
        setattr(item.applicant, name, value)
    for name, value in request_values.items():
        setattr(item, name, value)
    in_memory = filed_mask(item)
    db.session.commit()  # an update: the flush listener stores the definition's mask
    assert mask_of(item) == in_memory and register_facts_disagreeing_none()
    assert bool(in_memory) == (applicant_values.get("address") != "\t")  # only the tab leaves the row complete


@pytest.mark.parametrize(("values", "missing"), [
    ({"address": "   "}, {"address"}),
    ({"phone": "", "email": ""}, {"contact"}),
    ({}, set()),
])
def test_a_request_filed_without_a_flush_has_its_mask_in_its_insert(app, values, missing, count_queries):
    """The filing inserts its request by a statement of its own (``rows.row_insert``), not by a
    flush: the mask is computed from the values in memory and goes into that INSERT."""
    with count_queries() as statements:
        item = factories.register_request(**values)
    assert not [s for s in statements if s.lstrip().startswith("UPDATE information_request")]
    assert mask_of(item) == sum(BITS[name] for name in missing) and register_facts_disagreeing_none()


def test_a_request_inserted_without_its_applicant_in_memory_gets_the_definitions_mask(app):
    """Without the applicant in memory the mask needs the database: it is stored right after."""
    filed = factories.register_request()
    applicant = row_insert(Applicant, kind="perorangan", name="  ", nik=None, legal_approval_number=None,
                           representative_name=None, address="Jl. Kenanga 2", occupation="Guru",
                           phone="0812", email="")
    table = InformationRequest.__table__
    values = {c.key: getattr(filed, c.key) for c in table.columns if c.key not in ("id", "register_missing")}
    values.update(number="9999/IMPOR/2026", seq=9999, applicant_id=applicant.id, tracking_token="impor-uji-1")
    item = row_insert(InformationRequest, **values)
    db.session.commit()
    assert mask_of(item) == BITS["name"] and register_facts_disagreeing_none()
