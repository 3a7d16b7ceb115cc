"""The desk queue (antrean permohonan): every request an officer may see, nearest deadline first.

Reads only: one query for the page (applicants joined), one for its count, one for the page's
routing tasks and their units. The clock state filters run in SQL on the cached ``due_date``,
against calendar-date thresholds worked out in Python from the working calendar; the badge
of each row is read at render time with one calendar for the whole page.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask import current_app, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select
from sqlalchemy.orm import contains_eager

from ..accounts.models import User
from ..extensions import db
from ..organisation.unit_forms import SUBUNIT_PARAM
from ..organisation.unit_selectors import Purpose, picker_options, unit_scope_ids
from ..requests.models import OPEN_STATUSES, Applicant, InformationRequest, RequestStatus
from ..routing.conditions import held_by_unit
from ..routing.labels import TASK_STATUS_LABELS
from ..routing.models import RoutingTask
from ..sla import ClockReading, WorkingCalendar, read_clock
from ..web import formatting
from ..web.access import roles_required
from ..web.forms import page_arg
from ..web.htmx import render
from ..workcalendar.selectors import body_today, local_date, working_calendar
from .drilldowns import drilldown as drilldown_named
from .nav import register_nav
from .policy import READ_ALL_ROLES, STAFF_ROLES
from .queue_forms import OPEN, ClockFilter, QueueFilterForm, QueueFilters
from .views import bp

PER_PAGE = 25
ENDED_STATUSES = frozenset({RequestStatus.NOTICE_ISSUED, RequestStatus.DELIVERED, RequestStatus.CLOSED,
                            RequestStatus.WITHDRAWN})
SUMMARY_LENGTH = 90


# --- selectors ----------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueScope:
    """Which requests this officer may list: all, or those routed to one unit (PPID Pembantu)."""

    unit_id: int | None = None
    everything: bool = True

    @classmethod
    def of(cls, user: User) -> QueueScope:
        if user.has_role(*READ_ALL_ROLES):
            return cls()
        return cls(unit_id=user.unit_id, everything=False)


@dataclass
class QueuePage:
    items: list[InformationRequest]
    total: int
    page: int
    pages: int
    tasks: dict[int, list[RoutingTask]] = field(default_factory=dict)


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _has_task(unit_id: int) -> ColumnElement[bool]:
    """EXISTS a routing task of this request for the unit (no duplicate rows, unlike a join)."""
    return exists().where(RoutingTask.request_id == InformationRequest.id, RoutingTask.unit_id == unit_id)


def clock_condition(state: str, today: date, calendar: WorkingCalendar,
                    due_soon_wd: int) -> ColumnElement[bool]:
    """The SQL condition for one clock state, matching ``sla.read_clock`` on open requests.

    ``read_clock`` counts the working days in (today, due]: 0 is due today, 1..N due soon. So
    with ``day(k)`` the k-th working day after today, due today is today ≤ due < day(1), due
    soon is day(1) ≤ due < day(N+1), on track is due ≥ day(N+1) and overdue is due < today.
    """
    if state == ClockFilter.EXTENDED:
        return InformationRequest.extended_due.is_not(None)
    running = and_(InformationRequest.status.in_(OPEN_STATUSES), InformationRequest.notice_at.is_(None))
    return running_clock_condition(state, running, InformationRequest.due_date, today, calendar, due_soon_wd)


def running_clock_condition(state: str, running: ColumnElement[bool], due, today: date,
                            calendar: WorkingCalendar, due_soon_wd: int) -> ColumnElement[bool]:
    """One clock state (overdue, due today, due soon, on track) of a running clock with ``due``;
    shared by the request queue and the objection queue."""
    if state == ClockFilter.OVERDUE:
        return and_(running, due < today)
    next_day = calendar.add_working_days(today, 1)
    if state == ClockFilter.DUE_TODAY:
        return and_(running, due >= today, due < next_day)
    soon_end = calendar.add_working_days(today, due_soon_wd + 1)
    if state == ClockFilter.DUE_SOON:
        return and_(running, due >= next_day, due < soon_end)
    if state == ClockFilter.ON_TRACK:
        return and_(running, due >= soon_end)
    raise ValueError(f"unknown clock state {state!r}")


def queue_conditions(filters: QueueFilters, scope: QueueScope, *, today: date,
                     calendar: WorkingCalendar, due_soon_wd: int) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not scope.everything:
        if scope.unit_id is None:
            conditions.append(false())  # a unit officer without a unit sees nothing
        else:
            conditions.append(_has_task(scope.unit_id))
    if filters.statuses is not None:
        conditions.append(InformationRequest.status.in_(sorted(filters.statuses)))
    if filters.unit_id is not None:
        # A live task to the unit (or to any unit under it): the same condition as monev's unit.
        conditions.append(held_by_unit(unit_scope_ids(filters.unit_id, subunits=filters.subunits)))
    if filters.channel is not None:
        conditions.append(InformationRequest.channel == filters.channel)
    if filters.monev is not None:
        # Exactly the set behind the monev number; the unit is the unit filter above (same condition).
        conditions.extend(drilldown_named(filters.monev).terms(filters.start, filters.end, today))
    else:
        if filters.start is not None:
            conditions.append(InformationRequest.receipt_date >= filters.start)
        if filters.end is not None:
            conditions.append(InformationRequest.receipt_date <= filters.end)
    if filters.clock is not None:
        conditions.append(clock_condition(filters.clock, today, calendar, due_soon_wd))
    for word in filters.words:
        pattern = f"%{_escape_like(word)}%"
        conditions.append(or_(InformationRequest.number.ilike(pattern, escape="\\"),
                              Applicant.name.ilike(pattern, escape="\\"),
                              InformationRequest.rincian.ilike(pattern, escape="\\")))
    return conditions


def queue_page(filters: QueueFilters, scope: QueueScope, *, page: int, today: date,
               calendar: WorkingCalendar, due_soon_wd: int, per_page: int = PER_PAGE) -> QueuePage:
    """One page of the queue in three queries: the count, the rows with their applicants, the tasks.

    Sorted by the nearest deadline (then by id), or by registration, newest first.
    """
    conditions = queue_conditions(filters, scope, today=today, calendar=calendar, due_soon_wd=due_soon_wd)
    count = select(func.count()).select_from(InformationRequest)
    if filters.words:
        count = count.join(InformationRequest.applicant)
    total = db.session.scalar(count.where(*conditions)) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    items = list(db.session.scalars(
        select(InformationRequest)
        .join(InformationRequest.applicant)
        .options(contains_eager(InformationRequest.applicant))
        .where(*conditions)
        .order_by(*(
            (InformationRequest.id.desc(),) if filters.newest_first
            else (InformationRequest.due_date, InformationRequest.id)))
        .limit(per_page).offset((page - 1) * per_page)
    )) if total else []
    return QueuePage(items=items, total=total, page=page, pages=pages, tasks=tasks_of(items))


def tasks_of(items: list[InformationRequest]) -> dict[int, list[RoutingTask]]:
    """The routing tasks of these requests, with their units, in one query."""
    tasks: dict[int, list[RoutingTask]] = defaultdict(list)
    if items:
        rows = db.session.scalars(
            select(RoutingTask).where(RoutingTask.request_id.in_([item.id for item in items]))
            .order_by(RoutingTask.request_id, RoutingTask.routed_at, RoutingTask.id))
        for task in rows:
            tasks[task.request_id].append(task)
    return tasks


def row_clock(item: InformationRequest, calendar: WorkingCalendar, today: date,
              due_soon_wd: int) -> ClockReading:
    """The deadline badge of one row; a request that ended without a notice reads "selesai"."""
    stopped = local_date(item.notice_at) if item.notice_at else None
    if stopped is None and item.status in ENDED_STATUSES:
        stopped = local_date(item.closed_at) if item.closed_at else today
    return read_clock(item.current_due, today, calendar, stopped_on=stopped, due_soon_wd=due_soon_wd)


# --- view ---------------------------------------------------------------------------------

def _page_number() -> tuple[int, bool]:
    page = page_arg(request.args)
    return (page, True) if page is not None else (1, False)


def page_window(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to link: the first, the last and ``around`` either side; None for a gap."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and number - window[-1] > 1:
            window.append(None)
        window.append(number)
    return window


def filter_args(form: QueueFilterForm) -> dict[str, list[str]]:
    """The applied filters as URL parameters (never echoes unknown parameters back)."""
    args = {"q": [form.q.data or ""], "status": [v for v in form.status.data if v != OPEN],
            "unit": [form.unit_found.code if form.unit_found is not None else ""],
            SUBUNIT_PARAM: ["0" if form.unit_found is not None and not form.subunits else ""],
            "kanal": [form.kanal.data or ""],
            "tenggat": [form.tenggat.data or ""], "urut": [form.urut.data or ""],
            "dari": [start.isoformat() if (start := form.applied_period[0]) else ""],
            "sampai": [end.isoformat() if (end := form.applied_period[1]) else ""],
            "monev": [form.monev.data or ""]}
    if args["monev"][0] and args["status"] == ["semua"]:
        args["status"] = []  # implied by the drill-down
    return {name: [v for v in values if v] for name, values in args.items() if any(values)}


def page_url_maker(form: QueueFilterForm):
    args = filter_args(form)

    def page_url(page: int) -> str:
        return url_for("desk.queue", **args, **({"halaman": page} if page > 1 else {}))

    return page_url


@bp.get("/")
@roles_required(*STAFF_ROLES)
def queue():
    """The queue for this officer's role, filtered by GET parameters (htmx swaps the rows)."""
    user: User = current_user._get_current_object()
    scope = QueueScope.of(user)
    config = current_app.config
    due_soon_wd = config["DUE_SOON_WD"]
    form = QueueFilterForm(request.args, due_soon_wd=due_soon_wd, show_units=scope.everything)
    filters, ignored = form.filters()
    page_number, page_ok = _page_number()
    if not page_ok:
        ignored.append(_("Halaman"))

    calendar = working_calendar()
    today = body_today()
    drilldown = None
    if filters.monev is not None:
        bucket = drilldown_named(filters.monev)
        unit_name = form.unit_found.name if form.unit_found is not None else None
        clear = {k: v for k, v in filter_args(form).items() if k not in ("monev", "dari", "sampai", "status")}
        drilldown = {"label": bucket.label, "start": filters.start, "end": filters.end, "unit": filters.unit,
                     "unit_name": unit_name, "subunits": filters.subunits, "clear_url": url_for("desk.queue", **clear)}
    result = queue_page(filters, scope, page=page_number, today=today, calendar=calendar,
                        due_soon_wd=due_soon_wd)
    clocks = {item.id: row_clock(item, calendar, today, due_soon_wd) for item in result.items}
    response = render(
        "desk/queue.html", block="queue_rows", form=form, filters=filters, ignored=ignored,
        result=result, clocks=clocks, is_unit_officer=not scope.everything, own_unit=scope.unit_id,
        total_text=format_number(result.total),
        page_url=page_url_maker(form), short_date=formatting.short_date,
        task_labels=TASK_STATUS_LABELS, summary_length=SUMMARY_LENGTH, queue_url=url_for("desk.queue"),
        page_window=page_window(result.page, result.pages),
        more_filters_active=any(name != "q" for name in filter_args(form)) or bool(form.messages),
        drilldown=drilldown, period_messages=form.messages,
        unit_options=picker_options(Purpose.FILTER) if scope.everything else None,
    )
    return response


register_nav(10, "desk.queue", _l("Antrean permohonan"), STAFF_ROLES)
