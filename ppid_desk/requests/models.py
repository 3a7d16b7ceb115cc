"""Information requests (permohonan informasi publik) and their applicants (pemohon)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..dbtypes import EncryptedText, UTCDateTime, utcnow
from ..extensions import db
from ..privacy import mask_nik, mask_tail


class ApplicantKind(StrEnum):
    PERORANGAN = "perorangan"
    BADAN_HUKUM = "badan_hukum"
    KELOMPOK = "kelompok"


class Channel(StrEnum):
    ONLINE = "online"
    WALK_IN = "walk_in"
    LETTER = "letter"
    EMAIL = "email"
    PHONE = "phone"


class AccessMethod(StrEnum):
    """Cara memperoleh informasi (Pasal 22(2)-(3))."""

    MELIHAT = "melihat"  # melihat / membaca / mendengarkan / mencatat
    SALINAN_HARDCOPY = "salinan_hardcopy"
    SALINAN_SOFTCOPY = "salinan_softcopy"


class CopyDelivery(StrEnum):
    """Cara mendapatkan salinan informasi."""

    AMBIL_LANGSUNG = "ambil_langsung"
    KURIR = "kurir"
    POS = "pos"
    FAKSIMILI = "faksimili"
    EMAIL = "email"


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    REGISTERED = "registered"
    INCOMPLETE = "incomplete"
    ROUTED = "routed"
    ANSWERED = "answered"
    NOTICE_ISSUED = "notice_issued"
    DELIVERED = "delivered"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class AccessibilityNeed(StrEnum):
    """What an applicant needs to be served (kebutuhan aksesibilitas); optional, several allowed.

    Health-related personal data (UU 27/2022): shown to the officers handling the request, counted
    (not listed) by monev, removed by the retention purge with the applicant's data."""

    DEAF = "deaf"  # tuli / gangguan pendengaran: sign language interpreter, written communication
    BLIND = "blind"  # netra / low vision: large print, braille, audio, read aloud
    WHEELCHAIR = "wheelchair"  # wheelchair or other mobility aid: step-free service point
    ASSISTED_FILING = "assisted_filing"  # help to fill in and read forms and letters
    OTHER = "other"  # described in accessibility_note


OPEN_STATUSES = frozenset(
    {RequestStatus.REGISTERED, RequestStatus.INCOMPLETE, RequestStatus.ROUTED, RequestStatus.ANSWERED}
)


class Applicant(db.Model):
    """The identity on a request; belongs to a user account or to a guest."""

    __tablename__ = "applicant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    nik: Mapped[str | None] = mapped_column(EncryptedText())
    legal_approval_number: Mapped[str | None] = mapped_column(EncryptedText())
    representative_name: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text)
    occupation: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(32))
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set by `flask ppid purge` when the personal data above was removed (ppid_desk/operations/retention.py).
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User | None] = relationship()

    @property
    def nik_masked(self) -> str:
        return mask_nik(self.nik)

    @property
    def legal_approval_number_masked(self) -> str:
        return mask_tail(self.legal_approval_number)


