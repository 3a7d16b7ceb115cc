"""The routing blueprint: disposisi from the request page, and the unit's task list and task page, under /meja."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("routing", __name__, url_prefix="/meja")
