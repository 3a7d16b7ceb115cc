"""Citizen accounts: register, verify e-mail, log in/out, reset a forgotten password.

Thin: parse → service → commit → redirect 303, or re-render with 422 and the errors next to
the fields. Typed values are kept, passwords never. No page tells whether an address has an
account.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import PasswordField

from ..errors import FieldError
from ..extensions import limiter
from ..requests.session_grants import GRANTS_KEY
from ..requests.views import STAGED_KEY
from ..web.forms import errors_onto_form
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.transaction import commit, rollback
from .blueprint import bp
from .forms import EmailForm, LoginForm, RegisterForm, ResetPasswordForm
from .models import User
from .selectors import normalise_email, user_for_reset_token
from .services import (
    AccountInactive,
    AccountUnverified,
    LoginLocked,
    LoginRefused,
    account_login,
    account_logout,
    account_register,
    account_request_password_reset,
    account_resend_verification,
    account_reset_password,
    account_verify_email,
    duration_text,
)
from .tokens import TokenInvalid

# What a browser session carries across logging in: the requests it filed or looked up as a
# guest, uploads accepted on an unfinished form, and the chosen language. Nothing else.
KEPT_ON_LOGIN = (GRANTS_KEY, STAGED_KEY, "lang")
SENT_TO_KEY = "account_mail_sent_to"



# Each form that sends e-mail or guesses at accounts has its own limit (per client IP, per route).
def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _resend_limit() -> str:
    return current_app.config["ACCOUNT_MAIL_RATE_LIMIT"]


def _reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _refused(response) -> bool:
    """Only refused logins count towards the login limit: the staff of an office behind one
    address all logging in at eight must not lock each other out."""
    return response.status_code >= 400


# --- helpers ------------------------------------------------------------------------------

def _form_page(template: str, form: FlaskForm, *, status: int | None = None, **context):
    """Render a form page: 422 after a refused POST, and never echo a password back."""
    for field in form:
        if isinstance(field, PasswordField):
            field.data = ""
    status = status or (422 if form.is_submitted() else 200)
    return render(template, form=form, status=status, block="form", **context)


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site; None for anything that could leave it."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _landing(user: User) -> str:
    """Where a user goes after logging in without a ``next``: each role to its own work."""
    from .landing import landing_url

    return landing_url(user)


def _fresh_session(*, keep: tuple[str, ...]) -> None:
    """Drop everything in the session but ``keep`` (no state survives a change of identity)."""
    kept = {key: session[key] for key in keep if key in session}
    session.clear()
    session.update(kept)


def _token_problem(purpose: str, problem: TokenInvalid):
    return render("accounts/token_invalid.html", purpose=purpose, expired=problem.expired, status=400)


def _mail_sent(email: str, endpoint: str, **values):
    session[SENT_TO_KEY] = normalise_email(email)
    return redirect(url_for(endpoint, **values), code=303)


# --- registration -------------------------------------------------------------------------

@bp.route("/daftar", methods=["GET", "POST"])
@public_page_limit
@limiter.limit(_register_limit, methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        details = {"name": form.name.data, "email": form.email.data,
                   "phone": form.phone.data or None, "password": form.password.data}
        try:
            try:
                account_register(**details)
            except IntegrityError:
                rollback()  # the address was taken meanwhile (a double submit): answer as for one
                account_register(**details)
        except FieldError as error:
            errors_onto_form(form, error)
        else:
            commit()
            return _mail_sent(form.email.data, "accounts.register_sent")
    return _form_page("accounts/register.html", form)


@bp.get("/daftar/terkirim")
@public_page_limit
def register_sent():
    return render("accounts/register_sent.html", email=session.get(SENT_TO_KEY),
                  resent=request.args.get("ulang") == "1",
                  valid_for=duration_text(current_app.config["ACCOUNT_TOKEN_MAX_AGE"]))


@bp.route("/daftar/kirim-ulang", methods=["GET", "POST"])
@public_page_limit
@limiter.limit(_resend_limit, methods=["POST"])
def resend_verification():
    form = EmailForm()
    if form.validate_on_submit():
        account_resend_verification(email=form.email.data)
        commit()
        return _mail_sent(form.email.data, "accounts.register_sent", ulang="1")
    if not form.is_submitted():
        form.email.data = request.args.get("email") or session.get(SENT_TO_KEY)
    return _form_page("accounts/resend.html", form)


@bp.get("/daftar/verifikasi/<token>")
@public_page_limit
def verify_email(token: str):
    try:
        account_verify_email(token=token)
    except TokenInvalid as problem:
        rollback()
        return _token_problem("verify", problem)
    commit()
    flash(_("Alamat e-mail Anda sudah terverifikasi. Silakan masuk."), "success")
    return redirect(url_for("accounts.login"), code=303)


# --- logging in and out -------------------------------------------------------------------

@bp.route("/masuk", methods=["GET", "POST"])
@public_page_limit
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_refused)
def login():
    form = LoginForm()
    refusal = None
    status = None
    if not form.is_submitted():
        form.next.data = request.args.get("next", "")
        if current_user.is_authenticated:
            return redirect(safe_next(form.next.data) or _landing(current_user))
    elif form.validate():
        try:
            user = account_login(email=form.email.data, password=form.password.data,
                                 client_ip=get_remote_address())
        except LoginLocked as locked:
            refusal, status = "locked", 429
            form.email.errors.append(_(
                "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, percobaan masuk dikunci "
                "sementara. Coba lagi dalam %(minutes)d menit.",
                minutes=max(1, -(-locked.lockout.seconds_left // 60))))
        except LoginRefused:
            form.email.errors.append(_("E-mail atau kata sandi salah. Periksa keduanya lalu coba lagi."))
        except AccountUnverified:
            refusal = "unverified"
            form.email.errors.append(_("Alamat e-mail akun ini belum diverifikasi. Buka tautan di e-mail "
                                       "yang kami kirim saat Anda mendaftar, atau minta e-mail baru."))
        except AccountInactive:
            refusal = "inactive"
            form.email.errors.append(_("Akun ini sedang dinonaktifkan. Hubungi PPID untuk bantuan."))
        else:
            _fresh_session(keep=KEPT_ON_LOGIN)  # a new identity starts from a clean session
            login_user(user, remember=bool(form.remember.data))
            commit()
            flash(_("Selamat datang, %(name)s.", name=user.name), "success")
            target = safe_next(form.next.data or request.args.get("next"))
            return redirect(target or _landing(user), code=303)
        commit()  # the failure counted (or the count reset), a lock-out's event and its e-mail
    return _form_page("accounts/login.html", form, refusal=refusal, status=status)


@bp.post("/keluar")
def logout():
    if current_user.is_authenticated:
        account_logout(user=current_user._get_current_object())
        commit()
    # Clear first: logout_user() then leaves its note to delete the "remember me" cookie.
    _fresh_session(keep=("lang",))
    logout_user()
    flash(_("Anda sudah keluar. Sesi akun ini di perangkat lain juga berakhir."), "success")
    return redirect(url_for("pages.home"), code=303)


# --- forgotten password -------------------------------------------------------------------

@bp.route("/lupa-sandi", methods=["GET", "POST"])
@public_page_limit
@limiter.limit(_reset_limit, methods=["POST"])
def forgot_password():
    form = EmailForm()
    if form.validate_on_submit():
        account_request_password_reset(email=form.email.data)
        commit()
        return _mail_sent(form.email.data, "accounts.forgot_sent")
    return _form_page("accounts/forgot.html", form)


@bp.get("/lupa-sandi/terkirim")
@public_page_limit
def forgot_sent():
    return render("accounts/forgot_sent.html", email=session.get(SENT_TO_KEY),
                  valid_for=duration_text(current_app.config["RESET_TOKEN_MAX_AGE"]))


@bp.route("/lupa-sandi/<token>", methods=["GET", "POST"])
@public_page_limit
def reset_password(token: str):
    try:
        user = user_for_reset_token(token)
    except TokenInvalid as problem:
        return _token_problem("reset", problem)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            account_reset_password(token=token, password=form.password.data)
        except FieldError as error:
            errors_onto_form(form, error)
        else:
            commit()
            flash(_("Kata sandi Anda sudah diganti. Silakan masuk dengan kata sandi baru."), "success")
            return redirect(url_for("accounts.login"), code=303)
    return _form_page("accounts/reset.html", form, token=token, email=user.email)


# --- first password of an account someone else created (`flask ppid init`) -----------------

@bp.route("/atur-sandi/<token>", methods=["GET", "POST"])
@public_page_limit
def set_password(token: str):
    from .invitations import invitation_accept, invitation_accepted_message, user_for_invitation

    try:
        user = user_for_invitation(token)
    except TokenInvalid as problem:
        return _token_problem("reset", problem)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            invitation_accept(token=token, password=form.password.data)
        except FieldError as error:
            errors_onto_form(form, error)
        else:
            commit()
            flash(invitation_accepted_message(), "success")
            return redirect(url_for("accounts.login"), code=303)
    return _form_page("accounts/reset.html", form, token=token, email=user.email,
                      action=url_for("accounts.set_password", token=token))
