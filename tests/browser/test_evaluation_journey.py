"""Issue 16 item 3 in a browser: a unit fills in its monev questionnaire with htmx (the category is
saved in place and the progress bar moves), attaches evidence and submits; PPID Utama sees its
score and band. Screenshots at 1280 and 360 px go to test-artifacts/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journey import flash, log_in, post_and_wait
from tests.browser.layout import layout_problems
from tests.factories import make_evaluation_round
from tests.helpers import png_bytes

pytestmark = pytest.mark.browser


def test_a_unit_fills_in_saves_attaches_and_submits(new_page, make_user, make_unit, artifacts: Path, tmp_path: Path):
    from ppid_desk.workcalendar.selectors import body_today

    unit = make_unit("DISKOMINFO", "Dinas Komunikasi dan Informatika")
    officer_user = make_user(email="unit@pemda.example.id", roles=("pembantu",), unit=unit, name="Petugas Diskominfo")
    utama_user = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="PPID Utama")
    assert officer_user.unit_id == unit.id
    today = body_today()
    evaluation = make_evaluation_round([unit], actor=utama_user, opens_on=today - timedelta(days=1),
                                       closes_on=today + timedelta(days=10))
    participant_id = evaluation.participants[0].id

    officer: Page = new_page()
    log_in(officer, "unit@pemda.example.id")
    officer.goto("/meja/evaluasi")
    officer.get_by_role("link", name=f"Monev {today.year}").click()
    expect(officer.locator("#progress label")).to_have_text("Terjawab 0 dari 7 pertanyaan")
    officer.locator("#q-A1-ya").check()
    officer.get_by_label("Lama", exact=True).check()
    officer.get_by_label("Laman", exact=True).check()
    officer.get_by_label("E-mail", exact=True).check()
    with officer.expect_response(lambda r: r.request.method == "POST") as answer:
        officer.get_by_role("button", name="Simpan kategori ini").click()
    assert answer.value.status == 200  # htmx: the form is swapped in place, no reload
    expect(officer.locator("#fill-main .notice-success")).to_have_text("Jawaban tersimpan.")
    expect(officer.locator("#progress label")).to_have_text("Terjawab 3 dari 7 pertanyaan")
    officer.set_viewport_size({"width": 1280, "height": 900})
    officer.screenshot(path=str(artifacts / "evaluation-fill-1280.png"), full_page=True)

    officer.get_by_role("link", name="Kategori B").click()
    officer.locator("#q-B1-value").fill("12")
    with officer.expect_response(lambda r: r.request.method == "POST"):
        officer.get_by_role("button", name="Simpan kategori ini").click()
    expect(officer.locator("#fill-main .notice-success")).to_have_text("Jawaban tersimpan.")
    photo = tmp_path / "meja-layanan.png"
    photo.write_bytes(png_bytes())
    officer.locator("#file-B2").set_input_files(str(photo))
    assert post_and_wait(officer, officer.locator("#q-B2").get_by_role("button", name="Unggah", exact=True)) == 303
    expect(flash(officer)).to_contain_text("Bukti dukung diunggah.")
    expect(officer.locator("#q-B2")).to_contain_text("meja-layanan.png")
    officer.set_viewport_size({"width": 360, "height": 800})
    assert layout_problems(officer) == []
    officer.screenshot(path=str(artifacts / "evaluation-fill-360.png"), full_page=True)
    assert post_and_wait(officer, officer.get_by_role("button", name="Kirim ke PPID Utama")) == 303
    expect(flash(officer)).to_contain_text("Kuesioner terkirim")

    utama: Page = new_page()
    log_in(utama, "utama@pemda.example.id")
    utama.goto(f"/meja/evaluasi/putaran/{evaluation.id}")
    row = utama.locator(f"#participant-{participant_id}")
    # A: 10 + 4 + 9 = 23/30 → 76.67; B: 10 + 5 + 0 = 15/30 → 50.00; 0.6 × 76.67 + 0.4 × 50 = 66.00
    expect(row).to_contain_text("66.00")
    expect(row).to_contain_text("Cukup Informatif")
    utama.screenshot(path=str(artifacts / "evaluation-results-1280.png"), full_page=True)
