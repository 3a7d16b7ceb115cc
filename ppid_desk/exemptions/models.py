"""Exemption decisions (penetapan informasi yang dikecualikan, KIP.md §2): the register of exempt
information (Daftar Informasi yang Dikecualikan, DIK).

A decision names the information (never its content), the unit that holds it, the Pasal 17
letter and the other law relied on, the consequence test, the exemption period and its end, the
deciding official, place and date. A PPID Pembantu officer drafts and submits it; PPID Utama
approves it (which numbers it) or returns it; an approved decision may be revoked with a reason.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db
from ..organisation.models import Unit

# Pasal 20 UU KIP: exemptions under these letters are not permanent, so they carry an end date.
EXPIRING_LETTERS = ("a", "b", "c", "d", "e", "f")


class ExemptionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REVOKED = "revoked"


class ExemptionDecision(db.Model):
    __tablename__ = "exemption_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(64), unique=True)  # given on approval
    status: Mapped[str] = mapped_column(String(16), default=ExemptionStatus.DRAFT, index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))  # what the information is, never its content
    description: Mapped[str] = mapped_column(Text)
    pasal17_letter: Mapped[str] = mapped_column(String(1))  # a–j
    legal_basis: Mapped[str] = mapped_column(Text)  # the other law relied on
    harm: Mapped[str] = mapped_column(Text)  # the harm disclosure would cause
    public_interest: Mapped[str] = mapped_column(Text)  # the public interest weighed
    weighing: Mapped[str] = mapped_column(Text)  # why the harm outweighs it
    period: Mapped[str] = mapped_column(String(120))  # e.g. "5 tahun"
    ends_on: Mapped[date | None] = mapped_column(Date, index=True)  # required for a–f (Pasal 20)
    official_name: Mapped[str] = mapped_column(String(200))
    official_position: Mapped[str] = mapped_column(String(200))
    official_nip: Mapped[str] = mapped_column(String(18), default="")
    decided_place: Mapped[str] = mapped_column(String(120))
    decided_on: Mapped[date] = mapped_column(Date)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    returned_reason: Mapped[str | None] = mapped_column(Text)  # PPID Utama's last note on a return
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    # The end date the sweep reminded of (Pasal 20): once per decision and end date.
    reminded_for: Mapped[date | None] = mapped_column(Date)
    # The request whose written notice recorded this decision from its refusal's consequence test
    # (Perki 1/2021: a test made when a request is handled); None: decided apart from any request.
    request_id: Mapped[int | None] = mapped_column(ForeignKey("information_request.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    unit: Mapped[Unit] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def expires(self) -> bool:
        return self.pasal17_letter in EXPIRING_LETTERS

    def expired_on(self, today: date) -> bool:
        """An approved decision whose period has ended (Pasal 20): shown as "Kedaluwarsa"."""
        return self.status == ExemptionStatus.APPROVED and self.ends_on is not None and self.ends_on < today
