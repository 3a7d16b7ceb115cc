"""The annual report (laporan layanan informasi publik): the UU KIP Pasal 12 figures generated from
``monev_metrics`` for the calendar year, plus the Perki 1/2021 narrative sections PPID Utama writes.

One figure set (``annual_figures``) feeds the page, the A4 print version, the PDF and the XLSX, so
they always show the same numbers. The public page shows a published report without login: only
aggregates and the narrative, never a name or NIK. Figures are computed live from the log (on the
public pages: cached until the log, the calendar or the day changes, see ``monev.public_cache``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import Response, abort, flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts.models import Role, User
from ..accounts.roles import MONEV_ROLES
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..desk.nav import register_nav
from ..desk.views import bp
from ..errors import ValidationFailed
from ..extensions import db
from ..requests.labels import CHANNEL_LABELS, EVENT_LABELS, OUTCOME_LABELS
from ..requests.models import Channel, Outcome
from ..requests.views import bp as public_bp
from ..web import formatting
from ..web.access import roles_required
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.spreadsheets import Sheet, download, xlsx_bytes
from ..web.transaction import commit
from ..workcalendar.selectors import body_today
from .annual_forms import NARRATIVE_FIELDS, AnnualReportForm
from .metrics import monev_metrics
from .models import AnnualReport
from .public_cache import cached

EDIT_ROLES = (Role.PPID_UTAMA,)
FIRST_YEAR = 2008  # UU 14/2008

EVENT_LABELS.update({
    "annual_report_saved": _l("Laporan tahunan disimpan"),
    "annual_report_published": _l("Laporan tahunan diterbitkan"),
    "annual_report_unpublished": _l("Penerbitan laporan tahunan dibatalkan"),
})
SECTION_TITLES = {
    "policy": _l("Kebijakan pelayanan informasi publik"),
    "facilities": _l("Sarana dan prasarana, sumber daya manusia, dan anggaran"),
    "obstacles": _l("Kendala eksternal dan internal"),
    "recommendations": _l("Rekomendasi dan rencana tindak lanjut"),
}


# --- figures ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureRow:
    label: str
    value: int | float | None
    kind: str = "count"  # count | wd (working days) | share (fraction 0–1)

    @property
    def text(self) -> str:
        return format_value(self.value, self.kind)


@dataclass
class FigureTable:
    title: str
    rows: list[FigureRow] = field(default_factory=list)

    def add(self, label, value, kind: str = "count") -> None:
        self.rows.append(FigureRow(str(label), value, kind))


def format_value(value, kind: str = "count") -> str:
    """Number text in the reader's language (the PDF and XLSX are always Indonesian): "–" for
    nothing, shares as percentages with one decimal, working days with at most two."""
    if value is None:
        return "–"
    if kind == "share":
        return formatting.percent(value, 1)
    if kind == "wd":
        return formatting.decimal(value, 2)
    return formatting.number(int(value))


def _durations(table: FigureTable, label: str, stats: dict) -> None:
    table.add(_("%(what)s: jumlah permohonan", what=label), stats["count"])
    table.add(_("%(what)s: median", what=label), stats["median"], "wd")
    table.add(_("%(what)s: rata-rata", what=label), stats["mean"], "wd")
    table.add(_("%(what)s: persentil ke-90", what=label), stats["p90"], "wd")


def annual_figures(metrics: dict) -> list[FigureTable]:
    """The Pasal 12 tables from one ``monev_metrics`` result."""
    received = FigureTable(_("Permohonan informasi publik"))
    received.add(_("Jumlah permohonan yang diterima"), metrics["received"]["total"])
    channels = metrics["received"]["by_channel"]
    for channel in Channel:
        received.add(_("Melalui %(channel)s", channel=CHANNEL_LABELS[channel]), channels.get(channel.value, 0))
    for other in sorted(set(channels) - {c.value for c in Channel}):
        received.add(_("Melalui %(channel)s", channel=other), channels[other])
    received.add(_("Dicabut oleh pemohon"), metrics["outcomes"].get(Outcome.WITHDRAWN.value, 0))
    received.add(_("Jangka waktu diperpanjang"), metrics["extended"]["count"])

    timing = FigureTable(_("Waktu pemenuhan permohonan (hari kerja)"))
    _durations(timing, _("Sampai pemberitahuan tertulis"), metrics["wd_to_notice"])
    _durations(timing, _("Sampai informasi diserahkan"), metrics["wd_to_delivery"])
    timing.add(_("Pemberitahuan dalam 10 hari kerja"), metrics["on_time_10"]["share"], "share")
    timing.add(_("Pemberitahuan dalam batas waktu undang-undang (termasuk perpanjangan)"),
               metrics["on_time_legal"]["share"], "share")

    outcomes = FigureTable(_("Hasil permohonan"))
    for outcome in (Outcome.GRANTED_FULL, Outcome.GRANTED_PARTIAL, Outcome.REFUSED, Outcome.NOT_HELD,
                    Outcome.NOT_DOCUMENTED):
        outcomes.add(OUTCOME_LABELS[outcome], metrics["outcomes"].get(outcome.value, 0))
    outcomes.add(_("Belum diputus"), metrics["outcomes"].get("pending", 0))

    refusals = FigureTable(_("Alasan penolakan (Pasal 17 UU 14/2008)"))
    refusals.add(_("Jumlah permohonan yang ditolak"), metrics["refusal_quality"]["refusals"])
    for letter, count in metrics["refusal_basis"].items():
        refusals.add(_("Pasal 17 huruf %(letter)s", letter=letter), count)

    objections = FigureTable(_("Keberatan"))
    on_time, upheld = metrics["objection_on_time"], metrics["objection_upheld"]
    objections.add(_("Jumlah keberatan"), metrics["objection_rate"]["count"])
    objections.add(_("Ditanggapi tepat waktu"), on_time["on_time"])
    objections.add(_("Tanggapan yang sudah jatuh tempo"), on_time["counted"])
    objections.add(_("Bagian yang ditanggapi tepat waktu"), on_time["share"], "share")
    objections.add(_("Diputus oleh atasan PPID"), upheld["decided"])
    objections.add(_("Diputus untuk kepentingan pemohon"), upheld["overturned"])

    disputes = FigureTable(_("Sengketa informasi"))
    disputes.add(_("Jumlah sengketa ke Komisi Informasi"), metrics["disputes"]["count"])
    for outcome, count in sorted(metrics["disputes"]["outcomes"].items()):
        disputes.add(_("Belum diputus") if outcome == "pending" else _("Putusan: %(outcome)s", outcome=outcome),
                     count)
    return [received, timing, outcomes, refusals, objections, disputes]


def year_metrics(year: int) -> dict:
    return monev_metrics(start=date(year, 1, 1), end=date(year, 12, 31), unit_code=None, today=body_today())


@dataclass(frozen=True)
class Deadline:
    due: date
    days_left: int
    late: bool
    year_open: bool  # the reported year has not ended yet


def report_deadline(year: int, today: date) -> Deadline:
    """The report is due "paling lambat 31 Maret" of the following year."""
    due = date(year + 1, 3, 31)
    return Deadline(due=due, days_left=(due - today).days, late=today > due, year_open=today.year <= year)


# --- services --------------------------------------------------------------------------------

def annual_report_get(year: int) -> AnnualReport | None:
    return db.session.get(AnnualReport, year)


def annual_report_save(*, actor: User, year: int, policy: str | None, facilities: str | None,
                       obstacles: str | None, recommendations: str | None, published: bool,
                       today: date) -> AnnualReport:
    """Store the narrative; publishing needs every section and a finished year. Flush, never commit."""
    texts = {"policy": policy or None, "facilities": facilities or None, "obstacles": obstacles or None,
             "recommendations": recommendations or None}
    if published:
        errors = {name: _("Isi bagian ini sebelum laporan diterbitkan.") for name, text in texts.items() if not text}
        if today.year <= year:
            errors["published"] = _("Laporan tahun %(year)d baru dapat diterbitkan setelah tahun itu berakhir.",
                                    year=year)
        if errors:
            raise ValidationFailed(errors)
    report = annual_report_get(year)
    if report is None:
        report = AnnualReport(year=year, published=False)
        db.session.add(report)
    changed = [name for name, text in texts.items() if getattr(report, name) != text]
    was_published = bool(report.published)
    for name, text in texts.items():
        setattr(report, name, text)
    report.published = published
    report.updated_by_id = actor.id
    report.updated_at = utcnow()
    db.session.flush()
    kind = ("annual_report_published" if published and not was_published
            else "annual_report_unpublished" if was_published and not published else "annual_report_saved")
    event_log(actor=actor, subject_type="annual_report", subject_id=year, kind=kind,
              data={"year": year, "sections": changed, "published": published})
    return report


# --- exports ---------------------------------------------------------------------------------

def narrative(report: AnnualReport | None) -> list[tuple[str, str]]:
    return [(str(SECTION_TITLES[name]), (getattr(report, name, None) or "") if report else "")
            for name in NARRATIVE_FIELDS]


def annual_xlsx(year: int, tables: list[FigureTable], report: AnnualReport | None) -> bytes:
    units = {"count": _("jumlah"), "wd": _("hari kerja"), "share": _("pecahan 0–1")}
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
    data = annual_pdf(year=year, tables=annual_figures(year_metrics(year)), sections=narrative(report),
                      published=bool(report and report.published))
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
    updated_by = db.session.get(User, report.updated_by_id) if report and report.updated_by_id else None
    return render("monev/annual.html", block="annual_content", status=status, year=year, report=report,
                  tables=annual_figures(year_metrics(year)), sections=narrative(report),
                  deadline=report_deadline(year, today), form=form if can_edit else None,
                  updated_by=updated_by, years=range(today.year, max(FIRST_YEAR, today.year - 6) - 1, -1))


@bp.get("/monev/laporan-tahunan")
@roles_required(*MONEV_ROLES)
def annual_report_current():
    return redirect(url_for("desk.annual_report", year=body_today().year - 1))


@bp.get("/monev/laporan-tahunan/<int:year>")
@roles_required(*MONEV_ROLES)
def annual_report(year: int):
    return _page(_year_or_404(year), None)


@bp.post("/monev/laporan-tahunan/<int:year>", endpoint="annual_report_save")
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
    return redirect(url_for("desk.annual_report", year=year), 303)


@bp.get("/monev/laporan-tahunan/<int:year>/cetak")
@roles_required(*MONEV_ROLES)
def annual_report_print(year: int):
    _year_or_404(year)
    report = annual_report_get(year)
    return render("monev/annual_print.html", report_page=True, public=False, year=year, report=report,
                  tables=annual_figures(year_metrics(year)), sections=narrative(report),
                  deadline=report_deadline(year, body_today()))


@bp.get("/monev/laporan-tahunan/<int:year>.pdf")
@roles_required(*MONEV_ROLES)
def annual_report_pdf(year: int):
    _year_or_404(year)
    return _pdf_response(year, annual_report_get(year))


@bp.get("/monev/laporan-tahunan/<int:year>.xlsx")
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


@public_bp.get("/laporan-tahunan/<int:year>")
@public_page_limit
def annual_report_public(year: int):
    report = _published_or_404(year)
    response = render("monev/annual_print.html", report_page=True, public=True, year=year, report=report,
                      tables=annual_figures(_public_metrics(year)), sections=narrative(report), deadline=None)
    return response


@public_bp.get("/laporan-tahunan/<int:year>.pdf")
@public_page_limit
def annual_report_public_pdf(year: int):
    from .annual_pdf import annual_pdf

    report = _published_or_404(year)
    # The PDF (tens of milliseconds of layout) is cached too; the narrative's save time and the
    # language it is written in are part of its key.
    data = cached("annual-pdf", (year, report.updated_at, str(get_locale())), body_today(),
                  lambda: annual_pdf(year=year, tables=annual_figures(_public_metrics(year)),
                                     sections=narrative(report), published=True))
    commit()
    return _download(data, "application/pdf", _filename(year, "pdf"))


register_nav(46, "desk.annual_report_current", _l("Laporan tahunan"), MONEV_ROLES)
