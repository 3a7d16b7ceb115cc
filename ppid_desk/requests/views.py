"""Citizen-facing request pages: file, receipt, follow. Thin: parse → check → service → render."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.roles import STAFF_ROLES
from ..attachments.models import Attachment, AttachmentPurpose
from ..attachments.services import attachment_stage, staged_attachment, staging_owner
from ..audit.selectors import events_for
from ..dbtypes import utcnow
from ..errors import FieldError
from ..extensions import db, limiter
from ..faults import fault_point
from ..sla import read_clock
from ..web.formatting import long_date
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.registry import APPLICANT_PANELS, panels_context
from ..web.render_cache import cached_page
from ..web.transaction import commit
from ..workcalendar.selectors import body_today, clock_rules, local_date, working_calendar
from .blueprint import bp
from .forms import RequestForm, TrackingRevokeForm, TrackLookupForm
from .labels import APPLICANT_EVENT_KINDS, NEXT_STEP_SENTENCES, NEXT_STEP_UNDATED
from .limits import submission_count
from .models import InformationRequest
from .next_step import Step, next_step
from .selectors import (
    acts_as_applicant,
    can_view_request,
    grant_of,
    last_applicant_of,
    request_by_number_and_email,
    requests_of_user,
)
from .services import ApplicantDetails, RequestDetails, request_register
from .session_grants import grant_held_in_session, grant_in_session, session_grants, session_user
from .tracking import LinkState, can_send_new_link, tracking_link_resolve, tracking_link_revoke

STAGED_KEY = "staged_uploads"
STAGED_SLOTS_KEY = "staged_slots"  # {"<form path>#<field>": the token staged for it}


def _user():
    return current_user if current_user.is_authenticated else None


def _prefill(form: RequestForm) -> None:
    user = _user()
    if user is None:
        return
    known = last_applicant_of(user)
    form.name.data = known.name if known else user.name
    form.email.data = known.email if known else user.email
    # Phone and address kept on the account (account settings) come first: they are the person's own.
    form.phone.data = user.phone or (known.phone if known else None)
    form.address.data = user.address or (known.address if known else None)
    if known:
        form.applicant_kind.data = known.kind
        form.occupation.data = known.occupation
        form.legal_approval_number.data = known.legal_approval_number


def _staging_owner() -> str | None:
    """Whose quota of staged bytes an upload counts against: the client's address, except for
    staff (accountable, logged in, and many of them behind one office address)."""
    if current_user.is_authenticated and current_user.has_role(*STAFF_ROLES):
        return None
    return staging_owner()


def document_for_field(form: RequestForm, purpose: str, field, token_field, required: bool) -> Attachment | None:
    """The document for one upload field: a new upload, or one accepted on an earlier try.

    One staged file per form field per browser session: a new upload replaces (and deletes)
    the one this session staged for the same field of the same form (``STAGED_SLOTS_KEY``)."""
    field.errors = list(field.errors)
    allowed = session.get(STAGED_KEY, [])
    storage = field.data
    if storage is not None and getattr(storage, "filename", ""):
        slot = f"{request.path}#{field.name}"
        slots = dict(session.get(STAGED_SLOTS_KEY, {}))
        previous = slots.get(slot) if slots.get(slot) in allowed else None
        try:
            attachment = attachment_stage(field=field.name, purpose=purpose, storage=storage,
                                          owner=_staging_owner(), replaces=previous)
        except FieldError as error:
            field.errors.append(error.message)
            return staged_attachment(token_field.data, purpose) if token_field.data in allowed else None
        slots.pop(slot, None)
        slots[slot] = attachment.staged_token
        session[STAGED_SLOTS_KEY] = dict(list(slots.items())[-10:])
        session[STAGED_KEY] = ([t for t in allowed if t != previous] + [attachment.staged_token])[-10:]
        token_field.data = attachment.staged_token
        return attachment
    if token_field.data in allowed:
        attachment = staged_attachment(token_field.data, purpose)
        if attachment is not None:
            return attachment
    token_field.data = ""
    if required:
        field.errors.append(_("Unggah %(what)s (JPEG, PNG atau PDF, paling besar %(mb)d MB).",
                              what=field.label.text, mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)))
    return None


def _staged_documents(form: RequestForm) -> dict[str, Attachment | None]:
    form.identity_document.label.text = form.identity_document_label()
    return {
        "identity": document_for_field(form, AttachmentPurpose.IDENTITY_DOCUMENT, form.identity_document,
                              form.identity_document_token, required=True),
        "attorney": document_for_field(form, AttachmentPurpose.POWER_OF_ATTORNEY, form.power_of_attorney,
                              form.power_of_attorney_token, required=form.needs_power_of_attorney()),
    }


def _render_form(form: RequestForm, documents: dict, status: int = 200, **context):
    return render("requests/new.html", form=form, documents=documents, status=status,
                  upload_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
                  notice_wd=current_app.config["NOTICE_WD"], **context)


@bp.route("/permohonan/baru", methods=["GET", "POST"])
@public_page_limit
@cached_page
def new_request():
    form = RequestForm()
    if not form.is_submitted():
        _prefill(form)
        return _render_form(form, {})
    valid = form.validate()
    documents = _staged_documents(form)
    if not valid or form.identity_document.errors or form.power_of_attorney.errors:
        commit()  # keeps accepted uploads, so they are not asked for again
        return _render_form(form, documents, status=422)
    # Only a valid submission counts towards the limits (per IP and e-mail; per IP, higher).
    refused = submission_count(email=form.email.data)
    if refused is not None:
        commit()  # keeps accepted uploads: after the wait, the form is sent again as it is
        response = _render_form(form, documents, status=429, retry_minutes=refused.minutes_left)
        response.headers["Retry-After"] = str(refused.seconds_left)
        return response
    attorney = documents["attorney"] if form.needs_power_of_attorney() else None
    item = request_register(
        actor=_user(), owner=_user(), received_at=utcnow(),
        applicant=ApplicantDetails(
            kind=form.applicant_kind.data, name=form.name.data, nik=form.nik.data or None,
            legal_approval_number=form.legal_approval_number.data or None,
            representative_name=form.representative_name.data or None,
            address=form.address.data, occupation=form.occupation.data,
            phone=form.phone.data, email=form.email.data.lower(),
        ),
        details=RequestDetails(rincian=form.rincian.data, tujuan=form.tujuan.data,
                               access_method=form.access_method.data,
                               copy_delivery=form.copy_delivery.data or None, **form.accessibility()),
        documents=[d for d in (documents["identity"], attorney) if d is not None],
    )
    # Read before the commit expires the row, so nothing is loaded again afterwards.
    request_id, grant = item.id, grant_of(item)
    fault_point("before_commit")
    commit()
    fault_point("after_commit")
    session[STAGED_KEY] = []
    grant_held_in_session(grant)
    return redirect(url_for("requests.receipt", request_id=request_id), code=303)


def visible_request_or_404(request_id: int) -> InformationRequest:
    item = db.session.get(InformationRequest, request_id)
    if item is None or not can_view_request(item, session_user(), session_grants()):
        abort(404)  # the same answer for "absent" and "not yours": nothing to enumerate
    return item


def applicant_request_or_404(request_id: int) -> InformationRequest:
    """The request, for acting as its applicant (objection, completion, dispute): its owner or a
    browser holding a grant. Staff read the applicant's pages but act from the desk (403)."""
    item = visible_request_or_404(request_id)
    if not acts_as_applicant(item, session_user(), session_grants()):
        abort(403)
    return item


