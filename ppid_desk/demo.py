"""Demo data for `make run`: an example public body, one login per role, requests in every state.

``demo_seed()`` is idempotent: units are found by code, users by e-mail and requests by their
rincian informasi among applicants at the demo domain, so a second run creates and changes
nothing. Requests go through ``request_register`` (real numbers, clocks, events) with receipt
dates counted back in working days from today, so the desk always shows some requests overdue,
some due soon and some on track, whatever the day the demo is seeded.

Every demo address is at ``@demo.ppid.example`` (the ``.example`` top-level domain is reserved
and never delivers), and demo requests are registered with ``notify=False``: no receipt e-mails
are queued for them, so `make run` does not print a dozen receipts at start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from .accounts.models import Role, User, UserRole
from .dbtypes import utcnow
from .extensions import db
from .notices.models import DeliveryMethod
from .notices.services import (
    ConsequenceTestDraft,
    DeliveryDraft,
    NoticeDraft,
    delivery_record,
    notice_issue,
    request_close,
)
from .organisation.models import Unit, UnitKind
from .organisation.profile_selectors import body_timezone
from .requests.models import (
    AccessibilityNeed,
    AccessMethod,
    Applicant,
    ApplicantKind,
    Channel,
    CopyDelivery,
    InformationRequest,
    Outcome,
)
from .requests.services import ApplicantDetails, RequestDetails, request_register
from .routing.models import RoutingTask, TaskStatus
from .routing.services import default_internal_due, request_route, task_answer, task_return
from .workcalendar.selectors import local_date
from .workcalendar.services import calendar_years_ensure_around, deadline_calendar

DEMO_DOMAIN = "demo.ppid.example"
DEMO_PASSWORD = "demo-ppid-2026"  # documented in README and printed by `make run`
UTAMA_CODE = "UTAMA"


# --- the example body ----------------------------------------------------------------------

@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str = UnitKind.PEMBANTU
    parent: str = UTAMA_CODE  # the parent's code (ignored for PPID Utama, the root)
    head_name: str | None = None
    head_position: str | None = None
    issues_notices: bool = False  # a PPID Pelaksana that issues its own written notices

    @property
    def email(self) -> str:
        return f"ppid.{self.code.lower()}@{DEMO_DOMAIN}"


# Parents before their children. Kecamatan Sukamaju is a PPID Pelaksana: it issues the written
# notices for the requests routed to it (and to nothing else); its kelurahan hangs under it.
UNITS = (
    UnitSpec(UTAMA_CODE, "PPID Utama — Dinas Komunikasi dan Informatika", UnitKind.UTAMA,
             head_name="Dra. Sri Wahyuni, M.Si.", head_position="Kepala Dinas Komunikasi dan Informatika"),
    UnitSpec("DISDIK", "Dinas Pendidikan", head_name="Drs. Ahmad Fauzi", head_position="Sekretaris Dinas Pendidikan"),
    UnitSpec("DINKES", "Dinas Kesehatan", head_name="dr. Maya Kartika, M.Kes.",
             head_position="Sekretaris Dinas Kesehatan"),
    UnitSpec("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", head_name="Ir. Budi Hartono, M.T.",
             head_position="Sekretaris Dinas Pekerjaan Umum dan Penataan Ruang"),
    UnitSpec("KEC-SUKAMAJU", "Kecamatan Sukamaju", head_name="Rudi Hermawan, S.IP.",
             head_position="Sekretaris Kecamatan Sukamaju", issues_notices=True),
    UnitSpec("KEL-SUKAMAJU", "Kelurahan Sukamaju", parent="KEC-SUKAMAJU", head_name="Asep Saepudin",
             head_position="Sekretaris Kelurahan Sukamaju"),
)


@dataclass(frozen=True)
class UserSpec:
    local_part: str
    name: str
    roles: tuple[str, ...]
    unit: str | None = None
    phone: str | None = None

    @property
    def email(self) -> str:
        return f"{self.local_part}@{DEMO_DOMAIN}"


USERS = (
    UserSpec("warga", "Siti Rahmawati", (Role.PEMOHON,), phone="0812 2345 6789"),
    UserSpec("petugas", "Agus Setiawan", (Role.PETUGAS,), UTAMA_CODE, "022 4200 100"),
    UserSpec("ppid.utama", "Dewi Lestari, S.Sos.", (Role.PPID_UTAMA,), UTAMA_CODE, "022 4200 101"),
    UserSpec("pembantu.disdik", "Yusuf Hidayat", (Role.PEMBANTU,), "DISDIK"),
    UserSpec("pembantu.dinkes", "dr. Nurul Aini", (Role.PEMBANTU,), "DINKES"),
    UserSpec("pembantu.dpupr", "Ir. Eko Prasetyo", (Role.PEMBANTU,), "DPUPR"),
    UserSpec("pembantu.sukamaju", "Wahyu Nugroho", (Role.PEMBANTU,), "KEC-SUKAMAJU"),
    UserSpec("atasan", "Drs. Bambang Wijaya, M.Si.", (Role.ATASAN,)),
    UserSpec("pengawas", "Ratna Sari Dewi", (Role.PENGAWAS,)),
    UserSpec("admin", "Hendra Gunawan", (Role.ADMIN,)),
)


# --- requests ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """A later state change, `wd` working days after the receipt date, at a local time."""

    kind: str  # routed | task_answered | task_returned | notice_issued | delivered | closed
    wd: int
    at: time = time(10, 0)
    unit: str | None = None  # routed, task_answered, task_returned
    instruction: str | None = None  # routed
    outcome: str | None = None  # notice_issued
    reply: str | None = None  # the unit's answer (task_answered) or reason (task_returned)
    # delivered: the released PDF (title, text), delivered as a file and published as an answer
    # in the Daftar Informasi Publik (the demo shows an item with its anonymous request summary)
    published: tuple[str, str] | None = None


@dataclass(frozen=True)
class RequestSpec:
    rincian: str
    tujuan: str
    applicant: ApplicantDetails | None  # None: the demo citizen's own account
    wd_ago: int | None  # receipt this many working days before today (None: last December)
    at: time
    channel: str = Channel.ONLINE
    access_method: str = AccessMethod.SALINAN_SOFTCOPY
    copy_delivery: str | None = CopyDelivery.EMAIL
    steps: tuple[Step, ...] = field(default_factory=tuple)
    accessibility_needs: tuple[str, ...] = ()
    accessibility_note: str | None = None


def _guest(name: str, local_part: str, *, kind: str = ApplicantKind.PERORANGAN, nik: str | None = None,
           legal: str | None = None, representative: str | None = None, address: str,
           occupation: str, phone: str) -> ApplicantDetails:
    return ApplicantDetails(kind=str(kind), name=name, nik=nik, legal_approval_number=legal,
                            representative_name=representative, address=address,
                            occupation=occupation, phone=phone, email=f"{local_part}@{DEMO_DOMAIN}")


CITIZEN_APPLICANT = dict(
    kind=str(ApplicantKind.PERORANGAN), nik="3273015708900002", legal_approval_number=None,
    representative_name=None, address="Jl. Kenanga No. 12, RT 03/RW 05, Kelurahan Sukamaju",
    occupation="Guru honorer",
)

REQUESTS = (
    RequestSpec(
        "Salinan Dokumen Pelaksanaan Anggaran (DPA) Dinas Pendidikan Tahun Anggaran 2026.",
        "Bahan diskusi komite sekolah tentang alokasi dana pendidikan di kelurahan kami.",
        None, 2, time(9, 12),
    ),
    RequestSpec(
        "Data jumlah kasus demam berdarah dengue (DBD) per kelurahan di Kecamatan Sukamaju, "
        "Januari 2025 sampai sekarang.",
        "Penyusunan rencana kerja bakti pemberantasan sarang nyamuk tingkat RW.",
        None, 9, time(14, 40),
        steps=(Step("routed", 1, time(9, 30), "DINKES",
                    "Mohon siapkan data kasus DBD per kelurahan dari surveilans puskesmas."),),
    ),
    RequestSpec(
        "Laporan realisasi Dana Alokasi Khusus (DAK) fisik bidang pendidikan tahun 2025.",
        "Pemantauan pembangunan ruang kelas baru di SD negeri wilayah Sukamaju.",
        None, 28, time(10, 5),
        steps=(
            Step("routed", 1, time(9, 0), "DISDIK", "Mohon siapkan laporan realisasi DAK fisik 2025."),
            Step("task_answered", 5, time(14, 0), "DISDIK",
                 reply="Laporan realisasi DAK fisik bidang pendidikan 2025 sudah final dan dapat diberikan "
                       "seluruhnya; berkas PDF dikirim lewat surat dinas."),
            Step("notice_issued", 7, time(15, 0), outcome=Outcome.GRANTED_FULL),
            Step("delivered", 9, time(10, 30), published=(
                "Realisasi DAK Fisik Bidang Pendidikan 2025",
                "Realisasi Dana Alokasi Khusus fisik bidang pendidikan tahun anggaran 2025: pembangunan 18 ruang "
                "kelas baru dan rehabilitasi 24 ruang kelas SD negeri, pagu Rp 9.450.000.000, realisasi "
                "Rp 9.118.250.000 (96,5 persen).")),
        ),
    ),
    RequestSpec(
        "Daftar penerima beasiswa daerah tahun 2026 beserta kriteria dan hasil seleksinya.",
        "Memastikan anak kami dinilai dengan kriteria yang sama dengan pendaftar lain.",
        _guest("Budi Santoso", "budi.santoso", nik="3201011505900001",
               address="Jl. Melati No. 5, RT 01/RW 02, Kelurahan Sukamaju",
               occupation="Wiraswasta", phone="0812 3456 7890"),
        13, time(11, 20),
    ),
    RequestSpec(
        "Dokumen kontrak dan addendum pekerjaan peningkatan Jalan Sukamaju–Cibeureum tahun 2026.",
        "Kajian pengawasan mutu pekerjaan jalan oleh masyarakat sipil.",
        _guest("Perkumpulan Pemantau Anggaran Daerah", "pemantau.anggaran", kind=ApplicantKind.BADAN_HUKUM,
               legal="AHU-0012345.AH.01.07.TAHUN 2019",
               address="Jl. Pahlawan No. 21, Kota Contoh", occupation="Organisasi masyarakat sipil",
               phone="022 7301 234"),
        12, time(13, 5),
        steps=(Step("routed", 2, time(10, 15), "DPUPR",
                    "Mohon siapkan kontrak dan seluruh addendum paket jalan Sukamaju–Cibeureum."),),
    ),
    RequestSpec(
        "Peraturan Wali Kota tentang tarif retribusi pelayanan pasar yang berlaku saat ini.",
        "Mengetahui besaran retribusi kios yang sah.",
        _guest("Ahmad Fauzi", "ahmad.fauzi", nik="3204120302850003",
               address="Pasar Sukamaju Blok B No. 7", occupation="Pedagang", phone="0813 2211 4455"),
        1, time(10, 45), channel=Channel.WALK_IN, access_method=AccessMethod.MELIHAT, copy_delivery=None,
        accessibility_needs=(AccessibilityNeed.BLIND.value,),
        accessibility_note="Penglihatan lemah: mohon dokumen dibacakan atau dicetak dengan huruf besar.",
    ),
    RequestSpec(
        "Data alokasi dan realisasi pupuk bersubsidi per kelompok tani di Kecamatan Sukamaju, "
        "musim tanam 2026.",
        "Mencocokkan jatah pupuk anggota kelompok dengan yang diterima.",
        _guest("Kelompok Tani Sumber Rejeki", "sumber.rejeki", kind=ApplicantKind.KELOMPOK,
               nik="3204121708700004", representative="Slamet Riyadi",
               address="Dusun Cikaret, Desa Sukamaju", occupation="Petani", phone="0852 1122 3344"),
        8, time(8, 30), channel=Channel.LETTER, access_method=AccessMethod.SALINAN_HARDCOPY,
        copy_delivery=CopyDelivery.AMBIL_LANGSUNG,
        steps=(
            Step("routed", 2, time(11, 0), "KEC-SUKAMAJU",
                 "Mohon koordinasikan dengan penyuluh pertanian dan siapkan data per kelompok."),
            Step("task_answered", 6, time(13, 30), "KEC-SUKAMAJU",
                 reply="Data alokasi dan realisasi pupuk bersubsidi per kelompok tani musim tanam 2026 "
                       "sudah direkap bersama penyuluh; nama anggota perorangan tidak dicantumkan."),
        ),
    ),
    RequestSpec(
        "Rekapitulasi pengadaan obat dan bahan medis habis pakai RSUD Kota Contoh tahun 2025.",
        "Bahan liputan tentang ketersediaan obat di rumah sakit daerah.",
        _guest("Rina Marlina", "rina.marlina", nik="3273026304920005",
               address="Jl. Diponegoro No. 40, Kota Contoh", occupation="Jurnalis",
               phone="0811 9876 5432"),
        15, time(16, 10), channel=Channel.EMAIL,
        steps=(
            Step("routed", 1, time(9, 0), "DINKES", "Mohon siapkan rekap pengadaan obat dan BMHP 2025."),
            Step("task_answered", 7, time(10, 0), "DINKES",
                 reply="Rekap terlampir. Harga satuan dari penyedia dalam proses negosiasi kontrak payung "
                       "sebaiknya dihitamkan (Pasal 17 huruf b)."),
            Step("notice_issued", 9, time(14, 20), outcome=Outcome.GRANTED_PARTIAL),
        ),
    ),
    RequestSpec(
        "Salinan izin lingkungan dan dokumen AMDAL pembangunan pusat perbelanjaan di Jalan Merdeka.",
        "Persiapan tanggapan warga atas rencana perluasan bangunan.",
        _guest("CV Karya Mandiri", "karya.mandiri", kind=ApplicantKind.BADAN_HUKUM,
               legal="AHU-0045678-AH.01.14 Tahun 2021",
               address="Jl. Merdeka No. 88, Kota Contoh", occupation="Jasa konsultansi",
               phone="022 7208 765"),
        40, time(9, 55),
        steps=(
            Step("routed", 1, time(13, 0), "DPUPR", "Mohon periksa apakah dokumen ini dikuasai dinas."),
            Step("task_answered", 9, time(15, 0), "DPUPR",
                 reply="Dinas PUPR tidak menguasai izin lingkungan maupun dokumen AMDAL ini; keduanya "
                       "diterbitkan dan disimpan Dinas Lingkungan Hidup."),
            Step("notice_issued", 12, time(10, 0), outcome=Outcome.NOT_HELD),
        ),
    ),
    RequestSpec(
        "Jadwal dan anggaran pemeliharaan saluran drainase di Kelurahan Sukamaju tahun 2026.",
        "Warga RW 07 mengalami banjir setiap musim hujan dan ingin mengusulkan perbaikan.",
        _guest("Yanti Susilawati", "yanti.susilawati", nik="3204125511880006",
               address="Jl. Anggrek No. 3, RT 02/RW 07, Kelurahan Sukamaju",
               occupation="Ibu rumah tangga", phone="0857 3344 5566"),
        10, time(15, 30), channel=Channel.EMAIL,
        steps=(
            Step("routed", 1, time(10, 0), "KEC-SUKAMAJU",
                 "Mohon siapkan jadwal dan anggaran pemeliharaan drainase kelurahan 2026."),
            Step("task_returned", 3, time(9, 45), "KEC-SUKAMAJU",
                 reply="Saluran drainase di RW 07 adalah saluran sekunder yang dipelihara Dinas PUPR, "
                       "bukan kecamatan. Mohon dialihkan ke Dinas PUPR."),
        ),
    ),
    RequestSpec(
        "Daftar sekolah penerima bantuan rehabilitasi gedung tahun 2025 dan nilai bantuannya.",
        "Tugas akhir mahasiswa tentang pemerataan sarana pendidikan.",
        _guest("Dedi Kurniawan", "dedi.kurniawan", nik="3273011010010007",
               address="Jl. Cempaka No. 9, Kota Contoh", occupation="Mahasiswa", phone="0878 6655 4433"),
        None, time(10, 0), channel=Channel.WALK_IN, access_method=AccessMethod.SALINAN_HARDCOPY,
        copy_delivery=CopyDelivery.AMBIL_LANGSUNG,
        steps=(
            Step("routed", 1, time(9, 15), "DISDIK", "Mohon siapkan daftar penerima bantuan rehabilitasi 2025."),
            Step("task_answered", 4, time(11, 0), "DISDIK",
                 reply="Daftar 42 sekolah penerima bantuan rehabilitasi 2025 beserta nilai bantuannya terlampir."),
            Step("notice_issued", 6, time(14, 0), outcome=Outcome.GRANTED_FULL),
            Step("delivered", 8, time(11, 0)),
            Step("closed", 8, time(11, 30)),
        ),
    ),
)


# --- seeding -------------------------------------------------------------------------------

def _units() -> tuple[dict[str, Unit], int]:
    found = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_([s.code for s in UNITS])))}
    created = 0
    for spec in UNITS:  # parents first, so every unit can point at its parent
        if spec.code in found:
            continue
        parent = None if spec.kind == UnitKind.UTAMA else found[spec.parent]
        unit = Unit(code=spec.code, name=spec.name, kind=str(spec.kind), parent=parent, active=True,
                    head_name=spec.head_name, head_position=spec.head_position, email=spec.email,
                    issues_notices=spec.issues_notices)
        db.session.add(unit)
        found[spec.code] = unit
        created += 1
    db.session.flush()
    return found, created


DEMO_HOURS = tuple((weekday, time(8), time(16), time(12), time(13)) for weekday in range(4)) + (
    (4, time(8), time(16, 30), time(11, 30), time(13)),)  # Friday: a longer break for Friday prayers


def _profile() -> int:
    """The example body's profile, from the configuration defaults, once."""
    from .organisation.profile_selectors import body_profile_row
    from .organisation.profile_services import body_profile_create

    if body_profile_row() is not None:
        return 0
    config = current_app.config
    body_profile_create(
        actor=None, actor_label="Data contoh", name=config["BODY_NAME"], address=config["BODY_ADDRESS"],
        timezone=config["BODY_TIMEZONE"], hours=DEMO_HOURS, short_name="Pemkot Contoh", phone="(022) 420 0100",
        email=f"ppid@{DEMO_DOMAIN}", website="https://ppid.contoh.example",
        utama_name="Dewi Lestari, S.Sos.", utama_position="Kepala Dinas Komunikasi dan Informatika",
        utama_nip="197805122005012003", atasan_name="Drs. Bambang Wijaya, M.Si.",
        atasan_position="Sekretaris Daerah Kota Contoh", atasan_nip="196803151994031004")
    _tariff()
    return 1


