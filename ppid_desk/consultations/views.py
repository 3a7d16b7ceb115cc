"""The desk's log of consultations under ``/meja/konsultasi``: the list with its filters, logging
one, its page with the history, correcting it, withdrawing one logged by mistake, and "Jadikan
permohonan" (the desk's registration form, pre-filled, with the consultation's time as receipt)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import Role
from ..accounts.roles import CONSULTATION_ROLES
from ..dbtypes import utcnow
from ..desk.intake_forms import parse_local_date
from ..desk.intake_services import max_receipt_age_days
from ..desk.policy import can_view
from ..errors import DomainError, FieldError, ValidationFailed
from ..organisation.profile_selectors import body_timezone
from ..requests.models import Channel
from ..requests.services import ApplicantDetails, RequestDetails
from ..web.access import roles_required
from ..web.forms import errors_onto_form, parse_int
from ..web.htmx import render
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today
from .blueprint import bp
from .forms import ConsultationForm, ConvertForm, WithdrawForm, form_from_consultation
from .labels import CHANNEL_LABELS, RESOLUTION_LABELS
from .models import Consultation, ConsultationChannel, Resolution
from .selectors import (
    LIST_LIMIT,
    ListFilter,
    consultation_get,
    consultation_history,
    consultation_of_request,
    desk_consultations,
    filter_units,
    units_for,
)
from .services import (
    EMAIL_RE,
    AlreadyConverted,
    NotAllowed,
    StaleConsultation,
    consultation_convert,
    consultation_log,
    consultation_problems,
    consultation_update,
    consultation_withdraw,
    logs_for_every_unit,
    may_convert,
    may_edit,
    may_log,
    may_view,
    may_withdraw,
)

# The request channel a consultation's channel becomes; the officer picks one for the others.
REQUEST_CHANNEL = {ConsultationChannel.WALK_IN: Channel.WALK_IN, ConsultationChannel.PHONE: Channel.PHONE,
                   ConsultationChannel.EMAIL: Channel.EMAIL}


def _consultation_or_404(consultation_id: int) -> Consultation:
    consultation = consultation_get(consultation_id)
    if consultation is None or not may_view(current_user, consultation):
        abort(404)
    return consultation


def _to_page(consultation_id: int):
    return redirect(url_for("consultations.consultation_page", consultation_id=consultation_id), code=303)


# --- the list ---------------------------------------------------------------------------------

def _read_filter(args) -> tuple[ListFilter, dict[str, str], dict[str, str]]:
    """The list's filter from the query, what was typed (shown again) and a message per bad field;
    a bad date falls back to the default (this year so far) and says so next to the field."""
    today = body_today()
    typed = {name: (args.get(name) or "").strip()[:40] for name in ("dari", "sampai", "unit", "saluran",
                                                                     "tindak_lanjut", "tampil")}
    errors: dict[str, str] = {}
    start, end = date(today.year, 1, 1), today
    for name in ("dari", "sampai"):
        if typed[name]:
            day = parse_local_date(typed[name])
            if day is None or not 2000 <= day.year <= 2200:
                errors[name] = _("Tanggal tidak valid. Tulis seperti 02-03-2026.")
            elif name == "dari":
                start = day
            else:
                end = day
    if start > end and not errors:
        errors["sampai"] = _("Tanggal akhir harus sama dengan atau sesudah tanggal awal.")
        start, end = date(today.year, 1, 1), today
    unit_id = parse_int(typed["unit"]) if typed["unit"] else None
    if typed["unit"] and unit_id is None:
        errors["unit"] = _("Pilih unit dari daftar.")
    channel = typed["saluran"] if typed["saluran"] in {c.value for c in ConsultationChannel} else None
    if typed["saluran"] and channel is None:
        errors["saluran"] = _("Pilih salah satu pilihan yang tersedia.")
    resolution = typed["tindak_lanjut"] if typed["tindak_lanjut"] in {r.value for r in Resolution} else None
    if typed["tindak_lanjut"] and resolution is None:
        errors["tindak_lanjut"] = _("Pilih salah satu pilihan yang tersedia.")
    chosen = ListFilter(start=start, end=end, unit_id=unit_id, channel=channel, resolution=resolution,
                        withdrawn=typed["tampil"] == "dibatalkan")
    return chosen, typed, errors


@bp.get("/meja/konsultasi")
@roles_required(*CONSULTATION_ROLES)
def consultation_list():
    chosen, typed, errors = _read_filter(request.args)
    result = desk_consultations(current_user, chosen)
    return render("consultations/list.html", block="consultation_main", result=result, chosen=chosen,
                  typed=typed, errors=errors, units=filter_units(current_user), limit=LIST_LIMIT,
                  channel_labels=CHANNEL_LABELS, resolution_labels=RESOLUTION_LABELS,
                  can_log=may_log(current_user), every_unit=logs_for_every_unit(current_user))


# --- logging and correcting -------------------------------------------------------------------

def _unit_choices(form: ConsultationForm) -> None:
    form.unit_id.choices = [("", _("— pilih unit —"))] + [(str(u.id), u.name) for u in units_for(current_user)]


def _refused(form: ConsultationForm, error: DomainError | None = None) -> None:
    """The form's own messages, then the service's for the fields still without one."""
    problems = consultation_problems(form.draft(body_timezone()), actor=current_user) if error is None else {}
    if isinstance(error, ValidationFailed):
        problems = error.errors
    errors_onto_form(form, ValidationFailed({name: message for name, message in problems.items()
                                             if not getattr(form, name).errors}))


def _form_page(form: ConsultationForm, *, consultation: Consultation | None = None, status: int = 200):
    _unit_choices(form)
    return render("consultations/form.html", block="consultation_main", status=status, form=form,
                  consultation=consultation, timezone=body_timezone())


@bp.route("/meja/konsultasi/baru", methods=["GET", "POST"])
@roles_required(*CONSULTATION_ROLES)
def consultation_new():
    if not may_log(current_user):
        abort(403)  # a unit officer without a unit keeps no log
    if request.method == "GET":
        now = utcnow().astimezone(ZoneInfo(body_timezone()))
        return _form_page(ConsultationForm(formdata=None, occurred_date=now.strftime("%Y-%m-%d"),
                                           occurred_time=now.strftime("%H:%M"),
                                           unit_id=str(current_user.unit_id or "")))
    form = ConsultationForm()
    _unit_choices(form)
    if not form.validate():
        _refused(form)
        return _form_page(form, status=422)
    try:
        consultation = consultation_log(actor=current_user, draft=form.draft(body_timezone()))
        commit()
    except ValidationFailed as error:
        rollback()
        _refused(form, error)
        return _form_page(form, status=422)
    flash(_("Konsultasi dicatat."), "success")
    return _to_page(consultation.id)


@bp.get("/meja/konsultasi/<int:consultation_id>")
@roles_required(*CONSULTATION_ROLES)
def consultation_page(consultation_id: int):
    return _item_page(_consultation_or_404(consultation_id))


def _item_page(consultation: Consultation, *, withdraw_form: WithdrawForm | None = None, status: int = 200):
    user = current_user
    form = withdraw_form or WithdrawForm(formdata=None, version=str(consultation.version))
    return render("consultations/item.html", block="consultation_main", status=status, consultation=consultation,
                  events=consultation_history(consultation), withdraw_form=form,
                  channel_labels=CHANNEL_LABELS, resolution_labels=RESOLUTION_LABELS,
                  request_visible=consultation.request is not None and can_view(user, consultation.request),
                  can={"edit": may_edit(user, consultation), "withdraw": may_withdraw(user, consultation),
                       "convert": may_convert(user, consultation)})


@bp.route("/meja/konsultasi/<int:consultation_id>/ubah", methods=["GET", "POST"])
@roles_required(*CONSULTATION_ROLES)
def consultation_edit(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    if not may_edit(current_user, consultation):
        flash(_("Konsultasi yang dibatalkan tidak dapat diubah."), "error")
        return _to_page(consultation.id)
    if request.method == "GET":
        return _form_page(form_from_consultation(consultation, body_timezone()), consultation=consultation)
    form = ConsultationForm()
    _unit_choices(form)
    if not form.validate():
        _refused(form)
        return _form_page(form, consultation=consultation, status=422)
    try:
        changed = consultation_update(actor=current_user, consultation=consultation,
                                      draft=form.draft(body_timezone()), expected_version=form.expected_version())
        commit()
    except ValidationFailed as error:
        rollback()
        _refused(form, error)
        return _form_page(form, consultation=_consultation_or_404(consultation_id), status=422)
    except (StaleConsultation, StaleDataError, NotAllowed):
        rollback()
        consultation = _consultation_or_404(consultation_id)
        flash(_("Konsultasi ini baru saja diubah oleh petugas lain. Isian Anda masih ada di bawah; periksa "
                "riwayatnya lalu kirim ulang."), "error")
        form.version.data = str(consultation.version)
        return _form_page(form, consultation=consultation, status=409)
    flash(_("Konsultasi disimpan.") if changed else _("Tidak ada yang berubah."), "success")
    return _to_page(consultation.id)


@bp.post("/meja/konsultasi/<int:consultation_id>/batalkan")
@roles_required(*CONSULTATION_ROLES)
def consultation_withdraw_view(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    form = WithdrawForm()
    if not form.validate():
        return _item_page(consultation, withdraw_form=form, status=422)
    try:
        consultation_withdraw(actor=current_user, consultation=consultation, reason=form.reason.data or "",
                              expected_version=form.expected_version())
        commit()
    except ValidationFailed as error:
        rollback()
        errors_onto_form(form, error)
        return _item_page(_consultation_or_404(consultation_id), withdraw_form=form, status=422)
    except (StaleConsultation, StaleDataError):
        rollback()
        flash(_("Konsultasi ini baru saja diubah oleh petugas lain. Periksa keadaannya sekarang, lalu ulangi."),
              "error")
        return _to_page(consultation_id)
    except DomainError as error:
        rollback()
        flash(str(error), "error")
        return _to_page(consultation_id)
    flash(_("Catatan konsultasi dibatalkan. Catatan ini tetap ada tetapi tidak dihitung."), "success")
    return _to_page(consultation_id)


# --- "Jadikan permohonan" ---------------------------------------------------------------------

def _receipt_fields(form: ConvertForm, consultation: Consultation) -> None:
    """The receipt is the consultation's, whatever the browser sent."""
    local = consultation.occurred_at.astimezone(ZoneInfo(body_timezone()))
    form.received_date.data, form.received_time.data = local.strftime("%Y-%m-%d"), local.strftime("%H:%M")


