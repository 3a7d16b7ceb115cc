"""What the desk queue reads (selectors, no writes): which requests an officer may list, the
SQL form of the clock states, and one page of the queue in two queries (the rows with their
applicants and assignees, counted by a window function; the routing tasks with their units),
each reading only the columns the page shows or its clocks need (no ORM objects: a page is read
after every officer action, and the applicant's encrypted columns are never decrypted for it).

The clock state filters run in SQL on the cached ``due_date``, against calendar-date thresholds
worked out in Python from the working calendar; a row's badge is read at render time with one
calendar for the whole page (``row_clock_stop`` says from which day it no longer runs).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select

from ..accounts.models import User
from ..extensions import db
from ..organisation.models import Unit
from ..organisation.unit_selectors import unit_scope_ids
from ..requests.gates import request_clock_running
from ..requests.models import Applicant, InformationRequest, RequestStatus
from ..routing.conditions import held_by_unit
from ..routing.models import RoutingTask
from ..sla import ClockReading, ClockState, WorkingCalendar, read_clock
from ..workcalendar.clock_sql import clock_state_condition
from ..workcalendar.selectors import CalendarYearMissing, local_date
from .drilldowns import drilldown as drilldown_named
from .policy import READ_ALL_ROLES
from .queue_forms import PROMISE_FILTERS, ClockFilter, QueueFilters
from .queue_models import SavedQueueFilter

PER_PAGE = 25
ENDED_STATUSES = frozenset({RequestStatus.NOTICE_ISSUED, RequestStatus.DELIVERED, RequestStatus.CLOSED,
                            RequestStatus.WITHDRAWN, RequestStatus.NOT_COMPLETED})
SUMMARY_LENGTH = 90


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


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One row of the queue: the columns of a request the page shows or its clocks read."""

    id: int
    number: str
    status: str
    channel: str
    summary_start: str  # the first SUMMARY_LENGTH + 1 characters of the rincian (enough to truncate)
    applicant_name: str
    assignee_id: int | None
    assignee_name: str | None
    notice_due: date
    extended_due: date | None
    provide_by: date | None
    notice_at: datetime | None
    closed_at: datetime | None
    delivered_on: date | None
    delivered_at: datetime | None

    @property
    def current_due(self) -> date:
        return self.extended_due or self.notice_due


@dataclass(frozen=True, slots=True)
class QueueTask:
    """A routing task of a listed request, with its unit's code and name."""

    request_id: int
    unit_id: int
    status: str
    internal_due: date
    unit_code: str
    unit_name: str


@dataclass
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    pages: int
    tasks: dict[int, list[QueueTask]] = field(default_factory=dict)


_ITEM_COLUMNS = (
    InformationRequest.id, InformationRequest.number, InformationRequest.status, InformationRequest.channel,
    func.substr(InformationRequest.rincian, 1, SUMMARY_LENGTH + 1), Applicant.name,
    InformationRequest.assignee_id, User.name, InformationRequest.notice_due, InformationRequest.extended_due,
    InformationRequest.provide_by, InformationRequest.notice_at, InformationRequest.closed_at,
    InformationRequest.delivered_on, InformationRequest.delivered_at,
)


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
    if state in PROMISE_FILTERS:
        awaiting = and_(InformationRequest.status == RequestStatus.NOTICE_ISSUED.value,
                        InformationRequest.provide_by.is_not(None), InformationRequest.delivered_at.is_(None))
        if state == ClockFilter.PROMISE_OVERDUE:
            return clock_state_condition(ClockState.OVERDUE, running=awaiting, due=InformationRequest.provide_by,
                                         today=today)
        return or_(*(clock_state_condition(soon, running=awaiting, due=InformationRequest.provide_by, today=today,
                                           calendar=calendar, due_soon_wd=due_soon_wd)
                     for soon in (ClockState.DUE_TODAY, ClockState.DUE_SOON)))
    return clock_state_condition(state, running=request_clock_running(), due=InformationRequest.due_date,
                                 today=today, calendar=calendar, due_soon_wd=due_soon_wd)


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
    if filters.assignee_id is not None:
        conditions.append(InformationRequest.assignee_id == filters.assignee_id)
    if filters.unassigned:
        conditions.append(InformationRequest.assignee_id.is_(None))
    if filters.clock is not None:
        conditions.append(clock_condition(filters.clock, today, calendar, due_soon_wd))
    for word in filters.words:
        pattern = f"%{_escape_like(word)}%"
        conditions.append(or_(InformationRequest.number.ilike(pattern, escape="\\"),
                              Applicant.name.ilike(pattern, escape="\\"),
                              InformationRequest.rincian.ilike(pattern, escape="\\")))
    return conditions


def queue_count(filters: QueueFilters, scope: QueueScope, *, today: date, calendar: WorkingCalendar,
                due_soon_wd: int) -> int:
    """How many requests these filters select (one query)."""
    count = select(func.count()).select_from(InformationRequest)
    if filters.words:
        count = count.join(InformationRequest.applicant)
    conditions = queue_conditions(filters, scope, today=today, calendar=calendar, due_soon_wd=due_soon_wd)
    return db.session.scalar(count.where(*conditions)) or 0


