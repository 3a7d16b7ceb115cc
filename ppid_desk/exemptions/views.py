"""The register of exempt information: the desk's pages under ``/meja/dikecualikan`` (PPID Utama:
every decision; PPID Pembantu: their unit's, which they draft and submit) and the public register
``/informasi-dikecualikan`` (anyone; no login, no JavaScript)."""

from __future__ import annotations

import io
import re

from flask import abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import Role
from ..accounts.roles import EXEMPTION_ROLES
from ..errors import DomainError, ValidationFailed
from ..organisation.profile_selectors import body_profile
from ..web.access import roles_required
from ..web.forms import errors_onto_form, parse_int
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today
from . import pdf
from .blueprint import bp
from .forms import ExemptionForm, ReasonForm, VersionForm, form_from_decision
from .labels import STATUS_LABELS
from .models import ExemptionDecision, ExemptionStatus
from .selectors import (
    active_units,
    annex_decisions,
    decision_get,
    decision_history,
    desk_decisions,
    expiry_of,
    notices_resting_on,
    public_register,
    reminder_days,
)
from .services import (
    NotAllowed,
    StaleDecision,
    exemption_approve,
    exemption_create,
    exemption_problems,
    exemption_return,
    exemption_revoke,
    exemption_submit,
    exemption_update,
    is_utama,
    may_approve,
    may_edit,
    may_return,
    may_revoke,
    may_submit,
    may_view,
)


def _decision_or_404(decision_id: int) -> ExemptionDecision:
    decision = decision_get(decision_id)
    if decision is None or not may_view(current_user, decision):
        abort(404)
    return decision


def _unit_choices(form: ExemptionForm) -> None:
    """PPID Utama picks any active unit; a unit officer's own unit is the only choice."""
    units = active_units()
    if not is_utama(current_user):
        units = [unit for unit in units if unit.id == current_user.unit_id]
    form.unit_id.choices = [("", _("— pilih unit —"))] + [(str(unit.id), unit.name) for unit in units]


def _refused(form: ExemptionForm, error: DomainError | None = None) -> None:
    """The form's own messages, then the service's for the fields still without one."""
    problems = exemption_problems(form.draft(), actor=current_user) if error is None else {}
    if isinstance(error, ValidationFailed):
        problems = error.errors
    errors_onto_form(form, ValidationFailed({name: message for name, message in problems.items()
                                             if not getattr(form, name).errors}))


def _form_page(form: ExemptionForm, *, decision: ExemptionDecision | None = None, status: int = 200):
    _unit_choices(form)
    return render("exemptions/form.html", block="exemption_main", status=status, form=form, decision=decision)


def _blank_form() -> ExemptionForm:
    """A new decision: the unit officer's unit, today, and PPID Utama from the body profile."""
    utama = body_profile().utama
    return ExemptionForm(formdata=None, unit_id=str(current_user.unit_id or ""),
                         decided_on=body_today().isoformat(), official_name=utama.name,
                         official_position=utama.position, official_nip=utama.nip)


@bp.get("/meja/dikecualikan")
@roles_required(*EXEMPTION_ROLES)
def decision_list():
    status = request.args.get("status") or None
    if status not in {s.value for s in ExemptionStatus}:
        status = None
    today, within = body_today(), reminder_days()
    decisions = desk_decisions(current_user, status=status)
    return render("exemptions/list.html", block="exemption_main", decisions=decisions, status=status,
                  expiry={d.id: expiry_of(d, today, within) for d in decisions}, within=within,
                  status_labels=STATUS_LABELS, today=today, utama=is_utama(current_user))


@bp.route("/meja/dikecualikan/baru", methods=["GET", "POST"])
@roles_required(*EXEMPTION_ROLES)
def decision_new():
    if not is_utama(current_user) and current_user.unit_id is None:
        abort(403)  # a unit officer without a unit keeps no register
    if request.method == "GET":
        return _form_page(_blank_form())
    form = ExemptionForm()
    _unit_choices(form)
    if not form.validate():
        _refused(form)
        return _form_page(form, status=422)
    try:
        decision = exemption_create(actor=current_user, draft=form.draft())
        commit()
    except ValidationFailed as error:
        rollback()
        _refused(form, error)
        return _form_page(form, status=422)
    flash(_("Draf penetapan disimpan. Ajukan ke PPID Utama bila sudah lengkap."), "success")
    return redirect(url_for("exemptions.decision_page", decision_id=decision.id), code=303)


