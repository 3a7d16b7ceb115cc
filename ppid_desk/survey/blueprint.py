"""The survey blueprint. The applicant's survey pages hang on the ``requests`` blueprint with the
applicant's other pages (``survey.views``); this one carries the domain's name and has no route yet."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("survey", __name__)