def elsewhere_count(filters: QueueFilters, scope: QueueScope, *, today: date, calendar: WorkingCalendar,
                    due_soon_wd: int) -> int:
    """A search that found nothing in its statuses: how many requests it finds in the others
    (every status, the other filters kept). 0 when it is not a search or already every status."""
    if not filters.words or filters.statuses is None:
        return 0
    return queue_count(replace(filters, statuses=None), scope, today=today, calendar=calendar,
                       due_soon_wd=due_soon_wd)


def assignee_options(scope: QueueScope) -> list[tuple[int, str]]:
    """The officers some request (this officer may list) is assigned to, for the queue's filter."""
    query = (select(User.id, User.name).join(InformationRequest, InformationRequest.assignee_id == User.id)
             .distinct().order_by(User.name, User.id))
    if not scope.everything:
        query = query.where(_has_task(scope.unit_id) if scope.unit_id is not None else false())
    return [(row.id, row.name) for row in db.session.execute(query)]


def queue_page(filters: QueueFilters, scope: QueueScope, *, page: int, today: date,
               calendar: WorkingCalendar, due_soon_wd: int, per_page: int = PER_PAGE) -> QueuePage:
    """One page of the queue in two queries: the rows with their applicants' and assignees' names
    and how many rows match (a window count), then the tasks. A page past the end reads the count
    alone, then the last page.

    Sorted by the nearest deadline (then by id), or by registration, newest first.
    """
    conditions = queue_conditions(filters, scope, today=today, calendar=calendar, due_soon_wd=due_soon_wd)
    rows_query = (
        select(*_ITEM_COLUMNS, func.count().over())
        .join(InformationRequest.applicant)
        .outerjoin(User, User.id == InformationRequest.assignee_id)
        .where(*conditions)
        .order_by(*(
            (InformationRequest.id.desc(),) if filters.newest_first
            else (InformationRequest.provide_by, InformationRequest.id) if filters.clock in PROMISE_FILTERS
            else (InformationRequest.due_date, InformationRequest.id))))
    page = max(page, 1)
    rows = db.session.execute(rows_query.limit(per_page).offset((page - 1) * per_page)).all()
    if rows:
        total = rows[0][-1]
    else:
        total = queue_count(filters, scope, today=today, calendar=calendar, due_soon_wd=due_soon_wd) if page > 1 else 0
        if total:  # past the end: the last page
            page = math.ceil(total / per_page)
            rows = db.session.execute(rows_query.limit(per_page).offset((page - 1) * per_page)).all()
    pages = max(1, math.ceil(total / per_page))
    items = [QueueItem(*row[:-1]) for row in rows]
    return QueuePage(items=items, total=total, page=min(page, pages), pages=pages, tasks=tasks_of(items))


def tasks_of(items: list[QueueItem]) -> dict[int, list[QueueTask]]:
    """The routing tasks of these requests, with their units' codes and names, in one query."""
    tasks: dict[int, list[QueueTask]] = defaultdict(list)
    if items:
        rows = db.session.execute(
            select(RoutingTask.request_id, RoutingTask.unit_id, RoutingTask.status, RoutingTask.internal_due,
                   Unit.code, Unit.name)
            .join(Unit, Unit.id == RoutingTask.unit_id)
            .where(RoutingTask.request_id.in_([item.id for item in items]))
            .order_by(RoutingTask.request_id, RoutingTask.routed_at, RoutingTask.id))
        for row in rows:
            tasks[row.request_id].append(QueueTask(*row))
    return tasks


def row_clock_stop(item: InformationRequest | QueueItem, today: date) -> date | None:
    """The day the notice clock of a row stopped: its notice, or the end of a request that ended
    without one (it reads "selesai"); None while it runs."""
    stopped = local_date(item.notice_at) if item.notice_at else None
    if stopped is None and item.status in ENDED_STATUSES:
        stopped = local_date(item.closed_at) if item.closed_at else today
    return stopped


def promise_clock(item: InformationRequest | QueueItem, calendar: WorkingCalendar, today: date,
                  due_soon_wd: int) -> ClockReading | None:
    """The clock of the day the written notice promised the information by (``provide_by``), its
    own clock beside the notice's: running until the delivery, stopped at it (negative when the
    delivery was late, ground g); None when the notice promised no delivery."""
    if item.provide_by is None or item.notice_at is None:
        return None
    stopped = item.delivered_on or (local_date(item.delivered_at) if item.delivered_at else None)
    if stopped is None and item.status != RequestStatus.NOTICE_ISSUED:
        stopped = local_date(item.closed_at) if item.closed_at else today  # withdrawn or closed undelivered
    try:
        return read_clock(item.provide_by, today, calendar, stopped_on=stopped, due_soon_wd=due_soon_wd)
    except CalendarYearMissing:  # a promise years old, the years since never imported: the date alone
        return None


def saved_filters_of(user_id: int) -> list[SavedQueueFilter]:
    """This officer's saved filters, by name (nobody else's: they are private)."""
    return list(db.session.scalars(select(SavedQueueFilter).where(SavedQueueFilter.user_id == user_id)
                                   .order_by(func.lower(SavedQueueFilter.name), SavedQueueFilter.id)))
