"""One commit per HTTP request; queued e-mails leave only after the commit succeeded."""

from __future__ import annotations

from flask import current_app

from ..extensions import db
from ..notifications.services import forget_queued, outbox_deliver, take_queued_ids


def commit() -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        forget_queued()
        raise
    queued = take_queued_ids()
    if queued and current_app.config["MAIL_SEND_AFTER_COMMIT"]:
        outbox_deliver(queued)


def rollback() -> None:
    db.session.rollback()
    forget_queued()
