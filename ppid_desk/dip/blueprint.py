"""The Daftar Informasi Publik blueprint: the public catalogue and the desk's upkeep of it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dip", __name__)
