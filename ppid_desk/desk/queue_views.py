"""The desk queue (antrean permohonan): every request an officer may see, nearest deadline first.
The view parses the filters and renders; what it reads is in ``queue_selectors``."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from flask import current_app, request, url_for
from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from jinja2.filters import do_truncate
from werkzeug.datastructures import MultiDict

from ..accounts.models import User
from ..extensions import db
from ..organisation.unit_forms import SUBUNIT_PARAM
from ..organisation.unit_selectors import Purpose, picker_options_for
from ..requests.labels import CHANNEL_LABELS, STATUS_LABELS, label
from ..routing.labels import TASK_STATUS_LABELS
from ..routing.models import TaskStatus
from ..sla import ClockReading, ClockState, WorkingCalendar, read_clock
from ..web.access import roles_required
from ..web.formatting import long_date
from ..web.forms import page_arg, parse_int
from ..web.htmx import render
from ..web.render_cache import cached_page
from ..workcalendar.selectors import body_today, working_calendar
from .blueprint import bp
from .drilldowns import drilldown as drilldown_named
from .policy import STAFF_ROLES, Action, can
from .queue_forms import (
    ALL,
    DEFAULT_BULK_INSTRUCTION,
    OPEN,
    BulkRouteForm,
    QueueFilterForm,
    SaveFilterForm,
)
from .queue_models import SavedQueueFilter
from .queue_selectors import (
    SUMMARY_LENGTH,
    QueuePage,
    QueueScope,
    assignee_options,
    elsewhere_count,
    promise_clock,
    queue_page,
    row_clock_stop,
    saved_filters_of,
)


@dataclass(frozen=True, slots=True)
class Badge:
    """A clock badge as ``requests/_clock_badge.html`` writes it: its classes and its text."""

    css: str
    text: str


@dataclass(frozen=True, slots=True)
class QueueRow:
    """What one row of the queue shows, every text worked out once in Python: the page is read
    after every officer action, and a template macro, include, ``url_for`` or gettext call per
    cell cost more than the rest of the page together."""

    id: int
    number: str
    url: str
    pick_label: str
    status: str
    channel: str
    applicant: str
    summary: str
    own_tasks: tuple[tuple[str, str], ...]  # a unit officer's view: (task status, "tenggat internal …")
    units: tuple[tuple[str, str], ...]  # everybody else's: the live tasks' (unit code, "name — status")
    assignee: str | None
    mine: bool  # assigned to the officer reading the page
    due: str
    extended: bool
    badge: Badge
    promise: str | None  # "Informasi dijanjikan …" while the promised delivery's clock runs
    promise_badge: Badge | None


def memoized(compute: Callable) -> Callable:
    """``compute`` remembered per argument, for one page (a few statuses and dates, many rows)."""
    seen: dict[Hashable, object] = {}

    def get(key):
        try:
            return seen[key]
        except KeyError:
            seen[key] = value = compute(key)
            return value

    return get


def id_url(endpoint: str, argument: str) -> Callable[[int], str]:
    """``url_for(endpoint, **{argument: id})`` for many ids, with one ``url_for``."""
    marker = 987654321987
    head, _, tail = url_for(endpoint, **{argument: marker}).partition(str(marker))
    return lambda ident: f"{head}{ident}{tail}"


class BadgeTexts:
    """``requests/_clock_badge.html`` in Python, each text translated once per page (and count)."""

    def __init__(self) -> None:
        self.done = _("selesai")
        self.today = _("batas waktu hari ini")
        self.late = memoized(lambda n: ngettext("terlambat %(n)d hari kerja", "terlambat %(n)d hari kerja", n, n=n))
        self.left = memoized(lambda n: ngettext("%(n)d hari kerja lagi", "%(n)d hari kerja lagi", n, n=n))

    def __call__(self, clock: ClockReading) -> Badge:
        left = clock.working_days_left
        if clock.state == ClockState.STOPPED:
            return Badge("badge badge-done", self.done)
        if clock.state == ClockState.OVERDUE:
            return Badge("badge badge-late", self.late(-left))
        if clock.state == ClockState.DUE_TODAY:
            return Badge("badge badge-warn", self.today)
        if clock.state == ClockState.DUE_SOON:
            return Badge("badge badge-warn", self.left(left))
        return Badge("badge", self.left(left))


def queue_rows(result: QueuePage, *, user_id: int, unit_officer: bool, own_unit: int | None,
               calendar: WorkingCalendar, today: date, due_soon_wd: int) -> list[QueueRow]:
    """The rows of one page of the queue, ready to print."""
    environment = current_app.jinja_env
    url = id_url("desk.request_page", "request_id")
    day = memoized(long_date)
    status = memoized(lambda code: label(STATUS_LABELS, code))
    channel = memoized(lambda code: label(CHANNEL_LABELS, code))
    task_status = memoized(lambda code: label(TASK_STATUS_LABELS, code))
    badge = BadgeTexts()
    notice_badge = memoized(lambda due_and_stop: badge(read_clock(
        due_and_stop[0], today, calendar, stopped_on=due_and_stop[1], due_soon_wd=due_soon_wd)))
    pick, internal_due, promised = _("Pilih %(number)s"), _("tenggat internal %(day)s"), _("Informasi dijanjikan %(day)s")
    rows = []
    for item in result.items:
        tasks = result.tasks.get(item.id, ())
        promise = promise_clock(item, calendar, today, due_soon_wd)
        if promise is not None and promise.state == ClockState.STOPPED:
            promise = None
        rows.append(QueueRow(
            id=item.id, number=item.number, url=url(item.id), pick_label=pick % {"number": item.number},
            status=status(item.status), channel=channel(item.channel),
            applicant="" if unit_officer else item.applicant_name,
            summary=do_truncate(environment, item.summary_start.replace("\n", " "), SUMMARY_LENGTH, leeway=0),
            own_tasks=tuple((task_status(task.status), internal_due % {"day": day(task.internal_due)})
                            for task in tasks if task.unit_id == own_unit) if unit_officer else (),
            units=() if unit_officer else tuple(
                (task.unit_code, f"{task.unit_name} — {task_status(task.status)}")
                for task in tasks if task.status != TaskStatus.CANCELLED),
            assignee=item.assignee_name, mine=item.assignee_id == user_id,
            due=day(item.current_due), extended=item.extended_due is not None,
            badge=notice_badge((item.current_due, row_clock_stop(item, today))),
            promise=None if promise is None else promised % {"day": day(item.provide_by)},
            promise_badge=None if promise is None else badge(promise),
        ))
    return rows


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
            "monev": [form.monev.data or ""], "petugas": [form.petugas.data or ""]}
    if args["monev"][0] and args["status"] == ["semua"]:
        args["status"] = []  # implied by the drill-down
    return {name: [v for v in values if v] for name, values in args.items() if any(values)}


def page_url_maker(form: QueueFilterForm):
    """The URL of a page of this queue (the filters kept); one ``url_for`` for every page link."""
    first = url_for("desk.queue", **filter_args(form))
    joiner = "&" if "?" in first else "?"

    def page_url(page: int) -> str:
        return f"{first}{joiner}{urlencode({'halaman': page})}" if page > 1 else first

    return page_url


def query_string(args: dict[str, list[str]]) -> str:
    """URL parameters (as ``filter_args`` gives them) as one query string."""
    return urlencode([(name, value) for name, values in args.items() for value in values])


def saved_filter_url(saved: SavedQueueFilter) -> str:
    """The queue with a saved filter applied; ``simpanan`` names it so the page can say so."""
    query = saved.query + ("&" if saved.query else "") + urlencode({"simpanan": saved.id})
    return url_for("desk.queue") + "?" + query


def _saved_in_use(user: User, args: MultiDict) -> SavedQueueFilter | None:
    saved_id = parse_int(args.get("simpanan") or "")
    if saved_id is None:
        return None
    saved = db.session.get(SavedQueueFilter, saved_id)
    return saved if saved is not None and saved.user_id == user.id else None


def queue_response(args: MultiDict, *, status: int = 200, save_form: SaveFilterForm | None = None,
                   bulk_form: BulkRouteForm | None = None, selected: tuple[int, ...] | list[int] = ()):
    """The queue for this officer's role, filtered by ``args`` (htmx swaps the rows); the save and
    bulk-routing forms are passed back with their messages when a POST failed."""
    user: User = current_user._get_current_object()
    scope = QueueScope.of(user)
    config = current_app.config
    due_soon_wd = config["DUE_SOON_WD"]
    form = QueueFilterForm(args, due_soon_wd=due_soon_wd, show_units=scope.everything, user_id=user.id,
                           officers=assignee_options(scope))
    filters, ignored = form.filters()
    page = page_arg(args)
    page_number = page if page is not None else 1
    if page is None:
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
    elsewhere = elsewhere_url = None
    if not result.total:
        elsewhere = elsewhere_count(filters, scope, today=today, calendar=calendar, due_soon_wd=due_soon_wd)
        if elsewhere:
            elsewhere_url = url_for("desk.queue", **{**filter_args(form), "status": [ALL]})
    rows = queue_rows(result, user_id=user.id, unit_officer=not scope.everything, own_unit=scope.unit_id,
                      calendar=calendar, today=today, due_soon_wd=due_soon_wd)
    applied = filter_args(form)
    if not filters.is_default or (save_form is not None and save_form.errors):  # else no save form shown
        save_form = save_form or SaveFilterForm(formdata=None)
        save_form.query.data = query_string(applied)
    else:
        save_form = None
    may_route = can(user, Action.ROUTE)
    if may_route and rows:  # the bulk form is shown only above rows
        bulk_form = bulk_form or BulkRouteForm(formdata=None, data={"instruction": str(DEFAULT_BULK_INSTRUCTION)})
        bulk_form.kembali.data = query_string({**applied, **({"halaman": [str(result.page)]} if result.page > 1 else {})})
    else:
        bulk_form = None
    pickers = picker_options_for(*(purpose for purpose, shown in ((Purpose.FILTER, scope.everything),
                                                                    (Purpose.ROUTE, bulk_form is not None)) if shown))
    response = render(
        "desk/queue.html", block="queue_rows", status=status, form=form, filters=filters, ignored=ignored,
        result=result, rows=rows, is_unit_officer=not scope.everything,
        total_text=format_number(result.total),
        page_url=page_url_maker(form), queue_url=url_for("desk.queue"),
        page_window=page_window(result.page, result.pages),
        more_filters_active=any(name != "q" for name in applied) or bool(form.messages),
        drilldown=drilldown, period_messages=form.messages,
        unit_options=pickers.get(Purpose.FILTER),
        elsewhere=elsewhere, elsewhere_text=format_number(elsewhere or 0), elsewhere_url=elsewhere_url,
        saved_filters=saved_filters_of(user.id), saved_url=saved_filter_url, saved_in_use=_saved_in_use(user, args),
        save_form=save_form, bulk_form=bulk_form,
        bulk_units=pickers.get(Purpose.ROUTE), selected=set(selected),
    )
    return response


@bp.get("/")
@roles_required(*STAFF_ROLES)
@cached_page
def queue():
    """The queue for this officer's role, filtered by GET parameters (htmx swaps the rows)."""
    return queue_response(request.args)
