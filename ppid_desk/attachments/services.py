"""Store uploads safely: size limit, type from content, random name, encrypted at rest.

The bytes go to the upload storage (``storage.upload_storage()``: the instance folder, or an
S3-compatible bucket every server reaches); only this module and operations/ touch them.

Staging: a file accepted on a form that does not validate yet is kept (``attachment_stage``)
so it is never asked for again, until the form is sent or the sweep removes it after
``UPLOAD_STAGING_HOURS``. Anyone can post invalid forms with 5 MB files, so staging is bounded:

* a new upload for the same form field of the same browser session *replaces* the one staged
  before (``replaces=``): its row goes in the same transaction, its file right after the commit;
* the unclaimed staged bytes of one client address (``staging_owner``: a keyed hash of the
  address, the /64 network for IPv6) within the staging window may not exceed
  ``UPLOAD_STAGING_QUOTA_BYTES``; over it the field says so, and nothing is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import ipaddress
import secrets
from datetime import timedelta
from pathlib import Path

import filetype
from flask import current_app, has_request_context
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from sqlalchemy import bindparam, event, func, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from ..dbtypes import utcnow
from ..errors import FieldError
from ..extensions import db
from ..faults import fault_point
from ..privacy import decrypt_bytes, encrypt_bytes
from ..rows import row_insert
from .models import Attachment, AttachmentPurpose, Visibility
from .storage import upload_storage

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
    AttachmentPurpose.DIP_DOCUMENT: DOCUMENT_TYPES,
}


def upload_folder() -> Path:
    """The local store's folder (``UPLOAD_STORAGE = "local"``); every other module reads and writes
    bytes through ``storage.upload_storage()``."""
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


def staging_owner() -> str | None:
    """Whom staged uploads count against: a keyed hash of the client's address (IPv6: its /64,
    which one subscriber usually holds whole), never the address itself."""
    if not has_request_context():
        return None
    address = get_remote_address() or ""
    with contextlib.suppress(ValueError):
        parsed = ipaddress.ip_address(address)
        if parsed.version == 6 and parsed.ipv4_mapped is None:
            address = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
        elif parsed.version == 6:
            address = str(parsed.ipv4_mapped)
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"staging:{address}".encode(), hashlib.sha256).hexdigest()[:32]


# Built once, on the table: every upload of a citizen's form runs one of them.
_ATTACHMENT = Attachment.__table__
_STAGED_BYTES = select(func.coalesce(func.sum(_ATTACHMENT.c.size), 0)).where(
    _ATTACHMENT.c.staged_by == bindparam("owner"), _ATTACHMENT.c.request_id.is_(None),
    _ATTACHMENT.c.created_at >= bindparam("since", type_=_ATTACHMENT.c.created_at.type))
_STAGED_BYTES_EXCLUDING = _STAGED_BYTES.where(_ATTACHMENT.c.id != bindparam("excluding"))


def staged_bytes(owner: str, *, excluding: int | None = None) -> int:
    """Bytes of unclaimed uploads ``owner`` staged within the staging window."""
    since = utcnow() - timedelta(hours=current_app.config["UPLOAD_STAGING_HOURS"])
    if excluding is None:
        return int(db.session.scalar(_STAGED_BYTES, {"owner": owner, "since": since}))
    return int(db.session.scalar(_STAGED_BYTES_EXCLUDING, {"owner": owner, "since": since, "excluding": excluding}))


def attachment_stage(*, field: str, purpose: str, storage: FileStorage, owner: str | None = None,
                     replaces: str | None = None) -> Attachment:
    """Keep an accepted upload of a form that is not complete yet, so it is never asked for again.

    ``replaces``: the staged token this upload takes the place of (the same field's earlier
    upload); that upload is deleted, its file once the transaction commits. ``owner``: count the
    upload against that owner's quota of staged bytes (``staging_owner()``); None for staff."""
    content, mime = check_upload(field, storage, purpose)
    previous = staged_attachment(replaces, purpose)
    if owner is not None:
        quota = current_app.config["UPLOAD_STAGING_QUOTA_BYTES"]
        if staged_bytes(owner, excluding=previous.id if previous else None) + len(content) > quota:
            raise FieldError(field, _("Terlalu banyak berkas yang diunggah dari jaringan Anda tanpa permohonan yang "
                                      "selesai dikirim (batas %(mb)d MB per %(hours)d jam). Lengkapi dan kirim "
                                      "formulir yang sudah berisi berkas, atau coba lagi nanti.",
                                      mb=quota // (1024 * 1024), hours=current_app.config["UPLOAD_STAGING_HOURS"]))
    stored_name = secrets.token_hex(16)
    # Made durable while the request goes on; the commit of the row waits for it (below).
    db.session.info.setdefault(_SYNC_KEY, []).append(
        upload_storage().write_synced_later(stored_name, encrypt_bytes(content)))
    fault_point("upload_written")
    attachment = row_insert(  # in the database now, without a flush of its own
        Attachment, purpose=purpose,
        original_name=(secure_filename(storage.filename or "") or "dokumen")[:255],
        stored_name=stored_name, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), content_type=mime,
        staged_token=secrets.token_urlsafe(24), staged_by=owner,
    )
    if previous is not None:
        db.session.delete(previous)
        _remove_after_commit(previous.stored_name)
        db.session.flush()  # gone from the staged bytes the next upload is counted with
    return attachment


_REMOVE_KEY = "attachments_remove_after_commit"
_SYNC_KEY = "attachments_synced_before_commit"  # fsyncs of this transaction's uploads


@event.listens_for(Session, "before_commit")
def _uploads_durable(session: Session) -> None:
    """A committed row never names a file a power cut could lose: wait for the fsync of every
    upload this transaction wrote (it ran beside the request's other work); one that failed
    fails the commit."""
    for pending in session.info.pop(_SYNC_KEY, []):
        pending.result()


@event.listens_for(Session, "after_rollback")
def _uploads_not_needed(session: Session) -> None:
    session.info.pop(_SYNC_KEY, None)  # their rows are gone; the files are orphans the sweep removes


def _remove_after_commit(stored_name: str) -> None:
    """Delete a file once the transaction that deleted its row commits (a rollback keeps both)."""
    db.session.info.setdefault(_REMOVE_KEY, []).append(stored_name)


def attachment_delete(attachment: Attachment) -> None:
    """Delete an attachment: its row now (flush), its file once the transaction commits."""
    _remove_after_commit(attachment.stored_name)
    db.session.delete(attachment)
    db.session.flush()


@event.listens_for(Session, "after_commit")
def _remove_files(session: Session) -> None:
    names = session.info.pop(_REMOVE_KEY, [])
    if not names:
        return
    storage = upload_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 - committed already; the file is an orphan the sweep removes
            current_app.logger.warning("upload %s not removed from the %s", name, storage.describe(), exc_info=True)


@event.listens_for(Session, "after_rollback")
def _keep_files(session: Session) -> None:
    session.info.pop(_REMOVE_KEY, None)


def staged_attachment(token: str | None, purpose: str) -> Attachment | None:
    if not token:
        return None
    return db.session.scalar(
        select(Attachment).where(Attachment.staged_token == token, Attachment.purpose == purpose,
                                 Attachment.request_id.is_(None))
    )


_CLAIM = (update(_ATTACHMENT).where(_ATTACHMENT.c.id == bindparam("attachment_id"))
          .values(request_id=bindparam("request_id"), staged_token=None, staged_by=None))


def attachment_claim(attachment: Attachment, *, request_id: int) -> None:
    """The staged upload becomes the request's document; no longer counted against anyone's
    staging quota. Written now by one statement when the row is in the database unchanged (a
    filing's upload), else by the next flush."""
    state = inspect(attachment)
    if state.persistent and not state.modified:
        db.session.execute(_CLAIM, {"attachment_id": attachment.id, "request_id": request_id})
        for name, value in (("request_id", request_id), ("staged_token", None), ("staged_by", None)):
            set_committed_value(attachment, name, value)
        return
    attachment.request_id = request_id
    attachment.staged_token = None
    attachment.staged_by = None


def attachment_read(attachment: Attachment) -> bytes:
    data = upload_storage().read(attachment.stored_name)
    return decrypt_bytes(data) if attachment.encrypted else data


def unclaimed() -> tuple:
    """An attachment no request, objection, unit task, catalogue item, monev answer or annual report
    holds: a staged upload."""
    return (Attachment.request_id.is_(None), Attachment.objection_id.is_(None),
            Attachment.task_id.is_(None), Attachment.item_id.is_(None), Attachment.evaluation_answer_id.is_(None),
            Attachment.annual_report_year.is_(None))


def attachment_copy(source: Attachment, *, purpose: str, request_id: int | None, visibility: str) -> Attachment:
    """A copy of ``source`` (its own encrypted file under a new random name) for another purpose:
    a unit's document delivered to the applicant as information keeps the unit's copy untouched.
    A rollback leaves the written file to the sweep of files no row names (flush only)."""
    content = attachment_read(source)
    stored_name = secrets.token_hex(16)
    upload_storage().write(stored_name, encrypt_bytes(content))
    copy = Attachment(request_id=request_id, purpose=purpose, original_name=source.original_name,
                      stored_name=stored_name, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                      content_type=source.content_type, visibility=visibility, encrypted=True)
    db.session.add(copy)
    db.session.flush()
    return copy


def attachment_store(*, purpose: str, name: str, data: bytes, content_type: str,
                     visibility: str = Visibility.PRIVATE) -> Attachment:
    """A file the desk made itself (a generated PDF), stored encrypted under a random name like
    an upload; the caller links it to its owner. A rollback leaves the written file to the sweep
    of files no row names (flush only)."""
    stored_name = secrets.token_hex(16)
    upload_storage().write(stored_name, encrypt_bytes(data))
    attachment = Attachment(purpose=purpose, original_name=name[:255], stored_name=stored_name, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), content_type=content_type,
                            visibility=visibility, encrypted=True)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def attachments_purge_staged(*, older_than_hours: int) -> int:
    """Delete unclaimed staged uploads (files and rows) older than the limit, and files older than
    the limit that no row names (left by a process killed between writing a file and committing)."""
    cutoff = utcnow() - timedelta(hours=older_than_hours)
    stale = list(db.session.scalars(
        select(Attachment).where(*unclaimed(), Attachment.created_at < cutoff)
    ))
    storage = upload_storage()
    for attachment in stale:
        storage.delete(attachment.stored_name)
        db.session.delete(attachment)
    db.session.flush()
    return len(stale) + _purge_orphaned_files(cutoff.timestamp())


def _purge_orphaned_files(cutoff: float) -> int:
    """Remove stored files with no attachment row, last written before ``cutoff`` (a POSIX time).

    The age guard leaves alone a file whose transaction is still running in another process (or
    on another server: the store's own clock and the servers' should agree within the hours of
    ``UPLOAD_STAGING_HOURS``)."""
    storage = upload_storage()
    stored = [f for f in storage.files() if f.modified < cutoff]
    if not stored:
        return 0
    known = set(db.session.scalars(select(Attachment.stored_name)))
    return sum(1 for f in stored if f.name not in known and storage.delete(f.name))
