"""Disputes at the Komisi Informasi: the applicant's window and record, the desk's KI number,
stages and outcome, and the dispute file (ZIP). Thin: access → parse → service → commit → 303.

The desk's pages hang on this domain's blueprint (``objections.*``), the applicant's on the
``requests`` blueprint (``public.bp``)."""

from __future__ import annotations

import io
import re

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..audit.personal import GUEST_APPLICANT
from ..desk.policy import STAFF_ROLES, Action, can, staff_elsewhere
from ..desk.request_page_views import desk_request_or_404, require
from ..errors import DomainError
from ..extensions import db
from ..requests import views as public
from ..requests.lifecycle import request_access_logged
from ..requests.models import InformationRequest
from ..sla import read_clock
from ..web.access import roles_required
from ..web.forms import errors_onto_form
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today, clock_rules, working_calendar
from . import dispute_labels
from .blueprint import bp
from .dispute_file import dispute_file_bytes
from .dispute_forms import (
    ComplianceForm,
    CourtCaseForm,
    CourtDecisionForm,
    CourtHearingForm,
    DisputeNumberForm,
    DisputeOutcomeForm,
    DisputeRecordForm,
    DisputeStageForm,
)
from .dispute_selectors import (
    court_case_of,
    decision_chain,
    dispute_of,
    dispute_timeline,
    dispute_window,
    final_decision,
    ki_clocks,
    window_lapsed,
)
from .dispute_services import (
    dispute_compliance_record,
    dispute_court_case_record,
    dispute_court_decision_record,
    dispute_court_hearing_add,
    dispute_ki_number_set,
    dispute_outcome_record,
    dispute_record,
    dispute_stage_add,
)
from .filing_selectors import objections_of
from .models import CourtTier, Objection

# --- context shared by both sides -------------------------------------------------------------

def dispute_info(objection: Objection, calendar=None, today=None) -> dict:
    """Everything both panels show for one objection: the window, its count, the dispute, clocks."""
    calendar = calendar or working_calendar()
    today = today or body_today()
    rules = clock_rules()
    window = dispute_window(objection, calendar, today, rules)
    dispute = dispute_of(objection)
    info = {"objection": objection, "window": window, "lapsed": window_lapsed(objection), "dispute": dispute,
            "explanation": None, "window_clock": None, "clocks": None, "rules": rules}
    if window is not None and window[1] is not None:
        opens_on, due = window
        counted_from = opens_on if objection.responded_at is not None else objection.response_due
        info["explanation"] = calendar.explain(counted_from, rules.dispute_filing_wd)
        info["window_clock"] = read_clock(due, today, calendar, stopped_on=dispute.filed_date if dispute else None,
                                          due_soon_wd=current_app.config["DUE_SOON_WD"])
    info["timeline"], info["final"] = [], None
    if dispute is not None:
        info["clocks"] = ki_clocks(dispute, calendar, today, current_app.config["DUE_SOON_WD"])
        info["timeline"] = dispute_timeline(dispute, calendar, today, rules, current_app.config["DUE_SOON_WD"])
        info["final"] = final_decision(dispute, calendar, today, rules)
        info["first_case"] = court_case_of(dispute, CourtTier.FIRST)
        info["cassation_case"] = court_case_of(dispute, CourtTier.CASSATION)
        steps = decision_chain(dispute, calendar, rules)
        # Which court a party may go to next (a form is offered for it), and which cases are open.
        info["can_file"] = [step.next_tier for step in steps if step.next_tier is not None]
    return info


def _me():
    return current_user._get_current_object()


def _day_of(form, name: str):
    return getattr(getattr(form, name), "day", None)


# --- the applicant's side ---------------------------------------------------------------------

