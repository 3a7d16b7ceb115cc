"""Imports cannot exhaust the server: the register import (and any import reading through
``web.spreadsheets.read_table``) refuses, with a message next to the file field, a zip bomb, a sheet
of three million empty rows, too many columns, an oversized CSV and a CSV line or cell that never
ends, instead of inflating or materialising them.

The hostile XLSX files are written as XML straight into a zip (openpyxl only makes the tiny
workbook around the sheet), so each test stays small in memory and fast.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from html import unescape

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from ppid_desk.config import DEFAULTS
from ppid_desk.extensions import db
from ppid_desk.requests.models import InformationRequest
from ppid_desk.web.spreadsheets import ReadLimits, SpreadsheetError, read_table

MON = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
URL = "/meja/monev/impor"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
HEADERS = ["Nomor pendaftaran", "Tanggal diterima", "Nama pemohon", "Rincian informasi"]
GOOD_ROW = ["", "06/01/2025", "Ani Lestari", "Data anggaran"]
ROWS_MESSAGE = "Berkas memuat lebih dari 5000 baris di bawah baris judul (baris kosong ikut dihitung)"
BOMB_MESSAGE = "isinya memuai tidak wajar saat dibuka (kemungkinan bom zip)"
SIZE_MESSAGE = "Isi berkas XLSX terlalu besar setelah dibuka (lebih dari 32 MB)"
COLUMNS_MESSAGE = "Berkas memuat lebih dari 30 kolom"
ELEMENTS_MESSAGE = "Berkas XLSX memuat terlalu banyak sel atau isian"
MB = 1024 * 1024


# --- building hostile files -------------------------------------------------------------------

@cache
def _workbook_parts() -> dict[str, bytes]:
    book = Workbook()
    book.active["A1"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xlsx(sheet_xml: Iterable[bytes], *, shared_strings: bytes | None = None) -> bytes:
    """A real workbook whose first sheet's XML is streamed from ``sheet_xml``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _workbook_parts().items():
            if name == "[Content_Types].xml" and shared_strings is not None:
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            if name != SHEET:
                archive.writestr(name, data)
        if shared_strings is not None:
            archive.writestr(STRINGS, shared_strings)
        with archive.open(SHEET, "w") as sheet:
            for part in sheet_xml:
                sheet.write(part)
    return buffer.getvalue()


def _cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def _row(number: int, values: list[str]) -> bytes:
    cells = b"".join(_cell(f"{chr(65 + i)}{number}", v) for i, v in enumerate(values) if v)
    return f'<row r="{number}">'.encode() + cells + b"</row>"


