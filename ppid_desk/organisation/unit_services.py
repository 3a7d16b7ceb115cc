"""Writes of the unit tree: create, edit (rename, move, details), deactivate, reactivate.

Services are keyword-only, take the actor, flush and never commit. Every change appends an event
on the unit (subject "unit") with the fields before and after; doing what is already done changes
nothing and logs nothing. ``FieldError`` / ``ValidationFailed`` carry what the admin can correct.

The tree: PPID Utama is the root; a unit without a parent is placed directly under it. A move is
refused when the new parent is the unit itself or lies under it (a cycle). A unit that was ever
used (routing tasks, officers, sub-units) is never deleted, only deactivated. There is no delete
at all: on SQLite a deleted row's id can be handed to the next unit, whose events would then
chain onto the deleted unit's history (events are chained per subject id).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.models import User
from ..audit.services import event_log
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from .models import Unit, UnitKind
from .unit_selectors import unit_subtree_ids, utama_unit

CODE_MAX = 32
NAME_MAX = 200
HEAD_MAX = 200
EMAIL_MAX = 254
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
KINDS = (UnitKind.UTAMA.value, UnitKind.PEMBANTU.value)
# The fields an event records, in this order.
SNAPSHOT_FIELDS = ("code", "name", "kind", "parent", "head_name", "head_position", "email",
                   "issues_notices", "active")


@dataclass(frozen=True)
class UnitDetails:
    """What an admin sets on a unit. ``parent_id`` None: directly under PPID Utama."""

    code: str
    name: str
    kind: str = UnitKind.PEMBANTU.value
    parent_id: int | None = None
    head_name: str | None = None
    head_position: str | None = None
    email: str | None = None
    issues_notices: bool = False


@dataclass(frozen=True)
class UnitChange:
    unit: Unit
    changed: bool
    before: dict[str, Any]
    after: dict[str, Any]
    open_tasks: int = 0  # when deactivated: tasks the unit still holds


# --- checks shared with the import ------------------------------------------------------------

def clean_text(text: str | None) -> str:
    return " ".join((text or "").split())


def code_problem(code: str) -> str | None:
    if not code:
        return _("Tulis kode unit.")
    if len(code) > CODE_MAX or not CODE_PATTERN.fullmatch(code):
        return _("Kode hanya boleh berisi huruf, angka, titik, garis bawah dan tanda hubung, tanpa spasi, "
                 "paling banyak %(max)d karakter.", max=CODE_MAX)
    return None


def name_problem(name: str) -> str | None:
    if not name:
        return _("Tulis nama unit.")
    if len(name) > NAME_MAX:
        return _("Nama paling banyak %(max)d karakter.", max=NAME_MAX)
    return None


def kind_problem(kind: str) -> str | None:
    if kind not in KINDS:
        return _("Jenis unit harus \"utama\" (PPID Utama) atau \"pembantu\" (PPID Pembantu/Pelaksana).")
    return None


def snapshot(unit: Unit) -> dict[str, Any]:
    """The unit's fields as an event records them (the parent by its code)."""
    parent = db.session.get(Unit, unit.parent_id) if unit.parent_id else None
    return {"code": unit.code, "name": unit.name, "kind": unit.kind, "parent": parent.code if parent else None,
            "head_name": unit.head_name, "head_position": unit.head_position, "email": unit.email,
            "issues_notices": bool(unit.issues_notices), "active": bool(unit.active)}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [name for name in SNAPSHOT_FIELDS if before.get(name) != after.get(name)]
    return {name: before.get(name) for name in changed}, {name: after.get(name) for name in changed}


