"""A change to the working calendar recounts the objections' and disputes' stored clocks
(issue 13 item 3). Subscribed to ``signals.calendar_changed`` by ``connect()`` from this domain's
``init_app``; the calendar never imports it.

* objections, open or not: ``response_due`` (the filing day + 30 WD) and the filing windows
  (each ground keeps the day it arose, its due moves: ``filing_selectors.windows_recounted``),
  with the governing ``ground_date``, ``filing_due`` and ``late``; one ``deadline_recomputed``
  event on the objection's own timeline through ``objection_event``. The applicant of an open
  objection is e-mailed when its response due moves.
* release orders: the Atasan's ``release_by`` stays as written in the signed letter; the
  request's ``release_due`` is its first working day on or after it
  (``response_services.release_due_of``), so a closure on that day moves it (and back). Logged
  on the request (the funnel, ``deadline_recomputed``) and on the objection
  (``release_due_recomputed``); the applicant is e-mailed while the order runs.
* disputes: ``ki_start_due`` / ``ki_finish_due`` (the filing + 14 / 100 WD, tracked), logged as
  every dispute step is: on the request's and the objection's timelines
  (``dispute_deadline_recomputed``, which ``lifecycle.dispute_columns_from`` replays). A court
  case stores no computed due (its windows are counted when read).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from ..accounts.models import User
from ..extensions import db
from ..requests.lifecycle import request_event
from ..requests.models import InformationRequest
from ..requests.recount import RECOUNTED, DateMove, applicant_told_dates_moved
from ..signals import calendar_changed
from ..sla import WorkingCalendar, ki_finish_due, ki_start_due, objection_response_due
from ..workcalendar.selectors import clock_rules, working_calendar
from .filing_selectors import windows_recounted
from .lifecycle import objection_event
from .models import Dispute, Objection, ObjectionStatus
from .response_selectors import release_order_of
from .response_services import release_due_of

DISPUTE_RECOUNTED = "dispute_deadline_recomputed"
RELEASE_RECOUNTED = "release_due_recomputed"  # on the objection's timeline (the column is the request's)
# A filing window (30 WD) ends well within this many days of the filing day it was counted for.
WINDOW_REACH = timedelta(days=400)


def on_calendar_changed(_sender, *, before: WorkingCalendar | None = None, first: date | None = None,
                        last: date | None = None, actor: User | None = None, reason: str = "",
                        holiday: dict[str, Any] | None = None, **_extra) -> dict[str, list[str]]:
    if before is None or first is None or last is None:
        return {}
    after = working_calendar()
    context = {"reason": reason, "holiday": holiday}
    return {"objections": objections_recount(actor=actor, after=after, first=first, last=last, context=context),
            "releases": releases_recount(actor=actor, after=after, first=first, last=last, context=context),
            "disputes": disputes_recount(actor=actor, after=after, first=first, last=last, context=context)}


def connect() -> None:
    calendar_changed.connect(on_calendar_changed)


def objections_recount(*, actor: User | None, after: WorkingCalendar, first: date, last: date,
                       context: dict[str, Any]) -> list[str]:
    """Recount the response due and the filing windows of every objection a change can move."""
    rules = clock_rules()
    objections = list(db.session.scalars(
        select(Objection).where(or_(Objection.response_due >= first, Objection.filed_date >= first - WINDOW_REACH))
        .order_by(Objection.id)))
    moved: list[str] = []
    for objection in objections:
        changes: dict[str, Any] = {}
        response_due = objection_response_due(objection.filed_date, after, rules)
        if response_due != objection.response_due:
            changes["response_due"] = response_due
        if objection.ground_windows:
            window = windows_recounted(objection, after)
            recounted = {"ground_windows": window.windows_json(), "ground_date": window.ground_date,
                         "filing_due": window.filing_due, "late": window.late}
            changes.update({column: value for column, value in recounted.items()
                            if getattr(objection, column) != value})
        if not changes:
            continue
        old_response_due = objection.response_due
        objection_event(actor=actor, objection=objection, kind=RECOUNTED, changes=changes,
                        data={**context, "request_id": objection.request_id})
        if "response_due" in changes and objection.status == ObjectionStatus.REGISTERED:
            applicant_told_dates_moved(
                item=objection.request, actor=actor, subject_number=objection.number,
                moves=[DateMove(str(_l("Batas tanggapan Atasan PPID atas keberatan")), old_response_due,
                                response_due)])
        moved.append(objection.number)
    return moved


def releases_recount(*, actor: User | None, after: WorkingCalendar, first: date, last: date,
                     context: dict[str, Any]) -> list[str]:
    """Recount ``release_due`` of every release order whose days release_by..release_due hold a
    changed day (a closure on the ordered day, or one removed between it and the due)."""
    items = list(db.session.scalars(
        select(InformationRequest).where(InformationRequest.release_due.is_not(None),
                                         InformationRequest.release_due >= first)
        .order_by(InformationRequest.id)))
    moved: list[str] = []
    for item in items:
        objection = release_order_of(item)
        if objection is None or objection.release_by is None or objection.release_by > last:
            continue
        new_due = release_due_of(objection.release_by, after)
        if new_due == item.release_due:
            continue
        old_due = item.release_due
        data = {**context, "objection_id": objection.id, "objection_number": objection.number,
                "release_by": objection.release_by.isoformat()}
        request_event(actor=actor, item=item, kind=RECOUNTED, changes={"release_due": new_due}, data=data)
        objection_event(actor=actor, objection=objection, kind=RELEASE_RECOUNTED,
                        data={**data, "release_due": {"before": old_due.isoformat(), "after": new_due.isoformat()}})
        if item.released_at is None:
            applicant_told_dates_moved(
                item=item, actor=actor, subject_number=objection.number,
                moves=[DateMove(str(_l("Batas pemberian informasi sesuai perintah Atasan PPID")), old_due, new_due)])
        moved.append(objection.number)
    return moved


def disputes_recount(*, actor: User | None, after: WorkingCalendar, first: date, last: date,
                     context: dict[str, Any]) -> list[str]:
    """Recount the tracked KI start and finish dues of the disputes filed before ``last``."""
    rules = clock_rules()
    disputes = list(db.session.scalars(
        select(Dispute).where(Dispute.filed_date < last, Dispute.ki_finish_due >= first).order_by(Dispute.id)))
    moved: list[str] = []
    for dispute in disputes:
        start, finish = ki_start_due(dispute.filed_date, after, rules), ki_finish_due(dispute.filed_date, after, rules)
        if (start, finish) == (dispute.ki_start_due, dispute.ki_finish_due):
            continue
        replaced = {"ki_start_due": dispute.ki_start_due.isoformat(), "ki_finish_due": dispute.ki_finish_due.isoformat()}
        dispute.ki_start_due, dispute.ki_finish_due = start, finish
        db.session.flush()
        objection = dispute.objection
        payload = {"objection_id": objection.id, "objection_number": objection.number, **context,
                   "dispute_id": dispute.id, "ki_start_due": start.isoformat(), "ki_finish_due": finish.isoformat(),
                   "replaced": replaced}
        request_event(actor=actor, item=objection.request, kind=DISPUTE_RECOUNTED, data=payload)
        objection_event(actor=actor, objection=objection, kind=DISPUTE_RECOUNTED, data=payload)
        moved.append(f"{objection.number} ({dispute.ki_number or dispute.id})")
    return moved
