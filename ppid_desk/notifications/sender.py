"""One pass of the outbox sender (``flask ppid outbox``), which runs beside the web workers:
queued account-mail requests become e-mails, then every e-mail that is due is sent."""

from __future__ import annotations

from datetime import datetime

from .services import DeliveryResult, outbox_send_due


def sender_pass(*, now: datetime | None = None) -> DeliveryResult:
    """Handle the waiting account-mail requests, then send what is due; commits."""
    from ..accounts.services import account_mail_requests_process

    account_mail_requests_process()
    return outbox_send_due(now=now)
