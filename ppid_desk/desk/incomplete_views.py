"""The desk's side of an incomplete request's letters: the panel on the request page (the letters,
the completion period and why its last day is that day, the hand-over record), the letters as
PDF, and the close as not completed (tidak dilengkapi) once the period has passed. Thin views."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError, ValidationFailed
from ..requests.letter_forms import HANDOVER_LABELS, LetterHandoverForm
from ..requests.models import CompletenessLetter, InformationRequest, RequestStatus
from ..web.access import roles_required
from ..web.forms import errors_onto_form
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today, working_calendar
from .blueprint import bp
from .incomplete_forms import CloseNotCompletedForm
from .incomplete_pdf import completeness_letter_pdf
from .incomplete_selectors import (
    completeness_letter_of,
    completeness_letter_text,
    completeness_letters_of,
)
from .incomplete_services import (
    closable_from,
    completeness_letter_handover,
    request_close_not_completed,
)
from .intake_forms import form_version
from .letter_views import handover_submitted, letter_pdf_download
from .policy import STAFF_ROLES, Action, can, sees_applicant
from .request_page_views import (
    STALE_ERRORS,
    desk_request_or_404,
    render_request_page,
    require,
    stale_response,
)


def _officer():
    return current_user._get_current_object()


def completion_explanation(letters: list[CompletenessLetter], calendar=None):
    """The day-by-day count of the latest incomplete-notice letter's completion period."""
    from ..requests.models import CompletenessLetterKind

    notices = [letter for letter in letters if letter.kind == CompletenessLetterKind.INCOMPLETE]
    if not notices:
        return None
    latest = notices[-1]
    return (calendar or working_calendar()).explain(latest.issued_on, latest.completion_wd, stored=latest.completion_due)


def handover_prefix(letter_id: int) -> str:
    """Each letter's hand-over form has its own field names (several on one page)."""
    return f"letter{letter_id}"


def letters_panel(item: InformationRequest, user, overrides: dict) -> dict:
    """The letters of the completeness check (a unit officer sees none: they name the applicant)."""
    if not sees_applicant(user):
        return {"letters_shown": False}
    letters = completeness_letters_of(item)
    if not letters:
        return {"letters_shown": False}
    acting = can(user, Action.CHECK_COMPLETENESS, item)
    failed = overrides.get("handover_letter_id")
    forms, staged = {}, {}
    for letter in letters:
        form = overrides.get("handover_form") if failed == letter.id else None
        forms[letter.id] = form or LetterHandoverForm(formdata=None, prefix=handover_prefix(letter.id))
        staged[letter.id] = overrides.get("handover_proof") if failed == letter.id else None
    not_completed_form = overrides.get("not_completed_form") or CloseNotCompletedForm(formdata=None)
    not_completed_form.version.data = str(item.version)
    today = body_today()
    waiting = item.status == RequestStatus.INCOMPLETE and item.completion_due is not None
    return {
        "letters_shown": True, "letters": letters, "letters_acting": acting, "handover_forms": forms, "handover_staged": staged,
        "handover_labels": HANDOVER_LABELS, "not_completed_form": not_completed_form,
        "close_shown": acting and waiting,
        "close_allowed": waiting and today > item.completion_due,
        "close_from": closable_from(item) if waiting else None,
        "completion_explanation": completion_explanation(letters),
    }


def _letter_or_404(item: InformationRequest, letter_id: int) -> CompletenessLetter:
    letter = completeness_letter_of(item, letter_id)
    if letter is None:
        abort(404)
    return letter


def completeness_letter_response(item: InformationRequest, letter: CompletenessLetter):
    """The letter as a PDF download (the caller checked access and logs what it must)."""
    return letter_pdf_download(completeness_letter_pdf(completeness_letter_text(item, letter)), letter.number)


@bp.get("/permohonan/<int:request_id>/surat-kelengkapan/<int:letter_id>.pdf", endpoint="completeness_letter_pdf")
@roles_required(*STAFF_ROLES)
def completeness_letter_pdf_view(request_id: int, letter_id: int):
    item = desk_request_or_404(request_id)
    if not sees_applicant(current_user):  # the letter names the applicant
        abort(403)
    letter = _letter_or_404(item, letter_id)
    response = completeness_letter_response(item, letter)
    commit()  # a calendar year imported on first need is kept
    return response


@bp.post("/permohonan/<int:request_id>/surat-kelengkapan/<int:letter_id>/penyerahan",
         endpoint="completeness_letter_handover")
@roles_required(*STAFF_ROLES)
def completeness_letter_handover_view(request_id: int, letter_id: int):
    item = desk_request_or_404(request_id)
    require(Action.CHECK_COMPLETENESS, item)
    letter = _letter_or_404(item, letter_id)
    form, proof, good = handover_submitted(handover_prefix(letter.id))
    if good:
        try:
            completeness_letter_handover(actor=_officer(), item=item, letter=letter, method=form.method.data,
                                         received_on=getattr(form.received_on, "day", None), proof=proof)
        except ValidationFailed as error:
            rollback()
            errors_onto_form(form, error)
        else:
            commit()
            flash(_("Penyerahan surat %(number)s dicatat.", number=letter.number), "success")
            return redirect(url_for("desk.request_page", request_id=item.id), code=303)
    commit()  # keeps an accepted proof, so it is not asked for again; nothing else changed
    return render_request_page(desk_request_or_404(item.id), status=422, handover_form=form,
                               handover_letter_id=letter.id, handover_proof=proof)


@bp.post("/permohonan/<int:request_id>/tutup-tidak-dilengkapi")
@roles_required(*STAFF_ROLES)
def close_not_completed(request_id: int):
    item = desk_request_or_404(request_id)
    require(Action.CHECK_COMPLETENESS, item)
    form = CloseNotCompletedForm()
    if not form.validate():
        return render_request_page(item, status=422, not_completed_form=form)
    try:
        letter = request_close_not_completed(actor=_officer(), item=item, expected_version=form_version(form))
        commit()
    except STALE_ERRORS:
        return stale_response(item, not_completed_form=form)
    except DomainError as error:
        rollback()
        flash(str(error), "error")
        return render_request_page(desk_request_or_404(request_id), status=409)
    flash(_("Permohonan %(number)s ditutup karena tidak dilengkapi. Surat penutupan %(letter)s terbit; cetak dan "
            "serahkan bila pemohon tidak mempunyai e-mail.", number=item.number, letter=letter.number), "success")
    return redirect(url_for("desk.request_page", request_id=item.id), code=303)
