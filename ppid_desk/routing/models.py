"""Routing (disposisi): PPID Utama hands a request to PPID Pembantu units."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db
from ..organisation.models import Unit


class TaskStatus(StrEnum):
    OPEN = "open"  # with the unit
    ANSWERED = "answered"  # the unit sent a draft answer and documents
    RETURNED = "returned"  # the unit cannot handle it (reason given)
    CANCELLED = "cancelled"  # PPID Utama reassigned or withdrew it


class RoutingTask(db.Model):
    __tablename__ = "routing_task"
    __table_args__ = (
        Index("ix_routing_task_unit_status", "unit_id", "status"),
        # Covers "which units hold this request" (queue filters, monev per unit) without the table.
        Index("ix_routing_task_request_unit", "request_id", "unit_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_request.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    instruction: Mapped[str] = mapped_column(Text)
    internal_due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=TaskStatus.OPEN)
    routed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    routed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    answer_text: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    return_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # answered/returned/cancelled
    version: Mapped[int] = mapped_column(Integer, default=1)

    unit: Mapped[Unit] = relationship(lazy="joined")
    routed_by: Mapped[User] = relationship(foreign_keys=[routed_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN
