"""Monitoring and evaluation (monev): the dashboard, the registers, the annual report, the
register import and the public statistics."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # Until monev has a blueprint of its own, its pages hang on the desk's and the requests'
    # blueprints: import them before those blueprints are registered (setup.DOMAINS' order).
    from . import annual, dashboard, importer, public, registers  # noqa: F401
