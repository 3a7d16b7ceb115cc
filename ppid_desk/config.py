"""Configuration defaults.

Precedence, lowest first: these defaults, ``instance/config.py``, ``PPID_*`` environment
variables (``PPID_NOTICE_WD=12`` sets ``NOTICE_WD``), ``DATABASE_URL``, and finally the
``test_config`` mapping handed to ``create_app``. Statutory numbers are configuration with
the legal defaults of UU 14/2008, because laws and local regulations change.

``SECRET_KEY`` signs the session cookies: whoever knows it can forge any session. When no layer
sets it, ``instance/secret.key`` is read (``make run`` writes a random one there, mode 0600);
outside debug and testing the app refuses to start with the built-in default, an empty key or one
shorter than 32 bytes (secret_key_init).
"""

from __future__ import annotations

import json
import os
from typing import Any

DEFAULTS: dict[str, Any] = {
    # Secrets: override in instance/config.py or PPID_SECRET_KEY / PPID_DATA_KEY. The default
    # SECRET_KEY is public: only debug and testing accept it (secret_key_init).
    "SECRET_KEY": "dev-only-not-secret",
    # Fernet key (urlsafe base64, 32 bytes) for NIK, legal-entity numbers and identity documents
    # at rest. Required in production; without it the app uses instance/data.key, which only
    # debug and testing generate (and `make run`, through scripts/instance_secrets.py).
    # See ppid_desk/privacy.py.
    "DATA_KEY": "",
    # Older data keys still accepted for decryption (after a rotation: `flask ppid data-key rotate`).
    "DATA_KEYS": [],
    # Personal data of a request is purged (`flask ppid purge`) this many days after the request,
    # its objection and any dispute windows are closed (DESIGN §8, UU 27/2022).
    "PERSONAL_DATA_RETENTION_DAYS": 1826,
    "SQLALCHEMY_DATABASE_URI": None,  # filled from the instance path when not set
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    # The public body (Badan Publik): defaults for `flask ppid init` (and for a database without
    # a body profile yet). Afterwards an administrator edits them at /meja/admin/profil.
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
    "COURT_FILING_WD": 14,  # UU KIP Pasal 48(1): PTUN/PN after the KI's decision is received
    "CASSATION_FILING_DAYS": 14,  # Pasal 50: kasasi at the MA, calendar days
    "UNIT_BUFFER_WD": 3,
    # Not in UU KIP (a setting): working days an applicant has to complete a request the desk
    # found incomplete, counted from the incomplete-notice letter; then it may be closed as
    # "tidak dilengkapi" (an administrative end, never a breach).
    "INCOMPLETE_COMPLETION_WD": 10,
    "DUE_SOON_WD": 2,
    # Satisfaction survey (IKM): a unit and period with fewer respondents shows its count only, on
    # every page (a response of a small unit in a quiet month could be told apart).
    "SURVEY_MIN_RESPONDENTS": 5,
    # Optional daily cut-off ("16:00"): later receipts count from the next working day.
    "RECEIPT_CUTOFF": None,
    "CUTI_BERSAMA_NON_WORKING": True,
    # Registration numbers: {seq} {seq4} {month_roman} {month} {year}; defaults for the body profile
    "REQUEST_NUMBER_PATTERN": "{seq4}/PPID/{month_roman}/{year}",
    "OBJECTION_NUMBER_PATTERN": "{seq4}/KEB/PPID/{month_roman}/{year}",
    "OBJECTION_RESPONSE_NUMBER_PATTERN": "{seq4}/TGP-KEB/{month_roman}/{year}",
    "NOTICE_NUMBER_PATTERN": "{seq4}/PPID-PT/{month_roman}/{year}",
    "INCOMPLETE_NUMBER_PATTERN": "{seq4}/PPID-KL/{month_roman}/{year}",  # letter: request incomplete
    "NOT_COMPLETED_NUMBER_PATTERN": "{seq4}/PPID-TD/{month_roman}/{year}",  # letter: closed, not completed
    "EXTENSION_NUMBER_PATTERN": "{seq4}/PPID-PJ/{month_roman}/{year}",  # letter: extension (Pasal 22(8))
    "WITHDRAWAL_NUMBER_PATTERN": "{seq4}/PPID-CB/{month_roman}/{year}",  # letter: withdrawal confirmed
    "EXEMPTION_NUMBER_PATTERN": "{seq4}/PPID-DIK/{year}",  # a decision exempting information (Pasal 17)
    # Days before an exemption's end (Pasal 20) the sweep reminds PPID Utama and the unit.
    "EXEMPTION_REMINDER_DAYS": 30,
    # An answer published from a request (Daftar Informasi Publik) may wait this many calendar days
    # after the delivery, when the desk chooses so: the applicant uses the information first.
    # 0: published on approval, no choice offered.
    "PUBLISHED_ANSWER_DELAY_DAYS": 14,
    # Evidence (bukti dukung) is at most this size per file, as the Komisi Informasi's E-Monev portal
    # asks (2 MB in KI DKI's rounds): the units' uploads to the internal monev (evaluation/) and every
    # PDF of the body's evidence pack (monev/evidence_*, which splits a long register to fit).
    "EVIDENCE_MAX_BYTES": 2 * 1024 * 1024,
    # Internal monev: units that have not submitted are reminded this many days before the closing date.
    "EVALUATION_REMINDER_DAYS": 3,
    # Days before 31 March (the annual report's due day, Perki 1/2021 Pasal 56) from which the sweep
    # reminds PPID Utama, once and only up to that day, when last year's report is not recorded as
    # submitted to the Komisi Informasi.
    "ANNUAL_REPORT_REMINDER_DAYS": 21,
    # Uploads
    "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
    "UPLOAD_MAX_BYTES": 5 * 1024 * 1024,
    "UPLOAD_STAGING_HOURS": 24,
    # Where the bytes of uploaded files live (ppid_desk/attachments/storage.py; docs/operations.md,
    # "Several servers"): "local" = UPLOAD_FOLDER (instance/uploads, one server); "s3" = a bucket of
    # an S3-compatible object store that every server reaches (boto3). Credentials: the two
    # UPLOAD_S3_* keys, or when empty boto3's own chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY …).
    "UPLOAD_STORAGE": "local",
    "UPLOAD_S3_BUCKET": "",
    "UPLOAD_S3_ENDPOINT_URL": "",  # empty: AWS itself; e.g. "https://minio.example.id:9000"
    "UPLOAD_S3_REGION": "",
    "UPLOAD_S3_PREFIX": "uploads/",  # the objects' key prefix: the bucket may hold other things
    "UPLOAD_S3_ACCESS_KEY_ID": "",
    "UPLOAD_S3_SECRET_ACCESS_KEY": "",
    "UPLOAD_S3_ADDRESSING_STYLE": "auto",  # "path" for stores without bucket sub-domains
    # Spreadsheet imports (XLSX/CSV, e.g. the register import): checked before and while reading
    # (web/spreadsheets.py), so a zip bomb or a sheet of millions of empty rows gets a message
    # instead of exhausting a worker.
    "IMPORT_MAX_ROWS": 5000,  # rows below the header row, empty rows included
    "IMPORT_MAX_COLUMNS": 30,  # the register template has 17, the register export 18
    "IMPORT_MAX_UNCOMPRESSED_BYTES": 32 * 1024 * 1024,  # a CSV, or an XLSX's parts unzipped together
    # Unclaimed staged uploads (forms not sent yet) one client address may hold within
    # UPLOAD_STAGING_HOURS; staff are not counted (ppid_desk/attachments/services.py).
    "UPLOAD_STAGING_QUOTA_BYTES": 50 * 1024 * 1024,
    # E-mail: every message goes through the outbox; the outbox sender (`flask ppid outbox --loop`)
    # or the sweep sends it over SMTP, never a web request.
    "MAIL_SERVER": "127.0.0.1",
    "MAIL_PORT": 8025,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_SENDER": "PPID Desk <ppid@localhost>",
    "MAIL_TIMEOUT": 5,
    # Reverse proxies in front of the app (nginx, a load balancer) whose X-Forwarded-For/-Proto
    # are trusted; 0 = none (the visitor talks to gunicorn directly). Rate limits and lock-outs
    # need the visitor's real address.
    "TRUSTED_PROXIES": 0,
    # Monev: sum settled requests from daily tallies (monev.tallies); False computes all live.
    "MONEV_TALLIES": True,
    # Web
    # Offered UI languages (catalogues in translations/, compiled by `make setup`); the first
    # is the default. The visitor's choice is kept in the LANGUAGE_COOKIE for a year.
    "LANGUAGES": ["id", "en"],
    "LANGUAGE_COOKIE": "ppid_lang",
    "BABEL_DEFAULT_LOCALE": "id",
    "BABEL_TRANSLATION_DIRECTORIES": os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                  "translations"),
    "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
    # Session cookies (see docs/operations.md, "Security settings"). Secure: None means "auto" —
    # True when not in debug/testing and PUBLIC_BASE_URL is https (apply_cookie_policy);
    # PPID_SESSION_COOKIE_SECURE=true/false forces it. The remember-me cookie follows.
    # Strict-Transport-Security: None means "auto" (sent when not in debug/testing and
    # PUBLIC_BASE_URL is https); PPID_HSTS=true/false forces it.
    "HSTS": None,
    "HSTS_MAX_AGE": 365 * 24 * 3600,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": None,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": None,
    "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,  # "remember me": two weeks, not Flask-Login's year
    # A session cookie is refused 8 hours after it was last written (a working day on the desk).
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    "WTF_CSRF_TIME_LIMIT": None,  # a citizen may take an hour over a request form
    # Rendered pages each worker keeps while the data version stays the same (the request form,
    # the desk queue …; ppid_desk/web/render_cache.py): at most this long, and this many bytes
    # per worker. 0 seconds turns the cache off.
    "PAGE_CACHE_SECONDS": 30,
    "PAGE_CACHE_BYTES": 8 * 1024 * 1024,
    # Rate limits, per client IP and route. Use Redis with several workers
    # ("redis://127.0.0.1:6379/0"): memory:// counts per process and forgets on restart (the app
    # warns at start-up outside development).
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_LIMIT": "30 per minute; 200 per hour",  # refused logins only, per client IP
    # Citizen request form: valid submissions per client IP *and* e-mail, and a higher ceiling
    # per client IP (an office or a campus files from one address). Objection filing and the
    # desk intake count SUBMIT_RATE_LIMIT per client IP.
    "SUBMIT_RATE_LIMIT": "10 per hour",
    "SUBMIT_IP_RATE_LIMIT": "50 per hour",
    "LOOKUP_RATE_LIMIT": "20 per hour",  # tracking look-ups (number + e-mail)
    "REGISTER_RATE_LIMIT": "5 per hour",  # account creation
    "PASSWORD_RESET_RATE_LIMIT": "5 per hour",  # "forgot password" requests
    "ACCOUNT_MAIL_RATE_LIMIT": "5 per hour",  # resending the verification e-mail
    # Every page anyone may open without logging in (GET/HEAD), one budget per address across
    # all of them (ppid_desk/web/limits.py); /healthz has its own so monitors are never refused.
    "PUBLIC_RATE_LIMIT": "120 per minute",
    "HEALTHZ_RATE_LIMIT": "300 per minute",
    # The view counter of catalogue items (a POST each item page fires once per session and day):
    # per address, so a script cannot push an item up the home page's "most viewed".
    "DIP_VIEW_RATE_LIMIT": "20 per minute; 300 per day",
    # Login lock-out (accounts.throttle), counted in the database: after LOGIN_LOCKOUT_FAILURES
    # failed passwords for one address (or LOGIN_LOCKOUT_IP_FAILURES from one client IP, over all
    # addresses: much higher, so one office's typos do not lock out its staff) within
    # LOGIN_LOCKOUT_WINDOW minutes, logging in is refused for LOGIN_LOCKOUT_MINUTES.
    "LOGIN_LOCKOUT_FAILURES": 5,
    "LOGIN_LOCKOUT_IP_FAILURES": 100,
    "LOGIN_LOCKOUT_WINDOW": 15,
    "LOGIN_LOCKOUT_MINUTES": 15,
    "ACCOUNT_TOKEN_MAX_AGE": 3 * 24 * 3600,
    "RESET_TOKEN_MAX_AGE": 2 * 3600,
    "INVITATION_MAX_AGE": 7 * 24 * 3600,  # an officer's set-password invitation (seconds)
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


