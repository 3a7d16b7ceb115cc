"""Every CSV and XLSX the app writes or reads goes through this module (tests/test_spreadsheet_safety.py
fails when a writer or reader elsewhere uses ``csv`` or ``openpyxl`` directly).

Writing: applicants type the names, rincian and reasons that end up in officers' spreadsheets, so
text never becomes a formula. In CSV a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return (or their full-width forms) gets a leading ``'``, which Excel and LibreOffice
show as text; in XLSX every text cell is written as a string cell (``data_type`` ``s``), never as
a formula. Real numbers stay numbers (``-3`` is a number; ``"-3 hari"`` is text).

Reading (imports): the file's size, rows and columns are limited (``IMPORT_MAX_*`` in config)
before and while reading, so a zip bomb or a sheet of millions of empty rows is refused with a
message instead of exhausting a worker. Before openpyxl opens an XLSX, its members' declared sizes
(zipfile never inflates a member past its declared size), compression ratios and XML element count
are checked; then the first sheet is streamed in read-only mode with explicit bounds and reading
stops at the row limit. A CSV is limited by bytes, line length and rows. openpyxl parses XML
through defusedxml (installed), so entity expansion is refused too.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import filetype
from flask import Response, current_app
from flask_babel import gettext as _

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
BOM = b"\xef\xbb\xbf"

# What makes a spreadsheet read a cell as a formula (OWASP "CSV injection"), and the full-width
# forms some Excel locales accept as the same.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
XLSX_MAX_CELL_CHARS = 32_767  # Excel refuses (repairs) longer cells


# --- cells --------------------------------------------------------------------------------------

def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def text_cell(text: str) -> str:
    """Text a spreadsheet will show as text: a leading ``'`` when it would start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> Any:
    """A CSV cell: empty for None, numbers as they are, dates in ISO, anything else as safe text."""
    if value is None:
        return ""
    if is_number(value):
        return value
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return text_cell(str(value))


def _illegal_characters():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE


def xlsx_cell(sheet, value: Any):
    """An openpyxl cell of ``sheet`` holding ``value``: text always as a string cell (never a formula;
    control characters XML cannot carry are dropped), numbers and dates as themselves."""
    from openpyxl.cell.cell import Cell

    cell = Cell(sheet)
    if value is None or is_number(value) or isinstance(value, date):
        cell.value = value
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        return cell
    text = _illegal_characters().sub("", str(value))[:XLSX_MAX_CELL_CHARS]
    cell.value = text  # openpyxl guesses "f" for "=…"; the type is set after, so it stays text
    cell.data_type = "s"
    return cell


# --- writing ------------------------------------------------------------------------------------

