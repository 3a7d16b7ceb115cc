"""The body profile (profil Badan Publik): one row of data an administrator edits — name,
contacts, logo, service hours, the officials who sign, the unit label and the number patterns.
Secrets and infrastructure stay in configuration (DESIGN §3, BodyProfile)."""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

PROFILE_ID = 1  # the one row


class UnitLabel(StrEnum):
    """What the body calls its unit PPID (KIP.md §1): either word is in use."""

    PEMBANTU = "pembantu"
    PELAKSANA = "pelaksana"


class BodyProfile(db.Model):
    __tablename__ = "body_profile"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=PROFILE_ID)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    # Fixed at installation (`flask ppid init --timezone`): every local date depends on it.
    timezone: Mapped[str] = mapped_column(String(64))
    unit_label: Mapped[str] = mapped_column(String(16), default=UnitLabel.PEMBANTU)

    utama_name: Mapped[str] = mapped_column(String(200), default="")
    utama_position: Mapped[str] = mapped_column(String(200), default="")
    utama_nip: Mapped[str] = mapped_column(String(18), default="")
    atasan_name: Mapped[str] = mapped_column(String(200), default="")
    atasan_position: Mapped[str] = mapped_column(String(200), default="")
    atasan_nip: Mapped[str] = mapped_column(String(18), default="")

    request_number_pattern: Mapped[str] = mapped_column(String(64))
    notice_number_pattern: Mapped[str] = mapped_column(String(64))
    objection_number_pattern: Mapped[str] = mapped_column(String(64))
    objection_response_number_pattern: Mapped[str] = mapped_column(String(64))
    incomplete_number_pattern: Mapped[str] = mapped_column(String(64))
    not_completed_number_pattern: Mapped[str] = mapped_column(String(64))
    extension_number_pattern: Mapped[str] = mapped_column(String(64))
    withdrawal_number_pattern: Mapped[str] = mapped_column(String(64))
    exemption_number_pattern: Mapped[str] = mapped_column(String(64))

    # The logo, checked by content (PNG or JPEG); loaded only when served or drawn.
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_type: Mapped[str | None] = mapped_column(String(32))
    logo_sha256: Mapped[str | None] = mapped_column(String(64))
    logo_width: Mapped[int | None] = mapped_column(Integer)
    logo_height: Mapped[int | None] = mapped_column(Integer)

    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    hours: Mapped[list[ServiceHours]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceHours.weekday", lazy="selectin")

    __mapper_args__ = {"version_id_col": version}


class ServiceHours(db.Model):
    """One open weekday of the maklumat pelayanan: opening and closing time, an optional break."""

    __tablename__ = "service_hours"
    __table_args__ = (UniqueConstraint("profile_id", "weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("body_profile.id"))
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday … 6 = Sunday
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)
    break_starts: Mapped[time | None] = mapped_column(Time)
    break_ends: Mapped[time | None] = mapped_column(Time)
