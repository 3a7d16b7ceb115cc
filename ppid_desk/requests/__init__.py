"""Information requests: filing, numbering, the lifecycle and its funnel, tracking, withdrawal,
and every page the applicant uses to follow a request."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..web.registry import (
        ACTION,
        register_applicant_panel,
        register_objection_panel,
        register_panel,
    )
    from . import completion_views, notice_views, recount, views, withdrawal_views  # noqa: F401  (their routes)
    from .blueprint import bp

    register_applicant_panel(5, "requests/_withdrawal_panel.html", withdrawal_views.applicant_panel)
    register_applicant_panel(10, "requests/_complete_panel.html", completion_views.complete_panel)
    register_applicant_panel(95, "requests/_tracking_panel.html", views.tracking_panel)
    register_panel(46, "desk/_withdrawal_panel.html", withdrawal_views.desk_panel, kind=ACTION, key="withdrawal",
                   available=lambda c: c["withdraw_request_shown"] or c["withdraw_objection"] is not None)
    register_objection_panel(11, "objections/_withdrawal_panel.html", withdrawal_views.objection_panel)
    recount.connect()  # a calendar change recounts the requests' stored clocks
    app.register_blueprint(bp)
