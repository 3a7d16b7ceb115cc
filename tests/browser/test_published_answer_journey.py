"""Publishing an answer in a real browser (issue 15 item 7): PPID Utama delivers a file, opens
"Umumkan jawaban", is refused next to the field for naming the applicant (the typed text kept),
publishes; a visitor finds the item and its anonymous request summary. Screenshots at 1280 and
360 px; the pages keep the layout rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from ppid_desk.accounts.models import User
from ppid_desk.dip.models import InformationItem
from ppid_desk.extensions import db
from ppid_desk.notices.services import notice_issue
from ppid_desk.routing.models import RoutingTask
from tests.browser.journey import flash, log_in, post_and_wait
from tests.browser.layout import layout_problems
from tests.factories import grant
from tests.helpers import text_pdf

pytestmark = pytest.mark.browser


def test_ppid_utama_publishes_a_delivered_answer_and_a_visitor_reads_its_summary(
        new_page, make_user, make_unit, file_request, artifacts: Path, tmp_path: Path):
    unit = make_unit("DINSOS", "Dinas Sosial")
    utama_user = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="PPID Utama")
    request = file_request(name="Rahmat Hidayat", email="rahmat@example.id",
                           rincian="Data penerima bantuan pangan per kelurahan tahun 2026.")
    db.session.add(RoutingTask(request_id=request.id, unit_id=unit.id, instruction="Siapkan data.",
                               internal_due=request.notice_due, routed_by_id=utama_user.id))
    notice_issue(actor=db.session.scalar(select(User).where(User.email == "utama@pemda.example.id")),
                 item=request, draft=grant(), sent_via="email", notify=False)
    db.session.commit()

    utama: Page = new_page()
    log_in(utama, "utama@pemda.example.id")
    utama.goto(f"/meja/permohonan/{request.id}")
    delivery = utama.locator("#delivery-panel")
    delivery.get_by_label("Berkas untuk diunduh di halaman permohonan").check()
    released = tmp_path / "bantuan-pangan-2026.pdf"
    released.write_bytes(text_pdf("Kelurahan Sukamaju menerima bantuan pangan untuk 412 keluarga."))
    delivery.locator('input[type="file"]').set_input_files(str(released))
    assert post_and_wait(utama, delivery.get_by_role("button", name="Catat penyampaian")) == 303

    action = utama.locator('details[data-action="publish_answer"]')
    action.locator("summary").click()
    panel = utama.locator("#answer-panel")
    panel.get_by_label("Judul informasi").fill("Penerima Bantuan Pangan per Kelurahan 2026")
    panel.get_by_label("Ringkasan isi informasi").fill("Jumlah keluarga penerima bantuan pangan di tiap kelurahan, 2026.")
    panel.get_by_label("Ringkasan permohonan (tanpa identitas pemohon)").fill(
        "Rahmat Hidayat meminta data penerima bantuan pangan per kelurahan.")
    expect(panel.get_by_label("bantuan-pangan-2026.pdf", exact=False)).to_be_checked()
    assert post_and_wait(utama, panel.get_by_role("button", name="Usulkan untuk diumumkan")) == 422
    panel = utama.locator("#answer-panel")
    field = panel.locator(".field-invalid", has=utama.get_by_label("Ringkasan permohonan (tanpa identitas pemohon)"))
    expect(field).to_contain_text("nama pemohon")
    expect(panel.get_by_label("Judul informasi")).to_have_value("Penerima Bantuan Pangan per Kelurahan 2026")
    utama.screenshot(path=str(artifacts / "answer-panel-refused-1280.png"), full_page=True)
    panel.get_by_label("Ringkasan permohonan (tanpa identitas pemohon)").fill(
        "Pemohon meminta data penerima bantuan pangan per kelurahan tahun 2026.")
    panel.get_by_label("Segera setelah disetujui PPID Utama").check()
    assert post_and_wait(utama, panel.get_by_role("button", name="Usulkan untuk diumumkan")) == 303
    expect(flash(utama)).to_contain_text("Jawaban diumumkan")
    item = db.session.scalar(select(InformationItem))
    assert (item.status, item.source_request_id) == ("published", request.id)
    utama.set_viewport_size({"width": 360, "height": 800})
    utama.screenshot(path=str(artifacts / "answer-panel-published-360.png"), full_page=True)

    visitor: Page = new_page(viewport={"width": 360, "height": 800})
    visitor.goto("/informasi?q=keluarga")  # a word only in the PDF
    visitor.get_by_role("link", name="Penerima Bantuan Pangan per Kelurahan 2026").click()
    visitor.get_by_role("link", name="Lihat ringkasan permohonannya").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Permohonan yang dijawab dengan informasi ini")
    expect(visitor.locator("main")).to_contain_text(request.number)
    expect(visitor.locator("main")).not_to_contain_text("Rahmat")
    assert layout_problems(visitor) == []
    visitor.screenshot(path=str(artifacts / "answer-summary-360.png"), full_page=True)
