"""Reads on information requests for views, CLI and metrics."""

from __future__ import annotations

from flask import session
from flask_login import current_user
from sqlalchemy import func, select

from ..accounts.models import Role, User
from ..extensions import db
from .models import Applicant, InformationRequest

GRANTS_KEY = "granted_requests"
# Roles that see every request (a PPID Pembantu sees only routed tasks: a later issue).
ALL_REQUEST_ROLES = (Role.PETUGAS, Role.PPID_UTAMA, Role.ATASAN, Role.PENGAWAS, Role.ADMIN)


def _grant(item: InformationRequest) -> list:
    # Bound to the tracking token of the moment: revoking the link ends every grant given under it
    # (requests.tracking). Grants of the older form (a bare id) are no longer honoured.
    from .tracking import token_fingerprint

    return [item.id, token_fingerprint(item.tracking_token)]


def grant_in_session(request_id: int) -> None:
    """Let this browser session see one request (after filing as a guest or a tracking look-up)."""
    grant = _grant(db.session.get(InformationRequest, request_id))
    granted = [g for g in session.get(GRANTS_KEY, []) if not (isinstance(g, list) and g[:1] == grant[:1])]
    session[GRANTS_KEY] = (granted + [grant])[-50:]


def holds_grant(item: InformationRequest) -> bool:
    """This browser session was granted the request under its current tracking token."""
    return _grant(item) in session.get(GRANTS_KEY, [])


def can_view_request(item: InformationRequest, user: User | None = None) -> bool:
    user = user if user is not None else (current_user if current_user.is_authenticated else None)
    if user is not None and (item.user_id == user.id or user.has_role(*ALL_REQUEST_ROLES)):
        return True
    return holds_grant(item)


def acts_as_applicant(item: InformationRequest, user: User | None = None) -> bool:
    """May act as the request's applicant (object, complete, record a dispute): its owner or a
    browser holding a grant. Staff read the applicant's pages but act from the desk, even with a
    grant (a tracking link opened at the desk): their actions are never logged as the applicant's."""
    user = user if user is not None else (current_user if current_user.is_authenticated else None)
    if user is not None and item.user_id == user.id:
        return True
    if user is not None and user.has_role(*ALL_REQUEST_ROLES, Role.PEMBANTU):
        return False
    return holds_grant(item)


def requests_of_user(user: User) -> list[InformationRequest]:
    return list(db.session.scalars(
        select(InformationRequest).where(InformationRequest.user_id == user.id)
        .order_by(InformationRequest.received_at.desc())
    ))


def request_by_number_and_email(number: str, email: str) -> InformationRequest | None:
    return db.session.scalar(
        select(InformationRequest).join(Applicant)
        .where(InformationRequest.number == number.strip().upper(),
               func.lower(Applicant.email) == email.strip().lower())
    )


def last_applicant_of(user: User) -> Applicant | None:
    return db.session.scalar(
        select(Applicant).where(Applicant.user_id == user.id).order_by(Applicant.id.desc()).limit(1)
    )