def csv_bytes(rows: Iterable[Sequence[Any]], *, bom: bool = True) -> bytes:
    """Comma-separated UTF-8 (with a BOM, so Excel picks the encoding, unless ``bom=False`` for open
    data read by programs), quoted by the csv module, every cell through ``csv_cell``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    data = buffer.getvalue().encode("utf-8")
    return BOM + data if bom else data


@dataclass
class Sheet:
    """One worksheet to write: a header row, then rows of values (text, numbers, dates, None)."""

    title: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()  # characters, per column from the first
    wrap: Sequence[bool] = ()  # long free text, per column from the first: wraps in the cell
    bold_header: bool = False  # a bold, wrapping, frozen header row
    empty: Any = None  # what an empty value (None or "") is written as


def xlsx_bytes(sheets: Sequence[Sheet], *, title: str | None = None) -> bytes:
    """A workbook of ``sheets`` (the first is the active one); ``title`` goes in its properties."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    wrapped = Alignment(wrap_text=True, vertical="top")
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        header = [xlsx_cell(sheet, str(text)) for text in spec.header]
        if spec.bold_header:
            for cell in header:
                cell.font = Font(bold=True)
                cell.alignment = wrapped
        sheet.append(header)
        for values in spec.rows:
            cells = [xlsx_cell(sheet, spec.empty if value is None or value == "" else value) for value in values]
            for cell, wrap in zip(cells, spec.wrap, strict=False):
                if wrap and cell.data_type == "s":
                    cell.alignment = wrapped
            sheet.append(cells)
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if spec.bold_header:
            sheet.freeze_panes = "A2"
    if title:
        book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(body: bytes, fmt: str, filename: str, *, private: bool = True) -> Response:
    """A CSV or XLSX attachment with its content type set once (``text/csv; charset=utf-8`` for CSV);
    ``private`` downloads (registers, personal data) are never stored by caches."""
    response = Response(body)
    response.headers["Content-Type"] = CONTENT_TYPES[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response.headers["Cache-Control"] = "no-store"
    return response


# --- reading ------------------------------------------------------------------------------------

class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message is for the person who uploaded it."""


MAX_COMPRESSION_RATIO = 100  # a member inflating more than this is a zip bomb, not a spreadsheet
RATIO_FLOOR_BYTES = 1024 * 1024  # members smaller than this are not judged by their ratio
MAX_ZIP_MEMBERS = 1000  # Excel writes a dozen or two
# XML elements allowed, all parts together, per cell of a full sheet ((rows + 1) x columns): a cell,
# its value and its shared string take 3 or 4, and a register never fills every column.
ELEMENTS_PER_CELL = 4
# XML elements inside one sheet row: Excel's 16,384 columns, each a cell with a value or a string.
MAX_ROW_ELEMENTS = 16_384 * 4
ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b")
MAX_CSV_LINE_CHARS = 256 * 1024  # a register row with two 10,000-character texts is ~25,000


@dataclass(frozen=True)
class ReadLimits:
    rows: int  # below the header row, empty rows included
    columns: int
    uncompressed_bytes: int  # a CSV's size, or an XLSX's members unzipped together
    ratio: int | None = MAX_COMPRESSION_RATIO  # None: not checked

    @classmethod
    def from_config(cls) -> ReadLimits:
        config = current_app.config
        return cls(rows=config["IMPORT_MAX_ROWS"], columns=config["IMPORT_MAX_COLUMNS"],
                   uncompressed_bytes=config["IMPORT_MAX_UNCOMPRESSED_BYTES"])


def _megabytes(size: int) -> int:
    return max(1, size // (1024 * 1024))


def _unsupported() -> SpreadsheetError:
    return SpreadsheetError(_("Jenis berkas tidak didukung. Unggah XLSX atau CSV."))


def _too_many_rows(limits: ReadLimits) -> SpreadsheetError:
    return SpreadsheetError(_("Berkas memuat lebih dari %(max)d baris di bawah baris judul (baris kosong ikut "
                              "dihitung). Hapus baris kosong atau bagi menjadi beberapa berkas.", max=limits.rows))


def _bounded_row(values: Sequence[Any], limits: ReadLimits) -> list[Any]:
    if len(values) > limits.columns and any(value not in (None, "") for value in values[limits.columns:]):
        raise SpreadsheetError(_("Berkas memuat lebih dari %(max)d kolom. Hapus kolom yang tidak dipakai atau "
                                 "gunakan templat.", max=limits.columns))
    return list(values[:limits.columns])


def _check_zip(content: bytes, limits: ReadLimits) -> None:
    """Refuse an XLSX before openpyxl sees it: not a workbook, too big unzipped, a bomb, or more
    XML elements than a register within the limits needs (openpyxl spends microseconds and
    hundreds of bytes on every element, and keeps the empty ones of a sheet until it ends)."""
    unreadable = SpreadsheetError(_("Berkas XLSX tidak dapat dibaca. Simpan ulang dari aplikasi lembar kerja."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if not any(member.filename.startswith("xl/") for member in members):
                raise _unsupported()
            if len(members) > MAX_ZIP_MEMBERS:
                raise unreadable
            if sum(member.file_size for member in members) > limits.uncompressed_bytes:
                raise SpreadsheetError(_("Isi berkas XLSX terlalu besar setelah dibuka (lebih dari %(max)d MB). "
                                         "Bagi menjadi beberapa berkas.", max=_megabytes(limits.uncompressed_bytes)))
            if limits.ratio is not None and any(
                    member.file_size > RATIO_FLOOR_BYTES
                    and member.file_size > limits.ratio * max(member.compress_size, 1) for member in members):
                raise SpreadsheetError(_("Berkas XLSX ditolak: isinya memuai tidak wajar saat dibuka (kemungkinan "
                                         "bom zip). Simpan ulang dari aplikasi lembar kerja."))
            _count_elements(archive, members, limits)
    except SpreadsheetError:
        raise
    except (zipfile.BadZipFile, ValueError, NotImplementedError, RuntimeError, OSError, EOFError) as error:
        raise SpreadsheetError(_("Berkas XLSX rusak.")) from error


def _elements(xml: bytes) -> int:
    return xml.count(b"<") - xml.count(b"</")


def _count_elements(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: ReadLimits) -> None:
    """Count the XML elements of every member, inflated a chunk at a time (never past the declared
    sizes checked above): in all, against the budget, and from each ``<row`` to the next, since
    openpyxl builds a whole row (every child of ``<row>``) before it drops any cell."""
    budget = (limits.rows + 1) * limits.columns * ELEMENTS_PER_CELL
    too_many = SpreadsheetError(_("Berkas XLSX memuat terlalu banyak sel atau isian untuk dibaca sekaligus. Hapus "
                                  "lembar, baris dan format yang tidak dipakai, atau bagi menjadi beberapa berkas."))
    elements = 0
    for member in members:
        in_row = None  # elements since the last row start (None before the first), across chunks
        with archive.open(member) as stream:
            while chunk := stream.read(1024 * 1024):
                elements += _elements(chunk)
                if elements > budget:
                    raise too_many
                first, *rows = ROW_START.split(chunk)  # a "<row" split between chunks joins two rows
                if in_row is not None:
                    in_row += _elements(first)
                for row in rows:
                    if in_row is not None and in_row > MAX_ROW_ELEMENTS:
                        break
                    in_row = _elements(row)
                if in_row is not None and in_row > MAX_ROW_ELEMENTS:
                    raise too_many


def _xlsx_rows(content: bytes, limits: ReadLimits) -> list[list[Any]]:
    """The first sheet's rows, streamed; at most the header and ``limits.rows`` rows are read."""
    from openpyxl import load_workbook

    rows: list[list[Any]] = []
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            # Explicit bounds: read-only openpyxl otherwise pads every row to the sheet's declared
            # dimension (which a file may set to A1:XFD1048576) and fills in missing rows.
            for values in book.worksheets[0].iter_rows(min_row=1, max_row=limits.rows + 2,
                                                       max_col=limits.columns + 1, values_only=True):
                if len(rows) > limits.rows:
                    raise _too_many_rows(limits)
                rows.append(_bounded_row(values, limits))
        finally:
            book.close()
    except SpreadsheetError:
        raise
    except Exception as error:  # a damaged workbook: say so, never a 500
        raise SpreadsheetError(_("Berkas XLSX tidak dapat dibaca. Simpan ulang dari aplikasi lembar kerja.")) \
            from error
    return rows


def xlsx_text(content: bytes, *, rows: int = 20_000, columns: int = 100,
              uncompressed_bytes: int = 50 * 1024 * 1024) -> str:
    """The words of every sheet (its title and non-empty cells), for a search index: the archive is
    checked as an import's is before openpyxl opens it, and reading is bounded the same way.
    Raises SpreadsheetError for a file that fails the checks or cannot be read."""
    from openpyxl import load_workbook

    limits = ReadLimits(rows=rows, columns=columns, uncompressed_bytes=uncompressed_bytes)
    _check_zip(content, limits)
    parts: list[str] = []
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            for sheet in book.worksheets:
                parts.append(str(sheet.title))
                for values in sheet.iter_rows(min_row=1, max_row=rows, max_col=columns, values_only=True):
                    cells = [str(value) for value in values if value not in (None, "")]
                    if cells:
                        parts.append(" ".join(cells))
        finally:
            book.close()
    except Exception as error:  # a damaged workbook
        raise SpreadsheetError(_("Berkas XLSX tidak dapat dibaca. Simpan ulang dari aplikasi lembar kerja.")) \
            from error
    return "\n".join(parts)


def _delimiter(text: str) -> str:
    """Comma or semicolon, judged by the header line (csv.Sniffer can take seconds on hostile text)."""
    first = text[:MAX_CSV_LINE_CHARS].partition("\n")[0]
    return ";" if first.count(";") > first.count(",") else ","


def _unquote(text: str) -> str:
    """Undo ``text_cell``: the app's own CSV export imports as the text it was made from."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _csv_rows(content: bytes, limits: ReadLimits) -> list[list[Any]]:
    if len(content) > limits.uncompressed_bytes:
        raise SpreadsheetError(_("Berkas CSV terlalu besar (lebih dari %(max)d MB). Bagi menjadi beberapa berkas.",
                                 max=_megabytes(limits.uncompressed_bytes)))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(_("Berkas CSV harus berupa teks UTF-8. Simpan ulang sebagai \"CSV UTF-8\".")) \
            from error
    if "\x00" in text:
        raise _unsupported()

    def lines() -> Iterator[str]:
        for number, line in enumerate(io.StringIO(text, newline=""), start=1):
            if len(line) > MAX_CSV_LINE_CHARS:
                raise _unreadable_csv(number)
            yield line

    reader = csv.reader(lines(), delimiter=_delimiter(text))
    rows: list[list[Any]] = []
    try:
        for values in reader:
            if len(rows) > limits.rows:
                raise _too_many_rows(limits)
            rows.append([_unquote(value) for value in _bounded_row(values, limits)])
    except csv.Error as error:  # a cell longer than csv.field_size_limit(), e.g. an unclosed quote
        raise _unreadable_csv(reader.line_num) from error
    return rows


def _unreadable_csv(line: int) -> SpreadsheetError:
    return SpreadsheetError(_("Berkas CSV tidak dapat dibaca di baris %(row)d: baris atau sel terlalu panjang, "
                              "atau tanda kutip tidak ditutup.", row=line))


def read_table(content: bytes, limits: ReadLimits | None = None) -> list[list[Any]]:
    """The rows of an XLSX (a zip holding xl/; its first sheet) or a UTF-8 CSV, the type judged from
    the content; raw values (XLSX: text, numbers, datetimes, None; CSV: text), each row at most
    ``limits.columns`` long. Raises ``SpreadsheetError`` with a message for the uploader."""
    limits = limits or ReadLimits.from_config()
    if not content:
        raise SpreadsheetError(_("Berkas kosong."))
    if content[:4] == b"PK\x03\x04":
        _check_zip(content, limits)
        return _xlsx_rows(content, limits)
    if filetype.guess(content) is not None:
        raise _unsupported()
    return _csv_rows(content, limits)
