"""Written notices (pemberitahuan tertulis), extensions, delivery of the information, closing."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..web.registry import ACTION, register_applicant_panel, register_panel
    from . import views
    from .blueprint import bp

    # One template, two parts: the extension and the notice are separate actions.
    register_panel(39, "notices/_panel.html", lambda *_: {}, kind=ACTION, key="extension",
                   available=lambda c: c["notice_allows_extension"] or c["notice_extension_late"])
    register_panel(40, "notices/_panel.html", views.desk_panel, kind=ACTION, key="notice",
                   available=lambda c: c["notice_allows_notice"])
    register_panel(45, "notices/_delivery_panel.html", views.delivery_panel, kind=ACTION, key="delivery",
                   available=lambda c: c["notice_allows_delivery"] or c["notice_allows_close"])
    register_applicant_panel(40, "notices/_applicant_panel.html", views.applicant_panel)
    app.register_blueprint(bp)