@bp.get("/meja/dikecualikan/<int:decision_id>")
@roles_required(*EXEMPTION_ROLES)
def decision_page(decision_id: int):
    decision = _decision_or_404(decision_id)
    return _item_page(decision)


def _item_page(decision: ExemptionDecision, *, reason_forms: dict | None = None, status: int = 200):
    forms = {"return": ReasonForm(formdata=None, prefix="return", version=str(decision.version)),
             "revoke": ReasonForm(formdata=None, prefix="revoke", version=str(decision.version))}
    forms.update(reason_forms or {})
    forms["return"].reason.label.text = _("Alasan pengembalian: apa yang perlu diperbaiki unit")
    forms["revoke"].reason.label.text = _("Alasan pencabutan")
    user = current_user
    from ..desk.policy import can_view
    from ..requests.labels import OUTCOME_LABELS

    resting = notices_resting_on(decision)
    return render("exemptions/item.html", block="exemption_main", status=status, decision=decision,
                  resting=resting, outcome_labels=OUTCOME_LABELS,
                  request_links={row.request.id for row in resting if can_view(user, row.request)},
                  events=decision_history(decision), expiry=expiry_of(decision, body_today(), reminder_days()),
                  status_labels=STATUS_LABELS, button_form=VersionForm(formdata=None, version=str(decision.version)),
                  return_form=forms["return"], revoke_form=forms["revoke"],
                  can={"edit": may_edit(user, decision), "submit": may_submit(user, decision),
                       "approve": may_approve(user, decision), "return": may_return(user, decision),
                       "revoke": may_revoke(user, decision)})


@bp.route("/meja/dikecualikan/<int:decision_id>/ubah", methods=["GET", "POST"])
@roles_required(*EXEMPTION_ROLES)
def decision_edit(decision_id: int):
    decision = _decision_or_404(decision_id)
    if not may_edit(current_user, decision):
        flash(_("Penetapan ini tidak dapat diubah dalam keadaannya sekarang."), "error")
        return redirect(url_for("exemptions.decision_page", decision_id=decision.id), code=303)
    if request.method == "GET":
        return _form_page(form_from_decision(decision), decision=decision)
    form = ExemptionForm()
    _unit_choices(form)
    if not form.validate():
        _refused(form)
        return _form_page(form, decision=decision, status=422)
    try:
        changed = exemption_update(actor=current_user, decision=decision, draft=form.draft(),
                                   expected_version=form.expected_version())
        commit()
    except ValidationFailed as error:
        rollback()
        _refused(form, error)
        return _form_page(form, decision=_decision_or_404(decision_id), status=422)
    except (StaleDecision, StaleDataError, NotAllowed):
        rollback()
        decision = _decision_or_404(decision_id)
        flash(_("Penetapan ini baru saja diubah oleh petugas lain. Isian Anda masih ada di bawah; periksa "
                "riwayatnya lalu kirim ulang."), "error")
        form.version.data = str(decision.version)
        return _form_page(form, decision=decision, status=409)
    flash(_("Penetapan disimpan.") if changed else _("Tidak ada yang berubah."), "success")
    return redirect(url_for("exemptions.decision_page", decision_id=decision.id), code=303)


