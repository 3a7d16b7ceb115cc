"""Written notices (pemberitahuan tertulis), extensions, delivery of the information, closing."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..web.registry import register_applicant_panel, register_panel
    from . import views
    from .blueprint import bp

    register_panel(40, "notices/_panel.html", views.desk_panel)
    register_panel(45, "notices/_delivery_panel.html", views.delivery_panel)
    register_applicant_panel(40, "notices/_applicant_panel.html", views.applicant_panel)
    app.register_blueprint(bp)
