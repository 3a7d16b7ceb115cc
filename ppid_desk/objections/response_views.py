"""The Atasan PPID's desk: the objection queue, the objection page, PPID Utama's account, the
written response and its letter, the release order on the request page, and what the
applicant sees of the response. Thin: access → parse → service → commit → 303.

The desk's pages hang on this domain's blueprint (``objections.*``), the applicant's download of
the response on the ``requests`` blueprint (``public.bp``)."""

from __future__ import annotations

import io
import re

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..attachments.models import AttachmentPurpose
from ..audit.personal import GUEST_APPLICANT
from ..audit.selectors import events_for
from ..desk.policy import ACTION_ROLES, STAFF_ROLES, Action, can, sees_applicant, staff_elsewhere
from ..desk.queue_views import page_window
from ..desk.request_page_views import STALE_ERRORS, desk_request_or_404, require, stale_response
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..notices.labels import SENT_VIA_LABELS
from ..notices.services import default_sent_via, letter_receipt_problems
from ..requests import views as public
from ..requests.lifecycle import request_access_logged
from ..requests.models import InformationRequest
from ..sla import read_clock
from ..web.access import roles_required
from ..web.formatting import long_date
from ..web.forms import errors_onto_form, page_arg, parse_int
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.registry import (
    OBJECTION_PANELS,
    panels_context,
)
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today, clock_rules, local_date, working_calendar
from . import labels as objection_labels
from . import response_labels
from .blueprint import bp
from .filing_selectors import stored_windows
from .models import SETTLEABLE_GROUNDS, Objection, ObjectionDecision
from .response_forms import (
    AccountForm,
    ObjectionFilterForm,
    ReleaseForm,
    ResponseForm,
    ResponseReceiptForm,
)
from .response_pdf import inadmissibility_rows, response_letter, response_pdf
from .response_selectors import (
    answered_objections,
    objection_clock,
    objection_queue_page,
    release_order_of,
)
from .response_services import (
    StaleObjection,
    objection_account_record,
    objection_respond,
    release_complied,
    response_awaiting_receipt,
    response_receipt_record,
)

OBJECTION_STALE = (StaleObjection, StaleDataError)


def _me():
    return current_user._get_current_object()


def _due_soon_wd() -> int:
    return current_app.config["DUE_SOON_WD"]


def _version(form) -> int | None:
    return parse_int(form.version.data, low=0)


def objection_or_404(objection_id: int, action: Action = Action.VIEW_OBJECTION) -> Objection:
    """The objection if this officer may see it (404 if absent), then the action (403)."""
    objection = db.session.get(Objection, objection_id)
    if objection is None:
        abort(404)
    require(Action.VIEW_OBJECTION, objection.request)
    if action is not Action.VIEW_OBJECTION:
        require(action, objection.request)
    return objection


# --- the queue --------------------------------------------------------------------------------

@bp.get("/keberatan", endpoint="objection_queue")
@roles_required(*ACTION_ROLES[Action.VIEW_OBJECTION])
def objection_queue():
    form = ObjectionFilterForm(request.args, due_soon_wd=_due_soon_wd())
    filters, ignored = form.filters()
    page_number = page_arg(request.args) or 1
    calendar, today = working_calendar(), body_today()
    result = objection_queue_page(filters, page=page_number, today=today, calendar=calendar,
                                  due_soon_wd=_due_soon_wd())
    clocks = {o.id: objection_clock(o, calendar, today, _due_soon_wd()) for o in result.items}
    args = form.args()

    def page_url(page: int) -> str:
        return url_for("objections.objection_queue", **args, **({"halaman": page} if page > 1 else {}))

    response = render(
        "objections/queue.html", block="objection_rows", form=form, filters=filters, ignored=ignored,
        result=result, clocks=clocks, total_text=format_number(result.total), page_url=page_url,
        page_window=page_window(result.page, result.pages), queue_url=url_for("objections.objection_queue"),
        ol=response_labels)
    return response


# --- the objection page -----------------------------------------------------------------------

def render_objection_page(objection: Objection, *, status: int = 200, block: str | None = None, **overrides):
    calendar, rules = working_calendar(), clock_rules()
    context = {
        "objection": objection, "item": objection.request, "ol": response_labels,
        "objection_labels": objection_labels, "ground_windows": stored_windows(objection),
        "window_today": objection.filed_date,
        "clock": objection_clock(objection, calendar, body_today(), _due_soon_wd()),
        "explanation": calendar.explain(objection.filed_date, rules.objection_response_wd, stored=objection.response_due),
        "rules": rules, "events": events_for("objection", objection.id), "panels": OBJECTION_PANELS,
        "can": lambda action: can(current_user, Action(action), objection.request),
    }
    context.update(panels_context(OBJECTION_PANELS, objection, current_user, overrides))
    return render("objections/page.html", block=block, status=status, **context)


@bp.get("/keberatan/<int:objection_id>", endpoint="objection_page")
@roles_required(*STAFF_ROLES)
def objection_page(objection_id: int):
    return render_objection_page(objection_or_404(objection_id), block="objection_main")


