"""Citizen accounts: register, verify e-mail, log in/out, reset password. (placeholder)"""

from flask import Blueprint, redirect, url_for
from flask_login import logout_user

bp = Blueprint("accounts", __name__)


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    return "login"


@bp.post("/keluar")
def logout():
    logout_user()
    return redirect(url_for("pages.home"), code=303)
