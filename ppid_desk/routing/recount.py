"""A change to the working calendar recounts the open unit tasks' internal dues (issue 13 item 3).

Subscribed to ``signals.calendar_changed`` by ``connect()`` from this domain's ``init_app``. The
internal due was typed by PPID Utama (by default the statutory due minus a buffer); what it meant
is "so many working days after the routing day". A task keeps that distance, counted on the
calendar as it was, re-added on the calendar as it is now, and never lands after its request's
new current due (unless it already lay after the old one: a late routing may give the unit a day
past the statutory due). Only open tasks are recounted: an answered, returned or cancelled task's
internal due is history, and its on-time share in monev is judged against the date the unit was
given. Each move is a ``deadline_recomputed`` event on the task's own log, through the funnel.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..organisation.profile_selectors import body_timezone
from ..requests.models import InformationRequest
from ..requests.recount import RECOUNTED, new_current_due
from ..signals import calendar_changed
from ..sla import WorkingCalendar
from ..workcalendar.selectors import local_date, working_calendar
from .lifecycle import task_event
from .models import RoutingTask, TaskStatus


def on_calendar_changed(_sender, *, before: WorkingCalendar | None = None, first: date | None = None,
                        last: date | None = None, actor: User | None = None, reason: str = "",
                        holiday: dict[str, Any] | None = None, **_extra) -> dict[str, list[str]]:
    if before is None or first is None or last is None:
        return {}
    return {"tasks": tasks_recount(actor=actor, reason=reason, before=before, first=first, last=last,
                                   holiday=holiday)}


def connect() -> None:
    calendar_changed.connect(on_calendar_changed)


def recounted_internal_due(task: RoutingTask, *, routed_on: date, before: WorkingCalendar,
                           after: WorkingCalendar, old_request_due: date, new_request_due: date) -> date:
    """The task's internal due on ``after``: its working-day distance from the routing day (on
    ``before``) added again, capped at the request's new current due."""
    distance = before.working_days_between(routed_on, task.internal_due)
    if distance <= 0:
        return task.internal_due
    due = after.add_working_days(routed_on, distance)
    if task.internal_due <= old_request_due:
        due = min(due, max(new_request_due, after.next_working_day(routed_on)))
    return due


def tasks_recount(*, actor: User | None, reason: str, before: WorkingCalendar, first: date, last: date,
                  holiday: dict[str, Any] | None) -> list[str]:
    """Recount the open tasks whose span (routing day, internal due] holds a changed day; returns
    "task id (request number)" of those that moved."""
    # The routing moment's local day is not SQL-friendly: a day's margin, then the exact test.
    routed_before = datetime.combine(last + timedelta(days=1), time.min, tzinfo=ZoneInfo(body_timezone()))
    rows = list(db.session.execute(
        select(RoutingTask, InformationRequest)
        .join(InformationRequest, InformationRequest.id == RoutingTask.request_id)
        .where(RoutingTask.status == TaskStatus.OPEN.value, RoutingTask.internal_due >= first,
               RoutingTask.routed_at < routed_before)
        .order_by(RoutingTask.id)))
    if not rows:
        return []
    after = working_calendar()
    moved: list[str] = []
    dues: dict[int, date] = {}
    for task, item in rows:
        routed_on = local_date(task.routed_at)
        if not routed_on < last:
            continue
        if item.id not in dues:
            dues[item.id] = new_current_due(item, before=before, after=after)
        new_due = recounted_internal_due(task, routed_on=routed_on, before=before, after=after,
                                         old_request_due=item.current_due, new_request_due=dues[item.id])
        if new_due == task.internal_due:
            continue
        task_event(actor=actor, task=task, kind=RECOUNTED, changes={"internal_due": new_due},
                   data={"reason": reason, "holiday": holiday, "routed_on": routed_on.isoformat(),
                         "working_days": before.working_days_between(routed_on, task.internal_due)})
        moved.append(f"{task.id} ({item.number})")
    return moved
