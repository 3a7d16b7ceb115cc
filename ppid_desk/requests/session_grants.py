"""The browser session's grants to requests (view layer): the views read them here and hand them
to the selectors (``selectors.can_view_request`` …), which never read the session themselves.

A guest who files a request, or looks one up with its tracking link, is granted it in this
browser session; every grant is bound to the request's tracking token of the moment
(``selectors.grant_of``), so revoking the link ends the grants given under it.
"""

from __future__ import annotations

from flask import session
from flask_login import current_user

from ..accounts.models import User
from ..extensions import db
from .models import InformationRequest
from .selectors import grant_of

GRANTS_KEY = "granted_requests"


def session_grants() -> list:
    """The grants this browser session holds (give them to the selectors)."""
    return list(session.get(GRANTS_KEY, []))


def session_user() -> User | None:
    """The logged-in user, or None for a visitor (give it to the selectors)."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def grant_in_session(request_id: int) -> None:
    """Let this browser session see one request (after filing as a guest or a tracking look-up)."""
    grant_held_in_session(grant_of(db.session.get(InformationRequest, request_id)))


def grant_held_in_session(grant: list) -> None:
    """Keep a grant (``selectors.grant_of``, taken while the request was at hand) in this session."""
    granted = [g for g in session_grants() if not (isinstance(g, list) and g[:1] == grant[:1])]
    session[GRANTS_KEY] = (granted + [grant])[-50:]
