"""Account settings at /akun: profile, password, e-mail, guest requests to claim, deletion.

Thin: login → access → parse → service → commit → 303, or re-render with 422 and the errors
next to the fields (typed values kept, passwords never). Every account edits its profile and
password; the e-mail, the claim and the deletion are for citizen accounts (403 for staff).
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError
from wtforms import PasswordField

from ..errors import DomainError
from ..extensions import limiter
from ..requests.labels import EVENT_LABELS
from ..requests.selectors import requests_of_user
from ..requests.session_grants import grant_in_session
from ..web.forms import errors_onto_form
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.transaction import commit, rollback
from .blueprint import bp
from .services import duration_text
from .settings_forms import (
    ClaimForm,
    DeleteAccountForm,
    EmailChangeForm,
    PasswordChangeForm,
    ProfileForm,
)
from .settings_services import (
    EmailTaken,
    account_delete,
    claimable_requests,
    email_change_confirm,
    email_change_request,
    is_citizen_account,
    password_change,
    profile_update,
    requests_claim,
)
from .tokens import TokenInvalid

EVENT_LABELS.update({
    "claimed_by_account": _l("Permohonan dimasukkan ke akun pemohon"),
    "account_deleted": _l("Pemohon menghapus akunnya; permohonan tetap tercatat tanpa akun"),
})


def _password_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]  # each try checks the password


def _mail_limit() -> str:
    return current_app.config["ACCOUNT_MAIL_RATE_LIMIT"]


def _me():
    return current_user._get_current_object()


def _citizen_only():
    if not is_citizen_account(_me()):
        abort(403)  # an officer's address and account are the administrator's


def _page(template: str, form, **context):
    """A settings page: 422 after a refused POST; a password is never echoed back."""
    for field in form:
        if isinstance(field, PasswordField):
            field.data = ""
    status = 422 if form.is_submitted() else 200
    return render(template, form=form, status=status, block="form", **context)


def _refused(form, error: DomainError) -> None:
    rollback()
    errors_onto_form(form, error)


def _back(message: str):
    flash(message, "success")
    return redirect(url_for("accounts.profile"), code=303)


@bp.route("/akun", methods=["GET", "POST"])
@login_required
def profile():
    user = _me()
    form = ProfileForm(obj=None if request.method == "POST" else user)
    if form.validate_on_submit():
        try:
            changed = profile_update(user=user, name=form.name.data, phone=form.phone.data,
                                     address=form.address.data)
        except DomainError as error:
            _refused(form, error)
        else:
            commit()
            return _back(_("Data akun Anda disimpan.") if changed else _("Tidak ada yang berubah."))
    citizen = is_citizen_account(user)
    return _page("accounts/settings/index.html", form, user=user, citizen=citizen,
                 claimable=len(claimable_requests(user)) if citizen else 0)


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
@limiter.limit(_password_limit, methods=["POST"])
def password():
    user = _me()
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            password_change(user=user, current_password=form.current_password.data,
                            new_password=form.password.data)
        except DomainError as error:
            _refused(form, error)
        else:
            commit()
            # The new hash changed the session identity: this browser carries on with a fresh one,
            # every other session (and a "remember me" cookie elsewhere) has ended.
            remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(user, remember=remember)
            return _back(_("Kata sandi Anda sudah diganti. Sesi akun ini di perangkat lain sudah berakhir."))
    return _page("accounts/settings/password.html", form, user=user)


@bp.route("/akun/email", methods=["GET", "POST"])
@login_required
@limiter.limit(_mail_limit, methods=["POST"])
def email():
    _citizen_only()
    user = _me()
    form = EmailChangeForm()
    if form.validate_on_submit():
        try:
            email_change_request(user=user, new_email=form.email.data, password=form.password.data)
        except DomainError as error:
            _refused(form, error)
        else:
            commit()
            return _back(_("Kami mengirim tautan ke %(email)s. Alamat e-mail akun berganti setelah tautan itu "
                           "dibuka (berlaku %(duration)s).", email=user.pending_email,
                           duration=duration_text(current_app.config["ACCOUNT_TOKEN_MAX_AGE"])))
    return _page("accounts/settings/email.html", form, user=user)


@bp.get("/akun/email/<token>")
@public_page_limit
def email_confirm(token: str):
    try:
        user = email_change_confirm(token=token)
        commit()
    except TokenInvalid as problem:
        rollback()
        return render("accounts/settings/email_invalid.html", expired=problem.expired, status=400)
    except (EmailTaken, IntegrityError) as problem:
        rollback()
        message = str(problem) if isinstance(problem, EmailTaken) else _(
            "Alamat e-mail ini sudah dipakai akun lain. Alamat akun Anda tidak diubah.")
        return render("accounts/settings/email_invalid.html", taken=message, status=409)
    flash(_("Alamat e-mail akun Anda sekarang %(email)s.", email=user.email), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("accounts.profile"), code=303)
    return redirect(url_for("accounts.login"), code=303)


@bp.route("/akun/permohonan-tamu", methods=["GET", "POST"])
@login_required
def claim():
    _citizen_only()
    user = _me()
    form = ClaimForm()
    status = 200
    if form.validate_on_submit():
        try:
            claimed = requests_claim(user=user, request_ids=form.chosen())
        except DomainError as error:
            rollback()
            flash(str(error), "error")
            status = 422
        else:
            commit()
            flash(_("%(n)d permohonan dimasukkan ke akun Anda.", n=len(claimed)), "success")
            return redirect(url_for("requests.my_requests"), code=303)
    return render("accounts/settings/claim.html", items=claimable_requests(user), user=user, status=status,
                  block="claim_list")


@bp.route("/akun/hapus", methods=["GET", "POST"])
@login_required
@limiter.limit(_password_limit, methods=["POST"])
def delete():
    _citizen_only()
    user = _me()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            items = account_delete(user=user, password=form.password.data)
        except DomainError as error:
            _refused(form, error)
        else:
            ids = [item.id for item in items]
            commit()
            lang = session.get("lang")
            session.clear()
            logout_user()
            if lang:
                session["lang"] = lang
            for request_id in ids[-50:]:
                grant_in_session(request_id)  # this browser may still follow them, as a guest
            flash(_("Akun Anda sudah dihapus. Permohonan Anda tetap tercatat; tautan lacaknya kami kirim "
                    "ke alamat e-mail Anda."), "success")
            return redirect(url_for("pages.home"), code=303)
    return _page("accounts/settings/delete.html", form, user=user, owned=len(requests_of_user(user)))
