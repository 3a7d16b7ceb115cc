"""Unit administration on the desk (admin only): the tree, create, edit (rename, move, details),
deactivate/reactivate, import from CSV/XLSX with a template; and the unit picker's search, used
by every desk form that picks a unit (routing, queue, monev)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User
from ..audit.selectors import events_for
from ..desk.policy import STAFF_ROLES
from ..errors import DomainError
from ..extensions import db
from ..web.access import roles_required
from ..web.forms import EmptyForm, errors_onto_form
from ..web.htmx import is_htmx_partial, render
from ..web.spreadsheets import download
from ..web.transaction import commit, rollback
from . import unit_labels
from .blueprint import bp
from .models import Unit, UnitKind
from .unit_forms import UnitForm, UnitImportForm
from .unit_import import (
    COLUMNS,
    MAX_ROWS,
    ImportFileError,
    import_check,
    read_rows,
    template_bytes,
    units_import,
)
from .unit_selectors import (
    SEARCH_LIMIT,
    Purpose,
    picker_options,
    tree_search,
    unit_by_code,
    unit_path,
    unit_search,
    unit_subtree_ids,
    unit_tree,
    unit_usage,
    utama_unit,
)
from .unit_services import UnitDetails, unit_create, unit_set_active, unit_update


def _actor() -> User:
    return current_user._get_current_object()


def _unit_or_404(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    return unit


# --- the tree -----------------------------------------------------------------------------------

@bp.get("/meja/unit", endpoint="unit_index")
@roles_required(Role.ADMIN)
def index():
    """Every unit as an indented tree; ``q`` narrows it to matching units and their ancestors."""
    text = (request.args.get("q") or "").strip()[:100]
    rows = unit_tree()
    shown = tree_search(rows, text)
    return render("organisation/units.html", block="unit_rows", rows=shown, total=len(rows), q=text,
                  kind_labels=unit_labels.KIND_LABELS)


# --- create and edit ----------------------------------------------------------------------------

def _parent_id(form: UnitForm) -> int | None:
    """The parent typed or chosen (by code); an unknown code is put next to the field."""
    code = form.parent.data or ""
    if not code:
        return None
    parent = unit_by_code(code)
    if parent is None:
        form.parent.errors = [*form.parent.errors, _("Tidak ada unit dengan kode %(code)s. Cari kodenya di daftar "
                                                     "unit, atau kosongkan agar langsung di bawah PPID Utama.",
                                                     code=code)]
        return None
    return parent.id


def _details(form: UnitForm, parent_id: int | None) -> UnitDetails:
    return UnitDetails(code=form.code.data or "", name=form.name.data or "", kind=form.kind.data or "",
                       parent_id=parent_id, head_name=form.head_name.data, head_position=form.head_position.data,
                       email=form.email.data, issues_notices=bool(form.issues_notices.data))


def _form_page(form: UnitForm, unit: Unit | None, *, status: int = 200):
    exclude = set(unit_subtree_ids(unit.id)) if unit is not None else set()
    parents = picker_options(Purpose.PARENT)
    parents.choices = [hit for hit in parents.choices if hit.id not in exclude]
    context = {"form": form, "unit": unit, "parents": parents, "utama": utama_unit(),
               "kind_labels": unit_labels.KIND_LABELS, "field_labels": unit_labels.FIELD_LABELS}
    if unit is not None:
        context.update(usage=unit_usage(unit), path=unit_path(unit), toggle_form=EmptyForm(formdata=None),
                       events=list(reversed(events_for("unit", unit.id))))
    return render("organisation/unit_form.html", block="unit_main", status=status, **context)


@bp.route("/meja/unit/baru", methods=["GET", "POST"], endpoint="unit_create")
@roles_required(Role.ADMIN)
def create():
    if request.method == "GET":
        return _form_page(UnitForm(formdata=None, parent=request.args.get("induk", "")[:64]), None)
    form = UnitForm()
    valid = form.validate()
    parent_id = _parent_id(form)
    if not valid or form.parent.errors:
        return _form_page(form, None, status=422)
    try:
        unit = unit_create(actor=_actor(), details=_details(form, parent_id))
        commit()
    except DomainError as error:
        rollback()
        errors_onto_form(form, error)
        return _form_page(form, None, status=422)
    except IntegrityError:  # the same code added meanwhile by another admin
        rollback()
        form.code.errors = [*form.code.errors, _("Kode ini baru saja dipakai unit lain. Pilih kode lain.")]
        return _form_page(form, None, status=422)
    flash(_("Unit %(name)s (%(code)s) ditambahkan.", name=unit.name, code=unit.code), "success")
    return redirect(url_for("organisation.unit_edit", unit_id=unit.id), code=303)


def _parent_code_shown(unit: Unit) -> str:
    """The parent as the form shows it: empty when it is PPID Utama (the default)."""
    parent = db.session.get(Unit, unit.parent_id) if unit.parent_id else None
    return "" if parent is None or parent.kind == UnitKind.UTAMA.value else parent.code


@bp.route("/meja/unit/<int:unit_id>", methods=["GET", "POST"], endpoint="unit_edit")
@roles_required(Role.ADMIN)
def edit(unit_id: int):
    unit = _unit_or_404(unit_id)
    if request.method == "GET":
        form = UnitForm(formdata=None, obj=unit)
        form.parent.data = _parent_code_shown(unit)
        return _form_page(form, unit)
    form = UnitForm()
    valid = form.validate()
    parent_id = _parent_id(form)
    if not valid or form.parent.errors:
        return _form_page(form, unit, status=422)
    try:
        change = unit_update(actor=_actor(), unit=unit, details=_details(form, parent_id))
        commit()
    except DomainError as error:
        rollback()
        errors_onto_form(form, error)
        return _form_page(form, _unit_or_404(unit_id), status=422)
    except IntegrityError:
        rollback()
        form.code.errors = [*form.code.errors, _("Kode ini baru saja dipakai unit lain. Pilih kode lain.")]
        return _form_page(form, _unit_or_404(unit_id), status=422)
    flash(_("Perubahan unit %(name)s disimpan.", name=unit.name) if change.changed
          else _("Tidak ada yang berubah."), "success")
    return redirect(url_for("organisation.unit_edit", unit_id=unit.id), code=303)


def _set_active(unit_id: int, active: bool):
    unit = _unit_or_404(unit_id)
    if not EmptyForm().validate():
        abort(400)
    try:
        change = unit_set_active(actor=_actor(), unit=unit, active=active)
        commit()
    except DomainError as error:
        rollback()
        flash(str(error), "error")
        return redirect(url_for("organisation.unit_edit", unit_id=unit_id), code=303)
    if not change.changed:
        flash(_("Tidak ada yang berubah: unit ini sudah dalam keadaan itu."), "success")
    elif active:
        flash(_("Unit %(name)s diaktifkan kembali dan dapat dipilih lagi untuk disposisi.", name=unit.name), "success")
    else:
        message = _("Unit %(name)s dinonaktifkan: tidak lagi ditawarkan untuk disposisi. Riwayat dan angka "
                    "monevnya tetap ada.", name=unit.name)
        if change.open_tasks:
            message += " " + _("Unit ini masih memegang %(n)d tugas terbuka; alihkan tugas itu dari halaman "
                               "permohonannya bila perlu.", n=change.open_tasks)
        flash(message, "success")
    return redirect(url_for("organisation.unit_edit", unit_id=unit_id), code=303)


@bp.post("/meja/unit/<int:unit_id>/nonaktifkan", endpoint="unit_deactivate")
@roles_required(Role.ADMIN)
def deactivate(unit_id: int):
    return _set_active(unit_id, False)


@bp.post("/meja/unit/<int:unit_id>/aktifkan", endpoint="unit_reactivate")
@roles_required(Role.ADMIN)
def reactivate(unit_id: int):
    return _set_active(unit_id, True)


# --- import -------------------------------------------------------------------------------------

@bp.route("/meja/unit/impor", methods=["GET", "POST"], endpoint="unit_import")
@roles_required(Role.ADMIN)
def import_units():
    form = UnitImportForm()
    problems = []
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            storage = form.berkas.data
            try:
                plan, problems = import_check(read_rows(storage))
            except ImportFileError as error:
                form.berkas.errors = [str(error)]
            else:
                if not problems:
                    try:
                        result = units_import(actor=_actor(), plan=plan, filename=storage.filename or "")
                        commit()
                    except IntegrityError:
                        rollback()
                        form.berkas.errors = [_("Daftar unit baru saja diubah admin lain. Unggah ulang berkasnya.")]
                    else:
                        if result.changed:
                            flash(_("Impor selesai: %(created)d unit baru, %(updated)d unit diubah, %(same)d unit "
                                    "tidak berubah.", created=len(result.created), updated=len(result.updated),
                                    same=result.unchanged), "success")
                        else:
                            flash(_("Tidak ada yang berubah: semua %(n)d unit di berkas sudah sama dengan daftar unit.",
                                    n=result.unchanged), "success")
                        return redirect(url_for("organisation.unit_index"), code=303)
    return render("organisation/unit_import.html", form=form, problems=problems, columns=COLUMNS,
                  max_rows=MAX_ROWS, status=status)


@bp.get("/meja/unit/templat.<fmt>", endpoint="unit_import_template")
@roles_required(Role.ADMIN)
def import_template(fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        abort(404)
    body, fmt = template_bytes(fmt)
    return download(body, fmt, f"templat-impor-unit.{fmt}")


# --- the unit picker's search -------------------------------------------------------------------

@bp.get("/meja/unit/cari", endpoint="unit_search")
@roles_required(*STAFF_ROLES)
def search():
    """Units matching ``q`` (code or name) with their path, at most 20. Each desk form's picker
    sends its own field (``kolom`` names it); a plain visit shows a page to look a code up."""
    purpose = request.args.get("untuk", Purpose.ROUTE)
    if purpose not in Purpose.ALL:
        purpose = Purpose.ROUTE
    column = (request.args.get("kolom") or "q")[:80]
    text = (request.args.get("q") or request.args.get(column) or "").strip()[:100]
    hits = unit_search(text, purpose=purpose) if text else []
    return render("organisation/unit_search.html", block="unit_results", hits=hits, q=text, purpose=purpose,
                  limit=SEARCH_LIMIT, as_page=not is_htmx_partial())
