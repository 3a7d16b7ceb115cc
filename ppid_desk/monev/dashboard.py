"""Monev pages for supervisors. For now: "overdue now and who holds it" (terlambat sekarang).

Reads only, in a constant number of queries: one for the overdue requests (applicants joined),
one for their open routing tasks (units joined), one for the overdue objections (requests
joined); plus the calendar's holiday years. Days overdue are working days counted on one
calendar for the whole page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..accounts.models import Role
from ..desk.nav import register_nav
from ..desk.views import bp
from ..extensions import db
from ..objections.models import Objection, ObjectionStatus
from ..requests.labels import STATUS_LABELS
from ..requests.models import OPEN_STATUSES, InformationRequest
from ..routing.models import RoutingTask, TaskStatus
from ..sla import WorkingCalendar
from ..web.access import roles_required
from ..web.htmx import render
from ..web.transaction import commit
from ..workcalendar.selectors import body_today, working_calendar

MONEV_ROLES = (Role.PENGAWAS, Role.PPID_UTAMA, Role.ATASAN, Role.ADMIN)
SUMMARY_LENGTH = 90
UNROUTED_KEY = "__utama__"


@dataclass(frozen=True)
class OverdueRow:
    item: InformationRequest
    days_overdue: int
    internal_due: date | None = None


@dataclass
class HolderGroup:
    key: str
    name: str
    rows: list[OverdueRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class OverdueObjection:
    objection: Objection
    days_overdue: int


@dataclass(frozen=True)
class OverdueNow:
    groups: list[HolderGroup]
    objections: list[OverdueObjection]
    request_total: int


def last_working_day(today: date, calendar: WorkingCalendar) -> date:
    """Today if it is a working day, else the working day before it."""
    return today if calendar.is_working_day(today) else calendar.previous_working_day(today)


def overdue_now(*, today: date, calendar: WorkingCalendar) -> OverdueNow:
    """Open requests and registered objections at least one working day past their due date.

    A due date D is ≥ 1 working day overdue when some working day lies in (D, today], i.e.
    D < the last working day up to today — a plain SQL comparison on the cached ``due_date``.
    """
    cutoff = last_working_day(today, calendar)
    items = list(db.session.scalars(
        select(InformationRequest)
        .join(InformationRequest.applicant)
        .options(contains_eager(InformationRequest.applicant))
        .where(InformationRequest.status.in_([s.value for s in OPEN_STATUSES]),
               InformationRequest.due_date < cutoff)
        .order_by(InformationRequest.due_date, InformationRequest.id)
    ).unique())
    tasks_by_request: dict[int, list[RoutingTask]] = defaultdict(list)
    if items:
        tasks = db.session.scalars(
            select(RoutingTask)
            .where(RoutingTask.request_id.in_([item.id for item in items]),
                   RoutingTask.status == TaskStatus.OPEN.value)
            .order_by(RoutingTask.id)
        ).unique()
        for task in tasks:
            tasks_by_request[task.request_id].append(task)

    days_cache: dict[date, int] = {}

    def days_since(due: date) -> int:
        if due not in days_cache:
            days_cache[due] = calendar.working_days_between(due, today)
        return days_cache[due]

    groups: dict[str, HolderGroup] = {}
    for item in items:
        days = days_since(item.due_date)
        holders = tasks_by_request.get(item.id)
        if not holders:
            group = groups.setdefault(UNROUTED_KEY, HolderGroup(
                UNROUTED_KEY, _("PPID Utama (belum didisposisi)")))
            group.rows.append(OverdueRow(item, days))
            continue
        for task in holders:
            group = groups.setdefault(task.unit.code, HolderGroup(task.unit.code, task.unit.name))
            group.rows.append(OverdueRow(item, days, task.internal_due))
    for group in groups.values():
        group.rows.sort(key=lambda row: (-row.days_overdue, row.item.id))
    ordered = sorted(groups.values(), key=lambda g: (-g.count, g.key == UNROUTED_KEY, g.name))

    objections = db.session.scalars(
        select(Objection)
        .where(Objection.status == ObjectionStatus.REGISTERED.value, Objection.response_due < cutoff)
        .order_by(Objection.response_due, Objection.id)
    ).unique()
    overdue_objections = [OverdueObjection(o, days_since(o.response_due)) for o in objections]
    overdue_objections.sort(key=lambda row: (-row.days_overdue, row.objection.id))
    return OverdueNow(ordered, overdue_objections, len(items))


@bp.get("/monev/terlambat", endpoint="overdue_now")
@roles_required(*MONEV_ROLES)
def overdue_now_page():
    """Overdue now and who holds it (terlambat sekarang): grouped by the holding unit."""
    result = overdue_now(today=body_today(), calendar=working_calendar())
    response = render(
        "monev/overdue.html", block="overdue_rows", result=result, status_labels=STATUS_LABELS,
        summary_length=SUMMARY_LENGTH, short_date=lambda day: format_date(day, format="d MMM y"),
    )
    commit()  # the calendar may have imported a holiday year on first use
    return response



register_nav(50, "desk.overdue_now", _l("Terlambat sekarang"), {Role.PENGAWAS, Role.PPID_UTAMA, Role.ATASAN})
