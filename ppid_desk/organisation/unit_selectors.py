"""Reads of the unit tree: subtrees, paths, the admin list, and the unit picker's search.

Every read runs a fixed number of queries whatever the size of the tree (a province has ~700
units): the subtree and the ancestors are recursive CTEs, which SQLite and PostgreSQL both run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from .models import Unit, UnitKind

PATH_SEPARATOR = " › "
SEARCH_LIMIT = 20
SEARCH_WORDS_MAX = 5
SEARCH_TEXT_MAX = 100
# Below this many units a plain <select> (or checkboxes) is the picker; above it, a text field
# where the code is typed, improved by search-as-you-type (htmx). Config: UNIT_SELECT_MAX.
SELECT_MAX = 100
MAX_DEPTH = 64  # a guard for the upward walk; real trees are a handful of levels deep


class Purpose:
    """What a unit is picked for; decides which units are offered."""

    ROUTE = "disposisi"  # routing and reassigning: active PPID Pembantu units
    FILTER = "saring"  # queue, monev and register filters: every unit, inactive ones too
    PARENT = "induk"  # the parent of a unit in the admin form: active units

    ALL = (ROUTE, FILTER, PARENT)


def purpose_terms(purpose: str, unit=Unit) -> list:
    if purpose == Purpose.ROUTE:
        return [unit.active.is_(True), unit.kind == UnitKind.PEMBANTU.value]
    if purpose == Purpose.PARENT:
        return [unit.active.is_(True)]
    return []


# --- the tree ---------------------------------------------------------------------------------

def unit_subtree_ids(unit_id: int) -> list[int]:
    """The unit and every unit under it, at any depth (one recursive query)."""
    tree = select(Unit.id).where(Unit.id == unit_id).cte("unit_subtree", recursive=True)
    child = aliased(Unit)
    # UNION (not UNION ALL): a cycle, should one ever exist, ends the walk instead of looping.
    tree = tree.union(select(child.id).join(tree, child.parent_id == tree.c.id))
    return sorted(db.session.scalars(select(tree.c.id)))


def unit_scope_ids(unit_id: int, *, subunits: bool) -> list[int]:
    """The units a filter on ``unit_id`` covers: the unit alone, or with everything under it."""
    return unit_subtree_ids(unit_id) if subunits else [unit_id]


def unit_by_code(code: str | None) -> Unit | None:
    """The unit with this code (letter case ignored), or None."""
    code = (code or "").strip()
    if not code or len(code) > 64:
        return None
    return db.session.scalar(select(Unit).where(func.lower(Unit.code) == code.lower()).limit(1))


def units_by_codes(codes: Iterable[str]) -> dict[str, Unit]:
    """{lower-case code: unit} for the codes that exist (one query)."""
    wanted = sorted({code.strip().lower() for code in codes if code and code.strip()})
    if not wanted:
        return {}
    return {unit.code.lower(): unit for unit in db.session.scalars(
        select(Unit).where(func.lower(Unit.code).in_(wanted)))}


def utama_unit() -> Unit | None:
    """The PPID Utama unit: the root of the tree (None before one is created)."""
    return db.session.scalar(select(Unit).where(Unit.kind == UnitKind.UTAMA.value).order_by(Unit.id).limit(1))


def ancestor_names(unit_ids: Collection[int]) -> dict[int, list[str]]:
    """{unit id: names of its ancestors, root first} for these units, in one recursive query."""
    if not unit_ids:
        return {}
    up = (select(Unit.id.label("start"), Unit.parent_id.label("next"), literal(0).label("depth"))
          .where(Unit.id.in_(list(unit_ids)), Unit.parent_id.is_not(None))
          .cte("unit_ancestors", recursive=True))
    parent = aliased(Unit)
    up = up.union_all(
        select(up.c.start, parent.parent_id, up.c.depth + 1)
        .join(parent, parent.id == up.c.next)
        .where(parent.parent_id.is_not(None), up.c.depth < MAX_DEPTH))
    named = aliased(Unit)
    rows = db.session.execute(
        select(up.c.start, up.c.depth, named.name).join(named, named.id == up.c.next)
        .order_by(up.c.start, up.c.depth.desc()))
    paths: dict[int, list[str]] = defaultdict(list)
    for start, _depth, name in rows:
        paths[start].append(name)
    return dict(paths)


def unit_path(unit: Unit) -> str:
    """"PPID Utama › Kecamatan X › Kelurahan Y": the unit's ancestors and its own name."""
    return PATH_SEPARATOR.join([*ancestor_names([unit.id]).get(unit.id, []), unit.name])


