"""Import of a historical register permohonan from XLSX or CSV (issue 5, item 8).

Every row is checked first and every problem reported (row, column, why); only a file without a
single problem is written, in one transaction. Each row is registered through
``request_register`` and its outcome replayed through ``request_event`` with the register's dates,
so metrics and ``rebuild-cache --check`` treat imported requests like native ones.

Not created for imported rows: written-notice, delivery and routing rows (the register has no
notice numbers or units), so refusals count as refusals without a consequence test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..notices.models import PASAL_17_LETTERS
from ..organisation.profile_selectors import body_timezone
from ..requests.labels import EVENT_LABELS
from ..requests.lifecycle import request_event
from ..requests.models import AccessMethod, Channel, InformationRequest, Outcome, RequestStatus
from ..requests.services import ApplicantDetails, RequestDetails, request_register
from ..web.spreadsheets import SpreadsheetError, read_table
from .register_columns import DASH, REQUEST_COLUMNS

EVENT_LABELS.update({"imported": _l("Diimpor dari register lama")})


def _register_header(text: str):
    """The register's own (lazy) header, so the export and the import name columns alike."""
    for column in REQUEST_COLUMNS:
        if getattr(column.header, "_args", (None,))[0] == text:
            return column.header
    raise LookupError(text)


@dataclass(frozen=True)
class ImportColumn:
    key: str
    header: Any
    example: str
    required: bool = False


COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn("number", _register_header("Nomor pendaftaran"), "0007/PPID/III/2024"),
    ImportColumn("received", _register_header("Tanggal diterima"), "04/03/2024", True),
    ImportColumn("channel", _l("Saluran"), "datang langsung"),
    ImportColumn("name", _register_header("Nama pemohon"), "Siti Aminah", True),
    ImportColumn("address", _register_header("Alamat"), "Jl. Kenanga No. 3, Bandung"),
    ImportColumn("contact", _register_header("Kontak (telepon/e-mail)"), "081234567890 / siti@example.id"),
    ImportColumn("occupation", _register_header("Pekerjaan"), "Guru"),
    ImportColumn("rincian", _register_header("Rincian informasi"), "Daftar penerima beasiswa tahun 2023", True),
    ImportColumn("tujuan", _register_header("Tujuan penggunaan"), "Penelitian"),
    ImportColumn("access", _l("Cara memperoleh"), "salinan softcopy"),
    ImportColumn("decision", _l("Keputusan"), "diberikan sebagian"),
    ImportColumn("pasal17", _l("Pasal 17"), "h"),
    ImportColumn("notice", _register_header("Tanggal pemberitahuan tertulis"), "2024-03-12"),
    ImportColumn("extended_on", _l("Tanggal perpanjangan"), ""),
    ImportColumn("extended_due", _l("Tanggal batas baru"), ""),
    ImportColumn("delivered", _l("Tanggal penyampaian"), "2024-03-14"),
    ImportColumn("fee", _l("Biaya"), "Rp5.000"),
)


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


CHANNELS = {"online": Channel.ONLINE, "daring": Channel.ONLINE, "datang langsung": Channel.WALK_IN,
            "langsung": Channel.WALK_IN, "surat": Channel.LETTER, "e-mail": Channel.EMAIL,
            "email": Channel.EMAIL, "surel": Channel.EMAIL, "telepon": Channel.PHONE, "telpon": Channel.PHONE}
ACCESS = {"melihat": AccessMethod.MELIHAT, "salinan hardcopy": AccessMethod.SALINAN_HARDCOPY,
          "hardcopy": AccessMethod.SALINAN_HARDCOPY, "salinan softcopy": AccessMethod.SALINAN_SOFTCOPY,
          "softcopy": AccessMethod.SALINAN_SOFTCOPY}
DECISIONS = {"diberikan seluruhnya": Outcome.GRANTED_FULL, "seluruhnya": Outcome.GRANTED_FULL,
             "diberikan sebagian": Outcome.GRANTED_PARTIAL, "sebagian": Outcome.GRANTED_PARTIAL,
             "ditolak": Outcome.REFUSED, "tidak dikuasai": Outcome.NOT_HELD,
             "belum didokumentasikan": Outcome.NOT_DOCUMENTED, "dicabut": Outcome.WITHDRAWN,
             "tidak dilengkapi": Outcome.NOT_COMPLETED, "ditutup: tidak dilengkapi": Outcome.NOT_COMPLETED}
