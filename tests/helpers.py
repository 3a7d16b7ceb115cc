"""Helpers shared by the tests: paths, files to upload, forms, ports, the SMTP mailbox, HTML.

Plain functions and classes only (fixtures live in ``conftest.py``, object builders in
``factories.py``). Test modules import from here, never from one another.
"""

from __future__ import annotations

import io
import os
import socket
import struct
import threading
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_HOLIDAYS = ROOT / "tests" / "data" / "id-holidays-2024-2026.csv"  # see tests/data/README.md
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "rahasia-panjang-1"


# --- the test app ----------------------------------------------------------------------------

def xdist_worker() -> str:
    """The xdist worker's name (gw0 … ), or gw0 without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


def build_test_config(database_url: str, instance: Path, smtp_port: int) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,  # initialised on; each test starts with limits off
        # `make test` shares one Redis between the xdist workers (PPID_RATELIMIT_STORAGE_URI):
        # each worker's keys get their own prefix, so one worker's reset leaves the others' alone.
        "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": f"ppid-test-{xdist_worker()}"},
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "SERVER_NAME": None,
        # scrypt costs ~0.1 s a hash; the suite logs in hundreds of times. Production keeps scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


# --- network ----------------------------------------------------------------------------------

class Mailbox:
    """A real SMTP server on loopback that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        from email import message_from_bytes
        from email.policy import default

        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 5.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.messages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]



# --- files and forms ---------------------------------------------------------------------------

def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def request_form(**overrides) -> dict:
    """A complete, valid guest request form (perorangan) with a KTP image."""
    data = {
        "applicant_kind": "perorangan",
        "name": "Budi Santoso",
        "nik": "3201011505900001",
        "address": "Jl. Melati No. 5, RT 01/RW 02, Kelurahan Sukamaju",
        "occupation": "Wiraswasta",
        "phone": "0812 3456 7890",
        "email": "budi@example.id",
        "rincian": "Dokumen pelaksanaan anggaran (DPA) Dinas Pendidikan tahun 2025.",
        "tujuan": "Pengawasan penggunaan anggaran pendidikan di kelurahan kami.",
        "access_method": "salinan_softcopy",
        "copy_delivery": "email",
        "declaration": "y",
        "identity_document": (io.BytesIO(png_bytes()), "ktp-budi.png"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


