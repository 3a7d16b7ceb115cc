"""The Daftar Informasi Publik: a unit keeps its items, PPID Utama approves, the public catalogue
shows only what was approved, and its search (the database's own full-text engine) finds words in
the titles, summaries and the text of PDF, DOCX and XLSX documents."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from ppid_desk.audit.models import Event
from ppid_desk.dip.models import InformationItem, SearchText
from ppid_desk.extensions import db
from tests.helpers import text_docx, text_pdf, text_xlsx


def item_form(**overrides) -> dict:
    data = {"title": "Laporan Realisasi Anggaran Semester I 2026",
            "summary": "Realisasi pendapatan dan belanja dinas sampai Juni 2026.",
            "category": "berkala", "review_months": "6", "official": "Kepala Bidang Anggaran",
            "made_when": "Semester I 2026", "made_where": "Bidang Anggaran", "format": "softcopy",
            "retention": "5 tahun", "external_url": ""}
    data.update(overrides)
    return data


@pytest.fixture
def people(app, make_unit, officer_client):
    unit, other = make_unit("BPKAD", "Badan Keuangan"), make_unit("DISDIK", "Dinas Pendidikan")
    return {"unit": unit, "other": other, "pembantu": officer_client("pembantu", unit=unit),
            "stranger": officer_client("pembantu", unit=other), "utama": officer_client("ppid_utama")}


def create(client, **overrides) -> int:
    response = client.post("/meja/dip/baru", data=item_form(**overrides))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def attach(client, item_id: int, content: bytes, name: str):
    return client.post(f"/meja/dip/{item_id}/dokumen", data={"document": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def publish(people, content: bytes = b"", name: str = "lra.pdf", **overrides) -> int:
    item_id = create(people["pembantu"], **overrides)
    if content:
        assert attach(people["pembantu"], item_id, content, name).status_code == 303
    assert people["pembantu"].post(f"/meja/dip/{item_id}/ajukan").status_code == 303
    assert people["utama"].post(f"/meja/dip/{item_id}/setujui").status_code == 303
    return item_id


def test_a_unit_writes_an_item_for_its_own_unit_and_it_is_not_public_until_approved(client, people):
    item_id = create(people["pembantu"], unit_id=str(people["other"].id))  # a posted other unit is ignored
    item = db.session.get(InformationItem, item_id)
    assert item.unit_id == people["unit"].id and item.status == "draft"
    assert client.get(f"/informasi/{item_id}").status_code == 404
    assert attach(people["pembantu"], item_id, text_pdf("Pendapatan asli daerah naik"), "lra.pdf").status_code == 303
    assert people["pembantu"].post(f"/meja/dip/{item_id}/ajukan").status_code == 303
    assert "Laporan Realisasi" not in client.get("/informasi").get_data(as_text=True)
    assert people["stranger"].get(f"/meja/dip/{item_id}").status_code == 403
    assert people["pembantu"].post(f"/meja/dip/{item_id}/setujui").status_code == 403

    assert people["utama"].post(f"/meja/dip/{item_id}/setujui").status_code == 303
    page = client.get(f"/informasi/{item_id}").get_data(as_text=True)
    assert "Laporan Realisasi Anggaran Semester I 2026" in page and "Kepala Bidang Anggaran" in page
    kinds = [e.kind for e in db.session.scalars(select(Event).where(Event.subject_type == "dip_item",
                                                                    Event.subject_id == item_id).order_by(Event.id))]
    assert kinds == ["dip_item_created", "dip_document_added", "dip_item_submitted", "dip_item_approved"]
    [document] = db.session.scalars(select(InformationItem).where(InformationItem.id == item_id))
    assert document.published_on is not None and document.reviewed_on == document.published_on


def test_bad_input_is_named_next_to_each_field_and_nothing_typed_is_lost(people):
    response = people["pembantu"].post("/meja/dip/baru", data=item_form(
        title="", category="berkala", review_months="12", external_url="bukan tautan", official=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tulis judul informasi" in page and "Isi 1 sampai 6 bulan" in page
    assert "Tulis tautan lengkap yang diawali https://" in page and "Tulis pejabat yang bertanggung jawab" in page
    assert "Realisasi pendapatan dan belanja dinas sampai Juni 2026." in page  # the summary typed is kept
    assert db.session.scalar(select(InformationItem.id)) is None


def test_approval_needs_a_document_or_a_link(people):
    item_id = create(people["pembantu"])
    people["pembantu"].post(f"/meja/dip/{item_id}/ajukan")
    response = people["utama"].post(f"/meja/dip/{item_id}/setujui")
    assert response.status_code == 422 and "Lampirkan paling sedikit satu dokumen" in response.get_data(as_text=True)
    assert db.session.get(InformationItem, item_id).status == "submitted"


@pytest.mark.parametrize(("content", "name", "word"), [
    (text_pdf("Belanja modal pembangunan jembatan Cisadane"), "lra.pdf", "jembatan"),
    (text_docx("Rencana pengadaan ambulans desa"), "renja.docx", "ambulans"),
    (text_xlsx("Kecamatan", "Puskesmas Sukamaju"), "data.xlsx", "puskesmas"),
])
def test_search_finds_a_word_inside_the_documents_and_marks_it(client, people, content, name, word):
    item_id = publish(people, content, name)
    page = client.get(f"/informasi?q={word}").get_data(as_text=True)
    assert f'href="/informasi/{item_id}"' in page
    assert "<mark>" in page and word in page.lower()
    assert "1 informasi cocok" in page
    assert f'href="/informasi/{item_id}"' not in client.get("/informasi?q=zebrakuda").get_data(as_text=True)


def test_search_matches_word_prefixes_and_on_postgresql_indonesian_affixes(client, people):
    item_id = publish(people, text_pdf("Laporan keuangan daerah"), "lk.pdf", title="Laporan Keuangan 2025",
                      summary="Laporan keuangan yang telah diaudit.")
    assert f'href="/informasi/{item_id}"' in client.get("/informasi?q=lapor").get_data(as_text=True)
    affixed = client.get("/informasi?q=melaporkan").get_data(as_text=True)
    if db.engine.dialect.name == "postgresql":  # the Indonesian stemmer: melaporkan → lapor
        assert f'href="/informasi/{item_id}"' in affixed
    else:  # FTS5 has no Indonesian stemmer: a prefix only grows at the end
        assert f'href="/informasi/{item_id}"' not in affixed


def test_typed_search_syntax_is_only_words(client, people):
    publish(people, text_pdf("Anggaran"), "a.pdf")
    for hostile in ('"', "anggaran OR", "NEAR(", "*", "a:*&|!", "<script>", "')--"):
        assert client.get("/informasi", query_string={"q": hostile}).status_code == 200
    page = client.get("/informasi", query_string={"q": "<b>anggaran</b>"}).get_data(as_text=True)
    assert "<b>anggaran" not in page


def test_filters_by_category_with_counts(client, people):
    berkala = publish(people, text_pdf("a"), title="Profil Badan", category="berkala")
    setiap = publish(people, text_pdf("b"), title="Daftar Aset", category="setiap_saat", review_months="")
    page = client.get("/informasi?kategori=setiap_saat").get_data(as_text=True)
    assert f'href="/informasi/{setiap}"' in page and f'href="/informasi/{berkala}"' not in page
    assert "Berkala (1)" in page and "<strong>Setiap saat (1)</strong>" in page


def test_public_document_download_and_drafts_are_not_served(client, people):
    item_id = publish(people, text_pdf("isi"), "isi.pdf")
    [document] = db.session.scalars(select(InformationItem).where(InformationItem.id == item_id))
    from ppid_desk.attachments.models import Attachment
    attachment = db.session.scalar(select(Attachment).where(Attachment.item_id == item_id))
    response = client.get(f"/informasi/{item_id}/dokumen/{attachment.id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    draft = create(people["pembantu"], title="Draf rahasia")
    attach(people["pembantu"], draft, text_pdf("draf"), "draf.pdf")
    draft_doc = db.session.scalar(select(Attachment).where(Attachment.item_id == draft))
    assert client.get(f"/informasi/{draft}/dokumen/{draft_doc.id}").status_code == 404
    assert client.get(f"/informasi/{item_id}/dokumen/{draft_doc.id}").status_code == 404


def test_a_units_change_to_a_published_item_takes_it_out_until_approved_again(client, people):
    item_id = publish(people, text_pdf("Anggaran 2026"), "a.pdf")
    version = str(db.session.get(InformationItem, item_id).version)
    db.session.rollback()
    stale = people["pembantu"].post(f"/meja/dip/{item_id}", data=item_form(title="Lama", version="0"))
    assert stale.status_code == 409 and 'value="Lama"' in stale.get_data(as_text=True)
    response = people["pembantu"].post(f"/meja/dip/{item_id}", data=item_form(title="Anggaran Perubahan 2026",
                                                                              version=version))
    assert response.status_code == 303
    item = db.session.get(InformationItem, item_id)
    assert item.status == "submitted" and db.session.get(SearchText, item_id) is None
    assert client.get(f"/informasi/{item_id}").status_code == 404
    people["utama"].post(f"/meja/dip/{item_id}/setujui")
    assert "Anggaran <mark>Perubahan</mark> 2026" in client.get("/informasi?q=perubahan").get_data(as_text=True)


def test_withdrawal_needs_a_reason_and_removes_the_item_from_search(client, people):
    item_id = publish(people, text_pdf("Jadwal posyandu"), "j.pdf")
    response = people["utama"].post(f"/meja/dip/{item_id}/tarik", data={"reason": ""})
    assert response.status_code == 422 and "Tulis alasan penarikan" in response.get_data(as_text=True)
    assert people["utama"].post(f"/meja/dip/{item_id}/tarik", data={"reason": "Diganti versi 2027"}).status_code == 303
    assert f'href="/informasi/{item_id}"' not in client.get("/informasi?q=posyandu").get_data(as_text=True)
    assert db.session.get(InformationItem, item_id).status == "withdrawn"


def test_return_with_a_reason_then_resubmit(people):
    item_id = create(people["pembantu"])
    people["pembantu"].post(f"/meja/dip/{item_id}/ajukan")
    assert people["utama"].post(f"/meja/dip/{item_id}/kembalikan", data={"reason": ""}).status_code == 422
    people["utama"].post(f"/meja/dip/{item_id}/kembalikan", data={"reason": "Lampirkan versi yang ditandatangani."})
    page = people["pembantu"].get(f"/meja/dip/{item_id}").get_data(as_text=True)
    assert "Lampirkan versi yang ditandatangani." in page
    assert people["pembantu"].post(f"/meja/dip/{item_id}/ajukan").status_code == 303
    assert db.session.get(InformationItem, item_id).status == "submitted"


def test_an_unsupported_file_is_refused_next_to_the_field(people):
    item_id = create(people["pembantu"])
    response = attach(people["pembantu"], item_id, b"MZ\x90\x00 not a document", "virus.exe")
    assert response.status_code == 422 and "Jenis berkas tidak didukung" in response.get_data(as_text=True)


def test_desk_list_shows_a_unit_only_its_own_items(people):
    mine = create(people["pembantu"], title="Milik BPKAD")
    theirs = create(people["stranger"], title="Milik Disdik")
    page = people["pembantu"].get("/meja/dip").get_data(as_text=True)
    assert f"/meja/dip/{mine}" in page and f"/meja/dip/{theirs}" not in page
    page = people["utama"].get("/meja/dip").get_data(as_text=True)
    assert f"/meja/dip/{mine}" in page and f"/meja/dip/{theirs}" in page


def test_freshness_stale_items_are_listed_and_reminded_once_per_review_date(app, client, people, clock, mailbox,
                                                                            make_user):
    from datetime import UTC, datetime

    from ppid_desk.dip.freshness import add_months
    from ppid_desk.notifications.sweep import sweep_run

    clock.travel_to(datetime(2026, 1, 5, 3, 0, tzinfo=UTC))
    berkala = publish(people, text_pdf("a"), title="Anggaran berkala", category="berkala", review_months="3")
    setiap = publish(people, text_pdf("b"), title="Daftar aset", category="setiap_saat", review_months="")
    assert add_months(db.session.get(InformationItem, berkala).reviewed_on, 3).isoformat() == "2026-04-05"

    clock.travel_to(datetime(2026, 4, 6, 3, 0, tzinfo=UTC))  # the berkala item is a day late, the other not
    page = people["pembantu"].get("/meja/dip").get_data(as_text=True)
    assert "1 informasi perlu ditinjau" in page and "seharusnya ditinjau 5 April 2026" in page
    assert people["stranger"].get("/meja/dip").get_data(as_text=True).count("perlu ditinjau") == 0
    mailbox.clear()
    report = sweep_run()
    assert report.dip_reviews == 1
    mails = mailbox.wait_for(2)
    recipients = sorted(address for message in mails for address in message["To"].split(","))
    assert recipients == sorted([people["pembantu"].user_email, people["utama"].user_email])
    assert all("Anggaran berkala" in message.get_content() and "Daftar aset" not in message.get_content()
               for message in mails)
    assert sweep_run().dip_reviews == 0  # once per review date

    people["pembantu"].post(f"/meja/dip/{berkala}/tinjau")  # reviewed: the next date is 6 July
    assert db.session.get(InformationItem, berkala).reviewed_on.isoformat() == "2026-04-06"
    assert "perlu ditinjau" not in people["pembantu"].get("/meja/dip").get_data(as_text=True)

    clock.travel_to(datetime(2027, 1, 6, 3, 0, tzinfo=UTC))  # a year on: both are late
    page = people["utama"].get("/meja/dip").get_data(as_text=True)
    assert "2 informasi perlu ditinjau" in page and "Kemutakhiran per unit" in page
    assert sweep_run().dip_reviews == 2
    assert db.session.get(InformationItem, setiap).review_reminded_for.isoformat() == "2027-01-05"


def test_the_years_list_in_the_perki_layout_as_xlsx_and_pdf(client, people, clock):
    from datetime import UTC, datetime

    from openpyxl import load_workbook
    from pypdf import PdfReader

    clock.travel_to(datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    publish(people, text_pdf("a"), title="Profil Badan Keuangan", category="berkala")
    publish(people, text_pdf("b"), title="Daftar Aset Tanah", category="setiap_saat", review_months="")
    create(people["pembantu"], title="Draf tidak ikut")
    response = client.get("/informasi/daftar-2026.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == ("No.", "Ringkasan isi informasi", "Pejabat atau unit yang menguasai informasi",
                           "Penanggung jawab pembuatan atau penerbitan informasi",
                           "Waktu dan tempat pembuatan informasi", "Bentuk informasi yang tersedia",
                           "Jangka waktu penyimpanan atau retensi arsip", "Jenis informasi")
    assert [row[0] for row in rows[1:]] == [1, 2]
    assert rows[1][1].startswith("Profil Badan Keuangan.") and rows[1][7] == "Berkala"
    assert rows[2][1].startswith("Daftar Aset Tanah.") and rows[2][2] == "Badan Keuangan"
    assert all("Draf" not in (row[1] or "") for row in rows)
    pdf = client.get("/informasi/daftar-2026.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert pdf.status_code == 200 and "DAFTAR INFORMASI PUBLIK TAHUN 2026" in text and "Daftar Aset Tanah" in text
    assert len(list(load_workbook(io.BytesIO(client.get("/informasi/daftar-2025.xlsx").data)).active.rows)) == 1
    assert client.get("/informasi/daftar-2027.xlsx").status_code == 404  # a year not begun


def test_published_items_are_suggested_while_a_request_is_typed(client, people):
    item_id = publish(people, text_pdf("Realisasi belanja hibah bantuan sosial"), "hibah.pdf",
                      title="Realisasi Belanja Hibah 2025")
    draft = create(people["pembantu"], title="Belanja hibah draf")
    page = client.get("/informasi/saran", query_string={
        "rincian": "Saya mohon data realisasi hibah untuk yayasan di kota ini tahun 2025"}).get_data(as_text=True)
    assert f'href="/informasi/{item_id}"' in page and 'target="_blank"' in page
    assert f'href="/informasi/{draft}"' not in page
    assert "Mungkin sudah tersedia" not in client.get(
        "/informasi/saran", query_string={"rincian": "mohon data tentang yang itu"}).get_data(as_text=True)
    form = client.get("/permohonan/baru").get_data(as_text=True)
    assert 'hx-get="/informasi/saran"' in form and 'id="dip-suggestions"' in form


def test_suggestions_match_titles_and_summaries_with_the_last_word_as_a_prefix(client, people):
    item_id = publish(people, text_pdf("Lampiran memuat daftar yayasan penerima."), "hibah.pdf",
                      title="Realisasi Belanja Hibah 2025", summary="Penerima hibah per kecamatan.")

    def suggested(typed: str) -> bool:
        page = client.get("/informasi/saran", query_string={"rincian": typed}).get_data(as_text=True)
        return f'href="/informasi/{item_id}"' in page

    assert suggested("Mohon rincian penerima per kecamatan")  # summary words
    assert suggested("Saya ingin tahu soal hiba")  # the word being typed, as a prefix
    assert not suggested("Daftar yayasan pada lampiran")  # words only in the document's text
    assert not suggested("Mohon hiba untuk sekolah")  # only the last word is a prefix


def test_the_site_leads_to_the_catalogue_and_search_engines_can_index_it(client, people):
    item_id = publish(people, text_pdf("isi"), "isi.pdf", title="Profil Badan Keuangan 2026")
    draft = create(people["pembantu"], title="Draf")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/informasi"' in home and "Profil Badan Keuangan 2026" in home and 'action="/informasi"' in home
    nav = home.split('<ul class="nav">', 1)[1].split("</ul>", 1)[0]
    order = [nav.index(path) for path in ('"/informasi"', '"/permohonan/baru"', '"/lacak"', '"/statistik"',
                                          '"/laporan-tahunan"')]
    assert order == sorted(order)
    sitemap = client.get("/sitemap.xml")
    assert sitemap.mimetype == "application/xml"
    assert f"/informasi/{item_id}</loc>" in sitemap.get_data(as_text=True)
    assert f"/informasi/{draft}</loc>" not in sitemap.get_data(as_text=True)
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /meja/" in robots and "/sitemap.xml" in robots
    page = client.get(f"/informasi/{item_id}").get_data(as_text=True)
    assert '<meta name="description"' in page and 'rel="canonical"' in page
    assert client.get("/laporan-tahunan").status_code == 200


def test_monev_shows_catalogue_freshness_per_unit(people, officer_client, clock):
    from datetime import UTC, datetime

    clock.travel_to(datetime(2026, 1, 5, 3, 0, tzinfo=UTC))
    publish(people, text_pdf("a"), title="Anggaran", category="berkala", review_months="1")
    publish(people, text_pdf("b"), title="Aset", category="setiap_saat", review_months="")
    clock.travel_to(datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    page = officer_client("pengawas").get("/meja/monev").get_data(as_text=True)
    section = page.split('id="dip-freshness-monev"', 1)[1].split("</section>", 1)[0]
    assert "Badan Keuangan" in section
    cells = [cell.split(">", 1)[1].split("<", 1)[0].strip() for cell in section.split('<td class="numeric"')[1:]]
    assert cells == ["2", "1", "1"]  # published, current (50 %), past their review date
    assert "50 %" in section
