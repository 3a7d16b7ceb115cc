"""The figures of the public statistics page (GET /statistik): aggregates of ``monev_metrics``
for the whole body, never personal data, cached until the log, the calendar or the day changes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from .metrics import monev_metrics
from .models import AnnualReport
from .public_cache import cached
from .satisfaction import satisfaction_figures

OUTCOME_KEYS = ("granted_full", "granted_partial", "refused", "not_held", "not_documented", "withdrawn", "not_completed",
                "pending")


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
        # Only the scopes with enough respondents carry their index (``monev.satisfaction``).
        "satisfaction": satisfaction_figures(date(year, 1, 1), date(year, 12, 31)),
    }


def published_report_years() -> list[int]:
    """The years whose annual report is published, newest first."""
    return list(db.session.scalars(select(AnnualReport.year).where(AnnualReport.published.is_(True))
                                   .order_by(AnnualReport.year.desc())))


def public_figures(today: date) -> list[dict]:
    """This year's and last year's figures, computed once per figures version and day."""
    return cached("statistik", (), today, lambda: [year_figures(today.year, today),
                                                   year_figures(today.year - 1, today)])
