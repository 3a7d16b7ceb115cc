"""Uploaded files: stored under the instance folder with random names, never under static/."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db


class AttachmentPurpose(StrEnum):
    IDENTITY_DOCUMENT = "identity_document"  # KTP scan, or the deed of a legal entity
    POWER_OF_ATTORNEY = "power_of_attorney"  # surat kuasa
    UNIT_ANSWER = "unit_answer"  # documents a PPID Pembantu unit attaches to its answer
    INFORMATION = "information"  # the information delivered to the applicant
    COMPLETION = "completion"  # what an applicant adds to an incomplete request
    OBJECTION_ATTORNEY = "objection_attorney"  # power of attorney of an objection's representative
    OBJECTION_DOCUMENT = "objection_document"  # papers filed with an objection (paper scan, evidence)
    LETTER_RECEIPT = "letter_receipt"  # proof a letter sent by post or courier was received (resi, tanda terima)
    DIP_DOCUMENT = "dip_document"  # a document of a Daftar Informasi Publik item (public once approved)
    EVALUATION_EVIDENCE = "evaluation_evidence"  # a unit's evidence (bukti dukung) for a monev answer
    # the PDF the desk generated for a system-answered monev answer (replaced at each refresh)
    EVALUATION_SYSTEM = "evaluation_system"
    ANNUAL_REPORT_PROOF = "annual_report_proof"  # proof the annual report reached the Komisi Informasi


# Purposes whose files may carry identity (personal data under UU 27/2022): downloading one needs
# the identity permission and is logged, `flask ppid purge` removes them, and backups treat them as
# personal data. Every new purpose must be added here or to PUBLIC_PURPOSES below it.
PERSONAL_PURPOSES: frozenset[str] = frozenset({
    AttachmentPurpose.IDENTITY_DOCUMENT,
    AttachmentPurpose.POWER_OF_ATTORNEY,
    AttachmentPurpose.COMPLETION,
    AttachmentPurpose.OBJECTION_ATTORNEY,
    AttachmentPurpose.OBJECTION_DOCUMENT,
    AttachmentPurpose.LETTER_RECEIPT,  # a postal receipt shows the applicant's name and address
})

# Purposes whose files are the body's own work (a unit's answer, the information delivered): any
# officer who may read the request may download them (still logged).
PUBLIC_PURPOSES: frozenset[str] = frozenset({
    AttachmentPurpose.UNIT_ANSWER,
    AttachmentPurpose.INFORMATION,
    AttachmentPurpose.DIP_DOCUMENT,
    AttachmentPurpose.EVALUATION_EVIDENCE,  # the unit's own papers for the monev
    AttachmentPurpose.EVALUATION_SYSTEM,  # the desk's figures and masked register for the monev
    AttachmentPurpose.ANNUAL_REPORT_PROOF,  # the body's letter or e-mail to the Komisi Informasi
})


def is_personal(purpose: str) -> bool:
    """True for a purpose whose files may carry identity; an unknown purpose counts as personal."""
    return purpose not in PUBLIC_PURPOSES


class Visibility(StrEnum):
    PRIVATE = "private"
    APPLICANT = "applicant"
    PUBLIC = "public"


class Attachment(db.Model):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("information_request.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("routing_task.id"), index=True)
    objection_id: Mapped[int | None] = mapped_column(ForeignKey("objection.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("information_item.id"), index=True)
    evaluation_answer_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_answer.id"), index=True)
    # The annual report (year) whose submission to the Komisi Informasi this file proves.
    annual_report_year: Mapped[int | None] = mapped_column(ForeignKey("annual_report.year"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(128))  # DOCX's and PPTX's types are over 64
    visibility: Mapped[str] = mapped_column(String(16), default=Visibility.PRIVATE)
    encrypted: Mapped[bool] = mapped_column(default=True)
    # A file accepted on a form that did not validate yet waits here, claimed by its token.
    staged_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Who staged it, for the per-address quota of staged bytes (a keyed hash of the client's
    # address, never the address); cleared when the upload is claimed.
    staged_by: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
