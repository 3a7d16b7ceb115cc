"""Security headers, CSP without unsafe-inline, login wiring.

Headers on every response: the CSP and its companions; Strict-Transport-Security in production
behind https (config.hsts_header); ``Cache-Control: private, no-store`` on everything personal
(is_personal) and on every download, so that nobody's request, receipt, letter or document is
kept by a browser or proxy cache. Static files and the public pages of an anonymous visitor stay
cacheable."""

from __future__ import annotations

from flask import Flask, Response, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..config import hsts_header
from ..extensions import login_manager
from .forms import parse_int
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
        from ..accounts.selectors import user_for_session

        user_id = parse_int(session_id.partition(":")[0])
        if user_id is None:
            return None
        found = user_for_session(user_id)  # user, roles and logout marker: one statement
        if found is None or found[0].session_id(found[1]) != session_id:
            return None  # the password changed, or the user logged out, since this session began
        return found[0]

    @login_manager.unauthorized_handler
    def unauthorized():
        target = url_for("accounts.login", next=request.full_path.rstrip("?"))
        if is_htmx_partial():
            response = Response(status=401)
            response.headers["HX-Redirect"] = target
            return response
        flash(str(login_manager.login_message), "info")
        return redirect(target)

    hsts = hsts_header(app)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", hsts)
        if is_personal():
            response.headers["Cache-Control"] = "private, no-store"
        elif _is_download(response):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def is_personal() -> bool:
    """Whether this response may show somebody's own data, so that no cache (the browser's disk,
    a shared proxy, the back button on a library computer) may keep it: every response to a
    signed-in user or to a browser holding a tracking grant, and every page of the desk."""
    from ..requests.session_grants import GRANTS_KEY

    if request.endpoint == "static":
        return False  # the same for everybody: no session or user look-up for every file
    if request.path.startswith("/meja/"):  # the desk's pages, whichever domain's blueprint
        return True
    if session.get(GRANTS_KEY):
        return True
    return bool(current_user and current_user.is_authenticated)


def _is_download(response: Response) -> bool:
    return "attachment" in response.headers.get("Content-Disposition", "")
