"""Store uploads safely: size limit, type from content, random name, encrypted at rest."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from datetime import timedelta
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from ..dbtypes import utcnow
from ..errors import FieldError
from ..extensions import db
from ..privacy import decrypt_bytes, encrypt_bytes
from .models import Attachment

ALLOWED_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "application/pdf": "PDF"}


def upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_upload(field: str, storage: FileStorage) -> tuple[bytes, str]:
    """Read and check an upload; returns (content, detected MIME type) or raises FieldError."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    content = storage.stream.read(limit + 1)
    if not content:
        raise FieldError(field, _("Berkas kosong. Pilih berkas JPEG, PNG atau PDF."))
    if len(content) > limit:
        raise FieldError(field, _("Berkas lebih dari %(mb)d MB. Perkecil atau pindai ulang dengan resolusi lebih rendah.",
                                  mb=limit // (1024 * 1024)))
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise FieldError(field, _("Jenis berkas tidak didukung. Unggah JPEG, PNG atau PDF."))
    return content, kind.mime


def attachment_stage(*, field: str, purpose: str, storage: FileStorage) -> Attachment:
    """Keep an accepted upload of a form that is not complete yet, so it is never asked for again."""
    content, mime = check_upload(field, storage)
    stored_name = secrets.token_hex(16)
    (upload_folder() / stored_name).write_bytes(encrypt_bytes(content))
    attachment = Attachment(
        purpose=purpose,
        original_name=(secure_filename(storage.filename or "") or "dokumen")[:255],
        stored_name=stored_name, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), content_type=mime,
        staged_token=secrets.token_urlsafe(24),
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def staged_attachment(token: str | None, purpose: str) -> Attachment | None:
    if not token:
        return None
    return db.session.scalar(
        select(Attachment).where(Attachment.staged_token == token, Attachment.purpose == purpose,
                                 Attachment.request_id.is_(None))
    )


def attachment_claim(attachment: Attachment, *, request_id: int) -> None:
    attachment.request_id = request_id
    attachment.staged_token = None


def attachment_read(attachment: Attachment) -> bytes:
    data = (upload_folder() / attachment.stored_name).read_bytes()
    return decrypt_bytes(data) if attachment.encrypted else data


def attachments_purge_staged(*, older_than_hours: int) -> int:
    """Delete unclaimed staged uploads (files and rows) older than the limit."""
    cutoff = utcnow() - timedelta(hours=older_than_hours)
    stale = list(db.session.scalars(
        select(Attachment).where(Attachment.request_id.is_(None), Attachment.created_at < cutoff)
    ))
    for attachment in stale:
        with contextlib.suppress(FileNotFoundError):
            os.remove(upload_folder() / attachment.stored_name)
        db.session.delete(attachment)
    db.session.flush()
    return len(stale)
