"""The statutory registers (issue 5, item 5): register permohonan and register keberatan with
the columns of KIP §4 in order, period and unit filters, CSV/XLSX downloads of the whole
filtered register that agree with the page, no NIK anywhere, no per-row queries, and access.

Dates: the clock stands in March 2026 (Mon 2 March 10:00 WIB), so the default period is 2026.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ppid_desk.extensions import db
from ppid_desk.notices.services import (
    ConsequenceTestDraft,
    DeliveryDraft,
    NoticeDraft,
    delivery_record,
    notice_issue,
    request_extend,
)
from ppid_desk.objections.dispute_services import dispute_record
from ppid_desk.objections.filing_services import objection_file
from ppid_desk.objections.response_services import objection_respond
from ppid_desk.requests.models import InformationRequest
from ppid_desk.routing.models import RoutingTask
from ppid_desk.routing.services import request_route, task_answer
from tests.helpers import csv_rows, pdf_text

NIK = "3201011505900001"  # the NIK every ``file_request`` carries
MON = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # Mon 2 March 2026, 10:00 WIB
HX = {"HX-Request": "true"}
REQUEST_HEADERS = [
    "Nomor pendaftaran", "Tanggal diterima", "Jam diterima",
    "Tanggal dianggap diterima (batas jam layanan atau hari libur)", "Nama pemohon", "Alamat", "Kontak (telepon/e-mail)", "Pekerjaan",
    "Rincian informasi", "Tujuan penggunaan", "Dikuasai/tidak", "Hardcopy/softcopy", "Melihat/mendapatkan salinan",
    "Keputusan dan alasan penolakan", "Tanggal pemberitahuan tertulis", "Biaya dan cara pembayaran",
    "Unit yang menangani", "Tanggal dan alasan perpanjangan", "Informasi dijanjikan paling lambat",
    "Tanggal dan cara penyampaian", "Petugas",
]
OBJECTION_HEADERS = [
    "Nomor keberatan", "Tanggal diterima", "Nama pemohon", "Alamat pemohon", "Kontak pemohon (telepon/e-mail)",
    "Nama kuasa", "Alamat kuasa", "Kontak kuasa (telepon/e-mail)", "Nomor permohonan", "Informasi yang diminta",
    "Tujuan penggunaan", "Alasan keberatan", "Keputusan Atasan", "Tanggal tanggapan", "Nama dan jabatan Atasan",
    "Tanggapan pemohon", "Terlambat diajukan",
]
REFUSAL = ConsequenceTestDraft(
    letters=("h", "b"), information="Data pribadi pegawai dalam lampiran.",
    legal_basis="UU 14/2008 Pasal 17 huruf b dan h.", harm="Membuka rahasia pribadi dan rahasia dagang.",
    public_interest="Kepentingan publik tidak lebih besar dari kerugian.", exemption_period="Selama pegawai hidup.")


def fresh(item):
    db.session.expire_all()
    return db.session.get(type(item), item.id)


@pytest.fixture
def world(app, clock, file_request, make_unit, make_user):
    """Four requests and one objection, built through the services."""
    clock.travel_to(MON)
    disdik, dinkes = make_unit("DISDIK", "Dinas Pendidikan"), make_unit("DINKES", "Dinas Kesehatan")
    utama = make_user(email="rina@pemda.example.id", name="Rina Utama", roles=("ppid_utama",))
    pembantu = make_user(email="dodi@pemda.example.id", name="Dodi Pembantu", roles=("pembantu",), unit=disdik)
    atasan = make_user(email="atasan@pemda.example.id", name="Hendra Atasan", roles=("atasan",))

    last_year = file_request(received_at=datetime(2025, 12, 30, 3, 0, tzinfo=UTC), name="Tahun Lalu",
                             email="lalu@example.id")
    granted = file_request(received_at=MON, name="Ani Lestari", email="ani@example.id", copy_delivery="pos")
    refused = file_request(received_at=MON + timedelta(days=1), name="Bayu Pratama", email="bayu@example.id")
    other_unit = file_request(received_at=MON + timedelta(days=2), name="Citra Dewi", email="citra@example.id")

    # granted: routed to DISDIK, answered, extended, granted with a fee (a CD sent by post), delivered by post
    request_route(actor=utama, item=granted, unit_ids=[disdik.id], instruction="Siapkan DPA 2025.",
                  internal_due=granted.notice_due, notify=False, at=MON + timedelta(hours=1))
    task = db.session.scalar(select(RoutingTask).where(RoutingTask.request_id == granted.id))
    task_answer(actor=pembantu, item=granted, task=task, answer_text="DPA terlampir.", at=MON + timedelta(hours=2))
    clock.travel_to(datetime(2026, 3, 9, 3, 0, tzinfo=UTC))
    request_extend(actor=utama, item=granted, reason="Dokumen tersimpan di arsip daerah dan perlu dipindai.",
                   notify=False)
    notice_issue(actor=utama, item=granted, notify=False, at=datetime(2026, 3, 10, 3, 0, tzinfo=UTC),
                 draft=NoticeDraft(outcome="granted_full", held=True, materials="DPA 2025", delivery_form="PDF",
                                   fee_amount=5000, payment_method="Transfer bank",
                                   fee_reason="Satu CD dan ongkos kirim menurut kuitansi.",
                                   provide_by=date(2026, 3, 13)))
    delivery_record(actor=utama, item=granted, notify=False, at=datetime(2026, 3, 11, 3, 0, tzinfo=UTC),
                    draft=DeliveryDraft(method="post", fee_paid=5000, payment_method="Transfer bank",
                                        payment_reference="TRX-1", note="Resi POS-123, dikirim 11 Maret."))
    # refused under Pasal 17 b and h; objection, Atasan upholds, dispute at the KI Provinsi
    notice_issue(actor=utama, item=refused, notify=False, at=datetime(2026, 3, 10, 4, 0, tzinfo=UTC),
                 draft=NoticeDraft(outcome="refused", held=True, consequence=REFUSAL))
    # other_unit: routed to DINKES and still open
    request_route(actor=utama, item=other_unit, unit_ids=[dinkes.id], instruction="Siapkan data.",
                  internal_due=other_unit.notice_due, notify=False)
    db.session.commit()

    clock.travel_to(datetime(2026, 3, 16, 3, 0, tzinfo=UTC))
    objection = objection_file(actor=None, request=fresh(refused), grounds=["a"], case_summary="Penolakan keliru.",
                               intended_use="Penelitian kebijakan", representative_name=None, documents=[],
                               filed_at=datetime(2026, 3, 16, 3, 0, tzinfo=UTC), channel="online", notify=False)
    db.session.commit()
    clock.travel_to(datetime(2026, 3, 20, 3, 0, tzinfo=UTC))
    objection_respond(actor=atasan, objection=objection, decision="upheld", reasons="Pengecualian sudah tepat.",
                      release_by=None, settlement=None, expected_version=None, notify=False)
    db.session.commit()
    clock.travel_to(datetime(2026, 3, 24, 3, 0, tzinfo=UTC))
    dispute_record(actor=None, objection=objection, level="provinsi", filed_date=date(2026, 3, 24),
                   ki_number="045/REG-PSI/III/2026")
    db.session.commit()
    return {"granted": fresh(granted), "refused": fresh(refused), "other_unit": fresh(other_unit),
            "last_year": fresh(last_year), "objection": fresh(objection)}


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def html_rows(response) -> tuple[list[str], list[list[str]]]:
    text = response.get_data(as_text=True)
    headers = [unescape(h) for h in re.findall(r'<th scope="col">(.*?)</th>', text)]
    body = re.search(r"<tbody>(.*?)</tbody>", text, re.S)
    rows = [[cell_text(c) for c in re.findall(r"<t[hd](?: [^>]*)?>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)] if body else []
    return headers, rows


def cell_text(html: str) -> str:
    """A cell's text; a clamped cell (<details class="cell-more">) gives its full text."""
    full = re.search(r'<span class="prose">(.*?)</span></details>', html, re.S)
    return unescape(full.group(1) if full else html)


