"""What domains add to pages they do not own: request-page panels and the desk's navigation.

One small ordered registry serves all of them. A domain registers its items from its own
``init_app(app)``; registering the same key again is a no-op (``create_app`` runs many times in
one process). The pages read the registries:

- ``REQUEST_PANELS``: the officer's request page (``desk/request.html``),
- ``APPLICANT_PANELS``: the applicant's request page (``requests/detail.html``),
- ``OBJECTION_PANELS``: the desk's objection page,
- ``DESK_NAV``: the desk's navigation (the ``desk_nav()`` template global).

A panel is a template plus a function giving its context for one subject (a request or an
objection) and user. A request-page panel also says what kind it is: a *record* (what happened:
documents, tasks, letters, notes), read in the page's main column, or an *action* (a form that
moves the request on), shown beside the record when ``available`` says, from the panels' context
before the caller's overrides, that this user can take it now. An action not available is read
as a record (what it already holds, if anything). ``key`` names an action for the page's "next
action" and lets one template be registered for two parts (the template reads it as
``panel_part``). Action views that re-render a page with a form error pass that form in
``overrides`` so the typed text is kept; panels use an override when present and build a fresh
form otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import current_app
from flask_login import current_user

T = TypeVar("T")

PanelContext = Callable[[Any, Any, dict[str, Any]], dict[str, Any]]


class Registry(Generic[T]):
    """Items sorted by their ``order``, at most one per key (the first registration wins)."""

    def __init__(self, key: Callable[[T], Hashable]) -> None:
        self._key = key
        self._items: list[T] = []

    def add(self, item: T) -> None:
        key = self._key(item)
        if any(self._key(existing) == key for existing in self._items):
            return
        self._items.append(item)
        self._items.sort(key=lambda entry: entry.order)  # type: ignore[attr-defined]

    def __iter__(self) -> Iterator[T]:
        return iter(tuple(self._items))

    def __len__(self) -> int:
        return len(self._items)


ACTION = "action"
RECORD = "record"


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: PanelContext
    kind: str = RECORD
    key: str | None = None
    available: Callable[[dict[str, Any]], bool] | None = None

    def available_in(self, context: dict[str, Any]) -> bool:
        """An action this user can take now, judged from the panels' context (no overrides)."""
        return self.kind == ACTION and (self.available is None or bool(self.available(context)))


@dataclass(frozen=True)
class NavItem:
    order: int
    endpoint: str
    label: object  # a lazy string
    roles: frozenset[str]


REQUEST_PANELS: Registry[Panel] = Registry(key=lambda panel: (panel.template, panel.key))
APPLICANT_PANELS: Registry[Panel] = Registry(key=lambda panel: panel.template)
OBJECTION_PANELS: Registry[Panel] = Registry(key=lambda panel: panel.template)
DESK_NAV: Registry[NavItem] = Registry(key=lambda item: item.endpoint)


def register_panel(order: int, template: str, context: PanelContext, *, kind: str = RECORD,
                   key: str | None = None, available: Callable[[dict[str, Any]], bool] | None = None) -> None:
    """Add a panel to the officer's request page (a record unless ``kind`` is ``ACTION``)."""
    if kind not in (ACTION, RECORD):
        raise ValueError(f"unknown panel kind {kind!r}")
    REQUEST_PANELS.add(Panel(order, template, context, kind, key, available))


def register_applicant_panel(order: int, template: str, context: PanelContext) -> None:
    """Add a section to the applicant's request page."""
    APPLICANT_PANELS.add(Panel(order, template, context))


def register_objection_panel(order: int, template: str, context: PanelContext) -> None:
    """Add a section to the desk's objection page."""
    OBJECTION_PANELS.add(Panel(order, template, context))


def register_nav(order: int, endpoint: str, label, roles) -> None:
    """Add a page to the desk's navigation, shown to officers with one of ``roles``."""
    DESK_NAV.add(NavItem(order, endpoint, label, frozenset(roles)))


def panels_state(panels: Registry[Panel], subject, user, overrides: dict[str, Any]) -> dict[str, Any]:
    """Every panel's context for ``subject`` and ``user``, without the caller's ``overrides``
    (what the state allows; a form kept from a refused POST must not bring back an action)."""
    context: dict[str, Any] = {}
    for panel in panels:
        context.update(panel.context(subject, user, overrides))
    return context


def panels_context(panels: Registry[Panel], subject, user, overrides: dict[str, Any]) -> dict[str, Any]:
    """Every panel's context for ``subject`` and ``user``, then the caller's ``overrides``."""
    return {**panels_state(panels, subject, user, overrides), **overrides}


def desk_nav() -> list[tuple[str, str]]:
    """(endpoint, label) pairs this officer may open (the template global of the same name)."""
    if not current_user.is_authenticated:
        return []
    endpoints = current_app.view_functions
    return [(item.endpoint, str(item.label)) for item in DESK_NAV
            if item.endpoint in endpoints and current_user.has_role(*item.roles)]