def account_context(objection: Objection, user, overrides: dict) -> dict:
    form = None
    if objection.is_open and can(user, Action.OBJECTION_ACCOUNT, objection.request):
        form = overrides.get("account_form") or AccountForm(formdata=None, text=objection.ppid_account or "")
    return {"account_form": form}


def response_context(objection: Objection, user, overrides: dict) -> dict:
    form = None
    settleable = set(objection.grounds) <= SETTLEABLE_GROUNDS
    if objection.is_open and can(user, Action.RESPOND_OBJECTION, objection.request):
        form = overrides.get("response_form") or ResponseForm(
            formdata=None, settleable=settleable, late=objection.late, sent_via=default_sent_via(objection.request))
    receipt_form = None
    if response_awaiting_receipt(objection) and can(user, Action.RECORD_RESPONSE_RECEIPT, objection.request):
        receipt_form = overrides.get("response_receipt_form") or ResponseReceiptForm(formdata=None)
    return {"response_form": form, "response_settleable": settleable, "response_receipt_form": receipt_form,
            "sent_via_labels": SENT_VIA_LABELS, "inadmissibility_rows": inadmissibility_rows(objection)}


def _refused(objection: Objection, form_name: str, form, error: DomainError | None = None):
    rollback()
    if error is not None:
        errors_onto_form(form, error)
    objection = db.session.get(Objection, objection.id)
    return render_objection_page(objection, status=422, **{form_name: form})


def _stale(objection: Objection, form_name: str, form):
    rollback()
    objection = db.session.get(Objection, objection.id)
    flash(_("Keberatan ini baru saja diubah oleh petugas lain. Periksa keadaan terbaru di bawah; "
            "isian Anda masih ada dan dapat dikirim ulang."), "error")
    return render_objection_page(objection, status=409, **{form_name: form})


def _back(objection: Objection, message: str):
    flash(message, "success")
    return redirect(url_for("objections.objection_page", objection_id=objection.id), code=303)


@bp.post("/keberatan/<int:objection_id>/tanggapan-ppid", endpoint="objection_account")
@roles_required(*STAFF_ROLES)
def objection_account(objection_id: int):
    objection = objection_or_404(objection_id, Action.OBJECTION_ACCOUNT)
    form = AccountForm()
    if not form.validate():
        return _refused(objection, "account_form", form)
    try:
        objection_account_record(actor=_me(), objection=objection, text=form.text.data or "",
                                 expected_version=_version(form))
        commit()
    except OBJECTION_STALE:
        return _stale(objection, "account_form", form)
    except DomainError as error:
        return _refused(objection, "account_form", form, error)
    return _back(objection, _("Tanggapan PPID atas keberatan dicatat."))


@bp.post("/keberatan/<int:objection_id>/tanggapan", endpoint="objection_respond")
@roles_required(*STAFF_ROLES)
def objection_respond_view(objection_id: int):
    objection = objection_or_404(objection_id, Action.RESPOND_OBJECTION)
    form = ResponseForm(settleable=set(objection.grounds) <= SETTLEABLE_GROUNDS, late=objection.late)
    if not form.validate():
        return _refused(objection, "response_form", form)
    try:
        objection_respond(actor=_me(), objection=objection, decision=form.decision.data or "",
                          reasons=form.reasons.data, release_by=getattr(form.release_by, "day", None),
                          settlement=form.settlement.data, sent_via=form.sent_via.data or None,
                          inadmissible_basis=form.inadmissible_basis.data or (),
                          not_applicant_reason=form.not_applicant_reason.data, expected_version=_version(form))
        commit()
    except OBJECTION_STALE:
        return _stale(objection, "response_form", form)
    except DomainError as error:
        return _refused(objection, "response_form", form, error)
    if objection.decision == ObjectionDecision.INADMISSIBLE:
        return _back(objection, _("Keputusan %(number)s terbit: keberatan tidak dapat diterima.",
                                  number=objection.response_number))
    return _back(objection, _("Tanggapan %(number)s terbit dan dikirim kepada pemohon.",
                              number=objection.response_number))


@bp.post("/keberatan/<int:objection_id>/tanggapan/diterima", endpoint="response_receipt")
@roles_required(*STAFF_ROLES)
def response_receipt_view(objection_id: int):
    """The day the response sent by post or courier reached the applicant, with the proof."""
    objection = objection_or_404(objection_id, Action.RECORD_RESPONSE_RECEIPT)
    form = ResponseReceiptForm()
    valid = form.validate()
    proof = public.document_for_field(form, AttachmentPurpose.LETTER_RECEIPT, form.proof, form.proof_token,
                                      required=True)
    if valid and not form.proof.errors and response_awaiting_receipt(objection):
        problems = letter_receipt_problems(received_on=getattr(form.received_on, "day", None), proof=proof,
                                           request_id=objection.request_id,
                                           issued_on=local_date(objection.responded_at), today=body_today())
        errors_onto_form(form, ValidationFailed({k: v for k, v in problems.items() if not getattr(form, k).errors}))
        valid = not problems
    if not valid or form.proof.errors:
        commit()  # keeps an accepted proof, so it is not asked for again; nothing else changed
        return render_objection_page(db.session.get(Objection, objection.id), status=422,
                                     response_receipt_form=form)
    try:
        response_receipt_record(actor=_me(), objection=objection, received_on=getattr(form.received_on, "day", None),
                                proof=proof, expected_version=_version(form))
        commit()
    except OBJECTION_STALE:
        return _stale(objection, "response_receipt_form", form)
    except DomainError as error:
        return _refused(objection, "response_receipt_form", form, error)
    return _back(objection, _("Tanggal tanggapan diterima pemohon dicatat: %(date)s.",
                              date=long_date(objection.response_received_on)))


