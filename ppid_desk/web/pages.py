"""Public pages that belong to no single domain: home (with the published fee tariff), language, health."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, redirect, request, url_for
from sqlalchemy import text

from ..extensions import db
from ..organisation.tariff_selectors import tariff_in_effect
from ..sla import ClockRules
from ..workcalendar.selectors import body_today
from .htmx import render
from .language import remember_language, safe_next
from .limits import health_limit, public_page_limit
from .render_cache import cached_page

bp = Blueprint("pages", __name__)


@bp.get("/")
@public_page_limit
@cached_page
def home():
    rules = ClockRules()
    return render(
        "pages/home.html",
        notice_wd=current_app.config["NOTICE_WD"],
        extension_wd=current_app.config["EXTENSION_WD"],
        objection_wd=current_app.config["OBJECTION_FILING_WD"],
        objection_response_wd=current_app.config["OBJECTION_RESPONSE_WD"],
        dispute_wd=current_app.config["DISPUTE_FILING_WD"],
        rules=rules, tariff=tariff_in_effect(body_today()),
    )


@bp.get("/bahasa/<lang>")
def set_language(lang: str):
    """The language switch (a plain link, works without JS): remember the choice, go back."""
    response = redirect(safe_next(request.args.get("next"), url_for("pages.home")), code=303)
    if lang in current_app.config["LANGUAGES"]:
        remember_language(response, lang)
    return response


@bp.get("/healthz")
@health_limit  # its own budget: a monitor is never refused for what its address browsed
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as error:  # the point of this endpoint is to report any failure
        db.session.rollback()
        return jsonify(status="error", database="unavailable", detail=type(error).__name__), 503
    return jsonify(status="ok", database="ok", schema_revision=revision)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
