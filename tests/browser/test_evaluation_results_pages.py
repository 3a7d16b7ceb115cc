"""Issue 16 item 6 in a browser: PPID Utama reads the ranking of a finished round (bands, last
year, the lost questions of a unit below Informatif), publishes the results, and an anonymous
visitor reaches them from the public statistics page. Screenshots at 1280 and 360 px go to
test-artifacts/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journey import flash, log_in, post_and_wait
from tests.browser.layout import layout_problems
from tests.factories import (
    evaluation_results_document,
    make_evaluation_round,
    submit_results_answers,
)

pytestmark = pytest.mark.browser

WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 360, "height": 800}


def test_ppid_utama_reads_the_ranking_publishes_it_and_the_public_reads_the_bands(
        new_page, make_user, make_unit, artifacts: Path):
    from ppid_desk.workcalendar.selectors import body_today

    today = body_today()
    names = ("Dinas Komunikasi dan Informatika", "Dinas Pendidikan", "Kecamatan Kota Utara",
             "Dinas Kesehatan")
    units = [make_unit(f"U{index}", name) for index, name in enumerate(names)]
    officers = [make_user(email=f"unit{index}@pemda.example.id", roles=("pembantu",), unit=unit)
                for index, unit in enumerate(units)]
    utama_user = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="PPID Utama")
    rounds = []
    # last year's round, then this year's, both finished (their objection windows are over)
    for opens_on, answers in (
            (today - timedelta(days=430), [("ya", "cukup", "ya"), ("tidak", "cukup", "tidak"), None,
                                           ("ya", "lengkap", "ya")]),
            (today - timedelta(days=65), [("ya", "lengkap", "ya"), ("ya", "hampir", "ya"), ("ya", "cukup", "ya"),
                                          ("tidak", "tidak", "ya")])):
        taking_part = [unit for unit, answer in zip(units, answers, strict=True) if answer]
        evaluation = make_evaluation_round(taking_part, actor=utama_user, document=evaluation_results_document(),
                                           opens_on=opens_on, closes_on=opens_on + timedelta(days=20))
        by_unit = {p.unit_id: p for p in evaluation.participants}
        for unit, officer, answer in zip(units, officers, answers, strict=True):
            if answer:
                submit_results_answers(officer, by_unit[unit.id], answer, opens_on)
        rounds.append(evaluation)
    this_year = rounds[-1]

    utama: Page = new_page(viewport=WIDE)
    log_in(utama, "utama@pemda.example.id")
    utama.goto(f"/meja/evaluasi/putaran/{this_year.id}")
    table = utama.locator("#round-results")
    expect(table.locator("tbody tr").first).to_contain_text("Dinas Komunikasi dan Informatika")
    expect(table).to_contain_text("89.90")
    expect(table).to_contain_text("Baru")  # Kecamatan Kota Utara was not in last year's round
    lost = utama.locator("#lost-questions details").first
    lost.locator("summary").click()
    expect(lost).to_contain_text("hilang 202 dari 900")
    assert layout_problems(utama) == []
    utama.screenshot(path=str(artifacts / "evaluation-ranking-1280.png"), full_page=True)
    utama.set_viewport_size(NARROW)
    assert layout_problems(utama) == []
    utama.screenshot(path=str(artifacts / "evaluation-ranking-360.png"), full_page=True)

    utama.get_by_label("Saya sudah memeriksa peringkat dan predikat", exact=False).check()
    assert post_and_wait(utama, utama.get_by_role("button", name="Terbitkan hasil")) == 303
    expect(flash(utama)).to_contain_text("Hasil monev diterbitkan di laman publik.")

    visitor: Page = new_page(viewport=WIDE)
    visitor.goto("/statistik")
    visitor.locator("#evaluation-results-link").click()
    visitor.get_by_role("link", name=this_year.title).click()
    ranking = visitor.locator("#public-ranking")
    expect(ranking).to_contain_text("Menuju Informatif")
    expect(ranking).not_to_contain_text("Daftar Informasi Publik")
    assert layout_problems(visitor) == []
    visitor.screenshot(path=str(artifacts / "evaluation-public-1280.png"), full_page=True)
    visitor.set_viewport_size(NARROW)
    assert layout_problems(visitor) == []
    visitor.screenshot(path=str(artifacts / "evaluation-public-360.png"), full_page=True)
    # last year's round was never published: not there
    assert visitor.goto(f"/hasil-evaluasi/{rounds[0].id}").status == 404
