"""Sections other domains add to the applicant's request page (e.g. the written notice,
downloads, completing an incomplete request). Same contract as ``desk.panels``."""

from __future__ import annotations

from ..desk.panels import Panel, PanelContext

APPLICANT_PANELS: list[Panel] = []


def register_applicant_panel(order: int, template: str, context: PanelContext) -> None:
    if any(p.template == template for p in APPLICANT_PANELS):
        return
    APPLICANT_PANELS.append(Panel(order, template, context))
    APPLICANT_PANELS.sort(key=lambda p: p.order)


def applicant_panels_context(item, user, overrides: dict, granted=()) -> dict:
    """``user`` and ``granted`` (the session's grants) as the view read them."""
    from .selectors import acts_as_applicant

    # Staff may read the applicant's page; only the applicant sees the applicant's actions.
    context: dict = {"acts_as_applicant": acts_as_applicant(item, user, granted)}
    for panel in APPLICANT_PANELS:
        context.update(panel.context(item, user, overrides))
    context.update(overrides)
    return context
