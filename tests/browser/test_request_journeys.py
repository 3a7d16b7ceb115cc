"""Whole citizen journeys in a real browser, with and without JavaScript.

Each test drives Debian's Chromium against a live server and checks what the citizen sees,
what arrives in their mailbox, and what the database holds afterwards.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from ppid_desk.attachments.models import Attachment, AttachmentPurpose
from ppid_desk.extensions import db
from ppid_desk.requests.models import InformationRequest
from tests.helpers import png_bytes

pytestmark = pytest.mark.browser

NUMBER_RE = re.compile(r"^\d{4}/PPID/[IVX]+/\d{4}$")
RECEIPT_URL = re.compile(r"/permohonan/\d+/tanda-bukti$")
DETAIL_URL = re.compile(r"/permohonan/(\d+)$")
JS_MODES = [pytest.param(True, id="js"), pytest.param(False, id="nojs")]


@dataclass(frozen=True)
class Applicant:
    name: str = "Budi Santoso"
    nik: str = "3201011505900001"
    address: str = "Jl. Melati No. 5, RT 01/RW 02, Kelurahan Sukamaju"
    occupation: str = "Wiraswasta"
    phone: str = "0812 3456 7890"
    email: str = "budi@example.id"
    rincian: str = "Dokumen pelaksanaan anggaran (DPA) Dinas Pendidikan tahun 2025."
    tujuan: str = "Pengawasan penggunaan anggaran pendidikan di kelurahan kami."


GUEST = Applicant()


# --- helpers ------------------------------------------------------------------------------

def write_png(tmp_path: Path, name: str = "ktp-budi.png", size: tuple[int, int] = (2, 2)) -> Path:
    path = tmp_path / name
    path.write_bytes(png_bytes(*size))
    return path


def shot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / name), full_page=True)


def all_requests() -> list[InformationRequest]:
    db.session.remove()  # the live server committed in other threads: read afresh
    return list(db.session.scalars(select(InformationRequest)))


def copy_radio(page: Page, label: str = "Kurir"):
    return page.locator("#copy_delivery").get_by_label(label, exact=True)


def fill_applicant(page: Page, who: Applicant = GUEST, *, skip: tuple[str, ...] = ()) -> None:
    page.get_by_label("Perorangan", exact=True).check()
    fields = {
        "name": who.name, "nik": who.nik, "address": who.address, "occupation": who.occupation,
        "phone": who.phone, "email": who.email, "rincian": who.rincian, "tujuan": who.tujuan,
    }
    for field, value in fields.items():
        if field not in skip:
            page.locator(f"#{field}").fill(value)


def choose_softcopy_by_email(page: Page) -> None:
    page.get_by_label("Mendapatkan salinan elektronik (softcopy)", exact=True).check()
    copy_radio(page, "E-mail").check()


def submit(page: Page) -> int:
    """Press the one primary button; returns the HTTP status of the POST."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_load_state()
    return answer.value.status


def file_request(page: Page, png: Path, who: Applicant = GUEST) -> str:
    """The whole form, filled and sent from /permohonan/baru; returns the registration number."""
    page.goto("/permohonan/baru")
    fill_applicant(page, who)
    choose_softcopy_by_email(page)
    page.locator("#identity_document").set_input_files(png)
    page.get_by_label("Saya menyatakan bahwa data yang saya isi benar.").check()
    assert submit(page) == 303
    expect(page).to_have_url(RECEIPT_URL)
    number = page.locator("#registration-number").inner_text().strip()
    assert NUMBER_RE.match(number), number
    return number


def mail_for(mailbox, address: str, number: str):
    mailbox.wait_for(1)
    messages = [m for m in mailbox.to(address) if number in m.get_content()]
    assert len(messages) == 1, [m["Subject"] for m in mailbox.messages]
    return messages[0]


