"""The fee tariff: its administration on the desk (administrator only) under
``/meja/admin/tarif``, and its public page ``/tarif`` (anyone, no login).

The public page is one small query (a few dozen rows at most), so it has the public rate limit
like every anonymous page but no figures cache (``monev.public_cache`` is for costly metrics);
an anonymous response stays cacheable, a signed-in one is ``private, no-store`` (web.security)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import Role
from ..audit.selectors import events_for
from ..errors import DomainError, ValidationFailed
from ..web.access import roles_required
from ..web.forms import EmptyForm, errors_onto_form
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today
from .blueprint import bp
from .tariff_forms import TariffLineForm, form_from_line
from .tariff_models import TariffLine
from .tariff_selectors import (
    tariff_history,
    tariff_in_effect,
    tariff_line_get,
    tariff_lines_all,
    tariff_upcoming,
)
from .tariff_services import (
    SUBJECT,
    StaleTariff,
    tariff_line_create,
    tariff_line_set_active,
    tariff_line_update,
    tariff_problems,
)


def _line_or_404(tariff_id: int) -> TariffLine:
    line = tariff_line_get(tariff_id)
    if line is None:
        abort(404)
    return line


def _admin_page(*, form: TariffLineForm | None = None, status: int = 200):
    today = body_today()
    in_effect = {line.id for line in tariff_in_effect(today)}
    return render("organisation/tariff_admin.html", block="tariff_main", status=status,
                  lines=tariff_lines_all(), in_effect=in_effect, today=today,
                  form=form or TariffLineForm(formdata=None), toggle_form=EmptyForm(formdata=None),
                  events=tariff_history())


def _edit_page(line: TariffLine, form: TariffLineForm, *, status: int = 200):
    return render("organisation/tariff_edit.html", block="tariff_main", status=status, line=line, form=form,
                  events=list(reversed(events_for(SUBJECT, line.id))))


def _refused(form: TariffLineForm, error: DomainError | None = None) -> None:
    """The form's own messages, then the service's for the fields still without one."""
    problems = tariff_problems(form.draft()) if error is None else {}
    if isinstance(error, ValidationFailed):
        problems = error.errors
    errors_onto_form(form, ValidationFailed({name: message for name, message in problems.items()
                                             if not getattr(form, name).errors}))


@bp.get("/meja/admin/tarif")
@roles_required(Role.ADMIN)
def tariff_admin():
    return _admin_page()


@bp.post("/meja/admin/tarif")
@roles_required(Role.ADMIN)
def tariff_create():
    form = TariffLineForm()
    if not form.validate():
        _refused(form)
        return _admin_page(form=form, status=422)
    try:
        line = tariff_line_create(actor=current_user, draft=form.draft())
        commit()
    except ValidationFailed as error:
        rollback()
        _refused(form, error)
        return _admin_page(form=form, status=422)
    flash(_("Tarif ditambahkan: %(name)s.", name=line.name), "success")
    return redirect(url_for("organisation.tariff_admin"), code=303)


@bp.route("/meja/admin/tarif/<int:tariff_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def tariff_edit(tariff_id: int):
    line = _line_or_404(tariff_id)
    if request.method == "GET":
        return _edit_page(line, form_from_line(line))
    form = TariffLineForm()
    if not form.validate():
        _refused(form)
        return _edit_page(line, form, status=422)
    try:
        changed = tariff_line_update(actor=current_user, line=line, draft=form.draft(),
                                     expected_version=form.expected_version())
        commit()
    except ValidationFailed as error:
        rollback()
        _refused(form, error)
        return _edit_page(_line_or_404(tariff_id), form, status=422)
    except (StaleTariff, StaleDataError):
        rollback()
        line = _line_or_404(tariff_id)
        flash(_("Tarif ini baru saja diubah oleh administrator lain. Isian Anda masih ada di bawah; periksa "
                "riwayatnya lalu kirim ulang."), "error")
        form.version.data = str(line.version)
        return _edit_page(line, form, status=409)
    flash(_("Tarif disimpan.") if changed else _("Tidak ada yang berubah."), "success")
    return redirect(url_for("organisation.tariff_admin"), code=303)


def _set_active(tariff_id: int, active: bool):
    line = _line_or_404(tariff_id)
    form = EmptyForm()
    if not form.validate():
        abort(400)
    try:
        changed = tariff_line_set_active(actor=current_user, line=line, active=active)
        commit()
    except StaleDataError:
        rollback()
        flash(_("Tarif ini baru saja diubah oleh administrator lain. Silakan coba lagi."), "error")
        return redirect(url_for("organisation.tariff_admin"), code=303)
    except DomainError as error:
        rollback()
        flash(str(error), "error")
        return redirect(url_for("organisation.tariff_admin"), code=303)
    if not changed:
        message = _("Tidak ada yang berubah: tarif ini sudah dalam keadaan itu.")
    elif active:
        message = _("Tarif diaktifkan kembali: %(name)s.", name=line.name)
    else:
        message = _("Tarif dinonaktifkan: %(name)s. Tarif ini tidak lagi dipakai untuk pemberitahuan baru dan "
                    "tidak tampil di halaman publik.", name=line.name)
    flash(message, "success")
    return redirect(url_for("organisation.tariff_admin"), code=303)


@bp.post("/meja/admin/tarif/<int:tariff_id>/nonaktifkan")
@roles_required(Role.ADMIN)
def tariff_deactivate(tariff_id: int):
    return _set_active(tariff_id, False)


@bp.post("/meja/admin/tarif/<int:tariff_id>/aktifkan")
@roles_required(Role.ADMIN)
def tariff_reactivate(tariff_id: int):
    return _set_active(tariff_id, True)


# --- public -------------------------------------------------------------------------------------

@bp.get("/tarif")
@public_page_limit
def tariff_public():
    """The published tariff (UU KIP: fees at rates set by decree and published)."""
    today = body_today()
    return render("organisation/tariff_public.html", tariff=tariff_in_effect(today),
                  upcoming=tariff_upcoming(today), today=today)
