"""Writes for routing (disposisi): route, reassign, answer, return. Flush, never commit.

Routing hands work to PPID Pembantu units; it never touches the statutory clock (the law binds
the body, not the unit). Every action also bumps the request's version, so two officers acting
on the same request (or two units answering at once) cannot both win.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from ..accounts.models import User
from ..attachments.models import Attachment
from ..attachments.services import attachment_claim
from ..dbtypes import utcnow
from ..errors import DomainError, FieldError
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..organisation.models import Unit, UnitKind
from ..organisation.profile_selectors import body_profile
from ..requests.gates import Gate, StatusGateClosed, gate_allows
from ..requests.lifecycle import ensure_version, request_access_logged, request_event
from ..requests.models import InformationRequest, RequestStatus
from ..sla import WorkingCalendar, unit_task_due
from ..web.formatting import long_date
from ..web.urls import public_url
from ..workcalendar.selectors import clock_rules, local_date, working_calendar
from .lifecycle import task_creation_changes, task_event
from .models import RoutingTask, TaskStatus


class StaleTask(DomainError):
    """Someone else changed the task since this officer loaded it."""

    def __init__(self, task: RoutingTask) -> None:
        super().__init__(f"task {task.id} changed (now version {task.version})")
        self.task = task


class TaskNotOpen(DomainError):
    """The task was already answered, returned or cancelled."""


def not_routable_reason(item: InformationRequest) -> str | None:
    """Why this request cannot be routed now, in plain words; None when it can."""
    if gate_allows(Gate.ROUTE, item.status):
        return None
    reasons = {
        RequestStatus.INCOMPLETE: _("Permohonan ini belum lengkap. Setelah pemohon melengkapinya dan "
                                    "permohonan diterima, baru dapat diteruskan ke unit."),
        RequestStatus.SUBMITTED: _("Permohonan ini belum terdaftar, jadi belum dapat diteruskan ke unit."),
        RequestStatus.NOTICE_ISSUED: _("Pemberitahuan tertulis sudah terbit; permohonan ini tidak "
                                       "diteruskan ke unit lagi."),
        RequestStatus.DELIVERED: _("Informasi sudah disampaikan; permohonan ini tidak diteruskan ke unit lagi."),
        RequestStatus.CLOSED: _("Permohonan ini sudah selesai; tidak dapat diteruskan ke unit."),
        RequestStatus.WITHDRAWN: _("Permohonan ini sudah dicabut pemohon; tidak dapat diteruskan ke unit."),
        RequestStatus.NOT_COMPLETED: _("Permohonan ini sudah ditutup karena tidak dilengkapi pemohon; tidak dapat "
                                       "diteruskan ke unit."),
    }
    return reasons.get(item.status, _("Permohonan dengan status ini tidak dapat diteruskan ke unit."))


def latest_internal_due(item: InformationRequest, today: date) -> date:
    """The latest internal due allowed: the statutory due (or today, if that has passed)."""
    return max(item.current_due, today)


def default_internal_due(item: InformationRequest, today: date, cal: WorkingCalendar | None = None) -> date:
    """The statutory due minus the configured buffer (UNIT_BUFFER_WD), never after the statutory due."""
    cal = cal or working_calendar()
    proposed = unit_task_due(item.current_due, today, cal, clock_rules())
    return min(proposed, latest_internal_due(item, today))


def _touch(item: InformationRequest) -> None:
    """Bump the request's version even when no cached column changes (optimistic locking)."""
    flag_modified(item, "number")


def _ensure_task_version(task: RoutingTask, expected_version: int | None) -> None:
    if expected_version is not None and task.version != expected_version:
        raise StaleTask(task)


def _ensure_routable(item: InformationRequest) -> None:
    reason = not_routable_reason(item)
    if reason:
        raise StatusGateClosed(Gate.ROUTE, item.status, reason)