# --- the letter -------------------------------------------------------------------------------

def _answered_or_404(objection: Objection) -> Objection:
    if not objection.response_number:
        abort(404)
    return objection


def _pdf(objection: Objection):
    content = response_pdf(response_letter(objection))
    commit()
    prefix = "keputusan-keberatan-" if objection.decision == ObjectionDecision.INADMISSIBLE else "tanggapan-keberatan-"
    name = prefix + re.sub(r"[^A-Za-z0-9]+", "-", objection.response_number).strip("-") + ".pdf"
    response = send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/keberatan/<int:objection_id>/tanggapan", endpoint="objection_letter")
@roles_required(*STAFF_ROLES)
def objection_letter(objection_id: int):
    objection = _answered_or_404(objection_or_404(objection_id))
    letter = response_letter(objection)
    return render("objections/letter.html", block="letter", objection=objection, letter=letter,
                  pdf_url=url_for("objections.objection_letter_pdf", objection_id=objection.id),
                  back_url=url_for("objections.objection_page", objection_id=objection.id))


@bp.get("/keberatan/<int:objection_id>/tanggapan.pdf", endpoint="objection_letter_pdf")
@roles_required(*STAFF_ROLES)
def objection_letter_pdf(objection_id: int):
    return _pdf(_answered_or_404(objection_or_404(objection_id)))


# --- the release order on the desk request page ----------------------------------------------

def release_context(item: InformationRequest, user, overrides: dict) -> dict:
    if item.release_due is None or not sees_applicant(user):  # a unit officer sees no objection
        return {"release_due_clock": None}
    calendar = working_calendar()
    stopped = local_date(item.released_at) if item.released_at else None
    clock = read_clock(item.release_due, body_today(), calendar, stopped_on=stopped, due_soon_wd=_due_soon_wd())
    order = release_order_of(item)
    return {
        "release_due_clock": clock,
        "release_order": order if order is not None and can(user, Action.VIEW_OBJECTION, item) else None,
        "release_form": (overrides.get("release_form") or ReleaseForm(formdata=None))
        if item.released_at is None and can(user, Action.OBJECTION_ACCOUNT, item) else None,
    }


@bp.post("/permohonan/<int:request_id>/perintah-keberatan", endpoint="release_complied")
@roles_required(*STAFF_ROLES)
def release_complied_view(request_id: int):
    item = desk_request_or_404(request_id)
    require(Action.OBJECTION_ACCOUNT, item)
    form = ReleaseForm()
    form.validate()
    try:
        release_complied(actor=_me(), item=item, expected_version=_version(form))
        commit()
    except STALE_ERRORS:
        return stale_response(item, release_form=form)
    except DomainError as error:
        rollback()
        flash(str(error), "error")
        return redirect(url_for("desk.request_page", request_id=item.id), code=303)
    flash(_("Dicatat: informasi sudah diberikan sesuai perintah Atasan PPID."), "success")
    return redirect(url_for("desk.request_page", request_id=item.id), code=303)


# --- what the applicant sees ------------------------------------------------------------------

def applicant_context(item: InformationRequest, user, overrides: dict) -> dict:
    order = release_order_of(item) if item.release_due is not None else None
    return {"answered_objections": answered_objections(item), "ol": response_labels,
            "inadmissibility_rows": inadmissibility_rows,
            "decision_overturns": (ObjectionDecision.OVERTURNED_FULL, ObjectionDecision.OVERTURNED_PARTIAL),
            "release_order_id": order.id if order is not None else None}


@public.bp.get("/permohonan/<int:request_id>/keberatan/<int:objection_id>/tanggapan.pdf",
               endpoint="objection_response_pdf")
@public_page_limit
def applicant_response_pdf(request_id: int, objection_id: int):
    item = public.visible_request_or_404(request_id)
    objection = db.session.get(Objection, objection_id)
    if objection is None or objection.request_id != item.id or not objection.response_number:
        abort(404)
    if staff_elsewhere(current_user, item):  # staff download from the desk, logged as officers
        return redirect(url_for("objections.objection_letter_pdf", objection_id=objection.id), code=303)
    actor = _me() if current_user.is_authenticated else None
    label = None if actor else GUEST_APPLICANT
    request_access_logged(actor=actor, actor_label=label, item=item, kind="objection_response_downloaded",
                  data={"objection_id": objection.id, "objection_number": objection.number,
                        "response_number": objection.response_number})
    return _pdf(objection)
