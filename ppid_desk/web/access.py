"""Small declarative access decorators (checked before any template context is built)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import login_manager


def roles_required(*roles: str) -> Callable:
    """Anonymous → the login page (HX-Redirect for htmx); wrong role → 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator
