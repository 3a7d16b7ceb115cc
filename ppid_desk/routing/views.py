"""Routing (disposisi) on the desk: the request page panel, route and reassign, and the unit's
task list and task page where a PPID Pembantu officer answers or returns a task."""

from __future__ import annotations

from io import BytesIO

from flask import abort, current_app, flash, redirect, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts.models import Role, User
from ..attachments.models import Attachment, AttachmentPurpose
from ..attachments.services import attachment_read, attachment_stage, staged_attachment
from ..desk.policy import READ_ALL_ROLES, STAFF_ROLES, Action, can, can_view, may_download
from ..desk.request_page_views import (
    STALE_ERRORS,
    clock_of,
    desk_request_or_404,
    render_request_page,
    require,
    stale_response,
)
from ..errors import DomainError, FieldError, ValidationFailed
from ..extensions import db
from ..organisation.unit_selectors import (
    PickerOptions,
    Purpose,
    picker_options,
    unit_by_code,
    units_by_codes,
)
from ..requests.models import InformationRequest
from ..sla import read_clock
from ..web.access import roles_required
from ..web.forms import page_arg
from ..web.htmx import render
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today, local_date, working_calendar
from . import labels
from .blueprint import bp
from .forms import ReassignForm, RouteForm, TaskAnswerForm, TaskReturnForm
from .models import RoutingTask, TaskStatus
from .selectors import (
    ROUTABLE_STATUSES,
    open_task_unit_ids,
    routable_units,
    task_documents,
    tasks_of_request,
    unit_task_page,
)
from .services import (
    StaleTask,
    TaskNotOpen,
    default_internal_due,
    not_routable_reason,
    request_route,
    task_answer,
    task_document_downloaded,
    task_reassign,
    task_return,
)

TASK_STALE_ERRORS = (*STALE_ERRORS, StaleTask)
STAGED_KEY = "routing_staged_uploads"
MAX_DOCUMENTS = 10


def _actor() -> User:
    return current_user._get_current_object()


def _task_clock(task: RoutingTask, calendar, today):
    stopped = local_date(task.closed_at) if task.closed_at else None
    return read_clock(task.internal_due, today, calendar, stopped_on=stopped,
                      due_soon_wd=current_app.config["DUE_SOON_WD"])


def _apply_error(form, error: DomainError) -> None:
    """Put a service's error next to its field, or at the top of the form."""
    if isinstance(error, FieldError):
        problems = {error.field: error.message}
    elif isinstance(error, ValidationFailed):
        problems = error.errors
    else:
        problems = {None: str(error)}
    for field_name, message in problems.items():
        field = form._fields.get(field_name) if field_name else None
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]


# --- the panel on the request page -----------------------------------------------------------

def _fresh_route_form(item: InformationRequest, today, calendar) -> RouteForm:
    return RouteForm(formdata=None, data={"internal_due": default_internal_due(item, today, calendar)})


def _unknown_codes_message(codes: list[str]) -> str:
    return _("Tidak ada unit PPID Pembantu aktif dengan kode %(codes)s. Periksa kodenya, atau ketik sebagian "
             "nama lalu pilih dari daftar.", codes=", ".join(codes))


def _route_choices(form: RouteForm, options: PickerOptions) -> list[str]:
    """Set the units the routing form accepts: every routable unit when there are few (the
    boxes), else the units ticked or typed by code (many: no list of every unit is loaded).
    Returns the typed codes of no routable unit (unknown, inactive, PPID Utama): they stay in
    the text field; the others become ticked boxes."""
    if options.small:
        form.set_units(options.choices)
        return []
    typed = form.typed_codes
    found = units_by_codes(typed)
    ticked = list(form.units.data or [])
    routable = {unit.id: unit for unit in routable_units({*ticked, *(unit.id for unit in found.values())})}
    bad = [code for code in typed if code.lower() not in found or found[code.lower()].id not in routable]
    form.units.data = list(dict.fromkeys([*ticked, *(found[code.lower()].id for code in typed if code not in bad)]))
    form.set_units(list(routable.values()))
    form.unit_codes.data = ", ".join(bad)
    return bad


