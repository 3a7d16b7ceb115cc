"""The body profile (issue "Ready for a real office", item 3): who may open the administration
pages, every field's bad input (message at the field, the rest kept, nothing saved), the logo
(checked by content, size, dimensions; served cached; drawn on the public header, receipts and
every PDF letter), service hours as the maklumat, the signing officials (copied onto a letter when
it is issued), the unit label, number patterns (validation, preview with and without htmx, used
for the next numbers) and the audit trail with before and after."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image
from sqlalchemy import func, select

from ppid_desk.audit.models import Event
from ppid_desk.audit.services import chain_is_intact
from ppid_desk.extensions import db
from ppid_desk.notices.models import WrittenNotice
from ppid_desk.organisation.profile_models import BodyProfile, ServiceHours
from ppid_desk.organisation.profile_selectors import body_profile, body_profile_forget
from ppid_desk.organisation.profile_services import pattern_problem
from tests.helpers import errors_of, issue_with_preview, png_bytes

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB
ROLES = ("pemohon", "petugas", "ppid_utama", "pembantu", "atasan", "pengawas")
PATTERNS = {
    "request_number_pattern": "{seq4}/PPID/{month_roman}/{year}",
    "notice_number_pattern": "{seq4}/PPID-PT/{month_roman}/{year}",
    "objection_number_pattern": "{seq4}/KEB/PPID/{month_roman}/{year}",
    "objection_response_number_pattern": "{seq4}/TGP-KEB/{month_roman}/{year}",
    "incomplete_number_pattern": "{seq4}/PPID-KL/{month_roman}/{year}",
    "not_completed_number_pattern": "{seq4}/PPID-TD/{month_roman}/{year}",
    "extension_number_pattern": "{seq4}/PPID-PJ/{month_roman}/{year}",
    "withdrawal_number_pattern": "{seq4}/PPID-CB/{month_roman}/{year}",
    "exemption_number_pattern": "{seq4}/PPID-DIK/{year}",
}


def profile_form(**overrides) -> dict:
    data = {
        "name": "Pemerintah Kabupaten Sukamaju", "short_name": "Pemkab Sukamaju",
        "address": "Jl. Pahlawan No. 3, Sukamaju", "phone": "(0265) 123 456", "email": "ppid@sukamaju.go.id",
        "website": "https://ppid.sukamaju.go.id", "unit_label": "pelaksana",
        "utama_name": "Rahmat Hidayat, S.IP.", "utama_position": "Kepala Dinas Komunikasi dan Informatika",
        "utama_nip": "19750101 200003 1 002", "atasan_name": "Dr. Sri Wahyuni, M.Si.",
        "atasan_position": "Sekretaris Daerah Kabupaten Sukamaju", "atasan_nip": "196805051994032001",
        "version": "", **PATTERNS,
    }
    for weekday in range(4):
        data.update({f"day{weekday}_open": "y", f"day{weekday}_opens": "08.00", f"day{weekday}_closes": "16.00",
                     f"day{weekday}_break_starts": "12.00", f"day{weekday}_break_ends": "13.00"})
    data.update({"day4_open": "y", "day4_opens": "08.00", "day4_closes": "16.30", "day4_break_starts": "11.30",
                 "day4_break_ends": "13.00"})
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def logo_png(width: int = 120, height: int = 60, fmt: str = "PNG") -> bytes:
    image = Image.new("RGB", (width, height), (0, 94, 56))
    for x in range(width // 4, 3 * width // 4):
        for y in range(height // 4, 3 * height // 4):
            image.putpixel((x, y), (255, 204, 0))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def stored() -> BodyProfile | None:
    """The profile as committed (a fresh read, not what the test holds)."""
    db.session.expire_all()
    body_profile_forget()
    return db.session.get(BodyProfile, 1)


@pytest.fixture
def admin(officer_client):
    return officer_client("admin", name="Hendra Admin")


def save(client, **overrides):
    return client.post("/meja/admin/profil", data=profile_form(**overrides), content_type="multipart/form-data")


# --- access ---------------------------------------------------------------------------------

def test_only_an_administrator_opens_or_changes_the_profile(client, officer_client, admin):
    urls = ["/meja/admin", "/meja/admin/profil", "/meja/admin/profil/pratinjau-nomor/request"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], url
    assert client.post("/meja/admin/profil", data=profile_form()).status_code == 302
    for role in ROLES:
        other = officer_client(role)
        for url in urls:
            assert other.get(url).status_code == 403, (role, url)
        assert other.post("/meja/admin/profil", data=profile_form()).status_code == 403, role
    assert stored() is None  # nobody but the administrator saved anything
    for url in urls:
        assert admin.get(url).status_code == 200, url
    landing = admin.get("/meja/admin").get_data(as_text=True)
    assert 'href="/meja/admin/profil"' in landing and 'href="/meja/kalender"' in landing
    assert "/meja/admin" in officer_client("admin").get("/meja/").get_data(as_text=True)  # in the desk menu
    assert "/meja/admin" not in officer_client("ppid_utama").get("/meja/").get_data(as_text=True)


# --- saving, the log, what the public sees ----------------------------------------------------

def test_the_first_save_creates_the_profile_and_each_change_is_logged_before_and_after(app, admin, client):
    page = admin.get("/meja/admin/profil").get_data(as_text=True)
    assert app.config["BODY_NAME"] in page and 'id="profile-from-config"' in page  # the defaults, not saved yet
    response = save(admin)
    assert response.status_code == 303 and response.headers["Location"].endswith("/meja/admin/profil")
    row = stored()
    assert row.name == "Pemerintah Kabupaten Sukamaju" and row.utama_nip == "197501012000031002"
    assert row.unit_label == "pelaksana" and row.timezone == app.config["BODY_TIMEZONE"]
    assert [(h.weekday, f"{h.opens:%H:%M}", f"{h.closes:%H:%M}") for h in row.hours][-1] == (4, "08:00", "16:30")
    version = row.version

    response = save(admin, name="Pemerintah Kabupaten Sukamaju Raya", day4_open=None, version=str(version))
    assert response.status_code == 303
    row = stored()
    assert row.name == "Pemerintah Kabupaten Sukamaju Raya" and [h.weekday for h in row.hours] == [0, 1, 2, 3]
    events = list(db.session.scalars(select(Event).where(Event.subject_type == "body_profile").order_by(Event.id)))
    assert [e.kind for e in events] == ["body_profile_created", "body_profile_updated"]
    assert events[1].data["changed"] == ["name", "service_hours"]
    assert events[1].data["before"]["name"] == "Pemerintah Kabupaten Sukamaju"
    assert events[1].data["after"]["name"] == "Pemerintah Kabupaten Sukamaju Raya"
    assert "4 08:00-16:30 11:30-13:00" in events[1].data["before"]["service_hours"]
    assert events[1].actor_label == "Hendra Admin" and chain_is_intact(events)

    save(admin, name="Pemerintah Kabupaten Sukamaju Raya", day4_open=None, version=str(stored().version))
    assert db.session.scalar(select(func.count()).select_from(Event)
                             .where(Event.subject_type == "body_profile")) == 2  # nothing changed: no event

    home = client.get("/").get_data(as_text=True)
    assert "<title>Layanan Informasi Publik · Pemerintah Kabupaten Sukamaju Raya</title>" in home
    assert "Jl. Pahlawan No. 3, Sukamaju" in home and app.config["BODY_NAME"] not in home
    assert "Senin–Kamis 08.00–16.00 (istirahat 12.00–13.00)" in home  # footer and maklumat
    maklumat = home.split('id="service-hours"')[1].split("</table>")[0]
    assert maklumat.count("Tutup") == 3 and "Kamis" in maklumat  # Friday, Saturday, Sunday closed
    assert 'href="https://ppid.sukamaju.go.id"' in home and "mailto:ppid@sukamaju.go.id" in home
    history = admin.get("/meja/admin/profil").get_data(as_text=True)
    assert "Profil dibuat" in history and "Nama badan publik, Jam layanan" in history


def test_a_stale_form_is_refused_with_what_was_typed_kept(admin, officer_client):
    save(admin)
    version = str(stored().version)
    other = officer_client("admin")
    assert save(other, phone="(0265) 999 999", version=version).status_code == 303
    response = save(admin, short_name="Ketikan Saya", version=version)
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Ketikan Saya" in html and "administrator lain" in html
    assert stored().short_name == "Pemkab Sukamaju" and stored().phone == "(0265) 999 999"


BAD_FIELDS = [
    ("name", "", "Tulis nama badan publik"),
    ("name", "N" * 201, "Paling banyak 200 karakter"),
    ("address", "", "Tulis alamat"),
    ("phone", "telepon kantor", "Nomor telepon hanya berisi angka"),
    ("email", "ppid-at-sukamaju", "Alamat e-mail tidak valid"),
    ("website", "javascript:alert(1)", "diawali https://"),
    ("website", "ppid.sukamaju.go.id", "diawali https://"),
    ("utama_nip", "1975 0101", "NIP terdiri dari 18 angka"),
    ("atasan_nip", "19680505199403200X", "NIP terdiri dari 18 angka"),
    ("unit_label", "koordinator", "Pilih salah satu"),
    ("request_number_pattern", "{seq4}/PPID/{month_roman}", "harus memuat tahun {year}"),
    ("request_number_pattern", "PPID/{month_roman}/{year}", "harus memuat nomor urut"),
    ("notice_number_pattern", "{nomor}/PT/{year}", "Penanda {nomor} tidak dikenal"),
    ("notice_number_pattern", "{seq:05d}/PT/{year}", "Penanda {seq:05d} tidak dikenal"),
    ("objection_number_pattern", "{seq4/KEB/{year}", "tidak berpasangan"),
    ("objection_response_number_pattern", PATTERNS["request_number_pattern"], "sama dengan pola nomor pendaftaran"),
    ("request_number_pattern", "{seq4}/" + "X" * 60 + "/{year}", "paling banyak 64 karakter"),
    ("day0_opens", "25.00", "Tulis jam seperti 08.00"),
    ("day1_closes", "07.00", "Jam tutup harus sesudah jam buka"),
    ("day2_break_ends", "", "awal dan akhir istirahat"),
    ("day3_break_starts", "17.00", "Istirahat harus di antara"),
    ("day0_opens", "", "Tulis jam buka"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_FIELDS)
def test_bad_input_is_named_at_its_field_with_everything_else_kept(admin, field, value, message):
    response = save(admin, short_name="Ketikan Dipertahankan", **{field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 422, html[:300]
    assert errors_of(response) == [field] and message in html
    assert 'value="Ketikan Dipertahankan"' in html and f'href="#{field}"' in html  # kept; in the summary
    assert stored() is None


def test_at_least_one_open_day_and_no_crash_on_hostile_values(admin):
    closed = {f"day{weekday}_open": None for weekday in range(7)}
    response = save(admin, **closed)
    assert response.status_code == 422 and errors_of(response) == ["day0_open"]
    hostile = save(admin, name="\x00" * 3, utama_name="<script>alert(1)</script>", day5_open="y",
                   day5_opens="８.00", request_number_pattern="{seq4}/{year}/{__class__}")
    html = hostile.get_data(as_text=True)
    assert hostile.status_code == 422 and "<script>alert(1)</script>" not in html
    assert set(errors_of(hostile)) == {"name", "day5_opens", "day5_closes", "request_number_pattern"}
    assert stored() is None


def test_an_nip_without_a_name_is_refused(admin):
    response = save(admin, atasan_name="")
    assert response.status_code == 422 and errors_of(response) == ["atasan_name"]


# --- the logo -------------------------------------------------------------------------------

def test_a_png_named_jpg_is_stored_as_png_served_cached_and_shown_in_the_public_header(admin, client):
    content = logo_png()
    response = save(admin, logo=(io.BytesIO(content), "logo-pemkab.jpg"))
    assert response.status_code == 303
    row = stored()
    assert row.logo_type == "image/png" and row.logo == content and (row.logo_width, row.logo_height) == (120, 60)
    version = body_profile().logo_version
    home = client.get("/").get_data(as_text=True)
    assert f'<img class="brand-logo" src="/logo?v={version}"' in home
    image = client.get(f"/logo?v={version}")
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data == content
    assert "immutable" in image.headers["Cache-Control"] and image.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/logo", headers={"If-None-Match": image.headers["ETag"]}).status_code == 304
    assert "max-age=300" in client.get("/logo").headers["Cache-Control"]  # unversioned: revalidated soon

    assert save(admin, remove_logo="y", version=str(stored().version)).status_code == 303
    assert stored().logo is None and client.get("/logo").status_code == 404
    assert "brand-logo" not in client.get("/").get_data(as_text=True)


def test_a_jpeg_logo_is_accepted(admin):
    assert save(admin, logo=(io.BytesIO(logo_png(fmt="JPEG")), "logo.png")).status_code == 303
    assert stored().logo_type == "image/jpeg"


BAD_LOGOS = [
    (b"<html><script>alert(1)</script></html>", "logo.png", "harus berupa gambar PNG atau JPEG"),
    (b"%PDF-1.4\n%%EOF\n", "logo.png", "harus berupa gambar PNG atau JPEG"),
    (logo_png() + b"\0" * (1024 * 1024), "logo.png", "lebih dari 1 MB"),
    (png_bytes(2, 2), "logo.png", "antara 16 dan 4000 piksel"),
    (logo_png()[:80], "logo.png", "rusak"),
    (b"", "logo.png", "Berkas kosong"),
    (b"", "", None),  # no file chosen: no new logo, the other fields are checked as usual
]


@pytest.mark.parametrize(("content", "filename", "message"), BAD_LOGOS)
def test_a_bad_logo_is_refused_at_its_field_and_everything_else_is_kept(admin, content, filename, message):
    response = save(admin, name="Nama Yang Diketik", address="", logo=(io.BytesIO(content), filename))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    if message is None:
        assert errors_of(response) == ["address"]
    else:
        assert errors_of(response) == ["address", "logo"] and message in html  # the other fields are checked too
    assert 'value="Nama Yang Diketik"' in html and stored() is None


def test_a_good_logo_with_another_mistake_asks_to_choose_it_again(admin):
    response = save(admin, address="", logo=(io.BytesIO(logo_png()), "logo.png"))
    assert response.status_code == 422 and errors_of(response) == ["address", "logo"]
    assert "Pilih logo sekali lagi" in response.get_data(as_text=True) and stored() is None


# --- letters, receipts, signatures ----------------------------------------------------------

@pytest.fixture
def filed(app, clock, file_request):
    clock.travel_to(MONDAY)
    return file_request()


def signature_block(html: str) -> str:
    return html.split('<p class="signature">')[1].split("</p>")[0]


def notice_form(item, **overrides) -> dict:
    return {"version": str(item.version), "outcome": "granted_full", "held": "yes",
            "materials": "DPA Dinas Pendidikan 2025.", "delivery_form": "Salinan PDF.", "fee_amount": "0",
            "provide_by": "2026-03-16", **overrides}  # the notice due of a request received on MONDAY


def test_the_notice_pdf_carries_the_logo_and_is_signed_by_the_profile_s_ppid_utama(
        filed, admin, officer_client, artifacts):
    utama = officer_client("ppid_utama", name="Petugas Yang Mengetik")
    save(admin, logo=(io.BytesIO(logo_png(240, 240)), "logo.png"))
    assert issue_with_preview(utama, f"/meja/permohonan/{filed.id}/pemberitahuan", notice_form(filed)).status_code == 303
    notice = db.session.scalar(select(WrittenNotice))
    assert notice.signature == {"name": "Rahmat Hidayat, S.IP.", "position": "Kepala Dinas Komunikasi dan Informatika",
                                "nip": "197501012000031002"}
    pdf = utama.get(f"/meja/permohonan/{filed.id}/pemberitahuan.pdf").data
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" in pdf  # the logo, an image XObject
    (artifacts / "notice-with-logo.pdf").write_bytes(pdf)
    letter = utama.get(f"/meja/permohonan/{filed.id}/pemberitahuan").get_data(as_text=True)
    assert 'class="letterhead-logo"' in letter and "Pemerintah Kabupaten Sukamaju" in letter
    signature = signature_block(letter)
    assert "Rahmat Hidayat, S.IP." in signature and "NIP. 19750101 200003 1 002" in signature
    assert "Kepala Dinas Komunikasi dan Informatika" in signature and "Petugas Yang Mengetik" not in signature

    # A new PPID Utama signs the letters issued from now on; an issued letter keeps its signer.
    save(admin, utama_name="Yanti Pengganti", utama_nip="", version=str(stored().version), remove_logo="y")
    signature = signature_block(utama.get(f"/meja/permohonan/{filed.id}/pemberitahuan").get_data(as_text=True))
    assert "Rahmat Hidayat, S.IP." in signature and "Yanti Pengganti" not in signature
    assert b"/Subtype /Image" not in utama.get(f"/meja/permohonan/{filed.id}/pemberitahuan.pdf").data


def test_without_a_profile_the_notice_is_signed_by_the_issuing_officer(filed, officer_client):
    utama = officer_client("ppid_utama", name="Rina Utama")
    assert issue_with_preview(utama, f"/meja/permohonan/{filed.id}/pemberitahuan", notice_form(filed)).status_code == 303
    notice = db.session.scalar(select(WrittenNotice))
    assert notice.signature == {"name": "Rina Utama", "position": "", "nip": ""}
    pdf = utama.get(f"/meja/permohonan/{filed.id}/pemberitahuan.pdf").data
    assert b"/Subtype /Image" not in pdf


def test_the_receipt_shows_the_logo_and_the_service_hours(admin, client, app):
    from tests.helpers import request_form

    save(admin, logo=(io.BytesIO(logo_png()), "logo.png"))
    response = client.post("/permohonan/baru", data=request_form(), content_type="multipart/form-data")
    assert response.status_code == 303
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="letterhead-logo"' in receipt and "Pemerintah Kabupaten Sukamaju" in receipt
    assert "Senin–Kamis 08.00–16.00 (istirahat 12.00–13.00)" in receipt


def test_the_routing_panel_uses_the_unit_label(filed, admin, officer_client):
    utama = officer_client("ppid_utama")
    assert "Teruskan ke unit PPID Pembantu" in utama.get(f"/meja/permohonan/{filed.id}").get_data(as_text=True)
    save(admin)  # unit_label = pelaksana
    assert "Teruskan ke unit PPID Pelaksana" in utama.get(f"/meja/permohonan/{filed.id}").get_data(as_text=True)


# --- number patterns ------------------------------------------------------------------------

@pytest.mark.parametrize(("pattern", "problem"), [
    ("{seq4}/PPID/{month_roman}/{year}", None),
    ("{seq}/{month}/{year}", None),
    ("PPID-{year}-{seq}", None),
    ("{month}{seq}{year}", None),
    ("", "Tulis pola nomor"),
    ("{seq4}/PPID", "tahun {year}"),
    ("{year}/PPID", "nomor urut"),
    ("{seq4}/{tahun}", "tidak dikenal"),
    ("{seq4!r}/{year}", "tidak dikenal"),
    ("{seq4}}/{year}", "tidak berpasangan"),
    ("{{seq4}}/{year}", "nomor urut"),  # escaped braces are text, not a placeholder
])
def test_pattern_validation(app, pattern, problem):
    found = pattern_problem(pattern)
    assert (found is None) if problem is None else (problem in found), found


def test_the_next_number_is_previewed_with_htmx_and_without_and_then_used(admin, filed, file_request):
    url = "/meja/admin/profil/pratinjau-nomor/request"
    preview = admin.get(url, query_string={"request_number_pattern": "REG-{seq4}/{year}"},
                        headers={"HX-Request": "true"})
    assert preview.status_code == 200 and "<html" not in preview.get_data(as_text=True)
    assert "REG-0002/2026" in preview.get_data(as_text=True)  # one request registered so far this year
    problem = admin.get(url, query_string={"request_number_pattern": "REG-{seq4}"}).get_data(as_text=True)
    assert "tahun {year}" in problem and "field-error" in problem
    assert admin.get("/meja/admin/profil/pratinjau-nomor/lain").status_code == 404

    plain = admin.post("/meja/admin/profil", data=profile_form(action="preview", request_number_pattern="REG-{seq4}/{year}"))
    html = plain.get_data(as_text=True)
    assert plain.status_code == 200 and "REG-0002/2026" in html and "0001/PPID-PT/III/2026" in html
    assert stored() is None  # a preview saves nothing

    assert save(admin, request_number_pattern="REG-{seq4}/{year}").status_code == 303
    assert file_request().number == "REG-0002/2026"


def test_init_and_demo_patterns_come_from_the_configuration(app, admin):
    page = admin.get("/meja/admin/profil").get_data(as_text=True)
    assert 'value="{seq4}/PPID/{month_roman}/{year}"' in page and "Nomor berikutnya:" in page


def test_profile_rows_are_one_and_hours_are_per_weekday(admin):
    save(admin)
    assert db.session.scalar(select(func.count()).select_from(BodyProfile)) == 1
    assert db.session.scalar(select(func.count()).select_from(ServiceHours)) == 5


# --- the Atasan PPID: response letter and register keberatan; the annual report ---------------

def _objection(app, clock, file_request):
    from ppid_desk.objections.models import Objection, ObjectionStatus
    from ppid_desk.requests.numbering import format_number, next_sequence
    from ppid_desk.sla import objection_filing_due, objection_response_due
    from ppid_desk.workcalendar.selectors import clock_rules, local_date, working_calendar

    filed_at = datetime(2026, 7, 6, 3, 0, tzinfo=UTC)
    clock.travel_to(filed_at)
    item = file_request(received_at=filed_at)
    calendar, rules, filed = working_calendar(), clock_rules(), local_date(filed_at)
    seq = next_sequence("keberatan", filed.year)
    objection = Objection(
        number=format_number(app.config["OBJECTION_NUMBER_PATTERN"], seq=seq, on=filed), year=filed.year, seq=seq,
        request_id=item.id, channel="online", grounds=["c"], case_summary="Tidak ditanggapi.",
        intended_use="Pengawasan", filed_at=filed_at, filed_date=filed, ground_date=filed,
        filing_due=objection_filing_due(filed, calendar, rules), late=False,
        response_due=objection_response_due(filed, calendar, rules), status=ObjectionStatus.REGISTERED)
    db.session.add(objection)
    db.session.commit()
    return objection


def test_the_response_is_signed_by_the_profile_s_atasan_whom_the_register_shows(
        app, clock, file_request, admin, officer_client):
    from tests.helpers import csv_rows

    save(admin, logo=(io.BytesIO(logo_png()), "logo.png"))
    objection = _objection(app, clock, file_request)
    atasan = officer_client("atasan", name="Akun Atasan")
    shown = "Dr. Sri Wahyuni, M.Si., Sekretaris Daerah Kabupaten Sukamaju"
    def atasan_column():
        header, row = csv_rows(atasan.get("/meja/register/keberatan?format=csv"))[:2]
        return row[header.index("Nama dan jabatan Atasan")]

    assert atasan_column() == shown  # open: the Atasan now

    response = atasan.post(f"/meja/keberatan/{objection.id}/tanggapan",
                           data={"version": str(objection.version), "decision": "upheld", "reasons": "Sudah sesuai."})
    assert response.status_code == 303
    letter = atasan.get(f"/meja/keberatan/{objection.id}/tanggapan").get_data(as_text=True)
    signature = signature_block(letter)
    assert "Dr. Sri Wahyuni, M.Si." in signature and "NIP. 19680505 199403 2 001" in signature
    assert "Akun Atasan" not in signature and 'class="letterhead-logo"' in letter
    assert b"/Subtype /Image" in atasan.get(f"/meja/keberatan/{objection.id}/tanggapan.pdf").data

    save(admin, atasan_name="Pejabat Baru", atasan_nip="", version=str(stored().version))
    assert atasan_column() == shown  # answered: who signed


def test_the_annual_report_carries_the_logo_in_print_and_pdf(admin, officer_client):
    save(admin, logo=(io.BytesIO(logo_png()), "logo.png"))
    client = officer_client("ppid_utama")
    assert 'class="letterhead-logo"' in client.get("/meja/monev/laporan-tahunan/2025/cetak").get_data(as_text=True)
    pdf = client.get("/meja/monev/laporan-tahunan/2025.pdf").data
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" in pdf