# Administrative ends (withdrawn, not completed): no written notice; the "notice" column, if given,
# holds the day the request was closed.
ADMINISTRATIVE_ENDS = {Outcome.WITHDRAWN: ("withdrawn", RequestStatus.WITHDRAWN),
                       Outcome.NOT_COMPLETED: ("closed_not_completed", RequestStatus.NOT_COMPLETED)}
EXEMPTING = {Outcome.REFUSED, Outcome.GRANTED_PARTIAL}
GRANTING = {Outcome.GRANTED_FULL, Outcome.GRANTED_PARTIAL}
CLOSING = {Outcome.REFUSED, Outcome.NOT_HELD}
BLANKS = {DASH, "-"}  # the register's own export writes a dash for an empty cell
EMAIL = re.compile(r"[^\s/;,<>]+@[^\s/;,<>]+\.[^\s/;,<>]+")


class ImportFileError(SpreadsheetError):
    """The file as a whole cannot be used (headers, no data); reading errors are SpreadsheetError."""


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class ImportRow:
    row: int
    values: dict[str, Any] = field(default_factory=dict)


# --- reading ----------------------------------------------------------------------------------

def _cell_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    return "" if text in BLANKS else text


def register_table(content: bytes) -> list[list[Any]]:
    """The uploaded file's rows (XLSX or CSV, within the IMPORT_MAX_* limits), cells tidied."""
    return [[_cell_text(value) for value in row] for row in read_table(content)]


# --- checking ---------------------------------------------------------------------------------

def _parse_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(_("Tanggal tidak dikenali; tulis dd/mm/yyyy atau yyyy-mm-dd."))


def _parse_fee(text: str) -> int:
    digits = re.sub(r"^rp\.?\s*", "", text.strip().lower())
    digits = re.sub(r",00$", "", digits).replace(".", "").replace(" ", "")
    if not digits.isdigit() or len(digits) > 9:
        raise ValueError(_("Biaya harus berupa angka rupiah, misalnya 5000 atau Rp5.000."))
    return int(digits)


def _pasal17(text: str) -> list[str]:
    letters = [part for part in re.split(r"[\s,;/]+", text.strip().lower()) if part]
    if not letters or any(letter not in PASAL_17_LETTERS for letter in letters):
        raise ValueError(_("Tulis huruf Pasal 17 (a sampai j), dipisah koma, misalnya \"b, h\"."))
    return sorted(set(letters))


def _header_map(header: list[Any]) -> dict[str, int]:
    wanted = {_norm(str(column.header)): column.key for column in COLUMNS}
    found = {wanted[_norm(text)]: index for index, text in enumerate(header) if _norm(text) in wanted}
    missing = [str(column.header) for column in COLUMNS if column.required and column.key not in found]
    if missing:
        raise ImportFileError(_("Kolom wajib tidak ditemukan di baris judul: %(names)s. Gunakan templat.",
                                names=", ".join(missing)))
    return found


class _Row:
    """Collects one row's values and problems."""

    def __init__(self, number: int, cells: dict[str, Any], problems: list[Problem]) -> None:
        self.number, self.cells, self.problems, self.values = number, cells, problems, {}

    def text(self, key: str) -> str:
        value = self.cells.get(key)
        return "" if value is None else (value.isoformat() if isinstance(value, date) else str(value).strip())

    def bad(self, key: str, message: str) -> None:
        header = next(str(column.header) for column in COLUMNS if column.key == key)
        self.problems.append(Problem(self.number, header, message))

    def parse(self, key: str, parser) -> Any:
        raw = self.cells.get(key) if isinstance(self.cells.get(key), date) else self.text(key)
        if raw in ("", None):
            return None
        try:
            return parser(raw)
        except ValueError as error:
            self.bad(key, str(error))
            return None

    def limited(self, key: str, limit: int, required: bool = False) -> str:
        value = self.text(key)
        if required and not value:
            self.bad(key, _("Wajib diisi."))
        elif len(value) > limit:
            self.bad(key, _("Paling banyak %(max)d karakter.", max=limit))
        return value


def _choice(mapping: dict, message: str, *, head: bool = False):
    """A cell naming one of ``mapping``'s keys; with ``head`` only the text before the first ";"
    counts, so the register's own export ("Dicabut; diterima 2025-01-09; ...") imports again."""
    def parse(text: str):
        key = _norm(text.split(";", 1)[0] if head else text)
        if key not in mapping:
            raise ValueError(message)
        return mapping[key]
    return parse


