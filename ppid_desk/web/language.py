"""The visitor's UI language: chosen with the switch in the header, remembered in a cookie.

Order: ``?lang=`` on the URL (that page only), the remembered choice (cookie, then the session
of a logged-in user), Bahasa Indonesia. The browser's ``Accept-Language`` is not consulted: the
service is Indonesian until the visitor picks English (issue 14 item 5), so an officer whose
browser happens to be set to English does not get a page that differs from the letters. Official documents
(PDF letters and reports, register CSV/XLSX, the dispute file) are always Indonesian: they are
issued by the public body and go to the Komisi Informasi, whatever language the officer reads.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from babel import Locale
from flask import (
    Response,
    current_app,
    g,
    has_app_context,
    has_request_context,
    request,
    request_started,
    session,
    url_for,
)
from flask_babel import Domain, get_locale, refresh

from ..extensions import babel

COOKIE_MAX_AGE = 365 * 24 * 3600
# Native names, so a visitor who cannot read the current language still finds their own.
NAMES = {"id": "Bahasa Indonesia", "en": "English"}
OFFICIAL_SUFFIXES = (".pdf", ".csv", ".xlsx", ".zip")


def offered() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def default_language() -> str:
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def language_name(code: str) -> str:
    return NAMES.get(code) or Locale.parse(code).get_display_name(code) or code


def remembered_language() -> str | None:
    """The visitor's own choice, if any (cookie first: it outlives the session)."""
    for chosen in (request.cookies.get(current_app.config["LANGUAGE_COOKIE"]), session.get("lang")):
        if chosen in offered():
            return chosen
    return None


def official_document() -> bool:
    """A download that the body issues as a document (always in Bahasa Indonesia)."""
    return (request.path.endswith(OFFICIAL_SUFFIXES)
            or (request.args.get("format") or "").strip().lower() in ("csv", "xlsx"))


def active_locale(locale: str | Locale | None = None) -> Locale:
    """The locale to format in (``web.formatting`` and every other formatter): the one given, the request's, or the configured default."""
    if locale is not None:
        return Locale.parse(locale)
    current = get_locale() if has_app_context() else None
    return current or Locale.parse("id")


def select_locale() -> str:
    """The locale of this request (Flask-Babel's locale selector)."""
    if not has_request_context():
        return default_language()
    if official_document():
        return default_language()
    asked = request.args.get("lang")
    if asked in offered():
        return asked
    return remembered_language() or default_language()


def remember_language(response: Response, code: str) -> None:
    """Keep the choice for a year (cookie) and in the session of a logged-in user."""
    session["lang"] = code
    config = current_app.config
    response.set_cookie(config["LANGUAGE_COOKIE"], code, max_age=COOKIE_MAX_AGE, path="/",
                        secure=bool(config.get("SESSION_COOKIE_SECURE")), httponly=True, samesite="Lax")


def safe_next(target: str | None, fallback: str) -> str:
    """A path on this site to go back to, or ``fallback``: never another host (no open redirect).

    Refuses absolute and scheme-relative URLs, backslashes (browsers read ``/\\host`` as
    ``//host``) and control characters or spaces (browsers drop tabs and newlines in URLs).
    """
    if not target or any(c == "\\" or c.isspace() or ord(c) < 32 or ord(c) == 127 for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return fallback
    return target


def switch_links() -> list[tuple[str, str, str]]:
    """``(code, native name, URL)`` of the other offered languages, returning to this page."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    here = request.path + ("?" + urlencode(args) if args else "")
    current = str(get_locale())
    return [(code, language_name(code), url_for("pages.set_language", lang=code, next=here))
            for code in offered() if code != current]


def _fresh_locale(sender, **extra) -> None:
    # Flask-Babel caches the locale on ``g``; an app context that outlives one request (tests,
    # CLI-driven requests) must not carry one visitor's language into the next request.
    refresh()


def _announce_language(response: Response) -> Response:
    """Tell caches that pages differ by language, and say which one this is."""
    response.vary.update(("Accept-Language", "Cookie"))
    locale = get_locale()
    if locale is not None and response.mimetype == "text/html":
        response.headers["Content-Language"] = str(locale)
    return response


class RequestCachedDomain(Domain):
    """Flask-Babel's message domain, whose catalogue is looked up once per app context and locale.

    A page calls gettext a few hundred times (templates, labels, lazy strings); Flask-Babel looks
    the locale and the catalogue up again through several context proxies each time (about a
    fifth of the request form's time). The catalogue is kept beside the locale object Flask-Babel
    holds on ``g``: ``force_locale`` and ``refresh`` replace that object, so they are never served
    the catalogue of another language."""

    def get_translations(self):
        namespace = g.get("_flask_babel") if has_app_context() else None
        if namespace is not None:
            held = getattr(namespace, "ppid_translations", None)
            if held is not None and held[0] is getattr(namespace, "babel_locale", None):
                return held[1]
        translations = super().get_translations()
        namespace = g.get("_flask_babel") if has_app_context() else None
        if namespace is not None:
            namespace.ppid_translations = (getattr(namespace, "babel_locale", None), translations)
        return translations


DOMAIN = RequestCachedDomain()


def init_app(app) -> None:
    request_started.connect(_fresh_locale, app)  # before any before_request hook
    app.after_request(_announce_language)
    # The default domain of gettext/_l everywhere, and the templates' callables, look the
    # catalogue up once per request (RequestCachedDomain).
    babel.__dict__["domain_instance"] = DOMAIN  # Flask-Babel's cached property, set in advance
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: DOMAIN.get_translations().ugettext(s),
        ngettext=lambda s, p, n: DOMAIN.get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: DOMAIN.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: DOMAIN.get_translations().unpgettext(c, s, p, n),
    )
