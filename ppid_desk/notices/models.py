"""Written notices (pemberitahuan tertulis, Pasal 22(7)), consequence tests and delivery."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db
from ..requests.models import RECEIVED_WHEN_ISSUED, LetterSentVia  # noqa: F401  (one list for every letter)

PASAL_17_LETTERS = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")


class WrittenNotice(db.Model):
    """The notice covering items a–g of Pasal 22(7); one per request, numbered per year."""

    __tablename__ = "written_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_request.id"), unique=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    outcome: Mapped[str] = mapped_column(String(24))  # requests.models.Outcome
    held: Mapped[bool] = mapped_column()  # a. whether the body holds the information
    holder_body: Mapped[str | None] = mapped_column(Text)  # b. who holds it, when not held
    materials: Mapped[str | None] = mapped_column(Text)  # d. what will be given
    redactions: Mapped[str | None] = mapped_column(Text)  # e. what is blacked out, and why
    delivery_form: Mapped[str | None] = mapped_column(Text)  # f. how and in what format
    fee_amount: Mapped[int] = mapped_column(Integer, default=0)  # g. cost, rupiah
    payment_method: Mapped[str | None] = mapped_column(Text)  # g. how to pay
    fee_reason: Mapped[str | None] = mapped_column(Text)  # g. why the fee is not the tariff's (fee_models)
    documented_by: Mapped[date | None] = mapped_column(Date)  # not yet documented: by when
    remarks: Mapped[str | None] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # Who the letter is signed by, copied from the body profile when issued ({name, position, nip}),
    # so a letter printed again later still carries the official who signed it.
    signature: Mapped[dict | None] = mapped_column(JSON)

    issued_by: Mapped[User] = relationship()
    consequence_test: Mapped[ConsequenceTest | None] = relationship(
        back_populates="notice", uselist=False, cascade="all, delete-orphan"
    )


class ConsequenceTest(db.Model):
    """Uji konsekuensi (Perki 1/2021 Pasal 47–49): required before a refusal or partial grant."""

    __tablename__ = "consequence_test"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("written_notice.id"), unique=True)
    pasal17_letters: Mapped[list] = mapped_column(JSON)  # e.g. ["h"]
    information: Mapped[str] = mapped_column(Text)  # which document/information is exempt
    legal_basis: Mapped[str] = mapped_column(Text)  # the law grounding the exception
    harm: Mapped[str] = mapped_column(Text)  # the harm disclosure would cause
    public_interest: Mapped[str] = mapped_column(Text)  # weighed against the public interest
    exemption_period: Mapped[str] = mapped_column(Text)  # how long it stays exempt
    # The exemption decision (penetapan, register of exempt information) the refusal cites, whose
    # test this one copies; None: a test made for this request alone.
    exemption_id: Mapped[int | None] = mapped_column(ForeignKey("exemption_decision.id"), index=True)

    notice: Mapped[WrittenNotice] = relationship(back_populates="consequence_test")


class DeliveryMethod(StrEnum):
    FILE = "file"  # files downloaded by the applicant
    LINK = "link"
    IN_PERSON = "in_person"
    POST = "post"
    COURIER = "courier"
    EMAIL = "email"
    PUBLISHED = "published"  # already in the Daftar Informasi Publik: the applicant gets its page


class Delivery(db.Model):
    """How the information reached the applicant, with fees and payment."""

    __tablename__ = "delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_request.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    link_url: Mapped[str | None] = mapped_column(String(1000))
    note: Mapped[str | None] = mapped_column(Text)
    fee_paid: Mapped[int] = mapped_column(Integer, default=0)  # rupiah
    payment_method: Mapped[str | None] = mapped_column(String(200))
    payment_reference: Mapped[str | None] = mapped_column(String(200))
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # Answered by pointing to a published catalogue item (method "published"): monev counts these
    # as "answered from published information".
    published_item_id: Mapped[int | None] = mapped_column(ForeignKey("information_item.id"), index=True)
