"""The statutory register pages (register permohonan, register keberatan; KIP §4): filtered by
period and unit, shown 50 rows a page and downloaded whole as CSV or XLSX in the legal column
order. The rows come from ``register_selectors``."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import Role
from ..desk.queue_views import page_window
from ..organisation.unit_forms import include_subunits
from ..organisation.unit_selectors import Purpose, picker_options, unit_by_code
from ..web.access import roles_required
from ..web.forms import page_arg
from ..web.htmx import render
from ..web.spreadsheets import download
from ..workcalendar.selectors import body_today
from .blueprint import DESK, bp
from .register_columns import OBJECTION_COLUMNS, REQUEST_COLUMNS, html_cell, to_csv, to_xlsx
from .register_pdf import register_pdf
from .register_selectors import RegisterFilters, objection_register, request_register

REGISTER_ROLES = (Role.PENGAWAS, Role.PPID_UTAMA, Role.ATASAN, Role.PETUGAS)


# --- filters ----------------------------------------------------------------------------------

def _parse_date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def parse_filters(args, today: date) -> tuple[RegisterFilters, list[str]]:
    """The period (``dari``/``sampai``, default this year) and ``unit`` (a code); what was ignored."""
    ignored: list[str] = []
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    parsed_start, parsed_end = _parse_date(args.get("dari")), _parse_date(args.get("sampai"))
    if args.get("dari") and parsed_start is None:
        ignored.append(_("tanggal awal"))
    if args.get("sampai") and parsed_end is None:
        ignored.append(_("tanggal akhir"))
    start, end = parsed_start or start, parsed_end or end
    if start > end:
        ignored.append(_("periode (tanggal awal sesudah tanggal akhir)"))
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    unit = None
    code = (args.get("unit") or "").strip()
    if code:
        unit = unit_by_code(code)
        if unit is None:
            ignored.append(_("unit"))
    return RegisterFilters(start, end, unit, include_subunits(args)), ignored


REGISTERS = {
    "permohonan": (request_register, REQUEST_COLUMNS, _l("Register permohonan informasi publik"),
                   "monev.register_requests", _l("permohonan")),
    "keberatan": (objection_register, OBJECTION_COLUMNS, _l("Register keberatan"),
                  "monev.register_objections", _l("keberatan")),
}


def _download(kind: str, filters: RegisterFilters, fmt: str) -> Response:
    selector, columns, title, _endpoint, _noun = REGISTERS[kind]
    rows = selector(filters).rows
    if fmt == "pdf":
        return _pdf(kind, filters, rows)
    body = to_csv(columns, rows) if fmt == "csv" else to_xlsx(columns, rows, title=f"Register {kind}")
    return download(body, fmt, filters.filename(kind, fmt))


def _pdf(kind: str, filters: RegisterFilters, rows) -> Response:
    """The whole register of the period and unit as a PDF on the letterhead (never cached)."""
    _selector, columns, title, _endpoint, _noun = REGISTERS[kind]
    unit_name = None
    if filters.unit is not None:
        unit_name = filters.unit.name + (" " + _("dan sub-unitnya") if filters.subunits else "")
    body = register_pdf(title=str(title), headers=[str(column.header) for column in columns],
                        cells=[[html_cell(column.value(row)) for column in columns] for row in rows],
                        weights=[column.width for column in columns], period=(filters.start, filters.end),
                        unit_name=unit_name)
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filters.filename(kind, "pdf")}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _register_page(kind: str) -> Response:
    filters, ignored = parse_filters(request.args, body_today())
    fmt = (request.args.get("format") or "").strip().lower()
    if fmt in ("csv", "xlsx", "pdf"):
        return _download(kind, filters, fmt)
    if fmt:
        abort(404)
    selector, columns, title, endpoint, noun = REGISTERS[kind]
    number = page_arg(request.args) or 1
    result = selector(filters, page=number)
    args = filters.args()

    def page_url(page: int) -> str:
        return url_for(endpoint, **args, **({"halaman": page} if page > 1 else {}))

    units = picker_options(Purpose.FILTER)
    cells = [[html_cell(column.value(row)) for column in columns] for row in result.rows]
    return render(
        "monev/register.html", block="register_rows", kind=kind, title=title, noun=noun, columns=columns,
        cells=cells, result=result, filters=filters, ignored=ignored, units=units, page_url=page_url,
        page_window=page_window(result.page, result.pages), register_url=url_for(endpoint),
        csv_url=url_for(endpoint, **args, format="csv"), xlsx_url=url_for(endpoint, **args, format="xlsx"),
        pdf_url=url_for(endpoint, **args, format="pdf"))


@bp.get(DESK + "/register/permohonan", endpoint="register_requests")
@roles_required(*REGISTER_ROLES)
def register_requests():
    return _register_page("permohonan")


@bp.get(DESK + "/register/keberatan", endpoint="register_objections")
@roles_required(*REGISTER_ROLES)
def register_objections():
    return _register_page("keberatan")


