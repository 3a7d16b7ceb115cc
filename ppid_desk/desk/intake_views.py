"""Desk intake: registration at the desk, the completeness check, internal notes, the request's
documents and identity (every view logged). Views stay thin. The applicant's side of the
completeness check (completing an incomplete request) is ``requests.completion_views``."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..attachments.models import Attachment, AttachmentPurpose
from ..attachments.services import ALLOWED_TYPES, attachment_read
from ..dbtypes import utcnow
from ..errors import DomainError, FieldError
from ..organisation.profile_selectors import body_timezone
from ..requests import views as request_views
from ..requests.models import InformationRequest
from ..requests.services import ApplicantDetails, RequestDetails
from ..web.access import roles_required
from ..web.htmx import render
from ..web.transaction import commit, rollback
from . import labels  # importing it registers the event labels
from .blueprint import bp
from .intake_forms import (
    AcceptForm,
    DeskRequestForm,
    IncompleteForm,
    NoteForm,
    form_version,
)
from .intake_selectors import last_completion, notes_of, personal_documents_of, request_attachment
from .intake_services import (
    attachment_view_record,
    awaiting_completeness_check,
    desk_receipt_check,
    desk_request_register,
    identity_view_record,
    max_receipt_age_days,
    note_add,
    request_accept,
    request_mark_incomplete,
)
from .policy import READ_ALL_ROLES, STAFF_ROLES, Action, can, may_download, sees_applicant
from .request_page_views import (
    STALE_ERRORS,
    desk_request_or_404,
    render_request_page,
    require,
    stale_response,
)


def _officer():
    return current_user._get_current_object()


def _upload_mb() -> int:
    return current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)


def _to_request_page(item: InformationRequest):
    return redirect(url_for("desk.request_page", request_id=item.id), code=303)


def _add_error(field, message: str) -> None:
    field.errors = [*field.errors, message]


# --- desk registration ----------------------------------------------------------------------

def _received_at(form: DeskRequestForm) -> datetime | None:
    """The typed local receipt time in UTC, or None while the date or time is unreadable."""
    day, moment = form.received_local()
    if day is None or moment is None:
        return None
    zone = ZoneInfo(body_timezone())
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def _render_register(form: DeskRequestForm, documents: dict, status: int = 200):
    return render("desk/register.html", block="register_main", status=status, form=form,
                  documents=documents, upload_mb=_upload_mb(), max_age_days=max_receipt_age_days(),
                  timezone=body_timezone())


def _desk_documents(form: DeskRequestForm) -> dict[str, Attachment | None]:
    """Optional at the desk (the officer saw the KTP), staged like the public form's uploads."""
    form.identity_document.label.text = form.identity_document_label()
    return {
        "identity": request_views.document_for_field(form, AttachmentPurpose.IDENTITY_DOCUMENT, form.identity_document,
                                            form.identity_document_token, required=False),
        "attorney": request_views.document_for_field(form, AttachmentPurpose.POWER_OF_ATTORNEY, form.power_of_attorney,
                                            form.power_of_attorney_token, required=False),
    }


