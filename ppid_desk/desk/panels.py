"""The officer request page is assembled from panels that each domain registers.

A panel is a template plus a function giving its context for one request and user. Action
views that re-render the page with a form error pass that form in ``overrides`` so the typed
text is kept; panels use an override when present and build a fresh form otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..accounts.models import User
from ..requests.models import InformationRequest

PanelContext = Callable[[InformationRequest, User, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: PanelContext


PANELS: list[Panel] = []


def register_panel(order: int, template: str, context: PanelContext) -> None:
    """Add a panel to the request page (idempotent, sorted by ``order``)."""
    if any(p.template == template for p in PANELS):
        return
    PANELS.append(Panel(order, template, context))
    PANELS.sort(key=lambda p: p.order)


def panels_context(item: InformationRequest, user: User, overrides: dict[str, Any]) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for panel in PANELS:
        context.update(panel.context(item, user, overrides))
    context.update(overrides)
    return context