def applicant_context(item: InformationRequest, user, overrides: dict) -> dict:
    calendar, today = working_calendar(), body_today()
    errored = overrides.get("dispute_form")
    errored_id = overrides.get("dispute_form_objection_id")
    entries = []
    for objection in objections_of(item):
        info = dispute_info(objection, calendar, today)
        if info["window"] is None and info["dispute"] is None:
            continue
        if errored is not None and errored_id == objection.id:
            info["form"] = errored
        else:
            info["form"] = DisputeRecordForm(formdata=None, objection_id=str(objection.id))
        entries.append(info)
    return {"dispute_entries": entries, "dispute_labels": dispute_labels}


def _applicant_actor():
    return _me() if current_user.is_authenticated else None


def _applicant_label(item: InformationRequest) -> str | None:
    if current_user.is_authenticated:
        return None
    return GUEST_APPLICANT


def _objection_of(item: InformationRequest, objection_id: int) -> Objection:
    objection = db.session.get(Objection, objection_id)
    if objection is None or objection.request_id != item.id:
        abort(404)
    return objection


@public.bp.post("/permohonan/<int:request_id>/keberatan/<int:objection_id>/sengketa", endpoint="record_dispute")
def applicant_record_dispute(request_id: int, objection_id: int):
    item = public.applicant_request_or_404(request_id)
    objection = _objection_of(item, objection_id)
    form = DisputeRecordForm()
    if form.validate():
        try:
            dispute_record(actor=_applicant_actor(), actor_label=_applicant_label(item), objection=objection,
                           level=form.level.data, filed_date=_day_of(form, "filed_date"),
                           ki_number=form.ki_number.data, by="applicant")
            commit()
        except DomainError as error:
            rollback()
            errors_onto_form(form, error)
        except IntegrityError:  # recorded at the same moment by someone else
            rollback()
            flash(_("Sengketa untuk keberatan ini sudah dicatat."), "error")
        else:
            flash(_("Terima kasih. Pengajuan sengketa ke Komisi Informasi sudah dicatat."), "success")
            return redirect(url_for("requests.detail", request_id=item.id) + "#sengketa", code=303)
    item = public.visible_request_or_404(request_id)
    return public.render_detail(item, status=422, dispute_form=form, dispute_form_objection_id=objection.id)


@public.bp.get("/permohonan/<int:request_id>/berkas-sengketa.zip", endpoint="dispute_file")
@public_page_limit
def applicant_dispute_file(request_id: int):
    item = public.visible_request_or_404(request_id)
    if staff_elsewhere(current_user, item):  # staff download from the desk, logged as officers
        return redirect(url_for("objections.dispute_file", request_id=item.id), code=303)
    return _zip_response(item, actor=_applicant_actor(), actor_label=_applicant_label(item), by="applicant")


# --- the desk's side --------------------------------------------------------------------------

def _desk_objection_or_404(objection_id: int, action: Action = Action.VIEW_OBJECTION) -> Objection:
    objection = db.session.get(Objection, objection_id)
    if objection is None:
        abort(404)
    item = desk_request_or_404(objection.request_id)
    require(Action.VIEW_OBJECTION, item)
    if action != Action.VIEW_OBJECTION:
        require(action, item)
    return objection