def _act(decision_id: int, action, message, *, reason_prefix: str | None = None):
    """Submit, approve, return or revoke: one POST with the version seen; back to the page."""
    decision = _decision_or_404(decision_id)
    form = ReasonForm(prefix=reason_prefix) if reason_prefix else VersionForm()
    if not form.validate():
        if reason_prefix:
            return _item_page(decision, reason_forms={reason_prefix: form}, status=422)
        abort(400)
    try:
        result = action(decision, form)
        commit()
    except ValidationFailed as error:
        rollback()
        errors_onto_form(form, error)
        return _item_page(_decision_or_404(decision_id), reason_forms={reason_prefix: form}, status=422)
    except (StaleDecision, StaleDataError):
        rollback()
        flash(_("Penetapan ini baru saja diubah oleh petugas lain. Periksa keadaannya sekarang, lalu ulangi."),
              "error")
        return redirect(url_for("exemptions.decision_page", decision_id=decision_id), code=303)
    except DomainError as error:  # NotAllowed in this state, or an incomplete decision
        rollback()
        flash(str(error), "error")
        return redirect(url_for("exemptions.decision_page", decision_id=decision_id), code=303)
    flash(message(result), "success")
    return redirect(url_for("exemptions.decision_page", decision_id=decision_id), code=303)


@bp.post("/meja/dikecualikan/<int:decision_id>/ajukan")
@roles_required(*EXEMPTION_ROLES)
def decision_submit(decision_id: int):
    return _act(decision_id, lambda d, f: exemption_submit(
        actor=current_user, decision=d, expected_version=f.expected_version()),
        lambda _result: _("Penetapan diajukan ke PPID Utama untuk disetujui."))


@bp.post("/meja/dikecualikan/<int:decision_id>/setujui")
@roles_required(Role.PPID_UTAMA)
def decision_approve(decision_id: int):
    return _act(decision_id, lambda d, f: exemption_approve(
        actor=current_user, decision=d, expected_version=f.expected_version()),
        lambda number: _("Penetapan disetujui dengan nomor %(number)s dan tampil di daftar informasi yang "
                         "dikecualikan.", number=number))


@bp.post("/meja/dikecualikan/<int:decision_id>/kembalikan")
@roles_required(Role.PPID_UTAMA)
def decision_return(decision_id: int):
    return _act(decision_id, lambda d, f: exemption_return(
        actor=current_user, decision=d, reason=f.reason.data or "", expected_version=f.expected_version()),
        lambda _result: _("Penetapan dikembalikan ke unit sebagai draf."), reason_prefix="return")


@bp.post("/meja/dikecualikan/<int:decision_id>/cabut")
@roles_required(Role.PPID_UTAMA)
def decision_revoke(decision_id: int):
    return _act(decision_id, lambda d, f: exemption_revoke(
        actor=current_user, decision=d, reason=f.reason.data or "", expected_version=f.expected_version()),
        lambda _result: _("Penetapan dicabut. Di daftar publik penetapan ini tampil sebagai dicabut."),
        reason_prefix="revoke")


def _pdf_response(content: bytes, name: str):
    filename = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") + ".pdf"
    response = send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=True,
                         download_name=filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/meja/dikecualikan/<int:decision_id>/lampiran.pdf")
@roles_required(*EXEMPTION_ROLES)
def decision_pdf(decision_id: int):
    """One approved decision as a page of the SK annex, with its full consequence test."""
    decision = _decision_or_404(decision_id)
    if decision.status != ExemptionStatus.APPROVED:
        abort(404)
    return _pdf_response(pdf.decision_pdf(decision), "penetapan-" + (decision.number or str(decision.id)))


@bp.get("/meja/dikecualikan/lampiran/<int:year>.pdf")
@roles_required(Role.PPID_UTAMA)
def annex_pdf(year: int):
    """The annex of the PPID's decision on the exempt information approved in ``year``."""
    if not 2000 <= year <= 2200:
        abort(404)
    return _pdf_response(pdf.annex_pdf(year, annex_decisions(year)), f"lampiran-informasi-dikecualikan-{year}")


# --- public -------------------------------------------------------------------------------------

@bp.get("/informasi-dikecualikan")
@public_page_limit
def public_register_page():
    """The register of exempt information (DIK): what is exempt, on which ground, until when;
    never the exempt content, never a draft. Revoked decisions stay listed as revoked."""
    today = body_today()
    decisions = public_register()
    unit = parse_int(request.args.get("unit"))
    units = sorted({d.unit.id: d.unit for d in decisions}.values(), key=lambda u: u.name)
    shown = [d for d in decisions if unit is None or d.unit_id == unit]
    return render("exemptions/public.html", decisions=shown, units=units, unit=unit, today=today)