class RegistrationCounter(db.Model):
    """Last registration sequence per series and year; incremented under a row lock."""

    __tablename__ = "registration_counter"

    series: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class InformationRequest(db.Model):
    __tablename__ = "information_request"
    __table_args__ = (
        UniqueConstraint("year", "seq"),
        Index("ix_information_request_status_due", "status", "due_date"),
        Index("ix_information_request_due_date", "due_date"),
        # Monev periods, and a covering index for the metric set: one range scan over a period reads every
        # column the aggregates need without touching the (wide) table rows.
        Index("ix_information_request_monev", "receipt_date", "status", "channel", "outcome", "pasal17_basis",
              "notice_on", "notice_due", "legal_due", "extended_due", "extended_on", "due_date", "fee_amount",
              "delivered_on", "routed_on"),
        # The requests without a notice yet: monev aggregates them live (the rest come from
        # the daily tallies), so a period's scan touches only these.
        Index("ix_information_request_unsettled", "receipt_date", "status",
              sqlite_where=text("notice_on IS NULL"), postgresql_where=text("notice_on IS NULL")),
        # The (few) requests with accessibility needs: monev counts them per period from this.
        Index("ix_information_request_accessibility", "receipt_date", "status", "accessibility_needs",
              sqlite_where=text("accessibility_needs IS NOT NULL"),
              postgresql_where=text("accessibility_needs IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16), default=Channel.ONLINE)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    receipt_date: Mapped[date] = mapped_column(Date)  # local date D the clock counts from
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicant.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    rincian: Mapped[str] = mapped_column(Text)
    tujuan: Mapped[str] = mapped_column(Text)
    access_method: Mapped[str] = mapped_column(String(24))
    copy_delivery: Mapped[str | None] = mapped_column(String(24))
    # AccessibilityNeed values, comma-separated in enum order (None: none stated), and what the
    # applicant wrote about them. Personal (health) data: purged with the applicant's.
    accessibility_needs: Mapped[str | None] = mapped_column(String(120))
    accessibility_note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.REGISTERED)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    imported: Mapped[bool] = mapped_column(default=False, server_default=false())  # historical register
    # Cached columns, written only through requests.lifecycle.request_event; the event log is
    # the source of truth and `flask ppid rebuild-cache` proves they agree.
    notice_due: Mapped[date] = mapped_column(Date)
    extended_due: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)  # extended_due or notice_due, for sorting
    extended_on: Mapped[date | None] = mapped_column(Date)  # body-local day the extension was granted
    legal_due: Mapped[date | None] = mapped_column(Date)  # extended_due if extended in time, else notice_due
    extension_reason: Mapped[str | None] = mapped_column(Text)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    missing_items: Mapped[str | None] = mapped_column(Text)  # what an incomplete request lacks
    routed_on: Mapped[date | None] = mapped_column(Date)  # body-local day of the first routing (monev)
    notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notice_on: Mapped[date | None] = mapped_column(Date)  # body-local day of notice_at (monev)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_on: Mapped[date | None] = mapped_column(Date)  # body-local day of delivered_at (monev)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(24))
    pasal17_basis: Mapped[str | None] = mapped_column(String(32))  # letters, e.g. "b,h"
    fee_amount: Mapped[int | None] = mapped_column(Integer)  # rupiah
    release_due: Mapped[date | None] = mapped_column(Date)  # an Atasan's order to release by
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the order was complied with
    reminded_for_due: Mapped[date | None] = mapped_column(Date)  # sweep: reminder sent for this due
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # sweep: overdue logged
    tracking_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    applicant: Mapped[Applicant] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def wants_copy(self) -> bool:
        return self.access_method != AccessMethod.MELIHAT

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def accessibility_list(self) -> list[str]:
        return [need for need in (self.accessibility_needs or "").split(",") if need]

    @property
    def current_due(self) -> date:
        return self.extended_due or self.notice_due

    @property
    def clock_stopped_at(self) -> datetime | None:
        """When the written-notice clock stopped: the notice, or the withdrawal (pencabutan) as
        received; None while it runs."""
        if self.notice_at is not None:
            return self.notice_at
        if self.status == RequestStatus.WITHDRAWN:
            return self.closed_at
        return None


class Outcome(StrEnum):
    """Outcomes of a written notice (KIP §2) and the administrative ends."""

    GRANTED_FULL = "granted_full"  # diberikan seluruhnya
    GRANTED_PARTIAL = "granted_partial"  # diberikan sebagian
    REFUSED = "refused"  # ditolak (Pasal 17)
    NOT_HELD = "not_held"  # tidak dikuasai
    NOT_DOCUMENTED = "not_documented"  # belum didokumentasikan
    WITHDRAWN = "withdrawn"  # dicabut


class InternalNote(db.Model):
    """A note officers leave on a request; never shown to the applicant."""

    __tablename__ = "internal_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_request.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")


class RevokedTrackingLink(db.Model):
    """A tracking link (``/lacak/<token>``) its applicant revoked: kept so that opening it says
    "revoked" instead of "unknown". Only the SHA-256 of the token is stored, never the token."""

    __tablename__ = "revoked_tracking_link"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_request.id"), index=True)
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
