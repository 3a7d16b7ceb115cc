"""The desk records the applicant's reaction to the Atasan's response (register keberatan), from
the objection page. Thin: access → form → service → commit → 303; bad input re-renders the page
with the message next to the field (422) and nothing saved."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..desk.policy import STAFF_ROLES, Action, can
from ..errors import DomainError
from ..web.access import roles_required
from ..web.transaction import commit
from ..workcalendar.selectors import body_today
from .blueprint import bp
from .models import Objection
from .reaction_forms import ReactionForm
from .reaction_labels import REACTION_LABELS
from .reaction_services import objection_reaction_record
from .response_views import OBJECTION_STALE, _refused, _stale, _version, objection_or_404

# Recording what the applicant did after the response is the desk's record of the case, as a dispute is.
REACTION_ACTION = Action.RECORD_DISPUTE


def reaction_context(objection: Objection, user, overrides: dict) -> dict:
    form = None
    if objection.responded_at is not None and can(user, REACTION_ACTION, objection.request):
        form = overrides.get("reaction_form")
        if form is None:
            form = ReactionForm(formdata=None, reaction=objection.reaction,
                                reaction_note=objection.reaction_note or "")
            form.reaction_on.data = (objection.reaction_on or body_today()).isoformat()
    return {"reaction_form": form, "reaction_labels": REACTION_LABELS}


@bp.post("/keberatan/<int:objection_id>/tanggapan-pemohon", endpoint="objection_reaction")
@roles_required(*STAFF_ROLES)
def objection_reaction(objection_id: int):
    objection = objection_or_404(objection_id, REACTION_ACTION)
    form = ReactionForm()
    if not form.validate():
        return _refused(objection, "reaction_form", form)
    try:
        objection_reaction_record(actor=current_user._get_current_object(), objection=objection,
                                  reaction=form.reaction.data or "", reaction_on=getattr(form.reaction_on, "day", None),
                                  note=form.reaction_note.data, today=body_today(), expected_version=_version(form))
        commit()
    except OBJECTION_STALE:
        return _stale(objection, "reaction_form", form)
    except DomainError as error:
        return _refused(objection, "reaction_form", form, error)
    flash(_("Tanggapan pemohon dicatat."), "success")
    return redirect(url_for("objections.objection_page", objection_id=objection.id) + "#tanggapan-pemohon", code=303)
