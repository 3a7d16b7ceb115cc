"""Officer administration on the desk (administrator only): the list, invite, change roles and
unit, deactivate/reactivate, resend an invitation, import a CSV; and the public page where an
invited officer sets a password. Also the staff identity shown on every page.

Thin: parse → service → commit → redirect 303, or re-render with 422 and the errors next to the
fields (typed values kept).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.models import Event
from ..audit.personal import actor_shown
from ..desk.queue_views import page_window
from ..errors import DomainError, FieldError
from ..extensions import db
from ..web.access import roles_required
from ..web.forms import EmptyForm, errors_onto_form, page_arg
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.spreadsheets import SpreadsheetError, download
from ..web.transaction import commit, rollback
from .blueprint import bp
from .forms import ResetPasswordForm
from .landing import landing_url
from .models import Role, User
from .officer_forms import DeactivateForm, OfficerDetailsForm, OfficerImportForm, OfficerInviteForm
from .officer_import import (
    HEADERS,
    MAX_ROWS,
    officer_import_apply,
    officer_import_check,
    officer_template_csv,
)
from .officer_selectors import (
    OfficerFilters,
    OfficerStatus,
    is_staff,
    officer_list_page,
    officer_or_none,
    officer_status,
    open_task_count,
    unit_choices,
    units_held_by_inactive,
    user_for_invitation,
)
from .officer_services import (
    invitation_accept,
    officer_deactivate,
    officer_invite,
    officer_reactivate,
    officer_resend_invitation,
    officer_update,
)
from .role_labels import ROLE_LABELS, STAFF_ROLES, roles_text, sorted_roles
from .services import duration_text
from .tokens import TokenInvalid

ADMIN_ONLY = (Role.ADMIN,)
SEARCH_MAX = 100
HISTORY_MAX = 100

STATUS_LABELS = {
    OfficerStatus.ACTIVE: _l("Aktif"),
    OfficerStatus.INVITED: _l("Diundang, belum membuat kata sandi"),
    OfficerStatus.INACTIVE: _l("Nonaktif"),
}
USER_EVENT_LABELS = {
    "officer_invited": _l("Diundang sebagai petugas"),
    "invitation_resent": _l("Undangan dikirim ulang"),
    "invitation_accepted": _l("Undangan diterima, kata sandi dibuat"),
    "officer_changed": _l("Nama, peran atau unit diubah"),
    "officer_deactivated": _l("Dinonaktifkan"),
    "officer_reactivated": _l("Diaktifkan kembali"),
    "password_reset": _l("Kata sandi diganti lewat tautan lupa sandi"),
    "login_locked": _l("Percobaan masuk dikunci sementara"),
}


def _actor() -> User:
    return current_user._get_current_object()


# --- who is logged in, on every page --------------------------------------------------------

@dataclass(frozen=True)
class StaffIdentity:
    name: str
    roles: str
    landing: str


def staff_identity() -> StaffIdentity | None:
    """The logged-in officer's name, roles and own work page; None for citizens and visitors."""
    if not current_user.is_authenticated or not is_staff(current_user):
        return None
    staff_roles = [role for role in current_user.roles if role in STAFF_ROLES]
    return StaffIdentity(name=current_user.name, roles=roles_text(staff_roles),
                         landing=landing_url(current_user))


@bp.app_context_processor
def _templates_context() -> dict:
    return {"staff_identity": staff_identity, "units_held_by_inactive": units_held_by_inactive}


# --- the list -------------------------------------------------------------------------------

def _filters() -> tuple[OfficerFilters, int]:
    words = (request.args.get("q") or "").strip()[:SEARCH_MAX]
    role = request.args.get("peran") or None
    status = request.args.get("status") or None
    page = page_arg(request.args) or 1
    return OfficerFilters(
        words=words, role=role if role in STAFF_ROLES else None,
        status=OfficerStatus(status) if status in {s.value for s in OfficerStatus} else None), page


def _list_args(filters: OfficerFilters) -> dict[str, str]:
    args = {"q": filters.words, "peran": filters.role or "", "status": filters.status.value if filters.status else ""}
    return {name: value for name, value in args.items() if value}


@bp.get("/meja/pengguna")
@roles_required(*ADMIN_ONLY)
def officer_list():
    filters, page = _filters()
    result = officer_list_page(filters, page=page)
    args = _list_args(filters)

    def page_url(number: int) -> str:
        return url_for("accounts.officer_list", **args, **({"halaman": number} if number > 1 else {}))

    return render("accounts/officers/list.html", block="officer_rows", result=result, filters=filters,
                  page_url=page_url, page_window=page_window(result.page, result.pages),
                  role_labels=ROLE_LABELS, staff_roles=STAFF_ROLES, status_labels=STATUS_LABELS,
                  statuses=list(OfficerStatus), officer_status=officer_status, sorted_roles=sorted_roles)


