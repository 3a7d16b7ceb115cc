"""The annual report pages (laporan layanan informasi publik): the desk's page, print version,
PDF and XLSX, the narrative form of PPID Utama, and the public page of a published report.

The public page shows a published report without login: only aggregates and the narrative, never
a name or NIK. Figures are computed live from the log (``annual_selectors``; on the public pages
cached until the log, the calendar or the day changes, see ``monev.public_cache``).
"""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role, User
from ..accounts.roles import MONEV_ROLES
from ..errors import ValidationFailed
from ..extensions import db
from ..web.access import roles_required
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.spreadsheets import Sheet, download, xlsx_bytes
from ..web.transaction import commit
from ..workcalendar.selectors import body_today
from .annual_forms import AnnualReportForm, SubmissionForm
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
from .annual_submission_services import (
    SUBMISSION_CHANNELS,
    annual_report_submission_record,
    submission_problems,
    submission_proof,
)
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


def _submission_form(report: AnnualReport | None) -> SubmissionForm:
    form = SubmissionForm(formdata=None)
    if report is not None and report.submitted_on is not None:
        form.submitted_on.data = report.submitted_on.isoformat()
        form.submitted_via.data = report.submitted_via
        form.submitted_to.data = report.submitted_to
        form.submission_note.data = report.submission_note
    return form


def _page(year: int, form: AnnualReportForm | None, status: int = 200, *,
          submission: SubmissionForm | None = None, staged_proof=None) -> Response:
    report = annual_report_get(year)
    today = body_today()
    can_edit = current_user.has_role(*EDIT_ROLES)
    if can_edit and form is None:
        form = AnnualReportForm(obj=report) if report else AnnualReportForm()
    if can_edit and submission is None and today.year > year:
        submission = _submission_form(report)
    updated_by = report_editor(report)
    recorded_by = (db.session.get(User, report.submission_recorded_by_id)
                   if report is not None and report.submission_recorded_by_id else None)
    return render("monev/annual.html", block="annual_content", status=status, year=year, report=report,
                  tables=annual_figures(year_metrics(year)), sections=narrative(report),
                  deadline=report_deadline(year, today), form=form if can_edit else None,
                  submission=submission if can_edit else None, proof=submission_proof(year),
                  staged_proof=staged_proof, channels=SUBMISSION_CHANNELS, recorded_by=recorded_by,
                  upload_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
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


@bp.post(DESK + "/monev/laporan-tahunan/<int:year>/penyampaian", endpoint="annual_report_submission")
@roles_required(*EDIT_ROLES)
def annual_report_submission_view(year: int):
    """Record the day the report went to the Komisi Informasi, with the proof (PPID Utama)."""
    from ..attachments.models import AttachmentPurpose
    from ..requests.views import document_for_field

    today = body_today()
    _year_or_404(year)
    if today.year <= year:
        abort(404)  # nothing to submit before the year ends
    form = SubmissionForm()
    valid = form.validate_on_submit()
    proof = document_for_field(form, AttachmentPurpose.ANNUAL_REPORT_PROOF, form.proof, form.proof_token,
                               required=False)
    if not valid or form.proof.errors:
        # Every field's problem at once: the record's own checks too, where the form found none.
        problems = submission_problems(
            year=year, submitted_on=getattr(form.submitted_on, "day", None), via=form.submitted_via.data,
            to=form.submitted_to.data, note=form.submission_note.data,
            has_proof=proof is not None or bool(form.proof.errors), today=today)
        for name, message in problems.items():
            field = getattr(form, name)
            if not field.errors:
                field.errors = [*field.errors, message]
        commit()  # keeps an accepted proof staged: it is not asked for again
        return _page(year, None, status=422, submission=form, staged_proof=proof)
    try:
        annual_report_submission_record(
            actor=current_user._get_current_object(), year=year, submitted_on=form.submitted_on.day,
            via=form.submitted_via.data, to=form.submitted_to.data, note=form.submission_note.data,
            proof=proof, today=today)
    except ValidationFailed as error:  # raised before anything is written: the staged proof is kept
        commit()
        for name, message in error.errors.items():
            getattr(form, name).errors = [*getattr(form, name).errors, message]
        return _page(year, None, status=422, submission=form, staged_proof=proof)
    commit()
    flash(_("Penyampaian laporan tahunan %(year)d ke Komisi Informasi dicatat.", year=year), "success")
    return redirect(url_for("monev.annual_report", year=year) + "#penyampaian", 303)


@bp.get(DESK + "/monev/laporan-tahunan/<int:year>/bukti-penyampaian")
@roles_required(*MONEV_ROLES)
def annual_report_proof(year: int):
    """The proof of the year's submission, as uploaded (never cached)."""
    from ..attachments.services import attachment_read

    _year_or_404(year)
    proof = submission_proof(year)
    if proof is None:
        abort(404)
    response = Response(attachment_read(proof), mimetype=proof.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{proof.original_name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


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


