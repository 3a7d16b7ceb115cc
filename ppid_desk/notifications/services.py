"""Queue e-mails in the outbox inside the caller's transaction; deliver after commit over SMTP."""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select

from ..dbtypes import utcnow
from ..extensions import db
from .models import OutboxMessage, OutboxStatus

# Retry schedule after the 1st, 2nd, 3rd … failed attempt; the last step repeats. With
# MAX_ATTEMPTS = 24 a message is tried for about 20 hours before it is given up (status failed),
# so a night-long SMTP outage loses nothing.
BACKOFF_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = 24
OUTBOX_BATCH = 500  # messages per SMTP connection in one delivery run
_QUEUED_KEY = "outbox_queued"


def outbox_enqueue(*, recipient: str, subject: str, template: str, request=None, actor=None,
                   locale: str | None = None, **context) -> OutboxMessage:
    """Render a plain-text e-mail and queue it; flushes, never commits.

    The message is written in ``locale``, by default the body's own language (Bahasa
    Indonesia): an officer working in English still writes to the applicant in Indonesian.
    Pass the subject as a lazy string (``_l``) so it is translated in that language too.

    With ``request``, the message is linked to that information request and recorded on its
    timeline (an ``email_queued`` event), so officers see every e-mail the applicant was sent.
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = str(subject)
        body = render_template(template, request=request, **context)
    message = OutboxMessage(recipient=recipient, subject=subject, body=body,
                            request_id=request.id if request is not None else None)
    db.session.add(message)
    db.session.flush()
    if request is not None:
        from ..audit.personal import seal
        from ..audit.services import event_log

        event_log(actor=actor, actor_label=None if actor else "Sistem", subject_type="request",
                  subject_id=request.id, kind="email_queued",
                  data={"outbox_id": message.id, "recipient": seal(request.applicant_id, recipient),
                        "subject": subject})
    db.session.info.setdefault(_QUEUED_KEY, []).append(message.id)
    return message


def take_queued_ids() -> list[int]:
    """The ids queued in this session since the last call (read once after commit)."""
    return db.session.info.pop(_QUEUED_KEY, [])


def forget_queued() -> None:
    db.session.info.pop(_QUEUED_KEY, None)


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next try of a message that has failed ``attempts`` times."""
    step = min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1
    return timedelta(minutes=BACKOFF_MINUTES[step])


def _smtp_send(messages: Iterable[OutboxMessage], now: datetime) -> None:
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
                _record_failure(message, error, now)
            else:
                message.status = OutboxStatus.SENT
                message.sent_at = now
                message.attempts += 1
                message.last_error = None
                message.next_attempt_at = None


def _record_failure(message: OutboxMessage, error: Exception, now: datetime) -> None:
    """Count a failed try; schedule the next one with backoff, or give up after MAX_ATTEMPTS."""
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        message.next_attempt_at = None
        _log_given_up(message, now)
    else:
        message.next_attempt_at = now + backoff(message.attempts)


def _log_given_up(message: OutboxMessage, now: datetime) -> None:
    """Put a message that will never leave on its request's timeline, so officers can act."""
    if message.request_id is None:
        return
    from ..audit.personal import seal
    from ..audit.services import event_log
    from ..requests.models import InformationRequest

    applicant_id = db.session.get(InformationRequest, message.request_id).applicant_id
    event_log(actor=None, subject_type="request", subject_id=message.request_id, kind="email_failed",
              at=now, data={"outbox_id": message.id, "recipient": seal(applicant_id, message.recipient),
                            "subject": message.subject, "attempts": message.attempts,
                            # an SMTP error may quote the address
                            "error": seal(applicant_id, message.last_error)})


@dataclass(frozen=True)
class DeliveryResult:
    sent: int = 0
    retrying: int = 0  # still pending, with a next attempt time
    given_up: int = 0  # failed for the last time (status failed)

    @property
    def not_sent(self) -> int:
        return self.retrying + self.given_up


def _deliver(query, now: datetime) -> DeliveryResult:
    messages = list(db.session.scalars(query))
    if not messages:
        return DeliveryResult()
    try:
        _smtp_send(messages, now)
    except (OSError, smtplib.SMTPException) as error:
        for message in messages:
            if message.status == OutboxStatus.PENDING:
                _record_failure(message, error, now)
        current_app.logger.warning("outbox: SMTP delivery failed: %s", error)
    result = DeliveryResult(
        sent=sum(1 for m in messages if m.status == OutboxStatus.SENT),
        retrying=sum(1 for m in messages if m.status == OutboxStatus.PENDING),
        given_up=sum(1 for m in messages if m.status == OutboxStatus.FAILED),
    )
    db.session.commit()
    return result


def _pending():
    return (select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
            .order_by(OutboxMessage.id))


def outbox_retry_due(*, now: datetime) -> DeliveryResult:
    """Try every pending message whose next attempt has come (``flask ppid sweep``); commit.

    At most ``OUTBOX_BATCH`` per run, oldest first, over one SMTP connection.
    """
    due = or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now)
    return _deliver(_pending().where(due).limit(OUTBOX_BATCH), now)


def outbox_deliver(ids: list[int] | None = None, *, now: datetime | None = None) -> tuple[int, int]:
    """Send pending messages (the given ones, or all pending that are due); commit the outcome.

    With ``ids`` (the after-commit path) those messages are tried at once; without, it is
    ``outbox_retry_due``. Returns (sent, not sent). A dead SMTP server never loses a message:
    it stays pending with its error and a next attempt time (backoff) until MAX_ATTEMPTS tries
    have failed, and the sweep retries it.
    """
    now = now or utcnow()
    if ids is None:
        result = outbox_retry_due(now=now)
    elif not ids:
        return (0, 0)
    else:
        result = _deliver(_pending().where(OutboxMessage.id.in_(ids)), now)
    return (result.sent, result.not_sent)