# --- invite ---------------------------------------------------------------------------------

def _valid_for() -> str:
    return duration_text(current_app.config["INVITATION_MAX_AGE"])


@bp.route("/meja/pengguna/undang", methods=["GET", "POST"])
@roles_required(*ADMIN_ONLY)
def officer_invite_page():
    form = OfficerInviteForm().set_units(unit_choices())
    if form.validate_on_submit():
        try:
            invitation = officer_invite(actor=_actor(), email=form.email.data, details=form.details())
            commit()
        except DomainError as error:
            rollback()
            errors_onto_form(form, error)
        except IntegrityError:  # the same address invited meanwhile (a double submit)
            rollback()
            form.email.errors = [*form.email.errors, _("Sudah ada petugas dengan e-mail ini. Buka halamannya "
                                                       "untuk mengubah peran atau unitnya.")]
        else:
            flash(_("Undangan dikirim ke %(email)s. Tautannya berlaku %(valid_for)s dan hanya bisa dipakai sekali.",
                    email=invitation.user.email, valid_for=_valid_for()), "success")
            return redirect(url_for("accounts.officer_page", user_id=invitation.user.id), code=303)
    status = 422 if form.is_submitted() else 200
    return render("accounts/officers/invite.html", form=form, valid_for=_valid_for(), status=status)


# --- one officer ----------------------------------------------------------------------------

def _officer_or_404(user_id: int) -> User:
    user = officer_or_none(user_id)
    if user is None:
        abort(404)
    return user


def _edit_form(user: User, formdata=None) -> OfficerDetailsForm:
    if formdata is None:
        form = OfficerDetailsForm(formdata=None, data={
            "name": user.name, "roles": sorted_roles(user.roles & set(STAFF_ROLES)),
            "unit": str(user.unit_id) if user.unit_id else ""})
    else:
        form = OfficerDetailsForm()
    return form.set_units(unit_choices(), user.unit)


def _history(user: User) -> list[Event]:
    return list(db.session.scalars(
        select(Event).where(Event.subject_type == "user", Event.subject_id == user.id,
                            Event.kind.in_(USER_EVENT_LABELS)).order_by(Event.id.desc()).limit(HISTORY_MAX)))


def _page(user: User, *, status: int = 200, edit_form=None, deactivate_form=None, invitation_error=None):
    held = (not user.active and Role.PEMBANTU.value in user.roles and user.unit_id in units_held_by_inactive())
    return render(
        "accounts/officers/officer.html", status=status, officer=user, officer_status=officer_status(user),
        status_labels=STATUS_LABELS, edit_form=edit_form or _edit_form(user),
        deactivate_form=deactivate_form or DeactivateForm(formdata=None), button_form=EmptyForm(formdata=None),
        invitation_error=invitation_error, history=_history(user), event_labels=USER_EVENT_LABELS,
        roles_text=roles_text, actor_shown=actor_shown, held_tasks=open_task_count(user.unit_id) if held else 0,
        is_self=user.id == current_user.id, valid_for=_valid_for(),
    )


@bp.route("/meja/pengguna/<int:user_id>", methods=["GET", "POST"])
@roles_required(*ADMIN_ONLY)
def officer_page(user_id: int):
    user = _officer_or_404(user_id)
    if request.method == "GET":
        return _page(user)
    form = _edit_form(user, formdata=True)
    if form.validate():
        try:
            changed = officer_update(actor=_actor(), user=user, details=form.details())
            commit()
        except DomainError as error:
            rollback()
            errors_onto_form(form, error)
        else:
            flash(_("Perubahan disimpan.") if changed else _("Tidak ada yang berubah."), "success")
            if not current_user.has_role(Role.ADMIN):  # administrators who gave up their own role
                return redirect(landing_url(current_user), code=303)
            return redirect(url_for("accounts.officer_page", user_id=user_id), code=303)
    return _page(db.session.get(User, user_id), status=422, edit_form=form)


@bp.post("/meja/pengguna/<int:user_id>/nonaktifkan")
@roles_required(*ADMIN_ONLY)
def officer_deactivate_page(user_id: int):
    user = _officer_or_404(user_id)
    form = DeactivateForm()
    if form.validate():
        try:
            result = officer_deactivate(actor=_actor(), user=user)
            commit()
        except DomainError as error:
            rollback()
            errors_onto_form(form, error)
        else:
            message = _("%(name)s dinonaktifkan. Semua sesinya sudah berakhir; namanya tetap tercatat di riwayat.",
                        name=user.name)
            if result.orphaned_tasks:
                message += " " + ngettext(
                    "Unit %(unit)s tidak lagi punya petugas aktif: %(num)d tugas terbuka kini dipegang petugas "
                    "nonaktif. Tempatkan petugas lain di unit itu atau alihkan tugasnya.",
                    "Unit %(unit)s tidak lagi punya petugas aktif: %(num)d tugas terbuka kini dipegang petugas "
                    "nonaktif. Tempatkan petugas lain di unit itu atau alihkan tugasnya.",
                    result.orphaned_tasks, unit=result.unit.name)
            flash(message, "success")
            if user.id == current_user.id:
                return redirect(url_for("pages.home"), code=303)
            return redirect(url_for("accounts.officer_page", user_id=user_id), code=303)
    return _page(db.session.get(User, user_id), status=422, deactivate_form=form)


