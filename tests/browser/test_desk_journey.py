"""The whole life of a request across the officer desk, in a real browser (issue 3, item 17).

A citizen files → a desk officer accepts → PPID Utama routes it to a unit → the unit's officer
answers → PPID Utama extends the deadline, issues a partial grant with a consequence test and
delivers a file → the citizen downloads it. Each actor has its own browser context, logged in
through /masuk. The app's time is moved with the ``clock`` fixture (the live server runs in
this process), never with sleeps.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.notices.models import Delivery, WrittenNotice
from ppid_desk.requests.models import InformationRequest, Outcome, RequestStatus
from ppid_desk.routing.models import RoutingTask, TaskStatus
from ppid_desk.web.formatting import long_date
from tests.browser.journey import flash, log_in, post_and_wait, wib
from tests.helpers import pdf_bytes, png_bytes

pytestmark = pytest.mark.browser

NUMBER_RE = re.compile(r"^\d{4}/PPID/[IVX]+/\d{4}$")
NOTICE_NUMBER_RE = re.compile(r"^\d{4}/PPID-PT/[IVX]+/\d{4}$")
REQUEST_PAGE = re.compile(r"/meja/permohonan/(\d+)(#.*)?$")


def shot(page: Page, artifacts: Path, step: str) -> None:
    page.screenshot(path=str(artifacts / f"desk-journey-{step}.png"), full_page=True)


def open_from_queue(page: Page, number: str) -> int:
    """Find the request's row in the desk queue and open it; returns the request id."""
    page.goto("/meja/")
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=number).click()
    expect(page).to_have_url(REQUEST_PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text(number)
    return int(REQUEST_PAGE.search(page.url).group(1))


def desk_due(page: Page):
    return page.locator("#request-main dt:text-is('Batas pemberitahuan tertulis') + dd").first


def fresh(model, ident):
    db.session.remove()  # the live server committed in its own threads: read afresh
    return db.session.get(model, ident)


def test_request_lifecycle_across_the_desk(new_page, app, make_user, make_unit, clock, runner,
                                           mailbox, tmp_path, artifacts):
    # --- people ----------------------------------------------------------------------------
    disdik = make_unit(code="DISDIK", name="Dinas Pendidikan")
    disdik_id = disdik.id
    make_unit(code="BAPPEDA", name="Badan Perencanaan Pembangunan Daerah")
    citizen_email = "siti@example.id"
    make_user(email=citizen_email, name="Siti Warga")
    make_user(email="petugas@pemda.example.id", name="Dewi Petugas", roles=("petugas",))
    make_user(email="utama@pemda.example.id", name="Rina PPID Utama", roles=("ppid_utama",))
    make_user(email="disdik@pemda.example.id", name="Agus Disdik", roles=("pembantu",), unit=disdik)

    ktp = tmp_path / "ktp-siti.png"
    ktp.write_bytes(png_bytes(3, 3))
    answer_pdf = tmp_path / "dpa-disdik-2025.pdf"
    answer_pdf.write_bytes(pdf_bytes())
    # The delivered file differs from the unit's, so the download check proves which one came back.
    information = pdf_bytes().replace(b"%%EOF", b"% DPA 2025, data pribadi dihitamkan\n%%EOF")
    information_pdf = tmp_path / "dpa-2025-disamarkan.pdf"
    information_pdf.write_bytes(information)

    # --- 1. Monday 2 March 2026, 09:00 WIB: the citizen files online -----------------------
    clock.travel_to(wib(2, 9))
    citizen = new_page()
    log_in(citizen, citizen_email)
    citizen.goto("/permohonan/baru")
    expect(citizen.locator("#email")).to_have_value(citizen_email)
    citizen.get_by_label("Perorangan", exact=True).check()
    for field, value in {
        "nik": "3201014107850002", "address": "Jl. Kenanga No. 7, Kelurahan Sukamaju",
        "occupation": "Guru", "phone": "0812 1111 2222",
        "rincian": "Dokumen pelaksanaan anggaran (DPA) Dinas Pendidikan tahun 2025 beserta daftar penerima bantuan.",
        "tujuan": "Pengawasan penggunaan anggaran pendidikan di kelurahan kami.",
    }.items():
        citizen.locator(f"#{field}").fill(value)
    citizen.get_by_label("Mendapatkan salinan elektronik (softcopy)", exact=True).check()
    citizen.locator("#copy_delivery").get_by_label("E-mail", exact=True).check()
    citizen.locator("#identity_document").set_input_files(ktp)
    citizen.get_by_label("Saya menyatakan bahwa data yang saya isi benar.").check()
    assert post_and_wait(citizen, citizen.get_by_role("button", name="Kirim permohonan")) == 303
    expect(citizen).to_have_url(re.compile(r"/permohonan/\d+/tanda-bukti$"))
    number = citizen.locator("#registration-number").inner_text().strip()
    assert NUMBER_RE.match(number), number
    original_due = citizen.locator("#notice-due").inner_text().strip()
    assert re.search(r"\d{1,2} \w+ 2026", original_due), original_due
    shot(citizen, artifacts, "01-receipt")

    # --- 2. 10:00: the desk officer opens it from the queue and accepts it -----------------
    clock.travel_to(wib(2, 10))
    petugas = new_page()
    log_in(petugas, "petugas@pemda.example.id")
    expect(petugas).to_have_url(re.compile(r"/meja/$"))
    shot(petugas, artifacts, "02-queue")
    request_id = open_from_queue(petugas, number)
    intake = petugas.locator("#intake-panel")
    expect(intake.get_by_role("heading", name="Pemeriksaan kelengkapan")).to_be_visible()
    assert post_and_wait(petugas, intake.get_by_role("button", name="Terima (lengkap)")) == 303
    expect(flash(petugas)).to_have_text("Permohonan diterima sebagai lengkap.")
    expect(petugas.locator("#intake-panel")).to_have_count(0)  # checked once, then gone
    shot(petugas, artifacts, "03-accepted")

    # --- 3. 11:00: PPID Utama routes it to Dinas Pendidikan ---------------------------------
    clock.travel_to(wib(2, 11))
    utama = new_page()
    log_in(utama, "utama@pemda.example.id")
    assert open_from_queue(utama, number) == request_id
    routing = utama.locator("#next-action #disposisi-baru")  # the step due next, open beside the request
    expect(routing).to_contain_text("Permohonan ini belum diteruskan ke unit mana pun.")
    routing.get_by_label("Dinas Pendidikan (DISDIK)", exact=True).check()
    instruction = "Siapkan salinan DPA 2025 dan daftar penerima bantuan; tandai data pribadi."
    routing.get_by_label("Instruksi untuk unit", exact=True).fill(instruction)
    expect(routing.get_by_label("Batas waktu internal unit")).not_to_have_value("")  # proposed
    assert post_and_wait(utama, routing.get_by_role("button", name="Teruskan ke unit")) == 303
    expect(flash(utama)).to_have_text("Permohonan diteruskan ke Dinas Pendidikan.")
    task_card = utama.locator("#disposisi .routing-task")
    expect(task_card).to_have_count(1)
    expect(task_card).to_contain_text(instruction)
    expect(task_card).to_contain_text("Dikerjakan unit")
    shot(utama, artifacts, "04-routed")

    # --- 4. Tuesday 3 March, 10:00: the unit's officer answers with a draft and a PDF -------
    clock.travel_to(wib(3, 10))
    unit = new_page()
    log_in(unit, "disdik@pemda.example.id")
    unit.get_by_role("navigation", name="Menu meja layanan").get_by_role("link", name="Tugas unit").click()
    expect(unit).to_have_url(re.compile(r"/meja/tugas$"))
    task_row = unit.get_by_role("row").filter(has_text=number)
    expect(task_row).to_have_count(1)
    expect(task_row).to_contain_text(instruction)
    shot(unit, artifacts, "05-unit-tasks")
    task_row.get_by_role("link", name=number).click()
    expect(unit).to_have_url(re.compile(r"/meja/tugas/\d+$"))
    answer = unit.locator("#jawab")
    draft = "Terlampir DPA Dinas Pendidikan 2025. Daftar penerima memuat NIK dan alamat siswa."
    answer.get_by_label("Jawaban atau draf informasi", exact=True).fill(draft)
    answer.get_by_label("Dokumen pendukung (boleh lebih dari satu)").set_input_files(answer_pdf)
    assert post_and_wait(unit, answer.get_by_role("button", name="Kirim jawaban ke PPID Utama")) == 303
    expect(flash(unit)).to_have_text("Jawaban dikirim ke PPID Utama.")
    expect(unit.locator("#task-main")).to_contain_text("Dijawab")
    expect(unit.get_by_role("link", name="dpa-disdik-2025.pdf")).to_be_visible()
    expect(unit.locator("#jawab")).to_have_count(0)  # answered: no second answer
    shot(unit, artifacts, "06-task-answered")

    # --- 5. Thursday 5 March (3 working days on): PPID Utama extends the deadline -----------
    clock.travel_to(wib(5, 9))
    utama.reload()
    expect(utama.locator("#disposisi")).to_contain_text(draft)
    # Not the step due next (the notice is): open it from the collapsed actions.
    utama.locator("#request-actions summary", has_text="Perpanjangan jangka waktu").click()
    extension = utama.locator("#extension-panel")
    reason = "Informasi masih dipilah dari data Dinas Pendidikan untuk menghitamkan data pribadi siswa."
    extension.get_by_label("Alasan perpanjangan (dikirim kepada pemohon)").fill(reason)
    extension.get_by_label("Lama perpanjangan (hari kerja)").fill("5")
    assert post_and_wait(utama, extension.get_by_role("button", name="Periksa perpanjangan")) == 200
    confirm = utama.locator("#extension-confirm")  # nothing written yet: the new date to confirm
    expect(confirm).to_contain_text(reason)
    confirmed_due = utama.locator("#extension-new-due").inner_text().strip()
    assert post_and_wait(utama, confirm.get_by_role("button", name=f"Ya, perpanjang sampai {confirmed_due}")) == 303
    expect(flash(utama)).to_contain_text("Jangka waktu diperpanjang sampai")
    expect(utama.locator("#extension-panel")).to_have_count(0)  # only once
    new_due = desk_due(utama).locator("strong").inner_text().strip()
    assert new_due == confirmed_due
    expect(desk_due(utama).locator("s")).to_have_text(original_due)
    assert new_due != original_due
    expect(utama.locator("#request-main")).to_contain_text(reason)
    shot(utama, artifacts, "07-extended-desk")

    citizen.goto(f"/permohonan/{request_id}")
    expect(citizen.locator("#request-status")).to_contain_text(new_due)
    expect(citizen.locator("#extended-due")).to_have_text(new_due)
    expect(citizen.locator("#extension")).to_contain_text(reason)
    shot(citizen, artifacts, "08-extended-citizen")

    # --- 6. Friday 6 March: a partial grant with Pasal 17 and the consequence test ----------
    clock.travel_to(wib(6, 10))
    utama.reload()
    notice_panel = utama.locator("#notice-panel")
    notice_panel.get_by_label("Diberikan sebagian", exact=True).check()
    notice_panel.get_by_label("Ya, informasi dikuasai badan publik ini", exact=True).check()
    notice_panel.get_by_label("huruf h — rahasia pribadi", exact=True).check()
    for label, text in {
        "Dokumen dan informasi yang dikecualikan": "NIK dan alamat siswa penerima bantuan dalam lampiran DPA.",
        "Dasar hukum pengecualian": "Pasal 17 huruf h UU 14/2008 dan UU 27/2022 tentang Pelindungan Data Pribadi.",
        "Akibat (kerugian) jika informasi dibuka": "Data pribadi anak dapat disalahgunakan.",
        "Pertimbangan kepentingan publik": "Kepentingan publik terpenuhi oleh angka anggaran tanpa identitas siswa.",
        "d. Informasi yang diberikan": "DPA Dinas Pendidikan 2025 dan daftar penerima bantuan.",
        "e. Bagian yang dihitamkan dan alasannya": "Kolom NIK dan alamat siswa (rahasia pribadi).",
        "f. Cara dan format penyampaian informasi": "Salinan PDF yang dapat diunduh di halaman permohonan.",
    }.items():
        notice_panel.get_by_label(label, exact=True).fill(text)
    notice_panel.get_by_label("Jangka waktu pengecualian", exact=True).fill("Selama data pribadi tersebut ada")
    notice_panel.get_by_label("g. Jumlah biaya (rupiah)", exact=True).fill("0")
    shot(utama, artifacts, "09-notice-form")
    assert post_and_wait(utama, notice_panel.get_by_role("button", name="Pratinjau surat")) == 200
    expect(utama.locator("#letter-number")).to_have_text("PRATINJAU — belum bernomor")
    expect(utama.locator("#notice-letter")).to_contain_text("Kolom NIK dan alamat siswa")
    assert post_and_wait(utama, utama.get_by_role("button", name="Terbitkan pemberitahuan tertulis")) == 303
    expect(flash(utama)).to_contain_text("Pemberitahuan tertulis")
    notice_number = utama.locator("#notice-number").inner_text().strip()
    assert NOTICE_NUMBER_RE.match(notice_number), notice_number
    expect(utama.locator("#notice-panel")).to_contain_text("Diberikan sebagian · Pasal 17 huruf h")
    shot(utama, artifacts, "10-notice-issued")

    utama.locator("#notice-panel").get_by_role("link", name="Lihat dan cetak surat").click()
    expect(utama.locator("#letter-number")).to_have_text(notice_number)
    expect(utama.locator("#notice-letter")).to_contain_text("Kolom NIK dan alamat siswa")
    shot(utama, artifacts, "11-letter")
    pdf_href = utama.locator("#notice-letter").get_by_role("link", name="Unduh PDF").get_attribute("href")
    letter_pdf = utama.request.get(pdf_href)
    assert letter_pdf.status == 200
    assert letter_pdf.headers["content-type"] == "application/pdf"
    assert letter_pdf.body().startswith(b"%PDF-")
    utama.get_by_role("link", name=f"Kembali ke permohonan {number}").click()
    expect(utama).to_have_url(REQUEST_PAGE)

    # --- 7. Monday 9 March: the information goes out as a file -----------------------------
    clock.travel_to(wib(9, 9))
    utama.reload()
    delivery = utama.locator("#delivery-panel")
    delivery.get_by_label("Berkas untuk diunduh di halaman permohonan", exact=True).check()
    delivery.get_by_label("Berkas informasi", exact=True).set_input_files(information_pdf)
    delivery.get_by_label("Catatan penyampaian").fill("Dikirim lewat halaman permohonan.")
    assert post_and_wait(utama, delivery.get_by_role("button", name="Catat penyampaian")) == 303
    expect(flash(utama)).to_have_text("Penyampaian informasi dicatat dan pemohon diberi tahu.")
    expect(utama.locator("#delivery-panel")).to_contain_text("Berkas untuk diunduh di halaman permohonan")
    expect(utama.locator("#delivery-panel").get_by_role("link", name="dpa-2025-disamarkan.pdf")).to_be_visible()
    expect(utama.locator("#request-main .tag").first).to_have_text("Informasi disampaikan")
    shot(utama, artifacts, "12-delivered")

    # --- 8. The citizen sees the notice and downloads the information ----------------------
    citizen.goto("/permohonan-saya")
    mine = citizen.get_by_role("row").filter(has_text=number)
    expect(mine).to_contain_text("Informasi disampaikan")
    expect(mine).to_contain_text(new_due)
    shot(citizen, artifacts, "13-my-requests")
    mine.get_by_role("link", name=number).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(number)
    written = citizen.locator("#written-notice")
    expect(written).to_contain_text(notice_number)
    expect(written).to_contain_text("Diberikan sebagian")
    expect(written).to_contain_text("Kolom NIK dan alamat siswa (rahasia pribadi).")
    expect(written.get_by_role("heading", name="Alasan pengecualian (uji konsekuensi)")).to_be_visible()
    expect(citizen.locator("#extended-due")).to_have_text(new_due)
    expect(citizen.locator("#request-status")).to_contain_text("Informasi disampaikan")
    shot(citizen, artifacts, "14-citizen-request")
    notice_pdf = citizen.request.get(f"/permohonan/{request_id}/pemberitahuan.pdf")
    assert (notice_pdf.status, notice_pdf.headers["content-type"]) == (200, "application/pdf")
    with citizen.expect_download() as download:
        citizen.locator("#information").get_by_role("link", name="Unduh dpa-2025-disamarkan.pdf").click()
    assert download.value.suggested_filename == "dpa-2025-disamarkan.pdf"
    assert Path(download.value.path()).read_bytes() == information

    # --- 9. What the database holds ---------------------------------------------------------
    item = fresh(InformationRequest, request_id)
    assert item.number == number
    assert item.status == RequestStatus.DELIVERED
    assert item.outcome == Outcome.GRANTED_PARTIAL
    assert item.pasal17_basis == "h"
    assert item.extended_due is not None and item.extended_due > item.notice_due
    assert item.extension_reason == reason
    with app.test_request_context():
        assert long_date(item.extended_due) == new_due
        assert long_date(item.notice_due) == original_due
    notices = list(db.session.scalars(select(WrittenNotice).where(WrittenNotice.request_id == request_id)))
    assert [n.number for n in notices] == [notice_number]
    test = notices[0].consequence_test
    assert test is not None and test.pasal17_letters == ["h"]
    assert test.exemption_period == "Selama data pribadi tersebut ada"
    deliveries = list(db.session.scalars(select(Delivery).where(Delivery.request_id == request_id)))
    assert [d.method for d in deliveries] == ["file"]
    tasks = list(db.session.scalars(select(RoutingTask).where(RoutingTask.request_id == request_id)))
    assert [(t.unit_id, t.status, t.answer_text) for t in tasks] == [(disdik_id, TaskStatus.ANSWERED, draft)]

    kinds = [event.kind for event in events_for("request", request_id)]
    expected = ["registered", "accepted", "routed", "task_answered", "extended", "notice_issued", "delivered"]
    assert [kind for kind in kinds if kind in expected] == expected, kinds
    assert "information_downloaded" in kinds
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0

    # The applicant heard of the extension, the notice and the delivery by e-mail (real SMTP).
    mailbox.wait_for(4)
    subjects = [m["Subject"] for m in mailbox.to(citizen_email)]
    for expected_subject in (f"Perpanjangan jangka waktu permohonan {number}",
                             f"Pemberitahuan tertulis atas permohonan {number}",
                             f"Informasi yang Anda minta ({number}) telah disampaikan"):
        assert expected_subject in subjects, subjects


def test_queue_bulk_routing_assignment_and_saved_filter(new_page, app, make_user, make_unit, file_request, clock,
                                                        artifacts):
    """The queue's tools in a browser (issue 14 item 7): PPID Utama ticks rows and routes them to
    one unit with JavaScript off (a plain form around the table), the refused one named with its
    reason; then saves a filter, assigns a request and filters "assigned to me". The queue reads
    at 360 and 1280 px with the checkboxes (tests/browser/layout.py)."""
    from tests.browser.journey import DESKTOP
    from tests.browser.layout import PHONE, layout_problems_at

    make_unit(code="DISDIK", name="Dinas Pendidikan")
    make_user(email="utama@pemda.example.id", name="Rina PPID Utama", roles=("ppid_utama",))
    clock.travel_to(wib(2, 9))
    first = file_request(name="Ani Wulandari Kusumaningrum", rincian="Salinan kontrak pengadaan laptop sekolah 2025.")
    second = file_request(name="Bambang Setiawan", email="bambang@example.id",
                          rincian="Daftar penerima beasiswa kabupaten tahun ajaran 2025/2026 per kecamatan.")
    issued = file_request(name="Citra Lestari", email="citra@example.id")
    from ppid_desk.dbtypes import utcnow
    from ppid_desk.requests.lifecycle import request_event

    request_event(actor=None, actor_label="uji", item=issued, kind="notice_issued",
                  changes={"status": "notice_issued", "notice_at": utcnow(), "outcome": "granted_full"})
    db.session.commit()
    numbers = {item.id: item.number for item in (first, second, issued)}
    clock.travel_to(wib(2, 10))

    page = new_page(js=False)
    log_in(page, "utama@pemda.example.id")
    page.goto("/meja/?status=semua")
    problems = layout_problems_at(page, (PHONE, DESKTOP))
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.screenshot(path=str(artifacts / f"queue-bulk-{size['width']}.png"), full_page=True)
    assert not problems, "\n".join(problems)
    for number in numbers.values():
        page.get_by_label(f"Pilih {number}", exact=True).check()
    bulk = page.locator("#bulk-form fieldset")
    bulk.get_by_label("Unit PPID Pembantu tujuan").select_option("DISDIK")
    assert post_and_wait(page, bulk.get_by_role("button", name="Teruskan yang dicentang")) == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Hasil disposisi massal")
    expect(page.locator("#bulk-routed")).to_have_text("2 permohonan diteruskan")
    expect(page.locator("#bulk-refused")).to_have_text("1 permohonan tidak diteruskan")
    expect(page.get_by_role("listitem").filter(has_text=numbers[issued.id])).to_contain_text(
        "Pemberitahuan tertulis sudah terbit")
    page.screenshot(path=str(artifacts / "queue-bulk-result.png"), full_page=True)
    db.session.remove()
    routed = db.session.scalars(select(RoutingTask.request_id)).all()
    assert sorted(routed) == sorted([first.id, second.id])

    # back to the queue as it was; save the filter; it is a link above the queue
    page.get_by_role("link", name="Kembali ke antrean").click()
    expect(page).to_have_url(re.compile(r"/meja/\?status=semua$"))
    page.locator("details.save-filter > summary").click()
    page.get_by_label("Nama saringan").fill("Semua status")
    assert post_and_wait(page, page.get_by_role("button", name="Simpan saringan")) == 303
    expect(page.get_by_role("navigation", name="Saringan tersimpan").get_by_role("link", name="Semua status")).to_be_visible()

    # assign the first request to oneself from its page; the queue then filters "assigned to me"
    page.goto(f"/meja/permohonan/{first.id}")
    panel = page.locator("#penugasan")
    panel.get_by_label("Ditugaskan kepada").select_option(label="Rina PPID Utama")
    assert post_and_wait(page, panel.get_by_role("button", name="Simpan penugasan")) == 303
    expect(flash(page)).to_have_text("Permohonan ditugaskan kepada Rina PPID Utama.")
    page.screenshot(path=str(artifacts / "queue-assignment-panel.png"), full_page=False)
    page.goto("/meja/?petugas=saya")
    rows = page.locator("#queue-rows tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(numbers[first.id])
    expect(rows.first).to_contain_text("Rina PPID Utama")
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(artifacts / "queue-assigned-360.png"), full_page=True)
    problems = layout_problems_at(page, (PHONE, DESKTOP))
    assert not problems, "\n".join(problems)