def _check_row(row: _Row, today: date) -> None:
    v = row.values
    v["number"] = row.limited("number", 64)
    v["received"] = row.parse("received", _parse_date)
    if not row.text("received"):
        row.bad("received", _("Wajib diisi."))
    elif v["received"] and v["received"] > today:
        row.bad("received", _("Tanggal diterima tidak boleh sesudah hari ini."))
    v["channel"] = row.parse("channel", _choice(CHANNELS, _(
        "Saluran tidak dikenali; pilih online, datang langsung, surat, e-mail atau telepon."))) or Channel.WALK_IN
    v["name"] = row.limited("name", 200, required=True)
    v["address"] = row.text("address")
    contact = row.text("contact")
    email_match = EMAIL.search(contact)
    v["email"] = email_match.group(0) if email_match else ""
    v["phone"] = EMAIL.sub("", contact).strip(" /;,-")
    if len(v["phone"]) > 32 or len(v["email"]) > 254:
        row.bad("contact", _("Kontak terlalu panjang."))
    v["occupation"] = row.limited("occupation", 120)
    v["rincian"] = row.limited("rincian", 10_000, required=True)
    v["tujuan"] = row.limited("tujuan", 10_000)
    v["access"] = row.parse("access", _choice(ACCESS, _(
        "Cara memperoleh tidak dikenali; pilih melihat, salinan hardcopy atau salinan softcopy."))) \
        or AccessMethod.MELIHAT
    decision = row.parse("decision", _choice(DECISIONS, _(
        "Keputusan tidak dikenali; pilih diberikan seluruhnya, diberikan sebagian, ditolak, tidak dikuasai, "
        "belum didokumentasikan, dicabut, tidak dilengkapi, atau kosongkan jika belum diputuskan."), head=True))
    v["decision"] = decision
    for key in ("notice", "extended_on", "extended_due", "delivered"):
        v[key] = row.parse(key, _parse_date)
    v["pasal17"] = row.parse("pasal17", _pasal17) or []
    v["fee"] = row.parse("fee", _parse_fee)
    received, notice = v["received"], v["notice"]

    if decision in EXEMPTING and not v["pasal17"] and not row.text("pasal17"):
        row.bad("pasal17", _("Wajib diisi jika permohonan ditolak atau diberikan sebagian."))
    if row.text("pasal17") and decision not in EXEMPTING:
        row.bad("pasal17", _("Hanya diisi jika permohonan ditolak atau diberikan sebagian."))
    if decision and decision not in ADMINISTRATIVE_ENDS and not row.text("notice"):
        row.bad("notice", _("Wajib diisi jika keputusan diisi."))
    if not decision and row.text("notice"):
        row.bad("notice", _("Isi kolom Keputusan untuk pemberitahuan tertulis ini."))
    if received and notice and notice < received:
        row.bad("notice", _("Tidak boleh sebelum tanggal diterima."))
    if bool(row.text("extended_on")) != bool(row.text("extended_due")):
        row.bad("extended_due" if row.text("extended_on") else "extended_on",
                _("Tanggal perpanjangan dan tanggal batas baru diisi berpasangan."))
    if v["extended_on"] and v["extended_due"]:
        if received and v["extended_on"] < received:
            row.bad("extended_on", _("Tidak boleh sebelum tanggal diterima."))
        if notice and v["extended_on"] > notice:
            row.bad("extended_on", _("Tidak boleh sesudah tanggal pemberitahuan tertulis."))
        if v["extended_due"] <= v["extended_on"]:
            row.bad("extended_due", _("Harus sesudah tanggal perpanjangan."))
    if row.text("delivered"):
        if decision not in GRANTING:
            row.bad("delivered", _("Hanya diisi jika informasi diberikan seluruhnya atau sebagian."))
        elif v["delivered"] and notice and v["delivered"] < notice:
            row.bad("delivered", _("Tidak boleh sebelum tanggal pemberitahuan tertulis."))
    if row.text("fee") and decision not in GRANTING:
        row.bad("fee", _("Hanya diisi jika informasi diberikan seluruhnya atau sebagian."))
    for key in ("notice", "extended_on", "delivered"):
        if v[key] and v[key] > today:
            row.bad(key, _("Tanggal tidak boleh sesudah hari ini."))


