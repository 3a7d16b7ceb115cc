"""Monitoring and evaluation (monev): metrics, the dashboard, the registers, the annual report,
the public statistics and the historical register import."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the monev pages (desk and public) on this domain's blueprint."""
    from . import annual_views, dashboard_views, import_views, public_views, register_views  # noqa: F401
    from .blueprint import bp

    app.register_blueprint(bp)
