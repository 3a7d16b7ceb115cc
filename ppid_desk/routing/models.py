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
        # Covers "which units hold this request" (queue filters) and monev's one pass over a period's
        # tasks (its per-unit figures and the routing-to-answer days) without the table.
        Index("ix_routing_task_monev", "request_id", "unit_id", "status", "superseded", "internal_due",
              "routed_on", "answered_on"),
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
    # Facts monev counts, stored so that a period's metrics read them from an index instead of
    # deriving them task by task (issue 17 item 3); written by ``monev.task_facts`` after every
    # flush that changes a task, from its definitions (never set them here):
    # the body-local days of ``routed_at`` and ``answered_at``, and whether a newer live task of
    # the same unit holds the same request (monev counts a request once per unit).
    routed_on: Mapped[date | None] = mapped_column(Date)
    answered_on: Mapped[date | None] = mapped_column(Date)
    superseded: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)

    unit: Mapped[Unit] = relationship(lazy="joined")
    routed_by: Mapped[User] = relationship(foreign_keys=[routed_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN
