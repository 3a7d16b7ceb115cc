"""The internal monev blueprint (evaluation rounds of the PPID Pembantu)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("evaluation", __name__)