# The example fee tariff (tarif biaya), set by one decree: copies, media, postage by zone.
DEMO_TARIFF = (("copy", "A4 hitam-putih", 500), ("copy", "A4 berwarna", 1500), ("copy", "F4/folio hitam-putih", 600),
               ("copy", "A3 hitam-putih", 1000), ("medium", "CD/DVD", 10000), ("medium", "Flashdisk 8 GB", 60000),
               ("postage", "Dalam kota", 15000), ("postage", "Dalam provinsi", 25000),
               ("postage", "Luar provinsi", 45000))


def _tariff() -> None:
    """The example body's published tariff, created with its profile."""
    from .organisation.tariff_services import TariffDraft, tariff_line_create

    for kind, name, price in DEMO_TARIFF:
        tariff_line_create(actor=None, draft=TariffDraft(
            kind=kind, name=name, price=price, decree_date=date(2025, 12, 15), effective_from=date(2026, 1, 1),
            decree_number="Keputusan Kepala Dinas Komunikasi dan Informatika Nomor 500.12/118/Diskominfo/2025"))


def _users(units: dict[str, Unit]) -> tuple[dict[str, User], int]:
    emails = [s.email for s in USERS]
    found = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    created = 0
    password_hash = None
    for spec in USERS:
        if spec.email in found:
            continue
        if password_hash is None:  # one published password: hash it once (scrypt is slow on purpose)
            probe = User()
            probe.set_password(DEMO_PASSWORD)
            password_hash = probe.password_hash
        user = User(email=spec.email, name=spec.name, phone=spec.phone,
                    unit=units[spec.unit] if spec.unit else None, email_verified_at=utcnow(), active=True)
        user.password_hash = password_hash
        user.role_rows = [UserRole(role=str(role)) for role in spec.roles]
        db.session.add(user)
        found[spec.email] = user
        created += 1
    db.session.flush()
    return found, created


