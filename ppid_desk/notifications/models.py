"""Outbox: e-mails are queued in the request's transaction and sent after it commits, or by the
outbox sender (``flask ppid outbox``)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the maximum attempts


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    # The text sent; None while the message waits to be rendered by the sender from ``template``
    # and ``context`` (``outbox_enqueue_snapshot``), which it then stores here (and drops the context).
    body: Mapped[str | None] = mapped_column(Text)
    template: Mapped[str | None] = mapped_column(String(100))
    # The template's values as they were when the message was queued (JSON; dates tagged), so
    # the text sent is the text of that moment, whenever the sender renders it.
    context: Mapped[dict | None] = mapped_column(JSON)
    locale: Mapped[str | None] = mapped_column(String(16))  # the language to render ``template`` in
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # retry backoff
    request_id: Mapped[int | None] = mapped_column(ForeignKey("information_request.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A sender's claim: while it lies in the future, no other sender touches the message
    # (notifications.services.outbox_claim), so two senders never send it twice.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