@dataclass
class TreeRow:
    unit: Unit
    depth: int
    path: list[str]  # the ancestors' names, root first
    children: int = 0
    tasks: int = 0
    users: int = 0

    @property
    def in_use(self) -> bool:
        """Routed to, given officers or given sub-units: never deleted, only deactivated."""
        return bool(self.children or self.tasks or self.users)


def unit_tree() -> list[TreeRow]:
    """Every unit in tree order (each parent before its children, siblings by code), in three
    queries: the units, their routing tasks and their officers counted per unit."""
    from ..accounts.models import User
    from ..routing.models import RoutingTask

    units = list(db.session.scalars(select(Unit).order_by(Unit.code)))
    tasks = dict(db.session.execute(select(RoutingTask.unit_id, func.count()).group_by(RoutingTask.unit_id)).all())
    users = dict(db.session.execute(
        select(User.unit_id, func.count()).where(User.unit_id.is_not(None)).group_by(User.unit_id)).all())
    children: dict[int | None, list[Unit]] = defaultdict(list)
    known = {unit.id for unit in units}
    for unit in units:
        children[unit.parent_id if unit.parent_id in known else None].append(unit)
    rows: list[TreeRow] = []
    seen: set[int] = set()

    def walk(unit: Unit, depth: int, path: list[str]) -> None:
        if unit.id in seen:  # never loop, whatever the data
            return
        seen.add(unit.id)
        rows.append(TreeRow(unit, depth, path, len(children.get(unit.id, [])), tasks.get(unit.id, 0),
                            users.get(unit.id, 0)))
        for child in children.get(unit.id, []):
            walk(child, depth + 1, [*path, unit.name])

    roots = sorted(children.get(None, []), key=lambda u: (u.kind != UnitKind.UTAMA.value, u.code))
    for root in roots:
        walk(root, 0, [])
    for unit in units:  # units caught in a cycle (impossible through the services): shown flat
        if unit.id not in seen:
            walk(unit, 0, [])
    return rows


def tree_search(rows: list[TreeRow], text: str) -> list[TreeRow]:
    """The rows matching every word (code, name or an ancestor's name), with their ancestors
    kept so the tree still reads as a tree."""
    words = [word.lower() for word in text.split()][:SEARCH_WORDS_MAX]
    if not words:
        return rows
    by_id = {row.unit.id: row for row in rows}
    keep: set[int] = set()
    for row in rows:
        haystack = " ".join([row.unit.code, row.unit.name, *row.path]).lower()
        if all(word in haystack for word in words):
            unit = row.unit
            while unit is not None and unit.id not in keep:
                keep.add(unit.id)
                parent_row = by_id.get(unit.parent_id) if unit.parent_id else None
                unit = parent_row.unit if parent_row else None
    return [row for row in rows if row.unit.id in keep]


def unit_usage(unit: Unit) -> TreeRow:
    """How much a unit is used (sub-units, routing tasks, officers): three counts."""
    from ..accounts.models import User
    from ..routing.models import RoutingTask

    count = func.count()
    return TreeRow(
        unit, 0, [],
        children=db.session.scalar(select(count).select_from(Unit).where(Unit.parent_id == unit.id)) or 0,
        tasks=db.session.scalar(select(count).select_from(RoutingTask).where(RoutingTask.unit_id == unit.id)) or 0,
        users=db.session.scalar(select(count).select_from(User).where(User.unit_id == unit.id)) or 0,
    )


