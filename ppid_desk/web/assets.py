"""Static files a village connection loads once: fingerprinted, cached for a year, compressed.

* **Fingerprints.** Every ``url_for("static", filename=…)`` gets ``?v=<first 12 hex digits of
  the file's SHA-256>``. A request carrying the file's current fingerprint is answered with
  ``Cache-Control: public, max-age=31536000, immutable``: the browser never asks again until the
  file changes, and then the page names a new URL. Without it (or with an old one) the file is
  sent ``no-cache`` (revalidated with its ETag), so nothing stale is ever kept. The fingerprints
  are read once per process (about 100 KB of files; ``STATIC_FINGERPRINTS`` off: none).
* **Compression** (Flask-Compress, when no proxy does it): CSS, JavaScript and SVG go out as
  Brotli (quality 11) or gzip, whichever the browser accepts; each file is compressed once per
  process and encoding and kept. Pages (HTML) are *not* compressed: they carry the CSRF token and
  often echo what the visitor typed, and compressing the two together over HTTPS lets a network
  attacker guess the token from response sizes (BREACH). A proxy in front may still compress them
  if it mitigates that; the request form's first visit stays within 35 KB without it.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from flask import Flask, request
from flask.wrappers import Response
from flask_compress import Compress

YEAR = 365 * 24 * 3600
COMPRESSED_TYPES = ["text/css", "application/javascript", "text/javascript", "image/svg+xml"]
NOT_KEPT = "!"  # the cache key of a response that is not a static file: never stored


def fingerprints_now(folder: str) -> dict[str, str]:
    """{path relative to the static folder (with "/"): 12 hex digits of its SHA-256}, read now."""
    found: dict[str, str] = {}
    root = Path(folder)
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return found


fingerprints = lru_cache(maxsize=4)(fingerprints_now)  # read once per process (not in debug)


class _CompressedFiles:
    """Flask-Compress's cache: a static file's compressed bytes by encoding and URL (the URL
    carries the fingerprint, so a changed file is a new key); anything else is never kept."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return None if NOT_KEPT in key else self._store.get(key)

    def set(self, key: str, value: bytes) -> None:
        if NOT_KEPT not in key and len(self._store) < 512:
            self._store[key] = value


def _cache_key(req) -> str:
    return req.full_path if req.endpoint == "static" else NOT_KEPT


def init_app(app: Flask) -> None:
    app.config.setdefault("STATIC_FINGERPRINTS", True)
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 11)  # once per file and process: the smallest
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    # A static file is sent as a stream; compress it whole (and cache it) like a page.
    app.config.setdefault("COMPRESS_STREAMS", False)
    # Each file compressed once per process and encoding (keyed by its fingerprinted URL).
    app.config.setdefault("COMPRESS_CACHE_BACKEND", _CompressedFiles)
    app.config.setdefault("COMPRESS_CACHE_KEY", _cache_key)
    Compress(app)
    _static_files_whole(app)
    if not app.config["STATIC_FINGERPRINTS"] or not app.static_folder:
        return
    folder = os.path.abspath(app.static_folder)
    # A developer's edited stylesheet must get a new URL at once: in debug, read on every use.
    lookup = fingerprints_now if app.debug else fingerprints

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            version = lookup(folder).get(values.get("filename", ""))
            if version:
                values["v"] = version

    @app.after_request
    def _static_cache(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") and request.args.get("v") == lookup(folder).get(filename):
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
        return response


def _static_files_whole(app: Flask) -> None:
    """Static files are streamed by ``send_file``: read them into the response first so that
    Flask-Compress compresses them whole, once per URL and encoding (its cache above)."""

    @app.after_request
    def _whole(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200 and response.direct_passthrough:
            response.direct_passthrough = False
            response.set_data(response.get_data())
        return response
