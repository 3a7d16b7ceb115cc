"""Service feedback: the applicant's satisfaction survey (survei kepuasan masyarakat, SKM) and
its index (IKM, PermenPANRB 14/2017) per unit and period, anonymous to the desk."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from ..web.registry import register_applicant_panel
    from . import labels, views
    from .blueprint import bp

    app.jinja_env.globals["survey_labels"] = labels
    app.jinja_env.filters["ikm"] = labels.ikm_text
    register_applicant_panel(90, "survey/_applicant_panel.html", views.applicant_panel)
    app.register_blueprint(bp)
