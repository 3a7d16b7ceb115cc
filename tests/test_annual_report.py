"""The annual report (issue 5, item 6): Pasal 12 figures equal ``monev_metrics`` for the year in the
page, the print version, the PDF and the XLSX; the narrative is saved by PPID Utama only; a published
report is public without login and carries no personal data.

The log is built in 2025 through the real services; "today" is 10 February 2026 (before the
31 March deadline).
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from ppid_desk.extensions import db
from ppid_desk.monev.annual_selectors import annual_figures, format_value
from ppid_desk.monev.metrics import monev_metrics
from ppid_desk.monev.models import AnnualReport
from ppid_desk.notices.services import (
    ConsequenceTestDraft,
    DeliveryDraft,
    NoticeDraft,
    delivery_record,
    notice_issue,
)
from tests.helpers import pdf_text

YEAR = 2025
URL = f"/meja/monev/laporan-tahunan/{YEAR}"
PUBLIC = f"/laporan-tahunan/{YEAR}"
TEST = ConsequenceTestDraft(letters=("h", "b"), information="Lampiran 3", legal_basis="Pasal 17 UU 14/2008",
                            harm="Membuka data pribadi.", public_interest="Data agregat cukup.",
                            exemption_period="Selama penerima hidup.")
NARRATIVE = {"policy": "Kebijakan layanan satu pintu.", "facilities": "Satu meja layanan, dua petugas.",
             "obstacles": "Dokumen tersebar di banyak bidang.", "recommendations": "Digitalisasi arsip."}


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 3, 0, tzinfo=UTC)


def grant(outcome="granted_full", **extra) -> NoticeDraft:
    return NoticeDraft(outcome=outcome, held=True, materials="DPA 2024", delivery_form="PDF", fee_amount=0,
                       payment_method=None, **extra)


@pytest.fixture
def log(app, clock, file_request, make_user):
    """Five requests in July 2025 (granted+delivered, partial, refused, not held, open) and one in 2024."""
    officer = make_user(email="utama-log@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    clock.travel_to(at(2024, 7, 1))
    file_request(received_at=at(2024, 7, 1), email="lama@example.id")
    clock.travel_to(at(YEAR, 7, 7))
    r = {key: file_request(received_at=at(YEAR, 7, 7), email=f"{key.lower()}@example.id",
                           channel="walk_in" if key == "E" else "online") for key in "ABCDE"}

    def act(month, day, fn, **kwargs):
        clock.travel_to(at(YEAR, month, day))
        fn(actor=officer, at=at(YEAR, month, day), **kwargs)
        db.session.commit()

    act(7, 10, notice_issue, item=r["A"], draft=grant(), notify=False)
    act(7, 14, delivery_record, item=r["A"], draft=DeliveryDraft(method="in_person"), notify=False)
    act(7, 15, notice_issue, item=r["B"], draft=grant("granted_partial", redactions="NIK", consequence=TEST),
        notify=False)
    act(7, 16, notice_issue, item=r["C"], draft=NoticeDraft(outcome="refused", held=True, consequence=TEST),
        notify=False)
    act(7, 28, notice_issue, item=r["D"], draft=NoticeDraft(outcome="not_held", held=False, holder_unknown=True),
        notify=False)
    clock.travel_to(at(2026, 2, 10))
    return r


def metrics():
    """The year's figures as the report reads them: the request metrics, the survey and the consultations."""
    from ppid_desk.consultations.selectors import consultation_tally
    from ppid_desk.monev.satisfaction import satisfaction_figures

    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    return {**monev_metrics(start=start, end=end, unit_code=None, today=date(2026, 2, 10)),
            "satisfaction": satisfaction_figures(start, end),
            "consultations": consultation_tally(period=(start, end)).as_dict()}


def save(client, **extra):
    return client.post(URL, data={**NARRATIVE, **extra})


