"""Monev pages for supervisors: "overdue now and who holds it" (terlambat sekarang) and the
dashboard (tiles, league table, charts) for a period and optionally one unit. The reads are in
``dashboard_selectors`` and ``metrics``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import request, url_for
from flask_babel import format_date, format_decimal, format_number, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.roles import MONEV_ROLES
from ..organisation.unit_forms import SUBUNIT_PARAM, include_subunits
from ..organisation.unit_selectors import Purpose, picker_options, unit_by_code
from ..requests.labels import ACCESSIBILITY_LABELS, OUTCOME_LABELS, STATUS_LABELS
from ..web import formatting
from ..web.access import roles_required
from ..web.forms import parse_int
from ..web.htmx import render
from ..workcalendar.selectors import body_today, working_calendar
from .blueprint import DESK, bp
from .charts import WD_BUCKETS, Bar, bar_chart
from .dashboard_selectors import annual_deadline, overdue_now, units_by_code
from .metrics import monev_metrics
from .predicates import BUCKETS, wd_bucket_name

SUMMARY_LENGTH = 90


@bp.get(DESK + "/monev/terlambat", endpoint="overdue_now")
@roles_required(*MONEV_ROLES)
def overdue_now_page():
    """Overdue now and who holds it (terlambat sekarang): grouped by the holding unit."""
    result = overdue_now(today=body_today(), calendar=working_calendar())
    response = render(
        "monev/overdue.html", block="overdue_rows", result=result, status_labels=STATUS_LABELS,
        summary_length=SUMMARY_LENGTH, short_date=formatting.short_date,
    )
    return response


# --- the supervisor dashboard (GET /meja/monev) ------------------------------------------------

PERIOD_KINDS = ("bulan", "triwulan", "semester", "tahun", "kustom")
PERIOD_LABELS = {"bulan": _l("Bulan"), "triwulan": _l("Triwulan"), "semester": _l("Semester"),
                 "tahun": _l("Tahun"), "kustom": _l("Rentang tanggal")}
TREND_MONTHS_MAX = 12
YEAR_MIN, YEAR_MAX = 2000, 2100


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int  # month, quarter or semester (1 for a year or a custom range)
    start: date
    end: date

    def args(self) -> dict[str, str]:
        if self.kind == "kustom":
            return {"periode": self.kind, "dari": self.start.isoformat(), "sampai": self.end.isoformat()}
        args = {"periode": self.kind, "tahun": str(self.year)}
        if self.kind != "tahun":
            args[self.kind] = str(self.number)
        return args


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def period_of(kind: str, year: int, number: int = 1) -> Period:
    """The period of a month (1–12), quarter (1–4), semester (1–2) or year."""
    months = {"bulan": 1, "triwulan": 3, "semester": 6, "tahun": 12}[kind]
    first = (number - 1) * months + 1 if kind != "tahun" else 1
    return Period(kind, year, number, date(year, first, 1), _month_end(year, first + months - 1))


def _int_arg(args, name: str, low: int, high: int) -> int | None:
    return parse_int(args.get(name), low, high)


def parse_period(args, today: date) -> tuple[Period, list[str]]:
    """The period from GET arguments; invalid parts fall back to this year, with a message."""
    errors: list[str] = []
    default = period_of("tahun", today.year)
    kind = (args.get("periode") or "tahun").strip()
    if kind not in PERIOD_KINDS:
        return default, [_("Jenis periode tidak dikenal; ditampilkan tahun ini.")]
    if kind == "kustom":
        try:
            start = date.fromisoformat((args.get("dari") or "").strip())
            end = date.fromisoformat((args.get("sampai") or "").strip())
        except ValueError:
            return default, [_("Isi tanggal awal dan akhir dengan format TTTT-BB-HH; ditampilkan tahun ini.")]
        if end < start or not (start.year >= YEAR_MIN and end.year <= YEAR_MAX):
            return default, [_("Tanggal akhir harus sama dengan atau setelah tanggal awal; ditampilkan tahun ini.")]
        return Period("kustom", start.year, 1, start, end), errors
    year = _int_arg(args, "tahun", YEAR_MIN, YEAR_MAX)
    if year is None:
        if args.get("tahun"):
            errors.append(_("Tahun tidak valid; ditampilkan tahun ini."))
        year = today.year
    if kind == "tahun":
        return period_of(kind, year), errors
    high = {"bulan": 12, "triwulan": 4, "semester": 2}[kind]
    number = _int_arg(args, kind, 1, high)
    if number is None:
        errors.append(_("Pilih %(period)s yang valid; ditampilkan tahun %(year)d.",
                        period=str(PERIOD_LABELS[kind]).lower(), year=year))
        return period_of("tahun", year), errors
    return period_of(kind, year, number), errors


def trend_months(period: Period, today: date) -> list[tuple[date, date]]:
    """The months of the period up to today (the last 12 at most), each clipped to the period."""
    last = min(period.end, today)
    months: list[tuple[date, date]] = []
    cursor = date(period.start.year, period.start.month, 1)
    while cursor <= last:
        end = _month_end(cursor.year, cursor.month)
        months.append((max(cursor, period.start), min(end, period.end)))
        cursor = end + timedelta(days=1)
    return months[-TREND_MONTHS_MAX:]


def wd_to_notice_buckets(histogram: dict[str, int]) -> dict[str, int]:
    """Counts of WD from registration to notice per bucket of ``WD_BUCKETS``, from the histogram
    ``monev_metrics`` returns under ``wd_to_notice`` (no query of its own)."""
    counts = dict.fromkeys((label for label, _low, _high in WD_BUCKETS), 0)
    for value, n in histogram.items():
        label = next(label for label, _low, high in WD_BUCKETS if high is None or int(value) <= high)
        counts[label] += n
    return counts


def pct(share: float | None) -> str:
    """A share 0–1 as shown on monev pages ("83,3%"), or an em dash when nothing is counted."""
    return "—" if share is None else format_percent(share, format="#,##0.0%")


def days_text(value: float | None) -> str:
    return "—" if value is None else format_decimal(value, format="#,##0.#")


def drilldown(bucket: str, start: date, end: date, unit_code: str | None, subunits: bool = True) -> str:
    """The desk queue listing exactly the requests behind a number (``predicates.BUCKETS``)."""
    args = {"monev": bucket, "dari": start.isoformat(), "sampai": end.isoformat()}
    if unit_code:
        args["unit"] = unit_code
        if not subunits:
            args[SUBUNIT_PARAM] = "0"
    return url_for("desk.queue", **args)


def dashboard_context(period: Period, unit_code: str | None, today: date, subunits: bool = True) -> dict:
    """Everything the dashboard shows, from one ``monev_metrics`` call."""
    metrics = monev_metrics(start=period.start, end=period.end, unit_code=unit_code, today=today,
                            subunits=subunits)
    buckets = wd_to_notice_buckets(metrics["wd_to_notice"]["histogram"])
    unit_rows = units_by_code()
    units = {row.code: row.name for row in unit_rows}
    parents = {row.parent_id for row in unit_rows}
    with_subunits = {row.code for row in unit_rows if row.id in parents}

    def link(bucket: str, unit: str | None = unit_code, start: date = period.start, end: date = period.end,
             subunits: bool = subunits) -> str:
        return drilldown(bucket, start, end, unit, subunits)

    completeness = metrics["register_complete"]
    register_args = {"dari": period.start.isoformat(), "sampai": period.end.isoformat()}
    if unit_code:
        register_args["unit"] = unit_code
        if not subunits:
            register_args[SUBUNIT_PARAM] = "0"
    register = {"share": pct(completeness["share"]), "complete": format_number(completeness["complete"]),
                "rows": format_number(completeness["rows"]),
                "url": url_for("monev.register_requests", **register_args)}
    tiles = [
        (_("Permohonan diterima"), format_number(metrics["received"]["total"]), None, link("diterima")),
        (_("Tepat waktu ≤ 10 hari kerja"), pct(metrics["on_time_10"]["share"]),
         _("%(n)s dari %(d)s", n=format_number(metrics["on_time_10"]["on_time"]),
           d=format_number(metrics["on_time_10"]["counted"])), link("tepat_10")),
        (_("Tepat waktu dalam batas hukum"), pct(metrics["on_time_legal"]["share"]),
         _("%(n)s dari %(d)s", n=format_number(metrics["on_time_legal"]["on_time"]),
           d=format_number(metrics["on_time_legal"]["counted"])), link("tepat_hukum")),
        (_("Terlambat sekarang"), format_number(metrics["overdue_open"]["count"]), None,
         link("terlambat_sekarang")),
        (_("Median hari kerja sampai pemberitahuan"), days_text(metrics["wd_to_notice"]["median"]),
         _("dari %(n)s pemberitahuan", n=format_number(metrics["wd_to_notice"]["count"])),
         link("diberi_pemberitahuan")),
        (_("Disampaikan setelah tanggal yang dijanjikan"), format_number(metrics["late_delivery"]["late"]),
         _("dari %(n)s yang disampaikan; %(p)s lewat tanggal dan belum disampaikan",
           n=format_number(metrics["late_delivery"]["on_time"] + metrics["late_delivery"]["late"]),
           p=format_number(metrics["late_delivery"]["passed_open"])),
         link("disampaikan_terlambat")),
        (_("Keberatan"), format_number(metrics["objection_rate"]["count"]), None,
         url_for("objections.objection_queue", status="semua")),
    ]
    league = []
    for code, index in sorted(metrics["index"]["by_unit"].items(),
                              key=lambda kv: (-(kv[1]["score"] if kv[1]["score"] is not None else -1), kv[0])):
        league.append({
            "code": code, "name": units.get(code, code),
            "received": format_number(metrics["received"]["by_unit"].get(code, 0)),
            "overdue": format_number(metrics["overdue_open"]["by_unit"].get(code, 0)),
            "score": days_text(index["score"]), "band": index["band"] or "—",
            # A league row counts the unit's own tasks: its links leave out the units under it.
            "received_url": link("diterima", code, subunits=code not in with_subunits),
            "overdue_url": link("terlambat_sekarang", code, subunits=code not in with_subunits),
        })

    trend = []
    by_month = metrics["on_time_legal"]["by_month"]
    for month_start, month_end in trend_months(period, today):
        share = by_month.get(month_start.strftime("%Y-%m"), {}).get("share")
        trend.append(Bar(format_date(month_start, format="MMM y"), 100 * (share or 0), pct(share),
                         link("diterima", start=month_start, end=month_end)))
    outcome_labels = {str(k): str(v) for k, v in OUTCOME_LABELS.items()} | {"pending": _("Belum diputus")}
    outcomes = [Bar(outcome_labels.get(key, key), count, format_number(count),
                    link("belum_diputus" if key == "pending" else f"hasil_{key}"))
                for key, count in metrics["outcomes"].items()]
    charts = [
        bar_chart(ident="chart-trend", title=_("Tren bulanan: tepat waktu dalam batas hukum"),
                  description=_("Persentase permohonan yang diberi pemberitahuan tertulis tepat waktu, per bulan "
                                "penerimaan."), bars=trend, value_heading=_("Tepat waktu"), max_value=100),
        bar_chart(ident="chart-outcomes", title=_("Hasil permohonan"),
                  description=_("Jumlah permohonan per hasil pemberitahuan tertulis."), bars=outcomes,
                  value_heading=_("Jumlah")),
        bar_chart(ident="chart-wd", title=_("Sebaran hari kerja sampai pemberitahuan"),
                  description=_("Jumlah pemberitahuan menurut lama penyelesaian dalam hari kerja."),
                  bars=[Bar(_("%(range)s hari kerja", range=label), buckets[label], format_number(buckets[label]),
                            link(wd_bucket_name(low, high)))
                        for label, low, high in WD_BUCKETS], value_heading=_("Jumlah")),
        bar_chart(ident="chart-pasal17", title=_("Penolakan menurut Pasal 17"),
                  description=_("Jumlah penolakan dan pemberian sebagian per huruf Pasal 17 UU KIP (satu "
                                "permohonan dapat memakai beberapa huruf)."),
                  bars=[Bar(_("Pasal 17 huruf %(letter)s", letter=letter), n, format_number(n),
                            link(f"pasal17_{letter}") if f"pasal17_{letter}" in BUCKETS else None)
                        for letter, n in metrics["refusal_basis"].items()], value_heading=_("Jumlah")),
        bar_chart(ident="chart-accessibility", title=_("Kebutuhan aksesibilitas pemohon"),
                  description=_("Jumlah permohonan per kebutuhan aksesibilitas yang dinyatakan (satu permohonan "
                                "dapat menyatakan beberapa). Dengan kebutuhan apa pun: %(n)s.",
                                n=format_number(metrics["accessibility"]["requests"])),
                  bars=[Bar(ACCESSIBILITY_LABELS[need], n, format_number(n), link(f"aksesibilitas_{need}"))
                        for need, n in metrics["accessibility"]["by_need"].items()], value_heading=_("Jumlah")),
    ]
    return {"metrics": metrics, "tiles": tiles, "league": league, "charts": charts, "buckets": buckets,
            "units": units, "deadline": annual_deadline(today), "register": register,
            "index_body": metrics["index"]["body"], "index_score": days_text(metrics["index"]["body"]["score"])}


@bp.get(DESK + "/monev", endpoint="monev_dashboard")
@roles_required(*MONEV_ROLES)
def monev_dashboard():
    """Supervisor dashboard: tiles, league table and charts for a period and optionally one unit."""
    today = body_today()
    period, errors = parse_period(request.args, today)
    typed = (request.args.get("unit") or "").strip()[:64]
    unit = unit_by_code(typed) if typed else None
    if typed and unit is None:
        errors.append(_("Unit tidak dikenal; ditampilkan seluruh badan publik."))
    unit_code = unit.code if unit is not None else None
    subunits = include_subunits(request.args)
    context = dashboard_context(period, unit_code, today, subunits)
    response = render(
        "monev/dashboard.html", block="dashboard_body", period=period, unit_code=unit_code, errors=errors,
        subunits=subunits, unit_options=picker_options(Purpose.FILTER), unit_typed=typed,
        period_kinds=PERIOD_LABELS, months=[(m, format_date(date(2000, m, 1), format="MMMM")) for m in range(1, 13)],
        today=today, short_date=formatting.day_date, **context,
    )
    return response