def _reassign_choices(form: ReassignForm, options: PickerOptions, current_unit_id: int) -> list[str]:
    """As ``_route_choices`` for the one unit of a reassignment (a select, or a code typed)."""
    if options.small:
        form.set_units(options.choices, current_unit_id)
        return []
    code = form.unit_code.data or ""
    unit = unit_by_code(code) if code else None
    routable = routable_units([unit.id]) if unit is not None else []
    if routable:
        form.unit_id.data = unit.id
    form.set_units(routable, current_unit_id)
    return [code] if code and not routable else []


def _reassign_form(task: RoutingTask, item: InformationRequest, options, overrides, today, calendar) -> ReassignForm:
    form = overrides.get("reassign_form") if overrides.get("reassign_task_id") == task.id else None
    if form is None:
        form = ReassignForm(formdata=None, prefix=f"alih{task.id}",
                            data={"internal_due": default_internal_due(item, today, calendar)})
    if options.small:
        form.set_units(options.choices, task.unit_id)
    form.version.data = item.version
    form.task_version.data = task.version
    return form


def routing_panel_context(item: InformationRequest, user: User, overrides: dict) -> dict:
    """Tasks of the request (a unit officer sees only its unit's), and PPID Utama's forms."""
    read_all = user.has_role(*READ_ALL_ROLES)
    tasks = tasks_of_request(item.id, unit_id=None if read_all else (user.unit_id or -1))
    calendar, today = working_calendar(), body_today()
    context = {
        "routing_tasks": tasks,
        "routing_clocks": {t.id: _task_clock(t, calendar, today) for t in tasks},
        "routing_documents": task_documents([t.id for t in tasks]),
        "routing_status_labels": labels.TASK_STATUS_LABELS,
        "routing_blocked": None,
        "route_form": None,
        "reassign_forms": {},
        "routing_busy_unit_ids": set(),
    }
    if not can(user, Action.ROUTE, item):
        return context
    reason = not_routable_reason(item)
    if reason:
        context["routing_blocked"] = reason
        return context
    options = picker_options(Purpose.ROUTE)
    form = overrides.get("route_form") or _fresh_route_form(item, today, calendar)
    if options.small:
        form.set_units(options.choices)
    form.version.data = item.version
    context["route_form"] = form
    context["route_units"] = options
    context["route_chosen"] = [] if options.small else routable_units(form.units.data or [])
    context["routing_busy_unit_ids"] = open_task_unit_ids(item.id)
    context["reassign_forms"] = {
        t.id: _reassign_form(t, item, options, overrides, today, calendar)
        for t in tasks if t.status in (TaskStatus.OPEN, TaskStatus.RETURNED)
    }
    return context


def _back_to_request(item: InformationRequest):
    return redirect(url_for("desk.request_page", request_id=item.id, _anchor="disposisi"), code=303)


@bp.post("/permohonan/<int:request_id>/disposisi")
@roles_required(*STAFF_ROLES)
def route_request(request_id: int):
    item = desk_request_or_404(request_id)
    require(Action.ROUTE, item)
    form = RouteForm()
    unknown = _route_choices(form, picker_options(Purpose.ROUTE))
    valid = form.validate()
    if unknown:
        form.unit_codes.errors = [*form.unit_codes.errors, _unknown_codes_message(unknown)]
    if not valid or unknown:
        return render_request_page(item, status=422, route_form=form)
    try:
        tasks = request_route(actor=_actor(), item=item, unit_ids=form.units.data,
                              instruction=form.instruction.data, internal_due=form.internal_due.data,
                              expected_version=form.seen_version)
        commit()
    except STALE_ERRORS:
        return stale_response(item, route_form=form)
    except DomainError as error:
        rollback()
        _apply_error(form, error)
        return render_request_page(db.session.get(InformationRequest, request_id), status=422,
                                   route_form=form)
    routed = ", ".join(task.unit.name for task in tasks)
    message = _("Permohonan diteruskan ke %(units)s.", units=routed)
    if len(tasks) < len(set(form.units.data)):
        message += " " + _("Unit lain yang dipilih sudah memegang tugas terbuka dan dilewati.")
    flash(message, "success")
    return _back_to_request(item)


