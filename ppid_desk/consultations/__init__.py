"""Consultations and other non-formal information services (konsultasi; KIP.md §5): logged by
the desk and the units, counted in monev, and turned into a registered request in one step when
the person files one."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from ..accounts.roles import CONSULTATION_ROLES
    from ..web.registry import register_nav, register_panel
    from . import labels, views  # noqa: F401  (their routes)
    from .blueprint import bp

    app.jinja_env.globals["consultation_labels"] = labels
    register_nav(25, "consultations.consultation_list", _l("Konsultasi"), CONSULTATION_ROLES)
    # the officer's request page: "berasal dari konsultasi", at the top of the record
    register_panel(6, "consultations/_request_panel.html", views.request_panel)
    app.register_blueprint(bp)
