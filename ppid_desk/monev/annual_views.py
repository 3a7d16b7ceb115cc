"""The annual report pages (laporan layanan informasi publik): the desk's page, print version,
PDF and XLSX, the narrative form of PPID Utama, and the public page of a published report.

The public page shows a published report without login: only aggregates and the narrative, never
a name or NIK. Figures are computed live from the log (``annual_selectors``; on the public pages
cached until the log, the calendar or the day changes, see ``monev.public_cache``).
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..accounts.roles import MONEV_ROLES
from ..errors import ValidationFailed
from ..extensions import db
from ..web.access import roles_required
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.spreadsheets import Sheet, download, xlsx_bytes
from ..web.transaction import commit
from ..workcalendar.selectors import body_today
from .annual_forms import AnnualReportForm
from .annual_selectors import (
    FigureTable,
    annual_charts,
    annual_figures,
    annual_report_get,
    narrative,
    report_deadline,
    report_editor,
    year_metrics,
)
from .annual_services import annual_report_save
from .blueprint import DESK, bp
from .models import AnnualReport
from .public_cache import cached

EDIT_ROLES = (Role.PPID_UTAMA,)
FIRST_YEAR = 2008  # UU 14/2008


# --- exports ---------------------------------------------------------------------------------

def annual_xlsx(year: int, tables: list[FigureTable], report: AnnualReport | None) -> bytes:
    units = {"count": _("jumlah"), "wd": _("hari kerja"), "share": _("pecahan 0–1"), "index": _("nilai")}
    figures = Sheet(_("Angka"), [_("Bagian"), _("Uraian"), _("Nilai"), _("Satuan")],
                    [[table.title, row.label, row.value, units[row.kind]] for table in tables for row in table.rows],
                    widths=[40, 60])
    text = Sheet(_("Narasi"), [_("Bagian"), _("Isi")], [list(section) for section in narrative(report)],
                 widths=[50, 100])
    return xlsx_bytes([figures, text], title=_("Laporan layanan informasi publik %(year)d", year=year))


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(year: int, extension: str) -> str:
    return f"laporan-layanan-informasi-publik-{year}.{extension}"


def _pdf_response(year: int, report: AnnualReport | None) -> Response:
    from .annual_pdf import annual_pdf
    metrics = year_metrics(year)
    data = annual_pdf(year=year, tables=annual_figures(metrics), charts=annual_charts(metrics),
                      sections=narrative(report), published=bool(report and report.published))
    return _download(data, "application/pdf", _filename(year, "pdf"))


# --- views -----------------------------------------------------------------------------------

def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= body_today().year:
        abort(404)
    return year


def _page(year: int, form: AnnualReportForm | None, status: int = 200) -> Response:
    report = annual_report_get(year)
    today = body_today()
    can_edit = current_user.has_role(*EDIT_ROLES)
    if can_edit and form is None:
        form = AnnualReportForm(obj=report) if report else AnnualReportForm()
    updated_by = report_editor(report)
    return render("monev/annual.html", block="annual_content", status=status, year=year, report=report,
                  tables=annual_figures(year_metrics(year)), sections=narrative(report),
                  deadline=report_deadline(year, today), form=form if can_edit else None,
                  updated_by=updated_by, years=range(today.year, max(FIRST_YEAR, today.year - 6) - 1, -1))


@bp.get(DESK + "/monev/laporan-tahunan")
@roles_required(*MONEV_ROLES)
def annual_report_current():
    return redirect(url_for("monev.annual_report", year=body_today().year - 1))


@bp.get(DESK + "/monev/laporan-tahunan/<int:year>")
@roles_required(*MONEV_ROLES)
def annual_report(year: int):
    return _page(_year_or_404(year), None)


@bp.post(DESK + "/monev/laporan-tahunan/<int:year>", endpoint="annual_report_save")
@roles_required(*EDIT_ROLES)
def annual_report_save_view(year: int):
    _year_or_404(year)
    form = AnnualReportForm()
    if not form.validate_on_submit():
        return _page(year, form, status=422)
    try:
        annual_report_save(actor=current_user, year=year, policy=form.policy.data,
                           facilities=form.facilities.data, obstacles=form.obstacles.data,
                           recommendations=form.recommendations.data, published=form.published.data,
                           today=body_today())
    except ValidationFailed as error:
        db.session.rollback()
        for name, message in error.errors.items():
            getattr(form, name).errors = [*getattr(form, name).errors, message]
        return _page(year, form, status=422)
    commit()
    flash(_("Laporan tahunan %(year)d diterbitkan.", year=year) if form.published.data
          else _("Laporan tahunan %(year)d disimpan.", year=year))
    return redirect(url_for("monev.annual_report", year=year), 303)


@bp.get(DESK + "/monev/laporan-tahunan/<int:year>/cetak")
@roles_required(*MONEV_ROLES)
def annual_report_print(year: int):
    _year_or_404(year)
    report = annual_report_get(year)
    return render("monev/annual_print.html", report_page=True, public=False, year=year, report=report,
                  tables=annual_figures(year_metrics(year)), sections=narrative(report),
                  deadline=report_deadline(year, body_today()))


@bp.get(DESK + "/monev/laporan-tahunan/<int:year>.pdf")
@roles_required(*MONEV_ROLES)
def annual_report_pdf(year: int):
    _year_or_404(year)
    return _pdf_response(year, annual_report_get(year))


@bp.get(DESK + "/monev/laporan-tahunan/<int:year>.xlsx")
@roles_required(*MONEV_ROLES)
def annual_report_xlsx(year: int):
    _year_or_404(year)
    data = annual_xlsx(year, annual_figures(year_metrics(year)), annual_report_get(year))
    return download(data, "xlsx", _filename(year, "xlsx"), private=False)


def _published_or_404(year: int) -> AnnualReport:
    report = annual_report_get(year)
    if report is None or not report.published:
        abort(404)
    return report


# The public pages read the figures from the cache of public aggregate pages (monev.public_cache):
# computed once per figures version and day, like /statistik.

def _public_metrics(year: int) -> dict:
    return cached("annual", (year,), body_today(), lambda: year_metrics(year))


@bp.get("/laporan-tahunan")
@public_page_limit
def annual_report_index():
    """Every published annual report, newest first (the public header links here)."""
    from sqlalchemy import select

    from ..extensions import db

    years = list(db.session.scalars(select(AnnualReport.year).where(AnnualReport.published.is_(True))
                                    .order_by(AnnualReport.year.desc())))
    return render("monev/annual_index.html", years=years)


@bp.get("/laporan-tahunan/<int:year>")
@public_page_limit
def annual_report_public(year: int):
    report = _published_or_404(year)
    response = render("monev/annual_print.html", report_page=True, public=True, year=year, report=report,
                      tables=annual_figures(_public_metrics(year)), sections=narrative(report), deadline=None)
    return response


@bp.get("/laporan-tahunan/<int:year>.pdf")
@public_page_limit
def annual_report_public_pdf(year: int):
    from .annual_pdf import annual_pdf

    report = _published_or_404(year)
    # The PDF (tens of milliseconds of layout) is cached too; the narrative's save time and the
    # language it is written in are part of its key.
    data = cached("annual-pdf", (year, report.updated_at, str(get_locale())), body_today(),
                  lambda: annual_pdf(year=year, tables=annual_figures(_public_metrics(year)),
                                     charts=annual_charts(_public_metrics(year)), sections=narrative(report),
                                     published=True))
    commit()
    return _download(data, "application/pdf", _filename(year, "pdf"))


