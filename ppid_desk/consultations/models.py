"""Consultations and other non-formal information services (konsultasi, layanan informasi
nonformal; KIP.md §5): a person asks the desk something without filing a request (permohonan).

Cities ask their kecamatan and kelurahan PPID to record every information service, consultations
included: they are not requests and run no statutory clock, but they count in the service's own
figures (monev, the annual report). A consultation that turns into a formal request is linked to
the request registered from it (``request_id``), whose receipt time is the consultation's.

Personal data (UU 27/2022): none is needed. The person's name and one contact (phone or e-mail)
are kept only when they agree (``contact_consent``), encrypted at rest, never in the event log,
never in a list, statistic or report; `flask ppid purge` blanks them after the retention period.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..dbtypes import EncryptedText, UTCDateTime, utcnow
from ..extensions import db
from ..organisation.models import Unit
from ..requests.models import InformationRequest


class ConsultationChannel(StrEnum):
    WALK_IN = "walk_in"  # datang langsung
    PHONE = "phone"
    CHAT = "chat"  # WhatsApp and other chat
    SOCIAL_MEDIA = "social_media"
    EMAIL = "email"
    OTHER = "other"


class Resolution(StrEnum):
    """How the consultation was resolved (tindak lanjut)."""

    ANSWERED = "answered"  # answered on the spot
    REFERRED_PUBLISHED = "referred_published"  # pointed to information already published (DIP, website)
    REFERRED_OTHER_BODY = "referred_other_body"  # the information is another body's: told which
    ADVISED_REQUEST = "advised_request"  # advised to file a formal request (permohonan)
    REFERRED_COMPLAINT = "referred_complaint"  # a complaint, sent to the complaints channel
    OTHER = "other"


class Consultation(db.Model):
    __tablename__ = "consultation"
    __table_args__ = (Index("ix_consultation_unit_day", "unit_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())  # when the person asked (UTC)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)  # its local date: the monev period
    channel: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(Text)  # what was asked, in a few lines; no identity
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # who served the person
    resolution: Mapped[str] = mapped_column(String(24), index=True)
    resolution_note: Mapped[str] = mapped_column(Text, default="")  # which body, which item, what else
    contact_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_name: Mapped[str | None] = mapped_column(EncryptedText())
    contact: Mapped[str | None] = mapped_column(EncryptedText())  # one phone number or e-mail address
    contact_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    request_id: Mapped[int | None] = mapped_column(ForeignKey("information_request.id"), unique=True)
    converted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    converted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # logged by mistake: not counted
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    unit: Mapped[Unit] = relationship()
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])
    request: Mapped[InformationRequest | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def converted(self) -> bool:
        return self.request_id is not None
