"""Queue e-mails in the outbox inside the caller's transaction; the outbox sender (``flask ppid
outbox``, beside the web workers) or the sweep delivers them over SMTP. A web request never
talks to the mail server: opening an SMTP connection and waiting for it cost filing a quarter
of its time (issue 17), and a slow or dead mail server would hold a worker.

Every delivery path (the sender, the sweep) first claims the messages it will send
(``outbox_claim``), so two of them running at once never send one message twice.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from enum import StrEnum
from types import SimpleNamespace
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from ..dbtypes import utcnow
from ..extensions import db
from ..rows import row_insert
from .models import OutboxMessage, OutboxStatus

# Retry schedule after the 1st, 2nd, 3rd … failed attempt; the last step repeats. With
# MAX_ATTEMPTS = 24 a message is tried for about 20 hours before it is given up (status failed),
# so a night-long SMTP outage loses nothing.
BACKOFF_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = 24
OUTBOX_BATCH = 500  # messages per SMTP connection in one delivery run
# How long a sender's claim keeps other senders off a message; longer than any batch takes.
# A sender that dies mid-batch leaves its claims, which lapse: the messages are then retried.
OUTBOX_CLAIM = timedelta(minutes=15)


def outbox_enqueue(*, recipient: str, subject: str, template: str, request=None, actor=None,
                   locale: str | None = None, **context) -> OutboxMessage:
    """Render a plain-text e-mail and queue it; flushes, never commits.

    The message is written in ``locale``, by default the body's own language (Bahasa
    Indonesia): an officer working in English still writes to the applicant in Indonesian.
    Pass the subject as a lazy string (``_l``) so it is translated in that language too.

    With ``request``, the message is linked to that information request and recorded on its
    timeline (an ``email_queued`` event), so officers see every e-mail the applicant was sent.

    The message waits, pending, for the outbox sender that runs beside the web workers
    (``flask ppid outbox --loop``) or for the sweep; it is never sent inside the web request (so
    also an answer takes as long whether or not an account, and so an e-mail, exists).
    """
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        subject = str(subject)
        body = render_template(template, request=request, **context)
    return _queue(dict(recipient=recipient, subject=subject, body=body,
                       request_id=request.id if request is not None else None), request, actor)


def outbox_enqueue_snapshot(*, recipient: str, subject: str, template: str, snapshot: dict[str, Any],
                            request=None, actor=None, locale: str | None = None) -> OutboxMessage:
    """Queue an e-mail that the sender renders (``outbox_render``), not this web request; flushes.

    ``snapshot``: every value ``template`` reads, as plain data taken now (str, numbers, None,
    dates and moments, lists, dicts; a dict reads like an object in the template), so the text
    sent is the text of this moment however late the sender renders it. As ``outbox_enqueue``
    otherwise (locale, subject, the ``email_queued`` event)."""
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        subject = str(subject)
    return _queue(dict(recipient=recipient, subject=subject, body=None, template=template,
                       context=_tagged(snapshot), locale=locale,
                       request_id=request.id if request is not None else None), request, actor)


def _queue(values: dict[str, Any], request, actor) -> OutboxMessage:
    db.session.flush()  # the caller's pending changes go out before the message, as they always have
    message = row_insert(OutboxMessage, **values)
    if request is None:
        return message
    from ..audit.personal import seal
    from ..audit.services import event_log

    sealed = seal(request.applicant_id, message.recipient)
    event_log(actor=actor, actor_label=None if actor else "Sistem", subject_type="request",
              subject_id=request.id, kind="email_queued",
              data={"outbox_id": message.id, "recipient": sealed, "subject": message.subject})
    return message


# A snapshot's dates and moments, tagged in JSON so that they come back as what they were.
_DATE, _MOMENT = "$date", "$datetime"


def _tagged(value: Any) -> Any:
    if isinstance(value, datetime):
        return {_MOMENT: value.isoformat()}
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    if isinstance(value, dict):
        return {str(key): _tagged(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_tagged(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return str(value) if isinstance(value, StrEnum) else value
    raise TypeError(f"not a snapshot value: {type(value).__name__}")


def _untagged(value: Any) -> Any:
    """A stored snapshot as the template reads it: dicts as objects (attribute access that no
    dict method can shadow), tagged dates and moments as ``date`` and ``datetime``."""
    if isinstance(value, dict):
        if set(value) == {_MOMENT}:
            return datetime.fromisoformat(value[_MOMENT])
        if set(value) == {_DATE}:
            return date.fromisoformat(value[_DATE])
        return SimpleNamespace(**{key: _untagged(item) for key, item in value.items()})
    if isinstance(value, list):
        return [_untagged(item) for item in value]
    return value


def outbox_render(message: OutboxMessage) -> str:
    """The text of a message queued by ``outbox_enqueue_snapshot``, rendered from its snapshot."""
    with force_locale(message.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return render_template(message.template, **vars(_untagged(message.context or {})))


def _render_pending(messages: list[OutboxMessage], now: datetime) -> list[OutboxMessage]:
    """Render the messages that wait for it (keeping the text, dropping the snapshot); the ones
    that render. A message that cannot be rendered counts a failed attempt, like an SMTP error."""
    ready = []
    for message in messages:
        if message.body is None:
            try:
                message.body = outbox_render(message)
            except Exception as error:  # noqa: BLE001 - one broken message must not stop the others
                current_app.logger.exception("outbox: message %s not rendered", message.id)
                _record_failure(message, error, now)
                continue
            message.context = None  # the text is kept; the values it was made from are not needed twice
        ready.append(message)
    return ready


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


def _unclaimed(now: datetime):
    return or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now)


def outbox_claim(candidates, *, now: datetime) -> list[int]:
    """Claim the pending, unclaimed messages among ``candidates`` (ids, or a SELECT of ids) for
    this sender, and commit the claim; the ids won.

    One UPDATE … WHERE status = 'pending' AND the claim is free … RETURNING: of two senders
    racing for a message, the second finds the claim taken. On PostgreSQL the rows are picked
    with ``FOR UPDATE SKIP LOCKED``, so the second skips rows the first is claiming instead of
    waiting for it (and the UPDATE re-checks the claim on the row it locked); SQLite runs one
    writer at a time (the clause is left out there).
    """
    free = (select(OutboxMessage.id)
            .where(OutboxMessage.id.in_(candidates), OutboxMessage.status == OutboxStatus.PENDING,
                   _unclaimed(now))
            .with_for_update(skip_locked=True))
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(free), OutboxMessage.status == OutboxStatus.PENDING,
               _unclaimed(now))
        .values(claimed_until=now + OUTBOX_CLAIM)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).scalars().all()
    db.session.commit()
    return sorted(claimed)


def _deliver(candidates, now: datetime) -> DeliveryResult:
    # Read first: an idle sender's pass only reads (no write lock taken on SQLite).
    ids = list(db.session.scalars(candidates))
    if ids:
        ids = outbox_claim(ids, now=now)
    if not ids:
        return DeliveryResult()
    messages = list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)))
    ready = _render_pending(messages, now)  # the ones queued unrendered (the receipt) get their text
    try:
        if ready:
            _smtp_send(ready, now)
    except (OSError, smtplib.SMTPException) as error:
        for message in ready:
            if message.status == OutboxStatus.PENDING:
                _record_failure(message, error, now)
        current_app.logger.warning("outbox: SMTP delivery failed: %s", error)
    for message in messages:
        message.claimed_until = None  # sent, given up, or back in the queue for its next attempt
    result = DeliveryResult(
        sent=sum(1 for m in messages if m.status == OutboxStatus.SENT),
        retrying=sum(1 for m in messages if m.status == OutboxStatus.PENDING),
        given_up=sum(1 for m in messages if m.status == OutboxStatus.FAILED),
    )
    db.session.commit()
    return result


def _pending_ids(now: datetime):
    return (select(OutboxMessage.id)
            .where(OutboxMessage.status == OutboxStatus.PENDING, _unclaimed(now))
            .order_by(OutboxMessage.id))


def outbox_retry_due(*, now: datetime) -> DeliveryResult:
    """Try every pending message whose next attempt has come (``flask ppid sweep``); commit.

    At most ``OUTBOX_BATCH`` per run, oldest first, over one SMTP connection.
    """
    due = or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now)
    return _deliver(_pending_ids(now).where(due).limit(OUTBOX_BATCH), now)


def outbox_send_due(*, now: datetime | None = None) -> DeliveryResult:
    """One pass of the outbox sender: every message whose (next) attempt has come, batch after
    batch, each over one SMTP connection. Safe beside other senders and the sweep (claims)."""
    total = DeliveryResult()
    while True:
        result = outbox_retry_due(now=now or utcnow())
        total = DeliveryResult(sent=total.sent + result.sent, retrying=total.retrying + result.retrying,
                               given_up=total.given_up + result.given_up)
        if result.sent + result.not_sent < OUTBOX_BATCH:
            return total
