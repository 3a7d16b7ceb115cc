"""The notice form, its preview, the extension's confirmation and the delivery's document picker
in a real browser (issue 14, item 7), at 1280 px with JavaScript and at 360 px without.

A request received Mon 2 Mar 2026; its unit answered with a document. The PPID Utama extends
(after checking the new date), then chooses an outcome: only that outcome's items show; the
letter is previewed unnumbered, then issued; the delivery ticks the unit's document."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ppid_desk.attachments.models import AttachmentPurpose
from ppid_desk.attachments.services import attachment_stage
from ppid_desk.extensions import db
from ppid_desk.notices.models import WrittenNotice
from ppid_desk.routing.models import RoutingTask
from ppid_desk.routing.services import request_route, task_answer
from tests.browser.journey import flash, log_in, post_and_wait
from tests.factories import at, make_unit, make_user, register_request
from tests.helpers import fresh, pdf_bytes

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
SECTIONS = {"holder": "#holder_body", "exemption": "#ct_harm", "materials": "#materials",
            "redactions": "#redactions", "delivery": "#provide_by"}


def shot(page: Page, artifacts: Path, step: str, panel: str | None = None) -> None:
    """The whole page, and the panel the step is about on its own (easier to look at)."""
    page.screenshot(path=str(artifacts / f"officer-forms-{step}.png"), full_page=True)
    if panel:
        page.locator(panel).screenshot(path=str(artifacts / f"officer-forms-{step}-panel.png"))


def visible_sections(page: Page) -> set[str]:
    panel = page.locator("#notice-panel")
    return {name for name, selector in SECTIONS.items() if panel.locator(selector).is_visible()}


def answered_request(suffix: str):
    utama = make_user(f"utama{suffix}@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    unit = make_unit(f"DISDIK{suffix}", "Dinas Pendidikan")
    pembantu = make_user(f"unit{suffix}@pemda.example.id", roles=("pembantu",), unit=unit, name="Dodi Unit")
    item = register_request(received_at=at(3, 2), email="budi@example.id", notify=False)
    request_route(actor=utama, item=item, unit_ids=[unit.id], instruction="Siapkan DPA 2025.",
                  internal_due=item.notice_due, notify=False)
    task = db.session.scalar(select(RoutingTask).where(RoutingTask.request_id == item.id))
    document = attachment_stage(field="documents", purpose=AttachmentPurpose.UNIT_ANSWER,
                                storage=FileStorage(io.BytesIO(pdf_bytes()), filename="dpa-2025.pdf"))
    task_answer(actor=pembantu, item=item, task=task, answer_text="DPA terlampir.", documents=[document])
    db.session.commit()
    return fresh(item), document.id


@pytest.mark.parametrize("mode", ["desktop-js", "phone-nojs"])
def test_outcome_items_preview_issue_extension_and_delivery(new_page, app, clock, artifacts, mode):
    phone = mode == "phone-nojs"
    clock.travel_to(at(3, 2))
    item, document_id = answered_request("1" if phone else "2")
    clock.travel_to(at(3, 4))
    page = new_page(js=not phone, viewport=PHONE if phone else None)
    log_in(page, f"utama{'1' if phone else '2'}@pemda.example.id")
    page.goto(f"/meja/permohonan/{item.id}")

    # The extension: the first button checks it and shows the new date; the second writes it. The
    # notice is the step due next, so the extension is among the collapsed actions beside it.
    page.locator("#request-actions summary", has_text="Perpanjangan jangka waktu").click()
    extension = page.locator("#extension-panel")
    reason = "Informasi masih dipilah untuk menghitamkan data pribadi siswa."
    extension.get_by_label("Alasan perpanjangan (dikirim kepada pemohon)").fill(reason)
    extension.get_by_label("Lama perpanjangan (hari kerja)").fill("5")
    assert post_and_wait(page, extension.get_by_role("button", name="Periksa perpanjangan")) == 200
    expect(page.locator("#extension-confirm")).to_contain_text(reason)
    new_due = page.locator("#extension-new-due").inner_text()
    assert fresh(item).extended_due is None
    page.locator("#extension-confirm").scroll_into_view_if_needed()
    shot(page, artifacts, f"{mode}-01-extension-confirm", "#extension-panel")
    assert post_and_wait(page, page.get_by_role("button", name=f"Ya, perpanjang sampai {new_due}")) == 303
    expect(flash(page)).to_contain_text(new_due)

    # The notice form: the outcome first; nothing else of its items shows before it is chosen.
    panel = page.locator("#notice-panel")
    assert visible_sections(page) == set()
    for outcome, shown in (("Ditolak", {"exemption"}), ("Tidak dikuasai", {"holder"}),
                           ("Diberikan seluruhnya", {"materials", "delivery"})):
        panel.get_by_label(outcome, exact=True).check()
        if phone:  # without JavaScript: the button re-renders the form for the outcome
            assert post_and_wait(page, panel.get_by_role("button", name="Tampilkan butir untuk keputusan ini")) == 200
            panel = page.locator("#notice-panel")
        else:
            expect(panel.get_by_role("button", name="Tampilkan butir untuk keputusan ini")).to_be_hidden()
        assert visible_sections(page) == shown, outcome
    panel.get_by_label("Ya, informasi dikuasai badan publik ini", exact=True).check()
    panel.get_by_label("d. Informasi yang diberikan", exact=True).fill("DPA Dinas Pendidikan 2025.")
    panel.get_by_label("f. Cara dan format penyampaian informasi", exact=True).fill("Salinan PDF di halaman permohonan.")
    panel.scroll_into_view_if_needed()
    shot(page, artifacts, f"{mode}-02-notice-form-granted", "#notice-panel")

    # The preview: the letter as it will be issued, unnumbered; nothing is issued yet.
    assert post_and_wait(page, panel.get_by_role("button", name="Pratinjau surat")) == 200
    expect(page.locator("#letter-number")).to_have_text("PRATINJAU — belum bernomor")
    expect(page.locator("#notice-letter")).to_contain_text("DPA Dinas Pendidikan 2025.")
    assert db.session.scalar(select(WrittenNotice.id).where(WrittenNotice.request_id == item.id)) is None
    shot(page, artifacts, f"{mode}-03-preview")
    assert post_and_wait(page, page.get_by_role("button", name="Terbitkan pemberitahuan tertulis")) == 303
    number = page.locator("#notice-number").inner_text().strip()
    assert re.match(r"\S+", number) and "PRATINJAU" not in number

    # The delivery ticks the unit's document: no upload.
    delivery = page.locator("#delivery-panel")
    delivery.get_by_label("Berkas untuk diunduh di halaman permohonan", exact=True).check()
    box = delivery.locator(f"#delivery-document-{document_id}")
    expect(box).to_be_visible()
    box.check()
    delivery.scroll_into_view_if_needed()
    shot(page, artifacts, f"{mode}-04-delivery", "#delivery-panel")
    assert post_and_wait(page, delivery.get_by_role("button", name="Catat penyampaian")) == 303
    expect(page.locator("#delivery-panel")).to_contain_text("dpa-2025.pdf")
