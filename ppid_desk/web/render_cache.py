"""Rendered pages kept per worker while nothing they show can have changed.

``@cached_page`` on a GET view keeps the HTML it rendered under a key made of everything the
page depends on besides the data: the URL (path and query, host), whether htmx asked for a
fragment, the language, who is signed in (their id: an officer's queue is theirs), and the
body's date today (clocks and deadlines count days). The data itself is named by the data
version token (``operations.data_version``), which every committed write replaces: the next
request after a write, on any worker or server, renders afresh.

What stays per visitor is put back on every answer: the CSRF token (the page is kept with a
placeholder where the token was), the session cookie (written by Flask after the view, as
always) and the headers every response gets. A page is not kept, nor served from the cache,
when the visitor has a flashed message waiting, when the view answered anything but a 200 HTML
page, or while the session holds uncommitted writes. Entries also expire after
``PAGE_CACHE_SECONDS`` (a write that slipped past the token, e.g. by a script on a bare engine
connection, is seen by then), and a worker keeps at most ``PAGE_CACHE_BYTES`` of pages, the
least recently used going first. ``PAGE_CACHE_SECONDS = 0`` turns the cache off.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from threading import Lock

from flask import Flask, current_app, g, make_response, request, session
from flask.globals import request_ctx
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..operations.data_version import data_token
from ..workcalendar.selectors import body_today
from .htmx import is_htmx_partial

_EXTENSION = "ppid_page_cache"
_CSRF_FIELD = "csrf_token"  # flask_wtf keeps this request's token in flask.g under this name


@dataclass(frozen=True)
class _Page:
    body: bytes
    mimetype: str
    has_token: bool
    expires: float


class PageCache:
    """A size-bounded LRU of rendered pages, shared by the threads of one worker."""

    def __init__(self, max_bytes: int, seconds: float) -> None:
        self.max_bytes = max_bytes
        self.seconds = seconds
        self.placeholder = ("\x00csrf-" + secrets.token_hex(8) + "\x00").encode()
        self._pages: OrderedDict[tuple, _Page] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    def get(self, key: tuple) -> _Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page.expires <= time.monotonic():
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: _Page) -> None:
        if len(page.body) > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = page
            self._bytes += len(page.body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)

    def _drop(self, key: tuple) -> None:
        self._bytes -= len(self._pages.pop(key).body)


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = PageCache(app.config["PAGE_CACHE_BYTES"], app.config["PAGE_CACHE_SECONDS"])


def page_cache() -> PageCache:
    return current_app.extensions[_EXTENSION]


def _key(token: str) -> tuple:
    user_id = current_user.id if current_user.is_authenticated else None
    return (request.endpoint, request.host, request.full_path, is_htmx_partial(),
            request.headers.get("HX-Target"), str(get_locale()), user_id, body_today(), token)


def _servable() -> str | None:
    """The data token when this request may use the cache, else None."""
    if request.method != "GET" or current_app.config["PAGE_CACHE_SECONDS"] <= 0:
        return None
    if session.get("_flashes"):
        return None  # a message shown once: the page is rendered for this visit only
    return data_token()


def cached_page(view: Callable) -> Callable:
    """Serve ``view``'s GET answer from this worker's page cache while the data version, the
    URL, the language, the signed-in user and the date are the same (see the module)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        token = _servable()
        if token is None:
            return view(*args, **kwargs)
        cache = page_cache()
        key = _key(token)
        page = cache.get(key)
        if page is not None:
            body = page.body
            if page.has_token:
                body = body.replace(cache.placeholder, generate_csrf().encode())
            response = make_response(body, 200)
            response.mimetype = page.mimetype
            response.vary.add("HX-Request")
            return response
        response = make_response(view(*args, **kwargs))
        if (response.status_code == 200 and response.mimetype == "text/html" and not response.direct_passthrough
                and "Set-Cookie" not in response.headers and not session.get("_flashes")
                and not getattr(request_ctx, "flashes", None)):  # the page showed a message
            body = response.get_data()
            csrf = g.get(_CSRF_FIELD)
            has_token = bool(csrf) and csrf.encode() in body
            if has_token:
                body = body.replace(csrf.encode(), cache.placeholder)
            cache.put(key, _Page(body, response.mimetype, has_token, time.monotonic() + cache.seconds))
        return response

    return wrapper
