"""Monev pages for supervisors: "overdue now and who holds it" (terlambat sekarang) and the
dashboard (tiles, league table, charts) for a period and optionally one unit. The reads are in
``dashboard_selectors`` and ``metrics``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import request, url_for
from flask_babel import format_date, format_decimal, format_number, format_percent
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.roles import CONSULTATION_ROLES, MONEV_ROLES
from ..consultations.labels import CHANNEL_LABELS as CONSULTATION_CHANNEL_LABELS
from ..dip.freshness import freshness_by_unit
from ..organisation.unit_forms import SUBUNIT_PARAM, include_subunits
from ..organisation.unit_selectors import Purpose, picker_options, unit_by_code, unit_scope_ids
from ..requests.labels import ACCESSIBILITY_LABELS, OUTCOME_LABELS, STATUS_LABELS
from ..survey.selectors import suggestions
from ..web.access import roles_required
from ..web.htmx import render
from ..workcalendar.selectors import body_today, working_calendar
from .blueprint import DESK, bp
from .charts import WD_BUCKETS, Bar, Chart, bar_chart, column_chart
from .dashboard_periods import CUSTOM, Period, PeriodPick, month_end, read_period
from .dashboard_periods import picker_options as period_choices
from .dashboard_selectors import annual_deadline, consultations_in, overdue_now, units_by_code
from .metrics import band_label, monev_metrics
from .predicates import BUCKETS, wd_bucket_name
from .satisfaction import satisfaction_figures

SUMMARY_LENGTH = 90


@bp.get(DESK + "/monev/terlambat", endpoint="overdue_now")
@roles_required(*MONEV_ROLES)
def overdue_now_page():
    """Overdue now and who holds it (terlambat sekarang): grouped by the holding unit."""
    result = overdue_now(today=body_today(), calendar=working_calendar())
    response = render(
        "monev/overdue.html", block="overdue_rows", result=result, status_labels=STATUS_LABELS,
        summary_length=SUMMARY_LENGTH, )
    return response


# --- the supervisor dashboard (GET /meja/monev) ------------------------------------------------

TREND_MONTHS_MAX = 12
SORT_PARAM, ORDER_PARAM = "urut", "arah"
ASCENDING, DESCENDING = "naik", "turun"


@dataclass(frozen=True)
class LeagueColumn:
    key: str
    label: str
    numeric: bool
    first_order: str  # the direction of a first click: numbers high first, names A–Z


def league_columns() -> list[LeagueColumn]:
    return [
        LeagueColumn("unit", _("Unit"), False, ASCENDING),
        LeagueColumn("diterima", _("Diterima"), True, DESCENDING),
        LeagueColumn("jawaban", _("Jawaban unit tepat waktu"), True, DESCENDING),
        LeagueColumn("terlambat", _("Terlambat sekarang"), True, DESCENDING),
        LeagueColumn("informasi_publik", _("Dijawab dari informasi publik"), True, DESCENDING),
        LeagueColumn("indeks", _("Indeks layanan"), True, DESCENDING),
    ]


LEAGUE_SORTS = ("unit", "diterima", "jawaban", "terlambat", "informasi_publik", "indeks")
DEFAULT_SORT = ("indeks", DESCENDING)


def league_sort(args) -> tuple[str, str]:
    """The league table's order from ``urut``/``arah``; the index, highest first, by default."""
    key = (args.get(SORT_PARAM) or "").strip()
    if key not in LEAGUE_SORTS:
        return DEFAULT_SORT
    order = (args.get(ORDER_PARAM) or "").strip()
    if order not in (ASCENDING, DESCENDING):
        order = next(c.first_order for c in league_columns() if c.key == key)
    return key, order


def sort_league(rows: list[dict], key: str, order: str) -> list[dict]:
    """Rows ordered by one column; a row without a value (no index, no answered task) always
    last, ties by unit code."""
    by_code = sorted(rows, key=lambda row: row["code"])
    if key == "unit":
        return sorted(by_code, key=lambda row: row["name"].casefold(), reverse=order == DESCENDING)
    present = [row for row in by_code if row["sort"][key] is not None]
    missing = [row for row in by_code if row["sort"][key] is None]
    return sorted(present, key=lambda row: row["sort"][key], reverse=order == DESCENDING) + missing


def trend_months(period: Period, today: date) -> list[tuple[date, date]]:
    """The months of the period up to today (the last 12 at most), each clipped to the period."""
    last = min(period.end, today)
    months: list[tuple[date, date]] = []
    cursor = date(period.start.year, period.start.month, 1)
    while cursor <= last:
        end = month_end(cursor.year, cursor.month)
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


