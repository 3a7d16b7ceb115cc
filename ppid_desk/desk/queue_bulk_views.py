"""Route several requests of the queue at once (disposisi massal): the ticked rows, one unit, one
instruction, an optional internal due. Each request goes through the routing service on its own,
with its own checks (its status, its legal due, a unit already holding an open task), inside its
own savepoint: a request is routed whole or not at all, and the page says which and why."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError, FieldError
from ..extensions import db
from ..organisation.models import Unit, UnitKind
from ..organisation.unit_selectors import unit_by_code
from ..requests.models import InformationRequest
from ..routing.services import default_internal_due, request_route
from ..web.access import roles_required
from ..web.htmx import render
from ..web.transaction import commit
from ..workcalendar.selectors import body_today, working_calendar
from .blueprint import bp
from .policy import STAFF_ROLES, Action, can, can_view
from .queue_forms import BulkRouteForm
from .queue_saved_views import queue_args
from .queue_views import queue_response
from .request_page_views import require


@dataclass(frozen=True)
class BulkOutcome:
    request_id: int
    number: str | None  # None: no such request (or not one this officer may see)
    routed: bool
    reason: str | None = None


def _route_one(item: InformationRequest, unit: Unit, form: BulkRouteForm, today, calendar) -> str | None:
    """Route one request in its own savepoint; None when routed, else why not (nothing written)."""
    internal_due = form.internal_due.data or default_internal_due(item, today, calendar)
    try:
        with db.session.begin_nested():
            request_route(actor=current_user._get_current_object(), item=item, unit_ids=[unit.id],
                          instruction=form.instruction.data, internal_due=internal_due)
    except FieldError as error:
        return error.message
    except DomainError as error:
        return str(error)
    return None


@bp.post("/disposisi-massal")
@roles_required(*STAFF_ROLES)
def bulk_route():
    require(Action.ROUTE)
    form = BulkRouteForm()
    try:
        back = queue_args(form.kembali.data)
    except ValueError:
        back = queue_args("")
    valid = form.validate()
    ids = form.chosen_ids()
    unit = unit_by_code(form.unit.data) if form.unit.data else None
    if form.unit.data and (unit is None or not unit.active or unit.kind != UnitKind.PEMBANTU):
        form.unit.errors = [*form.unit.errors, _("Tidak ada unit PPID Pembantu aktif dengan kode %(code)s.",
                                                 code=form.unit.data[:64])]
    if not valid or not ids or form.unit.errors:
        return queue_response(back, status=422, bulk_form=form, selected=ids)

    today, calendar = body_today(), working_calendar()
    outcomes: list[BulkOutcome] = []
    for request_id in ids:
        item = db.session.get(InformationRequest, request_id)
        if item is None or not can_view(current_user, item) or not can(current_user, Action.ROUTE, item):
            outcomes.append(BulkOutcome(request_id, None, False, _("Permohonan tidak ditemukan.")))
            continue
        reason = _route_one(item, unit, form, today, calendar)
        outcomes.append(BulkOutcome(request_id, item.number, reason is None, reason))
    commit()
    routed = [o for o in outcomes if o.routed]
    return render("desk/queue_bulk_result.html", unit=unit, routed=routed,
                  refused=[o for o in outcomes if not o.routed],
                  back_url=url_for("desk.queue") + ("?" + form.kembali.data if form.kembali.data else ""))
