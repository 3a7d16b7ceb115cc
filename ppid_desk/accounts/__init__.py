"""People: applicants' and officers' accounts, sign-in, passwords, settings, roles, invitations."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from ..web.registry import register_nav
    from . import officer_views, settings_views, views  # noqa: F401  (their routes)
    from .blueprint import bp
    from .models import Role

    register_nav(85, "accounts.officer_list", _l("Pengguna"), {Role.ADMIN})
    app.register_blueprint(bp)
