"""Public service statistics (GET /statistik): this year's and last year's figures, no personal data.

Aggregates only, from ``monev_metrics`` for the whole body; the same figures as HTML, CSV and JSON
(open data). Links to the published annual reports when their public page exists.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, current_app, jsonify, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..organisation.profile_selectors import body_profile
from ..requests.labels import OUTCOME_LABELS
from ..requests.views import bp
from ..web.htmx import render
from ..web.transaction import commit
from ..workcalendar.selectors import body_today
from .dashboard import days_text, pct
from .metrics import monev_metrics
from .models import AnnualReport

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


def _csv(years: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["tahun", "indikator", "nilai"])
    for fig in years:
        for key in ("received", "on_time_10_share", "on_time_legal_share", "on_time_counted",
                    "median_wd_to_notice", "objections", "disputes"):
            value = fig[key]
            writer.writerow([fig["year"], key, "" if value is None else value])
        for key, count in fig["outcomes"].items():
            writer.writerow([fig["year"], f"outcome_{key}", count])
    return out.getvalue()


def _published_reports() -> list[dict]:
    if "requests.annual_report_public" not in current_app.view_functions:
        return []
    years = db.session.scalars(select(AnnualReport.year).where(AnnualReport.published.is_(True))
                               .order_by(AnnualReport.year.desc()))
    return [{"year": year, "url": url_for("requests.annual_report_public", year=year)} for year in years]


@bp.get("/statistik", endpoint="public_statistics")
def public_statistics():
    """Service statistics for everyone; ``?format=csv`` or ``?format=json`` for open data."""
    today = body_today()
    years = [year_figures(today.year, today), year_figures(today.year - 1, today)]
    fmt = (request.args.get("format") or "").strip().lower()
    if fmt == "json":
        response = jsonify({"generated_on": today.isoformat(), "body": body_profile().name,
                            "definitions": {"shares": "fraction 0-1 of requests counted (noticed or past due)",
                                            "durations": "working days from registration to written notice"},
                            "years": years})
    elif fmt == "csv":
        response = Response(_csv(years), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="statistik-layanan-{today.year}.csv"'
    else:
        labels = {str(k): str(v) for k, v in OUTCOME_LABELS.items()} | {"pending": _("Belum diputus")}
        response = render("monev/public.html", years=years, outcome_labels=labels, reports=_published_reports(),
                          pct=pct, days_text=days_text, number=format_number, today=today)
    commit()  # the working-day ordinals may have been filled on first use
    return response