def _at(day: date, at: time) -> datetime:
    zone = ZoneInfo(body_timezone())
    return datetime.combine(day, at, zone).astimezone(UTC)


def _existing_demo_rincian() -> set[str]:
    return set(db.session.scalars(
        select(InformationRequest.rincian).join(Applicant)
        .where(Applicant.email.like(f"%@{DEMO_DOMAIN}"))
    ))


def _apply_steps(item: InformationRequest, spec: RequestSpec, calendar, people: dict[str, User],
                 units: dict[str, Unit], now: datetime) -> None:
    """Move a registered request along its demo history: cached columns plus one event each."""
    utama = people[f"ppid.utama@{DEMO_DOMAIN}"]
    petugas = people[f"petugas@{DEMO_DOMAIN}"]
    for step in spec.steps:
        at = min(_at(calendar.add_working_days(item.receipt_date, step.wd), step.at), now)
        if step.kind in ROUTING_STEPS:
            _apply_routing_step(item, step, at, calendar, people, units)
            continue
        if step.kind == "notice_issued":
            notice_issue(actor=utama, item=item, draft=DEMO_NOTICES[step.outcome], at=at, notify=False)
        elif step.kind == "delivered" and step.published:
            _deliver_and_publish(item, step.published, at=at, petugas=petugas, utama=utama, units=units)
        elif step.kind == "delivered":
            delivery_record(actor=petugas, item=item, at=at, notify=False, draft=DeliveryDraft(
                method=DeliveryMethod.LINK.value, link_url="https://ppid.kotacontoh.example/dokumen/demo",
                note="Tautan unduhan dikirim melalui e-mail."))
        elif step.kind == "closed":
            request_close(actor=utama, item=item, at=at, notify=False)
        else:  # pragma: no cover - a typo in the specs above
            raise ValueError(f"unknown demo step {step.kind!r}")
    db.session.flush()


