"""Written notice, extension, delivery and closing: the desk's actions and the letter, and the
section of the applicant's page (the applicant's downloads are ``requests.notice_views``). Thin: check access → parse → service → commit → 303."""

from __future__ import annotations

import hmac
import io
import re

from flask import abort, current_app, flash, redirect, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..attachments.models import Attachment, AttachmentPurpose
from ..attachments.services import attachment_read, attachment_stage, staged_attachment
from ..desk.policy import STAFF_ROLES, Action, can
from ..desk.queue_selectors import promise_clock
from ..desk.request_page_views import (
    STALE_ERRORS,
    desk_request_or_404,
    render_request_page,
    require,
    stale_response,
)
from ..errors import DomainError, FieldError, ValidationFailed
from ..exemptions.notice_services import notice_issue_recording_exemption, preview_citation
from ..organisation.tariff_selectors import tariff_in_effect
from ..requests import views as request_views
from ..requests.gates import Gate, gate_allows
from ..requests.letters import official_letters_of
from ..requests.lifecycle import request_access_logged
from ..requests.models import InformationRequest, OfficialLetterKind
from ..web.access import roles_required
from ..web.formatting import long_date
from ..web.forms import errors_onto_form, parse_int
from ..web.htmx import render
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today, clock_rules, working_calendar
from . import labels  # also adds the event labels
from .blueprint import bp
from .fee_forms import fee_line_drafts, fee_total, notice_form_class, stale_quantities
from .fee_services import no_fee_reason
from .forms import (
    NOTICE_SECTIONS,
    CloseForm,
    DeliveryForm,
    ExtensionForm,
    LetterReceiptForm,
    NoticeForm,
    notice_field_applies,
)
from .models import DeliveryMethod
from .selectors import (
    deliverable_documents,
    deliveries_of,
    information_file,
    information_files,
    notice_letter,
    notice_of,
    rupiah,
)
from .services import (
    DELIVERABLE_OUTCOMES,
    REQUEST_LETTERS,
    ConsequenceTestDraft,
    DeliveryDraft,
    NoticeDraft,
    default_sent_via,
    delivery_problems,
    delivery_record,
    extension_plan,
    letter_awaiting_receipt,
    letter_digest,
    letter_issued_on,
    letter_receipt_problems,
    letter_receipt_record,
    notice_fee_check,
    notice_issue,
    notice_preview,
    notice_problems,
    provide_by_default,
    request_close,
    request_extend,
)

STAGED_KEY = "staged_information"
MAX_FILES = 20
# The copy the applicant asked for suggests how it is delivered.
SUGGESTED_METHOD = {"ambil_langsung": DeliveryMethod.IN_PERSON, "kurir": DeliveryMethod.COURIER,
                    "pos": DeliveryMethod.POST, "email": DeliveryMethod.FILE, "faksimili": DeliveryMethod.POST}


# --- panels on the officer's request page ---------------------------------------------------

def extension_days(item: InformationRequest) -> int | None:
    if item.extended_due is None:
        return None
    return working_calendar().working_days_between(item.notice_due, item.extended_due)


