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
from ..faults import fault_point
from ..privacy import decrypt_bytes, encrypt_bytes
from .models import Attachment, AttachmentPurpose

ALLOWED_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "application/pdf": "PDF"}
# Information and unit answers are often spreadsheets, documents or archives, not scans.
DOCUMENT_TYPES = ALLOWED_TYPES | {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/msword": "DOC",
    "application/vnd.ms-excel": "XLS",
    "application/zip": "ZIP",
    "text/csv": "CSV",
}
TYPES_BY_PURPOSE = {
    AttachmentPurpose.INFORMATION: DOCUMENT_TYPES,
    AttachmentPurpose.UNIT_ANSWER: DOCUMENT_TYPES,
}


def upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def allowed_types(purpose: str | None) -> dict[str, str]:
    return TYPES_BY_PURPOSE.get(purpose, ALLOWED_TYPES)


def _detect(content: bytes, filename: str) -> str | None:
    """The MIME type from the content's magic bytes; CSV (which has none) from text + name."""
    kind = filetype.guess(content)
    if kind is not None:
        return kind.mime
    if filename.lower().endswith(".csv") and b"\0" not in content:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/csv"
    return None


def check_upload(field: str, storage: FileStorage, purpose: str | None = None) -> tuple[bytes, str]:
    """Read and check an upload; returns (content, detected MIME type) or raises FieldError.

    The type is judged from the content, never from the name the browser sent."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    content = storage.stream.read(limit + 1)
    allowed = allowed_types(purpose)
    names = _type_names(allowed)
    if not content:
        raise FieldError(field, _("Berkas kosong. Pilih berkas %(types)s.", types=names))
    if len(content) > limit:
        raise FieldError(field, _("Berkas lebih dari %(mb)d MB. Perkecil atau pindai ulang dengan resolusi lebih rendah.",
                                  mb=limit // (1024 * 1024)))
    mime = _detect(content, storage.filename or "")
    if mime not in allowed:
        raise FieldError(field, _("Jenis berkas tidak didukung. Unggah %(types)s.", types=names))
    return content, mime


def _type_names(allowed: dict[str, str]) -> str:
    names = list(dict.fromkeys(allowed.values()))
    return ", ".join(names[:-1]) + " " + _("atau") + " " + names[-1]


def attachment_stage(*, field: str, purpose: str, storage: FileStorage) -> Attachment:
    """Keep an accepted upload of a form that is not complete yet, so it is never asked for again."""
    content, mime = check_upload(field, storage, purpose)
    stored_name = secrets.token_hex(16)
    _write_atomically(upload_folder() / stored_name, encrypt_bytes(content))
    fault_point("upload_written")
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


PARTIAL_SUFFIX = ".part"


def _write_atomically(path: Path, data: bytes) -> None:
    """Write under a temporary name, then rename: a crash never leaves a half-written file under
    a name a row may point to (a leftover ``.part`` file is purged by the sweep)."""
    partial = path.with_name(path.name + PARTIAL_SUFFIX)
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


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
    """Delete unclaimed staged uploads (files and rows) older than the limit, and files older than
    the limit that no row names (left by a process killed between writing a file and committing)."""
    cutoff = utcnow() - timedelta(hours=older_than_hours)
    stale = list(db.session.scalars(
        select(Attachment).where(Attachment.request_id.is_(None), Attachment.created_at < cutoff)
    ))
    for attachment in stale:
        with contextlib.suppress(FileNotFoundError):
            os.remove(upload_folder() / attachment.stored_name)
        db.session.delete(attachment)
    db.session.flush()
    return len(stale) + _purge_orphaned_files(cutoff.timestamp())


def _purge_orphaned_files(cutoff: float) -> int:
    """Remove files with no attachment row, last written before ``cutoff`` (a POSIX time).

    The age guard leaves alone a file whose transaction is still running in another process."""
    folder = upload_folder()
    on_disk = {path.name: path for path in folder.iterdir() if path.is_file()}
    if not on_disk:
        return 0
    known = set(db.session.scalars(select(Attachment.stored_name)))
    removed = 0
    for name, path in on_disk.items():
        if name in known:
            continue
        try:
            if path.stat().st_mtime >= cutoff:
                continue
            path.unlink()
        except FileNotFoundError:
            continue
        removed += 1
    return removed