@bp.post("/tugas/<int:task_id>/alihkan")
@roles_required(*STAFF_ROLES)
def reassign_task(task_id: int):
    task, item = task_and_request_or_404(task_id)
    require(Action.ROUTE, item)
    form = ReassignForm(prefix=f"alih{task.id}")
    unknown = _reassign_choices(form, picker_options(Purpose.ROUTE), task.unit_id)
    overrides = {"reassign_form": form, "reassign_task_id": task.id}
    valid = form.validate()
    if unknown:
        form.unit_id.errors = [_unknown_codes_message(unknown)]  # shown at the code field
    if not valid or unknown:
        return render_request_page(item, status=422, **overrides)
    try:
        new_task = task_reassign(actor=_actor(), item=item, task=task, unit_id=form.unit_id.data,
                                 instruction=form.instruction.data, internal_due=form.internal_due.data,
                                 expected_version=form.seen_version,
                                 expected_task_version=form.seen_task_version)
        commit()
    except TASK_STALE_ERRORS:
        return stale_response(item, **overrides)
    except TaskNotOpen as error:
        rollback()
        flash(str(error), "error")
        return render_request_page(db.session.get(InformationRequest, item.id), status=409, **overrides)
    except DomainError as error:
        rollback()
        _apply_error(form, error)
        return render_request_page(db.session.get(InformationRequest, item.id), status=422, **overrides)
    flash(_("Tugas dialihkan dari %(old)s ke %(new)s.", old=task.unit.name, new=new_task.unit.name),
          "success")
    return _back_to_request(item)


# --- the unit's side -------------------------------------------------------------------------

def task_and_request_or_404(task_id: int) -> tuple[RoutingTask, InformationRequest]:
    """The task and its request, if this officer may see them; 404 otherwise.

    Officers who read every request see every task; a unit officer only its own unit's.
    """
    task = db.session.get(RoutingTask, task_id)
    if task is None:
        abort(404)
    item = db.session.get(InformationRequest, task.request_id)
    if item is None or not can_view(current_user, item):
        abort(404)
    if not current_user.has_role(*READ_ALL_ROLES) and task.unit_id != current_user.unit_id:
        abort(404)
    return task, item


def may_answer(user: User, task: RoutingTask, item: InformationRequest) -> bool:
    """Only an officer of the task's own unit answers or returns it."""
    return can(user, Action.ANSWER_TASK, item) and user.unit_id == task.unit_id


def _require_answer(task: RoutingTask, item: InformationRequest) -> None:
    if not may_answer(current_user, task, item):
        abort(403)


def render_task_page(task: RoutingTask, item: InformationRequest, *, status: int = 200,
                     block: str | None = None, **overrides):
    calendar, today = working_calendar(), body_today()
    answer_form = overrides.pop("answer_form", None) or TaskAnswerForm(formdata=None)
    return_form = overrides.pop("return_form", None) or TaskReturnForm(formdata=None)
    for form in (answer_form, return_form):
        form.version.data = task.version
    context = {
        "task": task,
        "item": item,
        "task_clock": _task_clock(task, calendar, today),
        "clock": clock_of(item, calendar, today),
        "documents": task_documents([task.id]).get(task.id, []),
        "may_answer": (may_answer(current_user, task, item) and task.is_open
                       and item.status in ROUTABLE_STATUSES),
        "answer_form": answer_form,
        "return_form": return_form,
        "staged_documents": overrides.pop("staged_documents", []),
        "status_labels": labels.TASK_STATUS_LABELS,
        "upload_mb": current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
        "max_documents": MAX_DOCUMENTS,
    }
    context.update(overrides)
    return render("routing/task.html", block=block, status=status, **context)


def _task_conflict(task: RoutingTask, item: InformationRequest, message: str, **overrides):
    """The task changed or is closed: the fresh state, the message, and the typed text kept."""
    rollback()
    task = db.session.get(RoutingTask, task.id)
    item = db.session.get(InformationRequest, item.id)
    flash(message, "error")
    return render_task_page(task, item, status=409, **overrides)


STALE_TASK_MESSAGE = _l("Tugas ini baru saja diubah oleh petugas lain. Periksa keadaan terbaru di bawah; "
                        "isian Anda masih ada.")


@bp.get("/tugas")
@roles_required(Role.PEMBANTU)
def unit_tasks():
    page_number = page_arg(request.args) or 1
    unit = current_user.unit
    page = unit_task_page(unit.id, page=page_number) if unit else None
    calendar, today = working_calendar(), body_today()
    clocks = {task.id: _task_clock(task, calendar, today) for task, _item in (page.rows if page else [])}
    return render("routing/tasks.html", block="tasks_main", unit=unit, page=page, clocks=clocks,
                  status_labels=labels.TASK_STATUS_LABELS)


