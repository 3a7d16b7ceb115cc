"""The desk's blueprint: the officers' request queue, intake and request page, under /meja."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/meja")
