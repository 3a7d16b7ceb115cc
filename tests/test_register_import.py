"""Import of a historical register (issue 5, item 8): templates, good CSV/XLSX files written with
their outcomes replayed through the funnel, all-or-nothing with a report of every bad row,
duplicate numbers, wrong file types, the cache check, metrics, and access.

The clock stands on Mon 2 March 2026, 10:00 WIB; the imported rows are from 2025.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from ppid_desk.audit.models import Event
from ppid_desk.config import DEFAULTS
from ppid_desk.extensions import db
from ppid_desk.monev.import_services import COLUMNS
from ppid_desk.monev.metrics import monev_metrics
from ppid_desk.requests.models import InformationRequest

MON = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
URL = "/meja/monev/impor"
HX = {"HX-Request": "true"}
HEADERS = [
    "Nomor pendaftaran", "Tanggal diterima", "Saluran", "Nama pemohon", "Alamat", "Kontak (telepon/e-mail)",
    "Pekerjaan", "Rincian informasi", "Tujuan penggunaan", "Cara memperoleh", "Keputusan", "Pasal 17",
    "Tanggal pemberitahuan tertulis", "Tanggal perpanjangan", "Tanggal batas baru", "Tanggal penyampaian", "Biaya",
]
GOOD = [
    # granted in full, extended, delivered, with a fee
    ["0001/PPID/I/2025", "06/01/2025", "surat", "Ani Lestari", "Jl. Mawar 1", "0811 / ani@example.id", "Guru",
     "DPA Dinas Pendidikan 2024", "Penelitian", "salinan softcopy", "diberikan seluruhnya", "",
     "2025-01-24", "2025-01-15", "2025-01-29", "27/01/2025", "Rp5.000"],
    # refused under Pasal 17 b and h
    ["0002/PPID/I/2025", "2025-01-07", "e-mail", "Bayu Pratama", "", "bayu@example.id", "", "Data pegawai",
     "", "melihat", "ditolak", "h, b", "10/01/2025", "", "", "", ""],
    # still open, no number given
    ["", "08/01/2025", "", "Citra Dewi", "", "08123", "", "Peta jalan desa", "", "", "", "", "", "", "", "", ""],
]


def csv_bytes(rows, delimiter=",", headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([date.fromisoformat(v) if len(v) == 10 and v[4] == "-" else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name="register.csv", headers=None):
    return client.post(URL, data={"berkas": (io.BytesIO(content), name)},
                       content_type="multipart/form-data", headers=headers or {})


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(InformationRequest))


@pytest.fixture
def utama(app, clock, officer_client):
    clock.travel_to(MON)
    return officer_client("ppid_utama")


def by_name(name: str) -> InformationRequest:
    db.session.expire_all()
    return db.session.scalar(select(InformationRequest).join(InformationRequest.applicant)
                             .where(InformationRequest.applicant.has(name=name)))


def assert_good_import(response):
    assert response.status_code == 303
    assert count() == 3
    ani, bayu, citra = by_name("Ani Lestari"), by_name("Bayu Pratama"), by_name("Citra Dewi")
    assert all(item.imported for item in (ani, bayu, citra))
    assert (ani.number, bayu.number) == ("0001/PPID/I/2025", "0002/PPID/I/2025")
    assert citra.number and citra.number != ""
    assert (ani.channel, bayu.channel, citra.channel) == ("letter", "email", "walk_in")
    assert ani.receipt_date == date(2025, 1, 6) and ani.applicant.email == "ani@example.id"
    assert ani.applicant.phone == "0811" and ani.applicant.nik is None
    assert (ani.status, ani.outcome, ani.fee_amount) == ("closed", "granted_full", 5000)
    assert ani.extended_due == date(2025, 1, 29) and ani.due_date == date(2025, 1, 29)
    assert ani.notice_at == datetime(2025, 1, 24, 4, 0, tzinfo=UTC)  # 11:00 WIB
    assert ani.delivered_at == ani.closed_at == datetime(2025, 1, 27, 5, 0, tzinfo=UTC)
    assert (bayu.status, bayu.outcome, bayu.pasal17_basis) == ("closed", "refused", "b,h")
    assert (citra.status, citra.outcome, citra.notice_at) == ("registered", None, None)
    kinds = set(db.session.scalars(select(Event.kind).where(Event.subject_type == "request",
                                                            Event.subject_id == ani.id)))
    assert {"registered", "imported", "extended", "notice_issued", "delivered", "closed"} <= kinds


def test_templates_carry_the_headers_and_an_example(utama):
    response = utama.get(URL + "/templat.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == HEADERS and len(rows) == 2 and rows[1][0] == "0007/PPID/III/2024"
    response = utama.get(URL + "/templat.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [cell.value for cell in sheet[1]] == HEADERS and sheet.max_row == 2
    assert utama.get(URL + "/templat.pdf").status_code == 404


def test_template_round_trips(utama):
    """The downloaded template imports as it is (its example row is valid)."""
    content = utama.get(URL + "/templat.xlsx").data
    assert upload(utama, content, "templat.xlsx").status_code == 303
    assert by_name("Siti Aminah").number == "0007/PPID/III/2024"


def test_page_with_and_without_htmx(utama):
    for headers in ({}, HX):
        response = utama.get(URL, headers=headers)
        assert response.status_code == 200
        assert "Impor register permohonan lama" in response.text and "templat.xlsx" in response.text


def test_good_csv_imports_everything(utama, runner):
    response = upload(utama, csv_bytes(GOOD, delimiter=";"))
    assert_good_import(response)
    page = utama.get(response.headers["Location"])
    assert "3 permohonan diimpor" in page.text
    check = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert check.exit_code == 0 and "agree" in check.output


def test_good_xlsx_imports_everything(utama, runner):
    assert_good_import(upload(utama, xlsx_bytes(GOOD), "register.xlsx"))
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_metrics_count_imported_requests(utama):
    upload(utama, csv_bytes(GOOD))
    metrics = monev_metrics(start=date(2025, 1, 1), end=date(2025, 12, 31), unit_code=None, today=date(2026, 3, 2))
    assert metrics["received"]["total"] == 3
    assert metrics["received"]["by_channel"]["letter"] == 1
    assert metrics["outcomes"]["granted_full"] == 1 and metrics["outcomes"]["refused"] == 1
    assert metrics["extended"]["count"] == 1 and metrics["extended"]["valid"] == 1
    assert metrics["refusal_basis"] == {"b": 1, "h": 1}


def test_three_bad_rows_write_nothing_and_are_all_reported(utama):
    bad = [list(row) for row in GOOD]
    bad.append(["", "31/02/2025", "", "Dedi", "", "", "", "Anggaran", "", "", "", "", "", "", "", "", ""])
    bad.append(["", "2025-02-03", "merpati", "", "", "", "", "Anggaran", "", "", "", "", "", "", "", "", ""])
    bad.append(["", "2025-02-04", "", "Eka", "", "", "", "Anggaran", "", "", "ditolak", "", "", "", "", "", ""])
    response = upload(utama, csv_bytes(bad))
    assert response.status_code == 422
    assert count() == 0
    text = response.text
    assert "tidak ada yang diimpor" in text
    for row, reason in [(5, "Tanggal tidak dikenali"), (6, "Saluran tidak dikenali"), (6, "Wajib diisi"),
                        (7, "Wajib diisi jika permohonan ditolak"), (7, "Wajib diisi jika keputusan diisi")]:
        assert f"<th scope=\"row\">{row}</th>" in text and reason in text
    assert "<th scope=\"row\">2</th>" not in text  # good rows are not reported


def test_duplicate_numbers_are_bad_rows(utama, file_request):
    existing = file_request(received_at=MON)
    rows = [list(GOOD[0]), list(GOOD[1])]
    rows[1][0] = rows[0][0]  # same number twice in the file
    rows.append(list(GOOD[2]))
    rows[2][0] = existing.number  # already registered
    response = upload(utama, csv_bytes(rows))
    assert response.status_code == 422 and count() == 1
    assert "sama dengan baris 2" in response.text
    assert "sudah terdaftar" in response.text


@pytest.mark.parametrize("content, name, message", [
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "register.csv", "Jenis berkas tidak didukung"),
    (b"\xff\xfeN\x00o\x00", "register.csv", "UTF-8"),
    (b"Nama;Alamat\nBudi;Jl. X\n", "register.csv", "Kolom wajib tidak ditemukan"),
])
def test_wrong_files_are_refused(utama, content, name, message):
    response = upload(utama, content, name)
    assert response.status_code == 422 and message in response.text and count() == 0


def test_a_zip_that_is_not_a_workbook_is_refused(utama):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    response = upload(utama, buffer.getvalue(), "register.xlsx")
    assert response.status_code == 422 and "Jenis berkas tidak didukung" in response.text


def test_missing_file_and_too_many_rows(utama):
    response = utama.post(URL, data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Pilih berkas XLSX atau CSV" in response.text
    row = ["", "06/01/2025", "", "Ani", "", "", "", "Anggaran", "", "", "", "", "", "", "", "", ""]
    response = upload(utama, csv_bytes([row] * (DEFAULTS["IMPORT_MAX_ROWS"] + 1)))
    assert response.status_code == 422 and "lebih dari 5000 baris" in response.text and count() == 0
    response = upload(utama, xlsx_bytes([row] * (DEFAULTS["IMPORT_MAX_ROWS"] + 1)), "register.xlsx")
    assert response.status_code == 422 and "lebih dari 5000 baris" in response.text and count() == 0


def test_headers_reuse_the_register_columns():
    from ppid_desk.monev.register_columns import REQUEST_COLUMNS

    shared = {column.header for column in REQUEST_COLUMNS}
    assert sum(column.header in shared for column in COLUMNS) == 9


@pytest.mark.parametrize("role, expected", [("ppid_utama", 200), ("admin", 200), ("pengawas", 403),
                                             ("petugas", 403), ("atasan", 403)])
def test_access_by_role(app, clock, officer_client, role, expected):
    client = officer_client(role)
    assert client.get(URL).status_code == expected
    assert client.get(URL + "/templat.csv").status_code == expected
    if expected == 403:
        assert upload(client, csv_bytes(GOOD)).status_code == 403 and count() == 0


def test_anonymous_and_citizens_are_refused(client, login, make_user):
    response = client.get(URL)
    assert response.status_code == 302
    response = client.get(URL, headers=HX)
    assert response.status_code == 401 and "HX-Redirect" in response.headers
    make_user(email="warga@example.id", roles=("pemohon",))
    login()
    assert client.get(URL).status_code == 403


def test_administrative_ends_import_as_their_own_ends(utama, runner):
    """"Tidak dilengkapi" and "dicabut" need no written notice; the register's own export text
    ("Dicabut; diterima ...") imports again; neither counts as a breach."""
    rows = [
        ["0010/PPID/I/2025", "06/01/2025", "", "Fajar", "", "", "", "Data A", "", "", "tidak dilengkapi", "", "2025-01-30",
         "", "", "", ""],
        ["0011/PPID/I/2025", "06/01/2025", "", "Gita", "", "", "", "Data B", "", "",
         "Dicabut; diterima 2025-01-09 melalui Datang langsung", "", "", "", "", "", ""],
        ["0012/PPID/I/2025", "06/01/2025", "", "Hadi", "", "", "", "Data C", "", "",
         "Ditutup: tidak dilengkapi", "", "", "", "", "", ""],
    ]
    response = upload(utama, csv_bytes(rows))
    assert response.status_code == 303
    fajar, gita, hadi = by_name("Fajar"), by_name("Gita"), by_name("Hadi")
    assert (fajar.status, fajar.outcome, fajar.notice_at) == ("not_completed", "not_completed", None)
    assert fajar.closed_at == datetime(2025, 1, 30, 4, 0, tzinfo=UTC)  # the day given, 11:00 WIB
    assert hadi.closed_at == datetime(2025, 1, 6, 4, 0, tzinfo=UTC)  # no day given: the receipt day
    assert (gita.status, gita.outcome) == ("withdrawn", "withdrawn")
    kinds = set(db.session.scalars(select(Event.kind).where(Event.subject_type == "request",
                                                            Event.subject_id == fajar.id)))
    assert "closed_not_completed" in kinds
    metrics = monev_metrics(start=date(2025, 1, 1), end=date(2025, 12, 31), unit_code=None, today=date(2026, 3, 2))
    assert metrics["outcomes"]["not_completed"] == 2 and metrics["outcomes"]["withdrawn"] == 1
    assert metrics["breach"]["count"] == 0
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_an_unknown_decision_names_the_administrative_ends(utama):
    row = ["", "06/01/2025", "", "Ika", "", "", "", "Data", "", "", "tidak lengkap sekali", "", "", "", "", "", ""]
    response = upload(utama, csv_bytes([row]))
    assert response.status_code == 422 and count() == 0
    assert "Keputusan tidak dikenali" in response.text and "tidak dilengkapi" in response.text
