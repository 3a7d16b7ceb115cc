"""Information requests (permohonan informasi publik) and their applicants (pemohon)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
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
    NOT_COMPLETED = "not_completed"  # closed: not completed within the completion period


# Administrative ends (KIP §2): the request ended without a written notice and without a breach;
# monev counts them in the outcome mix only, never in the on-time or breach shares.
ADMINISTRATIVE_ENDS = frozenset({RequestStatus.WITHDRAWN, RequestStatus.NOT_COMPLETED})


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
        Index("ix_information_request_status_provide_by", "status", "provide_by"),  # the sweep's promised dates
        # Monev periods, and a covering index for the metric set: one range scan over a period reads every
        # column the aggregates need without touching the (wide) table rows.
        Index("ix_information_request_monev", "receipt_date", "status", "channel", "outcome", "pasal17_basis",
              "notice_on", "notice_due", "legal_due", "extended_due", "extended_on", "due_date", "fee_amount",
              "delivered_on", "routed_on", "register_missing"),
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
    # Last day for the applicant to complete it (set by the incomplete-notice letter, cleared when
    # completed or accepted); after it the desk may close the request as not completed.
    completion_due: Mapped[date | None] = mapped_column(Date)
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
    # How the written notice and the extension letter were sent (LetterSentVia) and the
    # body-local day the applicant received each: the issue day for e-mail and hand-over, entered by the
    # desk with its proof for post and courier (None until then). Objection windows count from it.
    notice_sent_via: Mapped[str | None] = mapped_column(String(16))
    notice_received_on: Mapped[date | None] = mapped_column(Date)
    extension_sent_via: Mapped[str | None] = mapped_column(String(16))
    extension_received_on: Mapped[date | None] = mapped_column(Date)
    # The day the written notice promises the information by (granted, granted in part, not yet
    # documented; Pasal 22(7)): delivery is due by it, grounds d, e and g count from it passing, and a
    # delivery after it is late (ground g). Set when the notice is issued.
    provide_by: Mapped[date | None] = mapped_column(Date)
    provide_reminded_for: Mapped[date | None] = mapped_column(Date)  # sweep: reminder sent for this promise
    provide_lapsed_for: Mapped[date | None] = mapped_column(Date)  # sweep: logged this promise passing undelivered
    # The named officer the request is assigned to on the desk (desk.assignment_services); not a
    # legal fact, a work list: the queue's "assigned to me" filter reads it.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # Monev's register completeness: the bitmask of the register's mandatory columns this request's
    # row misses, kept by monev after every flush that changes one of its inputs
    # (``monev.register_quality``; ``rebuild-cache --check`` compares it with the definition).
    register_missing: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reminded_for_due: Mapped[date | None] = mapped_column(Date)  # sweep: reminder sent for this due
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # sweep: overdue logged
    tracking_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    applicant: Mapped[Applicant] = relationship(lazy="joined")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])

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
        """When the written-notice clock stopped: the notice, the withdrawal (pencabutan) as
        received, or the close as not completed (tidak dilengkapi); None while it runs."""
        if self.notice_at is not None:
            return self.notice_at
        if self.status in ADMINISTRATIVE_ENDS:
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
    NOT_COMPLETED = "not_completed"  # tidak dilengkapi: closed after the completion period


class CompletenessLetterKind(StrEnum):
    INCOMPLETE = "incomplete"  # surat pemberitahuan permohonan belum lengkap
    NOT_COMPLETED = "not_completed"  # surat penutupan: permohonan tidak dilengkapi


class LetterSentVia(StrEnum):
    """How a letter reached the applicant: the one list for every letter the desk issues (the
    written notice, the extension, the Atasan's response, the completeness letters, the
    withdrawal confirmation). Issue 13 items 2 and 4."""

    EMAIL = "email"  # received the day it is sent
    IN_PERSON = "in_person"  # handed over: received the day it is handed
    POST = "post"  # received the day the desk records, with the proof
    COURIER = "courier"


# Sent this way, a letter is received the day it is issued (or handed); otherwise the desk records the day.
RECEIVED_WHEN_ISSUED = frozenset({LetterSentVia.EMAIL, LetterSentVia.IN_PERSON})
# Sent this way, the desk records the day received with its proof (a postal or courier receipt).
NEEDS_PROOF = frozenset({LetterSentVia.POST, LetterSentVia.COURIER})


class CompletenessLetter(db.Model):
    """A numbered letter of the completeness check: the notice that a request is incomplete (what
    is missing, the completion period and its last day) or the letter closing it as not completed.

    What the letter said is kept as issued (a letter printed again later says the same), with the
    official who signs it, except the period's last day: a change to the working calendar recounts
    it with the request's ``completion_due`` so that the two never disagree (``requests.recount``;
    the request's event keeps the day before); the hand-over (how and when the applicant was given it) is recorded by
    the desk, or at issue when it went by e-mail.
    """

    __tablename__ = "completeness_letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_request.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # CompletenessLetterKind
    number: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_on: Mapped[date] = mapped_column(Date)  # body-local day of issue (day 0 of the period)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    missing_items: Mapped[str] = mapped_column(Text)
    completion_wd: Mapped[int] = mapped_column(Integer)
    completion_due: Mapped[date] = mapped_column(Date)
    signature: Mapped[dict | None] = mapped_column(JSON)  # {name, position, nip} as issued
    handover_method: Mapped[str | None] = mapped_column(String(16))  # LetterSentVia
    handed_over_on: Mapped[date | None] = mapped_column(Date)
    handover_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handover_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    handover_proof_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))  # post / courier

    issued_by: Mapped[User] = relationship(foreign_keys=[issued_by_id])


class OfficialLetterKind(StrEnum):
    EXTENSION = "extension"  # surat pemberitahuan perpanjangan jangka waktu (Pasal 22(8))
    WITHDRAWAL = "withdrawal"  # surat konfirmasi pencabutan permohonan


class OfficialLetter(db.Model):
    """A numbered letter the desk issues on a request besides the notice: the extension with its
    reasons and the withdrawal confirmation (issue 13 item 4).

    What it says is kept as issued (``content``, a snapshot; personal text in it is sealed with the
    applicant's key, so the retention purge shreds it), with the official who signs it. How it
    reached the applicant and the day they received it (``sent_via``, ``received_on``, with the
    proof for post and courier) is recorded like every other letter (``requests.letters``).
    """

    __tablename__ = "official_letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_request.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # OfficialLetterKind
    number: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_on: Mapped[date] = mapped_column(Date)  # body-local day of issue
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: a guest applicant
    signature: Mapped[dict | None] = mapped_column(JSON)  # {name, position, nip} as issued
    content: Mapped[dict] = mapped_column(JSON)  # what the letter states, as issued
    sent_via: Mapped[str | None] = mapped_column(String(16))  # LetterSentVia; None: not yet handed over
    received_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    proof_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))


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
