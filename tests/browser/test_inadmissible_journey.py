"""The Atasan PPID finds a late objection inadmissible, in a real browser (issue 13, item 4).

A request received Mon 2 Mar 2026 is refused by a notice e-mailed Fri 13 Mar; the applicant's
objection on ground a arrives Wed 6 May, the day after its window closed (5 May). The Atasan's
page suggests inadmissibility with the late basis ticked, but chooses nothing; an incomplete
decision comes back with the message next to each field and nothing lost; the decision is then
issued as a numbered letter.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ppid_desk.extensions import db
from ppid_desk.notices.services import NoticeDraft, notice_issue
from ppid_desk.objections.models import ObjectionDecision, ObjectionStatus
from tests.browser.journey import flash, log_in, post_and_wait
from tests.factories import TEST, at, file_objection, make_user, register_request
from tests.helpers import fresh

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
NOT_APPLICANT = "Keberatan ditandatangani Sdr. Anton tanpa surat kuasa dari pemohon."
CONSIDERATIONS = "Tidak ada keadaan yang membenarkan keterlambatan pengajuan keberatan."


def shot(page: Page, artifacts: Path, step: str) -> None:
    page.screenshot(path=str(artifacts / f"inadmissible-journey-{step}.png"), full_page=True)


def test_the_atasan_finds_a_late_objection_inadmissible(new_page, app, clock, artifacts):
    utama = make_user("utama@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    make_user("atasan@pemda.example.id", roles=("atasan",), name="Bambang Atasan")
    clock.travel_to(at(3, 2))
    item = register_request(received_at=at(3, 2), email="budi@example.id", notify=False)
    clock.travel_to(at(3, 13))
    notice_issue(actor=utama, item=fresh(item), draft=NoticeDraft(outcome="refused", held=True, consequence=TEST),
                 sent_via="email", at=at(3, 13), notify=False)
    db.session.commit()
    clock.travel_to(at(5, 6))
    objection = file_objection(fresh(item), grounds=["a"], filed_at=at(5, 6))
    assert objection.late
    clock.travel_to(at(5, 7))

    atasan = new_page()
    log_in(atasan, "atasan@pemda.example.id")
    atasan.goto(f"/meja/keberatan/{objection.id}")
    panel = atasan.locator("#objection-response")
    expect(panel.locator("#inadmissible-suggestion")).to_contain_text("5 Mei 2026")
    choice = panel.get_by_label("Keberatan tidak dapat diterima", exact=True)
    expect(choice).not_to_be_checked()  # suggested, never chosen
    expect(panel.locator("#inadmissible-fields")).to_be_hidden()
    shot(atasan, artifacts, "01-suggested")
    choice.check()
    fields = panel.locator("#inadmissible-fields")
    expect(fields).to_be_visible()
    expect(fields.get_by_label(re.compile("^Diajukan lewat waktu"))).to_be_checked()
    fields.get_by_label("Tidak diajukan oleh pemohon informasi atau kuasanya", exact=True).check()
    assert post_and_wait(atasan, panel.get_by_role("button", name="Terbitkan tanggapan")) == 422
    panel = atasan.locator("#objection-response")
    expect(panel.locator("#not_applicant_reason-error")).to_contain_text("Tulis mengapa")
    expect(panel.locator("#reasons-error")).to_contain_text("pertimbangan")
    expect(panel.get_by_label("Keberatan tidak dapat diterima", exact=True)).to_be_checked()
    expect(panel.locator("#inadmissible-fields")).to_be_visible()
    shot(atasan, artifacts, "02-errors")
    panel.get_by_label("Mengapa keberatan tidak diajukan oleh pemohon atau kuasanya", exact=True).fill(NOT_APPLICANT)
    panel.get_by_label("Alasan", exact=True).fill(CONSIDERATIONS)
    assert post_and_wait(atasan, panel.get_by_role("button", name="Terbitkan tanggapan")) == 303
    expect(flash(atasan)).to_contain_text("keberatan tidak dapat diterima")
    expect(atasan.locator("#objection-response")).to_contain_text(NOT_APPLICANT)
    objection = fresh(objection)
    assert (objection.status, objection.decision) == (ObjectionStatus.RESPONDED, ObjectionDecision.INADMISSIBLE)
    atasan.get_by_role("link", name="Lihat dan cetak surat").click()
    expect(atasan.locator("#letter-number")).to_have_text(objection.response_number)
    expect(atasan.locator("#response-letter")).to_contain_text("Pasal 37 ayat (2)")
    shot(atasan, artifacts, "03-letter")

    phone = new_page(viewport=PHONE)
    log_in(phone, "atasan@pemda.example.id")
    phone.goto(f"/meja/keberatan/{objection.id}")
    expect(phone.locator("#objection-response")).to_contain_text("Keberatan tidak dapat diterima")
    shot(phone, artifacts, "04-decided-phone")
