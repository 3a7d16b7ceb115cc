"""The working calendar: holidays and cuti bersama, from which every deadline is counted."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from ..accounts.models import Role
    from ..web.registry import register_nav
    from . import errors, views  # noqa: F401  (views: its routes)
    from .blueprint import bp

    register_nav(80, "workcalendar.calendar_admin", _l("Kalender hari kerja"), {Role.ADMIN})
    errors.init_app(app)  # a missing calendar year: 503 naming the year and the command
    app.register_blueprint(bp)