def _ensure_task_open(task: RoutingTask) -> None:
    if task.status == TaskStatus.OPEN:
        return
    messages = {
        TaskStatus.ANSWERED: _("Tugas ini sudah dijawab. Tidak ada yang diubah."),
        TaskStatus.RETURNED: _("Tugas ini sudah dikembalikan ke PPID Utama. Tidak ada yang diubah."),
        TaskStatus.CANCELLED: _("Tugas ini sudah dibatalkan atau dialihkan ke unit lain. Tidak ada yang diubah."),
    }
    raise TaskNotOpen(messages.get(task.status, _("Tugas ini tidak terbuka lagi. Tidak ada yang diubah.")))


def _check_internal_due(item: InformationRequest, internal_due: date | None, today: date,
                        field: str = "internal_due") -> date:
    if internal_due is None:
        raise FieldError(field, _("Tulis batas waktu internal untuk unit."))
    if internal_due < today:
        raise FieldError(field, _("Batas waktu internal tidak boleh sebelum hari ini."))
    latest = latest_internal_due(item, today)
    if internal_due > latest:
        raise FieldError(field, _("Batas waktu internal tidak boleh melewati batas pemberitahuan "
                                  "tertulis (%(date)s).", date=long_date(latest)))
    return internal_due


def _pembantu_units(unit_ids: Sequence[int], field: str) -> list[Unit]:
    ids = list(dict.fromkeys(int(unit_id) for unit_id in unit_ids))
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))} if ids else {}
    chosen = [units.get(unit_id) for unit_id in ids]
    if any(u is None or not u.active or u.kind != UnitKind.PEMBANTU for u in chosen):
        raise FieldError(field, _("Pilih unit PPID Pembantu yang masih aktif."))
    return chosen  # type: ignore[return-value]


def _tasks(item: InformationRequest) -> list[RoutingTask]:
    return list(db.session.scalars(select(RoutingTask).where(RoutingTask.request_id == item.id)))


def _status_after(item: InformationRequest) -> str:
    """The request's status implied by its tasks: any open → routed; every live one answered →
    answered; otherwise (nothing routed, or a returned task waiting for PPID Utama) → registered.

    Cancelled tasks are not live. A returned task stops being live once PPID Utama routes the
    request again after the return (it chose other units instead of reassigning that task).
    """
    tasks = [t for t in _tasks(item) if t.status != TaskStatus.CANCELLED]
    last_routed = max((t.routed_at for t in tasks), default=None)
    live = [t for t in tasks if not (t.status == TaskStatus.RETURNED and t.closed_at is not None
                                     and last_routed is not None and t.closed_at < last_routed)]
    if any(t.status == TaskStatus.OPEN for t in live):
        return RequestStatus.ROUTED.value
    if live and all(t.status == TaskStatus.ANSWERED for t in live):
        return RequestStatus.ANSWERED.value
    return RequestStatus.REGISTERED.value


def _status_change(item: InformationRequest) -> dict:
    status = _status_after(item)
    if status == item.status:
        _touch(item)
        return {}
    return {"status": status}


def request_route(
    *,
    actor: User,
    item: InformationRequest,
    unit_ids: Sequence[int],
    instruction: str,
    internal_due: date | None,
    expected_version: int | None = None,
    at: datetime | None = None,
    notify: bool = True,
) -> list[RoutingTask]:
    """Route (disposisi) a request to one or more PPID Pembantu units with an instruction.

    Units that already hold an open task on this request are skipped. The statutory clock is
    left exactly as it is. The applicant is told once, on the first routing (``notify``).
    ``at`` back-dates the routing (demo data, imports); it defaults to now.
    """
    ensure_version(item, expected_version)
    _ensure_routable(item)
    at = at or utcnow()
    today = local_date(at)
    if not unit_ids:
        raise FieldError("units", _("Pilih paling sedikit satu unit."))
    units = _pembantu_units(unit_ids, "units")
    instruction = (instruction or "").strip()
    if not instruction:
        raise FieldError("instruction", _("Tulis instruksi untuk unit: apa yang perlu disiapkan."))
    _check_internal_due(item, internal_due, today)

    existing = _tasks(item)
    busy = {t.unit_id for t in existing if t.status == TaskStatus.OPEN}
    fresh = [u for u in units if u.id not in busy]
    if not fresh:
        raise FieldError("units", _("Unit yang dipilih sudah memegang tugas yang masih terbuka untuk "
                                    "permohonan ini. Pilih unit lain."))
    tasks = [RoutingTask(request_id=item.id, unit_id=unit.id, instruction=instruction,
                         internal_due=internal_due, status=TaskStatus.OPEN.value, routed_at=at,
                         routed_by_id=actor.id) for unit in fresh]
    db.session.add_all(tasks)
    db.session.flush()
    for task, unit in zip(tasks, fresh, strict=True):
        task_event(actor=actor, task=task, kind="routed", at=at, created=True, changes=task_creation_changes(task),
                   data={"unit": unit.code})
    request_event(
        actor=actor, item=item, kind="routed", at=at, changes=_status_change(item),
        data={"task_ids": [t.id for t in tasks], "units": [u.code for u in fresh],
              "instruction": instruction, "internal_due": internal_due.isoformat(),
              "skipped_units": [u.code for u in units if u.id in busy]},
    )
    if notify and not existing and item.applicant.email:
        _notify_routed(item, fresh, actor)
    return tasks


