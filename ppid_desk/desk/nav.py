"""The desk's navigation: each domain registers its page with the roles that may open it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    order: int
    endpoint: str
    label: object  # a lazy string
    roles: frozenset[str]


NAV: list[NavItem] = []


def register_nav(order: int, endpoint: str, label, roles) -> None:
    if any(item.endpoint == endpoint for item in NAV):
        return
    NAV.append(NavItem(order, endpoint, label, frozenset(roles)))
    NAV.sort(key=lambda item: item.order)


def desk_nav() -> list[tuple[str, str]]:
    """(endpoint, label) pairs this officer may open."""
    if not current_user.is_authenticated:
        return []
    endpoints = current_app.view_functions
    return [(item.endpoint, str(item.label)) for item in NAV
            if item.endpoint in endpoints and current_user.has_role(*item.roles)]
