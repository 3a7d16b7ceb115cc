"""What the desk queue stores of its own: an officer's saved filters (private to that officer)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db

SAVED_NAME_MAX = 60
SAVED_QUERY_MAX = 2000
SAVED_PER_USER_MAX = 20


class SavedQueueFilter(db.Model):
    """A named queue filter: the query string of ``GET /meja/``, validated again by the queue's
    form each time it is used (a unit or a status may have gone since it was saved)."""

    __tablename__ = "saved_queue_filter"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(SAVED_NAME_MAX))
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