def _prefilled(consultation: Consultation) -> ConvertForm:
    """What the consultation knows: the channel, the question, and the name and contact the
    person agreed to leave."""
    contact = consultation.contact or ""
    is_email = bool(EMAIL_RE.match(contact))
    channel = REQUEST_CHANNEL.get(consultation.channel)
    form = ConvertForm(formdata=None, version=str(consultation.version), channel=channel.value if channel else None,
                       name=consultation.contact_name or "", email=contact if is_email else "",
                       phone="" if is_email else contact, rincian=consultation.topic)
    _receipt_fields(form, consultation)
    return form


def _convert_page(form: ConvertForm, consultation: Consultation, status: int = 200):
    return render("desk/register.html", block="register_main", status=status, form=form, documents={},
                  upload_mb=0, max_age_days=max_receipt_age_days(), timezone=body_timezone(),
                  consultation=consultation,
                  form_action=url_for("consultations.consultation_convert_view", consultation_id=consultation.id))


@bp.route("/meja/konsultasi/<int:consultation_id>/jadikan-permohonan", methods=["GET", "POST"])
@roles_required(Role.PETUGAS, Role.PPID_UTAMA)
def consultation_convert_view(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    if consultation.converted:
        flash(_("Konsultasi ini sudah menjadi permohonan %(number)s.", number=consultation.request.number), "error")
        return _to_page(consultation.id)
    if not may_convert(current_user, consultation):
        flash(_("Konsultasi yang dibatalkan tidak dapat dijadikan permohonan."), "error")
        return _to_page(consultation.id)
    if request.method == "GET":
        return _convert_page(_prefilled(consultation), consultation)
    form = ConvertForm()
    _receipt_fields(form, consultation)
    if not form.validate():
        return _convert_page(form, consultation, status=422)
    try:
        item = consultation_convert(
            actor=current_user, consultation=consultation, channel=form.channel.data,
            applicant=ApplicantDetails(
                kind=form.applicant_kind.data, name=form.name.data, nik=form.nik.data or None,
                legal_approval_number=form.legal_approval_number.data or None,
                representative_name=form.representative_name.data or None,
                address=form.address.data, occupation=form.occupation.data,
                phone=form.phone.data, email=(form.email.data or "").lower()),
            details=RequestDetails(rincian=form.rincian.data, tujuan=form.tujuan.data,
                                   access_method=form.access_method.data,
                                   copy_delivery=form.copy_delivery.data or None, **form.accessibility()),
            expected_version=form.expected_version())
        commit()
    except FieldError as error:  # the receipt is too old for the desk, or the channel
        rollback()
        errors_onto_form(form, error)
        return _convert_page(form, _consultation_or_404(consultation_id), status=422)
    except (AlreadyConverted, StaleConsultation, StaleDataError):
        rollback()
        consultation = _consultation_or_404(consultation_id)
        if consultation.converted:
            flash(_("Konsultasi ini sudah menjadi permohonan %(number)s.", number=consultation.request.number),
                  "error")
            return _to_page(consultation.id)
        flash(_("Konsultasi ini baru saja diubah oleh petugas lain. Isian Anda masih ada di bawah; kirim ulang."),
              "error")
        form.version.data = str(consultation.version)
        return _convert_page(form, consultation, status=409)
    except NotAllowed as error:
        rollback()
        flash(str(error), "error")
        return _to_page(consultation_id)
    flash(_("Permohonan %(number)s terdaftar dari konsultasi, dengan waktu diterima saat konsultasi. Cetak tanda "
            "bukti ini dan serahkan kepada pemohon.", number=item.number), "success")
    return redirect(url_for("requests.receipt", request_id=item.id), code=303)


# --- the request page's panel ------------------------------------------------------------------

def request_panel(item, user, overrides: dict) -> dict:
    """"Berasal dari konsultasi" on the officer's request page; the link for those who may open it."""
    consultation = consultation_of_request(item.id)
    return {"source_consultation": consultation,
            "source_consultation_link": consultation is not None and may_view(user, consultation)}
