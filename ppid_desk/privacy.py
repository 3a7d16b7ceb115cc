"""Personal data protection helpers (UU 27/2022): encryption at rest and masking.

The data key comes from configuration, never from the session secret:

* ``DATA_KEY`` (``PPID_DATA_KEY`` or ``instance/config.py``): the Fernet key that encrypts;
* ``DATA_KEYS``: older keys, still accepted for decryption after a rotation
  (``flask ppid data-key rotate`` re-encrypts everything with ``DATA_KEY``);
* without ``DATA_KEY``, the file ``instance/data.key`` is used; in development (debug or testing)
  it is generated once (mode 0600), and ``make run`` writes one with scripts/instance_secrets.py.
  Anywhere else the application refuses to start (the public default ``SECRET_KEY`` does not
  make a server "development": it no longer starts at all, see config.secret_key_init).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from flask import Flask, current_app

KEY_FILE = "data.key"
EXTENSION = "ppid_data_fernet"
MISSING_KEY = (
    "PPID Desk: no data key. NIK, legal-entity numbers and identity documents are encrypted with "
    "DATA_KEY, which is not set. Generate one with\n"
    "  python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'\n"
    "and set it as PPID_DATA_KEY or DATA_KEY in instance/config.py (keep a copy with the backups: "
    "without it the personal data cannot be read)."
)


class DataKeyError(RuntimeError):
    """The data key is missing or malformed: the application must not start."""


def _is_development(app: Flask) -> bool:
    return bool(app.debug or app.testing)


def _key_file_read_or_create(app: Flask, create: bool) -> str | None:
    return secret_file_read_or_create(Path(app.instance_path) / KEY_FILE, new_data_key if create else None)


def new_data_key() -> str:
    return Fernet.generate_key().decode()


def secret_file_read_or_create(path: Path, generate: Callable[[], str] | None = new_data_key) -> str | None:
    """The secret kept in ``path``; when absent, a new one from ``generate`` written there once
    (mode 0600, folder 0700 when created); None when absent and ``generate`` is None."""
    if path.exists():
        return path.read_text().strip()
    if generate is None:
        return None
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Write a temporary file, then link it into place: two workers starting together agree on one key.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(generate() + "\n")
    try:
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink()
    return path.read_text().strip()


def _fernet_of(key: str | bytes) -> Fernet:
    try:
        return Fernet(key.encode() if isinstance(key, str) else key)
    except (ValueError, TypeError) as error:
        raise DataKeyError("PPID Desk: DATA_KEY/DATA_KEYS must be Fernet keys (32 bytes, url-safe base64).") from error


def data_key_init(app: Flask) -> None:
    """Resolve the data key at start-up, or raise DataKeyError with a clear message."""
    key = app.config.get("DATA_KEY") or _key_file_read_or_create(app, create=_is_development(app))
    if not key:
        raise DataKeyError(MISSING_KEY)
    app.config["DATA_KEY"] = key
    old = app.config.get("DATA_KEYS") or []
    if isinstance(old, str):
        old = [k for k in old.replace(",", " ").split() if k]
    app.config["DATA_KEYS"] = list(old)
    app.extensions[EXTENSION] = accepting(key, *old)


def accepting(*keys: str | bytes) -> MultiFernet:
    """Encrypt with the first key, decrypt with any of them."""
    return MultiFernet([_fernet_of(key) for key in keys])


def legacy_secret_key(secret_key: str) -> str:
    """The key that versions before DATA_KEY derived from SECRET_KEY (for `data-key rotate --legacy-secret`)."""
    digest = hashlib.sha256(("ppid-data-key:" + secret_key).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def _fernet() -> MultiFernet:
    fernet = current_app.extensions.get(EXTENSION)
    if fernet is None:
        data_key_init(current_app)
        fernet = current_app.extensions[EXTENSION]
    return fernet


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(token)


def rotate_bytes(token: bytes) -> bytes:
    """Re-encrypt a token made with any accepted key under the current DATA_KEY."""
    return _fernet().rotate(token)


def encrypt_text(value: str) -> str:
    return encrypt_bytes(value.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token.encode("ascii")).decode()


def mask_nik(nik: str | None) -> str:
    """Show only the last four digits of a NIK: ``************1234``."""
    if not nik:
        return ""
    return "•" * max(len(nik) - 4, 0) + nik[-4:]


def mask_tail(value: str | None, keep: int = 4) -> str:
    """Mask all but the last ``keep`` characters (legal-entity approval numbers)."""
    if not value:
        return ""
    return "•" * max(len(value) - keep, 0) + value[-keep:]
