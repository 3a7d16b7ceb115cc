"""Configuration defaults.

Precedence, lowest first: these defaults, ``instance/config.py``, ``PPID_*`` environment
variables (``PPID_NOTICE_WD=12`` sets ``NOTICE_WD``), ``DATABASE_URL``, and finally the
``test_config`` mapping handed to ``create_app``. Statutory numbers are configuration with
the legal defaults of UU 14/2008, because laws and local regulations change.
"""

from __future__ import annotations

import json
import os
from typing import Any

DEFAULTS: dict[str, Any] = {
    # Secrets: override in instance/config.py or PPID_SECRET_KEY / PPID_DATA_KEY.
    "SECRET_KEY": "dev-only-not-secret",
    # Fernet key (urlsafe base64, 32 bytes) for NIK and identity documents at rest;
    # derived from SECRET_KEY when empty.
    "DATA_KEY": "",
    "SQLALCHEMY_DATABASE_URI": None,  # filled from the instance path when not set
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    # The public body (Badan Publik)
    "BODY_NAME": "Pemerintah Kota Contoh",
    "BODY_ADDRESS": "Jl. Merdeka No. 1, Kota Contoh",
    "BODY_TIMEZONE": "Asia/Jakarta",
    "BODY_SERVICE_HOURS": "Senin–Jumat 08.00–16.00",
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    # Clocks in working days (UU KIP defaults, DESIGN §5)
    "NOTICE_WD": 10,
    "EXTENSION_WD": 7,
    "OBJECTION_FILING_WD": 30,
    "OBJECTION_RESPONSE_WD": 30,
    "DISPUTE_FILING_WD": 14,
    "KI_START_WD": 14,
    "KI_FINISH_WD": 100,
    "UNIT_BUFFER_WD": 3,
    "DUE_SOON_WD": 2,
    # Optional daily cut-off ("16:00"): later receipts count from the next working day.
    "RECEIPT_CUTOFF": None,
    "CUTI_BERSAMA_NON_WORKING": True,
    # Registration numbers: {seq} {seq4} {month_roman} {month} {year}
    "REQUEST_NUMBER_PATTERN": "{seq4}/PPID/{month_roman}/{year}",
    "OBJECTION_NUMBER_PATTERN": "{seq4}/KEB/PPID/{month_roman}/{year}",
    "OBJECTION_RESPONSE_NUMBER_PATTERN": "{seq4}/TGP-KEB/{month_roman}/{year}",
    # Uploads
    "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
    "UPLOAD_MAX_BYTES": 5 * 1024 * 1024,
    "UPLOAD_STAGING_HOURS": 24,
    # E-mail: every message goes through the outbox, then SMTP.
    "MAIL_SERVER": "127.0.0.1",
    "MAIL_PORT": 8025,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_SENDER": "PPID Desk <ppid@localhost>",
    "MAIL_TIMEOUT": 5,
    "MAIL_SEND_AFTER_COMMIT": True,
    # Monev: sum settled requests from daily tallies (monev.tallies); False computes all live.
    "MONEV_TALLIES": True,
    # Web
    # Offered UI languages; add "en" once translations/en is compiled (`make messages`).
    "LANGUAGES": ["id"],
    "BABEL_DEFAULT_LOCALE": "id",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,  # set True behind HTTPS
    "REMEMBER_COOKIE_HTTPONLY": True,
    "WTF_CSRF_TIME_LIMIT": None,  # a citizen may take an hour over a request form
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute; 50 per hour",
    "SUBMIT_RATE_LIMIT": "10 per hour",
    "LOOKUP_RATE_LIMIT": "20 per hour",
    "ACCOUNT_TOKEN_MAX_AGE": 3 * 24 * 3600,
    "RESET_TOKEN_MAX_AGE": 2 * 3600,
    "PASSWORD_HASH_METHOD": "scrypt",  # Werkzeug method string; scrypt is memory-hard
}


def _coerce(raw: str, default: Any) -> Any:
    """Interpret an environment string in the type of the default it overrides."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, (list, dict)):
        return json.loads(raw)
    if default is None and raw.strip().lower() in {"", "none", "null"}:
        return None
    return raw


def from_environment(current: dict[str, Any], environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return the overrides found in ``PPID_*`` variables and ``DATABASE_URL``."""
    environ = dict(os.environ if environ is None else environ)
    overrides: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith("PPID_") or name == "PPID_INSTANCE_PATH":
            continue
        key = name.removeprefix("PPID_")
        overrides[key] = _coerce(raw, current.get(key, DEFAULTS.get(key)))
    if environ.get("DATABASE_URL"):
        overrides["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(environ["DATABASE_URL"])
    return overrides


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` spelling and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url