def _deliver_and_publish(item: InformationRequest, released: tuple[str, str], *, at: datetime, petugas: User,
                         utama: User, units: dict[str, Unit]) -> None:
    """Deliver the released PDF as a file, then publish the answer (PPID Utama: approved at once)."""
    import io

    from werkzeug.datastructures import FileStorage

    from .attachments.models import AttachmentPurpose
    from .attachments.services import attachment_stage
    from .dip.answer_selectors import request_units
    from .dip.answer_services import TIMING_NOW, AnswerDraft, answer_publish

    title, text = released
    name = "-".join(title.lower().split()[:5]) + ".pdf"
    pdf = attachment_stage(field="files", purpose=AttachmentPurpose.INFORMATION,
                           storage=FileStorage(io.BytesIO(_demo_pdf(title, text)), name))
    delivery_record(actor=petugas, item=item, at=at, notify=False, files=[pdf],
                    draft=DeliveryDraft(method=DeliveryMethod.FILE.value, note="Diunduh di halaman permohonan."))
    db.session.flush()
    answer_publish(actor=utama, request=item, today=local_date(at), delay_days=0, draft=AnswerDraft(
        title=title, summary=text, request_summary="Pemohon meminta laporan realisasi DAK fisik bidang pendidikan "
        "tahun 2025 untuk memantau pembangunan ruang kelas SD negeri.",
        unit_id=(request_units(item.id) or [units["DISDIK"]])[0].id, document_ids=(pdf.id,), timing=TIMING_NOW))


