"""The monev blueprint: the supervisors' pages on the desk (``/meja/monev…``, ``/meja/register…``)
and the public aggregate pages (``/statistik``, ``/laporan-tahunan/<year>``)."""

from __future__ import annotations

from flask import Blueprint

DESK = "/meja"  # the desk's pages share the desk's URL prefix

bp = Blueprint("monev", __name__)