@bp.route("/permohonan/baru", methods=["GET", "POST"])
@roles_required(Role.PETUGAS, Role.PPID_UTAMA)
def register_request():
    require(Action.REGISTER)
    form = DeskRequestForm()
    if not form.is_submitted():
        now = utcnow().astimezone(ZoneInfo(body_timezone()))
        form.received_date.data, form.received_time.data = now.strftime("%Y-%m-%d"), now.strftime("%H:%M")
        return _render_register(form, {})
    valid = form.validate()
    documents = _desk_documents(form)
    received_at = _received_at(form)
    if received_at is not None:
        try:
            desk_receipt_check(received_at=received_at)
        except FieldError as error:
            _add_error(getattr(form, error.field), error.message)
            valid = False
    if not valid or form.identity_document.errors or form.power_of_attorney.errors:
        commit()  # keeps accepted uploads, so they are not asked for again
        return _render_register(form, documents, status=422)
    item = desk_request_register(
        actor=_officer(), channel=form.channel.data, received_at=received_at,
        applicant=ApplicantDetails(
            kind=form.applicant_kind.data, name=form.name.data, nik=form.nik.data or None,
            legal_approval_number=form.legal_approval_number.data or None,
            representative_name=form.representative_name.data or None,
            address=form.address.data, occupation=form.occupation.data,
            phone=form.phone.data, email=(form.email.data or "").lower(),
        ),
        details=RequestDetails(rincian=form.rincian.data, tujuan=form.tujuan.data,
                               access_method=form.access_method.data,
                               copy_delivery=form.copy_delivery.data or None, **form.accessibility()),
        documents=[d for d in documents.values() if d is not None],
    )
    commit()
    session[request_views.STAGED_KEY] = []
    flash(_("Permohonan %(number)s terdaftar. Cetak tanda bukti ini dan serahkan kepada pemohon.",
            number=item.number), "success")
    return redirect(url_for("requests.receipt", request_id=item.id), code=303)


# --- completeness check ---------------------------------------------------------------------

def intake_panel(item: InformationRequest, user, overrides: dict) -> dict:
    shown = can(user, Action.CHECK_COMPLETENESS, item) and awaiting_completeness_check(item)
    accept_form = overrides.get("accept_form") or AcceptForm(formdata=None)
    incomplete_form = overrides.get("incomplete_form") or IncompleteForm(formdata=None)
    for form in (accept_form, incomplete_form):
        form.version.data = str(item.version)  # after a stale refusal: act on the fresh state
    unsent = overrides.get("incomplete_form")
    return {
        "intake_shown": shown,
        "accept_form": accept_form,
        "incomplete_form": incomplete_form,
        "intake_completion": last_completion(item) if shown else None,
        "intake_unsent": unsent.missing_items.data if unsent is not None and not shown else None,
    }


def _completeness_action(item: InformationRequest, form, form_name: str, service):
    """Shared shape of the two completeness actions: validate, call, commit; None on success."""
    if not form.validate():
        return render_request_page(item, status=422, **{form_name: form})
    try:
        service()
        commit()
    except STALE_ERRORS:
        return stale_response(item, **{form_name: form})
    except FieldError as error:
        rollback()
        _add_error(getattr(form, error.field), error.message)
        return render_request_page(item, status=422, **{form_name: form})
    except DomainError as error:
        rollback()
        flash(str(error), "error")
        return render_request_page(item, status=409)
    return None


@bp.post("/permohonan/<int:request_id>/terima")
@roles_required(*STAFF_ROLES)
def accept_request(request_id: int):
    item = desk_request_or_404(request_id)
    require(Action.CHECK_COMPLETENESS, item)
    form = AcceptForm()
    refused = _completeness_action(item, form, "accept_form", lambda: request_accept(
        actor=_officer(), item=item, expected_version=form_version(form)))
    if refused is not None:
        return refused
    flash(_("Permohonan diterima sebagai lengkap."), "success")
    return _to_request_page(item)


@bp.post("/permohonan/<int:request_id>/belum-lengkap")
@roles_required(*STAFF_ROLES)
def mark_incomplete(request_id: int):
    item = desk_request_or_404(request_id)
    require(Action.CHECK_COMPLETENESS, item)
    form = IncompleteForm()
    issued = []
    refused = _completeness_action(item, form, "incomplete_form", lambda: issued.append(request_mark_incomplete(
        actor=_officer(), item=item, missing_items=form.missing_items.data, expected_version=form_version(form))))
    if refused is not None:
        return refused
    if item.applicant.email:
        flash(_("Permohonan ditandai belum lengkap. Surat %(number)s dikirim kepada pemohon melalui e-mail.",
                number=issued[0].number), "success")
    else:
        flash(_("Permohonan ditandai belum lengkap. Pemohon tidak mempunyai e-mail: cetak surat %(number)s, "
                "serahkan atau kirimkan, lalu catat penyerahannya.", number=issued[0].number), "success")
    return _to_request_page(item)