def test_figures_equal_the_metrics_of_the_year(log, officer_client):
    m = metrics()
    assert m["received"]["total"] == 5
    assert m["received"]["by_channel"] == {"online": 4, "walk_in": 1}
    assert (m["outcomes"]["granted_full"], m["outcomes"]["granted_partial"], m["outcomes"]["refused"],
            m["outcomes"]["not_held"], m["outcomes"]["pending"]) == (1, 1, 1, 1, 1)
    assert m["refusal_basis"] == {"b": 2, "h": 2}  # C refused and B granted in part, both under b and h
    rows = {row.label: row.value for table in annual_figures(m) for row in table.rows}
    assert rows["Jumlah permohonan yang diterima"] == 5
    assert rows["Melalui Datang langsung"] == 1
    assert rows["Diberikan sebagian"] == 1 and rows["Ditolak"] == 1 and rows["Tidak dikuasai"] == 1
    assert rows["Pasal 17 huruf h (termasuk 1 diberikan sebagian)"] == 2
    assert rows["Jumlah permohonan yang ditolak"] == 1
    assert rows["Jumlah permohonan yang diberikan sebagian dengan dasar Pasal 17"] == 1
    assert rows["Pemohon dengan kebutuhan aksesibilitas"] == 0
    assert rows["Sampai pemberitahuan tertulis: median"] == m["wd_to_notice"]["median"]
    assert rows["Sampai informasi diserahkan: persentil ke-90"] == m["wd_to_delivery"]["p90"]
    assert rows["Jumlah keberatan"] == 0 and rows["Jumlah sengketa ke Komisi Informasi"] == 0

    client = officer_client("pengawas")
    page = client.get(URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Laporan layanan informasi publik 2025" in html and "<html" in html
    assert f"{m['wd_to_notice']['mean']:g}".replace(".", ",") in html
    assert "31 Maret 2026" in html and "hari lagi" in html
    assert 'name="policy"' not in html  # supervisors read, PPID Utama writes
    partial = client.get(URL, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.get_data(as_text=True)
    assert 'id="annual-report"' in partial.get_data(as_text=True)


def test_xlsx_pdf_and_print_agree_with_the_page(log, officer_client):
    client = officer_client("ppid_utama")
    assert save(client).status_code == 303
    html = client.get(URL).get_data(as_text=True)
    printed = client.get(URL + "/cetak").get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get(URL + ".xlsx").data))
    figures, narrative = book.worksheets
    kinds = {"jumlah": "count", "hari kerja": "wd", "pecahan 0–1": "share", "nilai": "index"}
    expected = {row.label: row.value for table in annual_figures(metrics()) for row in table.rows}
    db.session.rollback()  # the metrics fill monev's caches: not this test's to keep
    rows = list(figures.iter_rows(min_row=2, values_only=True))
    assert {label: value for _, label, value, _ in rows} == expected
    for _, label, value, unit in rows:
        cell = f"<th scope=\"row\">{label}</th><td class=\"numeric\">{format_value(value, kinds[unit])}</td>"
        assert cell in html and cell in printed
    assert dict(narrative.iter_rows(min_row=2, values_only=True))[
        "Kebijakan pelayanan informasi publik"] == NARRATIVE["policy"]
    pdf = client.get(URL + ".pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.mimetype == "application/pdf" and "attachment" in pdf.headers["Content-Disposition"]
    assert client.get(URL + "/cetak", headers={"HX-Request": "true"}).status_code == 200


def test_the_pdf_is_a_document_cover_contents_tables_charts_narrative(log, officer_client):
    """Issue 14 item 4: a cover without a page number, the contents naming every section and its
    page, every figure of the page in ruled tables, the charts with their axes, the narrative,
    bookmarks in the PDF, and the title with "Halaman x dari y" on every page after the cover."""
    client = officer_client("ppid_utama")
    assert save(client).status_code == 303
    data = client.get(URL + ".pdf").data
    expected = annual_figures(metrics())
    db.session.rollback()
    text = pdf_text(data)
    flat = "".join(text.split())
    count = data.count(b"/Type /Page\n")
    assert count >= 5
    for page in range(2, count + 1):
        assert f"Halaman{page}dari{count}" in flat
    assert "Halaman1dari" not in flat  # the cover
    assert flat.index("LAYANANINFORMASIPUBLIK") < flat.index("DAFTARISI") < flat.index("I.Datapelayanan")
    for table in expected:
        assert flat.count("".join(table.title.split())) >= 2, table.title  # contents + heading
        for row in table.rows:
            assert "".join(row.label.split()) in flat and "".join(row.text.split()) in flat, row.label
    for chart in ("Permohonanmenurutsaluran", "II.Grafik", "jumlahpermohonan", "bagianpermohonanyangjatuhtempo"):
        assert chart in flat, chart
    assert "".join(NARRATIVE["policy"].split()) in flat
    assert b"/Outlines" in data


def test_narrative_saved_and_shown_only_ppid_utama_saves(log, officer_client):
    for role in ("pengawas", "atasan", "admin", "petugas"):
        assert save(officer_client(role)).status_code == 403
    assert db.session.get(AnnualReport, YEAR) is None
    client = officer_client("ppid_utama")
    response = save(client)
    assert response.status_code == 303 and response.headers["Location"].endswith(URL)
    report = db.session.get(AnnualReport, YEAR)
    assert (report.policy, report.published) == (NARRATIVE["policy"], False)
    assert NARRATIVE["obstacles"] in client.get(URL).get_data(as_text=True)
    reader = officer_client("atasan").get(URL).get_data(as_text=True)
    assert NARRATIVE["recommendations"] in reader


def test_errors_keep_the_text_with_422(log, officer_client):
    client = officer_client("ppid_utama")
    response = client.post(URL, data={"policy": "Kebijakan ketik ulang.", "facilities": "", "published": "y"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Kebijakan ketik ulang." in html and "Isi bagian ini sebelum laporan diterbitkan." in html
    assert db.session.get(AnnualReport, YEAR) is None
    too_long = client.post(URL, data={"policy": "x" * 20001}, headers={"HX-Request": "true"})
    assert too_long.status_code == 422 and "Paling banyak" in too_long.get_data(as_text=True)
    # The current year cannot be published before it ends.
    current = client.post("/meja/monev/laporan-tahunan/2026", data={**NARRATIVE, "published": "y"})
    assert current.status_code == 422 and "setelah tahun itu berakhir" in current.get_data(as_text=True)


def test_publish_makes_the_public_page_visible_without_personal_data(log, app, officer_client):
    anonymous = app.test_client()
    assert anonymous.get(PUBLIC).status_code == 404
    assert anonymous.get(PUBLIC + ".pdf").status_code == 404
    client = officer_client("ppid_utama")
    save(client)
    assert anonymous.get(PUBLIC).status_code == 404  # saved, not published
    assert save(client, published="y").status_code == 303
    assert "Diterbitkan" in client.get(URL).get_data(as_text=True)
    page = anonymous.get(PUBLIC)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert NARRATIVE["facilities"] in html and "Jumlah permohonan yang diterima" in html
    assert "Draf" not in html
    for personal in ("3201011505900001", "Budi Santoso", "a@example.id", "Rina Utama"):
        assert personal not in html
    assert anonymous.get(PUBLIC, headers={"HX-Request": "true"}).status_code == 200
    assert anonymous.get(PUBLIC + ".pdf").data.startswith(b"%PDF")
    assert anonymous.get("/laporan-tahunan/2024").status_code == 404


def test_access_and_current_year_redirect(app, clock, officer_client):
    clock.travel_to(at(2026, 4, 2))
    anonymous = app.test_client()
    assert anonymous.get(URL).status_code == 302
    htmx = anonymous.get(URL, headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and "HX-Redirect" in htmx.headers
    assert anonymous.post(URL, data=NARRATIVE).status_code in (302, 400)
    assert officer_client("pemohon").get(URL).status_code == 403
    assert officer_client("petugas").get(URL + ".xlsx").status_code == 403
    supervisor = officer_client("pengawas")
    redirect = supervisor.get("/meja/monev/laporan-tahunan")
    assert redirect.status_code == 302 and redirect.headers["Location"].endswith(URL)
    late = supervisor.get(URL).get_data(as_text=True)
    assert "Terlambat" in late and "2 hari" in late
    assert supervisor.get("/meja/monev/laporan-tahunan/2027").status_code == 404
    assert supervisor.get("/meja/monev/laporan-tahunan/1999").status_code == 404
