"""Sections of the desk's objection page, registered by the objection and dispute modules.
Same contract as ``desk.panels``: ``context_fn(objection, user, overrides) -> dict``."""

from __future__ import annotations

from ..desk.panels import Panel, PanelContext

OBJECTION_PANELS: list[Panel] = []


def register_objection_panel(order: int, template: str, context: PanelContext) -> None:
    if any(p.template == template for p in OBJECTION_PANELS):
        return
    OBJECTION_PANELS.append(Panel(order, template, context))
    OBJECTION_PANELS.sort(key=lambda p: p.order)


def objection_panels_context(objection, user, overrides: dict) -> dict:
    context: dict = {}
    for panel in OBJECTION_PANELS:
        context.update(panel.context(objection, user, overrides))
    context.update(overrides)
    return context
