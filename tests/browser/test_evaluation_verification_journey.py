"""Issue 16 item 5 in a browser: PPID Utama returns an answer with a comment on the unit's
verification page (a missing comment is refused at the field first), the unit reads the comment on
its filling page and responds with a new value, the verifier accepts it again and the verified
score comes back. Screenshots at 1280 and 360 px go to test-artifacts/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ppid_desk.extensions import db
from tests.browser.journey import flash, log_in, post_and_wait
from tests.browser.layout import layout_problems
from tests.factories import make_evaluation_round

pytestmark = pytest.mark.browser


def test_a_verifier_returns_an_answer_the_unit_responds_and_it_is_accepted_again(new_page, make_user, make_unit,
                                                                                 artifacts: Path):
    from ppid_desk.evaluation.services import answers_save, participant_submit
    from ppid_desk.workcalendar.selectors import body_today

    unit = make_unit("DISKOMINFO", "Dinas Komunikasi dan Informatika")
    officer_user = make_user(email="unit@pemda.example.id", roles=("pembantu",), unit=unit, name="Petugas Diskominfo")
    make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="Verifikator PPID Utama")
    utama_user = make_user(email="utama2@pemda.example.id", roles=("ppid_utama",), name="PPID Utama")
    today = body_today()
    # filled in until yesterday: the verification window opens today
    evaluation = make_evaluation_round([unit], actor=utama_user, opens_on=today - timedelta(days=10),
                                       closes_on=today - timedelta(days=1))
    participant = evaluation.participants[0]
    filled = today - timedelta(days=2)
    answers_save(actor=officer_user, participant=participant, category_key="A", notes={"A1": "SK Nomor 12 Tahun 2026"},
                 raw={"A1": ["ya"], "A2": ["lama"], "A3": ["web", "mail"], "A4": ["Belum ada anggaran khusus."]},
                 today=filled)
    answers_save(actor=officer_user, participant=participant, category_key="B", notes={},
                 raw={"B1": ["12"], "B3": ["ya"]}, today=filled)
    participant_submit(actor=officer_user, participant=participant, today=filled)
    db.session.commit()
    participant_id = participant.id
    a2 = next(a.id for a in participant.answers if a.question_key == "A2")

    utama: Page = new_page()
    log_in(utama, "utama@pemda.example.id")
    utama.goto(f"/meja/evaluasi/putaran/{evaluation.id}")
    utama.get_by_role("link", name="Verifikasi jawaban unit").click()
    expect(utama.locator(f"#participant-{participant_id}")).to_contain_text("Dinas Komunikasi dan Informatika")
    utama.get_by_role("link", name="Dinas Komunikasi dan Informatika").click()
    # A: 10 + 4 + 9 = 23/30; B: 10 + 0 + 0 = 10/30; 0.6 × 76.67 + 0.4 × 33.33 = 59.33
    expect(utama.locator("#verified-total")).to_have_text("59.33")
    question = utama.locator("#q-A2")
    # returning without a comment: refused next to the field
    assert post_and_wait(utama, question.get_by_role("button", name="Kembalikan dengan komentar")) == 422
    expect(utama.locator(f"#comment-{a2}-error")).to_contain_text("komentar wajib diisi")
    utama.locator(f"#comment-{a2}").fill("DIP terakhir diperbarui 2024; unggah DIP yang dimutakhirkan.")
    assert post_and_wait(utama, utama.locator("#q-A2").get_by_role("button", name="Kembalikan dengan komentar")) == 303
    expect(flash(utama)).to_contain_text("Jawaban A2 dikembalikan")
    # A2 earns nothing now: A = 19/30 → 63.33; 0.6 × 63.33 + 0.4 × 33.33 = 51.33
    expect(utama.locator("#verified-total")).to_have_text("51.33")
    assert post_and_wait(utama, utama.locator("#q-A1").get_by_role("button", name="Terima")) == 303
    utama.set_viewport_size({"width": 1280, "height": 900})
    utama.screenshot(path=str(artifacts / "evaluation-verify-1280.png"), full_page=True)
    utama.set_viewport_size({"width": 360, "height": 800})
    assert layout_problems(utama) == []
    utama.screenshot(path=str(artifacts / "evaluation-verify-360.png"), full_page=True)

    officer: Page = new_page()
    log_in(officer, "unit@pemda.example.id")
    officer.goto(f"/meja/evaluasi/isi/{participant_id}")
    expect(officer.locator("#review-status-A2")).to_contain_text("DIP terakhir diperbarui 2024")
    officer.get_by_role("link", name="Tanggapi di bawah").click()
    respond = officer.locator("#review-A2")
    respond.get_by_label("Mutakhir").check()
    respond.get_by_label("Tanggapan atas komentar verifikator").fill("DIP dimutakhirkan Juli; tautan di keterangan.")
    officer.set_viewport_size({"width": 360, "height": 800})
    assert layout_problems(officer) == []
    officer.screenshot(path=str(artifacts / "evaluation-review-unit-360.png"), full_page=True)
    assert post_and_wait(officer, respond.get_by_role("button", name="Kirim tanggapan")) == 303
    expect(flash(officer)).to_contain_text("Tanggapan terkirim")
    expect(officer.locator("#review-A2")).to_contain_text("Ditanggapi unit")

    utama.goto(f"/meja/evaluasi/verifikasi/{participant_id}")
    expect(utama.locator("#q-A2")).to_contain_text("DIP dimutakhirkan Juli")
    assert post_and_wait(utama, utama.locator("#q-A2").get_by_role("button", name="Terima")) == 303
    # A2 now "Mutakhir" (10): A = 29/30 → 96.67; 0.6 × 96.67 + 0.4 × 33.33 = 71.33
    expect(utama.locator("#verified-total")).to_have_text("71.33")
    expect(utama.locator("#history-A2")).to_contain_text("Diterima verifikator")
