"""The Daftar Informasi Publik in a real browser (issue 15 item 10): a unit officer adds an item
with a PDF, PPID Utama approves it, and a citizen finds it twice — by searching the catalogue and
by typing a request whose description matches (the suggestions beside the form) — and downloads
its document; then the desk answers another request by pointing to it (delivery "already
published", the item suggested on the form), and that applicant's page links to the item. At 360 px
the catalogue and the item page keep the layout rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from ppid_desk.accounts.models import User
from ppid_desk.dip.models import InformationItem
from ppid_desk.extensions import db
from ppid_desk.notices.models import Delivery
from ppid_desk.notices.services import notice_issue
from tests.browser.journey import flash, log_in, post_and_wait
from tests.browser.layout import layout_problems
from tests.factories import grant
from tests.helpers import fresh, text_pdf

pytestmark = pytest.mark.browser


def test_a_unit_publishes_an_item_and_a_citizen_finds_it(new_page, make_user, make_unit, artifacts: Path,
                                                         tmp_path: Path, file_request):
    unit = make_unit("BPKAD", "Badan Pengelolaan Keuangan Daerah")
    make_user(email="unit@pemda.example.id", roles=("pembantu",), unit=unit, name="Petugas BPKAD")
    make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="PPID Utama")

    officer: Page = new_page()
    log_in(officer, "unit@pemda.example.id")
    officer.goto("/meja/dip/baru")
    officer.get_by_label("Judul informasi").fill("Laporan Realisasi Hibah Bantuan Sosial 2025")
    officer.get_by_label("Ringkasan isi informasi").fill("Penerima hibah dan bantuan sosial beserta nilainya.")
    officer.get_by_label("Berkala", exact=True).check()
    officer.get_by_label("Ditinjau setiap (bulan)").fill("6")
    officer.get_by_label("Pejabat yang bertanggung jawab").fill("Kepala Bidang Anggaran")
    officer.get_by_label("Waktu pembuatan").fill("2025")
    officer.get_by_label("Tempat pembuatan").fill("Bidang Anggaran BPKAD")
    officer.get_by_label("Softcopy", exact=True).check()
    officer.get_by_label("Jangka waktu penyimpanan").fill("5 tahun")
    assert post_and_wait(officer, officer.get_by_role("button", name="Simpan draf")) == 303
    expect(flash(officer)).to_contain_text("draf")
    document = tmp_path / "hibah-2025.pdf"
    document.write_bytes(text_pdf("Yayasan Pendidikan Nusantara menerima hibah pembangunan asrama."))
    officer.locator("#document").set_input_files(str(document))
    assert post_and_wait(officer, officer.get_by_role("button", name="Lampirkan")) == 303
    assert post_and_wait(officer, officer.get_by_role("button", name="Ajukan untuk persetujuan")) == 303
    item = db.session.scalar(select(InformationItem))
    assert item.status == "submitted"

    utama: Page = new_page()
    log_in(utama, "utama@pemda.example.id")
    utama.goto("/meja/dip?status=submitted")
    utama.get_by_role("link", name="Laporan Realisasi Hibah Bantuan Sosial 2025").click()
    assert post_and_wait(utama, utama.get_by_role("button", name="Setujui dan terbitkan")) == 303
    expect(flash(utama)).to_contain_text("Disetujui")

    citizen: Page = new_page(viewport={"width": 360, "height": 800})
    citizen.goto("/")
    citizen.get_by_role("link", name="Informasi Publik", exact=True).first.click()
    citizen.get_by_label("Cari informasi").fill("asrama")  # a word only in the PDF
    citizen.get_by_role("button", name="Cari", exact=True).click()
    result = citizen.locator(".search-results li")
    expect(result).to_have_count(1)
    expect(result.locator("mark").first).to_have_text("asrama")
    assert layout_problems(citizen) == []
    citizen.screenshot(path=str(artifacts / "dip-catalogue-360.png"), full_page=True)
    result.get_by_role("link").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Laporan Realisasi Hibah Bantuan Sosial 2025")
    assert layout_problems(citizen) == []
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="hibah-2025.pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    citizen.goto("/permohonan/baru")
    citizen.get_by_label("Rincian informasi yang dibutuhkan").fill("Mohon daftar penerima hibah bantuan sosial untuk yayasan")
    suggestion = citizen.locator("#dip-suggestions a")
    expect(suggestion).to_have_text("Laporan Realisasi Hibah Bantuan Sosial 2025")
    expect(suggestion).to_have_attribute("target", "_blank")

    # Another applicant asked for the same by letter; PPID Utama grants it and answers by pointing
    # to the published item instead of sending the file again.
    other = file_request(name="Rahmat Hidayat", email="rahmat@example.id",
                         rincian="Daftar penerima hibah bantuan sosial tahun 2025.")
    notice_issue(actor=db.session.scalar(select(User).where(User.email == "utama@pemda.example.id")), item=other,
                 draft=grant(), sent_via="email", notify=False)
    db.session.commit()
    utama.goto(f"/meja/permohonan/{other.id}")
    delivery = utama.locator("#delivery-panel")
    delivery.get_by_label("Sudah diumumkan di Informasi Publik", exact=False).check()
    expect(delivery.locator(f'a[href="/informasi/{item.id}"]')).to_have_text(
        "Laporan Realisasi Hibah Bantuan Sosial 2025")  # suggested beside the field
    delivery.get_by_label("Nomor informasi di Daftar Informasi Publik").fill(str(item.id))
    assert post_and_wait(utama, delivery.get_by_role("button", name="Catat penyampaian")) == 303
    expect(flash(utama)).to_contain_text("Penyampaian informasi dicatat")
    delivered = db.session.scalar(select(Delivery).where(Delivery.request_id == other.id))
    assert (delivered.method, delivered.published_item_id) == ("published", item.id)
    expect(utama.locator("#answer-panel")).to_have_count(0)  # nothing new to publish
    applicant: Page = new_page(viewport={"width": 360, "height": 800})
    applicant.goto(f"/lacak/{fresh(other).tracking_token}")
    applicant.locator(f'a[href$="/informasi/{item.id}"]').first.click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Laporan Realisasi Hibah Bantuan Sosial 2025")
