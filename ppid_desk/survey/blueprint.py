"""The survey blueprint: the applicant's satisfaction survey of a request."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("survey", __name__)