def register_import_check(table: list[list[Any]], *, today: date) -> tuple[list[ImportRow], list[Problem]]:
    """Every row's values, and every problem found (row numbers as the spreadsheet shows them)."""
    if not table:
        raise ImportFileError(_("Berkas tidak memuat baris judul."))
    columns = _header_map(table[0])
    numbered = [(index, cells) for index, cells in enumerate(table[1:], start=2)
                if any(cell not in (None, "") for cell in cells)]
    if not numbered:
        raise ImportFileError(_("Berkas tidak memuat satu baris data pun."))
    problems: list[Problem] = []
    rows: list[ImportRow] = []
    for number, cells in numbered:
        row = _Row(number, {key: cells[i] if i < len(cells) else None for key, i in columns.items()}, problems)
        _check_row(row, today)
        rows.append(ImportRow(number, row.values))
    _check_numbers(rows, problems)
    problems.sort(key=lambda problem: problem.row)
    return rows, problems


def _check_numbers(rows: Iterable[ImportRow], problems: list[Problem]) -> None:
    header = str(COLUMNS[0].header)
    given = [(row.row, row.values["number"]) for row in rows if row.values["number"]]
    taken = set(db.session.scalars(select(InformationRequest.number).where(
        InformationRequest.number.in_({number for _row, number in given})))) if given else set()
    seen: dict[str, int] = {}
    for number_row, number in given:
        if number in taken:
            problems.append(Problem(number_row, header, _("Nomor %(number)s sudah terdaftar.", number=number)))
        elif number in seen:
            problems.append(Problem(number_row, header, _("Nomor %(number)s sama dengan baris %(row)d.",
                                                          number=number, row=seen[number])))
        seen.setdefault(number, number_row)


# --- writing ----------------------------------------------------------------------------------

def _at(day: date, hour: int) -> datetime:
    zone = ZoneInfo(body_timezone())
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def register_import(*, actor: User, rows: list[ImportRow], filename: str = "") -> list[InformationRequest]:
    """Register checked rows and replay their outcomes; flush only (the caller commits once)."""
    imported = []
    for row in rows:
        imported.append(_import_one(actor, row, filename))
    return imported


def _import_one(actor: User, row: ImportRow, filename: str) -> InformationRequest:
    v = row.values
    item = request_register(
        actor=actor, owner=None, channel=v["channel"], received_at=_at(v["received"], 9), notify=False,
        documents=[],
        applicant=ApplicantDetails(kind="perorangan", name=v["name"], nik=None, legal_approval_number=None,
                                   representative_name=None, address=v["address"], occupation=v["occupation"],
                                   phone=v["phone"], email=v["email"]),
        details=RequestDetails(rincian=v["rincian"], tujuan=v["tujuan"], access_method=v["access"],
                               copy_delivery=None),
    )
    item.imported = True  # not a cached column
    if v["number"]:
        item.number = v["number"]
    db.session.flush()
    request_event(actor=actor, item=item, kind="imported",
                  data={"number": item.number, "row": row.row, "file": filename[:200]})
    if v["extended_on"]:
        request_event(actor=actor, item=item, kind="extended", at=_at(v["extended_on"], 10),
                      changes={"extended_due": v["extended_due"],
                               "extension_reason": _("Perpanjangan tercatat di register lama.")},
                      data={"imported": True})
    decision = v["decision"]
    if decision in ADMINISTRATIVE_ENDS:
        at = _at(v["notice"] or v["received"], 11)
        kind, status = ADMINISTRATIVE_ENDS[decision]
        request_event(actor=actor, item=item, kind=kind, at=at,
                      changes={"status": status.value, "outcome": decision.value, "closed_at": at},
                      data={"imported": True})
    elif decision:
        at = _at(v["notice"], 11)
        changes = {"status": (RequestStatus.CLOSED if decision in CLOSING else RequestStatus.NOTICE_ISSUED).value,
                   "notice_at": at, "outcome": decision.value,
                   "pasal17_basis": ",".join(v["pasal17"]) or None, "fee_amount": v["fee"]}
        if decision in CLOSING:
            changes["closed_at"] = at
        request_event(actor=actor, item=item, kind="notice_issued", at=at, changes=changes,
                      data={"imported": True, "pasal17": v["pasal17"]})
        if v["delivered"]:
            at = _at(v["delivered"], 12)
            request_event(actor=actor, item=item, kind="delivered", at=at,
                          changes={"status": RequestStatus.DELIVERED.value, "delivered_at": at},
                          data={"imported": True})
            request_event(actor=actor, item=item, kind="closed", at=at,
                          changes={"status": RequestStatus.CLOSED.value, "closed_at": at})
    return item
