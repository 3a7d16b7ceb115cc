"""Consultations in a real browser (issue 16 item 9): a kelurahan's PPID Pembantu logs a walk-in
consultation (a first try without its topic is refused next to the field, the rest kept); the
desk officer turns it into a request the next working day, and the request is received at the
consultation's time; each page names the other. At 360 px the list keeps the layout rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from ppid_desk.consultations.models import Consultation
from ppid_desk.extensions import db
from ppid_desk.requests.models import InformationRequest
from tests.browser.journey import log_in, post_and_wait, wib
from tests.browser.layout import layout_problems

pytestmark = pytest.mark.browser


def test_a_consultation_becomes_a_request_received_when_it_was_asked(new_page, make_user, make_unit, clock,
                                                                     artifacts: Path):
    clock.travel_to(wib(13, 15))  # Friday 13 March 2026, 15.00 WIB
    unit = make_unit("KEL-SUKAMAJU", "Kelurahan Sukamaju")
    make_user(email="kelurahan@pemda.example.id", roles=("pembantu",), unit=unit, name="Wahyu Nugroho")
    make_user(email="petugas@pemda.example.id", roles=("petugas",), name="Agus Petugas")

    officer: Page = new_page()
    log_in(officer, "kelurahan@pemda.example.id")
    officer.get_by_role("link", name="Konsultasi", exact=True).click()
    officer.get_by_role("link", name="Catat konsultasi").click()
    officer.get_by_label("Jam", exact=True).fill("14:10")
    officer.get_by_label("Datang langsung").check()
    officer.get_by_label("Disarankan mengajukan permohonan informasi").check()
    officer.get_by_label("Orangnya setuju nama dan kontaknya disimpan").check()
    officer.get_by_label("Nama (tidak wajib)").fill("Sri Rahayu")
    officer.get_by_label("Nomor telepon atau e-mail").fill("0813 1111 2222")
    assert post_and_wait(officer, officer.get_by_role("button", name="Simpan konsultasi")) == 422
    expect(officer.locator("#topic-error")).to_contain_text("Tulis pokok yang ditanyakan")
    expect(officer.get_by_label("Nama (tidak wajib)")).to_have_value("Sri Rahayu")
    officer.get_by_label("Pokok konsultasi").fill("Daftar penerima bantuan pupuk bersubsidi di kelurahan; "
                                                  "disarankan mengajukan permohonan.")
    assert post_and_wait(officer, officer.get_by_role("button", name="Simpan konsultasi")) == 303
    consultation = db.session.scalar(select(Consultation))
    assert consultation.occurred_at == wib(13, 14).replace(minute=10)

    clock.travel_to(wib(16, 9))  # Monday 16 March, 09.00 WIB: the request is registered later
    desk: Page = new_page()
    log_in(desk, "petugas@pemda.example.id")
    desk.goto(f"/meja/konsultasi/{consultation.id}")
    desk.get_by_role("link", name="Jadikan permohonan").click()
    expect(desk.locator("#received-from-consultation")).to_have_text("13 Maret 2026 14.10 WIB")
    expect(desk.get_by_label("Nama lengkap")).to_have_value("Sri Rahayu")
    desk.get_by_label("NIK (Nomor Induk Kependudukan)").fill("3201011505900001")
    desk.get_by_label("Alamat", exact=True).fill("Jl. Kenanga No. 7, Kelurahan Sukamaju")
    desk.get_by_label("Pekerjaan", exact=True).fill("Petani")
    desk.get_by_label("Tujuan penggunaan informasi").fill("Memastikan kelompok tani kami terdaftar.")
    desk.get_by_label("Melihat / membaca / mendengarkan / mencatat").check()
    assert post_and_wait(desk, desk.get_by_role("button", name="Daftarkan dan cetak tanda bukti")) == 303
    item = db.session.scalar(select(InformationRequest))
    # received Friday 13 March 14.10: 10 WD skip Nyepi and Idul Fitri (18–24 March) (and Good Friday, 3 April) to 6 April
    assert item.received_at == consultation.occurred_at and item.notice_due == date(2026, 4, 6)
    desk.goto(f"/meja/permohonan/{item.id}")
    panel = desk.locator("#from-consultation")
    expect(panel).to_contain_text("Berasal dari konsultasi")
    panel.get_by_role("link", name="Lihat konsultasi").click()
    expect(desk.locator("#consultation-request")).to_contain_text(item.number)

    small: Page = new_page(viewport={"width": 360, "height": 800})
    log_in(small, "kelurahan@pemda.example.id")
    small.goto("/meja/konsultasi")
    expect(small.locator(f"#consultation-{consultation.id}")).to_contain_text(item.number)
    assert layout_problems(small) == []
    small.screenshot(path=str(artifacts / "consultations-360.png"), full_page=True)
