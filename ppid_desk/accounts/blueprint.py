"""The accounts blueprint: sign-up, sign-in and passwords, the account settings, and the admin's officer pages (invite, import, roles) with the invitation link."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("accounts", __name__)
