"""Saved queue filters: an officer saves the queue's current filter under a name, sees their
saved filters as links above the queue, deletes one. Private: each officer sees only their own."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..errors import DomainError
from ..web.access import roles_required
from ..web.forms import EmptyForm, errors_onto_form
from ..web.transaction import commit, rollback
from .blueprint import bp
from .policy import STAFF_ROLES
from .queue_forms import QueueFilterForm, SaveFilterForm
from .queue_selectors import QueueScope, assignee_options
from .queue_services import SavedFilterMissing, saved_filter_create, saved_filter_delete
from .queue_views import filter_args, query_string, queue_response, saved_filter_url


def queue_args(query: str | None) -> MultiDict:
    """A query string (a saved filter, the queue a form was posted from) as the queue's arguments."""
    return MultiDict(parse_qsl(query or "", keep_blank_values=False, max_num_fields=50))


def applied_query(args: MultiDict) -> tuple[str, list[str]]:
    """``args`` as the queue's form applies them (the query string to keep), and what it ignored."""
    user = current_user._get_current_object()
    scope = QueueScope.of(user)
    form = QueueFilterForm(args, due_soon_wd=current_app.config["DUE_SOON_WD"], show_units=scope.everything,
                           user_id=user.id, officers=assignee_options(scope))
    _filters, ignored = form.filters()
    return query_string(filter_args(form)), [*ignored, *map(str, form.messages)]


@bp.post("/saringan")
@roles_required(*STAFF_ROLES)
def save_filter():
    form = SaveFilterForm()
    try:
        args = queue_args(form.query.data)
    except ValueError:  # more fields than a queue has: not a queue's query string
        args = MultiDict()
    if not form.validate():
        return queue_response(args, status=422, save_form=form)
    query, ignored = applied_query(args)
    if ignored:
        form.name.errors = [_("Saringan ini memuat nilai yang tidak dikenali (%(names)s). Perbaiki saringannya, "
                              "lalu simpan lagi.", names=", ".join(ignored))]
        return queue_response(args, status=422, save_form=form)
    try:
        saved = saved_filter_create(user=current_user._get_current_object(), name=form.name.data, query=query)
        commit()
    except DomainError as error:
        rollback()
        errors_onto_form(form, error)
        return queue_response(args, status=422, save_form=form)
    flash(_("Saringan \"%(name)s\" disimpan. Tautannya ada di atas antrean.", name=saved.name), "success")
    return redirect(saved_filter_url(saved), code=303)


@bp.post("/saringan/<int:saved_id>/hapus")
@roles_required(*STAFF_ROLES)
def delete_saved_filter(saved_id: int):
    if not EmptyForm().validate():
        abort(400)
    try:
        name = saved_filter_delete(user=current_user._get_current_object(), saved_id=saved_id)
        commit()
    except SavedFilterMissing as error:
        rollback()
        flash(str(error), "error")
        return redirect(url_for("desk.queue"), code=303)
    flash(_("Saringan \"%(name)s\" dihapus.", name=name), "success")
    return redirect(url_for("desk.queue"), code=303)
