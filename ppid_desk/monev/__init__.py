"""Monitoring and evaluation (monev): metrics, the dashboard, the registers, the annual report,
the public statistics and the historical register import."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Add the monev pages (desk and public) on this domain's blueprint, and their entries in
    the desk's navigation."""
    from ..accounts.models import Role
    from ..web.registry import register_nav
    from . import annual_views, dashboard_views, import_views, public_views, register_views  # noqa: F401
    from .blueprint import bp

    register_nav(45, "monev.monev_dashboard", _l("Monev"), {Role.PENGAWAS, Role.PPID_UTAMA, Role.ATASAN, Role.ADMIN})
    register_nav(46, "monev.annual_report_current", _l("Laporan tahunan"), annual_views.VIEW_ROLES)
    register_nav(50, "monev.overdue_now", _l("Terlambat sekarang"), {Role.PENGAWAS, Role.PPID_UTAMA, Role.ATASAN})
    register_nav(60, "monev.register_requests", _l("Register permohonan"), register_views.REGISTER_ROLES)
    register_nav(61, "monev.register_objections", _l("Register keberatan"), register_views.REGISTER_ROLES)
    register_nav(62, "monev.register_import", _l("Impor register"), import_views.IMPORT_ROLES)
    app.register_blueprint(bp)