# --- register permohonan ----------------------------------------------------------------------

def test_register_permohonan_columns_in_order_with_their_values(world, officer_client):
    client = officer_client("pengawas")
    rows = csv_rows(client.get("/meja/register/permohonan?format=csv"))
    assert rows[0] == REQUEST_HEADERS
    by_number = {row[0]: dict(zip(REQUEST_HEADERS, row, strict=True)) for row in rows[1:]}
    assert list(by_number) == [world["granted"].number, world["refused"].number, world["other_unit"].number]
    granted = by_number[world["granted"].number]
    assert granted == {
        "Nomor pendaftaran": world["granted"].number, "Tanggal diterima": "2026-03-02", "Jam diterima": "10.00 WIB",
        "Tanggal dianggap diterima (batas jam layanan atau hari libur)": "—", "Nama pemohon": "Ani Lestari",
        "Alamat": "Jl. Melati No. 5", "Kontak (telepon/e-mail)": "081234567890 / ani@example.id",
        "Pekerjaan": "Wiraswasta", "Rincian informasi": "Dokumen anggaran Dinas Pendidikan tahun 2025.",
        "Tujuan penggunaan": "Pengawasan anggaran", "Dikuasai/tidak": "Dikuasai", "Hardcopy/softcopy": "Softcopy",
        "Melihat/mendapatkan salinan": granted["Melihat/mendapatkan salinan"],
        "Keputusan dan alasan penolakan": "Diberikan seluruhnya", "Tanggal pemberitahuan tertulis": "2026-03-10",
        "Biaya dan cara pembayaran": "Rp5.000; Transfer bank", "Unit yang menangani": "Dinas Pendidikan",
        "Tanggal dan alasan perpanjangan": granted["Tanggal dan alasan perpanjangan"],
        "Informasi dijanjikan paling lambat": "2026-03-13",
        "Tanggal dan cara penyampaian": "2026-03-11: Pos", "Petugas": "Rina Utama",
    }
    assert re.fullmatch(r"Mendapatkan salinan \(.*[Pp]os.*\)", granted["Melihat/mendapatkan salinan"])
    extension = granted["Tanggal dan alasan perpanjangan"]
    assert extension.startswith("2026-03-09 (sampai ") and "arsip daerah" in extension
    refused = by_number[world["refused"].number]
    assert refused["Keputusan dan alasan penolakan"] == "Ditolak; dikecualikan Pasal 17 huruf b, h"
    assert refused["Biaya dan cara pembayaran"] == "Tanpa biaya"
    assert refused["Unit yang menangani"] == "—" and refused["Tanggal dan cara penyampaian"] == "—"
    assert refused["Informasi dijanjikan paling lambat"] == "—"  # nothing to deliver: no promise
    assert refused["Tanggal dan alasan perpanjangan"] == "—"
    open_one = by_number[world["other_unit"].number]
    assert open_one["Keputusan dan alasan penolakan"].startswith("Belum diputuskan")
    assert open_one["Dikuasai/tidak"] == "—" and open_one["Tanggal pemberitahuan tertulis"] == "—"
    assert open_one["Unit yang menangani"] == "Dinas Kesehatan"


