"""The notices blueprint: the desk's written notice, extension, delivery and closing, under /meja."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notices", __name__, url_prefix="/meja")
