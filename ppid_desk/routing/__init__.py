"""Routing (disposisi): the desk sends a request to PPID Pembantu units as tasks they answer."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from ..accounts.models import Role
    from ..web.registry import ACTION, register_nav, register_panel
    from . import recount, views
    from .blueprint import bp

    register_panel(30, "routing/_panel.html", views.routing_panel_context)  # the tasks
    register_panel(31, "routing/_route_panel.html", lambda *_: {}, kind=ACTION, key="routing",
                   available=lambda c: c["route_form"] is not None)
    register_nav(15, "routing.unit_tasks", _l("Tugas unit"), {Role.PEMBANTU})
    recount.connect()  # a calendar change recounts the open tasks' internal dues
    app.register_blueprint(bp)