def _reading(item: InformationRequest, calendar, today):
    """The notice clock of one request, derived at read time from its cached due date."""
    stopped = local_date(item.clock_stopped_at) if item.clock_stopped_at else None
    return read_clock(item.current_due, today, calendar, stopped_on=stopped,
                      due_soon_wd=current_app.config["DUE_SOON_WD"])


def _clock_context(item: InformationRequest) -> dict:
    calendar = working_calendar()
    rules = clock_rules()
    today = body_today()
    return {
        "explanation": calendar.explain(item.receipt_date, rules.notice_wd, stored=item.notice_due),
        "clock": _reading(item, calendar, today),
        "rules": rules,
    }


@bp.get("/permohonan/<int:request_id>/tanda-bukti")
@public_page_limit
def receipt(request_id: int):
    item = visible_request_or_404(request_id)
    context = _clock_context(item)
    return render("requests/receipt.html", item=item, **context)


def next_step_sentence(step: Step) -> str:
    """The sentence for a ``next_step.Step``, its date written the one way (``long_date``)."""
    if step.day is None:
        undated = NEXT_STEP_UNDATED.get(str(step.kind))
        return str(undated if undated is not None else NEXT_STEP_SENTENCES[step.kind])
    return str(NEXT_STEP_SENTENCES[step.kind]) % {"date": long_date(step.day)}