def _flag(value: Any) -> bool | None:
    """A setting that may be None ("auto"), a bool, or an environment string."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"", "none", "null", "auto"}:
        return None
    return text in {"1", "true", "yes", "on"}


def apply_cookie_policy(app: Any) -> None:
    """Resolve cookie settings on a configured app: HttpOnly and SameSite always; Secure when
    forced, or automatically in production (not debug/testing) with an https PUBLIC_BASE_URL."""
    config = app.config
    secure = _flag(config.get("SESSION_COOKIE_SECURE"))
    if secure is None:
        secure = (not (app.debug or app.testing)
                  and str(config.get("PUBLIC_BASE_URL", "")).lower().startswith("https://"))
    remember = _flag(config.get("REMEMBER_COOKIE_SECURE"))
    config["SESSION_COOKIE_SECURE"] = secure
    config["REMEMBER_COOKIE_SECURE"] = secure if remember is None else remember
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["REMEMBER_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    config["REMEMBER_COOKIE_SAMESITE"] = config.get("REMEMBER_COOKIE_SAMESITE") or "Lax"


SECRET_FILE = "secret.key"
MIN_SECRET_BYTES = 32
# Values published with the code: the default and the placeholder once shipped in
# instance/config.py.example. Anyone can sign a session cookie with them.
PUBLIC_SECRETS = frozenset({
    DEFAULTS["SECRET_KEY"],
    "change-me: python -c 'import secrets; print(secrets.token_urlsafe(48))'",
})
SECRET_HELP = (
    "It signs the session cookies: whoever knows it can sign in as anyone. Generate one with\n"
    "  python -c 'import secrets; print(secrets.token_urlsafe(48))'\n"
    "and set it as PPID_SECRET_KEY or SECRET_KEY in instance/config.py, or write it to "
    "instance/secret.key (mode 0600). Keep it out of the repository."
)


class SecretKeyError(RuntimeError):
    """SECRET_KEY is missing, public or too short outside development: the app must not start."""


def secret_key_problem(key: Any) -> str | None:
    """Why ``key`` cannot sign production sessions, or None when it can."""
    if not key:
        return "is not set"
    if key in PUBLIC_SECRETS:
        return "is the built-in development default"
    if len(key.encode() if isinstance(key, str) else bytes(key)) < MIN_SECRET_BYTES:
        return f"is shorter than {MIN_SECRET_BYTES} bytes"
    return None


def secret_key_init(app: Any) -> None:
    """Resolve SECRET_KEY (configured, else instance/secret.key) or raise SecretKeyError.

    Debug and testing accept any key, the default included (the suite and `flask --debug run`)."""
    key = app.config.get("SECRET_KEY")
    if not key or key == DEFAULTS["SECRET_KEY"]:
        path = os.path.join(app.instance_path, SECRET_FILE)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                key = app.config["SECRET_KEY"] = handle.read().strip()
    if app.debug or app.testing:
        return
    problem = secret_key_problem(key)
    if problem:
        raise SecretKeyError(f"PPID Desk: SECRET_KEY {problem}. {SECRET_HELP}")


def hsts_header(app: Any) -> str | None:
    """The Strict-Transport-Security value to send, or None: forced by HSTS, else in production
    (not debug/testing) with an https PUBLIC_BASE_URL."""
    config = app.config
    send = _flag(config.get("HSTS"))
    if send is None:
        send = (not (app.debug or app.testing)
                and str(config.get("PUBLIC_BASE_URL", "")).lower().startswith("https://"))
    return f"max-age={int(config.get('HSTS_MAX_AGE') or 0)}" if send else None


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` spelling and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url
