"""Every page of the app, as the people who see it: the tour the accessibility and CSP tests walk.

``seed_site()`` loads the demo body (one login per role, requests in every state) and files one
objection, then returns the ids the page list needs. ``TOUR`` is a list of stops
``(who, path-or-callable, name)``; ``who`` is a role login (a demo e-mail local part) or
``"anonymous"``. One browser context per person, logged in once through the real /masuk form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from ppid_desk.extensions import db
from tests.browser.journey import log_in

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Stop:
    who: str
    path: str
    name: str
    action: Callable[[Page], None] | None = None  # after loading: e.g. submit the form empty
    status: int = 200


def seed_site(app) -> dict:
    """Demo data plus an objection; returns the ids of the pages to visit."""
    from ppid_desk.accounts.models import User
    from ppid_desk.dbtypes import utcnow
    from ppid_desk.demo import DEMO_DOMAIN, demo_seed
    from ppid_desk.objections.filing_services import objection_file
    from ppid_desk.requests.models import InformationRequest, RequestStatus
    from ppid_desk.routing.models import RoutingTask, TaskStatus
    from ppid_desk.workcalendar.models import Holiday

    demo_seed()
    db.session.commit()
    citizen = db.session.scalar(select(User).where(User.email == f"warga@{DEMO_DOMAIN}"))
    own = db.session.scalars(select(InformationRequest).where(
        InformationRequest.user_id == citizen.id).order_by(InformationRequest.id)).all()
    assert len(own) >= 2, "the demo citizen needs two requests"
    objected, objectable = own[0], own[1]
    objection = objection_file(
        actor=citizen, request=objected, grounds=["c"], channel="online", documents=[],
        case_summary="Permohonan saya belum dijawab dalam jangka waktu.", intended_use="Pengawasan",
        representative_name=None, filed_at=utcnow(), notify=False)
    db.session.commit()

    def first(status) -> InformationRequest:
        item = db.session.scalar(select(InformationRequest).where(
            InformationRequest.status == status).order_by(InformationRequest.id))
        assert item is not None, f"the demo has no request in status {status}"
        return item

    task = db.session.scalar(select(RoutingTask).where(RoutingTask.status == TaskStatus.OPEN)
                             .order_by(RoutingTask.id))
    guest = db.session.scalar(select(InformationRequest).where(
        InformationRequest.user_id.is_(None), InformationRequest.channel == "online")
        .order_by(InformationRequest.id))
    holiday = db.session.scalar(select(Holiday).order_by(Holiday.id))
    from ppid_desk.organisation.models import Unit

    unit = db.session.scalar(select(Unit).where(Unit.code == "KEC-SUKAMAJU"))
    officer = db.session.scalar(select(User).where(User.email == f"pembantu.disdik@{DEMO_DOMAIN}"))
    ids = {
        "unit": unit.id,
        "objected": objected.id, "objectable": objectable.id, "objection": objection.id,
        "registered": first(RequestStatus.REGISTERED).id, "routed": first(RequestStatus.ROUTED).id,
        "notice_issued": first(RequestStatus.NOTICE_ISSUED).id, "task": task.id,
        "guest_token": guest.tracking_token, "guest": guest.id,
        "holiday": holiday.id if holiday else None, "year": utcnow().year,
        "demo_domain": DEMO_DOMAIN, "officer": officer.id,
    }
    db.session.remove()
    return ids


def submit_empty(page: Page) -> None:
    """Submit the form with nothing filled in: the page answers 422 with its error summary."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("#request-form").get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_load_state()
    assert answer.value.status == 422
    expect(page.locator(".error-summary")).to_be_visible()