def desk_context(objection: Objection, user, overrides: dict) -> dict:
    context = {"dispute_panel": dispute_info(objection), "dispute_labels": dispute_labels,
               "dispute_can_record": can(user, Action.RECORD_DISPUTE, objection.request)}
    fresh = {"dispute_record_form": DisputeRecordForm, "dispute_number_form": DisputeNumberForm,
             "dispute_stage_form": DisputeStageForm, "dispute_outcome_form": DisputeOutcomeForm}
    for name, form_class in fresh.items():
        context[name] = overrides.get(name) or form_class(formdata=None)
    dispute = context["dispute_panel"]["dispute"]
    if dispute is not None and "dispute_number_form" not in overrides:
        context["dispute_number_form"].ki_number.data = dispute.ki_number
    if dispute is not None and "dispute_outcome_form" not in overrides and dispute.outcome_date is not None:
        context["dispute_outcome_form"] = DisputeOutcomeForm(formdata=None, data={
            "ki_decision": dispute.ki_decision, "outcome": dispute.outcome, "outcome_date": _dmy(dispute.outcome_date),
            "received_body": _dmy(dispute.ki_decision_received_body),
            "received_applicant": _dmy(dispute.ki_decision_received_applicant)})
    for tier in CourtTier:
        case = court_case_of(dispute, tier) if dispute is not None else None
        for name, form_class in (("court_case_form", CourtCaseForm), ("court_decision_form", CourtDecisionForm),
                                 ("court_hearing_form", CourtHearingForm)):
            key = f"{name}_{tier.value}"
            if key in overrides:
                context[key] = overrides[key]
                context.setdefault(name + "s", {})[tier.value] = context[key]
                continue
            data = {"tier": tier.value}
            if case is not None and name == "court_case_form":
                data |= {"appellant": case.appellant, "court": case.court, "court_name": case.court_name,
                         "case_number": case.case_number, "filed_date": _dmy(case.filed_date)}
            if case is not None and name == "court_decision_form" and case.decision_date is not None:
                data |= {"outcome": case.outcome, "outcome_note": case.outcome_note,
                         "decision_date": _dmy(case.decision_date), "received_body": _dmy(case.decision_received_body),
                         "received_applicant": _dmy(case.decision_received_applicant)}
            context[key] = form_class(formdata=None, data=data, prefix=tier.value)
            context.setdefault(name + "s", {})[tier.value] = context[key]
    if "compliance_form" in overrides:
        context["compliance_form"] = overrides["compliance_form"]
    elif dispute is not None and dispute.compliance:
        context["compliance_form"] = ComplianceForm(formdata=None, data={
            "compliance": dispute.compliance, "compliance_date": _dmy(dispute.compliance_date),
            "compliance_note": dispute.compliance_note, "compliance_proof": dispute.compliance_proof})
    else:
        context["compliance_form"] = ComplianceForm(formdata=None)
    return context


def _dmy(day) -> str | None:
    return day.isoformat() if day else None  # what a date input shows


def _desk_page(objection: Objection, *, status: int = 200, **overrides):
    context = desk_context(objection, current_user, overrides)
    commit()  # a calendar year imported on first need is kept
    return render("objections/dispute_new.html", block="dispute", status=status, objection=objection,
                  item=objection.request, **context)


def _back(objection: Objection, message: str):
    flash(message, "success")
    return redirect(url_for("objections.objection_page", objection_id=objection.id) + "#sengketa", code=303)


def _invalid(objection_id: int, form_name: str, form, error: DomainError | None = None):
    """Re-render the objection page with the messages next to the fields (422), text kept."""
    from .response_views import render_objection_page

    rollback()
    if error is not None:
        errors_onto_form(form, error)
    objection = _desk_objection_or_404(objection_id)
    return render_objection_page(objection, status=422, **{form_name: form})


def _dispute_or_404(objection: Objection):
    dispute = dispute_of(objection)
    if dispute is None:
        abort(404)
    return dispute


@bp.get("/keberatan/<int:objection_id>/sengketa", endpoint="dispute_page")
@roles_required(*STAFF_ROLES)
def dispute_page(objection_id: int):
    objection = _desk_objection_or_404(objection_id)
    return _desk_page(objection)


@bp.post("/keberatan/<int:objection_id>/sengketa", endpoint="dispute_record")
@roles_required(*STAFF_ROLES)
def desk_dispute_record(objection_id: int):
    objection = _desk_objection_or_404(objection_id, Action.RECORD_DISPUTE)
    form = DisputeRecordForm()
    if not form.validate():
        return _invalid(objection_id, "dispute_record_form", form)
    try:
        dispute_record(actor=_me(), objection=objection, level=form.level.data,
                       filed_date=_day_of(form, "filed_date"), ki_number=form.ki_number.data, by="officer")
        commit()
    except DomainError as error:
        return _invalid(objection_id, "dispute_record_form", form, error)
    except IntegrityError:
        return _invalid(objection_id, "dispute_record_form", form,
                        DomainError(_("Sengketa untuk keberatan ini sudah dicatat.")))
    return _back(objection, _("Pengajuan sengketa ke Komisi Informasi dicatat."))


