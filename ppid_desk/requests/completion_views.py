"""The applicant completes a request the desk marked incomplete (belum lengkap): the panel on
the applicant's request page (what is missing, the completion period's last day, the letter),
its form, the letters as PDF, and what the page says once the request was closed as not
completed (tidak dilengkapi). The desk's side is ``desk.intake_views`` and ``desk.incomplete_views``."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..attachments.models import AttachmentPurpose
from ..audit.personal import GUEST_APPLICANT
from ..desk.incomplete_selectors import (
    closing_letter_of,
    completeness_letter_of,
    completeness_letters_of,
)
from ..desk.incomplete_views import completeness_letter_response
from ..desk.intake_forms import CompleteForm, form_version
from ..desk.intake_services import request_complete
from ..desk.letter_views import official_letter_response
from ..desk.policy import staff_elsewhere
from ..desk.request_page_views import STALE_ERRORS
from ..errors import DomainError
from ..extensions import db, limiter
from ..web.limits import public_page_limit
from ..web.transaction import commit, rollback
from .blueprint import bp
from .gates import Gate, gate_allows
from .letters import official_letter_of
from .lifecycle import request_access_logged
from .models import CompletenessLetterKind, InformationRequest, RequestStatus
from .views import (
    STAGED_KEY,
    applicant_request_or_404,
    document_for_field,
    render_detail,
    visible_request_or_404,
)


def _upload_mb() -> int:
    return current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)


def complete_panel(item: InformationRequest, user, overrides: dict) -> dict:
    if item.status == RequestStatus.NOT_COMPLETED:
        return {"complete_shown": False, "not_completed_letter": closing_letter_of(item)}
    if not gate_allows(Gate.COMPLETE, item.status):
        return {"complete_shown": False}
    form = overrides.get("complete_form") or CompleteForm(formdata=None)
    form.version.data = str(item.version)
    notices = [letter for letter in completeness_letters_of(item) if letter.kind == CompletenessLetterKind.INCOMPLETE]
    return {"complete_shown": True, "complete_form": form, "complete_letter": notices[-1] if notices else None,
            "complete_document": overrides.get("complete_document"), "complete_upload_mb": _upload_mb()}


def _applicant_letter_download(item, letter, *, desk_endpoint: str, kind: str, respond):
    """The applicant downloads one of their letters, logged as theirs; staff are sent to the desk's
    copy (never logged as "downloaded by the applicant")."""
    if letter is None:
        abort(404)
    if staff_elsewhere(current_user, item):
        return redirect(url_for(desk_endpoint, request_id=item.id, letter_id=letter.id), code=303)
    actor = current_user._get_current_object() if current_user.is_authenticated else None
    request_access_logged(actor=actor, actor_label=None if actor else GUEST_APPLICANT, item=item,
                          kind=kind, data={"number": letter.number})
    response = respond(item, letter)
    commit()  # the download is logged only if it is kept
    return response


@bp.get("/permohonan/<int:request_id>/surat-kelengkapan/<int:letter_id>.pdf", endpoint="completeness_letter_pdf")
@public_page_limit
def applicant_completeness_letter_pdf(request_id: int, letter_id: int):
    """The applicant downloads a completeness letter."""
    item = visible_request_or_404(request_id)
    return _applicant_letter_download(item, completeness_letter_of(item, letter_id),
                                      desk_endpoint="desk.completeness_letter_pdf",
                                      kind="completeness_letter_downloaded", respond=completeness_letter_response)


@bp.get("/permohonan/<int:request_id>/surat-resmi/<int:letter_id>.pdf", endpoint="official_letter_pdf")
@public_page_limit
def applicant_official_letter_pdf(request_id: int, letter_id: int):
    """The applicant downloads their extension or withdrawal letter."""
    item = visible_request_or_404(request_id)
    return _applicant_letter_download(item, official_letter_of(item, letter_id),
                                      desk_endpoint="desk.official_letter_pdf",
                                      kind="official_letter_downloaded", respond=official_letter_response)


@bp.post("/permohonan/<int:request_id>/lengkapi")
@limiter.limit(lambda: current_app.config["SUBMIT_RATE_LIMIT"], methods=["POST"])
def complete_request(request_id: int):
    item = applicant_request_or_404(request_id)
    form = CompleteForm()
    valid = form.validate()
    document = document_for_field(form, AttachmentPurpose.COMPLETION, form.completion_document,
                                  form.completion_document_token, required=False)
    if not valid or form.completion_document.errors:
        commit()  # keeps an accepted upload
        return render_detail(item, status=422, complete_form=form, complete_document=document)
    actor = current_user._get_current_object() if current_user.is_authenticated else None
    try:
        request_complete(actor=actor, item=item, text=form.completion_text.data, document=document,
                         expected_version=form_version(form))
        commit()
    except STALE_ERRORS:
        rollback()
        item = db.session.get(InformationRequest, request_id)
        flash(_("Permohonan ini baru saja berubah. Periksa keadaan terbaru; isian Anda masih ada."), "error")
        return render_detail(item, status=409, complete_form=form, complete_document=document)
    except DomainError as error:
        rollback()
        flash(str(error), "error")
        return redirect(url_for("requests.detail", request_id=request_id), code=303)
    session[STAGED_KEY] = []
    flash(_("Terima kasih. Kelengkapan permohonan Anda sudah diterima dan akan diperiksa petugas."), "success")
    return redirect(url_for("requests.detail", request_id=request_id), code=303)