# --- internal notes -------------------------------------------------------------------------

def notes_panel(item: InformationRequest, user, overrides: dict) -> dict:
    return {"notes": notes_of(item), "note_form": overrides.get("note_form") or NoteForm(formdata=None)}


@bp.post("/permohonan/<int:request_id>/catatan")
@roles_required(*STAFF_ROLES)
def add_note(request_id: int):
    item = desk_request_or_404(request_id)
    require(Action.NOTE, item)
    form = NoteForm()
    if form.validate():
        try:
            note_add(actor=_officer(), item=item, body=form.note_body.data)
        except FieldError as error:
            rollback()
            _add_error(form.note_body, error.message)
        else:
            commit()
            flash(_("Catatan disimpan."), "success")
            return _to_request_page(item)
    return render_request_page(item, status=422, note_form=form)


# --- documents and identity -----------------------------------------------------------------

def documents_panel(item: InformationRequest, user, overrides: dict) -> dict:
    """What the applicant gave with the request (the objection's papers are on the objection page;
    unit answers and delivered information on the routing and delivery panels). A unit officer
    sees none of it: not who asked, not their papers."""
    if not sees_applicant(user):
        return {"documents_shown": False}
    return {"documents_shown": True, "documents_attachments": personal_documents_of(item),
            "documents_full_nik": overrides.get("documents_full_nik"),
            "documents_full_legal": overrides.get("documents_full_legal"),
            "documents_may_download": lambda document: may_download(user, document, item),
            "documents_purpose_labels": labels.PURPOSE_LABELS, "documents_type_labels": ALLOWED_TYPES}


def _attachment_of(item: InformationRequest, attachment_id: int) -> Attachment:
    """One of the request's files that this officer may see: 404 for anything else (an
    objection's papers are served, to those who see objections, from the objection page)."""
    found = request_attachment(item, attachment_id)
    if found is None:
        abort(404)
    attachment, task_unit_id = found
    # A unit officer sees the files of its own unit's task, not another unit's.
    if task_unit_id is not None and not current_user.has_role(*READ_ALL_ROLES) \
            and task_unit_id != current_user.unit_id:
        abort(404)
    return attachment


@bp.get("/permohonan/<int:request_id>/dokumen/<int:attachment_id>")
@roles_required(*STAFF_ROLES)
def download_attachment(request_id: int, attachment_id: int):
    item = desk_request_or_404(request_id)
    attachment = _attachment_of(item, attachment_id)
    if not may_download(current_user, attachment, item):
        abort(403)
    return document_response(item, attachment)


def document_response(item: InformationRequest, attachment: Attachment):
    """Send one file the caller has cleared, after logging who opened it (every document route)."""
    content = attachment_read(attachment)
    attachment_view_record(actor=_officer(), item=item, attachment=attachment)
    commit()
    response = send_file(BytesIO(content), mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.original_name)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/permohonan/<int:request_id>/nik")
@roles_required(*STAFF_ROLES)
def reveal_identity(request_id: int):
    item = desk_request_or_404(request_id)
    require(Action.VIEW_IDENTITY, item)
    applicant = item.applicant
    if not (applicant.nik or applicant.legal_approval_number):
        flash(_("Pemohon ini tidak mencantumkan NIK."), "error")
        return _to_request_page(item)
    identity_view_record(actor=_officer(), item=item)
    commit()
    # Shown in this answer only: a reload (GET) shows the masked numbers again.
    response = render_request_page(item, block="request_main", documents_full_nik=applicant.nik,
                                   documents_full_legal=applicant.legal_approval_number)
    response.headers["Cache-Control"] = "no-store"
    return response

