"""The body's own E-Monev evidence pack (issue 16 item 7) and the annual report's submission record.

The log is built in 2025 through the real services: four applicants with their own NIK, address,
phone and e-mail (one typed her phone and e-mail into the request too), notices of four outcomes,
one objection. "Today" is 10 February 2026, before the annual report's 31 March deadline. Every PDF
of the pack is read back with pypdf and searched for the seeded personal values.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime, time

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from ppid_desk.extensions import db
from ppid_desk.notices.services import ConsequenceTestDraft, NoticeDraft, notice_issue
from tests.factories import file_objection
from tests.helpers import errors_of, pdf_bytes, png_bytes

YEAR = 2025
PAGE = f"/meja/monev/bukti-emonev/{YEAR}"
ANNUAL = f"/meja/monev/laporan-tahunan/{YEAR}"
SUBMIT = ANNUAL + "/penyampaian"
TEST = ConsequenceTestDraft(letters=("h",), information="Lampiran 3", legal_basis="Pasal 17 UU 14/2008",
                            harm="Membuka data pribadi.", public_interest="Data agregat cukup.",
                            exemption_period="Selama penerima hidup.")
APPLICANTS = {
    "A": dict(name="Budi Santoso", nik="3201011505900001", address="Jl. Melati Nomor 5 Bandung",
              phone="081234567890", email="budi.santoso@example.id"),
    "B": dict(name="Siti Rahmawati", nik="3273024101850002", address="Kampung Cibogo RT 03 RW 07",
              phone="085711223344", email="siti.rahma@example.id"),
    "C": dict(name="Yohanes Pardede", nik="1271030303800003", address="Perumahan Griya Asri Blok C2",
              phone="081398765432", email="yohanes.p@example.id"),
    "D": dict(name="Dewi Anggraini", nik="3578015507950004", address="Jalan Kenanga Raya 17",
              phone="087788990011", email="dewi.anggraini@example.id"),
}
NARRATIVE = {"policy": "Kebijakan layanan satu pintu.", "facilities": "Satu meja layanan, dua petugas.",
             "obstacles": "Dokumen tersebar.", "recommendations": "Digitalisasi arsip."}
HOURS = tuple((weekday, time(8), time(16), time(12), time(13)) for weekday in range(5))


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 3, 0, tzinfo=UTC)


def grant(outcome="granted_full", **extra) -> NoticeDraft:
    return NoticeDraft(outcome=outcome, held=True, materials="DPA 2024", delivery_form="PDF", fee_amount=0,
                       payment_method=None, **extra)


def profile(**fields):
    from ppid_desk.organisation.profile_services import body_profile_create

    body_profile_create(actor=None, actor_label="Tes", name="Pemerintah Kota Contoh", address="Jl. Balai Kota 1",
                        timezone="Asia/Jakarta", hours=HOURS, phone="022-123456", email="ppid@kota.example.id",
                        atasan_name="Drs. Ahmad Wijaya", atasan_position="Sekretaris Daerah",
                        atasan_nip="197001011990031001", **fields)
    db.session.commit()


@pytest.fixture
def log(app, clock, file_request, make_user):
    """Four requests of 2025 answered with four outcomes; an objection to the refusal."""
    officer = make_user(email="utama-log@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    clock.travel_to(at(YEAR, 7, 7))
    r = {}
    for key, person in APPLICANTS.items():
        rincian = "Dokumen anggaran Dinas Pendidikan tahun 2025."
        if key == "B":  # she typed her phone and e-mail into the request itself
            rincian += f" Hubungi saya di {person['phone']} atau {person['email']}."
        r[key] = file_request(received_at=at(YEAR, 7, 7), rincian=rincian, **person)

    def act(month, day, fn, **kwargs):
        clock.travel_to(at(YEAR, month, day))
        fn(actor=officer, at=at(YEAR, month, day), **kwargs)
        db.session.commit()

    act(7, 10, notice_issue, item=r["A"], draft=grant(), notify=False)
    act(7, 15, notice_issue, item=r["B"], draft=grant("granted_partial", redactions="NIK", consequence=TEST),
        notify=False)
    act(7, 16, notice_issue, item=r["C"], draft=NoticeDraft(outcome="refused", held=True, consequence=TEST),
        notify=False)
    act(7, 28, notice_issue, item=r["D"], draft=NoticeDraft(outcome="not_held", held=False, holder_unknown=True),
        notify=False)
    clock.travel_to(at(YEAR, 7, 20))
    file_objection(r["C"], grounds=("a",), filed_at=at(YEAR, 7, 20))
    clock.travel_to(at(2026, 2, 10))
    return r


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def assert_no_personal_data(name: str, data: bytes) -> None:
    text = squeezed(text_of(data))
    for person in APPLICANTS.values():
        for field in ("nik", "phone", "email", "address", "name"):
            assert squeezed(person[field]) not in text, (name, field, person[field])


def publish_and_submit(client) -> None:
    assert client.post(ANNUAL, data={**NARRATIVE, "published": "y"}).status_code == 303
    response = client.post(SUBMIT, data={"submitted_on": "2026-02-05", "submitted_via": "email",
                                         "submitted_to": "Komisi Informasi Provinsi Jawa Barat",
                                         "submission_note": "Surat 045/12/PPID",
                                         "proof": (io.BytesIO(pdf_bytes()), "surat-pengantar.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]


def states(html: str) -> dict[str, str]:
    return dict(re.findall(r'id="bukti-([a-z0-9-]+)" data-state="([a-z]+)"', html))


# --- the pack --------------------------------------------------------------------------------

def test_every_pdf_fits_the_limit_and_names_no_applicant(log, officer_client):
    profile()
    client = officer_client("ppid_utama")
    publish_and_submit(client)
    html = client.get(PAGE).get_data(as_text=True)
    found = states(html)
    assert {key for key, state in found.items() if state == "ready"} == {
        "laporan-tahunan", "bukti-penyampaian-laporan", "register-permohonan", "register-keberatan",
        "contoh-pemberitahuan", "statistik-layanan", "maklumat-pelayanan", "formulir-permohonan",
        "formulir-keberatan", "jam-layanan"}
    assert found["daftar-informasi-publik"] == "missing"  # no catalogue item published in 2025
    assert found["sk-sop-anggaran"] == "manual"

    response = client.get(PAGE + ".zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    assert names == sorted([
        "DAFTAR-ISI.txt",
        "1-jenis-informasi/1.2-laporan-tahunan-2025.pdf",
        "1-jenis-informasi/1.3-bukti-penyampaian-laporan-2025.pdf",
        "4-pelayanan-informasi/4.1-register-permohonan-2025.pdf",
        "4-pelayanan-informasi/4.2-register-keberatan-2025.pdf",
        "4-pelayanan-informasi/4.3-contoh-pemberitahuan-2025-1-diberikan-seluruhnya.pdf",
        "4-pelayanan-informasi/4.3-contoh-pemberitahuan-2025-2-ditolak.pdf",
        "4-pelayanan-informasi/4.3-contoh-pemberitahuan-2025-3-diberikan-sebagian.pdf",
        "4-pelayanan-informasi/4.4-statistik-layanan-2025.pdf",
        "5-komitmen-organisasi/5.1-maklumat-pelayanan-2025.pdf",
        "6-sarana-prasarana/6.1-formulir-permohonan-2025.pdf",
        "6-sarana-prasarana/6.2-formulir-keberatan-2025.pdf",
        "6-sarana-prasarana/6.3-jam-layanan-2025.pdf",
    ])
    for name in names:
        data = archive.read(name)
        assert len(data) <= 2 * 1024 * 1024, name
        if name.endswith(".pdf") and "bukti-penyampaian" not in name:  # the proof is the body's own upload
            assert data.startswith(b"%PDF"), name
            assert_no_personal_data(name, data)
    contents = archive.read("DAFTAR-ISI.txt").decode()
    assert "1.1 Daftar Informasi Publik: belum ada" in contents and "unggah manual" in contents

    register = squeezed(text_of(archive.read("4-pelayanan-informasi/4.1-register-permohonan-2025.pdf")))
    assert "b.s." in register and "s.r." in register  # names as initials
    assert "disamarkan" in register and "[disamarkan]" in register  # the typed phone/e-mail, in the rincian
    assert "dokumenanggarandinaspendidikan" in register
    notice = squeezed(text_of(archive.read(
        "4-pelayanan-informasi/4.3-contoh-pemberitahuan-2025-1-diberikan-seluruhnya.pdf")))
    assert "pemberitahuantertulis" in notice and "b.s." in notice


def test_each_item_downloads_alone(log, officer_client):
    profile()
    client = officer_client("ppid_utama")
    form = client.get(PAGE + "/formulir-permohonan")
    assert form.status_code == 200 and form.mimetype == "application/pdf"
    assert 'filename="6.1-formulir-permohonan-2025.pdf"' in form.headers["Content-Disposition"]
    text = squeezed(text_of(form.data))
    for words in ("FORMULIR PERMOHONAN INFORMASI PUBLIK", "Rincian informasi yang dibutuhkan",
                  "Cara mendapatkan salinan", "Pemohon informasi", "Pemerintah Kota Contoh"):
        assert squeezed(words) in text, words
    objection = client.get(PAGE + "/formulir-keberatan")
    assert "alasankeberatan" in squeezed(text_of(objection.data))
    samples = client.get(PAGE + "/contoh-pemberitahuan")  # three letters: a ZIP of them
    assert samples.mimetype == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(samples.data)).namelist()) == 3
    assert client.get(PAGE + "/laporan-tahunan").status_code == 404  # not published: not ready
    assert client.get(PAGE + "/bukan-item").status_code == 404
    assert client.get(PAGE + "/sk-sop-anggaran").status_code == 404  # to upload by hand


def test_missing_items_say_why_and_what_to_do(log, officer_client):
    client = officer_client("ppid_utama")  # no body profile, no annual report yet
    html = client.get(PAGE).get_data(as_text=True)
    found = states(html)
    assert found["laporan-tahunan"] == "missing" and found["bukti-penyampaian-laporan"] == "missing"
    assert found["maklumat-pelayanan"] == "missing" and found["jam-layanan"] == "missing"
    assert found["formulir-permohonan"] == "ready"
    assert "Belum ada laporan tahunan 2025: uraian belum diisi" in html
    assert "Isi uraian laporan tahunan, lalu terbitkan." in html
    assert "jam layanan belum diisi" in html
    empty = client.get("/meja/monev/bukti-emonev/2024").get_data(as_text=True)
    assert states(empty)["register-permohonan"] == "missing"
    assert "Tidak ada permohonan yang tercatat di PPID Desk pada tahun 2024." in empty
    assert client.post(ANNUAL, data=NARRATIVE).status_code == 303  # filled in, not published
    assert "sudah diisi tetapi belum diterbitkan" in client.get(PAGE).get_data(as_text=True)
    current = client.get("/meja/monev/bukti-emonev")
    assert current.status_code == 302 and current.headers["Location"].endswith(PAGE)


def test_rows_are_split_until_every_part_fits():
    from ppid_desk.monev.evidence_pack import fit_rows

    drawn = []

    def render(rows, part):
        drawn.append(part)
        return b"x" * (100 * len(rows) + 50)

    assert fit_rows(render, list(range(2)), 260) == [b"x" * 250]  # fits whole: drawn once
    parts = fit_rows(render, list(range(10)), 260)
    assert [len(p) for p in parts] == [250] * 5 and drawn[-1] == (5, 5)  # 2, 4, then 8 parts of 2 rows
    assert len(fit_rows(render, [1], 10)) == 1  # one row cannot be split: left to the caller's check


def test_a_register_over_the_limit_is_split_and_other_files_left_out(app, log, officer_client):
    profile()
    client = officer_client("ppid_utama")
    sizes = {name: len(data) for name, data in zip_files(client.get(PAGE + ".zip")).items()}
    whole = sizes["4-pelayanan-informasi/4.1-register-permohonan-2025.pdf"]
    app.config["EVIDENCE_MAX_BYTES"] = limit = whole - 1  # the register no longer fits whole
    try:
        files = zip_files(client.get(PAGE + ".zip"))
    finally:
        app.config["EVIDENCE_MAX_BYTES"] = 2 * 1024 * 1024
    parts = [name for name in files if "4.1-register-permohonan-2025-bagian-" in name]
    assert len(parts) >= 2
    for name in parts:
        assert len(files[name]) <= limit and "bagian" in squeezed(text_of(files[name]))
    contents = files["DAFTAR-ISI.txt"].decode()
    too_large = [name for name, size in sizes.items() if size > limit and "register" not in name]
    assert too_large  # the statistics (several pages) at least
    for name in too_large:  # a document that cannot be split: named, with what to do, and left out
        assert name not in files
        assert f"{name.rsplit('/', 1)[1]} TIDAK DISERTAKAN" in contents and "perkecil berkasnya" in contents


def zip_files(response) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return {name: archive.read(name) for name in archive.namelist()}


# --- the submission record -------------------------------------------------------------------

def test_submission_bad_input_next_to_the_field_and_the_proof_kept(log, officer_client):
    from ppid_desk.attachments.models import Attachment
    from ppid_desk.monev.models import AnnualReport

    client = officer_client("ppid_utama")
    response = client.post(SUBMIT, data={"submitted_on": "2025-12-30", "submitted_via": "pigeon",
                                         "submitted_to": "",
                                         "proof": (io.BytesIO(png_bytes()), "tanda-terima.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert set(errors_of(response)) >= {"submitted_via", "submitted_to"}
    html = response.get_data(as_text=True)
    assert "Sudah diterima:" in html and "tanda-terima.png" in html  # the proof is not asked for again
    token = re.search(r'name="proof_token" value="([^"]+)"', html)[1]
    response = client.post(SUBMIT, data={"submitted_on": "2025-12-30", "submitted_via": "email",
                                         "submitted_to": "Komisi Informasi Pusat", "proof_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and errors_of(response) == ["submitted_on"]
    assert "sesudah tahun itu berakhir" in response.get_data(as_text=True)
    response = client.post(SUBMIT, data={"submitted_on": "2026-03-01", "submitted_via": "email",
                                         "submitted_to": "Komisi Informasi Pusat", "proof_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "tidak boleh sesudah hari ini" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AnnualReport, YEAR) is None  # nothing half-written
    response = client.post(SUBMIT, data={"submitted_on": "05/02/2026", "submitted_via": "portal",
                                         "submitted_to": "Komisi Informasi Pusat", "proof_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    db.session.expire_all()
    report = db.session.get(AnnualReport, YEAR)
    assert (report.submitted_on, report.submitted_via) == (date(2026, 2, 5), "portal")
    proof = db.session.scalar(select(Attachment).where(Attachment.annual_report_year == YEAR))
    assert proof.purpose == "annual_report_proof" and proof.staged_token is None and proof.encrypted
    page = client.get(ANNUAL).get_data(as_text=True)
    assert "5 Februari 2026" in page and "tanda-terima.png" in page
    download = client.get(ANNUAL + "/bukti-penyampaian")
    assert download.status_code == 200 and download.data == png_bytes()
    # the image proof becomes a PDF page in the pack
    pdf = client.get(PAGE + "/bukti-penyampaian-laporan")
    assert pdf.mimetype == "application/pdf" and "KomisiInformasiPusat" in re.sub(r"\s+", "", text_of(pdf.data))
    # a new proof replaces the old one (its row goes; one proof per year)
    client.post(SUBMIT, data={"submitted_on": "2026-02-06", "submitted_via": "letter",
                              "submitted_to": "Komisi Informasi Pusat",
                              "proof": (io.BytesIO(pdf_bytes()), "surat.pdf")}, content_type="multipart/form-data")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Attachment).where(
        Attachment.annual_report_year == YEAR)) == 1
    from ppid_desk.attachments.services import attachments_purge_staged

    attachments_purge_staged(older_than_hours=0)  # the proof is held by its report: never purged as staged
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Attachment).where(
        Attachment.annual_report_year == YEAR)) == 1


def test_submission_without_proof_and_for_an_open_year(log, officer_client):
    client = officer_client("ppid_utama")
    response = client.post(SUBMIT, data={"submitted_on": "2026-02-05", "submitted_via": "email",
                                         "submitted_to": "Komisi Informasi Pusat"})
    assert response.status_code == 422 and errors_of(response) == ["proof"]
    assert client.post("/meja/monev/laporan-tahunan/2026/penyampaian", data={}).status_code == 404
    assert 'action="/meja/monev/laporan-tahunan/2026/penyampaian"' not in client.get(
        "/meja/monev/laporan-tahunan/2026").get_data(as_text=True)


# --- the reminder ----------------------------------------------------------------------------

def reminders(year: int = YEAR) -> int:
    from ppid_desk.audit.models import Event

    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Event).where(
        Event.subject_type == "annual_report", Event.subject_id == year,
        Event.kind == "annual_report_submission_reminded"))


@pytest.mark.parametrize(("today", "due"), [
    (date(2026, 3, 9), False),  # 22 days before 31 March: not yet
    (date(2026, 3, 10), True),  # 21 days before
    (date(2026, 3, 31), True),  # the last day
    (date(2026, 4, 1), False),  # after it the pages show the report as late; no e-mail chases it
])
def test_the_reminder_window(app, clock, make_user, today, due):
    from ppid_desk.monev.annual_reminder import reminder_due

    with app.test_request_context():
        assert (reminder_due(today) == YEAR) is due


def test_the_sweep_reminds_once(app, clock, make_user):
    from ppid_desk.notifications.models import OutboxMessage
    from ppid_desk.notifications.sweep import sweep_run

    make_user(email="utama.a@pemda.example.id", roles=("ppid_utama",), name="Utama A")
    make_user(email="pengawas.a@pemda.example.id", roles=("pengawas",), name="Pengawas A")
    clock.travel_to(at(2026, 3, 12))
    report = sweep_run(now=clock.now())
    assert report.other_reminders == {"annual report submission reminders": 1}
    assert reminders() == 1
    messages = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.contains("2025"))))
    assert [m.recipient for m in messages] == ["utama.a@pemda.example.id"]
    assert "31 Maret 2026" in messages[0].body and "/meja/monev/laporan-tahunan/2025" in messages[0].body
    sweep_run(now=clock.now())
    clock.travel_to(at(2026, 3, 20))
    sweep_run(now=clock.now())
    assert reminders() == 1  # once per report year


def test_no_reminder_when_submitted(app, clock, log, officer_client):
    from ppid_desk.notifications.sweep import sweep_run

    client = officer_client("ppid_utama")
    publish_and_submit(client)
    clock.travel_to(at(2026, 3, 25))
    report = sweep_run(now=clock.now())
    assert report.other_reminders == {"annual report submission reminders": 0} and reminders() == 0


# --- access ----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["petugas", "pengawas", "atasan", "admin", "pembantu", "pemohon"])
def test_only_ppid_utama_gets_the_pack(log, officer_client, role):
    client = officer_client(role)
    for url in (PAGE, PAGE + ".zip", PAGE + "/formulir-permohonan"):
        assert client.get(url).status_code in (403, 404), (role, url)
    assert client.post(SUBMIT, data={}).status_code in (403, 404)


def test_the_page_in_english(log, officer_client):
    client = officer_client("ppid_utama")
    html = client.get(PAGE + "?lang=en").get_data(as_text=True)
    assert "E-Monev evidence pack 2025" in html and "Ready" in html
    pdf = client.get(PAGE + "/formulir-permohonan?lang=en")
    assert "FORMULIRPERMOHONAN" in re.sub(r"\s+", "", text_of(pdf.data))  # the form stays Indonesian



def test_the_dip_of_the_year_joins_the_pack(log, officer_client, make_unit, make_user):
    from ppid_desk.dip.services import ItemDraft, item_approve, item_create

    unit = make_unit("DISDIK", "Dinas Pendidikan")
    officer = make_user(email="unit@pemda.example.id", roles=("pembantu",), unit=unit, name="Petugas Unit")
    utama = make_user(email="utama.dip@pemda.example.id", roles=("ppid_utama",), name="Utama DIP")
    item = item_create(actor=officer, draft=ItemDraft(
        title="Rencana Kerja 2025", summary="Rencana kerja tahunan dinas.", category="berkala", unit_id=unit.id,
        official="Kepala Dinas Pendidikan", made_when="2025", made_where="Dinas Pendidikan", format="softcopy",
        retention="5 tahun", external_url="https://kota.example.id/renja-2025.pdf", review_months=6))
    item_approve(actor=utama, item=item, today=date(2025, 3, 3))
    db.session.commit()
    client = officer_client("ppid_utama")
    assert states(client.get(PAGE).get_data(as_text=True))["daftar-informasi-publik"] == "ready"
    response = client.get(PAGE + "/daftar-informasi-publik")
    assert response.mimetype == "application/pdf"
    assert 'filename="1.1-daftar-informasi-publik-2025.pdf"' in response.headers["Content-Disposition"]
    assert "rencanakerja2025" in squeezed(text_of(response.data))


def test_the_satisfaction_survey_is_drawn_from_the_index_of_the_year(log, officer_client, make_unit):
    """4.5: the IKM of the year, body-wide and per unit (tests/test_survey.py works out 82,22 for
    the five responses and 90,12 for all nine); a unit below the minimum shows its count only."""
    from tests.factories import make_survey_responses

    client = officer_client("ppid_utama")
    assert states(client.get(PAGE).get_data(as_text=True))["survei-kepuasan"] == "missing"
    assert "Belum ada jawaban survei kepuasan pada tahun 2025." in client.get(PAGE).get_data(as_text=True)
    five = [(4, 4, 3, 3, 4, 3, 4, 2, 3), (3, 3, 3, 4, 3, 3, 4, 3, 3), (4, 3, 2, 4, 3, 4, 4, 3, 4),
            (3, 4, 3, 4, 4, 3, 3, 2, 3), (4, 3, 3, 4, 3, 3, 4, 3, 2)]
    make_survey_responses(make_unit("DISDIK", "Dinas Pendidikan"), five, year=YEAR, month=7)
    make_survey_responses(make_unit("DINKES", "Dinas Kesehatan"), [(4,) * 9] * 4, year=YEAR, month=8)
    make_survey_responses(None, [(1,) * 9], year=YEAR - 1, month=12)  # another year: not counted
    html = client.get(PAGE).get_data(as_text=True)
    assert states(html)["survei-kepuasan"] == "ready" and "9 responden; IKM 90,12" in html
    response = client.get(PAGE + "/survei-kepuasan")
    assert response.status_code == 200 and 'filename="4.5-survei-kepuasan-2025.pdf"' in response.headers[
        "Content-Disposition"]
    assert len(response.data) <= 2 * 1024 * 1024
    assert_no_personal_data("4.5", response.data)
    text = squeezed(text_of(response.data))
    assert squeezed("Laporan Survei Kepuasan Layanan Informasi Publik Tahun 2025") in text
    assert "jumlahresponden9" in text and "90,12" in text and "a(sangatbaik)" in text
    assert squeezed("Dinas Pendidikan: 5 responden, mutu B (Baik)") in text and "82,22" in text
    assert squeezed("Dinas Kesehatan: 4 responden, di bawah minimum 5: indeks tidak ditampilkan") in text
    archive = zipfile.ZipFile(io.BytesIO(client.get(PAGE + ".zip").data))
    assert "4-pelayanan-informasi/4.5-survei-kepuasan-2025.pdf" in archive.namelist()