def test_period_and_unit_filters(world, officer_client):
    client = officer_client("ppid_utama")
    numbers = lambda url: [r[0] for r in csv_rows(client.get(url))[1:]]  # noqa: E731
    assert numbers("/meja/register/permohonan?format=csv&dari=2025-01-01&sampai=2025-12-31") == [
        world["last_year"].number]
    assert numbers("/meja/register/permohonan?format=csv&dari=2026-03-03&sampai=2026-03-03") == [
        world["refused"].number]
    assert numbers("/meja/register/permohonan?format=csv&unit=DISDIK") == [world["granted"].number]
    assert numbers("/meja/register/permohonan?format=csv&unit=DINKES") == [world["other_unit"].number]
    assert numbers("/meja/register/keberatan?format=csv&unit=DISDIK") == []
    assert numbers("/meja/register/keberatan?format=csv") == [world["objection"].number]
    assert numbers("/meja/register/keberatan?format=csv&dari=2026-03-17") == []
    # a bad date is ignored (and said so); the default period stays
    page = client.get("/meja/register/permohonan?dari=kemarin&unit=NOPE")
    assert page.status_code == 200 and "diabaikan" in page.get_data(as_text=True)
    assert len(html_rows(page)[1]) == 3


def test_csv_xlsx_and_page_agree_and_the_filename_names_the_period(world, officer_client):
    client = officer_client("petugas")
    url = "/meja/register/permohonan"
    csv_response = client.get(url + "?format=csv")
    assert csv_response.mimetype == "text/csv"
    assert csv_response.headers["Content-Disposition"] == (
        'attachment; filename="register-permohonan-2026-01-01_2026-12-31.csv"')
    xlsx_response = client.get(url + "?format=xlsx&unit=DISDIK")
    assert xlsx_response.headers["Content-Disposition"] == (
        'attachment; filename="register-permohonan-2026-01-01_2026-12-31-disdik.xlsx"')
    from_csv = csv_rows(csv_response)
    from_xlsx = xlsx_rows(client.get(url + "?format=xlsx"))
    assert from_xlsx[0] == REQUEST_HEADERS
    as_text = [[v.isoformat() if isinstance(v, datetime | date) else str(v) for v in row] for row in from_xlsx]
    for row in as_text:  # XLSX dates come back as datetimes at midnight
        for i, value in enumerate(row):
            row[i] = value[:10] if re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00", value) else value
    assert as_text == from_csv
    assert isinstance(from_xlsx[1][1], datetime) and from_xlsx[1][1].date() == date(2026, 3, 2)
    sheet = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").data)).active
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    headers, rows = html_rows(client.get(url))
    assert headers == REQUEST_HEADERS
    assert [r[0] for r in rows] == [r[0] for r in from_csv[1:]]
    assert rows[0][4] == "Ani Lestari" and rows[0][1] == "2 Maret 2026" and rows[0][15] == from_csv[1][15]
    assert rows[0][2:4] == ["10.00 WIB", "—"] and rows[0][16:18] == from_csv[1][16:18]
    assert (rows[0][18], from_csv[1][18]) == ("13 Maret 2026", "2026-03-13")  # the promised day, a date
    assert rows[0][19:] == from_csv[1][19:]


