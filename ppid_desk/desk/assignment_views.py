"""Assign a request to a named officer: the small panel on the request page and its POST."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError
from ..extensions import db
from ..requests.models import InformationRequest
from ..web.access import roles_required
from ..web.forms import errors_onto_form
from ..web.transaction import commit, rollback
from .assignment_forms import AssignForm
from .assignment_selectors import assignable_officers
from .assignment_services import AssignmentUnchanged, request_assign
from .blueprint import bp
from .policy import STAFF_ROLES, Action, can
from .request_page_views import (
    STALE_ERRORS,
    desk_request_or_404,
    render_request_page,
    require,
    stale_response,
)


def assignment_panel(item: InformationRequest, user, overrides: dict) -> dict:
    """Who the request is assigned to; the form for those who may assign."""
    form = None
    if can(user, Action.ASSIGN, item):
        form = overrides.get("assign_form") or AssignForm(
            formdata=None, data={"assignee": str(item.assignee_id) if item.assignee_id else ""})
        form.set_officers(assignable_officers(item))
        form.version.data = item.version
    return {"assign_form": form}


def _back(item: InformationRequest):
    return redirect(url_for("desk.request_page", request_id=item.id, _anchor="penugasan"), code=303)


@bp.post("/permohonan/<int:request_id>/penugasan")
@roles_required(*STAFF_ROLES)
def assign_request(request_id: int):
    item = desk_request_or_404(request_id)
    require(Action.ASSIGN, item)
    form = AssignForm()
    if not form.validate():
        return render_request_page(item, status=422, assign_form=form)
    try:
        assignee = request_assign(actor=current_user._get_current_object(), item=item,
                                  assignee_id=form.assignee_id, expected_version=form.seen_version)
        commit()
    except STALE_ERRORS:
        return stale_response(item, assign_form=form)
    except AssignmentUnchanged as error:
        rollback()
        flash(str(error), "info")
        return _back(item)
    except DomainError as error:
        rollback()
        errors_onto_form(form, error)
        return render_request_page(db.session.get(InformationRequest, request_id), status=422, assign_form=form)
    if assignee is None:
        flash(_("Penugasan dicabut: permohonan ini belum ditugaskan kepada siapa pun."), "success")
    else:
        flash(_("Permohonan ditugaskan kepada %(name)s.", name=assignee.name), "success")
    return _back(item)
