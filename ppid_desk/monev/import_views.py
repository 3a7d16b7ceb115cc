"""The historical register import pages: the upload form with every problem listed, and the
blank templates (CSV, XLSX). The checking and writing live in ``import_services``."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..web.access import roles_required
from ..web.htmx import render
from ..web.spreadsheets import SpreadsheetError, download
from ..web.transaction import commit
from ..workcalendar.selectors import body_today
from .blueprint import DESK, bp
from .import_forms import RegisterImportForm
from .import_services import (
    COLUMNS,
    Problem,
    register_import,
    register_import_check,
    register_table,
)
from .register_columns import to_csv, to_xlsx

IMPORT_ROLES = (Role.PPID_UTAMA, Role.ADMIN)


def _template_columns():
    from .register_columns import Column

    return [Column(column.header, lambda r, key=column.key: r[key]) for column in COLUMNS]


@bp.get(DESK + "/monev/impor/templat.<fmt>", endpoint="register_import_template")
@roles_required(*IMPORT_ROLES)
def register_import_template(fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        return Response(status=404)
    rows = [{column.key: column.example for column in COLUMNS}]
    if fmt == "csv":
        body = to_csv(_template_columns(), rows)
    else:
        body = to_xlsx(_template_columns(), rows, title="Register permohonan")
    return download(body, fmt, f"templat-impor-register.{fmt}")


@bp.route(DESK + "/monev/impor", methods=["GET", "POST"], endpoint="register_import")
@roles_required(*IMPORT_ROLES)
def register_import_page():
    form = RegisterImportForm()
    problems: list[Problem] = []
    if form.validate_on_submit():
        storage = form.berkas.data
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        content = storage.stream.read(limit + 1)
        try:
            table = register_table(content)
            rows, problems = register_import_check(table, today=body_today())
        except SpreadsheetError as error:  # ImportFileError too
            form.berkas.errors = [str(error)]
        else:
            if not problems:
                register_import(actor=current_user._get_current_object(), rows=rows,
                                filename=storage.filename or "")
                commit()
                flash(_("%(n)d permohonan diimpor. Permohonan itu tampil di antrean dan register dengan "
                        "tanda \"diimpor\".", n=len(rows)), "success")
                return redirect(url_for("monev.register_import"), 303)
    status = 422 if form.is_submitted() else 200
    return render("monev/import.html", form=form, problems=problems, columns=COLUMNS,
                  max_rows=current_app.config["IMPORT_MAX_ROWS"], status=status)


