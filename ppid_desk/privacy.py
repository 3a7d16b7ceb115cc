"""Personal data protection helpers (UU 27/2022): encryption at rest and masking."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet
from flask import current_app


def _fernet() -> Fernet:
    key = current_app.config.get("DATA_KEY") or ""
    if not key:
        digest = hashlib.sha256(("ppid-data-key:" + current_app.config["SECRET_KEY"]).encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(token)


def encrypt_text(value: str) -> str:
    return encrypt_bytes(value.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token.encode("ascii")).decode()


def mask_nik(nik: str | None) -> str:
    """Show only the last four digits of a NIK: ``************1234``."""
    if not nik:
        return ""
    return "•" * max(len(nik) - 4, 0) + nik[-4:]
