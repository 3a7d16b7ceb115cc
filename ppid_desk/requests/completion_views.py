"""The applicant completes a request the desk marked incomplete (belum lengkap): the panel on
the applicant's request page and its form. The desk's side is ``desk.intake_views``."""

from __future__ import annotations

from flask import current_app, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..attachments.models import AttachmentPurpose
from ..desk.intake_forms import CompleteForm, form_version
from ..desk.intake_services import request_complete
from ..desk.request_page_views import STALE_ERRORS
from ..errors import DomainError
from ..extensions import db, limiter
from ..web.transaction import commit, rollback
from .blueprint import bp
from .gates import Gate, gate_allows
from .models import InformationRequest
from .views import STAGED_KEY, applicant_request_or_404, document_for_field, render_detail


def _upload_mb() -> int:
    return current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)


def complete_panel(item: InformationRequest, user, overrides: dict) -> dict:
    if not gate_allows(Gate.COMPLETE, item.status):
        return {"complete_shown": False}
    form = overrides.get("complete_form") or CompleteForm(formdata=None)
    form.version.data = str(item.version)
    return {"complete_shown": True, "complete_form": form,
            "complete_document": overrides.get("complete_document"), "complete_upload_mb": _upload_mb()}


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
