"""Reads behind the monev pages: "overdue now and who holds it" (terlambat sekarang), the unit
list of the dashboard, the consultations served in a period and the annual report's deadline.

``overdue_now`` reads in a constant number of queries: one for the overdue requests (applicants
joined), one for their open routing tasks (units joined), one for the overdue objections
(requests joined); plus the calendar's holiday years. Days overdue are working days counted on
one calendar for the whole page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..consultations.selectors import consultation_counts_by_unit, consultation_tally
from ..extensions import db
from ..objections.lifecycle import objection_clock_running
from ..objections.models import Objection
from ..organisation.models import Unit
from ..organisation.unit_selectors import unit_scope_ids
from ..requests.gates import request_clock_running
from ..requests.models import InformationRequest
from ..routing.models import RoutingTask, TaskStatus
from ..sla import WorkingCalendar
from ..workcalendar import clock_sql
from .models import AnnualReport

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


def overdue_now(*, today: date, calendar: WorkingCalendar) -> OverdueNow:
    """Open requests and registered objections at least one working day past their due date.

    A due date D is ≥ 1 working day overdue when some working day lies in (D, today], i.e.
    D < the last working day up to today — a plain SQL comparison on the cached ``due_date``.
    """
    items = list(db.session.scalars(
        select(InformationRequest)
        .join(InformationRequest.applicant)
        .options(contains_eager(InformationRequest.applicant))
        .where(clock_sql.overdue_by_a_working_day_condition(
            running=request_clock_running(), due=InformationRequest.due_date, today=today, calendar=calendar))
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
        .where(clock_sql.overdue_by_a_working_day_condition(
            running=objection_clock_running(), due=Objection.response_due, today=today, calendar=calendar))
        .order_by(Objection.response_due, Objection.id)
    ).unique()
    overdue_objections = [OverdueObjection(o, days_since(o.response_due)) for o in objections]
    overdue_objections.sort(key=lambda row: (-row.days_overdue, row.objection.id))
    return OverdueNow(ordered, overdue_objections, len(items))


def annual_deadline(today: date) -> dict:
    """The next 31 March deadline for the annual report of the year before it."""
    deadline = date(today.year, 3, 31)
    if today > deadline:
        deadline = date(today.year + 1, 3, 31)
    report = db.session.get(AnnualReport, deadline.year - 1)
    return {"year": deadline.year, "report_year": deadline.year - 1, "deadline": deadline,
            "days_left": (deadline - today).days, "published": bool(report and report.published)}


def units_by_code() -> list:
    """Every unit's code, name, id and parent id, by code (the dashboard's names and league)."""
    return list(db.session.execute(select(Unit.code, Unit.name, Unit.id, Unit.parent_id).order_by(Unit.code)))


@dataclass(frozen=True)
class ConsultationRow:
    unit_id: int
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class ConsultationSummary:
    """The dashboard's consultations section: the period's total, how many became requests, by
    channel, and per unit (most first)."""

    total: int
    converted: int
    by_channel: dict[str, int]
    by_unit: list[ConsultationRow]


def consultations_in(start: date, end: date, unit_id: int | None = None, subunits: bool = True) -> ConsultationSummary:
    """Consultations served in the period, by the whole body or by one unit (and those under it)."""
    scope = unit_scope_ids(unit_id, subunits=subunits) if unit_id is not None else None
    tally = consultation_tally(scope, period=(start, end))
    counts = consultation_counts_by_unit(scope, period=(start, end))
    units = {row.id: row for row in db.session.execute(
        select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(list(counts))))} if counts else {}
    rows = [ConsultationRow(unit, units[unit].code, units[unit].name, count) for unit, count in counts.items()]
    rows.sort(key=lambda row: (-row.count, row.name.casefold()))
    return ConsultationSummary(tally.total, tally.converted, tally.by_channel, rows)
