"""Public service statistics (GET /statistik): this year's and last year's figures, no personal data.

Aggregates only (``public_selectors``); the same figures as HTML, CSV and JSON (open data), with
links to the published annual reports.

Anonymous and costly to compute, so the figures are cached until the log, the calendar or the
day changes (``monev.public_cache``), and the page has the public rate limit (``web.limits``).
"""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _

from ..organisation.profile_selectors import body_profile
from ..requests.labels import OUTCOME_LABELS
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.spreadsheets import csv_bytes, download
from ..workcalendar.selectors import body_today
from .blueprint import bp
from .dashboard_views import days_text, pct
from .public_selectors import public_figures, published_report_years


def _csv(years: list[dict]) -> bytes:
    """Open data for programs: no BOM; numbers as numbers, an unknown value empty."""
    rows: list[list] = [["tahun", "indikator", "nilai"]]
    for fig in years:
        for key in ("received", "on_time_10_share", "on_time_legal_share", "on_time_counted",
                    "median_wd_to_notice", "objections", "disputes"):
            rows.append([fig["year"], key, fig[key]])
        for key, count in fig["outcomes"].items():
            rows.append([fig["year"], f"outcome_{key}", count])
        survey = fig["satisfaction"]
        rows.append([fig["year"], "ikm_respondents", survey["respondents"]])
        if survey["shown"]:
            rows.append([fig["year"], "ikm", survey["converted"]])
            rows.append([fig["year"], "ikm_band", survey["band"]])
    return csv_bytes(rows, bom=False)


def _published_reports() -> list[dict]:
    return [{"year": year, "url": url_for("monev.annual_report_public", year=year)}
            for year in published_report_years()]


@bp.get("/statistik", endpoint="public_statistics")
@public_page_limit
def public_statistics():
    """Service statistics for everyone; ``?format=csv`` or ``?format=json`` for open data."""
    today = body_today()
    years = public_figures(today)
    fmt = (request.args.get("format") or "").strip().lower()
    if fmt == "json":
        response = jsonify({"generated_on": today.isoformat(), "body": body_profile().name,
                            "definitions": {"shares": "fraction 0-1 of requests counted (noticed or past due)",
                                            "durations": "working days from registration to written notice"},
                            "years": years})
    elif fmt == "csv":
        response = download(_csv(years), "csv", f"statistik-layanan-{today.year}.csv", private=False)
    else:
        labels = {str(k): str(v) for k, v in OUTCOME_LABELS.items()} | {"pending": _("Belum diputus")}
        response = render("monev/public.html", years=years, outcome_labels=labels, reports=_published_reports(),
                          pct=pct, days_text=days_text, number=format_number, today=today)
    return response