# --- the unit picker --------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitHit:
    id: int
    code: str
    name: str
    active: bool
    path: str  # the ancestors' names, root first ("" for the root)
    depth: int = 0  # how many ancestors

    @property
    def label(self) -> str:
        return f"{self.code} — {self.name}"


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def unit_search(text: str, *, purpose: str = Purpose.ROUTE, limit: int = SEARCH_LIMIT) -> list[UnitHit]:
    """Units whose code, name, parent's or grandparent's name contain every word typed: an exact
    code first, then codes and names that start with the text, then by code. Two queries."""
    words = (text or "")[:SEARCH_TEXT_MAX].split()[:SEARCH_WORDS_MAX]
    if not words:
        return []
    parent, grandparent = aliased(Unit), aliased(Unit)
    conditions = list(purpose_terms(purpose))
    for word in words:
        pattern = f"%{_escape_like(word.lower())}%"
        conditions.append(or_(*(func.lower(column).like(pattern, escape="\\") for column in (
            Unit.code, Unit.name, parent.name, grandparent.name))))
    whole = " ".join(words).lower()
    prefix = f"{_escape_like(whole)}%"
    rank = case((func.lower(Unit.code) == whole, 0),
                (func.lower(Unit.code).like(prefix, escape="\\"), 1),
                (func.lower(Unit.name).like(prefix, escape="\\"), 2), else_=3)
    units = list(db.session.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.active)
        .outerjoin(parent, parent.id == Unit.parent_id)
        .outerjoin(grandparent, grandparent.id == parent.parent_id)
        .where(and_(*conditions))
        .order_by(rank, Unit.active.desc(), Unit.code)
        .limit(limit)))
    return _hits(units)


def _hits(rows) -> list[UnitHit]:
    paths = ancestor_names([row.id for row in rows])
    return [UnitHit(row.id, row.code, row.name, row.active, PATH_SEPARATOR.join(paths.get(row.id, [])),
                    len(paths.get(row.id, []))) for row in rows]


@dataclass
class PickerOptions:
    """How a unit field is shown: ``small`` → a plain select of ``choices``; else a text field
    for the code, improved by search-as-you-type."""

    purpose: str
    small: bool
    choices: list[UnitHit] = field(default_factory=list)


def select_max() -> int:
    return int(current_app.config.get("UNIT_SELECT_MAX", SELECT_MAX))


def picker_options(purpose: str) -> PickerOptions:
    """One query: the units offered, read only up to the threshold. Few → a select in tree order,
    indented under the offered units above them; many → the text field (nothing more is read)."""
    limit = select_max()
    rows = list(db.session.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.active, Unit.parent_id).where(*purpose_terms(purpose))
        .order_by(Unit.id).limit(limit + 1)))
    if len(rows) > limit:
        return PickerOptions(purpose, small=False)
    return PickerOptions(purpose, small=True, choices=_tree_ordered(rows))


def _offered(row, purpose: str) -> bool:
    """``purpose_terms`` in Python, for a row of ``picker_options_for``."""
    if purpose == Purpose.ROUTE:
        return row.active and row.kind == UnitKind.PEMBANTU.value
    if purpose == Purpose.PARENT:
        return row.active
    return True


def picker_options_for(*purposes: str) -> dict[str, PickerOptions]:
    """``picker_options`` for several purposes, in one query while the body has few units (a page
    with two unit fields); with many, each purpose reads its own, as ``picker_options`` does."""
    if not purposes:
        return {}
    limit = select_max()
    rows = list(db.session.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.active, Unit.parent_id, Unit.kind)
        .order_by(Unit.id).limit(limit + 1)))
    if len(rows) > limit:  # more units than a select shows: every unit is offered only to a filter
        return {purpose: PickerOptions(purpose, small=False) if purpose == Purpose.FILTER else picker_options(purpose)
                for purpose in purposes}
    return {purpose: PickerOptions(purpose, small=True, choices=_tree_ordered(
        [row for row in rows if _offered(row, purpose)])) for purpose in purposes}


def _tree_ordered(rows) -> list[UnitHit]:
    """The rows as a tree among themselves (a row whose parent is not offered starts a branch)."""
    by_parent: dict[int | None, list] = defaultdict(list)
    ids = {row.id for row in rows}
    for row in rows:
        by_parent[row.parent_id if row.parent_id in ids else None].append(row)
    hits: list[UnitHit] = []
    seen: set[int] = set()

    def walk(row, path: list[str]) -> None:
        if row.id in seen:
            return
        seen.add(row.id)
        hits.append(UnitHit(row.id, row.code, row.name, row.active, PATH_SEPARATOR.join(path), len(path)))
        for child in sorted(by_parent.get(row.id, []), key=lambda r: r.name.lower()):
            walk(child, [*path, row.name])

    for root in sorted(by_parent.get(None, []), key=lambda r: r.name.lower()):
        walk(root, [])
    for row in rows:  # a cycle (impossible through the services): listed flat
        walk(row, [])
    return hits