def _notify_routed(item: InformationRequest, units: list[Unit], actor: User) -> None:
    outbox_enqueue(
        recipient=item.applicant.email,
        subject=_l("Permohonan %(number)s sedang diproses", number=item.number),
        template="email/request_routed.txt", request=item, actor=actor,
        units=[u.name for u in units], body_name=body_profile().name,
        tracking_url=public_url("requests.track_token", token=item.tracking_token),
    )


def task_reassign(
    *,
    actor: User,
    item: InformationRequest,
    task: RoutingTask,
    unit_id: int | None,
    instruction: str,
    internal_due: date | None,
    expected_version: int | None = None,
    expected_task_version: int | None = None,
    at: datetime | None = None,
) -> RoutingTask:
    """Cancel an open or returned task and route the work to another unit, in one step."""
    ensure_version(item, expected_version)
    _ensure_task_version(task, expected_task_version)
    _ensure_routable(item)
    if task.status not in (TaskStatus.OPEN, TaskStatus.RETURNED):
        raise TaskNotOpen(_("Hanya tugas yang masih dikerjakan atau yang dikembalikan yang dapat "
                            "dialihkan. Tidak ada yang diubah."))
    at = at or utcnow()
    today = local_date(at)
    if unit_id is None:
        raise FieldError("unit_id", _("Pilih unit tujuan."))
    (unit,) = _pembantu_units([unit_id], "unit_id")
    if unit.id == task.unit_id:
        raise FieldError("unit_id", _("Pilih unit lain dari unit yang sekarang memegang tugas ini."))
    if any(t.unit_id == unit.id and t.status == TaskStatus.OPEN for t in _tasks(item)):
        raise FieldError("unit_id", _("Unit ini sudah memegang tugas yang masih terbuka untuk "
                                      "permohonan ini."))
    instruction = (instruction or "").strip()
    if not instruction:
        raise FieldError("instruction", _("Tulis instruksi untuk unit tujuan."))
    _check_internal_due(item, internal_due, today)

    previous_unit = task.unit
    task_event(actor=actor, task=task, kind="reassigned_away", at=at, changes={"status": TaskStatus.CANCELLED.value},
               data={"unit": previous_unit.code, "to_unit": unit.code})
    new_task = RoutingTask(request_id=item.id, unit_id=unit.id, instruction=instruction,
                           internal_due=internal_due, status=TaskStatus.OPEN.value, routed_at=at,
                           routed_by_id=actor.id)
    db.session.add(new_task)
    db.session.flush()
    task_event(actor=actor, task=new_task, kind="reassigned", at=at, created=True,
               changes=task_creation_changes(new_task), data={"unit": unit.code, "from_task_id": task.id})
    request_event(
        actor=actor, item=item, kind="reassigned", at=at, changes=_status_change(item),
        data={"from_task_id": task.id, "from_unit": previous_unit.code, "task_id": new_task.id,
              "unit": unit.code, "instruction": instruction, "internal_due": internal_due.isoformat()},
    )
    return new_task