def sheet_xml(body: Iterable[bytes] = (), *, dimension: str | None = None) -> Iterable[bytes]:
    yield (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>" + _row(1, HEADERS)
    yield from body
    yield b"</sheetData></worksheet>"


def no_ratio_limits() -> ReadLimits:
    return ReadLimits(rows=DEFAULTS["IMPORT_MAX_ROWS"], columns=DEFAULTS["IMPORT_MAX_COLUMNS"],
                      uncompressed_bytes=DEFAULTS["IMPORT_MAX_UNCOMPRESSED_BYTES"], ratio=None)


def csv_text(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


# --- helpers ------------------------------------------------------------------------------------

@pytest.fixture
def utama(app, clock, officer_client):
    clock.travel_to(MON)
    return officer_client("ppid_utama")


def upload(client, content: bytes, name: str, query: str = ""):
    return client.post(URL + query, data={"berkas": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def field_error(response) -> str:
    """The text of the error shown next to the file field (nothing was imported)."""
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    field = re.search(r'<div class="field field-invalid">(.*?)</div>', html, re.S)
    assert field and 'aria-describedby="berkas-hint berkas-error"' in field.group(1)
    message = re.search(r'<p class="field-error" id="berkas-error">(.*?)</p>', field.group(1), re.S)
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 0
    return " ".join(unescape(re.sub(r"<[^>]+>", "", message.group(1))).split())


# --- XLSX -----------------------------------------------------------------------------------------

def test_a_zip_bomb_is_refused_by_its_declared_size_before_it_is_inflated(utama):
    bomb = xlsx(sheet_xml(b" " * MB for _ in range(64)))  # 64 MB of spaces, ~64 KB zipped
    assert len(bomb) < MB
    assert SIZE_MESSAGE in field_error(upload(utama, bomb, "register.xlsx"))


def test_a_member_that_inflates_a_thousandfold_is_refused_even_under_the_size_limit(utama):
    bomb = xlsx(sheet_xml(b" " * MB for _ in range(8)))
    assert BOMB_MESSAGE in field_error(upload(utama, bomb, "register.xlsx"))


def test_a_forged_declared_size_is_refused(app):
    """The central directory claims 4 GB for a tiny sheet: refused on the claim, nothing inflated."""
    content = bytearray(xlsx(sheet_xml()))
    entry = next(m.start() for m in re.finditer(rb"PK\x01\x02", content)
                 if content[m.start() + 46:m.start() + 46 + len(SHEET)] == SHEET.encode())
    content[entry + 24:entry + 28] = (0xFFFF_FFFE).to_bytes(4, "little")  # its uncompressed size
    with pytest.raises(SpreadsheetError, match="terlalu besar setelah dibuka"):
        read_table(bytes(content))


def test_three_million_empty_rows_are_counted_while_streaming_and_refused(utama):
    """The sheet declares A1:Q3000000 and holds one cell in row 3,000,000: openpyxl would make
    2,999,998 empty rows in between; reading stops at the limit."""
    sparse = xlsx(sheet_xml([_row(3_000_000, ["x"])], dimension="A1:Q3000000"))
    assert len(sparse) < 10_000
    assert ROWS_MESSAGE in field_error(upload(utama, sparse, "register.xlsx"))


def test_three_million_written_empty_rows_are_refused(utama):
    """Three million ``<row/>`` elements (18 MB of XML) zip a thousandfold: refused as a bomb; with
    the ratio check off, they are still refused before openpyxl (which would keep every one of
    them in memory until the sheet ends) by counting the XML elements."""
    rows = xlsx(sheet_xml(b"<row/>" * 100_000 for _ in range(30)))
    assert BOMB_MESSAGE in field_error(upload(utama, rows, "register.xlsx"))
    with pytest.raises(SpreadsheetError, match=ELEMENTS_MESSAGE):
        read_table(rows, no_ratio_limits())


def test_empty_rows_within_the_element_budget_are_counted_while_streaming(app):
    rows = xlsx(sheet_xml(f'<row r="{n}"/>'.encode() for n in range(2, 5003)))
    with pytest.raises(SpreadsheetError, match=re.escape(ROWS_MESSAGE)):
        read_table(rows)
    assert len(read_table(xlsx(sheet_xml(f'<row r="{n}"/>'.encode() for n in range(2, 5002))))) == 5001


def test_a_million_cells_are_refused_before_openpyxl_reads_them(utama):
    """Cells with distinct references zip only ~7-fold, so neither size nor ratio stops them; the
    element count does (5001 rows x 30 columns x 4 elements at most)."""
    row = b'<row r="2">' + b"".join(f'<c r="A{n}"/>'.encode() for n in range(1_000_000)) + b"</row>"
    content = xlsx(sheet_xml([row]))
    assert len(content) < DEFAULTS["MAX_CONTENT_LENGTH"]
    assert ELEMENTS_MESSAGE in field_error(upload(utama, content, "register.xlsx"))


def test_one_row_wider_than_excel_is_refused_before_openpyxl_builds_it(app):
    """70,000 cells in one row fit the total budget, but openpyxl would hold the whole row at once."""
    row = b'<row r="2">' + b"".join(f'<c r="A{n}"/>'.encode() for n in range(70_000)) + b"</row>"
    with pytest.raises(SpreadsheetError, match=ELEMENTS_MESSAGE):
        read_table(xlsx(sheet_xml([row])))


def test_many_shared_strings_are_not_mistaken_for_a_wide_row(app):
    """A real register of 5000 rows keeps tens of thousands of distinct texts in the shared
    strings; only elements after a ``<row`` count toward one row."""
    strings = b"".join(f"<si><t>teks {n}</t></si>".encode() for n in range(40_000))
    shared = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxml'
              b'formats.org/spreadsheetml/2006/main" count="40000" uniqueCount="40000">' + strings + b"</sst>")
    row = b'<row r="2"><c r="A2" t="s"><v>39999</v></c></row>'
    assert read_table(xlsx(sheet_xml([row]), shared_strings=shared))[1][0] == "teks 39999"


def test_a_dimension_claiming_the_whole_sheet_is_not_trusted(utama):
    """A1:XFD1048576 would pad every row to 16,384 cells; the import reads the real rows."""
    content = xlsx(sheet_xml([_row(2, GOOD_ROW)], dimension="A1:XFD1048576"))
    response = upload(utama, content, "register.xlsx")
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 1


def test_too_many_columns_in_an_xlsx(utama):
    """Column 31 holds a value: refused (cells further right are never read at all)."""
    wide = _row(2, GOOD_ROW)[:-len(b"</row>")] + _cell("AE2", "kolom ke-31") + b"</row>"
    assert COLUMNS_MESSAGE in field_error(upload(utama, xlsx(sheet_xml([wide])), "register.xlsx"))


def test_entity_expansion_is_refused(utama):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              b'<row r="1"><c r="A1" t="inlineStr"><is><t>&c;</t></is></c></row></sheetData></worksheet>')
    assert "Berkas XLSX tidak dapat dibaca" in field_error(upload(utama, xlsx([laughs]), "register.xlsx"))


# --- CSV ------------------------------------------------------------------------------------------

def test_three_million_empty_csv_lines_are_refused(utama):
    content = csv_text(",".join(HEADERS), ",".join(GOOD_ROW)) + b"\r\n" * 3_000_000
    assert len(content) < DEFAULTS["MAX_CONTENT_LENGTH"]
    assert ROWS_MESSAGE in field_error(upload(utama, content, "register.csv"))


def test_a_csv_over_the_byte_limit_is_refused(app, utama, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_UNCOMPRESSED_BYTES", 1000)
    content = csv_text(",".join(HEADERS), *[",".join(GOOD_ROW)] * 40)
    assert len(content) > 1000
    assert "Berkas CSV terlalu besar (lebih dari 1 MB)" in field_error(upload(utama, content, "register.csv"))


@pytest.mark.parametrize("line", [
    '"' + "a" * 200_000,  # an unclosed quote swallows the rest of the file
    "," * 300_000,  # three hundred thousand empty cells on one line
])
def test_a_csv_line_or_cell_that_never_ends_is_refused(utama, line):
    content = csv_text(",".join(HEADERS), ",".join(GOOD_ROW), line)
    message = field_error(upload(utama, content, "register.csv"))
    assert "Berkas CSV tidak dapat dibaca di baris 3" in message


def test_too_many_columns_in_a_csv_but_trailing_empty_cells_are_fine(utama):
    content = csv_text(",".join(HEADERS), ",".join(GOOD_ROW + ["x"] * 60))
    assert COLUMNS_MESSAGE in field_error(upload(utama, content, "register.csv"))
    content = csv_text(",".join(HEADERS), ",".join(GOOD_ROW) + "," * 80)
    assert upload(utama, content, "register.csv").status_code == 303


def test_the_message_is_translated(utama):
    content = csv_text(",".join(HEADERS)) + b"\r\n" * 6000
    message = field_error(upload(utama, content, "register.csv", query="?lang=en"))
    assert "more than 5000 rows below the header row (empty rows count too)" in message
