"""Append-only event log, hash-chained per subject so tampering is detectable."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import EncryptedText, UTCDateTime, utcnow
from ..extensions import db


class Event(db.Model):
    __tablename__ = "event"
    __table_args__ = (Index("ix_event_subject", "subject_type", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # not hashed: a purge unlinks it
    actor_label: Mapped[str] = mapped_column(String(200))  # a staff name, "Sistem…" or a reference (audit.personal)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(48))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    # The actor as a timeline shows it (references resolved, "[dihapus]" once purged) is
    # ``audit.personal.actor_shown(event)``, the ``actor_shown`` filter in templates: a model
    # never imports the modules that read other domains' models.


class SubjectKey(db.Model):
    """A data subject's own key (crypto-shredding, ``audit.personal``).

    Personal values inside the hash-chained event log are stored encrypted with the key of the
    applicant they belong to; this key is itself encrypted with the data key. `flask ppid purge`
    deletes the row: the ciphertext stays in the chain (which still verifies) but nobody can read it.
    An applicant may end up with two keys (two first writes racing); each sealed value names its key.
    """

    __tablename__ = "subject_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"), index=True)
    key: Mapped[str] = mapped_column(EncryptedText())  # a Fernet key, under DATA_KEY
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