def test_the_nik_is_never_shown_or_exported(world, officer_client):
    client = officer_client("pengawas")
    for kind in ("permohonan", "keberatan"):
        url = f"/meja/register/{kind}"
        assert NIK not in client.get(url).get_data(as_text=True)
        assert NIK.encode() not in client.get(url + "?format=csv").data
        with zipfile.ZipFile(io.BytesIO(client.get(url + "?format=xlsx").data)) as archive:
            for name in archive.namelist():
                assert NIK.encode() not in archive.read(name), name


def test_the_pdf_holds_every_row_and_column_on_the_letterhead(world, officer_client):
    """A3 landscape on the letterhead: every row's number, every column's heading, the period and
    unit under the title, the footer naming the register; never the NIK, never cached."""
    client = officer_client("petugas")
    for kind, headers in (("permohonan", REQUEST_HEADERS), ("keberatan", OBJECTION_HEADERS)):
        url = f"/meja/register/{kind}"
        response = client.get(url + "?format=pdf")
        assert response.mimetype == "application/pdf" and "no-store" in response.headers["Cache-Control"]
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="register-{kind}-2026-01-01_2026-12-31.pdf"')
        assert b"/MediaBox [0 0 1190.55 841.89]" in response.data  # A3 landscape, in points
        flat = "".join(pdf_text(response.data).split())
        numbers = [row[0] for row in csv_rows(client.get(url + "?format=csv"))[1:]]
        assert numbers and all(number in flat for number in numbers)
        for header in headers:
            assert "".join(header.split()) in flat, header
        assert "Periode1Januari2026–31Desember2026" in flat
        assert "Semuaunit" in flat and "Halaman1dari" in flat
        assert NIK not in flat
    one_unit = client.get("/meja/register/permohonan?format=pdf&unit=DISDIK")
    assert "DinasPendidikandansub-unitnya" in "".join(pdf_text(one_unit.data).split())
    assert "Unduh PDF" in client.get("/meja/register/permohonan").get_data(as_text=True)