ROUTING_STEPS = frozenset({"routed", "task_answered", "task_returned"})

# Written notices go through the notice service, so the demo has real letters.
DEMO_NOTICES = {
    Outcome.GRANTED_FULL: NoticeDraft(
        outcome=Outcome.GRANTED_FULL.value, held=True,
        materials="Salinan lengkap dokumen yang diminta.",
        delivery_form="Salinan elektronik (PDF) melalui tautan unduhan."),
    Outcome.GRANTED_PARTIAL: NoticeDraft(
        outcome=Outcome.GRANTED_PARTIAL.value, held=True,
        materials="Rekapitulasi pengadaan obat dan BMHP 2025 per jenis dan nilai.",
        redactions="Nama dan nomor rekam medis pasien pada lampiran distribusi dihitamkan.",
        delivery_form="Salinan elektronik (PDF) melalui tautan unduhan.",
        consequence=ConsequenceTestDraft(
            letters=("h",), information="Nama dan nomor rekam medis pasien pada lampiran distribusi obat.",
            legal_basis="UU 14/2008 Pasal 17 huruf h; UU 27/2022 tentang Pelindungan Data Pribadi.",
            harm="Mengungkap riwayat kesehatan orang tertentu tanpa persetujuannya.",
            public_interest="Kepentingan publik atas nilai dan jenis pengadaan terpenuhi tanpa data pasien.",
            exemption_period="Selama data pribadi tersebut disimpan.")),
    Outcome.NOT_HELD: NoticeDraft(
        outcome=Outcome.NOT_HELD.value, held=False,
        holder_body="Dinas Lingkungan Hidup Provinsi (penerbit izin lingkungan)."),
}


