"""One commit per HTTP request. Queued e-mails are only written to the outbox in that
transaction; the outbox sender beside the web workers sends them (docs/operations.md)."""

from __future__ import annotations

from ..extensions import db


def commit() -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def rollback() -> None:
    db.session.rollback()
