"""The Daftar Informasi Publik (DIP): what the body publishes without being asked (UU KIP
Pasal 9–11), item by item, as Perki 1/2021 lists it — summary, unit and official responsible, when
and where it was made, format, retention — with its documents, its publication and review dates.

An item is written by its unit (PPID Pembantu) or by PPID Utama and is public only once PPID
Utama approved it. The text a citizen searches lives in ``dip_search_text`` (one row per
published item: title, summary and the text of its documents); the database's own full-text
engine indexes that table (``dip.search``)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db
from ..organisation.models import Unit


class ItemCategory(StrEnum):
    BERKALA = "berkala"  # published at least every six months (Pasal 9)
    SERTA_MERTA = "serta_merta"  # at once: threats to life or public order (Pasal 10)
    SETIAP_SAAT = "setiap_saat"  # available at any time, on request (Pasal 11)


class ItemFormat(StrEnum):
    SOFTCOPY = "softcopy"
    HARDCOPY = "hardcopy"
    BOTH = "both"


class ItemStatus(StrEnum):
    DRAFT = "draft"  # being written by its unit
    SUBMITTED = "submitted"  # waiting for PPID Utama's approval
    RETURNED = "returned"  # PPID Utama sent it back with a reason
    SCHEDULED = "scheduled"  # approved, public from ``publish_after`` (an answer published after a delay)
    PUBLISHED = "published"  # public
    WITHDRAWN = "withdrawn"  # taken out of the catalogue (history kept)


class InformationItem(db.Model):
    __tablename__ = "information_item"
    __table_args__ = (
        Index("ix_information_item_status_category", "status", "category"),
        Index("ix_information_item_unit_status", "unit_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)  # ringkasan isi informasi
    category: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    official: Mapped[str] = mapped_column(String(200))  # the official responsible (penanggung jawab)
    made_when: Mapped[str] = mapped_column(String(100))  # e.g. "2026", "Semester I 2026", "Maret 2026"
    made_where: Mapped[str] = mapped_column(String(200))  # the place or unit where it was made
    format: Mapped[str] = mapped_column(String(16), default=ItemFormat.SOFTCOPY)
    retention: Mapped[str] = mapped_column(String(100))  # jangka waktu penyimpanan, e.g. "5 tahun"
    external_url: Mapped[str | None] = mapped_column(String(500))
    review_months: Mapped[int | None] = mapped_column(Integer)  # berkala: at most 6
    status: Mapped[str] = mapped_column(String(16), default=ItemStatus.DRAFT)
    return_reason: Mapped[str | None] = mapped_column(Text)
    published_on: Mapped[date | None] = mapped_column(Date)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    review_reminded_for: Mapped[date | None] = mapped_column(Date)  # sweep: reminded for this review due
    # An answer published from a request (issue 15 item 7): the request it answered, what was asked
    # in words without the applicant's identity (the public summary of that request), and the
    # first day it may be public (approved earlier: ``scheduled``; the sweep publishes it that day).
    source_request_id: Mapped[int | None] = mapped_column(ForeignKey("information_request.id"), index=True)
    request_summary: Mapped[str | None] = mapped_column(Text)
    publish_after: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    unit: Mapped[Unit] = relationship()

    __mapper_args__ = {"version_id_col": version}


class SearchText(db.Model):
    """The searchable text of one published item; the full-text index covers this table (SQLite:
    an external-content FTS5 table kept in step by triggers; PostgreSQL: a generated tsvector column with a GIN index),
    both made by the migration, so that a row written here is searchable at its commit."""

    __tablename__ = "dip_search_text"

    item_id: Mapped[int] = mapped_column(ForeignKey("information_item.id", ondelete="CASCADE"),
                                         primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)  # the text of the item's documents


# The event log's subject type for an item (its history); here so that services and selectors
# both name it without importing each other.
SUBJECT = "dip_item"


class ItemViewDay(db.Model):
    """How many times a published item's page was viewed on one body-local day (the home page's
    "most viewed"). Counted by a POST the page fires with htmx when it loads (GET views never
    write), at most once per item, browser session and day: visitors without JavaScript, which
    include most crawlers, are not counted."""

    __tablename__ = "dip_item_view"
    __table_args__ = (Index("ix_dip_item_view_day", "day", "item_id", "views"),)

    item_id: Mapped[int] = mapped_column(ForeignKey("information_item.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=1)
