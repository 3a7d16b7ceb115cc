"""The desk queue (antrean permohonan): every request an officer may see, nearest deadline first.
The view parses the filters and renders; what it reads is in ``queue_selectors``."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import User
from ..organisation.unit_forms import SUBUNIT_PARAM
from ..organisation.unit_selectors import Purpose, picker_options
from ..routing.labels import TASK_STATUS_LABELS
from ..web.access import roles_required
from ..web.forms import page_arg
from ..web.htmx import render
from ..workcalendar.selectors import body_today, working_calendar
from .blueprint import bp
from .drilldowns import drilldown as drilldown_named
from .policy import STAFF_ROLES
from .queue_forms import OPEN, QueueFilterForm
from .queue_selectors import SUMMARY_LENGTH, QueueScope, promise_clock, queue_page, row_clock


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
    promises = {item.id: reading for item in result.items
                if (reading := promise_clock(item, calendar, today, due_soon_wd)) is not None}
    response = render(
        "desk/queue.html", block="queue_rows", form=form, filters=filters, ignored=ignored,
        result=result, clocks=clocks, promises=promises, is_unit_officer=not scope.everything, own_unit=scope.unit_id,
        total_text=format_number(result.total),
        page_url=page_url_maker(form), task_labels=TASK_STATUS_LABELS, summary_length=SUMMARY_LENGTH, queue_url=url_for("desk.queue"),
        page_window=page_window(result.page, result.pages),
        more_filters_active=any(name != "q" for name in filter_args(form)) or bool(form.messages),
        drilldown=drilldown, period_messages=form.messages,
        unit_options=picker_options(Purpose.FILTER) if scope.everything else None,
    )
    return response