def tour(ids: dict) -> list[Stop]:
    """The pages, grouped by person (the order contexts are opened in)."""
    year = ids["year"]
    stops = [
        Stop(ANONYMOUS, "/", "beranda"),
        Stop(ANONYMOUS, "/permohonan/baru", "formulir permohonan"),
        Stop(ANONYMOUS, "/permohonan/baru", "formulir permohonan: kesalahan", submit_empty),
        Stop(ANONYMOUS, "/lacak", "lacak permohonan"),
        Stop(ANONYMOUS, "/masuk", "masuk"),
        Stop(ANONYMOUS, "/daftar", "daftar akun"),
        Stop(ANONYMOUS, "/daftar/kirim-ulang", "kirim ulang verifikasi"),
        Stop(ANONYMOUS, "/lupa-sandi", "lupa kata sandi"),
        Stop(ANONYMOUS, "/statistik", "statistik publik"),
        Stop(ANONYMOUS, "/hasil-evaluasi", "hasil monev PPID Pembantu"),
        Stop(ANONYMOUS, "/tidak-ada", "halaman tidak ditemukan", status=404),
        Stop(ANONYMOUS, f"/lacak/{ids['guest_token']}", "tautan lacak (tamu)"),
        Stop(ANONYMOUS, f"/permohonan/{ids['guest']}/tanda-bukti", "tanda bukti (tamu)"),
        Stop("warga", "/permohonan-saya", "permohonan saya"),
        Stop("warga", f"/permohonan/{ids['objected']}", "halaman permohonan pemohon"),
        Stop("warga", f"/permohonan/{ids['objected']}/tanda-bukti", "tanda bukti"),
        Stop("warga", f"/permohonan/{ids['objected']}/keberatan/{ids['objection']}", "tanda terima keberatan"),
        Stop("warga", f"/permohonan/{ids['objectable']}/keberatan", "formulir keberatan"),
        Stop("warga", f"/permohonan/{ids['objected']}/keberatan/{ids['objection']}/cabut", "cabut keberatan"),
        Stop("warga", f"/permohonan/{ids['objectable']}/cabut", "cabut permohonan (atau kembali bila sudah dijawab)"),
        Stop("warga", "/akun", "akun saya"),
        Stop("warga", "/akun/kata-sandi", "ganti kata sandi"),
        Stop("warga", "/akun/email", "ganti alamat e-mail"),
        Stop("warga", "/akun/permohonan-tamu", "permohonan tanpa akun"),
        Stop("warga", "/akun/hapus", "hapus akun"),
        Stop("petugas", "/meja/", "antrean"),
        Stop("petugas", f"/meja/permohonan/{ids['registered']}", "permohonan: pemeriksaan kelengkapan"),
        Stop("petugas", "/meja/permohonan/baru", "registrasi permohonan di meja"),
        Stop("petugas", f"/meja/permohonan/{ids['objectable']}/keberatan/baru", "registrasi keberatan di meja"),
        Stop("petugas", "/meja/register/permohonan", "register permohonan"),
        Stop("petugas", "/meja/register/keberatan", "register keberatan"),
        Stop("ppid.utama", "/meja/", "antrean: centang, disposisi massal, penugasan"),
        Stop("ppid.utama", f"/meja/permohonan/{ids['routed']}", "permohonan: disposisi, pemberitahuan, perpanjangan"),
        Stop("ppid.utama", f"/meja/permohonan/{ids['notice_issued']}", "permohonan: penyampaian"),
        Stop("ppid.utama", f"/meja/permohonan/{ids['notice_issued']}/pemberitahuan", "surat pemberitahuan"),
        Stop("ppid.utama", f"/meja/keberatan/{ids['objection']}", "keberatan: tanggapan PPID"),
        Stop("ppid.utama", "/meja/monev", "dasbor monev"),
        Stop("ppid.utama", "/meja/monev/terlambat", "daftar terlambat"),
        Stop("ppid.utama", f"/meja/monev/laporan-tahunan/{year}", "laporan tahunan"),
        Stop("ppid.utama", f"/meja/monev/laporan-tahunan/{year}/cetak", "laporan tahunan (cetak; = versi publik)"),
        Stop("ppid.utama", "/meja/monev/impor", "impor register"),
        Stop("pembantu.disdik", "/meja/tugas", "tugas unit"),
        Stop("atasan", "/meja/keberatan", "antrean keberatan"),
        Stop("atasan", f"/meja/keberatan/{ids['objection']}", "keberatan: tanggapan atasan"),
        Stop("admin", "/meja/kalender", "kalender kerja"),
        Stop("admin", "/meja/admin", "administrasi"),
        Stop("admin", "/meja/admin/profil", "profil badan publik"),
        Stop("admin", "/meja/unit", "unit PPID (pohon)"),
        Stop("admin", f"/meja/unit/{ids['unit']}", "unit PPID: ubah, pindah, nonaktifkan"),
        Stop("admin", "/meja/unit/baru", "unit PPID: tambah"),
        Stop("admin", "/meja/unit/impor", "unit PPID: impor"),
        Stop("admin", "/meja/unit/cari?q=sukamaju", "cari kode unit"),
        Stop("admin", "/meja/pengguna", "pengguna dan petugas"),
        Stop("admin", "/meja/pengguna/undang", "undang petugas"),
        Stop("admin", f"/meja/pengguna/{ids['officer']}", "halaman petugas"),
        Stop("admin", "/meja/pengguna/impor", "impor petugas"),
    ]
    if ids["holiday"]:
        stops.append(Stop("admin", f"/meja/kalender/libur/{ids['holiday']}", "ubah hari libur"))
    return stops


def task_stop(app, ids: dict) -> Stop:
    """The unit officer's task page (the task's unit decides who may open it)."""
    from ppid_desk.routing.models import RoutingTask

    task = db.session.get(RoutingTask, ids["task"])
    code = task.unit.code
    db.session.remove()
    local = {"DISDIK": "pembantu.disdik", "DINKES": "pembantu.dinkes", "DPUPR": "pembantu.dpupr",
             "KEC-SUKAMAJU": "pembantu.sukamaju"}[code]
    return Stop(local, f"/meja/tugas/{ids['task']}", "tugas unit: jawab")


def sign_in(page: Page, email: str) -> None:
    """Log in as a demo user (every demo login shares one password)."""
    from ppid_desk.demo import DEMO_PASSWORD

    log_in(page, email, DEMO_PASSWORD)


def walk(stops: list[Stop], open_context: Callable[[], BrowserContext], domain: str,
         before: Callable[[Stop], None] | None = None) -> Iterator[tuple[Stop, Page, list[str]]]:
    """Visit each stop with one page per person (signed in once).

    Yields after each load with the problems of the visit itself (an unexpected status).
    """
    pages: dict[str, Page] = {}
    for stop in stops:
        page = pages.get(stop.who)
        if page is None:
            page = pages[stop.who] = open_context().new_page()
            if stop.who != ANONYMOUS:
                sign_in(page, f"{stop.who}@{domain}")
        if before:
            before(stop)
        response = page.goto(stop.path)
        status = response.status if response else None
        if status != stop.status:
            yield stop, page, [f"{stop.name} ({stop.who} {stop.path}): HTTP {status}, expected {stop.status}"]
            continue
        if stop.action:
            stop.action(page)
        yield stop, page, []