@bp.post("/keberatan/<int:objection_id>/sengketa/nomor", endpoint="dispute_number")
@roles_required(*STAFF_ROLES)
def desk_dispute_number(objection_id: int):
    objection = _desk_objection_or_404(objection_id, Action.RECORD_DISPUTE)
    dispute = _dispute_or_404(objection)
    form = DisputeNumberForm()
    if not form.validate():
        return _invalid(objection_id, "dispute_number_form", form)
    try:
        dispute_ki_number_set(actor=_me(), dispute=dispute, ki_number=form.ki_number.data)
        commit()
    except DomainError as error:
        return _invalid(objection_id, "dispute_number_form", form, error)
    return _back(objection, _("Nomor registrasi Komisi Informasi disimpan."))


@bp.post("/keberatan/<int:objection_id>/sengketa/tahap", endpoint="dispute_stage")
@roles_required(*STAFF_ROLES)
def desk_dispute_stage(objection_id: int):
    objection = _desk_objection_or_404(objection_id, Action.RECORD_DISPUTE)
    dispute = _dispute_or_404(objection)
    form = DisputeStageForm()
    if not form.validate():
        return _invalid(objection_id, "dispute_stage_form", form)
    try:
        dispute_stage_add(actor=_me(), dispute=dispute, stage=form.stage.data,
                          stage_date=_day_of(form, "stage_date"), note=form.note.data)
        commit()
    except DomainError as error:
        return _invalid(objection_id, "dispute_stage_form", form, error)
    return _back(objection, _("Tahap sengketa dicatat."))


@bp.post("/keberatan/<int:objection_id>/sengketa/putusan", endpoint="dispute_outcome")
@roles_required(*STAFF_ROLES)
def desk_dispute_outcome(objection_id: int):
    objection = _desk_objection_or_404(objection_id, Action.RECORD_DISPUTE)
    dispute = _dispute_or_404(objection)
    form = DisputeOutcomeForm()
    if not form.validate():
        return _invalid(objection_id, "dispute_outcome_form", form)
    try:
        dispute_outcome_record(actor=_me(), dispute=dispute, outcome=form.outcome.data,
                               outcome_date=_day_of(form, "outcome_date"), ki_decision=form.ki_decision.data,
                               received_body=_day_of(form, "received_body"),
                               received_applicant=_day_of(form, "received_applicant"))
        commit()
    except DomainError as error:
        return _invalid(objection_id, "dispute_outcome_form", form, error)
    return _back(objection, _("Putusan Komisi Informasi dicatat."))


# --- after the KI: the courts and compliance -----------------------------------------------------

def _tier_form(form_class, name: str):
    """The posted form and the name its re-render uses: the page has one form per court (tier),
    its fields prefixed with the tier ("first-filed_date") so that every id on the page is unique."""
    tier = next((t.value for t in CourtTier if f"{t.value}-tier" in request.form), CourtTier.FIRST.value)
    return form_class(prefix=tier), f"{name}_{tier}"


@bp.post("/keberatan/<int:objection_id>/sengketa/pengadilan", endpoint="dispute_court")
@roles_required(*STAFF_ROLES)
def desk_dispute_court(objection_id: int):
    objection = _desk_objection_or_404(objection_id, Action.RECORD_DISPUTE)
    dispute = _dispute_or_404(objection)
    form, name = _tier_form(CourtCaseForm, "court_case_form")
    if not form.validate():
        return _invalid(objection_id, name, form)
    try:
        dispute_court_case_record(actor=_me(), dispute=dispute, tier=form.tier.data, appellant=form.appellant.data,
                                  court=form.court.data, court_name=form.court_name.data,
                                  case_number=form.case_number.data, filed_date=_day_of(form, "filed_date"))
        commit()
    except DomainError as error:
        return _invalid(objection_id, name, form, error)
    except IntegrityError:  # the same tier recorded at the same moment by someone else
        return _invalid(objection_id, name, form, DomainError(_("Perkara ini baru saja dicatat orang lain.")))
    return _back(objection, _("Perkara di pengadilan dicatat."))