def assert_receipt(page: Page, app, who: Applicant = GUEST) -> tuple[str, str]:
    """What every receipt must show; returns (number, deadline text)."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Tanda Bukti Permohonan Informasi Publik")
    number = page.locator("#registration-number").inner_text().strip()
    assert NUMBER_RE.match(number), number
    expect(page.locator("dt", has_text="Batas pemberitahuan tertulis")).to_be_visible()
    deadline = page.locator("#notice-due").inner_text().strip()
    assert re.search(r"\d{1,2} \w+ \d{4}", deadline), deadline
    # The NIK is shown masked only: its last four digits, never the whole number.
    nik_shown = page.locator("dt:text-is('NIK') + dd").inner_text().strip()
    assert nik_shown.endswith(who.nik[-4:]) and nik_shown != who.nik, nik_shown
    assert who.nik not in page.content()
    # "Why this date": the day-by-day count is there and opens (a <details>, no script needed).
    why = page.locator("details.explanation")
    why.get_by_text("Mengapa tanggal ini?").click()
    expect(why.get_by_text(f"hari kerja ke-{app.config['NOTICE_WD']}", exact=True)).to_be_visible()
    return number, deadline


def assert_one_request(number: str) -> InformationRequest:
    items = all_requests()
    assert [item.number for item in items] == [number]
    return items[0]


def no_horizontal_scroll(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url}: scrollWidth {scroll_width} > {width}"


# --- 1 & 2. a guest files a request --------------------------------------------------------

@pytest.mark.parametrize("js", JS_MODES)
def test_guest_files_request(js, new_page, app, mailbox, tmp_path, artifacts):
    page = new_page(js=js)
    mode = "js" if js else "nojs"
    png = write_png(tmp_path)

    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Ajukan permohonan").click()
    expect(page).to_have_url(re.compile(r"/permohonan/baru$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajukan permohonan informasi")

    legal = page.locator("#legal_approval_number")
    if js:
        # Sections appear only when they apply.
        expect(copy_radio(page)).to_be_hidden()
        expect(legal).to_be_hidden()
        expect(page.locator("#power_of_attorney")).to_be_hidden()
        expect(page.locator("#nik")).to_be_visible()
        page.get_by_label("Badan hukum", exact=True).check()
        expect(legal).to_be_visible()
        expect(page.locator("#nik")).to_be_hidden()
        page.get_by_label("Perorangan", exact=True).check()
        expect(legal).to_be_hidden()
        page.get_by_label("Permohonan ini diajukan oleh kuasa (wakil) pemohon").check()
        expect(page.locator("#power_of_attorney")).to_be_visible()
        page.get_by_label("Permohonan ini diajukan oleh kuasa (wakil) pemohon").uncheck()
        expect(page.locator("#power_of_attorney")).to_be_hidden()
        page.get_by_label("Melihat / membaca / mendengarkan / mencatat", exact=True).check()
        expect(copy_radio(page)).to_be_hidden()
    else:
        # Without JavaScript nothing is hidden: every field can be filled.
        for selector in ("#nik", "#legal_approval_number", "#representative_name",
                         "#power_of_attorney", "#identity_document"):
            expect(page.locator(selector)).to_be_visible()
        for label in ("Mengambil langsung", "Kurir", "Pos", "Faksimili", "E-mail"):
            expect(copy_radio(page, label)).to_be_visible()

    fill_applicant(page)
    page.get_by_label("Mendapatkan salinan elektronik (softcopy)", exact=True).check()
    expect(copy_radio(page, "E-mail")).to_be_visible()
    copy_radio(page, "E-mail").check()
    page.locator("#identity_document").set_input_files(png)
    page.get_by_label("Saya menyatakan bahwa data yang saya isi benar.").check()
    shot(page, artifacts, f"guest-{mode}-form-filled.png")
    assert submit(page) == 303

    expect(page).to_have_url(RECEIPT_URL)
    number, deadline = assert_receipt(page, app)
    # The print button needs the script: without it, it is not offered ([hidden] beats .button).
    print_button = page.get_by_role("button", name="Cetak tanda bukti")
    (expect(print_button).to_be_visible if js else expect(print_button).to_be_hidden)()
    shot(page, artifacts, f"guest-{mode}-receipt.png")

    message = mail_for(mailbox, GUEST.email, number)
    body = message.get_content()
    assert number in message["Subject"]
    assert deadline in body
    assert GUEST.nik not in body

    item = assert_one_request(number)
    assert item.applicant.email == GUEST.email
    assert item.user_id is None
    assert (item.access_method, item.copy_delivery) == ("salinan_softcopy", "email")
    assert item.applicant.nik == GUEST.nik  # stored (encrypted at rest), shown only masked


# --- 3. a mistake, shown kindly; the upload is kept ----------------------------------------

@pytest.mark.parametrize("js", JS_MODES)
def test_validation_keeps_values_and_upload(js, new_page, app, mailbox, tmp_path, artifacts):
    page = new_page(js=js)
    mode = "js" if js else "nojs"
    png = write_png(tmp_path, "ktp-pertama.png", size=(3, 2))
    wrong = Applicant(nik="12345")

    page.goto("/permohonan/baru")
    fill_applicant(page, wrong, skip=("rincian",))
    choose_softcopy_by_email(page)
    page.locator("#identity_document").set_input_files(png)
    page.get_by_label("Saya menyatakan bahwa data yang saya isi benar.").check()
    assert submit(page) == 422

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Ada yang perlu diperbaiki")
    expect(summary.locator("a[href='#nik']")).to_have_text("NIK terdiri dari 16 angka.")
    expect(summary.locator("a[href='#rincian']")).to_be_visible()
    expect(page.locator("#nik-error")).to_contain_text("NIK terdiri dari 16 angka.")
    expect(page.locator("#rincian-error")).to_contain_text("Jelaskan informasi apa yang Anda minta.")
    expect(page.locator("#nik")).to_have_attribute("aria-invalid", "true")
    if js:
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        expect(copy_radio(page, "E-mail")).to_be_visible()  # still relevant, still shown

    # Everything typed is still there.
    for field in ("name", "address", "occupation", "phone", "email", "tujuan"):
        expect(page.locator(f"#{field}")).to_have_value(getattr(wrong, field))
    expect(page.locator("#nik")).to_have_value("12345")
    expect(page.locator("#rincian")).to_have_value("")
    expect(page.get_by_label("Perorangan", exact=True)).to_be_checked()
    expect(page.get_by_label("Mendapatkan salinan elektronik (softcopy)", exact=True)).to_be_checked()
    expect(copy_radio(page, "E-mail")).to_be_checked()
    expect(page.get_by_label("Saya menyatakan bahwa data yang saya isi benar.")).to_be_checked()
    # The file is not asked for again.
    kept = page.locator("#identity_document-kept")
    expect(kept).to_be_visible()
    expect(kept).to_contain_text("Sudah diterima")
    expect(kept).to_contain_text("ktp-pertama.png")
    shot(page, artifacts, f"validation-{mode}-errors.png")
    assert all_requests() == []

    page.locator("#nik").fill(GUEST.nik)
    page.locator("#rincian").fill(GUEST.rincian)
    assert submit(page) == 303  # no new file chosen
    expect(page).to_have_url(RECEIPT_URL)
    number, _ = assert_receipt(page, app)
    shot(page, artifacts, f"validation-{mode}-receipt.png")

    item = assert_one_request(number)
    assert item.rincian == GUEST.rincian
    attachments = list(db.session.scalars(select(Attachment)))
    assert len(attachments) == 1, "a kept upload must not be stored twice"
    document = attachments[0]
    assert document.request_id == item.id
    assert document.purpose == AttachmentPurpose.IDENTITY_DOCUMENT
    assert document.original_name == "ktp-pertama.png"
    assert document.sha256 == hashlib.sha256(png.read_bytes()).hexdigest()
    mail_for(mailbox, GUEST.email, number)


# --- 4. a citizen with an account ------------------------------------------------------------

def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/masuk")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    with page.expect_response(lambda r: r.request.method == "POST"):
        form.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("navigation").get_by_role("link", name="Permohonan saya")).to_be_visible()


@pytest.mark.parametrize("js", JS_MODES)
def test_citizen_files_request_and_sees_it_in_my_requests(js, new_page, app, make_user, mailbox,
                                                          tmp_path, artifacts):
    mode = "js" if js else "nojs"
    email, password = "siti@example.id", "rahasia-panjang-1"
    user = make_user(email=email, password=password, name="Siti Warga")
    user_id = user.id
    page = new_page(js=js)
    log_in(page, email, password)

    page.goto("/permohonan/baru")
    expect(page.locator("#name")).to_have_value("Siti Warga")
    expect(page.locator("#email")).to_have_value(email)
    shot(page, artifacts, f"citizen-{mode}-form-prefilled.png")

    siti = Applicant(name="Siti Warga", email=email, nik="3201014107850002")
    for field in ("nik", "address", "occupation", "phone", "rincian", "tujuan"):
        page.locator(f"#{field}").fill(getattr(siti, field))
    choose_softcopy_by_email(page)
    page.locator("#identity_document").set_input_files(write_png(tmp_path, "ktp-siti.png"))
    page.get_by_label("Saya menyatakan bahwa data yang saya isi benar.").check()
    assert submit(page) == 303
    expect(page).to_have_url(RECEIPT_URL)
    number, deadline = assert_receipt(page, app, siti)

    page.get_by_role("navigation").get_by_role("link", name="Permohonan saya").click()
    expect(page).to_have_url(re.compile(r"/permohonan-saya$"))
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Terdaftar")
    expect(row).to_contain_text(deadline)
    shot(page, artifacts, f"citizen-{mode}-my-requests.png")
    row.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(number)

    item = assert_one_request(number)
    assert item.user_id == user_id
    assert (item.applicant.name, item.applicant.email) == ("Siti Warga", email)
    mail_for(mailbox, email, number)


# --- 5. the receipt prints on one or two A4 pages ------------------------------------------

def test_receipt_prints_without_site_chrome(page, app, tmp_path, artifacts):
    file_request(page, write_png(tmp_path))
    page.emulate_media(media="print")
    display = "el => getComputedStyle(el).display"
    assert page.locator("header.site-header").evaluate(display) == "none"
    assert page.locator("header.site-header nav").is_hidden()
    assert page.locator("footer.site-footer").evaluate(display) == "none"
    expect(page.get_by_role("link", name="Lihat status permohonan")).to_be_hidden()
    expect(page.locator("#registration-number")).to_be_visible()
    expect(page.get_by_text("Tanda bukti ini dikeluarkan oleh PPID")).to_be_visible()
    shot(page, artifacts, "receipt-print-media.png")

    pdf_path = artifacts / "receipt-print.pdf"
    pdf_path.unlink(missing_ok=True)
    page.pdf(path=str(pdf_path), format="A4", print_background=True)
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    assert 1 <= pages <= 2, f"the receipt prints on {pages} pages"


# --- 6. a small phone ------------------------------------------------------------------------

def test_narrow_screen_has_no_horizontal_scroll(new_page, app, tmp_path, artifacts):
    width = 320
    page = new_page(viewport={"width": width, "height": 640})
    page.goto("/")
    no_horizontal_scroll(page, width)
    shot(page, artifacts, "narrow-320-home.png")

    page.goto("/permohonan/baru")
    no_horizontal_scroll(page, width)
    shot(page, artifacts, "narrow-320-form.png")

    file_request(page, write_png(tmp_path))
    page.locator("details.explanation summary").click()  # the day-by-day table, too
    no_horizontal_scroll(page, width)
    shot(page, artifacts, "narrow-320-receipt.png")


# --- 7. following a request as a guest ------------------------------------------------------

def test_guest_follows_request(new_page, app, mailbox, tmp_path, artifacts):
    filer = new_page()
    number = file_request(filer, write_png(tmp_path))
    request_id = assert_one_request(number).id
    body = mail_for(mailbox, GUEST.email, number).get_content()
    links = re.findall(r"https?://\S+/lacak/\S+", body)
    assert len(links) == 1, body
    tracking_link = links[0]

    # A fresh browser (no session): the link from the e-mail.
    by_link = new_page(js=False)
    by_link.goto(tracking_link)
    expect(by_link).to_have_url(re.compile(rf"/permohonan/{request_id}$"))
    expect(by_link.get_by_role("heading", level=1)).to_have_text(number)
    expect(by_link.locator("#request-status")).to_contain_text("Terdaftar")
    shot(by_link, artifacts, "follow-email-link.png")

    # Another fresh browser: number + e-mail on /lacak; a wrong e-mail first.
    by_lookup = new_page()
    by_lookup.goto("/")
    by_lookup.get_by_role("main").get_by_role("link", name="Lacak permohonan").click()
    expect(by_lookup).to_have_url(re.compile(r"/lacak$"))
    by_lookup.locator("#number").fill(number)
    by_lookup.locator("#email").fill("orang-lain@example.id")
    with by_lookup.expect_response(lambda r: r.request.method == "POST") as answer:
        by_lookup.get_by_role("button", name="Lacak").click()
    assert answer.value.status == 422
    expect(by_lookup.locator(".error-summary")).to_be_visible()
    expect(by_lookup.locator(".field-invalid .field-error")).to_contain_text(
        "Tidak ada permohonan dengan nomor dan e-mail ini")
    expect(by_lookup.locator("#number")).to_have_value(number)
    shot(by_lookup, artifacts, "follow-lookup-wrong-email.png")
    assert by_lookup.goto(f"/permohonan/{request_id}").status == 404  # a wrong guess grants nothing

    by_lookup.goto("/lacak")
    by_lookup.locator("#number").fill(number)
    by_lookup.locator("#email").fill(GUEST.email.upper())  # e-mail case does not matter
    by_lookup.get_by_role("button", name="Lacak").click()
    expect(by_lookup).to_have_url(re.compile(rf"/permohonan/{request_id}$"))
    expect(by_lookup.get_by_role("heading", level=1)).to_have_text(number)
    shot(by_lookup, artifacts, "follow-lookup.png")

    # A third browser with neither link nor lookup sees nothing.
    stranger = new_page()
    assert stranger.goto(f"/permohonan/{request_id}").status == 404
    assert stranger.goto(f"/permohonan/{request_id}/tanda-bukti").status == 404
    expect(stranger.get_by_text(number)).to_have_count(0)
    shot(stranger, artifacts, "follow-stranger-404.png")