def of(n: int, d: int) -> str:
    """The count behind a percentage: "3 dari 6"."""
    return _("%(n)s dari %(d)s", n=format_number(n), d=format_number(d))


def drilldown(bucket: str, start: date, end: date, unit_code: str | None, subunits: bool = True) -> str:
    """The desk queue listing exactly the requests behind a number (``predicates.BUCKETS``)."""
    args = {"monev": bucket, "dari": start.isoformat(), "sampai": end.isoformat()}
    if unit_code:
        args["unit"] = unit_code
        if not subunits:
            args[SUBUNIT_PARAM] = "0"
    return url_for("desk.queue", **args)


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    detail: str | None
    href: str
    hint: str = ""


def _tiles(metrics: dict, link, register_url: str) -> list[Tile]:
    on10, legal = metrics["on_time_10"], metrics["on_time_legal"]
    objections, completeness = metrics["objection_rate"], metrics["register_complete"]
    index = metrics["index"]["body"]
    late = metrics["late_delivery"]
    published = metrics["answered_from_published"]
    return [
        Tile(_("Permohonan diterima"), format_number(metrics["received"]["total"]),
             _("%(n)s diperpanjang", n=format_number(metrics["extended"]["count"])), link("diterima")),
        Tile(_("Tepat waktu ≤ 10 hari kerja"), pct(on10["share"]), of(on10["on_time"], on10["counted"]),
             link("tepat_10"), _("dari permohonan yang sudah jatuh tempo atau diberi pemberitahuan")),
        Tile(_("Tepat waktu dalam batas hukum"), pct(legal["share"]), of(legal["on_time"], legal["counted"]),
             link("tepat_hukum"), _("termasuk perpanjangan yang sah (≤ 17 hari kerja)")),
        Tile(_("Terlambat sekarang"), format_number(metrics["overdue_open"]["count"]),
             _("masih terbuka dan lewat tenggat"), link("terlambat_sekarang")),
        Tile(_("Disampaikan setelah tanggal yang dijanjikan"), format_number(late["late"]),
             of(late["late"], late["on_time"] + late["late"]), link("disampaikan_terlambat"),
             _("%(n)s lewat tanggal dan belum disampaikan", n=format_number(late["passed_open"]))),
        Tile(_("Dijawab dengan informasi yang sudah diumumkan"), format_number(published["count"]),
             of(published["count"], published["delivered"]), link("dari_informasi_publik"),
             _("dari permohonan yang informasinya sudah disampaikan")),
        Tile(_("Median hari kerja sampai pemberitahuan"), days_text(metrics["wd_to_notice"]["median"]),
             _("dari %(n)s pemberitahuan", n=format_number(metrics["wd_to_notice"]["count"])),
             link("diberi_pemberitahuan")),
        Tile(_("Keberatan"), format_number(objections["count"]),
             _("%(share)s · %(count)s permohonan", share=pct(objections["rate"]),
               count=of(objections["count"], metrics["received"]["total"])),
             url_for("objections.objection_queue", status="semua")),
        Tile(_("Register lengkap"), pct(completeness["share"]), of(completeness["complete"], completeness["rows"]),
             register_url, _("baris yang mengisi setiap kolom wajib")),
        Tile(_("Indeks layanan"), days_text(index["score"]), band_label(index["band"]) or "—",
             link("diterima"), _("dari catatan layanan; bukan predikat monev Komisi Informasi")),
    ]


def _league(metrics: dict, units: dict, with_subunits: set, link, sort: tuple[str, str]) -> list[dict]:
    rows = []
    routing = metrics["routing"]["by_unit"]
    published = metrics["answered_from_published"]["by_unit"]
    for code, index in metrics["index"]["by_unit"].items():
        received = metrics["received"]["by_unit"].get(code, 0)
        overdue = metrics["overdue_open"]["by_unit"].get(code, 0)
        from_catalogue = published.get(code, 0)
        tasks = routing.get(code, {"answered": 0, "answered_on_time": 0, "on_time_share": None})
        rows.append({
            "code": code, "name": units.get(code, code),
            "received": format_number(received), "overdue": format_number(overdue),
            "from_catalogue": format_number(from_catalogue),
            "answers": pct(tasks["on_time_share"]),
            "answers_of": of(tasks["answered_on_time"], tasks["answered"]) if tasks["answered"] else "",
            "score": days_text(index["score"]), "band": band_label(index["band"]) or "—",
            "sort": {"diterima": received, "terlambat": overdue, "jawaban": tasks["on_time_share"],
                     "informasi_publik": from_catalogue,
                     "indeks": index["score"]},
            # A league row counts the unit's own tasks: its links leave out the units under it.
            "received_url": link("diterima", code, subunits=code not in with_subunits),
            "overdue_url": link("terlambat_sekarang", code, subunits=code not in with_subunits),
            "from_catalogue_url": link("dari_informasi_publik", code, subunits=code not in with_subunits),
        })
    return sort_league(rows, *sort)


