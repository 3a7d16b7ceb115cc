"""Monitoring and evaluation (monev): metrics, the dashboard, the registers, the annual report,
the public statistics and the historical register import."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Add the monev pages (desk and public) on this domain's blueprint and their entries in the
    desk's navigation; subscribe monev to the lower layers' signals (``ppid_desk.signals``) and
    register its drill-downs for the desk queue."""
    from ..accounts.models import Role
    from ..accounts.roles import MONEV_ROLES
    from ..web.registry import register_nav
    from . import (  # noqa: F401
        annual_views,
        dashboard_views,
        evidence_views,
        import_views,
        listeners,
        public_views,
        register_views,
    )
    from .blueprint import bp

    register_nav(45, "monev.monev_dashboard", _l("Monev"), MONEV_ROLES)
    register_nav(46, "monev.annual_report_current", _l("Laporan tahunan"), MONEV_ROLES)
    register_nav(47, "monev.evidence_pack_current", _l("Bukti E-Monev"), {Role.PPID_UTAMA})
    register_nav(50, "monev.overdue_now", _l("Terlambat sekarang"), {Role.PENGAWAS, Role.PPID_UTAMA, Role.ATASAN})
    register_nav(60, "monev.register_requests", _l("Register permohonan"), register_views.REGISTER_ROLES)
    register_nav(61, "monev.register_objections", _l("Register keberatan"), register_views.REGISTER_ROLES)
    register_nav(62, "monev.register_import", _l("Impor register"), import_views.IMPORT_ROLES)
    listeners.connect()
    app.register_blueprint(bp)
