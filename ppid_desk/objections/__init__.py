"""Objections (keberatan) to the Atasan PPID and the disputes (sengketa) that follow them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the objection pages: the desk's on this domain's blueprint, the applicant's on the
    ``requests`` blueprint (so call this before that blueprint is registered)."""
    from . import dispute_views, filing_views, response_views  # noqa: F401  (routes, panels, nav)
    from .blueprint import bp

    app.register_blueprint(bp)