def _charts(metrics: dict, period: Period, today: date, link, buckets: dict[str, int]) -> list[Chart]:
    trend = []
    by_month = metrics["on_time_legal"]["by_month"]
    months = trend_months(period, today)
    for position, (month_start, month_last) in enumerate(months):
        month = by_month.get(month_start.strftime("%Y-%m"), {})
        share = month.get("share")
        label = format_date(month_start, format="MMM")
        if position == 0 or month_start.month == 1:
            label += "\n" + str(month_start.year)
        trend.append(Bar(label, 100 * (share or 0), pct(share), link("diterima", start=month_start, end=month_last),
                         detail=of(month.get("on_time", 0), month.get("counted", 0))))
    outcome_labels = {str(k): str(v) for k, v in OUTCOME_LABELS.items()} | {"pending": _("Belum diputus")}
    outcomes = [Bar(outcome_labels.get(key, key), count, format_number(count),
                    link("belum_diputus" if key == "pending" else f"hasil_{key}"))
                for key, count in metrics["outcomes"].items()]
    count_axis = {"tick_format": format_number, "value_heading": _("Jumlah")}
    return [
        column_chart(ident="chart-trend", title=_("Tren bulanan: tepat waktu dalam batas hukum"),
                     description=_("Persentase permohonan yang diberi pemberitahuan tertulis tepat waktu, per bulan "
                                   "penerimaan."), bars=trend, value_heading=_("Tepat waktu"), max_value=100,
                     axis_title=_("Bulan penerimaan; sumbu tegak: persentase tepat waktu"),
                     tick_format=lambda v: format_percent(v / 100, format="#,##0%"),
                     detail_heading=_("Tepat waktu dari yang dihitung")),
        bar_chart(ident="chart-outcomes", title=_("Hasil permohonan"),
                  description=_("Jumlah permohonan per hasil pemberitahuan tertulis."), bars=outcomes,
                  axis_title=_("Jumlah permohonan"), **count_axis),
        bar_chart(ident="chart-wd", title=_("Sebaran hari kerja sampai pemberitahuan"),
                  description=_("Jumlah pemberitahuan menurut lama penyelesaian dalam hari kerja."),
                  bars=[Bar(_("%(range)s hari kerja", range=label), buckets[label], format_number(buckets[label]),
                            link(wd_bucket_name(low, high)))
                        for label, low, high in WD_BUCKETS], axis_title=_("Jumlah pemberitahuan"), **count_axis),
        bar_chart(ident="chart-pasal17", title=_("Penolakan menurut Pasal 17"),
                  description=_("Jumlah penolakan dan pemberian sebagian per huruf Pasal 17 UU KIP (satu "
                                "permohonan dapat memakai beberapa huruf)."),
                  bars=[Bar(_("Pasal 17 huruf %(letter)s", letter=letter), n, format_number(n),
                            link(f"pasal17_{letter}") if f"pasal17_{letter}" in BUCKETS else None)
                        for letter, n in metrics["refusal_basis"].items()],
                  axis_title=_("Jumlah permohonan"), **count_axis),
        bar_chart(ident="chart-accessibility", title=_("Kebutuhan aksesibilitas pemohon"),
                  description=_("Jumlah permohonan per kebutuhan aksesibilitas yang dinyatakan (satu permohonan "
                                "dapat menyatakan beberapa). Dengan kebutuhan apa pun: %(n)s.",
                                n=format_number(metrics["accessibility"]["requests"])),
                  bars=[Bar(ACCESSIBILITY_LABELS[need], n, format_number(n), link(f"aksesibilitas_{need}"))
                        for need, n in metrics["accessibility"]["by_need"].items()],
                  axis_title=_("Jumlah permohonan"), **count_axis),
    ]


def dashboard_context(period: Period, unit_code: str | None, today: date, subunits: bool = True,
                      sort: tuple[str, str] = DEFAULT_SORT) -> dict:
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

    register_args = {"dari": period.start.isoformat(), "sampai": period.end.isoformat()}
    if unit_code:
        register_args["unit"] = unit_code
        if not subunits:
            register_args[SUBUNIT_PARAM] = "0"
    return {"metrics": metrics, "tiles": _tiles(metrics, link, url_for("monev.register_requests", **register_args)),
            "league": _league(metrics, units, with_subunits, link, sort),
            "charts": _charts(metrics, period, today, link, buckets), "buckets": buckets,
            "units": units, "deadline": annual_deadline(today), "from_catalogue_url": link("dari_informasi_publik"),
            "index_body": {**metrics["index"]["body"], "band": band_label(metrics["index"]["body"]["band"])},
            "index_score": days_text(metrics["index"]["body"]["score"])}