@bp.post("/keberatan/<int:objection_id>/sengketa/pengadilan/putusan", endpoint="dispute_court_decision")
@roles_required(*STAFF_ROLES)
def desk_dispute_court_decision(objection_id: int):
    objection = _desk_objection_or_404(objection_id, Action.RECORD_DISPUTE)
    dispute = _dispute_or_404(objection)
    form, name = _tier_form(CourtDecisionForm, "court_decision_form")
    if not form.validate():
        return _invalid(objection_id, name, form)
    try:
        dispute_court_decision_record(actor=_me(), dispute=dispute, tier=form.tier.data,
                                      decision_date=_day_of(form, "decision_date"), outcome=form.outcome.data,
                                      outcome_note=form.outcome_note.data,
                                      received_body=_day_of(form, "received_body"),
                                      received_applicant=_day_of(form, "received_applicant"))
        commit()
    except DomainError as error:
        return _invalid(objection_id, name, form, error)
    return _back(objection, _("Putusan pengadilan dicatat."))


@bp.post("/keberatan/<int:objection_id>/sengketa/pengadilan/sidang", endpoint="dispute_court_hearing")
@roles_required(*STAFF_ROLES)
def desk_dispute_court_hearing(objection_id: int):
    objection = _desk_objection_or_404(objection_id, Action.RECORD_DISPUTE)
    dispute = _dispute_or_404(objection)
    form, name = _tier_form(CourtHearingForm, "court_hearing_form")
    if not form.validate():
        return _invalid(objection_id, name, form)
    try:
        dispute_court_hearing_add(actor=_me(), dispute=dispute, tier=form.tier.data,
                                  hearing_date=_day_of(form, "hearing_date"), note=form.note.data)
        commit()
    except DomainError as error:
        return _invalid(objection_id, name, form, error)
    return _back(objection, _("Sidang dicatat."))


@bp.post("/keberatan/<int:objection_id>/sengketa/kepatuhan", endpoint="dispute_compliance")
@roles_required(*STAFF_ROLES)
def desk_dispute_compliance(objection_id: int):
    objection = _desk_objection_or_404(objection_id, Action.RECORD_DISPUTE)
    dispute = _dispute_or_404(objection)
    form = ComplianceForm()
    if not form.validate():
        return _invalid(objection_id, "compliance_form", form)
    try:
        dispute_compliance_record(actor=_me(), dispute=dispute, compliance=form.compliance.data,
                                  compliance_date=_day_of(form, "compliance_date"),
                                  note=form.compliance_note.data, proof=form.compliance_proof.data)
        commit()
    except DomainError as error:
        return _invalid(objection_id, "compliance_form", form, error)
    return _back(objection, _("Pelaksanaan putusan akhir dicatat."))


@bp.get("/permohonan/<int:request_id>/berkas-sengketa.zip", endpoint="dispute_file")
@roles_required(*STAFF_ROLES)
def desk_dispute_file(request_id: int):
    item = desk_request_or_404(request_id)
    require(Action.VIEW_OBJECTION, item)
    return _zip_response(item, actor=_me(), actor_label=None, by="officer")


# --- the dispute file -------------------------------------------------------------------------

def _zip_response(item: InformationRequest, *, actor, actor_label: str | None, by: str):
    content, members = dispute_file_bytes(item)
    request_access_logged(actor=actor, actor_label=actor_label, item=item, kind="dispute_file_downloaded",
                  data={"by": by, "members": members})
    commit()
    name = "berkas-sengketa-" + re.sub(r"[^A-Za-z0-9]+", "-", item.number).strip("-") + ".zip"
    response = send_file(io.BytesIO(content), mimetype="application/zip", as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response
