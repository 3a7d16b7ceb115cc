"""Objections (keberatan) to the Atasan PPID, their response, and disputes before the Commission."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # Until objections has a blueprint of its own, its pages hang on the desk's and the requests'
    # blueprints: import them before those blueprints are registered (setup.DOMAINS' order).
    from . import atasan_views, dispute_views, filing_views  # noqa: F401