def _view_args(period: Period, unit_code: str | None, subunits: bool) -> dict[str, str]:
    """The query that shows this dashboard again (sort links and the period steps keep it)."""
    args = period.args()
    if unit_code:
        args["unit"] = unit_code
        if not subunits:
            args[SUBUNIT_PARAM] = "0"
    return args


def sort_links(view_args: dict[str, str], sort: tuple[str, str]) -> dict[str, tuple[str, str | None]]:
    """Per league column: the link that sorts by it (the active column's link reverses it) and
    its ``aria-sort`` (None unless it is the active column)."""
    links = {}
    for column in league_columns():
        active = column.key == sort[0]
        order = (ASCENDING if sort[1] == DESCENDING else DESCENDING) if active else column.first_order
        url = url_for("monev.monev_dashboard", _anchor="league", **view_args, **{SORT_PARAM: column.key,
                                                                                   ORDER_PARAM: order})
        links[column.key] = (url, ("ascending" if sort[1] == ASCENDING else "descending") if active else None)
    return links


def range_inputs(pick: PeriodPick) -> dict[str, tuple[str, str]]:
    """The custom range's two fields: (value, input type). What was typed comes back as typed; a
    value a date input cannot hold (``31/02/2026``) comes back in a text field, so it is not lost."""
    fields = {}
    for name, day in (("dari", pick.period.start), ("sampai", pick.period.end)):
        value = pick.typed.get(name, day.isoformat()) if pick.choice == CUSTOM else day.isoformat()
        try:
            kind = "date" if not value or date.fromisoformat(value).isoformat() == value else "text"
        except ValueError:
            kind = "text"
        fields[name] = (value, kind)
    return fields


@bp.get(DESK + "/monev", endpoint="monev_dashboard")
@roles_required(*MONEV_ROLES)
def monev_dashboard():
    """Supervisor dashboard: tiles, league table and charts for a period and optionally one unit."""
    today = body_today()
    pick = read_period(request.args, today)
    period = pick.period
    errors = list(pick.errors)
    unit_errors: list[str] = []
    typed = (request.args.get("unit") or "").strip()[:64]
    unit = unit_by_code(typed) if typed else None
    if typed and unit is None:
        unit_errors.append(_("Unit tidak dikenal; ditampilkan seluruh badan publik."))
    unit_code = unit.code if unit is not None else None
    subunits = include_subunits(request.args)
    sort = league_sort(request.args)
    context = dashboard_context(period, unit_code, today, subunits, sort)
    scope = unit_scope_ids(unit.id, subunits=subunits) if unit is not None else None
    satisfaction = satisfaction_figures(period.start, period.end, scope)
    view_args = _view_args(period, unit_code, subunits)
    steps = [(step, url_for("monev.monev_dashboard", **_view_args(step, unit_code, subunits)
                             | ({SORT_PARAM: sort[0], ORDER_PARAM: sort[1]} if sort != DEFAULT_SORT else {})))
             for step in (period.step(-1), period.step(1)) if step is not None and step.start <= today]
    response = render(
        "monev/dashboard.html", block="dashboard_body", period=period, pick=pick, unit_code=unit_code,
        errors=errors, unit_errors=unit_errors, subunits=subunits, unit_options=picker_options(Purpose.FILTER),
        unit_typed=typed, period_options=period_choices(pick, today), steps=steps,
        league_columns=league_columns(), sort=sort, view_args=view_args, sort_param=SORT_PARAM,
        sort_links=sort_links(view_args, sort), range_inputs=range_inputs(pick), default_sort=DEFAULT_SORT,
        order_param=ORDER_PARAM,
        today=today, dip_freshness=freshness_by_unit(today),
        satisfaction=satisfaction, satisfaction_suggestions=suggestions(start=period.start, end=period.end,
                                                                         unit_ids=scope),
        consultations=consultations_in(period.start, period.end, unit.id if unit is not None else None, subunits),
        consultation_channel_labels=CONSULTATION_CHANNEL_LABELS,
        consultation_list_url=url_for("consultations.consultation_list", dari=period.start.isoformat(),
                                      sampai=period.end.isoformat())
        if current_user.has_role(*CONSULTATION_ROLES) else None,
        **context,
    )
    return response
