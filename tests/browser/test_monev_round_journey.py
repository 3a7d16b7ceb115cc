"""Issue 16 item 10, the whole internal monev in a browser: PPID Utama loads the ready-made
internal questionnaire and opens a round for three units through the forms; one unit fills it in
(a question the desk answers itself from its consultation log, one uploaded evidence file) and
submits; a verifier returns an answer, the ranking changes, the unit responds, the answer is
accepted and the ranking changes back; the round report PDF renders. Screenshots go to
test-artifacts/.

The internal questionnaire (ppid_desk/evaluation/data/monev_internal.json) by hand:
  Pengelolaan PPID (weight 40, 100 points possible: ten scored questions of 10, PP12/PP13 0);
  Pengelolaan Pengaduan (30; 30 possible); Pengelolaan Media Sosial (30; 40 possible).
Unit Diskominfo: PP01 "ya" with its required evidence (10), PP10 answered by the system from its 2
  consultations (band 1–11: 5), MS01 Instagram + Facebook (3 + 3 = 6):
  PPID 15/100 = 15.00, Pengaduan 0, Media sosial 6/40 = 15.00 → (40·15 + 30·0 + 30·15) / 100 = 10.50.
  With PP01 returned (earning nothing): PPID 5/100 → (40·5 + 30·15) / 100 = 6.50.
Unit Dishub: PG02 "3" days (optional evidence: 10): Pengaduan 10/30 = 33.33 → 30·33.33 / 100 = 10.00.
Unit Bappeda submits nothing: no total, no rank.
All three are below 40: "Tidak Informatif"."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from ppid_desk.evaluation.models import EvaluationRound, Participant
from ppid_desk.extensions import db
from tests.browser.journey import flash, log_in, post_and_wait
from tests.browser.layout import layout_problems
from tests.factories import make_consultation
from tests.helpers import png_bytes

pytestmark = pytest.mark.browser


def wib(month: int, day: int, hour: int) -> datetime:
    from datetime import UTC

    return datetime(2026, month, day, hour - 7, 0, tzinfo=UTC)


def test_a_monev_round_from_opening_to_the_round_report(new_page, make_user, make_unit, clock, artifacts: Path,
                                                        tmp_path: Path):
    from ppid_desk.evaluation.services import answers_save, participant_submit

    clock.travel_to(wib(8, 31, 9))  # Monday 31 August 2026
    kominfo = make_unit("DISKOMINFO", "Dinas Komunikasi dan Informatika")
    dishub = make_unit("DISHUB", "Dinas Perhubungan")
    bappeda = make_unit("BAPPEDA", "Badan Perencanaan Pembangunan Daerah")
    make_unit("DINSOS", "Dinas Sosial")  # not taking part
    make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="PPID Utama")
    kominfo_officer = make_user(email="kominfo@pemda.example.id", roles=("pembantu",), unit=kominfo,
                                name="Petugas Diskominfo")
    dishub_officer = make_user(email="dishub@pemda.example.id", roles=("pembantu",), unit=dishub,
                               name="Petugas Dishub")
    for hours in (3, 30):  # two walk-in consultations this year: the system's answer to PP10
        make_consultation(kominfo, actor=kominfo_officer, occurred_at=wib(8, 31, 9) - timedelta(hours=hours))

    # PPID Utama loads the ready-made internal questionnaire and opens the round for three units.
    utama: Page = new_page()
    log_in(utama, "utama@pemda.example.id")
    utama.goto("/meja/evaluasi/kuesioner")
    internal = utama.locator("#siap-pakai li", has_text="Monev internal PPID Pembantu")
    assert post_and_wait(utama, internal.get_by_role("button", name="Muat")) == 303
    utama.goto("/meja/evaluasi/putaran/baru")
    utama.get_by_label("Judul").fill("Monev PPID Pembantu 2026")
    utama.get_by_label("Kuesioner").select_option(label="Monev internal PPID Pembantu (versi 1)")
    utama.locator("input[name=scope][value=list]").check()
    for unit in (kominfo, dishub, bappeda):
        utama.locator(f"#unit-{unit.id}").check()
    for label, day in (("Pengisian dibuka", "2026-09-01"), ("Pengisian ditutup (hari terakhir)", "2026-09-15"),
                       ("Verifikasi mulai", "2026-09-16"), ("Verifikasi selesai", "2026-09-25"),
                       ("Masa sanggah mulai", "2026-09-28"), ("Masa sanggah selesai", "2026-10-02")):
        utama.get_by_label(label, exact=True).fill(day)
    assert post_and_wait(utama, utama.get_by_role("button", name="Buka monev")) == 303
    expect(flash(utama)).to_contain_text("Monev dibuka untuk 3 unit.")
    evaluation = db.session.scalar(select(EvaluationRound))
    assert evaluation.version.questionnaire.code == "monev-internal"
    participants = {p.unit_id: p.id for p in db.session.scalars(select(Participant))}
    assert set(participants) == {kominfo.id, dishub.id, bappeda.id}

    # Diskominfo fills in on 2 September: the system has answered PP10 from its consultation log.
    clock.travel_to(wib(9, 2, 10))
    officer: Page = new_page()
    log_in(officer, "kominfo@pemda.example.id")
    officer.goto("/meja/evaluasi")
    officer.get_by_role("link", name="Monev PPID Pembantu 2026").click()
    system_answer = officer.locator("#sistem-PP10")
    expect(system_answer).to_contain_text("Dijawab sistem")
    expect(system_answer.locator(".system-figure")).to_have_text("2")
    expect(system_answer.locator(".system-files")).to_contain_text("Bukti sistem")
    expect(officer.locator("#q-PP10 .evidence")).to_contain_text("Bukti tambahan dari unit — belum ada")
    officer.locator("#q-PP01-ya").check()
    with officer.expect_response(lambda r: r.request.method == "POST"):
        officer.get_by_role("button", name="Simpan kategori ini").click()
    expect(officer.locator("#fill-main .notice-success")).to_have_text("Jawaban tersimpan.")
    decree = tmp_path / "sk-ppid-pembantu.png"
    decree.write_bytes(png_bytes())
    officer.locator("#file-PP01").set_input_files(str(decree))
    assert post_and_wait(officer, officer.locator("#q-PP01").get_by_role("button", name="Unggah", exact=True)) == 303
    expect(flash(officer)).to_contain_text("Bukti dukung diunggah.")
    expect(officer.locator("#q-PP01")).to_contain_text("sk-ppid-pembantu.png")
    officer.get_by_role("link", name="Pengelolaan Media Sosial").click()
    officer.get_by_label("Instagram", exact=True).check()
    officer.get_by_label("Facebook", exact=True).check()
    with officer.expect_response(lambda r: r.request.method == "POST"):
        officer.get_by_role("button", name="Simpan kategori ini").click()
    expect(officer.locator("#fill-main .notice-success")).to_have_text("Jawaban tersimpan.")
    assert post_and_wait(officer, officer.get_by_role("button", name="Kirim ke PPID Utama")) == 303
    expect(flash(officer)).to_contain_text("Kuesioner terkirim")

    # Dishub answers through the services (its filling screens are the same).
    dishub_participant = db.session.get(Participant, participants[dishub.id])
    answers_save(actor=dishub_officer, participant=dishub_participant, category_key="pengelolaan_pengaduan",
                 raw={"PG02": ["3"]}, notes={}, today=wib(9, 3, 10).date())
    participant_submit(actor=dishub_officer, participant=dishub_participant, today=wib(9, 3, 10).date())
    db.session.commit()

    def ranking_row(unit_id: int):
        return utama.locator(f"#participant-{participants[unit_id]}")

    # Verification, 16 September: PP01's decree is returned; Diskominfo falls behind Dishub.
    clock.travel_to(wib(9, 16, 9))
    utama.goto(f"/meja/evaluasi/putaran/{evaluation.id}")
    expect(ranking_row(kominfo.id)).to_contain_text("10.50")
    expect(ranking_row(dishub.id)).to_contain_text("10.00")
    utama.get_by_role("link", name="Verifikasi jawaban unit").click()
    utama.get_by_role("link", name="Dinas Komunikasi dan Informatika").click()
    expect(utama.locator("#q-PP10")).to_contain_text("Dijawab sistem")
    pp01 = next(a.id for a in db.session.get(Participant, participants[kominfo.id]).answers if a.question_key == "PP01")
    utama.locator(f"#comment-{pp01}").fill("SK yang diunggah sudah tidak berlaku; unggah SK tahun 2026.")
    assert post_and_wait(utama, utama.locator("#q-PP01").get_by_role("button", name="Kembalikan dengan komentar")) == 303
    expect(flash(utama)).to_contain_text("Jawaban PP01 dikembalikan")
    expect(utama.locator("#verified-total")).to_have_text("6.50")
    utama.goto(f"/meja/evaluasi/putaran/{evaluation.id}")
    rows = utama.locator("#round-results tbody tr")
    expect(rows.nth(0)).to_contain_text("Dinas Perhubungan")
    expect(rows.nth(1)).to_contain_text("Dinas Komunikasi dan Informatika")
    expect(ranking_row(kominfo.id)).to_contain_text("6.50")

    # The unit reads the comment and responds with the new decree the same day.
    officer.goto(f"/meja/evaluasi/isi/{participants[kominfo.id]}")
    expect(officer.locator("#review-status-PP01")).to_contain_text("SK yang diunggah sudah tidak berlaku")
    respond = officer.locator("#review-PP01")
    respond.get_by_label("Tanggapan atas komentar verifikator").fill("SK Nomor 7 Tahun 2026 terlampir.")
    assert post_and_wait(officer, respond.get_by_role("button", name="Kirim tanggapan")) == 303
    expect(flash(officer)).to_contain_text("Tanggapan terkirim")
    officer.set_viewport_size({"width": 360, "height": 800})
    assert layout_problems(officer) == []
    officer.screenshot(path=str(artifacts / "monev-round-unit-360.png"), full_page=True)

    # The verifier accepts it: Diskominfo is first again; Bappeda, who sent nothing, has no rank.
    utama.goto(f"/meja/evaluasi/verifikasi/{participants[kominfo.id]}")
    expect(utama.locator("#q-PP01")).to_contain_text("SK Nomor 7 Tahun 2026 terlampir.")
    assert post_and_wait(utama, utama.locator("#q-PP01").get_by_role("button", name="Terima")) == 303
    expect(utama.locator("#verified-total")).to_have_text("10.50")
    utama.goto(f"/meja/evaluasi/putaran/{evaluation.id}")
    expect(rows.nth(0)).to_contain_text("Dinas Komunikasi dan Informatika")
    expect(rows.nth(0)).to_contain_text("Tidak Informatif")
    expect(rows.nth(1)).to_contain_text("Dinas Perhubungan")
    expect(rows.nth(2)).to_contain_text("Badan Perencanaan Pembangunan Daerah")
    expect(rows.nth(0).locator("td").first).to_have_text("1")
    expect(rows.nth(2).locator("td").first).to_have_text("—")
    utama.set_viewport_size({"width": 1280, "height": 900})
    utama.screenshot(path=str(artifacts / "monev-round-ranking-1280.png"), full_page=True)
    utama.set_viewport_size({"width": 360, "height": 800})
    assert layout_problems(utama) == []

    # The round report renders as a PDF naming the units and their totals.
    report = utama.request.get(f"/meja/evaluasi/putaran/{evaluation.id}/laporan.pdf")
    assert report.status == 200 and report.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(report.body())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Dinas Komunikasi dan Informatika" in text and "Dinas Perhubungan" in text
    assert "10,50" in text and "10,00" in text
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(artifacts / "monev-round-report")], check=True)
    assert list(artifacts.glob("monev-round-report*.png"))
