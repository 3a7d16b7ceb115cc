"""A real office's first day, in a real browser (issue "Ready for a real office", item 11).

On an empty database (no demo), `flask ppid init` installs the body and prints a one-time link;
the administrator sets a password through it, fills the body profile and uploads a logo, imports
the unit tree from a CSV file and invites an officer. The officer follows the e-mailed
invitation, sets a password, logs in, registers a walk-in request and routes it to a kelurahan
from the imported tree. A guest files another request on the public form and withdraws it.
The database, the cached columns and the audit chain are checked at the end.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from ppid_desk.accounts.models import User
from ppid_desk.extensions import db
from ppid_desk.organisation.models import Unit
from ppid_desk.organisation.profile_models import BodyProfile
from ppid_desk.organisation.profile_selectors import body_profile_forget
from ppid_desk.requests.models import Channel, InformationRequest, RequestStatus
from ppid_desk.routing.models import RoutingTask
from tests.browser.journey import PASSWORD, flash, log_in, post_and_wait, wib
from tests.helpers import png_bytes

pytestmark = pytest.mark.browser

BODY = "Pemerintah Kota Sukamaju"
ADMIN_EMAIL = "admin@sukamaju.go.id"
OFFICER_EMAIL = "dewi@sukamaju.go.id"
OFFICER_PASSWORD = "sandi-petugas-baru-9"
GUEST_EMAIL = "budi@example.id"
LINK_RE = re.compile(r"^(http://\S+/atur-sandi/\S+)$", re.MULTILINE)
INVITE_RE = re.compile(r"(http://\S+/undangan/\S+)")
NUMBER_RE = re.compile(r"^\d{4}/PPID/[IVX]+/\d{4}$")
TREE_CSV = """code,name,parent_code,kind
KEC-SKM,Kecamatan Sukamaju,,pembantu
KEL-SKM,Kelurahan Sukamaju,KEC-SKM,pembantu
KEL-CBY,Kelurahan Cibeunying,KEC-SKM,pembantu
KEL-SKM-RW01,RW 01 Kelurahan Sukamaju,KEL-SKM,pembantu
"""


def shot(page: Page, artifacts: Path, step: str) -> None:
    page.screenshot(path=str(artifacts / f"fresh-install-{step}.png"), full_page=True)


def set_password(page: Page, password: str, button: str) -> int:
    page.get_by_label("Kata sandi baru", exact=True).fill(password)
    page.get_by_label("Ulangi kata sandi baru", exact=True).fill(password)
    return post_and_wait(page, page.get_by_role("button", name=button))


def test_a_fresh_installation_serves_its_first_requests(new_page, app, runner, clock, mailbox, tmp_path,
                                                         artifacts):
    # --- 0. Monday 2 March 2026, 08:00 WIB: `flask ppid init` on an empty database ---------
    clock.travel_to(wib(2, 8))
    assert db.session.scalar(select(User.id)) is None  # nothing, not even the demo
    installed = runner.invoke(args=["ppid", "init", "--body-name", BODY, "--admin-email", ADMIN_EMAIL,
                                    "--admin-name", "Sri Admin", "--timezone", "Asia/Jakarta", "--no-input"])
    assert installed.exit_code == 0, installed.output
    link = LINK_RE.search(installed.output).group(1)

    logo = tmp_path / "logo-sukamaju.png"
    logo.write_bytes(png_bytes(32, 32))
    tree = tmp_path / "unit-sukamaju.csv"
    tree.write_text(TREE_CSV, encoding="utf-8")

    # --- 1. The administrator sets a password through the printed link and logs in ----------
    admin = new_page()
    admin.goto(link)
    expect(admin.get_by_role("heading", level=1)).to_have_text("Buat kata sandi baru")
    assert set_password(admin, PASSWORD, "Simpan kata sandi baru") == 303
    expect(flash(admin)).to_have_text("Kata sandi Anda sudah dibuat. Silakan masuk.")
    log_in(admin, ADMIN_EMAIL)
    admin.goto(link)  # the link worked once
    expect(admin.get_by_role("heading", level=1)).not_to_have_text("Buat kata sandi baru")

    # --- 2. The body profile and the logo ---------------------------------------------------
    admin.goto("/meja/admin/profil")
    expect(admin.locator("img.brand-logo")).to_have_count(0)
    form = admin.locator("#profile-form")
    for label, value in {
        "Nama badan publik": BODY,
        "Alamat": "Jl. Merdeka No. 1, Sukamaju 40111",
        "Nama PPID Utama": "Dewi Lestari, S.Sos.",
        "Jabatan PPID Utama": "Kepala Dinas Komunikasi dan Informatika",
        "NIP PPID Utama (tidak wajib)": "19700101 199003 1 001",
        "Nama Atasan PPID": "Drs. Bambang Hartono",
        "Jabatan Atasan PPID": "Sekretaris Daerah",
    }.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_label("Logo baru (tidak wajib)").set_input_files(logo)
    shot(admin, artifacts, "01-profile-form")
    assert post_and_wait(admin, form.get_by_role("button", name="Simpan profil")) == 303
    expect(flash(admin)).to_be_visible()
    header_logo = admin.locator("img.brand-logo")
    expect(header_logo).to_have_count(1)
    logo_answer = admin.request.get(header_logo.get_attribute("src"))
    assert (logo_answer.status, logo_answer.headers["content-type"]) == (200, "image/png")
    assert header_logo.evaluate("img => img.complete && img.naturalWidth") == 32  # the browser drew it
    expect(admin.locator("#profile-history")).to_contain_text("Sri Admin")
    shot(admin, artifacts, "02-profile-saved")

    # --- 3. The unit tree from a file --------------------------------------------------------
    admin.goto("/meja/unit/impor")
    admin.get_by_label(re.compile("^Berkas")).set_input_files(tree)
    assert post_and_wait(admin, admin.get_by_role("button", name="Periksa dan impor")) == 303
    expect(flash(admin)).to_have_text("Impor selesai: 4 unit baru, 0 unit diubah, 0 unit tidak berubah.")
    for name in ("Kecamatan Sukamaju", "Kelurahan Sukamaju", "Kelurahan Cibeunying", "RW 01 Kelurahan Sukamaju"):
        expect(admin.get_by_text(name, exact=False).first).to_be_visible()
    shot(admin, artifacts, "03-units-imported")

    # --- 4. The administrator invites a desk officer who is also PPID Utama -------------------
    admin.goto("/meja/pengguna/undang")
    admin.get_by_label("E-mail dinas", exact=True).fill(OFFICER_EMAIL)
    admin.get_by_label("Nama lengkap", exact=True).fill("Dewi Petugas")
    admin.get_by_label("Petugas layanan informasi", exact=True).check()
    admin.get_by_label("PPID Utama", exact=True).check()
    assert post_and_wait(admin, admin.get_by_role("button", name="Kirim undangan")) == 303
    expect(flash(admin)).to_contain_text(f"Undangan dikirim ke {OFFICER_EMAIL}")
    shot(admin, artifacts, "04-officer-invited")

    # The invitation waits in the outbox for the sender (the administrator's own e-mail too).
    sent = runner.invoke(args=["ppid", "outbox"])
    assert sent.exit_code == 0, sent.output
    [invitation] = mailbox.to(OFFICER_EMAIL)
    invite_link = INVITE_RE.search(invitation.get_content()).group(1)

    # --- 5. 09:00: the officer sets a password, and logs in ---------------------------------
    clock.travel_to(wib(2, 9))
    officer = new_page()
    officer.goto(invite_link)
    expect(officer.get_by_role("heading", level=1)).to_have_text("Buat kata sandi petugas")
    assert set_password(officer, OFFICER_PASSWORD, "Simpan kata sandi dan masuk") == 303
    expect(flash(officer)).to_contain_text("Selamat datang, Dewi Petugas")
    officer.context.clear_cookies()  # a new day at the desk: the real login form
    log_in(officer, OFFICER_EMAIL, OFFICER_PASSWORD)
    expect(officer).to_have_url(re.compile(r"/meja/$"))
    shot(officer, artifacts, "05-officer-queue")

    # --- 6. A walk-in request registered at the desk ---------------------------------------
    officer.goto("/meja/permohonan/baru")
    desk = officer.locator("#desk-register-form")
    desk.get_by_label("Datang langsung ke meja layanan", exact=True).check()
    desk.get_by_label("Perorangan", exact=True).check()
    for field, value in {
        "name": "Asep Warga", "nik": "3273011203800004", "address": "Jl. Cibeunying No. 3, Sukamaju",
        "occupation": "Pedagang", "phone": "0813 2222 3333",
        "rincian": "Daftar penerima bantuan langsung tunai di Kelurahan Sukamaju tahun 2025.",
        "tujuan": "Memastikan keluarga kami terdata.",
    }.items():
        desk.locator(f"#{field}").fill(value)
    desk.get_by_label("Melihat / membaca / mendengarkan / mencatat", exact=True).check()
    assert post_and_wait(officer, desk.get_by_role("button", name="Daftarkan dan cetak tanda bukti")) == 303
    expect(officer).to_have_url(re.compile(r"/permohonan/\d+/tanda-bukti$"))
    walk_in_number = officer.locator("#registration-number").inner_text().strip()
    assert NUMBER_RE.match(walk_in_number), walk_in_number
    shot(officer, artifacts, "06-walk-in-receipt")

    # --- 7. ... accepted and routed to Kelurahan Sukamaju, a unit from the imported file ---------------
    officer.goto("/meja/")
    row = officer.get_by_role("row").filter(has_text=walk_in_number)
    row.get_by_role("link", name=walk_in_number).click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(walk_in_number)
    walk_in_id = int(re.search(r"/meja/permohonan/(\d+)", officer.url).group(1))
    intake = officer.locator("#intake-panel")  # the officer saw the papers: complete
    assert post_and_wait(officer, intake.get_by_role("button", name="Terima (lengkap)")) == 303
    expect(flash(officer)).to_have_text("Permohonan diterima sebagai lengkap.")
    routing = officer.locator("#disposisi-baru")  # PPID Utama's form; the tasks are in #disposisi
    routing.get_by_label(re.compile(r"^\s*Kelurahan Sukamaju \(KEL-SKM\)$")).check()
    routing.get_by_label("Instruksi untuk unit", exact=True).fill("Siapkan daftar penerima BLT 2025.")
    assert post_and_wait(officer, routing.get_by_role("button", name="Teruskan ke unit")) == 303
    expect(flash(officer)).to_have_text("Permohonan diteruskan ke Kelurahan Sukamaju.")
    expect(officer.locator("#disposisi .routing-task")).to_have_count(1)
    shot(officer, artifacts, "07-walk-in-routed")

    # --- 8. 10:00: a guest files online, then withdraws it with a reason ----------------------
    clock.travel_to(wib(2, 10))
    ktp = tmp_path / "ktp-budi.png"
    ktp.write_bytes(png_bytes(3, 3))
    guest = new_page()
    guest.goto("/permohonan/baru")
    guest.get_by_label("Perorangan", exact=True).check()
    for field, value in {
        "name": "Budi Santoso", "nik": "3201011505900001", "address": "Jl. Melati No. 5, Sukamaju",
        "occupation": "Wiraswasta", "phone": "0812 3456 7890", "email": GUEST_EMAIL,
        "rincian": "Rencana kerja Kecamatan Sukamaju tahun 2026.", "tujuan": "Bahan diskusi warga.",
    }.items():
        guest.locator(f"#{field}").fill(value)
    guest.get_by_label("Mendapatkan salinan elektronik (softcopy)", exact=True).check()
    guest.locator("#copy_delivery").get_by_label("E-mail", exact=True).check()
    guest.locator("#identity_document").set_input_files(ktp)
    guest.get_by_label("Saya menyatakan bahwa data yang saya isi benar.").check()
    assert post_and_wait(guest, guest.get_by_role("button", name="Kirim permohonan")) == 303
    receipt = re.search(r"/permohonan/(\d+)/tanda-bukti$", guest.url)
    assert receipt, guest.url
    guest_id = int(receipt.group(1))
    guest_number = guest.locator("#registration-number").inner_text().strip()
    expect(guest.locator(".brand-logo")).to_have_count(1)  # the public header carries the logo too
    shot(guest, artifacts, "08-guest-receipt")

    guest.goto(f"/permohonan/{guest_id}")
    guest.locator("#withdraw-request-link").click()
    expect(guest.get_by_role("heading", level=1)).to_have_text(f"Cabut permohonan {guest_number}?")
    reason = "Informasinya sudah saya peroleh di papan pengumuman kecamatan."
    guest.locator("#withdraw-form textarea").fill(reason)
    assert post_and_wait(guest, guest.get_by_role("button", name="Ya, cabut permohonan")) == 303
    expect(flash(guest)).to_contain_text(f"Permohonan {guest_number} sudah dicabut.")
    expect(guest.locator("#withdrawal-panel")).to_contain_text(reason)
    expect(guest.locator("#withdraw-actions")).to_have_count(0)
    shot(guest, artifacts, "09-guest-withdrawn")

    # --- 9. What the database holds (read afresh: the live server committed in its threads) --
    db.session.remove()
    body_profile_forget()
    profile = db.session.get(BodyProfile, 1)
    assert (profile.name, profile.address) == (BODY, "Jl. Merdeka No. 1, Sukamaju 40111")
    assert (profile.utama_name, profile.utama_nip) == ("Dewi Lestari, S.Sos.", "197001011990031001")
    assert (profile.logo_type, profile.logo_width, profile.logo_height) == ("image/png", 32, 32)
    assert profile.logo == png_bytes(32, 32) or profile.logo.startswith(b"\x89PNG")

    units = {u.code: u for u in db.session.scalars(select(Unit))}
    codes = {u.id: u.code for u in units.values()}
    assert sorted((code, u.name, codes.get(u.parent_id), u.kind) for code, u in units.items()) == [
        ("KEC-SKM", "Kecamatan Sukamaju", "UTAMA", "pembantu"),  # empty parent_code: under PPID Utama
        ("KEL-CBY", "Kelurahan Cibeunying", "KEC-SKM", "pembantu"),
        ("KEL-SKM", "Kelurahan Sukamaju", "KEC-SKM", "pembantu"),
        ("KEL-SKM-RW01", "RW 01 Kelurahan Sukamaju", "KEL-SKM", "pembantu"),
        ("UTAMA", "PPID Utama", None, "utama"),
    ]

    dewi = db.session.scalar(select(User).where(User.email == OFFICER_EMAIL))
    assert dewi.active and dewi.roles == {"petugas", "ppid_utama"}
    assert dewi.email_verified_at is not None and dewi.check_password(OFFICER_PASSWORD)

    walk_in = db.session.get(InformationRequest, walk_in_id)
    assert (walk_in.number, walk_in.channel, walk_in.status) == (
        walk_in_number, Channel.WALK_IN, RequestStatus.ROUTED)
    tasks = list(db.session.scalars(select(RoutingTask).where(RoutingTask.request_id == walk_in_id)))
    assert [task.unit_id for task in tasks] == [units["KEL-SKM"].id]

    withdrawn = db.session.get(InformationRequest, guest_id)
    assert (withdrawn.number, withdrawn.status) == (guest_number, RequestStatus.WITHDRAWN)

    assert [r.number for r in db.session.scalars(select(InformationRequest).order_by(InformationRequest.id))] == [
        walk_in_number, guest_number]
    checked = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert checked.exit_code == 0, checked.output
    verified = runner.invoke(args=["ppid", "audit", "verify"])
    assert verified.exit_code == 0, verified.output