@bp.get("/tugas/<int:task_id>")
@roles_required(*STAFF_ROLES)
def task_page(task_id: int):
    task, item = task_and_request_or_404(task_id)
    return render_task_page(task, item, block="task_main")


def _answer_documents(form: TaskAnswerForm) -> list[Attachment]:
    """New uploads plus those accepted on an earlier try (this session's only)."""
    allowed = session.get(STAGED_KEY, [])
    kept: list[Attachment] = []
    for token in (form.document_tokens.data or "").split():
        attachment = staged_attachment(token, AttachmentPurpose.UNIT_ANSWER) if token in allowed else None
        if attachment is not None:
            kept.append(attachment)
    form.documents.errors = list(form.documents.errors)
    for storage in request.files.getlist(form.documents.name):
        if not storage or not storage.filename:
            continue
        if len(kept) >= MAX_DOCUMENTS:
            form.documents.errors.append(_("Paling banyak %(n)d dokumen untuk satu jawaban.", n=MAX_DOCUMENTS))
            break
        try:
            kept.append(attachment_stage(field="documents", purpose=AttachmentPurpose.UNIT_ANSWER,
                                         storage=storage))
        except FieldError as error:
            form.documents.errors.append(f"{storage.filename}: {error.message}")
    tokens = [a.staged_token for a in kept]
    session[STAGED_KEY] = ([t for t in allowed if t not in tokens] + tokens)[-20:]
    form.document_tokens.data = " ".join(tokens)
    return kept


def _task_action(task, item, form, form_name: str, perform, success: str):
    """Run a unit's answer or return: service + commit, or the page again with what was typed."""
    try:
        perform()
        commit()
    except TASK_STALE_ERRORS:
        return _task_conflict(task, item, str(STALE_TASK_MESSAGE), **{form_name: form})
    except FieldError as error:
        rollback()
        _apply_error(form, error)
        return render_task_page(db.session.get(RoutingTask, task.id), db.session.get(InformationRequest, item.id),
                                status=422, **{form_name: form})
    except DomainError as error:
        return _task_conflict(task, item, str(error), **{form_name: form})
    flash(success, "success")
    return redirect(url_for("routing.task_page", task_id=task.id), code=303)


@bp.post("/tugas/<int:task_id>/jawab")
@roles_required(*STAFF_ROLES)
def answer_task(task_id: int):
    task, item = task_and_request_or_404(task_id)
    _require_answer(task, item)
    form = TaskAnswerForm()
    valid = form.validate()
    documents = _answer_documents(form)
    if not valid or form.documents.errors:
        commit()  # keeps the accepted uploads, so they are not asked for again
        return render_task_page(task, item, status=422, answer_form=form, staged_documents=documents)
    return _task_action(task, item, form, "answer_form", lambda: task_answer(
        actor=_actor(), item=item, task=task, answer_text=form.answer_text.data,
        documents=documents, expected_version=form.seen_version), _("Jawaban dikirim ke PPID Utama."))


@bp.post("/tugas/<int:task_id>/kembalikan")
@roles_required(*STAFF_ROLES)
def return_task(task_id: int):
    task, item = task_and_request_or_404(task_id)
    _require_answer(task, item)
    form = TaskReturnForm()
    if not form.validate():
        return render_task_page(task, item, status=422, return_form=form)
    return _task_action(task, item, form, "return_form", lambda: task_return(
        actor=_actor(), item=item, task=task, reason=form.reason.data, expected_version=form.seen_version),
        _("Tugas dikembalikan ke PPID Utama dengan alasan Anda."))


@bp.get("/tugas/<int:task_id>/dokumen/<int:attachment_id>")
@roles_required(*STAFF_ROLES)
def task_document(task_id: int, attachment_id: int):
    """A document a unit attached to its answer; every download is logged on the request."""
    task, item = task_and_request_or_404(task_id)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.task_id != task.id or attachment.purpose != AttachmentPurpose.UNIT_ANSWER:
        abort(404)
    if not may_download(current_user, attachment, item):  # the same rule as every document route
        abort(403)
    task_document_downloaded(actor=_actor(), item=item, task=task, attachment=attachment)
    commit()
    return send_file(BytesIO(attachment_read(attachment)), mimetype=attachment.content_type,
                     as_attachment=True, download_name=attachment.original_name)