@bp.post("/meja/pengguna/<int:user_id>/aktifkan")
@roles_required(*ADMIN_ONLY)
def officer_reactivate_page(user_id: int):
    user = _officer_or_404(user_id)
    if not EmptyForm().validate():
        abort(400)
    if officer_reactivate(actor=_actor(), user=user):
        commit()
        flash(_("%(name)s diaktifkan kembali. Ia masuk lagi dengan kata sandinya.", name=user.name), "success")
    else:
        flash(_("Petugas ini sudah aktif."), "info")
    return redirect(url_for("accounts.officer_page", user_id=user_id), code=303)


@bp.post("/meja/pengguna/<int:user_id>/undangan")
@roles_required(*ADMIN_ONLY)
def officer_resend_page(user_id: int):
    user = _officer_or_404(user_id)
    if not EmptyForm().validate():
        abort(400)
    try:
        officer_resend_invitation(actor=_actor(), user=user)
        commit()
    except FieldError as error:
        rollback()
        return _page(user, status=422, invitation_error=error.message)
    flash(_("Undangan baru dikirim ke %(email)s; tautan sebelumnya tidak berlaku lagi.", email=user.email),
          "success")
    return redirect(url_for("accounts.officer_page", user_id=user_id), code=303)


# --- import ---------------------------------------------------------------------------------

@bp.get("/meja/pengguna/impor/templat.csv")
@roles_required(*ADMIN_ONLY)
def officer_import_template():
    return download(officer_template_csv(), "csv", "templat-impor-petugas.csv")


def _import_page(form: OfficerImportForm, problems: list, *, status: int):
    return render("accounts/officers/import.html", form=form, problems=problems, headers=HEADERS,
                  staff_roles=STAFF_ROLES, role_labels=ROLE_LABELS, max_rows=MAX_ROWS, status=status)


@bp.route("/meja/pengguna/impor", methods=["GET", "POST"])
@roles_required(*ADMIN_ONLY)
def officer_import_page():
    form = OfficerImportForm()
    problems = []
    if form.validate_on_submit():
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        content = form.berkas.data.stream.read(limit + 1)
        try:
            plan, problems = officer_import_check(content)
        except SpreadsheetError as error:
            form.berkas.errors = [str(error)]
        else:
            if not problems:
                try:
                    result = officer_import_apply(actor=_actor(), plan=plan)
                    commit()
                except IntegrityError:  # an address of the file was invited meanwhile
                    rollback()
                    form.berkas.errors = [_("Data petugas baru saja diubah di tempat lain. Unggah berkas ini "
                                            "sekali lagi.")]
                    return _import_page(form, [], status=409)
                if result.invited or result.changed:
                    flash(_("Impor selesai: %(invited)d petugas diundang, %(changed)d diubah, "
                            "%(unchanged)d tidak berubah.", invited=result.invited, changed=result.changed,
                            unchanged=result.unchanged), "success")
                else:
                    flash(_("Tidak ada yang berubah: semua %(n)d baris sudah sama dengan data petugas.",
                            n=result.unchanged), "info")
                return redirect(url_for("accounts.officer_list"), code=303)
            rollback()
    return _import_page(form, problems, status=422 if form.is_submitted() else 200)


# --- the invited officer sets a password ----------------------------------------------------

@bp.route("/undangan/<token>", methods=["GET", "POST"])
@public_page_limit
def accept_invitation(token: str):
    from .views import KEPT_ON_LOGIN, _form_page, _fresh_session

    try:
        user = user_for_invitation(token)
    except TokenInvalid as problem:
        return render("accounts/officers/invitation_invalid.html", expired=problem.expired, status=400)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            invitation_accept(token=token, password=form.password.data)
        except FieldError as error:
            rollback()
            errors_onto_form(form, error)
        else:
            _fresh_session(keep=KEPT_ON_LOGIN)
            login_user(user)
            commit()
            flash(_("Selamat datang, %(name)s. Kata sandi Anda sudah dibuat.", name=user.name), "success")
            return redirect(landing_url(user), code=303)
    return _form_page("accounts/officers/accept.html", form, token=token, officer=user,
                      roles=roles_text(user.roles))
