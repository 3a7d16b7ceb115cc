"""The routing task (disposisi) as a subject of the funnel (``audit.funnel``): its cached
columns, their pure derivation, and how tasks made before the funnel covered them replay.

Every change of a task goes through ``task_event`` and lands on the task's own log
(``events_for("routing_task", id)``) with before/after; the routing services still log the step
on the request's timeline, which is what the desk shows.

Tasks created by older versions have no log of their own: their history is read from the
request's events (``routed``, ``reassigned``, ``task_answered``, ``task_returned``,
``tasks_cancelled``), which name the task and carry the moment the services gave both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from ..accounts.models import Role, User
from ..audit import funnel
from ..audit.funnel import Subject, subject_event
from ..audit.models import Event
from ..audit.personal import GUEST_APPLICANT
from ..audit.selectors import events_for
from ..extensions import db
from ..workcalendar.selectors import local_date
from .models import RoutingTask, TaskStatus

TASK_SUBJECT = "routing_task"
TASK_COLUMNS = ("status", "internal_due", "routed_at", "answered_at", "closed_at")


def task_derived_changes(state: dict[str, Any], changes: dict[str, Any], at: datetime,
                         to_local: Callable[[datetime], date]) -> dict[str, Any]:
    """The derived columns ``changes`` implies; pure.

    * ``closed_at``: the moment the task left ``open`` (answered, returned or cancelled).
    * ``answered_at``: the moment it was answered.
    """
    derived: dict[str, Any] = {}
    status = changes.get("status")
    if status is None or status == state.get("status"):
        return derived
    if status == TaskStatus.OPEN:
        if "closed_at" not in changes:
            derived["closed_at"] = None
    elif "closed_at" not in changes:
        derived["closed_at"] = at
    if status == TaskStatus.ANSWERED and "answered_at" not in changes:
        derived["answered_at"] = at
    return derived


def task_legacy_columns(event: Event, task: RoutingTask) -> dict[str, Any] | None:
    """What a request event written before tasks had their own log proves about ``task``."""
    if event.subject_type != "request":
        return None
    data, kind = event.data or {}, event.kind
    opened = {"status": TaskStatus.OPEN.value, "routed_at": event.at, "answered_at": None, "closed_at": None}
    if kind == "routed" and task.id in (data.get("task_ids") or []):
        return {**opened, **({"internal_due": date.fromisoformat(data["internal_due"])}
                             if data.get("internal_due") else {})}
    if kind == "reassigned":
        if data.get("task_id") == task.id:
            return {**opened, **({"internal_due": date.fromisoformat(data["internal_due"])}
                                 if data.get("internal_due") else {})}
        if data.get("from_task_id") == task.id:
            return {"status": TaskStatus.CANCELLED.value}
    if kind == "task_answered" and data.get("task_id") == task.id:
        return {"status": TaskStatus.ANSWERED.value}
    if kind == "task_returned" and data.get("task_id") == task.id:
        return {"status": TaskStatus.RETURNED.value}
    if kind == "tasks_cancelled" and task.id in (data.get("task_ids") or []):
        return {"status": TaskStatus.CANCELLED.value}
    return None


def task_history(task: RoutingTask) -> Sequence[Event]:
    """The task's own log; for a task born before it had one, first the request's events
    (up to the task's first own event), which the legacy reader reads."""
    own = events_for(TASK_SUBJECT, task.id)
    if own and own[0].kind in ("routed", "reassigned"):  # created through the funnel
        return own
    query = select(Event).where(Event.subject_type == "request", Event.subject_id == task.request_id)
    if own:
        query = query.where(Event.id < own[0].id)
    return list(db.session.scalars(query.order_by(Event.id))) + own


def _local_date(moment: datetime) -> date:
    return local_date(moment)


def _stale(task: RoutingTask) -> Exception:
    from .services import StaleTask

    return StaleTask(task)


TASK = Subject(
    subject_type=TASK_SUBJECT, model=RoutingTask, columns=TASK_COLUMNS, to_local=_local_date,
    derive=task_derived_changes, describe=lambda task: f"tugas {task.id} (permohonan {task.request_id})",
    legacy=task_legacy_columns, history=task_history, stale=_stale,
)


def task_event(*, actor: User | None, task: RoutingTask, kind: str, changes: dict[str, Any] | None = None,
               data: dict[str, Any] | None = None, at: datetime | None = None, expected_version: int | None = None,
               created: bool = False) -> Event:
    """Apply ``changes`` to the task and log ``kind`` on its own log; flush only.

    The applicant (withdrawing the request cancels its tasks) is logged as "the applicant",
    without the account's id: the purge unlinks accounts only on the request's and the
    objection's timelines, and a task's log must not lead back to a citizen's account."""
    actor_label = None
    if actor is not None and not actor.roles - {Role.PEMOHON.value}:
        actor, actor_label = None, GUEST_APPLICANT
    payload = {"request_id": task.request_id, **(data or {})}
    return subject_event(TASK, row=task, kind=kind, actor=actor, actor_label=actor_label, changes=changes,
                         data=payload, at=at, expected_version=expected_version, created=created)


def task_creation_changes(task: RoutingTask) -> dict[str, Any]:
    """Every cached column of a new task, so that its first event fixes its whole state."""
    return {column: getattr(task, column) for column in TASK_COLUMNS}


def task_replayed_columns(task: RoutingTask) -> dict[str, Any]:
    return funnel.replayed_columns(TASK, task)


def task_cached_columns(task: RoutingTask) -> dict[str, Any]:
    return funnel.columns_of(TASK, task)


def task_rebuild_cached_columns(task: RoutingTask) -> dict[str, tuple[Any, Any]]:
    return funnel.rebuild_columns(TASK, task)
