"""The organisation blueprint: the body's profile and logo, the administration index and the PPID units."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("organisation", __name__)