def _ensure_answerable(item: InformationRequest, task: RoutingTask, expected_version: int | None) -> None:
    _ensure_task_version(task, expected_version)
    _ensure_task_open(task)
    if not gate_allows(Gate.ROUTE, item.status):
        raise TaskNotOpen(_("Permohonan ini sudah tidak menunggu jawaban unit (pemberitahuan tertulis "
                            "sudah terbit, atau permohonan selesai/dicabut). Tidak ada yang diubah."))


def task_answer(
    *,
    actor: User,
    item: InformationRequest,
    task: RoutingTask,
    answer_text: str,
    documents: Sequence[Attachment] = (),
    expected_version: int | None = None,
    at: datetime | None = None,
) -> RoutingTask:
    """A unit answers its task with a draft text and documents (``expected_version``: the task's).

    When every task that was not cancelled is answered, the request becomes ``answered``.
    """
    _ensure_answerable(item, task, expected_version)
    answer_text = (answer_text or "").strip()
    if not answer_text:
        raise FieldError("answer_text", _("Tulis jawaban atau draf informasi untuk PPID Utama."))
    at = at or utcnow()
    task.answer_text = answer_text
    task.answered_by_id = actor.id
    task_event(actor=actor, task=task, kind="task_answered", at=at, changes={"status": TaskStatus.ANSWERED.value},
               data={"unit": task.unit.code, "documents": [d.id for d in documents]})
    for document in documents:
        attachment_claim(document, request_id=item.id)
        document.task_id = task.id
    db.session.flush()
    request_event(
        actor=actor, item=item, kind="task_answered", at=at, changes=_status_change(item),
        data={"task_id": task.id, "unit": task.unit.code, "answer": answer_text,
              "documents": [d.id for d in documents]},
    )
    return task


def task_return(
    *,
    actor: User,
    item: InformationRequest,
    task: RoutingTask,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> RoutingTask:
    """A unit returns a task it cannot handle, with a reason (``expected_version``: the task's).

    The request stays routed while another task is open, and goes back to ``registered`` when
    none is, so PPID Utama routes it again or reassigns the returned task.
    """
    _ensure_answerable(item, task, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise FieldError("reason", _("Tulis alasan mengapa unit tidak dapat mengerjakan tugas ini."))
    at = at or utcnow()
    task.return_reason = reason
    task.answered_by_id = actor.id  # the unit officer who closed the task (answer or return)
    task_event(actor=actor, task=task, kind="task_returned", at=at, changes={"status": TaskStatus.RETURNED.value},
               data={"unit": task.unit.code})
    request_event(
        actor=actor, item=item, kind="task_returned", at=at, changes=_status_change(item),
        data={"task_id": task.id, "unit": task.unit.code, "reason": reason},
    )
    return task


def task_document_downloaded(*, actor: User, item: InformationRequest, task: RoutingTask,
                             attachment: Attachment) -> None:
    """Log that an officer downloaded a document a unit attached to its answer."""
    request_access_logged(actor=actor, item=item, kind="task_document_downloaded",
                  data={"task_id": task.id, "attachment_id": attachment.id,
                        "name": attachment.original_name})


def request_tasks_cancel_open(*, actor: User | None, item: InformationRequest, reason: str,
                              at: datetime | None = None) -> list[RoutingTask]:
    """Cancel the tasks still open on a request that no longer needs units (e.g. the written
    notice was issued, or the applicant withdrew). Logs ``tasks_cancelled``; flush only.

    For other domains' services: call it in the same transaction as their own event.
    """
    at = at or utcnow()
    open_tasks = [t for t in _tasks(item) if t.status == TaskStatus.OPEN]
    if not open_tasks:
        return []
    for task in open_tasks:
        task_event(actor=actor, task=task, kind="tasks_cancelled", at=at,
                   changes={"status": TaskStatus.CANCELLED.value}, data={"unit": task.unit.code})
    request_event(actor=actor, item=item, kind="tasks_cancelled", at=at,
                  data={"task_ids": [t.id for t in open_tasks], "units": [t.unit.code for t in open_tasks],
                        "reason": reason})
    return open_tasks
