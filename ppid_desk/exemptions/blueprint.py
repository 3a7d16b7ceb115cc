"""The exemptions blueprint: the register of exempt information (DIK) on the desk and in public."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exemptions", __name__)
