"""What every benchmark shares: a throwaway PostgreSQL database made on the server ``DATABASE_URL``
names (an admin connection that may ``CREATE DATABASE``) and dropped afterwards, and an app
configured for timing (throwaway keys; no CSRF or rate limits)."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from ppid_desk.config import normalise_database_url  # noqa: E402


@contextmanager
def scratch_postgresql(admin_url: str, *, prefix: str = "ppid_bench", keep: bool = False) -> Iterator[str]:
    """The URL of a new, empty database on ``admin_url``'s server; dropped on exit unless ``keep``."""
    admin_url = normalise_database_url(admin_url)
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{admin_url.rsplit('/', 1)[0]}/{name}"
    try:
        yield url
    finally:
        if keep:
            print(f"  kept: {url}")
        else:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def bench_config(url: str, **extra) -> dict:
    """``create_app`` settings for a timed run on ``url``."""
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_urlsafe(48),
            "DATA_KEY": Fernet.generate_key().decode(),
            "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, **extra}
