"""The objection (keberatan) as a subject of the funnel (``audit.funnel``): its cached columns,
their pure derivation, and how events logged before the funnel covered objections replay.

Every state change of an objection goes through ``objection_event``: filing, PPID Utama's
account, the Atasan's response or settlement, withdrawal, the sweep's reminder and escalation.
The event lands on the objection's own timeline (``events_for("objection", id)``) with
before/after; the services still log the same kind on the request's timeline.

The cached columns are the objection's state (clocks, status, the response's facts). Its texts
(case summary, reasons, the settlement, PPID's account) are records, not state: the purge may
redact some of them, and the events carry them where the timelines show them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy.sql.elements import ColumnElement

from ..accounts.models import User
from ..audit import funnel
from ..audit.funnel import Subject, subject_event
from ..audit.models import Event
from ..audit.selectors import events_for
from ..workcalendar.selectors import local_date
from .models import CourtCase, Dispute, Objection, ObjectionDecision, ObjectionStatus

OBJECTION_COLUMNS = (
    "status", "filed_at", "filed_date", "ground_date", "filing_due", "late", "response_due",
    "ppid_account_at", "decision", "release_by", "response_number", "responded_at",
    "withdrawn_at", "reminded_for_due", "escalated_at",
    "ground_windows", "periodic_found_on", "response_sent_via", "response_received_on",
    "reaction", "reaction_on",  # the applicant's reaction to the response (reaction_services)
    "inadmissibility",  # the basis of an inadmissibility decision (response_services)
)


def objection_derived_changes(state: dict[str, Any], changes: dict[str, Any], at: datetime,
                              to_local: Callable[[datetime], date]) -> dict[str, Any]:
    """The derived columns ``changes`` implies, given the current ``state``; pure.

    * ``filed_date``: the body-local day of ``filed_at`` (the response clock counts from it).
    * ``late``: filed after the filing window closed (``filed_date`` > ``filing_due``, the latest
      due among the chosen grounds); never while that window is unknown (``filing_due`` None).
    """
    derived: dict[str, Any] = {}

    def now(column: str) -> Any:
        return derived.get(column, changes.get(column, state.get(column)))

    if "filed_at" in changes and "filed_date" not in changes:
        derived["filed_date"] = None if changes["filed_at"] is None else to_local(changes["filed_at"])
    if {"filed_at", "filed_date", "filing_due"} & set(changes) and "late" not in changes:
        filed_date, filing_due = now("filed_date"), now("filing_due")
        if filed_date is not None:
            derived["late"] = filing_due is not None and filed_date > filing_due
    return derived


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def objection_legacy_columns(event: Event, objection: Objection) -> dict[str, Any] | None:
    """What an objection event written before the funnel proves exactly (see ``audit.funnel``).

    Moments the old services took apart from the event (``responded_at``, ``ppid_account_at``)
    are not proved: those columns keep their stored values until a funnel event sets them."""
    if event.subject_type != "objection":
        return None
    data, kind = event.data or {}, event.kind
    if kind == "filed":
        proved: dict[str, Any] = {"status": ObjectionStatus.REGISTERED.value, "filed_at": event.at}
        for column in ("ground_date", "filing_due", "response_due"):
            if data.get(column):
                proved[column] = _day(data[column])
        if "late" in data:
            proved["late"] = data["late"]
        return proved
    if kind in ("objection_responded", "responded", "objection_settled"):
        settled = kind == "objection_settled"
        proved = {"status": (ObjectionStatus.SETTLED if settled else ObjectionStatus.RESPONDED).value}
        decision = ObjectionDecision.SETTLED.value if settled else data.get("decision")
        if decision:
            proved["decision"] = decision
        if "release_by" in data:
            proved["release_by"] = _day(data["release_by"])
        if "response_number" in data:
            proved["response_number"] = data["response_number"]
        return proved
    if kind == "objection_withdrawn":
        proved = {"status": ObjectionStatus.WITHDRAWN.value}
        if data.get("withdrawn_at"):
            proved["withdrawn_at"] = datetime.fromisoformat(data["withdrawn_at"])
        return proved
    if kind == "objection_reminder_sent" and data.get("response_due"):
        return {"reminded_for_due": _day(data["response_due"])}
    if kind == "objection_overdue":
        return {"escalated_at": event.at}
    return None


def objection_clock_running() -> ColumnElement[bool]:
    """SQL: the Atasan's response clock runs (registered; a response or withdrawal stops it)."""
    return Objection.status == ObjectionStatus.REGISTERED.value


def _local_date(moment: datetime) -> date:
    return local_date(moment)


def _stale(objection: Objection) -> Exception:
    from .filing_services import StaleObjection

    return StaleObjection(objection)


OBJECTION = Subject(
    subject_type="objection", model=Objection, columns=OBJECTION_COLUMNS, to_local=_local_date,
    derive=objection_derived_changes, describe=lambda objection: objection.number,
    legacy=objection_legacy_columns, stale=_stale,
)


def objection_event(*, actor: User | None, objection: Objection, kind: str, changes: dict[str, Any] | None = None,
                    data: dict[str, Any] | None = None, at: datetime | None = None,
                    actor_label: str | None = None, expected_version: int | None = None,
                    created: bool = False) -> Event:
    """Apply ``changes`` to the objection and log ``kind`` on its own timeline; flush only."""
    return subject_event(OBJECTION, row=objection, kind=kind, actor=actor, changes=changes, data=data, at=at,
                         actor_label=actor_label, expected_version=expected_version, created=created)


