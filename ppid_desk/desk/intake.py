"""Desk intake: registration at the desk, the completeness check (and the applicant completing),
internal notes, the request's documents and identity (every view logged). Views stay thin."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, send_file, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_, select

from ..accounts.models import Role
from ..attachments.models import PERSONAL_PURPOSES, Attachment, AttachmentPurpose
from ..attachments.services import ALLOWED_TYPES, attachment_read
from ..audit.personal import unsealed
from ..audit.selectors import events_for
from ..dbtypes import utcnow
from ..errors import DomainError, FieldError
from ..extensions import db, limiter
from ..organisation.profile_selectors import body_timezone
from ..requests import views as request_views
from ..requests.models import InformationRequest, InternalNote, RequestStatus
from ..requests.panels import register_applicant_panel
from ..requests.services import ApplicantDetails, RequestDetails
from ..routing.models import RoutingTask
from ..web.access import roles_required
from ..web.htmx import render
from ..web.transaction import commit, rollback
from . import labels  # importing it registers the event labels
from .intake_forms import (
    AcceptForm,
    CompleteForm,
    DeskRequestForm,
    IncompleteForm,
    NoteForm,
    form_version,
)
from .intake_services import (
    attachment_view_record,
    awaiting_completeness_check,
    desk_receipt_check,
    desk_request_register,
    identity_view_record,
    max_receipt_age_days,
    note_add,
    request_accept,
    request_complete,
    request_mark_incomplete,
)
from .nav import register_nav
from .panels import register_panel
from .policy import READ_ALL_ROLES, STAFF_ROLES, Action, can, may_download, sees_applicant
from .views import (
    STALE_ERRORS,
    bp,
    desk_request_or_404,
    render_request_page,
    require,
    stale_response,
)

register_nav(20, "desk.register_request", _l("Registrasi permohonan"), {Role.PETUGAS, Role.PPID_UTAMA})


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
                               copy_delivery=form.copy_delivery.data or None),
        documents=[d for d in documents.values() if d is not None],
    )
    commit()
    session[request_views.STAGED_KEY] = []
    flash(_("Permohonan %(number)s terdaftar. Cetak tanda bukti ini dan serahkan kepada pemohon.",
            number=item.number), "success")
    return redirect(url_for("requests.receipt", request_id=item.id), code=303)


# --- completeness check ---------------------------------------------------------------------

def _last_completion(item: InformationRequest) -> dict | None:
    """What the applicant sent with the latest completion, while it waits for a new check."""
    if item.status != RequestStatus.REGISTERED or item.accepted_at is not None:
        return None
    completed = [e for e in events_for("request", item.id) if e.kind == "completed"]
    return unsealed(completed[-1].data) if completed else None


def _intake_panel(item: InformationRequest, user, overrides: dict) -> dict:
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
        "intake_completion": _last_completion(item) if shown else None,
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
    refused = _completeness_action(item, form, "incomplete_form", lambda: request_mark_incomplete(
        actor=_officer(), item=item, missing_items=form.missing_items.data, expected_version=form_version(form)))
    if refused is not None:
        return refused
    flash(_("Permohonan ditandai belum lengkap. Pemohon diberi tahu apa yang perlu dilengkapi."), "success")
    return _to_request_page(item)


# --- the applicant completes ----------------------------------------------------------------

def _complete_panel(item: InformationRequest, user, overrides: dict) -> dict:
    if item.status != RequestStatus.INCOMPLETE:
        return {"complete_shown": False}
    form = overrides.get("complete_form") or CompleteForm(formdata=None)
    form.version.data = str(item.version)
    return {"complete_shown": True, "complete_form": form,
            "complete_document": overrides.get("complete_document"), "complete_upload_mb": _upload_mb()}


@request_views.bp.post("/permohonan/<int:request_id>/lengkapi")
@limiter.limit(lambda: current_app.config["SUBMIT_RATE_LIMIT"], methods=["POST"])
def complete_request(request_id: int):
    item = request_views.applicant_request_or_404(request_id)
    form = CompleteForm()
    valid = form.validate()
    document = request_views.document_for_field(form, AttachmentPurpose.COMPLETION, form.completion_document,
                                       form.completion_document_token, required=False)
    if not valid or form.completion_document.errors:
        commit()  # keeps an accepted upload
        return request_views.render_detail(item, status=422, complete_form=form, complete_document=document)
    actor = current_user._get_current_object() if current_user.is_authenticated else None
    try:
        request_complete(actor=actor, item=item, text=form.completion_text.data, document=document,
                         expected_version=form_version(form))
        commit()
    except STALE_ERRORS:
        rollback()
        item = db.session.get(InformationRequest, request_id)
        flash(_("Permohonan ini baru saja berubah. Periksa keadaan terbaru; isian Anda masih ada."), "error")
        return request_views.render_detail(item, status=409, complete_form=form, complete_document=document)
    except DomainError as error:
        rollback()
        flash(str(error), "error")
        return redirect(url_for("requests.detail", request_id=request_id), code=303)
    session[request_views.STAGED_KEY] = []
    flash(_("Terima kasih. Kelengkapan permohonan Anda sudah diterima dan akan diperiksa petugas."), "success")
    return redirect(url_for("requests.detail", request_id=request_id), code=303)


# --- internal notes -------------------------------------------------------------------------

def _notes_panel(item: InformationRequest, user, overrides: dict) -> dict:
    notes = db.session.scalars(select(InternalNote).where(InternalNote.request_id == item.id)
                               .order_by(InternalNote.created_at, InternalNote.id))
    return {"notes": list(notes), "note_form": overrides.get("note_form") or NoteForm(formdata=None)}


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

def _documents_panel(item: InformationRequest, user, overrides: dict) -> dict:
    """What the applicant gave with the request (the objection's papers are on the objection page;
    unit answers and delivered information on the routing and delivery panels). A unit officer
    sees none of it: not who asked, not their papers."""
    if not sees_applicant(user):
        return {"documents_shown": False}
    attachments = db.session.scalars(
        select(Attachment).where(Attachment.request_id == item.id, Attachment.objection_id.is_(None),
                                 Attachment.purpose.in_(PERSONAL_PURPOSES))
        .order_by(Attachment.created_at, Attachment.id))
    return {"documents_shown": True, "documents_attachments": list(attachments),
            "documents_full_nik": overrides.get("documents_full_nik"),
            "documents_full_legal": overrides.get("documents_full_legal"),
            "documents_may_download": lambda document: may_download(user, document, item),
            "documents_purpose_labels": labels.PURPOSE_LABELS, "documents_type_labels": ALLOWED_TYPES}


def _attachment_of(item: InformationRequest, attachment_id: int) -> Attachment:
    """One of the request's files that this officer may see: 404 for anything else (an
    objection's papers are served, to those who see objections, from the objection page)."""
    found = db.session.execute(
        select(Attachment, RoutingTask.unit_id)
        .outerjoin(RoutingTask, RoutingTask.id == Attachment.task_id)
        .where(Attachment.id == attachment_id, Attachment.objection_id.is_(None),
               or_(Attachment.request_id == item.id, RoutingTask.request_id == item.id))
    ).first()
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


register_panel(10, "desk/_intake_panel.html", _intake_panel)
register_panel(20, "desk/_documents_panel.html", _documents_panel)
register_panel(90, "desk/_notes_panel.html", _notes_panel)
register_applicant_panel(10, "requests/_complete_panel.html", _complete_panel)