# --- register keberatan -----------------------------------------------------------------------

def test_register_keberatan_columns_in_order_with_their_values(world, officer_client):
    client = officer_client("atasan")
    rows = csv_rows(client.get("/meja/register/keberatan?format=csv"))
    assert rows[0] == OBJECTION_HEADERS
    row = dict(zip(OBJECTION_HEADERS, rows[1], strict=True))
    assert row == {
        "Nomor keberatan": world["objection"].number, "Tanggal diterima": "2026-03-16",
        "Nama pemohon": "Bayu Pratama", "Alamat pemohon": "Jl. Melati No. 5",
        "Kontak pemohon (telepon/e-mail)": "081234567890 / bayu@example.id", "Nama kuasa": "—",
        "Alamat kuasa": "—", "Kontak kuasa (telepon/e-mail)": "—", "Nomor permohonan": world["refused"].number,
        "Informasi yang diminta": "Dokumen anggaran Dinas Pendidikan tahun 2025.",
        "Tujuan penggunaan": "Penelitian kebijakan", "Alasan keberatan": "Pasal 35 ayat (1) huruf a",
        "Keputusan Atasan": "Menguatkan keputusan PPID", "Tanggal tanggapan": "2026-03-20",
        "Nama dan jabatan Atasan": "Hendra Atasan, Atasan PPID",
        "Tanggapan pemohon": "Mengajukan sengketa ke Komisi Informasi Provinsi pada 2026-03-24 "
                             "(nomor 045/REG-PSI/III/2026)",
        "Terlambat diajukan": "Tidak",
    }
    xlsx = xlsx_rows(client.get("/meja/register/keberatan?format=xlsx"))
    assert xlsx[0] == OBJECTION_HEADERS and xlsx[1][0] == world["objection"].number
    assert xlsx[1][13].date() == date(2026, 3, 20)
    headers, html = html_rows(client.get("/meja/register/keberatan", headers=HX))
    assert headers == OBJECTION_HEADERS and html[0][15] == row["Tanggapan pemohon"]


# --- queries ----------------------------------------------------------------------------------

def _bulk(n: int, file_request, utama, clock, start: datetime) -> None:
    for i in range(n):
        item = file_request(received_at=start + timedelta(minutes=i), email=f"bulk{start.day}.{i}@example.id")
        if i % 2 == 0:
            notice_issue(actor=utama, item=item, notify=False, at=start + timedelta(hours=1, minutes=i),
                         draft=NoticeDraft(outcome="granted_full", held=True, materials="A", delivery_form="PDF"))
        if i % 3 == 0:
            objection_file(actor=None, request=item, grounds=["c"], case_summary="Belum ditanggapi.",
                           intended_use="Riset", representative_name=None, documents=[],
                           filed_at=start + timedelta(hours=2, minutes=i), channel="online", notify=False)
    db.session.commit()


