"""The working-calendar blueprint: the admin's holiday calendar, under /meja."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("workcalendar", __name__, url_prefix="/meja")