def desk_panel(item: InformationRequest, user, overrides: dict) -> dict:
    """What the notice and delivery panels show; a form only for an action allowed now."""
    notice = notice_of(item)
    rules = clock_rules()
    context: dict = {"notice": notice, "notice_promise_clock": None, "notice_extension_late": False, "notice_no_fee": None,
                     "notice_fee_preview": None, "notice_rules": rules,
                     "notice_rupiah": rupiah, "notice_labels": labels, "deliveries": [], "information_files": [], "delivery_staged": [],
                     "extension_form": None, "notice_form": None, "delivery_form": None, "close_form": None,
                     "notice_sections": NOTICE_SECTIONS, "extension_plan": overrides.get("extension_plan"),
                     "delivery_documents": []}
    working = notice is None and gate_allows(Gate.EXTEND, item.status)
    if working and item.extended_due is None and can(user, Action.EXTEND, item):
        if body_today() <= item.notice_due:
            context["extension_form"] = overrides.get("extension_form") or ExtensionForm(
                formdata=None, working_days=str(rules.extension_wd), sent_via=default_sent_via(item))
        else:
            context["notice_extension_late"] = True
    if notice is None and gate_allows(Gate.NOTICE, item.status) and can(user, Action.ISSUE_NOTICE, item):
        context["notice_form"] = exemption_choices(overrides.get("notice_form") or notice_form_for_today()(
            formdata=None, sent_via=default_sent_via(item),
            provide_by=provide_by_default(item, body_today()).isoformat(), ex_unit=_default_exemption_unit(item)))
        context.update(_new_exemption_context(user))
        context["notice_no_fee"] = no_fee_reason(item)
        context["notice_fee_preview"] = overrides.get("notice_fee_preview")
    if notice is not None:
        context.update(_linked_exemption(notice, user))
        context["notice_promise_clock"] = promise_clock(item, working_calendar(), body_today(),
                                                        current_app.config["DUE_SOON_WD"])
        context["deliveries"] = deliveries_of(item)
        context["information_files"] = information_files(item)
        if (gate_allows(Gate.DELIVER, item.status) and notice.outcome in DELIVERABLE_OUTCOMES
                and can(user, Action.DELIVER, item)):
            method = (DeliveryMethod.FILE if item.access_method == "salinan_softcopy"
                      else SUGGESTED_METHOD.get(item.copy_delivery or "", DeliveryMethod.IN_PERSON))
            context["delivery_form"] = overrides.get("delivery_form") or DeliveryForm(
                formdata=None, method=method.value, fee_paid=str(notice.fee_amount))
            context["delivery_documents"] = deliverable_documents(item)
            from ..dip.selectors import suggestions

            context["delivery_catalogue"] = suggestions(item.rincian or "")
        if gate_allows(Gate.CLOSE, item.status) and can(user, Action.CLOSE, item):
            context["close_form"] = CloseForm(formdata=None)
    # The numbered extension letter's receipt is recorded with its hand-over (desk.letter_views);
    # an extension from before the numbered letters keeps the receipt form here.
    extension_letters = official_letters_of(item, OfficialLetterKind.EXTENSION) if item.extended_due else []
    context["extension_letter"] = extension_letters[-1] if extension_letters else None
    context["letter_receipt_forms"] = {
        letter: overrides.get(f"letter_receipt_form_{letter}") or LetterReceiptForm(formdata=None)
        for letter in REQUEST_LETTERS
        if letter_awaiting_receipt(item, letter) and can(user, Action.RECORD_LETTER_RECEIPT, item)
        and not (letter == "extension" and extension_letters)}
    # Overrides are applied after every panel's context: a form kept from a refused or stale
    # POST must not bring back an action the fresh state no longer allows.
    for name in ("extension_form", "notice_form", "delivery_form", "close_form"):
        context["notice_allows_" + name.removesuffix("_form")] = context[name] is not None
    return context


def delivery_panel(item: InformationRequest, user, overrides: dict) -> dict:
    """The delivery panel reads what ``desk_panel`` gives."""
    return {}


# --- helpers ----------------------------------------------------------------------------------

def _me():
    """The signed-in officer as a plain object (services never see the proxy)."""
    return current_user._get_current_object()


def _expected_version(form) -> int | None:
    return parse_int(form.version.data, low=0)


def _back(item: InformationRequest, message: str):
    flash(message, "success")
    return redirect(url_for("desk.request_page", request_id=item.id), code=303)


def _invalid(item: InformationRequest, form_name: str, form, error: DomainError | None = None):
    """Re-render the request page with the messages next to the fields (422), text kept."""
    rollback()
    if error is not None:
        errors_onto_form(form, error)
    item = desk_request_or_404(item.id)
    return render_request_page(item, status=422, **{form_name: form})