def objection_filing_changes(objection: Objection) -> dict[str, Any]:
    """Every cached column of a new objection, so that its first event fixes its whole state."""
    return {column: getattr(objection, column) for column in OBJECTION_COLUMNS if column not in ("filed_date", "late")}


def objection_replayed_columns(objection: Objection) -> dict[str, Any]:
    return funnel.replayed_columns(OBJECTION, objection)


def objection_cached_columns(objection: Objection) -> dict[str, Any]:
    return funnel.columns_of(OBJECTION, objection)


def objection_rebuild_cached_columns(objection: Objection) -> dict[str, tuple[Any, Any]]:
    return funnel.rebuild_columns(OBJECTION, objection)


# --- the dispute (sengketa) ----------------------------------------------------------------------
# A dispute's steps are logged on its objection's timeline (the objection page shows them), and
# each payload has always carried the values it set: the log proves every column without
# before/after, for old and new databases alike. A dispute has no version and nothing derived.

DISPUTE_COLUMNS = ("level", "ki_number", "filed_date", "ki_start_due", "ki_finish_due", "outcome", "outcome_date",
                   "ki_decision", "ki_decision_received_body", "ki_decision_received_applicant",
                   "compliance", "compliance_date", "compliance_note", "compliance_proof")


def dispute_columns_from(event: Event, dispute: Dispute) -> dict[str, Any] | None:
    """The dispute's columns one of its objection's events sets."""
    data = event.data or {}
    if event.subject_type != "objection" or data.get("dispute_id") != dispute.id:
        return None
    if event.kind == "dispute_recorded":
        return {"level": data["level"], "ki_number": data.get("ki_number"), "filed_date": _day(data["filed_date"]),
                "ki_start_due": _day(data["ki_start_due"]), "ki_finish_due": _day(data["ki_finish_due"]),
                "outcome": None, "outcome_date": None, "ki_decision": None, "ki_decision_received_body": None,
                "ki_decision_received_applicant": None, "compliance": None, "compliance_date": None,
                "compliance_note": None, "compliance_proof": None}
    if event.kind == "dispute_deadline_recomputed":  # a calendar change (objections.recount)
        return {"ki_start_due": _day(data["ki_start_due"]), "ki_finish_due": _day(data["ki_finish_due"])}
    if event.kind == "dispute_number_set":
        return {"ki_number": data.get("ki_number")}
    if event.kind == "dispute_outcome_recorded":
        # An outcome logged before the KI's decision was a record sets only the words and the date.
        return {"outcome": data.get("outcome"), "outcome_date": _day(data.get("outcome_date")),
                "ki_decision": data.get("ki_decision"),
                "ki_decision_received_body": _day(data.get("ki_decision_received_body")),
                "ki_decision_received_applicant": _day(data.get("ki_decision_received_applicant"))}
    if event.kind == "dispute_compliance_recorded":
        return {"compliance": data.get("compliance"), "compliance_date": _day(data.get("compliance_date")),
                "compliance_note": data.get("compliance_note"), "compliance_proof": data.get("compliance_proof")}
    return None


DISPUTE = Subject(
    subject_type="dispute", model=Dispute, columns=DISPUTE_COLUMNS, to_local=_local_date,
    describe=lambda dispute: f"sengketa {dispute.id} (keberatan {dispute.objection_id})",
    legacy=dispute_columns_from, history=lambda dispute: events_for("objection", dispute.objection_id),
)


# --- the court stage after the KI (PTUN/PN, kasasi) ------------------------------------------------
# Logged like the dispute's steps: on the objection's timeline, each payload carrying every value it
# sets and, under "replaced", what a correction replaced ("before"/"after" on the objection's
# timeline are the objection's own columns), so the log proves a court case's columns.

COURT_CASE_COLUMNS = ("tier", "court", "court_name", "appellant", "case_number", "filed_date", "decision_date",
                      "decision_received_body", "decision_received_applicant", "outcome", "outcome_note")


def court_case_columns_from(event: Event, case: CourtCase) -> dict[str, Any] | None:
    """The court case's columns one of its objection's events sets."""
    data = event.data or {}
    if event.subject_type != "objection" or data.get("court_case_id") != case.id:
        return None
    if event.kind == "dispute_court_filed":
        proved = {column: data.get(column) for column in ("tier", "court", "court_name", "appellant", "case_number")}
        proved["filed_date"] = _day(data.get("filed_date"))
        if data.get("replaced") is None:  # the filing itself, not a correction: nothing decided yet
            proved.update({"decision_date": None, "decision_received_body": None, "decision_received_applicant": None,
                           "outcome": None, "outcome_note": None})
        return proved
    if event.kind == "dispute_court_decided":
        return {"decision_date": _day(data.get("decision_date")), "outcome": data.get("outcome"),
                "outcome_note": data.get("outcome_note"),
                "decision_received_body": _day(data.get("decision_received_body")),
                "decision_received_applicant": _day(data.get("decision_received_applicant"))}
    return None


def _court_case_history(case: CourtCase) -> list[Event]:
    return events_for("objection", case.dispute.objection_id)


COURT_CASE = Subject(
    subject_type="dispute_court_case", model=CourtCase, columns=COURT_CASE_COLUMNS, to_local=_local_date,
    describe=lambda case: f"perkara pengadilan {case.id} (sengketa {case.dispute_id}, {case.tier})",
    legacy=court_case_columns_from, history=_court_case_history,
)
