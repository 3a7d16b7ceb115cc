"""CSV/XLSX import of officers (e-mail, name, roles, unit code), all or nothing.

Every row is checked first and every problem reported with its line and column; only a file
without a single problem is written, in one transaction. A new address is invited (e-mail with a
set-password link); a known officer gets the file's name, roles and unit; a row that matches the
officer as stored changes nothing, so importing the same file twice changes nothing the second
time. The file never deactivates anyone, and cannot remove the last administrator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from ..organisation.models import Unit
from ..web.spreadsheets import ReadLimits, SpreadsheetError, csv_bytes, read_table
from .models import Role, User
from .officer_selectors import active_admin_ids, is_staff, units_by_code, users_by_email
from .officer_services import (
    OfficerDetails,
    clean_name,
    details_problems,
    email_problem,
    last_admin_message,
    officer_invite,
    officer_update,
)
from .role_labels import ROLE_LABELS, STAFF_ROLES
from .selectors import normalise_email

# column key → the header names accepted for it (compared in lower case, spaces collapsed)
HEADERS = {
    "email": ("email", "e-mail", "surel", "alamat e-mail"),
    "name": ("name", "nama", "nama lengkap"),
    "roles": ("roles", "peran"),
    "unit_code": ("unit_code", "unit code", "kode unit", "unit"),
}
TEMPLATE_HEADER = ("email", "name", "roles", "unit_code")
TEMPLATE_ROWS = (
    ("petugas.layanan@pemda.example.id", "Agus Setiawan", "petugas", "UTAMA"),
    ("sekretariat.disdik@pemda.example.id", "Yusuf Hidayat", "pembantu", "DISDIK"),
    ("kepala.diskominfo@pemda.example.id", "Dewi Lestari", "ppid_utama;admin", ""),
)
ROLE_SEPARATORS = re.compile(r"[;,|]")
# A body has tens to hundreds of officers; each new one is an account, an event and an e-mail
# (about 15 ms on PostgreSQL), so a file stays well inside one request's time.
MAX_ROWS = 1000


class ImportFileError(SpreadsheetError):
    """The file as a whole cannot be used (no header, missing columns, no data)."""


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str


@dataclass
class ImportRow:
    line: int
    email: str
    details: OfficerDetails
    existing: User | None = None


@dataclass
class ImportPlan:
    new: list[ImportRow] = field(default_factory=list)
    changed: list[ImportRow] = field(default_factory=list)
    unchanged: int = 0


@dataclass(frozen=True)
class ImportResult:
    invited: int
    changed: int
    unchanged: int


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", str(value)).strip()


def _role_lookup() -> dict[str, str]:
    lookup = {role: role for role in STAFF_ROLES}
    lookup.update({_norm(ROLE_LABELS[role]): role for role in STAFF_ROLES})
    return lookup


def parse_roles(text: str) -> tuple[set[str], list[str]]:
    """(roles, unknown words) of a roles cell: codes or labels separated by ``;`` (or ``,``)."""
    lookup = _role_lookup()
    roles, unknown = set(), []
    for part in ROLE_SEPARATORS.split(text):
        word = _norm(part)
        if not word:
            continue
        if word in lookup:
            roles.add(lookup[word])
        else:
            unknown.append(part.strip())
    return roles, unknown


def officer_template_csv() -> bytes:
    """The downloadable template: the header and three example rows."""
    return csv_bytes([TEMPLATE_HEADER, *TEMPLATE_ROWS])


def _columns(header: list[Any]) -> dict[str, int]:
    wanted = {name: key for key, names in HEADERS.items() for name in names}
    found: dict[str, int] = {}
    for index, text in enumerate(header):
        key = wanted.get(_norm(text))
        if key and key not in found:
            found[key] = index
    missing = [key for key in HEADERS if key not in found]
    if missing:
        raise ImportFileError(_("Kolom wajib tidak ditemukan di baris judul: %(names)s. Gunakan templat "
                                "(email, name, roles, unit_code).", names=", ".join(missing)))
    return found


def officer_import_check(content: bytes) -> tuple[ImportPlan, list[Problem]]:
    """Read and check the whole file; the plan is only to be applied when there is no problem.

    Raises SpreadsheetError (ImportFileError) when the file as a whole cannot be used."""
    limits = ReadLimits.from_config()
    limits = ReadLimits(rows=min(MAX_ROWS, limits.rows), columns=limits.columns,
                        uncompressed_bytes=limits.uncompressed_bytes)
    table = [[_cell(value) for value in row] for row in read_table(content, limits)]
    if not table:
        raise ImportFileError(_("Berkas tidak memuat baris judul."))
    columns = _columns(table[0])
    numbered = [(line, cells) for line, cells in enumerate(table[1:], start=2) if any(cells)]
    if not numbered:
        raise ImportFileError(_("Berkas tidak memuat satu baris data pun."))
    units = units_by_code()
    users = users_by_email(normalise_email(cells[columns["email"]]) if columns["email"] < len(cells) else ""
                           for _line, cells in numbered)
    problems: list[Problem] = []
    plan = ImportPlan()
    seen: dict[str, int] = {}
    for line, cells in numbered:
        values = {key: cells[index] if index < len(cells) else "" for key, index in columns.items()}
        row = _check_row(line, values, units, users, seen, problems)
        if row is None:
            continue
        if row.existing is None:
            plan.new.append(row)
        elif _same(row.existing, row.details):
            plan.unchanged += 1
        else:
            plan.changed.append(row)
    _check_last_admin(plan, problems)
    problems.sort(key=lambda problem: problem.line)
    return plan, problems


def _check_row(line: int, values: dict[str, str], units: dict[str, Unit], users: dict[str, User],
               seen: dict[str, int], problems: list[Problem]) -> ImportRow | None:
    before = len(problems)

    def bad(column: str, message: str) -> None:
        problems.append(Problem(line, column, message))

    email = normalise_email(values["email"])
    existing = None
    problem = email_problem(email)
    if problem:
        bad("email", problem)
    elif email in seen:
        bad("email", _("E-mail %(email)s sudah ada di baris %(line)d.", email=email, line=seen[email]))
    else:
        seen[email] = line
        existing = users.get(email)
        if existing is not None and not is_staff(existing):
            bad("email", _("E-mail ini dipakai akun pemohon. Undang petugas dengan alamat e-mail dinas."))
    roles, unknown = parse_roles(values["roles"])
    code = values["unit_code"].upper()
    unit = units.get(code) if code else None
    details = OfficerDetails(name=clean_name(values["name"]), roles=frozenset(roles),
                             unit_id=unit.id if unit is not None else None)
    found = details_problems(details)
    if "name" in found:
        bad("name", found["name"])
    if unknown:
        bad("roles", _("Peran tidak dikenal: %(roles)s. Pakai: %(known)s.", roles=", ".join(unknown),
                       known=", ".join(STAFF_ROLES)))
    elif "roles" in found:
        bad("roles", found["roles"])
    if code and unit is None:
        bad("unit_code", _("Kode unit %(code)s tidak dikenal.", code=values["unit_code"]))
    elif "unit" in found:
        bad("unit_code", found["unit"])
    if len(problems) > before:
        return None
    return ImportRow(line=line, email=email, details=details, existing=existing)


def _same(user: User, details: OfficerDetails) -> bool:
    staff_roles = user.roles & set(STAFF_ROLES)
    return (user.name, staff_roles, user.unit_id) == (details.name, set(details.roles), details.unit_id)


def _check_last_admin(plan: ImportPlan, problems: list[Problem]) -> None:
    """The file may move the administrator role, but not leave nobody holding it."""
    admins = active_admin_ids(lock=True)  # held until the import commits
    demoting = [row for row in plan.changed
                if row.existing.id in admins and Role.ADMIN.value not in row.details.roles]
    if not demoting:
        return
    promoted = {row.existing.id for row in plan.changed
                if Role.ADMIN.value in row.details.roles and row.existing.active
                and row.existing.email_verified_at is not None}
    if not (admins - {row.existing.id for row in demoting}) | promoted:
        for row in demoting:
            problems.append(Problem(row.line, "roles", last_admin_message()))


def officer_import_apply(*, actor: User | None, plan: ImportPlan, actor_label: str | None = None) -> ImportResult:
    """Write a plan checked in this transaction (flush only; the caller commits once)."""
    for row in plan.changed:
        officer_update(actor=actor, user=row.existing, details=row.details, actor_label=actor_label,
                       check_last_admin=False)
    for row in plan.new:
        officer_invite(actor=actor, email=row.email, details=row.details, actor_label=actor_label, checked=True)
    return ImportResult(invited=len(plan.new), changed=len(plan.changed), unchanged=plan.unchanged)
