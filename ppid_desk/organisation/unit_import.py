"""Import of the unit tree from CSV or XLSX with the columns ``code,name,parent_code,kind``.

An empty ``parent_code`` places the unit directly under PPID Utama; parents need not come before
their children. Every row is checked first (code, name, kind, unknown parent, duplicate code,
cycles, a second PPID Utama) and every problem is reported with its row number; only a file
without a single problem is applied, in one transaction. A unit whose code exists is updated
(renamed, moved, kind changed) and every change is logged on the unit like an admin's edit; a
file that matches the tree changes nothing and logs nothing, so importing it twice is harmless.
Units not in the file are left as they are (an import never deactivates).

The file is read by the shared safe reader (``web.spreadsheets``), like every import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import User
from ..audit.services import event_log_many
from ..extensions import db
from ..web.spreadsheets import (
    ReadLimits,
    Sheet,
    SpreadsheetError,
    csv_bytes,
    read_table,
    xlsx_bytes,
)
from .models import Unit, UnitKind
from .unit_services import (
    clean_text,
    code_problem,
    kind_problem,
    name_problem,
    snapshot,
    unit_event_data,
)

COLUMNS = ("code", "name", "parent_code", "kind")
MAX_ROWS = 5000
TEMPLATE_ROWS = (
    ("UTAMA", "PPID Utama Kota Contoh", "", "utama"),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "", "pembantu"),
    ("KEC-SUKAMAJU", "Kecamatan Sukamaju", "", "pembantu"),
    ("KEL-SUKAMAJU", "Kelurahan Sukamaju", "KEC-SUKAMAJU", "pembantu"),
    ("KEL-SUKAMAJU-RW01", "RW 01 Kelurahan Sukamaju", "KEL-SUKAMAJU", "pembantu"),
)


class ImportFileError(Exception):
    """The file as a whole cannot be read (type, encoding, columns, size)."""


@dataclass(frozen=True)
class Problem:
    line: int  # the row in the file, the header being row 1
    column: str
    message: str


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


# --- reading ----------------------------------------------------------------------------------

def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(storage) -> list[dict[str, Any]]:
    """The data rows of an uploaded XLSX or UTF-8 CSV as dicts with ``line`` and the four columns.

    ``storage`` is a werkzeug ``FileStorage`` (or anything with ``.stream``). The file is read by
    the shared safe reader (``web.spreadsheets.read_table``: type judged from the content, zip
    bombs, oversized sheets and endless rows refused with a message); the header row names the
    columns (any order, letter case ignored, other columns ignored); empty rows are skipped; at
    most ``MAX_ROWS`` rows (the reader stops one row later, so that this import names its limit).
    """
    config = current_app.config
    limits = ReadLimits(rows=max(MAX_ROWS + 1, config["IMPORT_MAX_ROWS"]), columns=config["IMPORT_MAX_COLUMNS"],
                        uncompressed_bytes=config["IMPORT_MAX_UNCOMPRESSED_BYTES"])
    content = storage.stream.read(limits.uncompressed_bytes + 1)
    if len(content) > limits.uncompressed_bytes:
        raise ImportFileError(_("Berkas terlalu besar: paling besar %(mb)d MB.",
                                mb=limits.uncompressed_bytes // (1024 * 1024)))
    try:
        table = [[_cell(value) for value in row] for row in read_table(content, limits)]
    except SpreadsheetError as error:
        raise ImportFileError(str(error)) from error
    if not table or not any(table[0]):
        raise ImportFileError(_("Baris pertama harus berisi judul kolom: %(columns)s.", columns=",".join(COLUMNS)))
    header = [cell.strip().lower() for cell in table[0]]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ImportFileError(_("Kolom %(missing)s tidak ada. Baris pertama harus berisi judul kolom: %(columns)s.",
                                missing=", ".join(missing), columns=",".join(COLUMNS)))
    index = {name: header.index(name) for name in COLUMNS}
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        rows.append({"line": line, **{name: cells[i] if i < len(cells) else "" for name, i in index.items()}})
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("Paling banyak %(max)d unit per berkas.", max=MAX_ROWS))
    return rows


# --- checking ---------------------------------------------------------------------------------

@dataclass
class _Row:
    line: int
    code: str
    name: str
    parent_code: str
    kind: str
    key: str = ""  # the code in lower case: the identity of a unit in the file and the tree
    parent_key: str | None = None  # None: the root (PPID Utama)
    depth: int = 0  # in the tree as the file leaves it (0: the root)


@dataclass
class ImportPlan:
    rows: list[_Row]  # parents before children
    existing: dict[str, Unit]  # by lower-case code


def _read(raw: dict[str, Any]) -> _Row:
    return _Row(line=int(raw.get("line", 0)), code=str(raw.get("code") or "").strip(),
                name=clean_text(str(raw.get("name") or "")), parent_code=str(raw.get("parent_code") or "").strip(),
                kind=str(raw.get("kind") or "").strip().lower())


def import_check(raw_rows: list[dict[str, Any]]) -> tuple[ImportPlan, list[Problem]]:
    """Check every row; the plan (parents first) is applied only when there is no problem."""
    rows = [_read(raw) for raw in raw_rows]
    problems: list[Problem] = []

    def bad(row: _Row, column: str, message: str) -> None:
        problems.append(Problem(row.line, column, message))

    if not rows:
        problems.append(Problem(1, "", _("Berkas tidak berisi satu unit pun.")))
    existing = {unit.code.lower(): unit for unit in db.session.scalars(select(Unit))}
    first_line: dict[str, int] = {}
    valid: list[_Row] = []
    for row in rows:
        row.key = row.code.lower()
        ok = True
        for column, problem in (("code", code_problem(row.code)), ("name", name_problem(row.name)),
                                ("kind", kind_problem(row.kind))):
            if problem:
                bad(row, column, problem)
                ok = False
        if row.code and row.key in first_line:
            bad(row, "code", _("Kode %(code)s sudah dipakai di baris %(line)d.", code=row.code, line=first_line[row.key]))
            ok = False
        elif row.code:
            first_line[row.key] = row.line
        if ok:
            valid.append(row)
    in_file = {row.key: row for row in valid}

    # PPID Utama: at most one, at the root; the existing one keeps its kind.
    db_utama = next((u for u in existing.values() if u.kind == UnitKind.UTAMA.value), None)
    file_utama = [row for row in valid if row.kind == UnitKind.UTAMA.value]
    utama_key, utama_code = (db_utama.code.lower(), db_utama.code) if db_utama else (None, "")
    for row in file_utama:
        if utama_key is not None and row.key != utama_key:
            bad(row, "kind", _("Sudah ada PPID Utama (%(code)s). Sebuah badan publik hanya memiliki satu PPID Utama.",
                               code=utama_code))
        elif row.parent_code:
            bad(row, "parent_code", _("PPID Utama berada di puncak pohon: kosongkan parent_code."))
        else:
            utama_key, utama_code = row.key, row.code
    if db_utama is not None and utama_key == db_utama.code.lower():
        row = in_file.get(utama_key)
        if row is not None and row.kind != UnitKind.UTAMA.value:
            bad(row, "kind", _("Jenis PPID Utama tidak dapat diubah."))

    # Parents: in the file or in the tree; an empty parent_code means PPID Utama.
    for row in valid:
        if row.kind == UnitKind.UTAMA.value:
            row.parent_key = None
            continue
        if not row.parent_code:
            row.parent_key = utama_key
            continue
        key = row.parent_code.lower()
        if key == row.key:
            bad(row, "parent_code", _("Unit tidak dapat menjadi induk dirinya sendiri."))
        elif key in first_line and key not in in_file:
            pass  # the parent's own row is wrong: reported there
        elif key not in in_file and key not in existing:
            bad(row, "parent_code", _("Unit induk %(code)s tidak ada di berkas maupun di daftar unit.",
                                      code=row.parent_code))
        else:
            row.parent_key = key
            parent = existing.get(key)
            unit = existing.get(row.key)
            moved = unit is None or unit.parent_id != (parent.id if parent else None)
            if parent is not None and key not in in_file and not parent.active and moved:
                bad(row, "parent_code", _("Unit induk %(code)s nonaktif. Pilih unit induk yang aktif.", code=parent.code))

    ordered = _parents_first(valid, existing, problems)
    problems.sort(key=lambda p: (p.line, COLUMNS.index(p.column) if p.column in COLUMNS else -1))
    return ImportPlan(ordered, existing), problems


def _parents_first(rows: list[_Row], existing: dict[str, Unit], problems: list[Problem]) -> list[_Row]:
    """The rows ordered so that every parent comes before its children; rows caught in a cycle
    (through the file, or through the tree as the file would leave it) are reported."""
    by_id = {unit.id: key for key, unit in existing.items()}
    in_file = {row.key: row for row in rows}

    def parent_of(key: str) -> str | None:
        if key in in_file:
            return in_file[key].parent_key
        unit = existing.get(key)
        return by_id.get(unit.parent_id) if unit is not None and unit.parent_id else None

    depth: dict[str, int] = {}
    cyclic: set[str] = set()
    for row in rows:
        chain: list[str] = []
        key: str | None = row.key
        while key is not None and key not in depth and key not in cyclic and key not in chain:
            chain.append(key)
            key = parent_of(key)
        if key is not None and key in chain:  # walked into its own chain: a cycle
            loop = chain[chain.index(key):]
            for member in loop:
                cyclic.add(member)
            for member in chain[:chain.index(key)]:
                cyclic.add(member)  # hangs under a cycle: cannot be placed either
            names = " → ".join([*(in_file[k].code if k in in_file else existing[k].code for k in loop),
                                in_file[key].code if key in in_file else existing[key].code])
            for member in loop:
                if member in in_file:
                    problems.append(Problem(in_file[member].line, "parent_code",
                                            _("Susunan induk membentuk lingkaran: %(chain)s.", chain=names)))
            continue
        if key is not None and key in cyclic:
            cyclic.update(chain)
            continue
        base = -1 if key is None else depth[key]
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = base + offset
    placed = [row for row in rows if row.key not in cyclic]
    for row in placed:
        row.depth = depth[row.key]
    return sorted(placed, key=lambda row: (row.depth, row.line))


# --- applying ---------------------------------------------------------------------------------

def units_import(*, actor: User | None, plan: ImportPlan, filename: str = "",
                 actor_label: str | None = None) -> ImportResult:
    """Apply a checked plan (no problems): create new units, update changed ones; flush only.

    One level of the tree at a time (one INSERT for its new units), and every change logged on
    its unit in one batch at the end: a province's 700 units take a handful of statements.
    """
    result = ImportResult()
    units = dict(plan.existing)
    extra = {"source": "import", "file": filename[:200]}
    entries: list[tuple[int, str, dict[str, Any]]] = []
    for _depth, level in groupby(plan.rows, key=lambda row: row.depth):
        created: list[Unit] = []
        updated: list[tuple[Unit, dict[str, Any]]] = []
        for row in level:
            parent = units.get(row.parent_key) if row.parent_key else None
            unit = units.get(row.key)
            if unit is None:
                unit = Unit(code=row.code, name=row.name, kind=row.kind, parent_id=parent.id if parent else None,
                            active=True, issues_notices=False)
                db.session.add(unit)
                units[row.key] = unit
                created.append(unit)
                continue
            before = snapshot(unit)
            unit.name, unit.kind = row.name, row.kind
            unit.parent_id = parent.id if parent else None
            if unit.kind != UnitKind.PEMBANTU.value:
                unit.issues_notices = False
            updated.append((unit, before))
        db.session.flush()  # the level's ids, before its children point at them
        for unit in created:
            entries.append((unit.id, "unit_created", unit_event_data(unit, None, snapshot(unit), extra)))
            result.created.append(unit.code)
        for unit, before in updated:
            after = snapshot(unit)
            changed = [name for name in after if before[name] != after[name]]
            if not changed:
                result.unchanged += 1
                continue
            kind = "unit_moved" if changed == ["parent"] else "unit_updated"
            entries.append((unit.id, kind, unit_event_data(unit, {n: before[n] for n in changed},
                                                           {n: after[n] for n in changed}, extra)))
            result.updated.append(unit.code)
    if entries:
        event_log_many(actor=actor, actor_label=actor_label, subject_type="unit", entries=entries)
    return result


# --- writing the same columns -----------------------------------------------------------------

def unit_table() -> list[tuple[str, str, str, str]]:
    """Every unit as (code, name, parent_code, kind), by code; ``parent_code`` is empty for the
    root and for units directly under PPID Utama (what an import reads back to the same tree)."""
    units = list(db.session.scalars(select(Unit).order_by(Unit.code)))
    codes = {unit.id: unit.code for unit in units}
    utama_ids = {unit.id for unit in units if unit.kind == UnitKind.UTAMA.value}
    return [(unit.code, unit.name,
             "" if unit.parent_id is None or unit.parent_id in utama_ids else codes.get(unit.parent_id, ""),
             unit.kind) for unit in units]


def csv_text(rows) -> str:
    """The units as CSV text with the import's header (formula-safe: an import reads it back)."""
    return csv_bytes([COLUMNS, *rows], bom=False).decode("utf-8")


def template_bytes(fmt: str) -> tuple[bytes, str]:
    """The import template (a header and example rows) as CSV or XLSX, and its MIME type."""
    if fmt == "csv":
        return csv_bytes([COLUMNS, *TEMPLATE_ROWS]), "csv"
    sheet = Sheet(title="unit", header=COLUMNS, rows=TEMPLATE_ROWS, widths=(22, 44, 22, 12), bold_header=True)
    return xlsx_bytes([sheet]), "xlsx"