def unit_event_data(unit: Unit, before: dict | None, after: dict | None,
                    extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": unit.code, "before": before, "after": after, **(extra or {})}


def log_unit_event(*, actor: User | None, unit: Unit, kind: str, before: dict | None, after: dict | None) -> None:
    event_log(actor=actor, subject_type="unit", subject_id=unit.id, kind=kind,
              data=unit_event_data(unit, before, after))


# --- validation of a form's details -----------------------------------------------------------

def _clean(details: UnitDetails) -> UnitDetails:
    email = clean_text(details.email).lower() or None
    return UnitDetails(
        code=(details.code or "").strip(), name=clean_text(details.name), kind=(details.kind or "").strip(),
        parent_id=details.parent_id, head_name=clean_text(details.head_name) or None,
        head_position=clean_text(details.head_position) or None, email=email,
        issues_notices=bool(details.issues_notices) and details.kind == UnitKind.PEMBANTU.value)


def _problems(details: UnitDetails, unit: Unit | None) -> tuple[dict[str, str], Unit | None]:
    """Every problem of the details, per field, and the parent the unit will hang under."""
    problems: dict[str, str] = {}
    for name, problem in (("code", code_problem(details.code)), ("name", name_problem(details.name)),
                          ("kind", kind_problem(details.kind))):
        if problem:
            problems[name] = problem
    if "code" not in problems:
        clash = db.session.scalar(select(Unit).where(func.lower(Unit.code) == details.code.lower()).limit(1))
        if clash is not None and clash is not unit:
            problems["code"] = _("Kode %(code)s sudah dipakai unit %(name)s.", code=clash.code, name=clash.name)
    for name, value in (("head_name", details.head_name), ("head_position", details.head_position)):
        if value and len(value) > HEAD_MAX:
            problems[name] = _("Paling banyak %(max)d karakter.", max=HEAD_MAX)
    if details.email and (len(details.email) > EMAIL_MAX or not EMAIL_PATTERN.fullmatch(details.email)):
        problems["email"] = _("Tulis alamat e-mail yang benar, misalnya ppid@dinas.example.go.id.")
    parent = _parent_of(details, unit, problems)
    return problems, parent


def _parent_of(details: UnitDetails, unit: Unit | None, problems: dict[str, str]) -> Unit | None:
    utama = utama_unit()
    if details.kind == UnitKind.UTAMA.value:
        if utama is not None and utama is not unit:
            problems.setdefault("kind", _("Sudah ada PPID Utama (%(name)s). Sebuah badan publik hanya memiliki "
                                          "satu PPID Utama.", name=utama.name))
        if details.parent_id is not None:
            problems.setdefault("parent", _("PPID Utama berada di puncak pohon: kosongkan unit induk."))
        return None
    if unit is not None and unit.kind == UnitKind.UTAMA.value:
        problems.setdefault("kind", _("Jenis PPID Utama tidak dapat diubah."))
        return None
    if details.parent_id is None:
        return utama  # directly under PPID Utama (top level while there is none)
    parent = db.session.get(Unit, details.parent_id)
    if parent is None:
        problems.setdefault("parent", _("Unit induk tidak ditemukan. Pilih dari daftar atau tulis kodenya."))
        return None
    if unit is not None and parent.id in unit_subtree_ids(unit.id):
        problems.setdefault("parent", _("Unit tidak dapat dipindah ke bawah dirinya sendiri atau ke bawah "
                                        "sub-unitnya (%(name)s).", name=parent.name))
        return None
    moved = unit is None or unit.parent_id != parent.id
    if moved and not parent.active:
        problems.setdefault("parent", _("Unit induk %(name)s nonaktif. Pilih unit induk yang aktif.", name=parent.name))
    return parent


def _apply(unit: Unit, details: UnitDetails, parent: Unit | None) -> None:
    unit.code, unit.name, unit.kind = details.code, details.name, details.kind
    unit.parent_id = parent.id if parent is not None else None
    unit.head_name, unit.head_position, unit.email = details.head_name, details.head_position, details.email
    unit.issues_notices = details.issues_notices


# --- the edits --------------------------------------------------------------------------------

def unit_create(*, actor: User, details: UnitDetails) -> Unit:
    """Add a unit under its parent (or directly under PPID Utama)."""
    details = _clean(details)
    problems, parent = _problems(details, None)
    if problems:
        raise ValidationFailed(problems)
    unit = Unit(active=True)
    _apply(unit, details, parent)
    db.session.add(unit)
    db.session.flush()
    log_unit_event(actor=actor, unit=unit, kind="unit_created", before=None, after=snapshot(unit))
    return unit


def unit_update(*, actor: User, unit: Unit, details: UnitDetails) -> UnitChange:
    """Rename, re-code, move (change the parent; a cycle is refused) or change the details."""
    details = _clean(details)
    problems, parent = _problems(details, unit)
    if problems:
        raise ValidationFailed(problems)
    before = snapshot(unit)
    _apply(unit, details, parent)
    db.session.flush()
    old, new = _diff(before, snapshot(unit))
    if not new:
        return UnitChange(unit, False, {}, {})
    kind = "unit_moved" if set(new) == {"parent"} else "unit_updated"
    log_unit_event(actor=actor, unit=unit, kind=kind, before=old, after=new)
    return UnitChange(unit, True, old, new)


def unit_set_active(*, actor: User, unit: Unit, active: bool) -> UnitChange:
    """Deactivate (no longer offered for routing; history and metrics kept) or reactivate."""
    if unit.active == active:
        return UnitChange(unit, False, {}, {})
    if not active and unit.kind == UnitKind.UTAMA.value:
        raise DomainError(_("PPID Utama tidak dapat dinonaktifkan."))
    if active and unit.parent_id is not None:
        parent = db.session.get(Unit, unit.parent_id)
        if parent is not None and not parent.active:
            raise DomainError(_("Unit induknya (%(name)s) nonaktif. Aktifkan unit induk lebih dulu, atau pindahkan "
                                "unit ini.", name=parent.name))
    unit.active = active
    db.session.flush()
    log_unit_event(actor=actor, unit=unit, kind="unit_reactivated" if active else "unit_deactivated",
                   before={"active": not active}, after={"active": active})
    open_tasks = 0
    if not active:
        from ..routing.models import RoutingTask, TaskStatus

        open_tasks = db.session.scalar(select(func.count()).select_from(RoutingTask).where(
            RoutingTask.unit_id == unit.id, RoutingTask.status == TaskStatus.OPEN.value)) or 0
    return UnitChange(unit, True, {"active": not active}, {"active": active}, open_tasks)

