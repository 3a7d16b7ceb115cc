"""The working-day calendar as data: holidays seeded from a library, maintained by an admin."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db


class HolidaySource(StrEnum):
    LIBRARY = "library"
    ADMIN = "admin"


class Holiday(db.Model):
    __tablename__ = "holiday"
    __table_args__ = (UniqueConstraint("day", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # sla.ClosureKind without weekend
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16), default=HolidaySource.ADMIN)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CalendarYear(db.Model):
    """A year whose library holidays were imported once; later admin edits are never overwritten."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source: Mapped[str] = mapped_column(String(64))
    holidays_imported: Mapped[int] = mapped_column(Integer, default=0)


class CalendarVersion(db.Model):
    """One row (id 1): a random token that every calendar change replaces in its transaction.

    Workers keep the holidays in memory (``selectors.active_closures``) and read this token once
    per transaction: a different token means the calendar changed, here or on another server.
    Random rather than a counter, so that a token never names two different calendars."""

    __tablename__ = "calendar_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(32))
