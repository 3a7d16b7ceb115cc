"""From an overdue request to the dispute record, in a real browser (issue 4, item 10).

A citizen's request goes past its notice deadline without a notice → the citizen files an
objection from their request page (grounds c and g suggested) → the Atasan PPID overturns the
PPID's silence and orders the release by a date → the citizen sees the response and the 14-WD
dispute window and records that they went to the Komisi Informasi → PPID Utama records the KI's
mediation stage. Each actor has its own browser context; time moves only with ``clock``.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.objections.models import (
    Dispute,
    DisputeLevel,
    DisputeStageKind,
    Objection,
    ObjectionDecision,
    ObjectionStatus,
)
from ppid_desk.requests.models import InformationRequest
from ppid_desk.web.formatting import long_date
from ppid_desk.workcalendar.selectors import body_today
from tests.browser.journey import flash, log_in, post_and_wait, wib

pytestmark = pytest.mark.browser

OBJECTION_NUMBER_RE = re.compile(r"^\d{4}/KEB/PPID/[IVX]+/\d{4}$")
RESPONSE_NUMBER_RE = re.compile(r"^\d{4}/TGP-KEB/[IVX]+/\d{4}$")
DATE_RE = re.compile(r"^\d{1,2} \w+ 2026$")  # "7 Mei 2026": one way to write a date
OBJECTION_PAGE = re.compile(r"/meja/keberatan/(\d+)(#.*)?$")


def shot(page: Page, artifacts: Path, step: str) -> None:
    page.screenshot(path=str(artifacts / f"objection-journey-{step}.png"), full_page=True)


def test_objection_from_filing_to_the_dispute_record(new_page, app, make_user, file_request, clock, runner,
                                                     mailbox, artifacts):
    # --- people and an overdue request ----------------------------------------------------
    citizen_email = "siti@example.id"
    siti = make_user(email=citizen_email, name="Siti Warga")
    make_user(email="atasan@pemda.example.id", name="Bambang Atasan", roles=("atasan",))
    make_user(email="utama@pemda.example.id", name="Rina PPID Utama", roles=("ppid_utama",))
    clock.travel_to(wib(2, 9, 3))  # Monday 2 March 2026: filed, never answered
    item = file_request(owner=siti, email=citizen_email, name="Siti Warga",
                        rincian="Daftar penerima bantuan pendidikan tahun 2025 per kelurahan.")
    request_id, request_number, notice_due = item.id, item.number, item.notice_due

    # --- 1. Monday 6 April 2026: the deadline is long past; the citizen files an objection -
    clock.travel_to(wib(6, 9, 4))
    assert body_today() > notice_due
    citizen = new_page()
    log_in(citizen, citizen_email)
    citizen.goto(f"/permohonan/{request_id}")
    expect(citizen.get_by_role("heading", level=1)).to_have_text(request_number)
    window = citizen.locator("#objection-window")
    expect(window).to_contain_text("batas pemberitahuan tertulis lewat tanpa pemberitahuan")
    expect(citizen.locator("#objection-filing-due")).to_have_text(DATE_RE)
    shot(citizen, artifacts, "01-request-window")
    citizen.locator("#objections").get_by_role("link", name="Ajukan keberatan").click()
    expect(citizen).to_have_url(re.compile(rf"/permohonan/{request_id}/keberatan$"))
    for letter in "abcdefg":  # overdue without a notice: c and g suggested, nothing else
        box = citizen.locator(f"#ground-{letter}")
        expect(box).to_be_checked() if letter in "cg" else expect(box).not_to_be_checked()
    summary = ("Permohonan saya tanggal 2 Maret 2026 tidak dijawab sama sekali sampai lewat batas "
               "sepuluh hari kerja; tidak ada pemberitahuan tertulis maupun perpanjangan.")
    citizen.get_by_label("Kasus posisi", exact=True).fill(summary)
    expect(citizen.get_by_label("Tujuan penggunaan informasi", exact=True)).to_have_value("Pengawasan anggaran")
    shot(citizen, artifacts, "02-objection-form")
    assert post_and_wait(citizen, citizen.get_by_role("button", name="Kirim keberatan")) == 303
    expect(citizen).to_have_url(re.compile(rf"/permohonan/{request_id}/keberatan/\d+$"))
    objection_number = citizen.locator("#objection-number").inner_text().strip()
    assert OBJECTION_NUMBER_RE.match(objection_number), objection_number
    assert objection_number.endswith("/IV/2026")
    response_due = citizen.locator("#objection-response-due").inner_text().strip()
    assert DATE_RE.match(response_due), response_due
    expect(citizen.locator("#objection-grounds li")).to_have_count(2)
    expect(citizen.locator("#objection-late")).to_have_count(0)
    shot(citizen, artifacts, "03-objection-receipt")

    # --- 2. Tuesday 7 April: the Atasan PPID overturns and orders the release --------------
    clock.travel_to(wib(7, 10, 4))
    atasan = new_page()
    log_in(atasan, "atasan@pemda.example.id")
    atasan.get_by_role("navigation", name="Menu meja layanan").get_by_role("link", name="Keberatan", exact=True).click()
    expect(atasan).to_have_url(re.compile(r"/meja/keberatan$"))
    row = atasan.get_by_role("row").filter(has_text=objection_number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(response_due)
    expect(row).to_contain_text(request_number)
    shot(atasan, artifacts, "04-atasan-queue")
    row.get_by_role("link", name=objection_number).click()
    expect(atasan).to_have_url(OBJECTION_PAGE)
    objection_id = int(OBJECTION_PAGE.search(atasan.url).group(1))
    expect(atasan.get_by_role("heading", level=1)).to_have_text(objection_number)
    expect(atasan.locator("#objection-main")).to_contain_text(summary)
    panel = atasan.locator("#objection-response")
    panel.get_by_label("Membatalkan keputusan PPID; informasi diberikan seluruhnya", exact=True).check()
    reasons = ("PPID tidak menanggapi permohonan dalam jangka waktu. Informasinya terbuka dan "
               "wajib diberikan seluruhnya.")
    panel.get_by_label("Alasan", exact=True).fill(reasons)
    panel.get_by_label("Informasi diberikan paling lambat", exact=True).fill("2026-04-17")
    shot(atasan, artifacts, "05-response-form")
    assert post_and_wait(atasan, panel.get_by_role("button", name="Terbitkan tanggapan")) == 303
    expect(flash(atasan)).to_contain_text("terbit dan dikirim kepada pemohon")
    response_number = atasan.locator("#response-number").inner_text().strip()
    assert RESPONSE_NUMBER_RE.match(response_number), response_number
    expect(atasan.locator("#objection-response")).to_contain_text(reasons)
    shot(atasan, artifacts, "06-response-issued")

    # --- 3. Wednesday 8 April: the citizen reads it and records the dispute ----------------
    clock.travel_to(wib(8, 10, 4))
    citizen.goto(f"/permohonan/{request_id}")
    answer = citizen.locator(f"#objection-response-{objection_id}")
    expect(answer).to_contain_text(response_number)
    expect(answer).to_contain_text("Membatalkan keputusan PPID; informasi diberikan seluruhnya")
    expect(answer).to_contain_text(reasons)
    dispute = citizen.locator("#sengketa")
    expect(dispute).to_contain_text("Atasan PPID sudah menanggapi keberatan Anda.")
    expect(dispute).to_contain_text("Jangka waktu mengajukan sengketa")
    expect(dispute).to_contain_text("Yang perlu dibawa ke Komisi Informasi")
    shot(citizen, artifacts, "07-citizen-response")
    expect(dispute.get_by_role("heading", name="Saya sudah mengajukan sengketa ke Komisi Informasi")).to_be_visible()
    dispute.get_by_label("Komisi Informasi Provinsi", exact=True).check()
    dispute.get_by_label("Tanggal pengajuan", exact=True).fill("2026-04-08")  # a native date input: the picker gives ISO
    ki_number = "012/IV/KIP-PS/2026"
    dispute.get_by_label("Nomor registrasi dari Komisi Informasi (jika sudah ada)").fill(ki_number)
    assert post_and_wait(citizen, dispute.get_by_role("button", name="Catat pengajuan sengketa")) == 303
    expect(flash(citizen)).to_have_text("Terima kasih. Pengajuan sengketa ke Komisi Informasi sudah dicatat.")
    expect(citizen.locator(f"#ki-number-{objection_id}")).to_have_text(ki_number)
    expect(citizen.locator(f"#ki-start-{objection_id}")).to_contain_text("2026")
    expect(citizen.locator(f"#ki-finish-{objection_id}")).to_contain_text("2026")
    shot(citizen, artifacts, "08-dispute-recorded")

    # --- 4. Thursday 9 April: PPID Utama records the KI's mediation ------------------------
    clock.travel_to(wib(9, 14, 4))
    utama = new_page()
    log_in(utama, "utama@pemda.example.id")
    utama.goto(f"/meja/keberatan/{objection_id}")
    section = utama.locator("#sengketa")
    expect(section).to_contain_text("Komisi Informasi Provinsi")
    expect(section.locator(f"#ki-number-{objection_id}")).to_have_text(ki_number)
    section.get_by_label("Mediasi", exact=True).check()
    section.get_by_label("Tanggal", exact=True).fill("2026-04-09")
    note = "Sidang mediasi pertama di kantor Komisi Informasi Provinsi."
    section.get_by_label("Catatan (tidak wajib)").fill(note)
    assert post_and_wait(utama, section.get_by_role("button", name="Catat tahap")) == 303
    expect(flash(utama)).to_have_text("Tahap sengketa dicatat.")
    # The dispute's one timeline: the filing at the KI, then the stage just recorded.
    entries = utama.locator("#sengketa ol.timeline li")
    expect(entries).to_have_count(2)
    stage = entries.filter(has_text="Mediasi")
    expect(stage).to_have_count(1)
    expect(stage).to_contain_text(note)
    shot(utama, artifacts, "09-dispute-stage")

    citizen.reload()
    expect(citizen.locator("#sengketa ol.timeline li")).to_contain_text(["Mediasi"])
    shot(citizen, artifacts, "10-citizen-dispute")

    # --- 5. What the database holds ---------------------------------------------------------
    db.session.remove()  # the live server committed in its own threads: read afresh
    objection = db.session.get(Objection, objection_id)
    assert objection.number == objection_number
    assert objection.request_id == request_id
    assert objection.grounds == ["c", "g"]
    assert objection.case_summary == summary
    assert (objection.status, objection.decision) == (ObjectionStatus.RESPONDED, ObjectionDecision.OVERTURNED_FULL)
    assert objection.response_number == response_number
    assert objection.release_by == date(2026, 4, 17)
    assert objection.late is False
    with app.test_request_context():
        assert long_date(objection.response_due) == response_due
    assert db.session.get(InformationRequest, request_id).release_due == date(2026, 4, 17)
    disputes = list(db.session.scalars(select(Dispute).where(Dispute.objection_id == objection_id)))
    assert len(disputes) == 1
    record = disputes[0]
    assert (record.level, record.filed_date, record.ki_number) == (DisputeLevel.PROVINSI, date(2026, 4, 8), ki_number)
    assert record.ki_start_due > record.filed_date and record.ki_finish_due > record.ki_start_due
    assert [(s.stage, s.stage_date, s.note) for s in record.stages] == [
        (DisputeStageKind.MEDIATION, date(2026, 4, 9), note)]

    kinds = [event.kind for event in events_for("request", request_id)]
    expected = ["registered", "objection_filed", "objection_responded", "dispute_recorded", "dispute_stage_added"]
    assert [kind for kind in kinds if kind in expected] == expected, kinds
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0
