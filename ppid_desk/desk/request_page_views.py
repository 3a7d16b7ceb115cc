"""The officer's request page and the helpers every desk action view uses to answer on it
(access, the clock, re-rendering with the typed forms kept, the stale-version answer)."""

from __future__ import annotations

from flask import abort, current_app, flash
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..audit.selectors import events_for
from ..extensions import db
from ..requests.lifecycle import StaleRequest
from ..requests.models import InformationRequest
from ..sla import read_clock
from ..web.access import roles_required
from ..web.htmx import render
from ..web.registry import REQUEST_PANELS, Panel, panels_state
from ..web.render_cache import cached_page
from ..workcalendar.selectors import body_today, clock_rules, local_date, working_calendar
from . import labels as desk_labels
from .blueprint import bp
from .next_action_selectors import Step, next_action, request_state
from .policy import STAFF_ROLES, Action, can, can_view, sees_applicant, timeline_for


def desk_request_or_404(request_id: int) -> InformationRequest:
    """The request, if this officer may see it; 404 otherwise (nothing to enumerate)."""
    item = db.session.get(InformationRequest, request_id)
    if item is None or not can_view(current_user, item):
        abort(404)
    return item


def require(action: Action, item: InformationRequest | None = None) -> None:
    if not can(current_user, action, item):
        abort(403)


def clock_of(item: InformationRequest, calendar=None, today=None):
    calendar = calendar or working_calendar()
    stopped = local_date(item.clock_stopped_at) if item.clock_stopped_at else None
    return read_clock(item.current_due, today or body_today(), calendar, stopped_on=stopped,
                      due_soon_wd=current_app.config["DUE_SOON_WD"])


# The panel (its ``key``) where a step is taken, where the two differ.
STEP_PANELS = {Step.CLOSE: "delivery"}


def request_layout(item: InformationRequest, state: dict) -> dict:
    """Where each panel goes: the step due next and its panel (when this officer can take it,
    else None: the page says who does), the other actions they can take, and the records
    (with the actions not available now, which show what they already hold, if anything)."""
    sees_objections = any(can(current_user, action, item)
                          for action in (Action.VIEW_OBJECTION, Action.REGISTER_OBJECTION))
    step = next_action(request_state(item, objections_visible=sees_objections))
    available = [panel for panel in REQUEST_PANELS if panel.available_in(state)]
    key = STEP_PANELS.get(step, step and step.value)
    next_panel: Panel | None = next((panel for panel in available if panel.key == key), None)
    return {
        "next_step": step,
        "next_panel": next_panel,
        "other_actions": [panel for panel in available if panel is not next_panel],
        "record_panels": [panel for panel in REQUEST_PANELS if panel not in available],
        "action_labels": desk_labels.ACTION_LABELS,
        "step_labels": desk_labels.STEP_LABELS,
        "step_owners": desk_labels.STEP_OWNERS,
    }


def render_request_page(item: InformationRequest, *, status: int = 200, block: str | None = None,
                        **overrides):
    """The whole request page (or one block of it for htmx), with forms kept from ``overrides``."""
    calendar = working_calendar()
    rules = clock_rules()
    context = {
        "item": item,
        "clock": clock_of(item, calendar),
        "explanation": calendar.explain(item.receipt_date, rules.notice_wd, stored=item.notice_due),
        "extension_explanation": (
            calendar.explain(item.notice_due, calendar.working_days_between(item.notice_due, item.extended_due),
                             stored=item.extended_due)
            if item.extended_due else None),
        "rules": rules,
        "events": timeline_for(current_user, item, events_for("request", item.id)),
        "panels": REQUEST_PANELS,
        "can": lambda action: can(current_user, Action(action), item),
        "applicant_visible": sees_applicant(current_user),
    }
    state = panels_state(REQUEST_PANELS, item, current_user, overrides)
    context.update(state)
    context.update(overrides)
    context.update(request_layout(item, state))
    return render("desk/request.html", block=block, status=status, **context)


STALE_ERRORS = (StaleRequest, StaleDataError)


def stale_response(item: InformationRequest, **overrides):
    """Another officer changed the request first: show the fresh state and keep the typed text.

    Catch ``STALE_ERRORS`` around the service call and the commit: ``StaleRequest`` when the
    form's version is old, ``StaleDataError`` when two commits race for the same version.
    """
    db.session.rollback()
    item = db.session.get(InformationRequest, item.id)
    flash(_("Permohonan ini baru saja diubah oleh petugas lain. Periksa keadaan terbaru di bawah; "
            "isian Anda masih ada dan dapat dikirim ulang."), "error")
    return render_request_page(item, status=409, **overrides)


@bp.get("/permohonan/<int:request_id>")
@roles_required(*STAFF_ROLES)
@cached_page
def request_page(request_id: int):
    item = desk_request_or_404(request_id)
    return render_request_page(item, block="request_main")