def _apply_routing_step(item: InformationRequest, step: Step, at: datetime, calendar,
                        people: dict[str, User], units: dict[str, Unit]) -> None:
    """Routing goes through the routing services, so the demo has real tasks (disposisi)."""
    unit = units[step.unit]
    if step.kind == "routed":
        due = default_internal_due(item, local_date(at), calendar)
        request_route(actor=people[f"ppid.utama@{DEMO_DOMAIN}"], item=item, unit_ids=[unit.id],
                      instruction=step.instruction, internal_due=due, at=at, notify=False)
        return
    officer = next(u for u in people.values() if u.unit_id == unit.id and u.has_role(Role.PEMBANTU))
    task = db.session.scalar(select(RoutingTask).where(
        RoutingTask.request_id == item.id, RoutingTask.unit_id == unit.id,
        RoutingTask.status == TaskStatus.OPEN))
    if step.kind == "task_answered":
        task_answer(actor=officer, item=item, task=task, answer_text=step.reply, at=at)
    else:
        task_return(actor=officer, item=item, task=task, reason=step.reply, at=at)


def _requests(people: dict[str, User], units: dict[str, Unit]) -> int:
    existing = _existing_demo_rincian()
    todo = [spec for spec in REQUESTS if spec.rincian not in existing]
    if not todo:
        return 0
    calendar = deadline_calendar()
    zone = ZoneInfo(body_timezone())
    now = utcnow()
    today = now.astimezone(zone).date()
    citizen = people[f"warga@{DEMO_DOMAIN}"]
    petugas = people[f"petugas@{DEMO_DOMAIN}"]
    # Oldest first, so registration numbers follow the receipt order within a year.
    received: list[tuple[datetime, RequestSpec]] = []
    for spec in todo:
        if spec.wd_ago is None:  # last year's December: a closed request of the previous year
            day = calendar.next_working_day(date(today.year - 1, 12, 1))
        else:
            day = today
            for _ in range(spec.wd_ago):
                day = calendar.previous_working_day(day)
        received.append((min(_at(day, spec.at), now), spec))
    received.sort(key=lambda pair: pair[0])

    for received_at, spec in received:
        own = spec.applicant is None
        applicant = spec.applicant or ApplicantDetails(
            name=citizen.name, phone=citizen.phone or "", email=citizen.email, **CITIZEN_APPLICANT)
        if own:
            actor, owner = citizen, citizen
        elif spec.channel == Channel.ONLINE:
            actor, owner = None, None  # a guest filing online
        else:
            actor, owner = petugas, None  # registered at the desk on the applicant's behalf
        item = request_register(
            actor=actor, owner=owner, received_at=received_at, channel=spec.channel, documents=[],
            notify=False,
            applicant=applicant,
            details=RequestDetails(rincian=spec.rincian, tujuan=spec.tujuan,
                                   access_method=str(spec.access_method),
                                   copy_delivery=str(spec.copy_delivery) if spec.copy_delivery else None,
                                   accessibility_needs=spec.accessibility_needs,
                                   accessibility_note=spec.accessibility_note),
        )
        _apply_steps(item, spec, calendar, people, units, now)
    return len(received)


DIP_ITEMS = (
    # (unit, category, title, summary, made_when, document text, status)
    ("DISDIK", "berkala", "Laporan Realisasi Anggaran Dinas Pendidikan Semester I 2026",
     "Realisasi pendapatan dan belanja Dinas Pendidikan Januari sampai Juni 2026, per program dan kegiatan.",
     "Semester I 2026", "Realisasi belanja modal pembangunan ruang kelas baru SD Negeri Sukamaju 1 dan rehabilitasi "
     "perpustakaan sekolah. Belanja pegawai, belanja barang dan jasa, dan belanja hibah BOS daerah.", "published"),
    ("DISDIK", "setiap_saat", "Daftar Sekolah Penerima Bantuan Operasional Sekolah Daerah 2026",
     "Nama sekolah, jumlah siswa dan besaran BOS Daerah yang diterima setiap sekolah negeri dan swasta.",
     "2026", "SD Negeri Sukamaju 1, SD Negeri Sukamaju 2, SMP Negeri 3: jumlah siswa dan bantuan operasional.",
     "published"),
    ("DINKES", "serta_merta", "Peringatan Dini Kejadian Luar Biasa Demam Berdarah Dengue",
     "Wilayah dengan peningkatan kasus DBD, langkah pencegahan 3M Plus, dan puskesmas rujukan.",
     "November 2026", "Kecamatan Sukamaju mencatat peningkatan kasus demam berdarah. Lakukan 3M Plus: menguras, "
     "menutup, mendaur ulang. Puskesmas Sukamaju membuka layanan fogging atas permintaan RW.", "published"),
    ("DINKES", "berkala", "Profil Kesehatan Kota 2025",
     "Data derajat kesehatan, fasilitas kesehatan, tenaga kesehatan dan cakupan imunisasi tahun 2025.",
     "2025", "Angka kematian ibu, cakupan imunisasi dasar lengkap, jumlah puskesmas, rumah sakit dan posyandu aktif.",
     "published"),
    ("DPUPR", "berkala", "Rencana Kerja Dinas Pekerjaan Umum dan Penataan Ruang 2027",
     "Program dan kegiatan prioritas: jalan, jembatan, drainase dan penataan ruang, dengan pagu indikatif.",
     "2026", "Pembangunan jembatan Cisadane, peningkatan jalan lingkungan, normalisasi drainase kota.", "submitted"),
    ("KEC-SUKAMAJU", "setiap_saat", "Standar Pelayanan Administrasi Kependudukan Kecamatan Sukamaju",
     "Persyaratan, prosedur, waktu dan biaya layanan surat keterangan dan administrasi kependudukan di kecamatan.",
     "2026", "Surat keterangan domisili, pengantar KTP elektronik, waktu layanan satu hari kerja, tanpa biaya.",
     "published"),
    (UTAMA_CODE, "berkala", "Laporan Layanan Informasi Publik 2025",
     "Jumlah permohonan, waktu layanan, permohonan yang ditolak beserta alasannya, dan keberatan tahun 2025.",
     "2026", "Laporan tahunan layanan informasi publik: jumlah permohonan informasi, rata-rata waktu pemenuhan.",
     "published"),
)


