"""Publishing a request's answer in the Daftar Informasi Publik: the desk's panel on the request
page and its form, and the public summary of the request behind a published answer. Thin: check
access → parse → service → commit → 303."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..desk.request_page_views import (
    STALE_ERRORS,
    desk_request_or_404,
    render_request_page,
    stale_response,
)
from ..errors import DomainError, ValidationFailed
from ..requests.labels import OUTCOME_LABELS
from ..requests.models import InformationRequest
from ..web.access import roles_required
from ..web.formatting import long_date
from ..web.forms import errors_onto_form
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today
from . import policy
from .answer_forms import AnswerForm
from .answer_selectors import (
    answer_item_of,
    public_request_summary,
    publishable_files,
    request_units,
)
from .answer_services import (
    TIMING_NOW,
    answer_problems,
    answer_publish,
    answer_refusal,
    publish_after_for,
)
from .blueprint import bp
from .labels import STATUS_LABELS
from .selectors import active_units, public_item


def delay_days() -> int:
    return max(0, int(current_app.config["PUBLISHED_ANSWER_DELAY_DAYS"]))


def _unit_choices(form: AnswerForm, request: InformationRequest) -> AnswerForm:
    fixed = policy.unit_fixed(current_user)
    routed = request_units(request.id)
    if fixed is not None:
        units = [unit for unit in active_units() if unit.id == fixed]
    else:
        others = [unit for unit in active_units() if unit not in routed]
        units = [unit for unit in routed if unit.active] + others
    form.unit_id.choices = [(str(unit.id), unit.name) for unit in units]
    if fixed is not None:
        form.unit_id.data = str(fixed)
    elif not form.unit_id.data and units:
        form.unit_id.data = str(units[0].id)
    return form


def _blank_form(request: InformationRequest) -> AnswerForm:
    files = publishable_files(request)
    return AnswerForm(formdata=None, title="", summary="", request_summary="",
                      documents=[str(f.id) for f in files], timing=TIMING_NOW)


def answer_panel(request: InformationRequest, user, overrides: dict) -> dict:
    """The request page's panel: the item the answer became, or (to an editor, once delivered)
    the form to publish it."""
    existing = answer_item_of(request.id)
    allowed = existing is None and policy.is_editor(user) and answer_refusal(request) is None
    context = {"answer_item": existing, "answer_allowed": allowed, "answer_status_labels": STATUS_LABELS,
               "answer_form": None, "answer_files": [], "answer_delay_days": 0, "answer_delay_until": None,
               "answer_unit_fixed": False}
    if allowed:
        days = delay_days()
        form = overrides.get("answer_form") or _blank_form(request)
        context.update(answer_form=_unit_choices(form, request), answer_files=publishable_files(request),
                       answer_delay_days=days, answer_delay_until=publish_after_for(request, "delay", days),
                       answer_unit_fixed=policy.unit_fixed(user) is not None)
    return context


@bp.post("/meja/permohonan/<int:request_id>/umumkan-jawaban", endpoint="answer_publish")
@roles_required(*policy.EDITORS)
def answer_publish_view(request_id: int):
    request = desk_request_or_404(request_id)
    if not policy.is_editor(current_user):
        abort(403)
    form = _unit_choices(AnswerForm(), request)
    refusal = answer_refusal(request)
    if refusal:  # not (or no longer) possible: say why, whatever was typed
        flash(refusal, "error")
        return render_request_page(request, status=422)
    valid = form.validate()
    draft = form.draft()
    problems = answer_problems(draft, request, publishable_files(request))
    if policy.unit_fixed(current_user) is not None:
        problems.pop("unit_id", None)
    if not valid or problems:
        errors_onto_form(form, _problems_error(form, problems))
        return render_request_page(desk_request_or_404(request.id), status=422, answer_form=form)
    try:
        item = answer_publish(actor=current_user, request=request, draft=draft, today=body_today(),
                              delay_days=delay_days())
        commit()
    except STALE_ERRORS:
        return stale_response(request, answer_form=form)
    except DomainError as error:
        rollback()
        errors_onto_form(form, error)
        return render_request_page(desk_request_or_404(request.id), status=422, answer_form=form)
    if item.status == "published":
        message = _("Jawaban diumumkan di Daftar Informasi Publik.")
    elif item.status == "scheduled":
        message = _("Jawaban disetujui dan tampil di Daftar Informasi Publik mulai %(day)s.",
                    day=long_date(item.publish_after))
    else:
        message = _("Jawaban diusulkan untuk Daftar Informasi Publik dan menunggu persetujuan PPID Utama.")
    flash(message, "success")
    return redirect(url_for("desk.request_page", request_id=request.id), code=303)


def _problems_error(form: AnswerForm, problems: dict[str, str]) -> ValidationFailed:
    return ValidationFailed({name: message for name, message in problems.items()
                             if hasattr(form, name) and not getattr(form, name).errors})


@bp.get("/informasi/<int:item_id>/permohonan")
@public_page_limit
def request_summary_page(item_id: int):
    item = public_item(item_id)
    summary = public_request_summary(item) if item is not None else None
    if summary is None:
        abort(404)
    return render("dip/request_summary.html", item=item, summary=summary, outcome_labels=OUTCOME_LABELS)
