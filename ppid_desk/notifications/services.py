"""Queue e-mails in the outbox inside the caller's transaction; deliver after commit over SMTP."""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from sqlalchemy import select

from ..dbtypes import utcnow
from ..extensions import db
from .models import OutboxMessage, OutboxStatus

MAX_ATTEMPTS = 8
_QUEUED_KEY = "outbox_queued"


def outbox_enqueue(*, recipient: str, subject: str, template: str, request=None, actor=None,
                   **context) -> OutboxMessage:
    """Render a plain-text e-mail and queue it; flushes, never commits.

    With ``request``, the message is linked to that information request and recorded on its
    timeline (an ``email_queued`` event), so officers see every e-mail the applicant was sent.
    """
    body = render_template(template, request=request, **context)
    message = OutboxMessage(recipient=recipient, subject=subject, body=body,
                            request_id=request.id if request is not None else None)
    db.session.add(message)
    db.session.flush()
    if request is not None:
        from ..audit.services import event_log

        event_log(actor=actor, actor_label=None if actor else "Sistem", subject_type="request",
                  subject_id=request.id, kind="email_queued",
                  data={"outbox_id": message.id, "recipient": recipient, "subject": subject})
    db.session.info.setdefault(_QUEUED_KEY, []).append(message.id)
    return message


def take_queued_ids() -> list[int]:
    """The ids queued in this session since the last call (read once after commit)."""
    return db.session.info.pop(_QUEUED_KEY, [])


def forget_queued() -> None:
    db.session.info.pop(_QUEUED_KEY, None)


def _smtp_send(messages: Iterable[OutboxMessage]) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        for message in messages:
            email = EmailMessage()
            email["From"] = config["MAIL_SENDER"]
            email["To"] = message.recipient
            email["Subject"] = message.subject
            email["Message-ID"] = make_msgid(domain="ppid-desk")
            email.set_content(message.body)
            try:
                smtp.send_message(email)
            except smtplib.SMTPException as error:
                _record_failure(message, error)
            else:
                message.status = OutboxStatus.SENT
                message.sent_at = utcnow()
                message.attempts += 1
                message.last_error = None


def _record_failure(message: OutboxMessage, error: Exception) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED


def outbox_deliver(ids: list[int] | None = None) -> tuple[int, int]:
    """Send pending messages (the given ones, or all pending); commit the outcome.

    Returns (sent, still_pending_or_failed). A dead SMTP server never loses a message: it stays
    pending with its error and is retried by ``flask ppid sweep``.
    """
    query = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
    if ids is not None:
        if not ids:
            return (0, 0)
        query = query.where(OutboxMessage.id.in_(ids))
    messages = list(db.session.scalars(query.order_by(OutboxMessage.id)))
    if not messages:
        return (0, 0)
    try:
        _smtp_send(messages)
    except (OSError, smtplib.SMTPException) as error:
        for message in messages:
            if message.status == OutboxStatus.PENDING:
                _record_failure(message, error)
        current_app.logger.warning("outbox: SMTP delivery failed: %s", error)
    db.session.commit()
    sent = sum(1 for m in messages if m.status == OutboxStatus.SENT)
    return (sent, len(messages) - sent)
