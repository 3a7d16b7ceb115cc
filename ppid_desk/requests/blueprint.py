"""The requests blueprint: the applicant's side of a request (file it, the receipt, follow it,
"my requests", complete it, withdraw it, download the notice and the information), plus the
desk's record of a withdrawal received on paper."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("requests", __name__)
