"""The consultations blueprint: the desk's log of consultations under /meja/konsultasi."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("consultations", __name__)
