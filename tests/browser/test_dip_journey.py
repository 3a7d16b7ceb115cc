"""The Daftar Informasi Publik in a real browser (issue 15 item 10): a unit officer adds an item
with a PDF, PPID Utama approves it, and a citizen finds it twice — by searching the catalogue and
by typing a request whose description matches (the suggestions beside the form) — and downloads
its document. At 360 px the catalogue and the item page keep the layout rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from ppid_desk.dip.models import InformationItem
from ppid_desk.extensions import db
from tests.browser.journey import flash, log_in, post_and_wait
from tests.browser.layout import layout_problems
from tests.helpers import text_pdf

pytestmark = pytest.mark.browser


def test_a_unit_publishes_an_item_and_a_citizen_finds_it(new_page, make_user, make_unit, artifacts: Path,
                                                         tmp_path: Path):
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