def render_detail(item: InformationRequest, *, status: int = 200, block: str | None = None, **overrides):
    """The applicant's request page with every registered section (forms kept from overrides)."""
    context = _clock_context(item)
    # Staff may read the applicant's page; only the applicant sees the applicant's actions.
    user = _user()
    context["acts_as_applicant"] = acts_as_applicant(item, user, session_grants())
    context.update(panels_context(APPLICANT_PANELS, item, user, overrides))
    events = [e for e in events_for("request", item.id) if e.kind in APPLICANT_EVENT_KINDS]
    step = next_step(item, body_today())
    return render("requests/detail.html", item=item, events=events, panels=APPLICANT_PANELS,
                  block=block, status=status, step=step, next_step_sentence=next_step_sentence(step), **context)


@bp.get("/permohonan/<int:request_id>")
@public_page_limit
def detail(request_id: int):
    item = visible_request_or_404(request_id)
    return render_detail(item, block="status")


@bp.get("/lacak/<token>")
@public_page_limit
def track_token(token: str):
    state, item = tracking_link_resolve(token, body_today())
    if item is None:
        # Revoked, expired or unknown: say which, offer the look-up, show nothing of the request.
        status = 404 if state == LinkState.UNKNOWN else 410
        return render("requests/track_link.html", state=state, form=TrackLookupForm(formdata=None), status=status)
    grant_in_session(item.id)
    return redirect(url_for("requests.detail", request_id=item.id), code=303)


def tracking_panel(item: InformationRequest, user, overrides: dict) -> dict:
    return {"tracking_form": overrides.get("tracking_form") or TrackingRevokeForm(formdata=None),
            "tracking_can_mail": can_send_new_link(item)}


@bp.post("/permohonan/<int:request_id>/tautan-lacak/cabut")
@limiter.limit(lambda: current_app.config["SUBMIT_RATE_LIMIT"], methods=["POST"])
def revoke_tracking_link(request_id: int):
    """The applicant revokes the tracking link (a leaked e-mail, a shared computer)."""
    item = applicant_request_or_404(request_id)
    form = TrackingRevokeForm()
    valid = form.validate()
    if valid and form.send_new_link.data and not can_send_new_link(item):
        form.send_new_link.errors = [_("Permohonan ini tidak mencantumkan alamat e-mail; tautan baru tidak dapat "
                                       "dikirim. Hapus centang ini, lalu buka permohonan dengan nomor dan e-mail.")]
        valid = False
    if not valid:
        return render_detail(item, status=422, tracking_form=form)
    user = _user()
    tracking_link_revoke(actor=user, actor_label=None if user else _("%(name)s (pemohon, tanpa akun)",
                                                                     name=item.applicant.name),
                         item=item, send_new_link=bool(form.send_new_link.data))
    commit()
    sent = [_("Tautan baru sudah dikirim ke e-mail Anda.")] if form.send_new_link.data else []
    if user is not None and item.user_id == user.id:
        flash(" ".join([_("Tautan pelacakan lama sudah dicabut."), *sent]), "success")
        return redirect(url_for("requests.detail", request_id=item.id), code=303)
    # A guest's grant ended with the link, this browser's too: the look-up opens it again.
    flash(" ".join([_("Tautan pelacakan lama sudah dicabut. Untuk membuka permohonan ini lagi, masukkan nomor "
                      "pendaftaran dan e-mail Anda."), *sent]), "success")
    return redirect(url_for("requests.track_lookup"), code=303)


@bp.route("/lacak", methods=["GET", "POST"])
@public_page_limit
@limiter.limit(lambda: current_app.config["LOOKUP_RATE_LIMIT"], methods=["POST"])
def track_lookup():
    form = TrackLookupForm()
    if form.validate_on_submit():
        item = request_by_number_and_email(form.number.data, form.email.data)
        if item is not None:
            grant_in_session(item.id)
            return redirect(url_for("requests.detail", request_id=item.id), code=303)
        form.number.errors = [_("Tidak ada permohonan dengan nomor dan e-mail ini. Periksa kembali keduanya.")]
    status = 422 if form.is_submitted() else 200
    return render("requests/track.html", form=form, status=status)


@bp.get("/permohonan-saya")
@login_required
def my_requests():
    calendar = working_calendar()
    today = body_today()
    items = requests_of_user(current_user)
    clocks = {item.id: _reading(item, calendar, today) for item in items}
    return render("requests/mine.html", items=items, clocks=clocks)