def notice_pdf_response(item: InformationRequest, notice):
    from .pdf import notice_pdf

    content = notice_pdf(notice_letter(item, notice))
    commit()  # a calendar year imported on first need is kept
    name = "pemberitahuan-" + re.sub(r"[^A-Za-z0-9]+", "-", notice.number).strip("-") + ".pdf"
    response = send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=True,
                         download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def information_file_response(attachment: Attachment):
    response = send_file(io.BytesIO(attachment_read(attachment)), mimetype=attachment.content_type,
                         as_attachment=True, download_name=attachment.original_name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the written notice -----------------------------------------------------------------------

def notice_form_for_today() -> type[NoticeForm]:
    """The notice form with a quantity field for each tariff line in effect today."""
    return notice_form_class(NoticeForm, tariff_in_effect(body_today()))


def exemption_choices(form: NoticeForm) -> NoticeForm:
    """The approved exemption decisions a refusal may cite (an expired one is listed, marked, and
    refused if chosen: Pasal 20)."""
    from ..exemptions.selectors import approved_decisions

    _unit_choices(form)
    today = body_today()
    form.ct_exemption.choices = [("", _("Tidak merujuk penetapan: uji konsekuensi diisi di bawah"))] + [
        (str(decision.id), f"{decision.number} — {decision.title} (Pasal 17 huruf {decision.pasal17_letter})"
         + (" — " + _("kedaluwarsa") if decision.expired_on(today) else ""))
        for decision in approved_decisions()]
    return form


def _unit_choices(form: NoticeForm) -> None:
    """The units a new exemption decision may name: any active unit for PPID Utama, the officer's
    own for a PPID Pelaksana officer (exemptions.services.exemption_problems checks it too)."""
    from ..exemptions.selectors import active_units
    from ..exemptions.services import is_utama

    units = active_units()
    if not is_utama(current_user):
        units = [unit for unit in units if unit.id == current_user.unit_id]
    form.ex_unit.choices = [SelectChoice("", _("— pilih unit —"))] + [SelectChoice(str(unit.id), unit.name)
                                                                       for unit in units]


def _default_exemption_unit(item: InformationRequest) -> str:
    """The unit a new decision names unless changed: the officer's own (a PPID Pelaksana), else the
    unit that last answered (or holds) the request's task, else PPID Utama's own unit."""
    from ..exemptions.services import is_utama
    from ..routing.models import TaskStatus
    from ..routing.selectors import tasks_of_request

    if not is_utama(current_user):
        return str(current_user.unit_id or "")
    tasks = [task for task in tasks_of_request(item.id)
             if task.status in (TaskStatus.ANSWERED.value, TaskStatus.OPEN.value)]
    if tasks:
        return str(tasks[-1].unit_id)
    return str(current_user.unit_id or "")


def _new_exemption_context(user) -> dict:
    from ..exemptions.notice_services import may_record_from_notice
    from ..exemptions.services import is_utama

    return {"notice_records_exemption": may_record_from_notice(user), "notice_exemption_approves": is_utama(user)}


def _linked_exemption(notice, user) -> dict:
    """The exemption decision an issued notice's test cites or recorded, for the request page."""
    test = notice.consequence_test
    if test is None or test.exemption_id is None:
        return {"notice_exemption": None}
    from ..exemptions.selectors import decision_get
    from ..exemptions.services import may_view

    decision = decision_get(test.exemption_id)
    return {"notice_exemption": decision,
            "notice_exemption_viewable": decision is not None and may_view(user, decision),
            "notice_exemption_recorded": decision is not None and decision.request_id == notice.request_id}


def _new_exemption_plan(form: NoticeForm, draft: NoticeDraft):
    """The decision the notice will record (None: none asked for, or the outcome needs none), and
    the messages by field of what is wrong with it."""
    from ..exemptions.notice_services import NoticeExemptionDraft, notice_exemption_plan

    if not form.ex_new.data or not notice_field_applies("ex_new", draft.outcome):
        return None, {}
    new = NoticeExemptionDraft(
        unit_id=parse_int(form.ex_unit.data), title=form.ex_title.data or "",
        description=form.ex_description.data or "", letter=form.ex_letter.data or "",
        legal_basis=form.ex_legal_basis.data or "", weighing=form.ex_weighing.data or "",
        ends_on=getattr(form.ex_ends_on, "day", None), place=form.ex_place.data or "")
    try:
        return notice_exemption_plan(actor=_me(), test=draft.consequence, new=new, decided_on=body_today()), {}
    except ValidationFailed as error:
        return None, error.errors


def cited_decision(form: NoticeForm):
    """The exemption decision the form cites, if it applies to the outcome; a message on the field
    for one that is not (or no longer) an approved, unexpired decision."""
    from ..exemptions.models import ExemptionStatus
    from ..exemptions.selectors import decision_get

    raw = form.ct_exemption.data or ""
    if not raw or not notice_field_applies("ct_exemption", form.outcome.data):
        return None
    decision = decision_get(parse_int(raw)) if parse_int(raw) else None
    if decision is None or decision.status != ExemptionStatus.APPROVED:
        form.ct_exemption.errors = [_("Pilih penetapan dari daftar yang tersedia.")]
        return None
    if decision.expired_on(body_today()):
        form.ct_exemption.errors = [_("Penetapan ini sudah berakhir jangka waktunya (Pasal 20): tidak dapat "
                                      "menjadi dasar penolakan. Lakukan uji konsekuensi baru di bawah.")]
        return None
    return decision


def _cited_test(form: NoticeForm, decision) -> ConsequenceTestDraft:
    """The test as typed; where a field was left empty, the cited decision's own words."""
    def typed(field, fallback: str) -> str:
        return field.data or (fallback if decision is not None else "")

    if decision is None:
        return ConsequenceTestDraft(
            letters=tuple(form.pasal17.data or ()), information=form.ct_information.data or "",
            legal_basis=form.ct_legal_basis.data or "", harm=form.ct_harm.data or "",
            public_interest=form.ct_public_interest.data or "",
            exemption_period=form.ct_exemption_period.data or "")
    period = decision.period + (" " + _("(sampai %(day)s)", day=long_date(decision.ends_on)) if decision.ends_on else "")
    return ConsequenceTestDraft(
        letters=tuple(form.pasal17.data or ()) or (decision.pasal17_letter,),
        information=typed(form.ct_information, f"{decision.title}. {decision.description}"),
        legal_basis=typed(form.ct_legal_basis, decision.legal_basis), harm=typed(form.ct_harm, decision.harm),
        public_interest=typed(form.ct_public_interest, f"{decision.public_interest}\n{decision.weighing}"),
        exemption_period=typed(form.ct_exemption_period, period), exemption_id=decision.id)


def _notice_draft(form: NoticeForm, decision=None) -> NoticeDraft:
    """The draft of what applies to the chosen outcome; what was typed in the items that do not
    apply stays in the form but is not part of the notice (nor checked). ``decision``: the exemption
    decision cited (``cited_decision``)."""
    held = {"yes": True, "no": False}.get(form.held.data or "")
    outcome = form.outcome.data or ""
    applies = {name: notice_field_applies(name, outcome) for name in ("holder_body", "pasal17", "delivery_form")}
    fee = applies["delivery_form"]
    return NoticeDraft(
        outcome=outcome, held=held, holder_body=(form.holder_body.data or None) if applies["holder_body"] else None,
        holder_unknown=bool(form.holder_unknown.data) and applies["holder_body"], materials=form.materials.data or None,
        redactions=form.redactions.data or None, delivery_form=form.delivery_form.data or None,
        fee_amount=fee_total(form) if fee else 0, fee_lines=fee_line_drafts(form) if fee else (),
        fee_reason=(form.fee_reason.data or None) if fee else None,
        payment_method=(form.payment_method.data or None) if fee else None,
        provide_by=getattr(form.provide_by, "day", None) if fee else None, remarks=form.remarks.data or None,
        consequence=_cited_test(form, decision) if applies["pasal17"] else ConsequenceTestDraft(),
    )


# The fields the preview page carries back to the issue (everything the officer posted but the
# form's own token and the preview's digest, which the page writes afresh).
_NOT_CARRIED = {"csrf_token", "preview_digest"}


@bp.post("/permohonan/<int:request_id>/pemberitahuan", endpoint="notice_issue")
@roles_required(*STAFF_ROLES)
def notice_issue_view(request_id: int):
    """One form, four buttons: "Hitung biaya" (?hitung=1), the no-JavaScript "Tampilkan butir"
    (?keputusan=1: the form again for the chosen outcome), "Pratinjau surat" (?pratinjau=1: the
    letter as it will be issued, nothing written) and, on the preview, "Terbitkan" (no argument:
    issues only the letter whose digest the preview showed, else shows the new preview)."""
    item = desk_request_or_404(request_id)
    require(Action.ISSUE_NOTICE, item)
    form = exemption_choices(notice_form_for_today()())
    valid = form.applicable_valid()
    decision = cited_decision(form)
    valid = valid and not form.ct_exemption.errors
    draft = _notice_draft(form, decision)
    plan, plan_problems = _new_exemption_plan(form, draft)
    if request.args.get("keputusan") or request.args.get("ubah"):  # the form again, as posted, for its outcome
        outcome_errors = list(form.outcome.errors) or ([] if form.outcome.data else [_("Pilih hasil pemberitahuan.")])
        for field in form:
            field.errors = []
        form.outcome.errors = outcome_errors
        rollback()
        return render_request_page(desk_request_or_404(item.id), status=422 if outcome_errors else 200,
                                   notice_form=form)
    if stale_quantities(form, request.form) and notice_field_applies("fee_amount", draft.outcome):
        form.fee_amount.errors = [*form.fee_amount.errors, _(
            "Tarif berubah sejak formulir ini dibuka. Periksa lagi rincian biaya menurut tarif yang berlaku, "
            "lalu kirim ulang.")]
        valid = False
    if request.args.get("hitung"):  # "Hitung biaya" (the button's formaction), without JavaScript: nothing saved
        return _fee_preview(item, form, draft)
    if not valid or plan_problems:
        problems = plan_problems | notice_fee_check(item, draft, body_today()).errors | notice_problems(
            draft, body_today(), item)
        return _invalid(item, "notice_form", form, ValidationFailed(
            {name: message for name, message in problems.items() if not getattr(form, name).errors}))
    sent_via = form.sent_via.data or None
    try:
        letter = notice_preview(actor=_me(), item=item, draft=draft, sent_via=sent_via,
                                cited=preview_citation(plan, body_today()))
    except DomainError as error:
        return _invalid(item, "notice_form", form, error)
    digest = letter_digest(letter, sent_via or default_sent_via(item), also=plan.fingerprint() if plan else None)
    posted = request.form.get("preview_digest") or ""
    if request.args.get("pratinjau") or not hmac.compare_digest(posted, digest):
        rollback()  # a preview writes nothing (not even a calendar year imported on the way)
        return _preview_page(item, form, letter, digest, changed=bool(posted) and not request.args.get("pratinjau"),
                             plan=plan)
    try:
        if plan is None:
            notice = notice_issue(actor=_me(), item=item, draft=draft, sent_via=sent_via,
                                  expected_version=_expected_version(form))
        else:
            notice, recorded = notice_issue_recording_exemption(
                actor=_me(), item=item, draft=draft, plan=plan, sent_via=sent_via,
                expected_version=_expected_version(form))
        commit()
    except STALE_ERRORS:
        return stale_response(item, notice_form=form)
    except DomainError as error:
        return _invalid(item, "notice_form", form, error)
    if plan is None:
        return _back(item, _("Pemberitahuan tertulis %(number)s terbit dan dikirim kepada pemohon.",
                             number=notice.number))
    if recorded.number:
        return _back(item, _("Pemberitahuan tertulis %(number)s terbit dan dikirim kepada pemohon. Uji "
                             "konsekuensinya ditetapkan dengan nomor %(decision)s dan tampil di Daftar Informasi "
                             "yang Dikecualikan.", number=notice.number, decision=recorded.number))
    return _back(item, _("Pemberitahuan tertulis %(number)s terbit dan dikirim kepada pemohon. Penetapan dari uji "
                         "konsekuensinya diajukan ke PPID Utama untuk disetujui.", number=notice.number))


def _preview_page(item: InformationRequest, form, letter, digest: str, *, changed: bool, plan=None):
    """The letter as it will be issued, marked as a preview, with the form's content carried in
    hidden fields to "Terbitkan" (or back to the form with "Ubah isian"); ``plan``: the exemption
    decision the issue records, shown below the letter."""
    posted = [(name, value) for name, value in request.form.items(multi=True) if name not in _NOT_CARRIED]
    return render("notices/preview.html", block="preview", item=item, letter=letter, digest=digest,
                  posted=posted, changed=changed, plan=plan,
                  back_url=url_for("desk.request_page", request_id=item.id))


def _fee_preview(item: InformationRequest, form, draft: NoticeDraft):
    """The lines and the total as the notice would charge them, with the fee's messages."""
    check = notice_fee_check(item, draft, body_today())
    fee_fields = {name: message for name, message in check.errors.items() if not getattr(form, name).errors}
    errors_onto_form(form, ValidationFailed(fee_fields))
    invalid = any(field.errors for field in form if field.name.startswith(("fee_", "payment_method")))
    rollback()
    return render_request_page(desk_request_or_404(item.id), status=422 if invalid else 200, notice_form=form,
                               notice_fee_preview=check)


@bp.get("/permohonan/<int:request_id>/pemberitahuan", endpoint="notice_letter")
@roles_required(*STAFF_ROLES)
def notice_letter_view(request_id: int):
    item = desk_request_or_404(request_id)
    notice = notice_of(item)
    if notice is None:
        abort(404)
    letter = notice_letter(item, notice)
    commit()  # a calendar year imported on first need is kept
    return render("notices/letter.html", block="letter", item=item, notice=notice, letter=letter,
                  pdf_url=url_for("notices.notice_pdf", request_id=item.id),
                  back_url=url_for("desk.request_page", request_id=item.id))


@bp.get("/permohonan/<int:request_id>/pemberitahuan.pdf")
@roles_required(*STAFF_ROLES)
def notice_pdf(request_id: int):
    item = desk_request_or_404(request_id)
    notice = notice_of(item)
    if notice is None:
        abort(404)
    return notice_pdf_response(item, notice)


# --- the extension ----------------------------------------------------------------------------

@bp.post("/permohonan/<int:request_id>/perpanjangan", endpoint="request_extend")
@roles_required(*STAFF_ROLES)
def extension_grant(request_id: int):
    """Two steps: the form's POST checks the extension and shows the new deadline and the reasons
    to confirm (nothing written); the confirmation's POST (``konfirmasi=1``) writes it."""
    item = desk_request_or_404(request_id)
    require(Action.EXTEND, item)
    form = ExtensionForm()
    if not form.validate():
        return _invalid(item, "extension_form", form)
    arguments = {"reason": form.reason.data or "", "working_days": getattr(form.working_days, "number", None),
                 "sent_via": form.sent_via.data or None}
    if not request.form.get("konfirmasi") or request.form.get("ubah"):
        try:
            plan = None if request.form.get("ubah") else extension_plan(
                item=item, expected_version=_expected_version(form), **arguments)
        except STALE_ERRORS:
            return stale_response(item, extension_form=form)
        except DomainError as error:
            return _invalid(item, "extension_form", form, error)
        rollback()  # the confirmation writes nothing
        return render_request_page(desk_request_or_404(item.id), extension_form=form, extension_plan=plan)
    try:
        request_extend(actor=_me(), item=item, expected_version=_expected_version(form), **arguments)
        commit()
    except STALE_ERRORS:
        return stale_response(item, extension_form=form)
    except DomainError as error:
        return _invalid(item, "extension_form", form, error)
    return _back(item, _("Jangka waktu diperpanjang sampai %(date)s; alasannya dikirim kepada pemohon.",
                         date=long_date(item.extended_due)))


# --- the day a letter sent by post or courier was received -------------------------------------

@bp.post("/permohonan/<int:request_id>/surat/<letter>/diterima", endpoint="letter_receipt")
@roles_required(*STAFF_ROLES)
def letter_receipt_view(request_id: int, letter: str):
    item = desk_request_or_404(request_id)
    if letter not in REQUEST_LETTERS:
        abort(404)
    require(Action.RECORD_LETTER_RECEIPT, item)
    form = LetterReceiptForm()
    form_name = f"letter_receipt_form_{letter}"
    valid = form.validate()
    proof = request_views.document_for_field(form, AttachmentPurpose.LETTER_RECEIPT, form.proof, form.proof_token,
                                             required=True)
    if valid and not form.proof.errors and letter_awaiting_receipt(item, letter):
        problems = letter_receipt_problems(received_on=getattr(form.received_on, "day", None), proof=proof,
                                           request_id=item.id, issued_on=letter_issued_on(item, letter),
                                           today=body_today())
        errors_onto_form(form, ValidationFailed({k: v for k, v in problems.items() if not getattr(form, k).errors}))
        valid = not problems
    if not valid or form.proof.errors:
        commit()  # keeps an accepted proof, so it is not asked for again; nothing else changed
        return render_request_page(desk_request_or_404(item.id), status=422, **{form_name: form})
    try:
        letter_receipt_record(actor=_me(), item=item, letter=letter, received_on=getattr(form.received_on, "day", None),
                              proof=proof, expected_version=_expected_version(form))
        commit()
    except STALE_ERRORS:
        return stale_response(item, **{form_name: form})
    except DomainError as error:
        return _invalid(item, form_name, form, error)
    return _back(item, _("Tanggal %(letter)s diterima pemohon dicatat: %(date)s.",
                         letter=labels.LETTER_LABELS[letter], date=long_date(item.notice_received_on if letter == "notice"
                                                                             else item.extension_received_on)))


# --- delivery and closing ---------------------------------------------------------------------

def _staged_files(form: DeliveryForm) -> list[Attachment]:
    """Files accepted on this or an earlier try of the form (kept by token), checked by content."""
    allowed = session.get(STAGED_KEY, [])
    tokens = [t for t in (form.file_tokens.data or "").split(",") if t in allowed]
    files = [a for a in (staged_attachment(t, AttachmentPurpose.INFORMATION) for t in tokens) if a]
    form.files.errors = list(form.files.errors)
    for storage in form.files.data or []:
        if not getattr(storage, "filename", ""):
            continue
        if len(files) >= MAX_FILES:
            form.files.errors.append(_("Paling banyak %(n)d berkas sekali kirim.", n=MAX_FILES))
            break
        try:
            files.append(attachment_stage(field="files", purpose=AttachmentPurpose.INFORMATION, storage=storage))
        except FieldError as error:
            form.files.errors.append(f"{storage.filename}: {error.message}")
    session[STAGED_KEY] = (allowed + [f.staged_token for f in files if f.staged_token not in allowed])[-MAX_FILES:]
    form.file_tokens.data = ",".join(f.staged_token for f in files)
    return files


def _catalogue_number(typed: str | None) -> int | None:
    """The item number typed, or taken from its pasted address (…/informasi/12)."""
    found = re.search(r"(\d+)\s*/?\s*$", typed or "")
    return parse_int(found.group(1)) if found else None


@bp.post("/permohonan/<int:request_id>/penyampaian", endpoint="delivery_record")
@roles_required(*STAFF_ROLES)
def delivery_record_view(request_id: int):
    item = desk_request_or_404(request_id)
    require(Action.DELIVER, item)
    form = DeliveryForm()
    documents = deliverable_documents(item)
    form.documents.choices = [(str(document.id), document.original_name) for document, _unit in documents]
    valid = form.validate()
    files = _staged_files(form)
    chosen = set(form.documents.data or [])  # ids not offered are refused next to the field (pre_validate)
    picked = [document for document, _unit in documents if str(document.id) in chosen]
    draft = DeliveryDraft(
        method=form.method.data or "", link_url=form.link_url.data or None, note=form.note.data or None,
        fee_paid=getattr(form.fee_paid, "amount", None) or 0, payment_method=form.payment_method.data or None,
        payment_reference=form.payment_reference.data or None,
        published_item_id=_catalogue_number(form.published_item.data))
    notice = notice_of(item)
    problems = delivery_problems(draft, files, notice.fee_amount, picked) if notice is not None else {}
    if not valid or form.files.errors or problems:
        errors_onto_form(form, ValidationFailed({k: v for k, v in problems.items() if not getattr(form, k).errors}))
        commit()  # keeps the accepted files, so they are not asked for again
        return render_request_page(desk_request_or_404(item.id), status=422, delivery_form=form,
                                   delivery_staged=files)
    try:
        delivery_record(actor=_me(), item=item, draft=draft, files=files, picked=picked,
                        expected_version=_expected_version(form))
        commit()
    except STALE_ERRORS:
        return stale_response(item, delivery_form=form)
    except DomainError as error:
        return _invalid(item, "delivery_form", form, error)
    session[STAGED_KEY] = []
    return _back(item, _("Penyampaian informasi dicatat dan pemohon diberi tahu."))


@bp.post("/permohonan/<int:request_id>/tutup", endpoint="request_close")
@roles_required(*STAFF_ROLES)
def request_close_view(request_id: int):
    item = desk_request_or_404(request_id)
    require(Action.CLOSE, item)
    form = CloseForm()
    form.validate()
    try:
        request_close(actor=_me(), item=item, expected_version=_expected_version(form))
        commit()
    except STALE_ERRORS:
        return stale_response(item)
    except DomainError as error:
        return _invalid(item, "close_form", form, error)
    return _back(item, _("Permohonan ditutup."))


@bp.get("/permohonan/<int:request_id>/informasi/<int:attachment_id>")
@roles_required(*STAFF_ROLES)
def download_information(request_id: int, attachment_id: int):
    item = desk_request_or_404(request_id)
    attachment = information_file(item, attachment_id)
    if attachment is None:
        abort(404)
    request_access_logged(actor=_me(), item=item, kind="information_downloaded",
                  data={"attachment_id": attachment.id, "name": attachment.original_name, "by": "officer"})
    commit()
    return information_file_response(attachment)


# --- what the applicant sees ------------------------------------------------------------------

def applicant_panel(item: InformationRequest, user, overrides: dict) -> dict:
    notice = notice_of(item)
    context: dict = {"notice": notice, "notice_letter": None, "deliveries": [], "information_files": [],
                     "extension_explanation": None, "extension_letter": None, "notice_rupiah": rupiah, "notice_labels": labels}
    if item.extended_due is not None:
        days = extension_days(item)
        context["extension_explanation"] = working_calendar().explain(item.notice_due, days, stored=item.extended_due)
        letters = official_letters_of(item, OfficialLetterKind.EXTENSION)
        context["extension_letter"] = letters[-1] if letters else None
    if notice is not None:
        context["notice_letter"] = notice_letter(item, notice)
        context["deliveries"] = deliveries_of(item)
        context["information_files"] = information_files(item)
    return context

