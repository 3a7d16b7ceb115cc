"""Objections (keberatan) to the Atasan PPID and the disputes (sengketa) that follow them."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Add the objection pages (the desk's on this domain's blueprint, the applicant's on the
    ``requests`` blueprint, so call this before that blueprint is registered), their panels on
    the request and objection pages, and the desk's navigation entry."""
    from ..desk.policy import ACTION_ROLES, Action
    from ..web.registry import (
        ACTION,
        register_applicant_panel,
        register_nav,
        register_objection_panel,
        register_panel,
    )
    from . import dispute_views, filing_views, reaction_views, recount, response_views
    from .blueprint import bp

    register_nav(30, "objections.objection_queue", _l("Keberatan"), ACTION_ROLES[Action.VIEW_OBJECTION])
    register_panel(50, "objections/_desk_request_panel.html", filing_views.desk_panel, kind=ACTION, key="objection",
                   available=filing_views.desk_panel_acting)
    register_panel(55, "objections/_release_panel.html", response_views.release_context, kind=ACTION, key="release",
                   available=lambda c: c.get("release_form") is not None)
    register_applicant_panel(60, "objections/_applicant_panel.html", filing_views.applicant_panel)
    register_applicant_panel(65, "objections/_applicant_response.html", response_views.applicant_context)
    register_applicant_panel(70, "objections/_dispute_applicant_panel.html", dispute_views.applicant_context)
    register_objection_panel(10, "objections/_documents_panel.html", filing_views.documents_context)
    register_objection_panel(20, "objections/_account_panel.html", response_views.account_context)
    register_objection_panel(30, "objections/_response_panel.html", response_views.response_context)
    register_objection_panel(40, "objections/_dispute_panel.html", dispute_views.desk_context)
    register_objection_panel(45, "objections/_reaction_panel.html", reaction_views.reaction_context)
    recount.connect()  # a calendar change recounts the objections', release orders' and disputes' clocks
    app.register_blueprint(bp)
