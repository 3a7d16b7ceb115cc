"""Calendar administration on the desk (admin only): holidays of a year, add, rename,
deactivate/reactivate, import a year. Each change recomputes the open deadlines it moves."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import Role
from ..audit.selectors import events_for
from ..desk.policy import Action
from ..desk.request_page_views import require
from ..errors import FieldError
from ..extensions import db
from ..web.access import roles_required
from ..web.formatting import long_date
from ..web.forms import EmptyForm
from ..web.htmx import render
from ..web.transaction import commit, rollback
from . import labels as calendar_labels
from .admin_services import (
    FIRST_YEAR,
    LAST_YEAR,
    CalendarChange,
    calendar_import,
    holiday_add,
    holiday_rename,
    holiday_set_active,
)
from .blueprint import bp
from .forms import HolidayAddForm, HolidayRenameForm, YearImportForm
from .models import Holiday
from .selectors import body_today
from .services import calendar_year_row, holidays_of_year


def _year_from_args() -> int:
    year = request.args.get("tahun", type=int)
    return year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else body_today().year


def _holiday_or_404(holiday_id: int) -> Holiday:
    holiday = db.session.get(Holiday, holiday_id)
    if holiday is None:
        abort(404)
    return holiday


def _put_error(form, error: FieldError) -> None:
    field = getattr(form, error.field, None) or form.name
    field.errors = [*field.errors, error.message]


def _page(year: int, *, status: int = 200, add_form: HolidayAddForm | None = None,
          import_error: str | None = None):
    return render(
        "workcalendar/admin.html", block="calendar_main", status=status, year=year,
        holidays=holidays_of_year(year), imported=calendar_year_row(year),
        add_form=add_form or HolidayAddForm(formdata=None),
        import_form=YearImportForm(formdata=None, year=year), import_error=import_error,
        toggle_form=EmptyForm(formdata=None), events=list(reversed(events_for("calendar", year))),
        cuti_bersama_non_working=current_app.config["CUTI_BERSAMA_NON_WORKING"],
        first_year=FIRST_YEAR, last_year=LAST_YEAR, calendar_labels=calendar_labels,
    )


def _done(change: CalendarChange, message: str):
    if change.recomputed:
        message += " " + _("Batas waktu %(n)d permohonan dihitung ulang: %(numbers)s.",
                           n=len(change.recomputed), numbers=", ".join(change.recomputed))
    elif change.changed:
        message += " " + _("Tidak ada batas waktu permohonan yang berubah.")
    others = calendar_labels.moved_summary({k: v for k, v in change.moved.items() if k != "requests"})
    if others:
        message += " " + _("Juga dihitung ulang: %(what)s.", what=others)
    flash(message, "success")
    return redirect(url_for("workcalendar.calendar_admin", tahun=change.year), code=303)


def _busy(year: int):
    """An officer changed an affected request meanwhile: nothing was saved; ask to retry."""
    rollback()
    flash(_("Sebuah permohonan yang terdampak baru saja diubah oleh petugas lain, sehingga perubahan "
            "kalender belum disimpan. Silakan kirim ulang."), "error")
    return _page(year, status=409)


@bp.get("/kalender")
@roles_required(Role.ADMIN)
def calendar_admin():
    require(Action.ADMIN_CALENDAR)
    return _page(_year_from_args())


@bp.post("/kalender/libur")
@roles_required(Role.ADMIN)
def calendar_holiday_add():
    require(Action.ADMIN_CALENDAR)
    form = HolidayAddForm()
    year = _year_from_args()
    if not form.validate():
        return _page(year, status=422, add_form=form)
    try:
        change = holiday_add(actor=current_user, day=form.parsed_day, kind=form.kind.data, name=form.name.data)
        commit()
    except FieldError as error:
        rollback()
        _put_error(form, error)
        return _page(year, status=422, add_form=form)
    except StaleDataError:
        return _busy(year)
    holiday = change.holiday
    return _done(change, _("Hari libur ditambahkan: %(name)s, %(day)s.", name=holiday.name,
                           day=long_date(holiday.day)))


@bp.route("/kalender/libur/<int:holiday_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def calendar_holiday_edit(holiday_id: int):
    require(Action.ADMIN_CALENDAR)
    holiday = _holiday_or_404(holiday_id)
    if request.method == "GET":
        form = HolidayRenameForm(formdata=None, name=holiday.name)
        return render("workcalendar/holiday.html", block="holiday_main", holiday=holiday, form=form,
                      calendar_labels=calendar_labels)
    form = HolidayRenameForm()
    if form.validate():
        try:
            change = holiday_rename(actor=current_user, holiday=holiday, name=form.name.data)
            commit()
        except FieldError as error:
            rollback()
            holiday = _holiday_or_404(holiday_id)
            _put_error(form, error)
        else:
            flash(_("Nama hari libur diubah menjadi %(name)s.", name=holiday.name) if change.changed
                  else _("Nama tidak berubah."), "success")
            return redirect(url_for("workcalendar.calendar_admin", tahun=change.year), code=303)
    return render("workcalendar/holiday.html", block="holiday_main", status=422, holiday=holiday, form=form,
                  calendar_labels=calendar_labels)


def _set_active(holiday_id: int, active: bool):
    require(Action.ADMIN_CALENDAR)
    holiday = _holiday_or_404(holiday_id)
    year = holiday.day.year
    if not EmptyForm().validate():
        abort(400)
    try:
        change = holiday_set_active(actor=current_user, holiday=holiday, active=active)
        commit()
    except StaleDataError:
        return _busy(year)
    if active:
        message = _("Hari libur diaktifkan kembali: %(name)s.", name=holiday.name)
    else:
        message = _("Hari libur dinonaktifkan: %(name)s. Tanggal itu kini hari kerja, kecuali ada "
                    "hari libur lain pada tanggal yang sama.", name=holiday.name)
    if not change.changed:
        message = _("Tidak ada yang berubah: hari libur ini sudah dalam keadaan itu.")
    return _done(change, message)


@bp.post("/kalender/libur/<int:holiday_id>/nonaktifkan")
@roles_required(Role.ADMIN)
def calendar_holiday_deactivate(holiday_id: int):
    return _set_active(holiday_id, False)


@bp.post("/kalender/libur/<int:holiday_id>/aktifkan")
@roles_required(Role.ADMIN)
def calendar_holiday_reactivate(holiday_id: int):
    return _set_active(holiday_id, True)


@bp.post("/kalender/impor")
@roles_required(Role.ADMIN)
def calendar_year_import():
    require(Action.ADMIN_CALENDAR)
    form = YearImportForm()
    year = form.parsed_year
    if not form.validate() or year is None:
        abort(400)
    try:
        change = calendar_import(actor=current_user, year=year)
        commit()
    except FieldError as error:
        rollback()
        shown = year if FIRST_YEAR <= year <= LAST_YEAR else body_today().year
        return _page(shown, status=422, import_error=error.message)
    except StaleDataError:
        return _busy(year)
    return _done(change, _("%(n)d hari libur tahun %(year)d diimpor.", n=change.imported, year=year))
