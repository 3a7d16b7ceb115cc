"""Public service statistics (GET /statistik): this year's and last year's figures, no personal data.

Aggregates only, from ``monev_metrics`` for the whole body; the same figures as HTML, CSV and JSON
(open data). Links to the published annual reports when their public page exists.

Anonymous and costly to compute, so the figures are cached until the log, the calendar or the
day changes (``monev.public_cache``), and the page has the public rate limit (``web.limits``).
"""

from __future__ import annotations

from datetime import date

from flask import current_app, jsonify, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..organisation.profile_selectors import body_profile
from ..requests.labels import OUTCOME_LABELS
from ..requests.views import bp
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.spreadsheets import csv_bytes, download
from ..workcalendar.selectors import body_today
from .dashboard import days_text, pct
from .metrics import monev_metrics
from .models import AnnualReport
from .public_cache import cached

OUTCOME_KEYS = ("granted_full", "granted_partial", "refused", "not_held", "not_documented", "withdrawn", "pending")


def year_figures(year: int, today: date) -> dict:
    """The public figures of one calendar year (shares 0–1, durations in working days)."""
    m = monev_metrics(start=date(year, 1, 1), end=date(year, 12, 31), unit_code=None, today=today)
    return {
        "year": year,
        "received": m["received"]["total"],
        "on_time_10_share": m["on_time_10"]["share"],
        "on_time_legal_share": m["on_time_legal"]["share"],
        "on_time_counted": m["on_time_legal"]["counted"],
        "median_wd_to_notice": m["wd_to_notice"]["median"],
        "outcomes": {key: m["outcomes"].get(key, 0) for key in OUTCOME_KEYS},
        "objections": m["objection_rate"]["count"],
        "disputes": m["disputes"]["count"],
    }


def _csv(years: list[dict]) -> bytes:
    """Open data for programs: no BOM; numbers as numbers, an unknown value empty."""
    rows: list[list] = [["tahun", "indikator", "nilai"]]
    for fig in years:
        for key in ("received", "on_time_10_share", "on_time_legal_share", "on_time_counted",
                    "median_wd_to_notice", "objections", "disputes"):
            rows.append([fig["year"], key, fig[key]])
        for key, count in fig["outcomes"].items():
            rows.append([fig["year"], f"outcome_{key}", count])
    return csv_bytes(rows, bom=False)


def _published_reports() -> list[dict]:
    if "requests.annual_report_public" not in current_app.view_functions:
        return []
    years = db.session.scalars(select(AnnualReport.year).where(AnnualReport.published.is_(True))
                               .order_by(AnnualReport.year.desc()))
    return [{"year": year, "url": url_for("requests.annual_report_public", year=year)} for year in years]


def public_figures(today: date) -> list[dict]:
    """This year's and last year's figures, computed once per figures version and day."""
    return cached("statistik", (), today, lambda: [year_figures(today.year, today),
                                                   year_figures(today.year - 1, today)])


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
