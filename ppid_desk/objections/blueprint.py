"""The objections blueprint: the desk's objection pages (Atasan PPID, PPID Utama, officers).

The applicant's objection pages (filing online, the receipt, the response letter, the dispute
they record and its file) stay on the ``requests`` blueprint with the rest of the applicant's
request pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("objections", __name__, url_prefix="/meja")