def _demo_pdf(title: str, body: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, body)
    return bytes(pdf.output())


def _catalogue(people: dict[str, User], units: dict[str, Unit]) -> int:
    """A few catalogue items with a real PDF each: most published, one waiting for approval."""
    import io

    from werkzeug.datastructures import FileStorage

    from .dip.models import InformationItem
    from .dip.services import ItemDraft, document_add, item_approve, item_create, item_submit

    existing = set(db.session.scalars(select(InformationItem.title)))
    officers = {u.unit.code: u for u in people.values() if u.unit is not None and u.has_role(Role.PEMBANTU)}
    utama = next(u for u in people.values() if u.has_role(Role.PPID_UTAMA))
    created = 0
    for code, category, title, summary, made_when, text, status in DIP_ITEMS:
        if title in existing:
            continue
        author = officers.get(code, utama)
        item = item_create(actor=author, draft=ItemDraft(
            title=title, summary=summary, category=category, unit_id=units[code].id,
            official=units[code].head_position or "Kepala " + units[code].name, made_when=made_when,
            made_where=units[code].name, format="softcopy", retention="5 tahun", external_url="",
            review_months=6 if category == "berkala" else None))
        name = "-".join(title.lower().split()[:5]) + ".pdf"
        document_add(actor=author, item=item, storage=FileStorage(io.BytesIO(_demo_pdf(title, text)), name))
        item_submit(actor=author, item=item)
        if status == "published":
            item_approve(actor=utama, item=item, today=local_date(utcnow()))
        created += 1
    return created


def demo_seed() -> str:
    """Create what is missing of the demo body; flush, never commit. Returns a short report."""
    calendar_years_ensure_around(local_date(utcnow()))  # this year and the next, as `ppid init` does
    profile_created = _profile()
    units, units_created = _units()
    people, users_created = _users(units)
    requests_created = _requests(people, units)
    _exemptions(people, units)
    items_created = _catalogue(people, units)
    _evaluation(people, units)
    _consultations(people, units)
    db.session.flush()
    if not (profile_created or units_created or users_created or requests_created or items_created):
        return "Demo data already present: nothing created."
    return (f"Demo data: {units_created} units, {users_created} users and {requests_created} "
            f"requests created (password for every demo login: {DEMO_PASSWORD}).")


def _evaluation(people: dict[str, User], units: dict[str, Unit]) -> int:
    """Both ready-made monev questionnaires, and this year's internal monev round open for the
    units with a PPID Pembantu officer, when there is no round yet (1, else 0)."""
    from datetime import timedelta

    from .evaluation.models import EvaluationRound
    from .evaluation.services import (
        READY_MADE,
        RoundDraft,
        questionnaire_save,
        ready_made,
        round_create,
    )

    if db.session.scalar(select(EvaluationRound.id).limit(1)) is not None:
        return 0
    utama = people[f"ppid.utama@{DEMO_DOMAIN}"]
    versions = {name: questionnaire_save(actor=utama, document=ready_made(name), note="Kuesioner bawaan")
                for name in READY_MADE}
    taking_part = sorted({u.unit_id for u in people.values() if u.unit_id and u.has_role(Role.PEMBANTU)})
    today = local_date(utcnow())
    closes = today + timedelta(days=21)
    round_create(actor=utama, draft=RoundDraft(
        year=today.year, title=f"Monev internal PPID Pembantu {today.year}",
        version_id=versions["monev_internal"].id, scope="list", scope_unit_id=None, unit_ids=tuple(taking_part),
        opens_on=today, closes_on=closes, verify_from=closes + timedelta(days=1),
        verify_until=closes + timedelta(days=14), objection_from=closes + timedelta(days=15),
        objection_until=closes + timedelta(days=21)))
    return 1


DEMO_CONSULTATIONS = (
    ("DISDIK", "walk_in", "Menanyakan syarat dan jadwal pendaftaran beasiswa daerah; dijelaskan dari pengumuman resmi.",
     "answered"),
    ("DINKES", "phone", "Menanyakan jadwal vaksinasi di puskesmas; diarahkan ke jadwal yang sudah diumumkan.",
     "referred_published"),
    ("KEC-SUKAMAJU", "social_media", "Menanyakan rincian anggaran perbaikan jalan lingkungan; disarankan "
     "mengajukan permohonan informasi.", "advised_request"),
)


