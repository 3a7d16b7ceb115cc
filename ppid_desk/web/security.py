"""Security headers, CSP without unsafe-inline, login wiring."""

from __future__ import annotations

from flask import Flask, Response, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager
from .htmx import is_htmx_partial

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


def init_app(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Silakan masuk untuk melanjutkan.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(session_id: str):
        from ..accounts.models import User

        user_id, _sep, _fingerprint = session_id.partition(":")
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.get_id() != session_id:
            return None  # the password changed since this session began
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        target = url_for("accounts.login", next=request.full_path.rstrip("?"))
        if is_htmx_partial():
            response = Response(status=401)
            response.headers["HX-Redirect"] = target
            return response
        flash(str(login_manager.login_message), "info")
        return redirect(target)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
