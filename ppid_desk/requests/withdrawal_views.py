"""Withdrawal (pencabutan) pages: the applicant withdraws a request or an objection from its page
(a confirmation step with an optional reason), and the desk records a withdrawal received by
letter, phone, e-mail or in person. Thin: access → parse → service → commit → 303.

Access: the applicant's actions need ``acts_as_applicant`` (the owner, or a browser holding a
tracking grant; staff 403, anyone else 404); the desk's need ``Action.WITHDRAW`` on the request
(desk officer, PPID Utama) or ``Action.REGISTER_OBJECTION`` for an objection received on paper.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..dbtypes import utcnow
from ..desk.policy import READ_ALL_ROLES, STAFF_ROLES, Action, can
from ..desk.request_page_views import (
    STALE_ERRORS,
    desk_request_or_404,
    render_request_page,
    require,
    stale_response,
)
from ..errors import DomainError
from ..extensions import db, limiter
from ..objections.filing_selectors import open_objection_of
from ..objections.models import Objection
from ..objections.response_services import StaleObjection
from ..objections.withdrawal_services import (
    objection_withdraw,
    objection_withdrawable,
    objection_withdrawal_of,
)
from ..web.access import roles_required
from ..web.forms import errors_onto_form
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.transaction import commit, rollback
from . import views as request_views
from .blueprint import bp
from .labels import CHANNEL_LABELS, EVENT_LABELS
from .letters import official_letters_of
from .models import InformationRequest, OfficialLetterKind
from .selectors import acts_as_applicant
from .session_grants import session_grants, session_user
from .withdrawal import (
    not_withdrawable_reason,
    request_withdraw,
    request_withdrawable,
    withdrawal_of,
)
from .withdrawal_forms import DeskWithdrawForm, WithdrawForm, form_version

OBJECTION_PREFIX = "keberatan"

EVENT_LABELS.update({
    "objection_withdrawn": _l("Keberatan dicabut oleh pemohon"),
    "units_told_withdrawn": _l("Unit diberi tahu bahwa permohonan dicabut"),
})


def _user():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _submit_limit() -> str:
    return current_app.config["SUBMIT_RATE_LIMIT"]


@bp.app_template_global("acts_as_applicant_of")
def acts_as_applicant_of(item: InformationRequest) -> bool:
    """For applicant pages rendered without the panel context (the objection receipt)."""
    return acts_as_applicant(item, session_user(), session_grants())


# --- the applicant withdraws the request ----------------------------------------------------------

def _confirm_page(item: InformationRequest, form: WithdrawForm, status: int = 200):
    return render("requests/withdraw.html", block="withdraw_form", item=item, form=form, status=status)


@bp.route("/permohonan/<int:request_id>/cabut", methods=["GET", "POST"], endpoint="withdraw_request")
@public_page_limit
@limiter.limit(_submit_limit, methods=["POST"])
def withdraw_request(request_id: int):
    item = request_views.applicant_request_or_404(request_id)
    detail_url = url_for("requests.detail", request_id=item.id)
    if not request_withdrawable(item):
        flash(not_withdrawable_reason(item), "error")
        return redirect(detail_url, code=303)
    form = WithdrawForm()
    if not form.is_submitted():
        form.version.data = str(item.version)
        return _confirm_page(item, form)
    if not form.validate():
        return _confirm_page(item, form, 422)
    try:
        request_withdraw(actor=_user(), item=item, reason=form.reason.data, expected_version=form_version(form))
        commit()
    except STALE_ERRORS:
        rollback()
        item = db.session.get(InformationRequest, request_id)
        if not request_withdrawable(item):
            flash(not_withdrawable_reason(item), "error")
            return redirect(detail_url, code=303)
        flash(_("Permohonan ini baru saja berubah. Periksa keadaannya, lalu konfirmasi sekali lagi; "
                "alasan yang Anda tulis masih ada."), "error")
        form.version.data = str(item.version)
        return _confirm_page(item, form, 409)
    except DomainError as error:
        rollback()
        errors_onto_form(form, error)
        return _confirm_page(item, form, 422)
    flash(_("Permohonan %(number)s sudah dicabut. Kami mengirim konfirmasinya ke e-mail Anda.",
            number=item.number), "success")
    return redirect(detail_url, code=303)


# --- the applicant withdraws an objection -----------------------------------------------------------

def _objection_of(item: InformationRequest, objection_id: int) -> Objection:
    objection = db.session.get(Objection, objection_id)
    if objection is None or objection.request_id != item.id:
        abort(404)
    return objection


def _objection_confirm_page(item, objection, form, status: int = 200):
    return render("objections/withdraw.html", block="withdraw_form", item=item, objection=objection, form=form,
                  status=status)


@bp.route("/permohonan/<int:request_id>/keberatan/<int:objection_id>/cabut", methods=["GET", "POST"],
          endpoint="withdraw_objection")
@public_page_limit
@limiter.limit(_submit_limit, methods=["POST"])
def withdraw_objection(request_id: int, objection_id: int):
    item = request_views.applicant_request_or_404(request_id)
    objection = _objection_of(item, objection_id)
    back_url = url_for("requests.objection_receipt", request_id=item.id, objection_id=objection.id)
    refusal = _("Keberatan %(number)s tidak dapat dicabut: sudah ditanggapi, diselesaikan, atau dicabut.",
                number=objection.number)
    if not objection_withdrawable(objection):
        flash(refusal, "error")
        return redirect(back_url, code=303)
    form = WithdrawForm()
    if not form.is_submitted():
        form.version.data = str(objection.version)
        return _objection_confirm_page(item, objection, form)
    if not form.validate():
        return _objection_confirm_page(item, objection, form, 422)
    try:
        objection_withdraw(actor=_user(), objection=objection, reason=form.reason.data,
                           expected_version=form_version(form))
        commit()
    except (StaleObjection, *STALE_ERRORS):
        rollback()
        objection = db.session.get(Objection, objection_id)
        if not objection_withdrawable(objection):
            flash(refusal, "error")
            return redirect(back_url, code=303)
        flash(_("Keberatan ini baru saja berubah. Periksa keadaannya, lalu konfirmasi sekali lagi; "
                "alasan yang Anda tulis masih ada."), "error")
        form.version.data = str(objection.version)
        return _objection_confirm_page(item, objection, form, 409)
    except DomainError as error:
        rollback()
        errors_onto_form(form, error)
        return _objection_confirm_page(item, objection, form, 422)
    flash(_("Keberatan %(number)s sudah dicabut. Kami mengirim konfirmasinya ke e-mail Anda.",
            number=objection.number), "success")
    return redirect(back_url, code=303)


# --- the desk records a withdrawal received on paper, by phone or in person --------------------------

def _desk_forms(item: InformationRequest, user, overrides: dict) -> dict:
    request_form = objection_form = None
    if request_withdrawable(item) and can(user, Action.WITHDRAW, item):
        request_form = overrides.get("withdraw_form") or DeskWithdrawForm(formdata=None)
        request_form.version.data = str(item.version)  # after a stale refusal: act on the fresh state
    objection = open_objection_of(item) if can(user, Action.REGISTER_OBJECTION, item) else None
    if objection is not None:
        objection_form = overrides.get("objection_withdraw_form") or DeskWithdrawForm(
            formdata=None, prefix=OBJECTION_PREFIX)
        objection_form.version.data = str(objection.version)
    now = utcnow()
    for form in (request_form, objection_form):
        if form is not None and form.received_date.data is None:
            form.fill_now(now)
    return {"withdraw_form": request_form, "objection_withdraw_form": objection_form,
            "withdraw_request_shown": request_form is not None, "withdraw_objection": objection}


def desk_panel(item: InformationRequest, user, overrides: dict) -> dict:
    return {"withdrawal": withdrawal_of(item), "withdrawal_reason_shown": user.has_role(*READ_ALL_ROLES),
            "withdrawal_channels": CHANNEL_LABELS, **_desk_forms(item, user, overrides)}


def _to_request_page(item: InformationRequest, message: str):
    flash(message, "success")
    return redirect(url_for("desk.request_page", request_id=item.id) + "#withdrawal-panel", code=303)


@bp.post("/meja/permohonan/<int:request_id>/pencabutan", endpoint="record_withdrawal")
@roles_required(*STAFF_ROLES)
def record_withdrawal(request_id: int):
    item = desk_request_or_404(request_id)
    require(Action.WITHDRAW, item)
    form = DeskWithdrawForm()
    if not request_withdrawable(item):
        flash(not_withdrawable_reason(item), "error")
        return render_request_page(item, status=409)
    if not form.validate():
        return render_request_page(item, status=422, withdraw_form=form)
    try:
        request_withdraw(actor=current_user._get_current_object(), item=item, channel=form.channel.data,
                         received_at=form.received_at(), reason=form.reason.data,
                         expected_version=form_version(form))
        commit()
    except STALE_ERRORS:
        return stale_response(item, withdraw_form=form)
    except DomainError as error:
        rollback()
        item = db.session.get(InformationRequest, request_id)
        errors_onto_form(form, error)
        return render_request_page(item, status=422 if form.errors else 409, withdraw_form=form)
    return _to_request_page(item, _("Pencabutan permohonan %(number)s dicatat. Tugas unit yang masih terbuka "
                                    "dibatalkan dan pemohon diberi tahu.", number=item.number))


@bp.post("/meja/keberatan/<int:objection_id>/pencabutan", endpoint="record_objection_withdrawal")
@roles_required(*STAFF_ROLES)
def record_objection_withdrawal(objection_id: int):
    objection = db.session.get(Objection, objection_id)
    if objection is None:
        abort(404)
    item = desk_request_or_404(objection.request_id)
    require(Action.REGISTER_OBJECTION, item)
    form = DeskWithdrawForm(prefix=OBJECTION_PREFIX)
    if not objection_withdrawable(objection):
        flash(_("Keberatan %(number)s tidak dapat dicabut: sudah ditanggapi, diselesaikan, atau dicabut.",
                number=objection.number), "error")
        return render_request_page(item, status=409)
    if not form.validate():
        return render_request_page(item, status=422, objection_withdraw_form=form)
    try:
        objection_withdraw(actor=current_user._get_current_object(), objection=objection,
                           channel=form.channel.data, received_at=form.received_at(), reason=form.reason.data,
                           expected_version=form_version(form))
        commit()
    except (StaleObjection, *STALE_ERRORS):
        rollback()
        item = db.session.get(InformationRequest, item.id)
        flash(_("Keberatan ini baru saja diubah oleh petugas lain. Periksa keadaan terbaru di bawah; "
                "isian Anda masih ada dan dapat dikirim ulang."), "error")
        return render_request_page(item, status=409, objection_withdraw_form=form)
    except DomainError as error:
        rollback()
        item = db.session.get(InformationRequest, item.id)
        errors_onto_form(form, error)
        return render_request_page(item, status=422 if form.errors else 409, objection_withdraw_form=form)
    return _to_request_page(item, _("Pencabutan keberatan %(number)s dicatat dan pemohon diberi tahu.",
                                    number=objection.number))


# --- what the pages show ----------------------------------------------------------------------------

def applicant_panel(item: InformationRequest, user, overrides: dict) -> dict:
    objection = open_objection_of(item)
    withdrawal = withdrawal_of(item)
    letters = official_letters_of(item, OfficialLetterKind.WITHDRAWAL) if withdrawal else []
    return {"withdrawal": withdrawal, "withdrawal_possible": request_withdrawable(item),
            "withdrawal_letter": letters[-1] if letters else None,
            "withdraw_objection": objection, "withdrawal_channels": CHANNEL_LABELS}


def objection_panel(objection: Objection, user, overrides: dict) -> dict:
    return {"objection_withdrawal": objection_withdrawal_of(objection),
            "objection_withdrawal_recordable": objection_withdrawable(objection)
            and can(user, Action.REGISTER_OBJECTION, objection.request),
            "withdrawal_channels": CHANNEL_LABELS}
