"""The public body itself: its profile (name, logo, signatories, number patterns), its PPID units,
and the first installation."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from ..accounts.models import Role
    from ..web.registry import register_nav
    from . import profile_views, tariff_labels, tariff_views, unit_views  # noqa: F401  (their routes)
    from .blueprint import bp

    app.jinja_env.globals["tariff_labels"] = tariff_labels  # the tariff shows on public and desk pages

    register_nav(82, "organisation.unit_index", _l("Unit PPID"), {Role.ADMIN})
    register_nav(86, "organisation.admin_index", _l("Administrasi"), {Role.ADMIN})
    app.register_blueprint(bp)