def test_three_rows_and_thirty_rows_cost_the_same_queries(app, clock, file_request, make_user, officer_client,
                                                         count_queries):
    clock.travel_to(datetime(2026, 5, 4, 3, 0, tzinfo=UTC))
    utama = make_user(email="rina@pemda.example.id", name="Rina Utama", roles=("ppid_utama",))
    client = officer_client("pengawas")
    _bulk(3, file_request, utama, clock, datetime(2026, 5, 4, 1, 0, tzinfo=UTC))
    spans = {"small": "dari=2026-05-04&sampai=2026-05-04", "big": "dari=2026-05-05&sampai=2026-05-05"}
    counts: dict[str, list[int]] = {}
    for size in ("small", "big"):
        if size == "big":
            _bulk(30, file_request, utama, clock, datetime(2026, 5, 5, 1, 0, tzinfo=UTC))
        for kind in ("permohonan", "keberatan"):
            for fmt in ("", "&format=csv", "&format=xlsx"):
                with count_queries() as statements:
                    response = client.get(f"/meja/register/{kind}?{spans[size]}{fmt}")
                assert response.status_code == 200
                counts.setdefault(size, []).append(len(statements))
    assert counts["small"] == counts["big"]
    assert len(html_rows(client.get("/meja/register/permohonan?" + spans["big"]))[1]) == 30
    assert db.session.query(InformationRequest).count() == 33


def test_the_html_register_pages_by_fifty(app, clock, file_request, officer_client):
    clock.travel_to(datetime(2026, 5, 4, 3, 0, tzinfo=UTC))
    for i in range(51):
        file_request(received_at=datetime(2026, 5, 4, 1, 0, tzinfo=UTC) + timedelta(minutes=i),
                     email=f"p{i}@example.id")
    client = officer_client("pengawas")
    first = client.get("/meja/register/permohonan")
    assert len(html_rows(first)[1]) == 50 and "halaman 1 dari 2" in first.get_data(as_text=True)
    second = client.get("/meja/register/permohonan?halaman=2", headers=HX)
    assert len(html_rows(second)[1]) == 1 and "<html" not in second.get_data(as_text=True)
    assert len(csv_rows(client.get("/meja/register/permohonan?format=csv"))) == 52


# --- access -----------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, HX])
def test_register_pages_open_for_the_desk_roles_with_and_without_htmx(app, officer_client, headers, clock):
    clock.travel_to(MON)
    for role in ("pengawas", "ppid_utama", "atasan", "petugas"):
        client = officer_client(role)
        for kind in ("permohonan", "keberatan"):
            response = client.get(f"/meja/register/{kind}", headers=headers)
            assert response.status_code == 200, (role, kind)
            text = response.get_data(as_text=True)
            assert ("<html" in text) is (not headers) and 'id="register-rows"' in text
    page = officer_client("pengawas").get("/meja/register/permohonan").get_data(as_text=True)
    assert 'href="/meja/register/permohonan"' in page and 'href="/meja/register/keberatan"' in page


def test_register_access_is_refused_to_others(app, client, officer_client, make_user, make_unit):
    urls = [f"/meja/register/{kind}{fmt}" for kind in ("permohonan", "keberatan")
            for fmt in ("", "?format=csv", "?format=xlsx", "?format=pdf")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], url
        response = client.get(url, headers=HX)
        assert response.status_code == 401 and "/masuk" in response.headers["HX-Redirect"], url
    make_user(email="warga@example.id")
    citizen = app.test_client()
    assert citizen.post("/masuk", data={"email": "warga@example.id", "password": "rahasia-panjang-1"}).status_code == 303
    pembantu = officer_client("pembantu", unit=make_unit())
    for url in urls:
        assert citizen.get(url).status_code == 403, url
        assert pembantu.get(url).status_code == 403, url
    assert "/meja/register/permohonan" not in pembantu.get("/meja").get_data(as_text=True)
