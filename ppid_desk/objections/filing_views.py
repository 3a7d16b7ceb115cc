"""Filing an objection: the applicant's form and receipt, the desk's paper entry and receipt,
and the objection sections of both request pages. Thin: check → parse → service → commit.

The applicant's pages hang on the ``requests`` blueprint (``requests_bp``), the desk's on this
domain's (``bp``, ``objections.*`` endpoints)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..attachments.models import AttachmentPurpose
from ..attachments.services import ALLOWED_TYPES
from ..dbtypes import utcnow
from ..desk import labels as desk_labels
from ..desk.intake_services import desk_receipt_check, max_receipt_age_days
from ..desk.intake_views import document_response
from ..desk.policy import STAFF_ROLES, Action, can, may_download, staff_elsewhere
from ..desk.request_page_views import desk_request_or_404
from ..errors import FieldError
from ..extensions import db, limiter
from ..organisation.profile_selectors import body_timezone
from ..requests import views as request_views
from ..requests.models import InformationRequest
from ..web.access import roles_required
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today, clock_rules, working_calendar
from . import labels as objection_labels
from .blueprint import bp
from .filing_forms import DeskObjectionForm, ObjectionForm
from .filing_selectors import (
    FOUND_MISSING_NOT_STATED,
    FROM_FILING,
    ObjectionGrounds,
    governing_window,
    ground_windows,
    objection_document_of,
    objection_documents,
    objection_grounds,
    objections_of,
    open_objection_of,
    stored_windows,
    suggested_grounds,
)
from .filing_services import ObjectionStillOpen, objection_file
from .models import Objection, ObjectionStatus

requests_bp = request_views.bp  # the applicant's pages live with their request pages


def _user():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _upload_mb() -> int:
    return current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)


def _add_error(field, message: str) -> None:
    field.errors = [*field.errors, message]


def may_see_objections(user, item: InformationRequest) -> bool:
    return can(user, Action.VIEW_OBJECTION, item) or can(user, Action.REGISTER_OBJECTION, item)


def _window_context(item: InformationRequest) -> dict:
    """Each ground's filing window as of today (the form shows it beside the ground), and the
    grounds the record shows have arisen, with the day-by-day count of the one that closes last."""
    calendar, today = working_calendar(), body_today()
    windows = ground_windows(item, on=today, calendar=calendar)
    arisen = {g: w for g, w in windows.items() if w.basis not in (FROM_FILING, FOUND_MISSING_NOT_STATED)}
    latest = governing_window({g: w for g, w in arisen.items() if w.known}, today)
    if not arisen:  # no ground on record: an objection filed today counts from today
        latest = governing_window({g: w for g, w in windows.items() if w.basis == FROM_FILING}, today)
    return {
        "ground_windows_now": windows, "window_today": today, "arisen_windows": arisen,
        "objection_window": latest,
        "objection_window_explanation": calendar.explain(latest.ground_date, clock_rules().objection_filing_wd,
                                                         stored=latest.filing_due)
        if latest.ground_date else None,
    }


# --- sections of the request pages ----------------------------------------------------------

def applicant_panel(item: InformationRequest, user, overrides: dict) -> dict:
    grounds = objection_grounds(item, body_today())
    return {
        "objections": objections_of(item),
        "objection_open": open_objection_of(item),
        "objection_grounds": grounds,
        "objection_refused_reason": None if grounds.may_object else _no_ground_message(grounds),
        "objection_labels": objection_labels,
        **_window_context(item),
    }


def desk_panel(item: InformationRequest, user, overrides: dict) -> dict:
    if not may_see_objections(user, item):
        return {"objection_panel_shown": False}
    return {
        "objection_panel_shown": True,
        "desk_objections": objections_of(item),
        "objection_labels": objection_labels,
        "objection_page_endpoint": "objections.objection_page" in current_app.view_functions,
        "objection_can_register": can(user, Action.REGISTER_OBJECTION, item) and open_objection_of(item) is None,
    }


def desk_panel_acting(context: dict) -> bool:
    """The request page's objection panel is an action while an objection waits for its answer
    (the next step is on its page) or this officer can record one received on paper."""
    return bool(context.get("objection_can_register")) or any(
        objection.status == ObjectionStatus.REGISTERED for objection in context.get("desk_objections", ()))


# --- the applicant files online -------------------------------------------------------------

def _documents(form: ObjectionForm, *, required_attorney: bool) -> dict:
    return {"attorney": request_views.document_for_field(
        form, AttachmentPurpose.OBJECTION_ATTORNEY, form.power_of_attorney, form.power_of_attorney_token,
        required=required_attorney)}


def _render_new(item: InformationRequest, form: ObjectionForm, documents: dict, status: int = 200):
    return render("objections/new.html", block="objection_form_main", status=status, item=item, form=form,
                  documents=documents, upload_mb=_upload_mb(), objection_labels=objection_labels,
                  rules=clock_rules(), **_window_context(item))


def _refuse_open(item: InformationRequest, error: ObjectionStillOpen, url: str):
    flash(str(error), "error")
    return redirect(url, code=303)


def _answered_message(grounds: ObjectionGrounds, letters) -> str:
    """Why these grounds are not heard again: the objection(s) that answered them."""
    numbers = sorted({grounds.answered[g].number for g in letters})
    return _("Keberatan dengan alasan huruf %(letters)s sudah ditanggapi Atasan PPID (keberatan %(numbers)s) dan "
             "tidak dapat diajukan lagi dengan alasan yang sama. Jika Anda tidak puas dengan tanggapan itu, Anda "
             "dapat mengajukan sengketa informasi ke Komisi Informasi.",
             letters=", ".join(sorted(letters)), numbers=", ".join(numbers))


def _no_ground_message(grounds: ObjectionGrounds) -> str:
    """Why the applicant cannot object (yet): no ground on record, or each one already answered."""
    if grounds.on_record:
        return _answered_message(grounds, grounds.on_record)
    return _("Keberatan belum dapat diajukan: catatan permohonan ini belum menunjukkan alasan keberatan (UU KIP "
             "Pasal 35 ayat (1)). Keberatan dapat diajukan jika pemberitahuan tertulis tidak dikirim sampai "
             "batas waktunya, permohonan ditolak, dikenai biaya, informasi tidak diberikan sebagaimana diminta "
             "atau terlambat diberikan.")


@requests_bp.route("/permohonan/<int:request_id>/keberatan", methods=["GET", "POST"])
@public_page_limit
@limiter.limit(lambda: current_app.config["SUBMIT_RATE_LIMIT"], methods=["POST"])
def file_objection(request_id: int):
    item = request_views.applicant_request_or_404(request_id)
    detail_url = url_for("requests.detail", request_id=item.id)
    current = open_objection_of(item)
    if current is not None:
        return _refuse_open(item, ObjectionStillOpen(current), detail_url)
    grounds = objection_grounds(item, body_today())
    if not grounds.may_object:  # the button is not offered; a typed URL or an old tab gets the reason
        flash(_no_ground_message(grounds), "error")
        return redirect(detail_url, code=303)
    form = ObjectionForm()
    if not form.is_submitted():
        form.grounds.data = sorted(suggested_grounds(item, body_today()) - set(grounds.answered))
        form.intended_use.data = item.tujuan
        return _render_new(item, form, {})
    valid = form.validate()
    repeated = set(form.grounds.data or []) & set(grounds.answered)
    if repeated:
        _add_error(form.grounds, _answered_message(grounds, repeated))
        valid = False
    documents = _documents(form, required_attorney=form.needs_power_of_attorney())
    if not valid or form.power_of_attorney.errors:
        commit()  # keeps an accepted upload, so it is not asked for again
        return _render_new(item, form, documents, status=422)
    try:
        objection = _file(item, form, documents, channel="online", filed_at=utcnow(), actor=_user())
    except FieldError as error:
        rollback()
        _add_error(getattr(form, error.field), error.message)
        return _render_new(item, form, documents, status=422)
    except ObjectionStillOpen as error:
        rollback()
        return _refuse_open(item, error, detail_url)
    flash(_("Keberatan Anda terdaftar dengan nomor %(number)s.", number=objection.number), "success")
    return redirect(url_for("requests.objection_receipt", request_id=item.id, objection_id=objection.id), code=303)


def _file(item: InformationRequest, form: ObjectionForm, documents: dict, *, channel: str, filed_at: datetime,
          actor) -> Objection:
    attorney = documents.get("attorney") if form.needs_power_of_attorney() else None
    objection = objection_file(
        actor=actor, request=item, grounds=list(form.grounds.data or []), case_summary=form.case_summary.data,
        intended_use=form.intended_use.data, representative_name=form.representative_name.data or None,
        representative_address=form.representative_address.data, representative_contact=form.representative_contact.data,
        documents=[d for d in (attorney, documents.get("paper")) if d is not None],
        filed_at=filed_at, channel=channel, periodic_found_on=getattr(form.periodic_found_on, "day", None))
    commit()
    session[request_views.STAGED_KEY] = []
    return objection


def _objection_of(item: InformationRequest, objection_id: int) -> Objection:
    objection = db.session.get(Objection, objection_id)
    if objection is None or objection.request_id != item.id:
        abort(404)
    return objection


def _render_receipt(item: InformationRequest, objection: Objection, *, desk: bool):
    calendar = working_calendar()
    rules = clock_rules()
    context = {
        "item": item, "objection": objection, "rules": rules, "desk": desk,
        "objection_labels": objection_labels, "ground_windows": stored_windows(objection),
        "window_today": objection.filed_date,
        "response_explanation": calendar.explain(objection.filed_date, rules.objection_response_wd,
                                                  stored=objection.response_due),
    }
    commit()  # a calendar year imported on first need is kept
    return render("objections/receipt.html", block="objection_receipt_main", **context)


@requests_bp.get("/permohonan/<int:request_id>/keberatan/<int:objection_id>")
@public_page_limit
def objection_receipt(request_id: int, objection_id: int):
    item = request_views.visible_request_or_404(request_id)
    objection = _objection_of(item, objection_id)
    if staff_elsewhere(current_user, item):  # staff use the desk's receipt
        return redirect(url_for("objections.objection_receipt", objection_id=objection.id), code=303)
    return _render_receipt(item, objection, desk=False)


# --- the desk registers an objection received on paper --------------------------------------

def _received_at(form: DeskObjectionForm) -> datetime | None:
    day, moment = form.received_local()
    if day is None or moment is None:
        return None
    return datetime.combine(day, moment, tzinfo=ZoneInfo(body_timezone())).astimezone(UTC)


def _render_desk_new(item: InformationRequest, form: DeskObjectionForm, documents: dict, status: int = 200):
    return render("objections/desk_new.html", block="desk_objection_main", status=status, item=item, form=form,
                  documents=documents, upload_mb=_upload_mb(), max_age_days=max_receipt_age_days(),
                  timezone=body_timezone(), objection_labels=objection_labels,
                  rules=clock_rules(), **_window_context(item))


@bp.route("/permohonan/<int:request_id>/keberatan/baru", methods=["GET", "POST"])
@roles_required(Role.PETUGAS, Role.PPID_UTAMA)
def register_objection(request_id: int):
    item = desk_request_or_404(request_id)
    if not can(current_user, Action.REGISTER_OBJECTION, item):
        abort(403)
    page_url = url_for("desk.request_page", request_id=item.id)
    current = open_objection_of(item)
    if current is not None:
        return _refuse_open(item, ObjectionStillOpen(current), page_url)
    form = DeskObjectionForm()
    if not form.is_submitted():
        now = utcnow().astimezone(ZoneInfo(body_timezone()))
        form.received_date.data, form.received_time.data = now.strftime("%Y-%m-%d"), now.strftime("%H:%M")
        form.grounds.data = sorted(suggested_grounds(item, body_today()))
        form.intended_use.data = item.tujuan
        return _render_desk_new(item, form, {})
    valid = form.validate()
    documents = _documents(form, required_attorney=form.needs_power_of_attorney())
    documents["paper"] = request_views.document_for_field(
        form, AttachmentPurpose.OBJECTION_DOCUMENT, form.paper_document, form.paper_document_token, required=False)
    received_at = _received_at(form)
    if received_at is not None:
        try:
            desk_receipt_check(received_at=received_at)
        except FieldError as error:
            _add_error(getattr(form, error.field), error.message)
            valid = False
    if not valid or form.power_of_attorney.errors or form.paper_document.errors:
        commit()
        return _render_desk_new(item, form, documents, status=422)
    try:
        objection = _file(item, form, documents, channel=form.channel.data, filed_at=received_at,
                          actor=current_user._get_current_object())
    except FieldError as error:
        rollback()
        _add_error(getattr(form, error.field), error.message)
        return _render_desk_new(item, form, documents, status=422)
    except ObjectionStillOpen as error:
        rollback()
        return _refuse_open(item, error, page_url)
    flash(_("Keberatan %(number)s tercatat. Cetak tanda terima ini dan serahkan atau kirimkan kepada pemohon.",
            number=objection.number), "success")
    return redirect(url_for("objections.objection_receipt", objection_id=objection.id), code=303)


@bp.get("/keberatan/<int:objection_id>/tanda-terima", endpoint="objection_receipt")
@roles_required(*STAFF_ROLES)
def objection_receipt_desk(objection_id: int):
    objection = db.session.get(Objection, objection_id)
    if objection is None:
        abort(404)
    item = desk_request_or_404(objection.request_id)
    if not may_see_objections(current_user, item):
        abort(404)  # others see nothing of objections
    return _render_receipt(item, objection, desk=True)


# --- the papers filed with an objection (power of attorney, the letter received on paper) ------

def documents_context(objection: Objection, user, overrides: dict) -> dict:
    item = objection.request
    return {"objection_documents": objection_documents(objection),
            "objection_document_may_download": lambda document: may_download(user, document, item),
            "objection_purpose_labels": desk_labels.PURPOSE_LABELS, "objection_type_labels": ALLOWED_TYPES}


@bp.get("/keberatan/<int:objection_id>/dokumen/<int:attachment_id>", endpoint="objection_document")
@roles_required(*STAFF_ROLES)
def objection_document(objection_id: int, attachment_id: int):
    """One paper of the objection: for officers who see objections and may see the identity
    (they may carry it), every download logged on the request."""
    objection = db.session.get(Objection, objection_id)
    if objection is None:
        abort(404)
    item = desk_request_or_404(objection.request_id)
    if not may_see_objections(current_user, item):
        abort(404)  # others see nothing of objections
    attachment = objection_document_of(objection, attachment_id)
    if attachment is None:
        abort(404)
    if not may_download(current_user, attachment, item):
        abort(403)
    return document_response(item, attachment)
