"""Tracking links (``/lacak/<token>``): what a link opens, revoking it, and when it expires.

A request has one current tracking token, sent in its e-mails. Opening the link grants this
browser session the request (``session_grants.grant_in_session``); every grant is bound to the token
it was given under (a short fingerprint of it), so:

* **Revoking** (the applicant, from the request page, with a confirmation) keeps the SHA-256 of
  the old token in ``revoked_tracking_link`` and gives the request a fresh random token. The old
  link then says it was revoked; every browser that opened it (or looked the request up by
  number and e-mail) loses the request at once, the revoker's included, unless logged in as its
  owner. The fresh link is e-mailed when the applicant asks; later e-mails carry it anyway.
* **Expiry** follows the personal-data retention period (``PERSONAL_DATA_RETENTION_DAYS``, see
  ``operations.retention``): once it has ended, or the applicant's data was purged, the link
  says it expired.

A revoked, expired or unknown link shows a page saying so with the look-up by number and e-mail,
and nothing about the request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date, timedelta
from enum import StrEnum

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import User
from ..dbtypes import utcnow
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..organisation.profile_selectors import body_profile
from ..web.urls import public_url
from .lifecycle import request_event
from .models import InformationRequest, RevokedTrackingLink

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # secrets.token_urlsafe; the column is 64 wide


class LinkState(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_fingerprint(token: str) -> str:
    """What a session grant records of the token it was given under (not enough to rebuild it)."""
    return token_digest(token)[:16]


def new_tracking_token() -> str:
    return secrets.token_urlsafe(24)


def tracking_link_expired(item: InformationRequest, today: date) -> bool:
    """The link outlived the request's personal data: purged, or the retention period has ended."""
    from ..operations.retention import retention_ends_on

    if item.applicant.purged_at is not None:
        return True
    ended = retention_ends_on(item)
    return ended is not None and ended < today - timedelta(days=current_app.config["PERSONAL_DATA_RETENTION_DAYS"])


def tracking_link_resolve(token: str, today: date) -> tuple[LinkState, InformationRequest | None]:
    """What ``/lacak/<token>`` opens; the request only when the link is valid."""
    if not TOKEN_SHAPE.fullmatch(token):
        return LinkState.UNKNOWN, None  # never sent to the database (PostgreSQL refuses NUL bytes)
    item = db.session.scalar(select(InformationRequest).where(InformationRequest.tracking_token == token))
    if item is not None:
        return (LinkState.EXPIRED, None) if tracking_link_expired(item, today) else (LinkState.VALID, item)
    if db.session.get(RevokedTrackingLink, token_digest(token)) is not None:
        return LinkState.REVOKED, None
    return LinkState.UNKNOWN, None


def can_send_new_link(item: InformationRequest) -> bool:
    return bool(item.applicant.email) and item.applicant.purged_at is None and "@" in item.applicant.email


def tracking_link_revoke(*, actor: User | None, actor_label: str | None, item: InformationRequest,
                         send_new_link: bool) -> None:
    """Revoke the request's tracking link and give it a fresh one (e-mailed if asked); flush only."""
    db.session.add(RevokedTrackingLink(token_sha256=token_digest(item.tracking_token), request_id=item.id,
                                       revoked_at=utcnow()))
    item.tracking_token = new_tracking_token()
    db.session.flush()
    request_event(actor=actor, actor_label=actor_label, item=item, kind="tracking_link_revoked",
                  data={"new_link_sent": bool(send_new_link)})  # never the token itself
    if send_new_link:
        outbox_enqueue(
            recipient=item.applicant.email,
            subject=_l("Tautan pelacakan baru untuk permohonan %(number)s", number=item.number),
            template="email/tracking_link_new.txt", request=item, actor=actor,
            tracking_url=public_url("requests.track_token", token=item.tracking_token),
            body_name=body_profile().name,
        )