def _consultations(people: dict[str, User], units: dict[str, Unit]) -> int:
    """A few consultations logged by the units' officers, when there is none yet."""
    from datetime import timedelta

    from .consultations.models import Consultation
    from .consultations.services import ConsultationDraft, consultation_log

    if db.session.scalar(select(Consultation.id).limit(1)) is not None:
        return 0
    now = utcnow()
    for days, (code, channel, topic, resolution) in enumerate(DEMO_CONSULTATIONS, start=1):
        officer = next(u for u in people.values() if u.unit_id == units[code].id and u.has_role(Role.PEMBANTU))
        consultation_log(actor=officer, draft=ConsultationDraft(
            occurred_at=now - timedelta(days=days, hours=2), channel=channel, topic=topic, unit_id=units[code].id,
            resolution=resolution))
    return len(DEMO_CONSULTATIONS)


def _exemptions(people: dict[str, User], units: dict[str, Unit]) -> int:
    """Three decisions of the register of exempt information, when there is none yet: one
    permanent (Pasal 17 h), one ending within the reminder window (b), one submitted by a unit."""
    from datetime import timedelta

    from .exemptions.models import ExemptionDecision
    from .exemptions.services import (
        ExemptionDraft,
        exemption_approve,
        exemption_create,
        exemption_submit,
    )

    if db.session.scalar(select(ExemptionDecision.id).limit(1)) is not None:
        return 0
    today = local_date(utcnow())
    utama = people[f"ppid.utama@{DEMO_DOMAIN}"]
    common = dict(official_name="Dewi Lestari, S.Sos.", official_position="Kepala Dinas Komunikasi dan Informatika",
                  official_nip="197805122005012003", decided_place="Kota Contoh", decided_on=today)
    specs = (
        ("DINKES", "pembantu.dinkes", "approved", dict(
            title="Rekam medis pasien puskesmas", description="Rekam medis dan ringkasan pulang pasien di seluruh "
            "puskesmas Kota Contoh, semua tahun.", pasal17_letter="h",
            legal_basis="UU 17/2023 tentang Kesehatan Pasal 296; UU 27/2022 tentang Pelindungan Data Pribadi.",
            harm="Membuka riwayat kesehatan pasien melanggar rahasia pribadi dan dapat menimbulkan diskriminasi.",
            public_interest="Pengawasan mutu layanan kesehatan dapat dilakukan dengan data agregat tanpa identitas.",
            weighing="Data agregat memenuhi kepentingan publik; membuka rekam medis perorangan tidak menambah manfaat.",
            period="Permanen", ends_on=None)),
        ("DPUPR", "pembantu.dpupr", "approved", dict(
            title="Dokumen penawaran peserta tender jalan lingkar", description="Dokumen penawaran teknis dan harga "
            "peserta tender paket jalan lingkar timur, sebelum pengumuman pemenang.", pasal17_letter="b",
            legal_basis="Perpres 16/2018 tentang Pengadaan Barang/Jasa Pemerintah Pasal 50.",
            harm="Membuka penawaran sebelum pengumuman merusak persaingan usaha yang sehat di antara peserta.",
            public_interest="Transparansi pengadaan dipenuhi dengan pengumuman pemenang dan nilai kontrak.",
            weighing="Kerugian atas persaingan lebih besar; dokumen dapat dibuka setelah masa sanggah selesai.",
            period="Sampai masa sanggah selesai", ends_on=today + timedelta(days=20))),
        ("DISDIK", "pembantu.disdik", "submitted", dict(
            title="Naskah soal asesmen sekolah semester genap", description="Naskah soal dan kunci jawaban asesmen "
            "sekolah jenjang SMP semester genap, sebelum pelaksanaan.", pasal17_letter="j",
            legal_basis="Permendikbudristek 21/2022 tentang Standar Penilaian Pendidikan.",
            harm="Soal yang bocor sebelum asesmen membuat hasil penilaian tidak sah.",
            public_interest="Publik berkepentingan atas penilaian yang adil; soal dapat dibuka sesudah asesmen.",
            weighing="Kerugian atas keabsahan asesmen lebih besar sampai asesmen selesai.",
            period="Sampai asesmen selesai", ends_on=None)),
    )
    for unit_code, officer, status, values in specs:
        actor = people[f"{officer}@{DEMO_DOMAIN}"]
        decision = exemption_create(actor=actor, draft=ExemptionDraft(unit_id=units[unit_code].id, **common, **values))
        exemption_submit(actor=actor, decision=decision)
        if status == "approved":
            exemption_approve(actor=utama, decision=decision)
    return len(specs)


def demo_logins() -> list[str]:
    """One line per demo user that exists: role(s), e-mail, unit."""
    by_email = {u.email: u for u in db.session.scalars(
        select(User).where(User.email.in_([s.email for s in USERS])))}
    order = {str(role): i for i, role in enumerate(Role)}
    lines = []
    width = max((len(e) for e in by_email), default=0)
    for spec in USERS:
        user = by_email.get(spec.email)
        if user is None:
            continue
        roles = ",".join(sorted(user.roles, key=lambda r: order.get(r, len(order))))
        unit = user.unit.name if user.unit else "—"
        lines.append(f"{roles:<11} {user.email:<{width}}  {unit}")
    return lines
