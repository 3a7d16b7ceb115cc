"""The desk queue (antrean permohonan): every request an officer may see, nearest deadline first.
The view parses the filters and renders; what it reads is in ``queue_selectors``."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..accounts.models import User
from ..extensions import db
from ..organisation.unit_forms import SUBUNIT_PARAM
from ..organisation.unit_selectors import Purpose, picker_options
from ..routing.labels import TASK_STATUS_LABELS
from ..web.access import roles_required
from ..web.forms import EmptyForm, page_arg, parse_int
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
    QueueScope,
    assignee_options,
    elsewhere_count,
    promise_clock,
    queue_page,
    row_clock,
    saved_filters_of,
)


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
    args = filter_args(form)

    def page_url(page: int) -> str:
        return url_for("desk.queue", **args, **({"halaman": page} if page > 1 else {}))

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
    clocks = {item.id: row_clock(item, calendar, today, due_soon_wd) for item in result.items}
    promises = {item.id: reading for item in result.items
                if (reading := promise_clock(item, calendar, today, due_soon_wd)) is not None}
    applied = filter_args(form)
    save_form = save_form or SaveFilterForm(formdata=None)
    save_form.query.data = query_string(applied)
    may_route = can(user, Action.ROUTE)
    if may_route:
        bulk_form = bulk_form or BulkRouteForm(formdata=None, data={"instruction": str(DEFAULT_BULK_INSTRUCTION)})
        bulk_form.kembali.data = query_string({**applied, **({"halaman": [str(result.page)]} if result.page > 1 else {})})
    response = render(
        "desk/queue.html", block="queue_rows", status=status, form=form, filters=filters, ignored=ignored,
        result=result, clocks=clocks, promises=promises, is_unit_officer=not scope.everything, own_unit=scope.unit_id,
        total_text=format_number(result.total),
        page_url=page_url_maker(form), task_labels=TASK_STATUS_LABELS, summary_length=SUMMARY_LENGTH, queue_url=url_for("desk.queue"),
        page_window=page_window(result.page, result.pages),
        more_filters_active=any(name != "q" for name in applied) or bool(form.messages),
        drilldown=drilldown, period_messages=form.messages,
        unit_options=picker_options(Purpose.FILTER) if scope.everything else None,
        elsewhere=elsewhere, elsewhere_text=format_number(elsewhere or 0), elsewhere_url=elsewhere_url,
        saved_filters=saved_filters_of(user.id), saved_url=saved_filter_url, saved_in_use=_saved_in_use(user, args),
        save_form=save_form, bulk_form=bulk_form if may_route else None,
        bulk_units=picker_options(Purpose.ROUTE) if may_route else None, selected=set(selected),
        delete_form=EmptyForm(formdata=None),
    )
    return response


@bp.get("/")
@roles_required(*STAFF_ROLES)
@cached_page
def queue():
    """The queue for this officer's role, filtered by GET parameters (htmx swaps the rows)."""
    return queue_response(request.args)
