"""Template helpers: dates in the body's time zone and the visitor's language."""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import format_date, get_locale


def local(value: datetime) -> datetime:
    return value.astimezone(ZoneInfo(current_app.config["BODY_TIMEZONE"]))


def long_date(value: date | datetime) -> str:
    """``Senin, 23 November 2026``."""
    if isinstance(value, datetime):
        value = local(value).date()
    return format_date(value, format="EEEE, d MMMM y")


def local_datetime(value: datetime) -> str:
    """``23 November 2026 11.49 WIB``: always the body's zone, never the browser's."""
    moment = local(value)
    return f"{format_date(moment.date(), format='d MMMM y')} {moment:%H.%M} {moment.tzname()}"


def init_app(app: Flask) -> None:
    from ..requests import labels

    app.jinja_env.filters.update(long_date=long_date, local_datetime=local_datetime)
    app.jinja_env.globals.update(
        current_locale=lambda: str(get_locale()), labels=labels, label=labels.label,
    )

    # Fetched at set-up (scripts/fetch_htmx.py); pages still work without it.
    htmx_available = os.path.exists(os.path.join(app.static_folder, "vendor", "htmx.min.js"))
    app.jinja_env.globals["htmx_available"] = htmx_available
