"""A page that needs a calendar year nobody imported says so (503), instead of importing it."""

from __future__ import annotations

from flask import Flask, render_template

from ..extensions import db
from .selectors import CalendarYearMissing


def init_app(app: Flask) -> None:
    @app.errorhandler(CalendarYearMissing)
    def calendar_year_missing(error: CalendarYearMissing):
        db.session.rollback()
        app.logger.warning("calendar year %s not imported", error.year)
        return render_template("errors/error.html", code=503, message=str(error)), 503
