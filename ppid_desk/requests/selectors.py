"""Reads on information requests for views, CLI and metrics.

Selectors never read the session or the logged-in user: the views pass the user and the
session's grants (``session_grants``).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sqlalchemy import func, select

from ..accounts.models import Role, User
from ..accounts.roles import READ_ALL_ROLES
from ..extensions import db
from .models import Applicant, InformationRequest


def grant_of(item: InformationRequest) -> list:
    """The grant a browser session holds for ``item`` (``session_grants``): bound to the tracking
    token of the moment, so revoking the link ends every grant given under it (requests.tracking).
    Grants of the older form (a bare id) are no longer honoured."""
    from .tracking import token_fingerprint

    return [item.id, token_fingerprint(item.tracking_token)]


def holds_grant(item: InformationRequest, granted: Collection) -> bool:
    """``granted`` (a session's grants) holds the request under its current tracking token."""
    return grant_of(item) in granted


def can_view_request(item: InformationRequest, user: User | None, granted: Collection) -> bool:
    """``user`` (None for a visitor) holding ``granted`` may read the applicant's request page."""
    if user is not None and (item.user_id == user.id or user.has_role(*READ_ALL_ROLES)):
        return True
    return holds_grant(item, granted)


def acts_as_applicant(item: InformationRequest, user: User | None, granted: Collection) -> bool:
    """May act as the request's applicant (object, complete, record a dispute): its owner or a
    browser holding a grant. Staff read the applicant's pages but act from the desk, even with a
    grant (a tracking link opened at the desk): their actions are never logged as the applicant's."""
    if user is not None and item.user_id == user.id:
        return True
    if user is not None and user.has_role(*READ_ALL_ROLES, Role.PEMBANTU):
        return False
    return holds_grant(item, granted)


def requests_of_user(user: User) -> list[InformationRequest]:
    return list(db.session.scalars(
        select(InformationRequest).where(InformationRequest.user_id == user.id)
        .order_by(InformationRequest.received_at.desc())
    ))


def number_key(number: str) -> str:
    """A registration number as typed, compared loosely: spaces dropped, letters upper-cased and
    leading zeros of each run of digits dropped, so "7/ppid/xi/2026" and " 0007 / PPID / XI / 2026"
    both find 0007/PPID/XI/2026 (whatever the body's number pattern)."""
    squeezed = re.sub(r"\s+", "", number or "").upper()
    return re.sub(r"\d+", lambda digits: str(int(digits.group())), squeezed)


def request_by_number_and_email(number: str, email: str) -> InformationRequest | None:
    """The request with this number (typed loosely: ``number_key``) whose applicant has this e-mail.
    The e-mail narrows the candidates to one applicant's few requests; the number is compared on
    them."""
    key = number_key(number)
    candidates = db.session.scalars(
        select(InformationRequest).join(Applicant)
        .where(func.lower(Applicant.email) == email.strip().lower())
        .order_by(InformationRequest.id)
    )
    return next((item for item in candidates if number_key(item.number) == key), None)


def last_applicant_of(user: User) -> Applicant | None:
    return db.session.scalar(
        select(Applicant).where(Applicant.user_id == user.id).order_by(Applicant.id.desc()).limit(1)
    )
