"""Consultations and non-formal information services (issue 16 item 9): logged by the desk and the
units, corrected with events, withdrawn with a reason (never deleted), counted per unit and
period, and turned into a registered request whose clock starts at the consultation's time.

Dates (Asia/Jakarta, UTC+7): the desk works on Wed 25 March 2026, after Nyepi (18–19 March, cuti
bersama and holiday) and Idul Fitri (20–24 March, holidays and cuti bersama).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from ppid_desk.audit.models import Event
from ppid_desk.audit.selectors import events_for
from ppid_desk.consultations.models import Consultation
from ppid_desk.consultations.selectors import consultation_count, consultation_counts_by_unit
from ppid_desk.extensions import db
from ppid_desk.requests.models import InformationRequest
from tests.factories import make_consultation
from tests.helpers import desk_request_form, errors_of

NOW = datetime(2026, 3, 25, 3, 0, tzinfo=UTC)  # Wed 25 March 2026, 10.00 WIB
HX = {"HX-Request": "true"}


def form(unit, **overrides) -> dict:
    values = {"occurred_date": "2026-03-24", "occurred_time": "09.15", "channel": "phone", "unit_id": str(unit.id),
              "topic": "Menanyakan syarat legalisir ijazah; dijelaskan syarat dan jam layanannya.",
              "resolution": "answered", "resolution_note": "", "contact_name": "", "contact": ""}
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


@pytest.fixture
def desk(app, clock, make_unit, officer_client):
    """PPID Utama, a desk officer, PPID Pembantu officers of two units, and roles without the log."""
    from ppid_desk.accounts.models import User

    clock.travel_to(NOW)
    units = {"disdik": make_unit("DISDIK", "Dinas Pendidikan"), "dinkes": make_unit("DINKES", "Dinas Kesehatan")}
    clients = {"utama": officer_client("ppid_utama"), "petugas": officer_client("petugas", name="Dewi Petugas"),
               "disdik": officer_client("pembantu", unit=units["disdik"], name="Rudi Disdik"),
               "dinkes": officer_client("pembantu", unit=units["dinkes"]),
               "atasan": officer_client("atasan"), "pengawas": officer_client("pengawas")}
    users = {name: db.session.scalar(select(User).where(User.email == client.user_email))
             for name, client in clients.items()}
    return {"units": units, "clients": clients, "users": users}


def fresh(consultation_id: int) -> Consultation:
    db.session.expire_all()
    return db.session.get(Consultation, consultation_id)


def count_all() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Consultation))


def kinds(consultation_id: int) -> list[str]:
    return [e.kind for e in events_for("consultation", consultation_id)]


# --- access by role -------------------------------------------------------------------------------

def test_a_unit_officer_logs_and_sees_only_its_own_units(desk):
    units, clients, users = desk["units"], desk["clients"], desk["users"]
    disdik = clients["disdik"]
    page = disdik.get("/meja/konsultasi/baru")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="2026-03-25"' in html and 'value="10:00"' in html  # now, in WIB
    assert "Dinas Pendidikan" in html and "Dinas Kesehatan" not in html  # only its own unit to choose
    response = disdik.post("/meja/konsultasi/baru", data=form(units["disdik"]))
    assert response.status_code == 303
    [own] = db.session.scalars(select(Consultation)).all()
    assert own.unit_id == units["disdik"].id and own.officer_id == users["disdik"].id
    assert own.occurred_at == datetime(2026, 3, 24, 2, 15, tzinfo=UTC) and own.occurred_on == date(2026, 3, 24)
    assert response.headers["Location"] == f"/meja/konsultasi/{own.id}"
    # another unit's: refused next to the field, nothing written
    refused = disdik.post("/meja/konsultasi/baru", data=form(units["dinkes"]))
    assert refused.status_code == 422 and "unit_id" in errors_of(refused)
    assert count_all() == 1
    other = make_consultation(units["dinkes"], actor=users["dinkes"], topic="Jadwal imunisasi balita.")
    listing = disdik.get("/meja/konsultasi").get_data(as_text=True)
    assert f"consultation-{own.id}" in listing and f"consultation-{other.id}" not in listing
    assert "Jadwal imunisasi" not in listing
    for path in (f"/meja/konsultasi/{other.id}", f"/meja/konsultasi/{other.id}/ubah"):
        assert disdik.get(path).status_code == 404
    assert disdik.post(f"/meja/konsultasi/{other.id}/ubah", data=form(units["dinkes"])).status_code == 404
    assert disdik.post(f"/meja/konsultasi/{other.id}/batalkan", data={"reason": "x"}).status_code == 404
    assert fresh(other.id).withdrawn_at is None and fresh(other.id).topic == "Jadwal imunisasi balita."
    # PPID Utama and the desk officer see both and may log for any unit
    for name in ("utama", "petugas"):
        listing = clients[name].get("/meja/konsultasi").get_data(as_text=True)
        assert f"consultation-{own.id}" in listing and f"consultation-{other.id}" in listing, name
        assert clients[name].get(f"/meja/konsultasi/{other.id}").status_code == 200
    assert clients["utama"].post("/meja/konsultasi/baru", data=form(units["dinkes"])).status_code == 303
    # the unit officer filters only within its own unit: another unit's id shows nothing of it
    filtered = disdik.get(f"/meja/konsultasi?unit={units['dinkes'].id}").get_data(as_text=True)
    assert "consultation-none" in filtered
    # roles without the log
    for name in ("atasan", "pengawas"):
        assert clients[name].get("/meja/konsultasi").status_code == 403
        assert clients[name].post("/meja/konsultasi/baru", data=form(units["disdik"])).status_code == 403
    assert count_all() == 3


def test_a_unit_officer_without_a_unit_logs_nothing(desk, officer_client):
    loose = officer_client("pembantu")
    assert loose.get("/meja/konsultasi/baru").status_code == 403
    assert "consultation-none" in loose.get("/meja/konsultasi").get_data(as_text=True)


def test_the_list_is_a_page_and_a_partial(desk):
    make_consultation(desk["units"]["disdik"], actor=desk["users"]["disdik"])
    full = desk["clients"]["utama"].get("/meja/konsultasi").get_data(as_text=True)
    assert "<html" in full and 'href="/meja/konsultasi"' in full  # in the desk navigation
    partial = desk["clients"]["utama"].get("/meja/konsultasi", headers=HX).get_data(as_text=True)
    assert "<html" not in partial and partial.strip().startswith('<div id="consultation-main"')


# --- bad input --------------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides, field, message", [
    ({"occurred_date": "31-02-2026"}, "occurred_date", "Tanggal tidak valid"),
    ({"occurred_date": ""}, "occurred_date", "Tulis tanggal konsultasi"),
    ({"occurred_time": "25.00"}, "occurred_time", "Jam tidak valid"),
    ({"occurred_date": "2026-03-25", "occurred_time": "10:30"}, "occurred_time", "tidak boleh lebih dari sekarang"),
    ({"occurred_date": "2026-03-26"}, "occurred_date", "tidak boleh lebih dari sekarang"),
    ({"occurred_date": "2025-03-01"}, "occurred_date", "paling lama 366 hari"),
    ({"channel": "merpati"}, "channel", "Pilih salah satu"),
    ({"channel": None}, "channel", "Pilih saluran konsultasi"),
    ({"topic": "   "}, "topic", "Tulis pokok yang ditanyakan"),
    ({"topic": "x" * 2001}, "topic", "Paling banyak 2000 karakter"),
    ({"unit_id": ""}, "unit_id", "Pilih unit yang melayani"),
    ({"unit_id": "999999"}, "unit_id", "Pilih unit dari daftar"),
    ({"resolution": None}, "resolution", "Pilih tindak lanjut"),
    ({"resolution": "referred_other_body"}, "resolution_note", "Tulis badan publik yang dirujuk"),
    ({"resolution": "other"}, "resolution_note", "Jelaskan tindak lanjutnya"),
    ({"contact": "0812 3456 7890"}, "contact_consent", "hanya disimpan bila orangnya setuju"),
    ({"contact_consent": "y"}, "contact", "Tulis nomor telepon atau alamat e-mail"),
    ({"contact_consent": "y", "contact": "besok saja"}, "contact", "Tulis satu nomor telepon"),
])
def test_bad_input_is_told_next_to_the_field_and_nothing_is_lost(desk, overrides, field, message):
    client = desk["clients"]["petugas"]
    data = form(desk["units"]["disdik"], **{"topic": "Pertanyaan tentang beasiswa daerah yang diketik lengkap.",
                                            **overrides})
    response = client.post("/meja/konsultasi/baru", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field in errors_of(response) and message in html
    assert 'class="error-summary"' in html
    if "topic" not in overrides:  # what was typed is still there
        assert "Pertanyaan tentang beasiswa daerah yang diketik lengkap." in html
    assert count_all() == 0
    assert db.session.scalar(select(func.count()).select_from(Event).where(Event.subject_type == "consultation")) == 0


def test_list_filters_say_what_is_wrong_and_still_answer(desk):
    client = desk["clients"]["utama"]
    response = client.get("/meja/konsultasi?dari=31-02-2026&saluran=merpati&unit=abc")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert set(errors_of(response)) >= {"f-dari", "f-saluran", "f-unit"}
    assert 'value="31-02-2026"' in html  # what was typed comes back
    swapped = client.get("/meja/konsultasi?dari=2026-03-20&sampai=2026-03-01")
    assert "f-sampai" in errors_of(swapped)


# --- personal data --------------------------------------------------------------------------------

def test_contact_kept_only_with_consent_encrypted_and_never_in_the_log_or_the_list(desk):
    client = desk["clients"]["disdik"]
    response = client.post("/meja/konsultasi/baru", data=form(
        desk["units"]["disdik"], contact_consent="y", contact_name="Budi Santoso", contact="0812 3456 7890"))
    assert response.status_code == 303
    consultation = db.session.scalars(select(Consultation)).one()
    assert consultation.contact == "0812 3456 7890" and consultation.contact_name == "Budi Santoso"
    raw = db.session.execute(text("SELECT contact, contact_name FROM consultation")).one()
    assert "0812" not in raw[0] and "Budi" not in raw[1]  # encrypted at rest
    for event in db.session.scalars(select(Event).where(Event.subject_type == "consultation")):
        assert "0812" not in str(event.data) and "Budi" not in str(event.data)
    listing = client.get("/meja/konsultasi").get_data(as_text=True)
    assert "0812" not in listing and "Budi" not in listing
    page = client.get(f"/meja/konsultasi/{consultation.id}").get_data(as_text=True)
    assert "0812 3456 7890" in page and "Budi Santoso" in page
    # consent withdrawn on correction: nothing kept, and the log names the fields only
    edit = form(desk["units"]["disdik"], version=str(consultation.version))
    assert client.post(f"/meja/konsultasi/{consultation.id}/ubah", data=edit).status_code == 303
    after = fresh(consultation.id)
    assert after.contact is None and after.contact_name is None and after.contact_consent is False
    last = events_for("consultation", consultation.id)[-1]
    assert last.kind == "consultation_updated" and {"contact", "contact_name"} <= set(last.data["changed"])
    assert "0812" not in str(last.data)


def test_the_purge_blanks_contacts_after_the_retention_period(app, desk):
    from ppid_desk.operations.retention import personal_data_purge

    days = app.config["PERSONAL_DATA_RETENTION_DAYS"]
    old = make_consultation(desk["units"]["disdik"], actor=desk["users"]["disdik"],
                            occurred_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC), contact_consent=True,
                            contact="warga@example.id")
    recent = make_consultation(desk["units"]["disdik"], actor=desk["users"]["disdik"], contact_consent=True,
                               contact="0812 0000 1111")
    assert personal_data_purge(today=date(2026, 3, 2) + timedelta(days=days)).consultations == 0
    assert fresh(old.id).contact == "warga@example.id"  # the last day of its period
    report = personal_data_purge(today=date(2026, 3, 2) + timedelta(days=days + 1))
    assert report.consultations == 1 and "consultation contacts blanked: 1" in report.summary()
    purged = fresh(old.id)
    assert purged.contact is None and purged.contact_name is None and purged.contact_purged_at is not None
    assert kinds(old.id)[-1] == "consultation_contact_purged"
    assert fresh(recent.id).contact == "0812 0000 1111"
    page = desk["clients"]["disdik"].get(f"/meja/konsultasi/{old.id}").get_data(as_text=True)
    assert "Dihapus setelah masa retensi" in page and "warga@" not in page


# --- corrections and withdrawal ------------------------------------------------------------------

def test_a_correction_is_an_event_with_before_and_after(desk):
    consultation = make_consultation(desk["units"]["disdik"], actor=desk["users"]["disdik"])
    seen = consultation.version  # the version the officer's page was opened with
    client = desk["clients"]["disdik"]
    edit = client.get(f"/meja/konsultasi/{consultation.id}/ubah").get_data(as_text=True)
    assert "Menanyakan jadwal penyaluran bantuan sosial" in edit
    data = form(desk["units"]["disdik"], version=str(seen), channel="chat",
                resolution="referred_other_body", resolution_note="Dinas Sosial Provinsi")
    assert client.post(f"/meja/konsultasi/{consultation.id}/ubah", data=data).status_code == 303
    after = fresh(consultation.id)
    assert after.channel == "chat" and after.resolution_note == "Dinas Sosial Provinsi"
    [logged, updated] = events_for("consultation", consultation.id)
    assert logged.kind == "consultation_logged" and updated.kind == "consultation_updated"
    assert updated.data["before"]["channel"] == "walk_in" and updated.data["after"]["channel"] == "chat"
    assert "resolution" in updated.data["changed"] and updated.actor_label == "Rudi Disdik"
    page = client.get(f"/meja/konsultasi/{consultation.id}").get_data(as_text=True)
    assert "Konsultasi diubah" in page and "Dinas Sosial Provinsi" in page
    # a stale form (someone saved in between) is refused with the typed text kept
    stale = client.post(f"/meja/konsultasi/{consultation.id}/ubah",
                        data=form(desk["units"]["disdik"], version=str(seen),
                                  topic="Teks yang diketik di halaman lama."))
    assert stale.status_code == 409 and "Teks yang diketik di halaman lama." in stale.get_data(as_text=True)
    assert fresh(consultation.id).topic != "Teks yang diketik di halaman lama."


def test_withdrawal_needs_a_reason_keeps_the_record_and_stops_counting_it(desk):
    units, users, client = desk["units"], desk["users"], desk["clients"]["disdik"]
    consultation = make_consultation(units["disdik"], actor=users["disdik"])
    period = (date(2026, 3, 1), date(2026, 3, 31))
    assert consultation_count(period=period) == 1
    url = f"/meja/konsultasi/{consultation.id}/batalkan"
    empty = client.post(url, data={"version": str(consultation.version), "reason": " "})
    assert empty.status_code == 422 and "reason" in errors_of(empty)
    assert fresh(consultation.id).withdrawn_at is None
    done = client.post(url, data={"version": str(consultation.version), "reason": "Tercatat dua kali."})
    assert done.status_code == 303
    after = fresh(consultation.id)
    assert after.withdrawn_reason == "Tercatat dua kali." and kinds(consultation.id)[-1] == "consultation_withdrawn"
    assert count_all() == 1  # never deleted
    assert consultation_count(period=period) == 0
    assert f"consultation-{consultation.id}" not in client.get("/meja/konsultasi").get_data(as_text=True)
    assert f"consultation-{consultation.id}" in client.get("/meja/konsultasi?tampil=dibatalkan").get_data(as_text=True)
    # a withdrawn record is not corrected, withdrawn again or converted
    assert client.post(f"/meja/konsultasi/{consultation.id}/ubah",
                       data=form(units["disdik"], version=str(after.version))).status_code == 303
    assert fresh(consultation.id).channel == "walk_in"
    again = desk["clients"]["utama"].post(url, data={"version": str(after.version), "reason": "Lagi."})
    assert again.status_code == 303 and fresh(consultation.id).withdrawn_reason == "Tercatat dua kali."
    convert = desk["clients"]["utama"].post(f"/meja/konsultasi/{consultation.id}/jadikan-permohonan",
                                            data=desk_request_form())
    assert convert.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 0


# --- counts for monev ------------------------------------------------------------------------------

def test_counts_per_unit_and_period_on_local_dates(desk, make_unit):
    units, users = desk["units"], desk["users"]
    school = make_unit("SDN1", "SD Negeri 1", parent=units["disdik"])
    utama = users["utama"]
    # 31 March 23.30 WIB is 16.30 UTC: March, in the body's time zone
    make_consultation(units["disdik"], actor=utama, occurred_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    make_consultation(units["disdik"], actor=utama, occurred_at=datetime(2026, 2, 28, 17, 30, tzinfo=UTC))  # 1 Mar
    make_consultation(units["dinkes"], actor=utama, occurred_at=datetime(2026, 2, 28, 16, 30, tzinfo=UTC))  # 28 Feb
    make_consultation(school, actor=utama, occurred_at=datetime(2026, 3, 10, 2, 0, tzinfo=UTC))
    make_consultation(units["dinkes"], actor=utama, occurred_at=datetime(2026, 3, 11, 2, 0, tzinfo=UTC),
                      withdrawn=True)
    march = (date(2026, 3, 1), date(2026, 3, 31))
    assert consultation_count(period=march) == 3
    assert consultation_count([units["disdik"].id], period=march) == 2
    assert consultation_count([units["disdik"].id, school.id], period=march) == 3
    assert consultation_count([], period=march) == 0
    assert consultation_count([units["dinkes"].id], period=(date(2026, 2, 1), date(2026, 2, 28))) == 1
    assert consultation_counts_by_unit(period=march) == {units["disdik"].id: 2, school.id: 1}


def test_the_monev_dashboard_and_the_annual_report_count_them(desk, make_unit):
    units, users = desk["units"], desk["users"]
    for day in (2, 3, 4):
        make_consultation(units["disdik"], actor=users["disdik"], occurred_at=datetime(2026, 3, day, 2, 0, tzinfo=UTC))
    make_consultation(units["dinkes"], actor=users["dinkes"], channel="social_media",
                      occurred_at=datetime(2026, 3, 5, 2, 0, tzinfo=UTC))
    make_consultation(units["dinkes"], actor=users["dinkes"], occurred_at=datetime(2026, 3, 6, 2, 0, tzinfo=UTC),
                      withdrawn=True)
    utama, pengawas = desk["clients"]["utama"], desk["clients"]["pengawas"]
    page = pengawas.get("/meja/monev?periode=bulan&tahun=2026&bulan=3").get_data(as_text=True)
    section = page[page.index('id="consultations-monev"'):]
    assert 'id="consultations-total">4<' in section
    rows = section[section.index('id="consultations-by-unit"'):section.index("</table>")]
    assert rows.index("Dinas Pendidikan") < rows.index("Dinas Kesehatan")
    assert ">3</td>" in rows and ">1</td>" in rows
    assert "/meja/konsultasi" not in section  # the supervisor has no log to open
    # PPID Utama opens the list behind the number; one unit's dashboard counts that unit's
    assert "/meja/konsultasi?dari=2026-03-01" in utama.get("/meja/monev?periode=bulan&tahun=2026&bulan=3") \
        .get_data(as_text=True)
    one = utama.get("/meja/monev?periode=bulan&tahun=2026&bulan=3&unit=DINKES").get_data(as_text=True)
    assert 'id="consultations-total"><a' in one and ">1</a>" in one[one.index('id="consultations-total"'):]
    # the annual report of 2026 (a line): counted, withdrawn ones not
    from ppid_desk.monev.annual_selectors import annual_figures, year_metrics

    tables = {table.title: table for table in annual_figures(year_metrics(2026))}
    other = tables["Konsultasi dan layanan informasi nonformal"]
    assert [(row.label, row.value) for row in other.rows] == [
        ("Jumlah konsultasi dan layanan informasi nonformal yang dicatat", 4),
        ("Konsultasi yang kemudian diajukan sebagai permohonan informasi", 0)]


# --- "Jadikan permohonan" ---------------------------------------------------------------------------

# (consultation, local WIB, as UTC) -> the receipt date and the notice due 10 WD later (cuti bersama
# non-working): Nyepi 18–19 March, Idul Fitri 20–24 March, Good Friday 3 April.
CONVERSIONS = [
    # Saturday 14 March: day 1 is Mon 16, then 17, 25, 26, 27, 30, 31, 1 Apr, 2 Apr, 6 Apr (3 Apr holiday)
    (datetime(2026, 3, 14, 3, 0, tzinfo=UTC), date(2026, 3, 14), date(2026, 4, 6)),
    # Tuesday 17 March 15.00 WIB, the eve of Nyepi: day 1 is Wed 25 March
    (datetime(2026, 3, 17, 8, 0, tzinfo=UTC), date(2026, 3, 17), date(2026, 4, 8)),
    # Tuesday 3 March 06.30 WIB (still 2 March in UTC): 4 March is day 1
    (datetime(2026, 3, 2, 23, 30, tzinfo=UTC), date(2026, 3, 3), date(2026, 3, 17)),
]


@pytest.mark.parametrize("occurred_at, receipt_date, due", CONVERSIONS)
def test_conversion_registers_the_request_at_the_consultation_time(desk, occurred_at, receipt_date, due):
    units, users, petugas = desk["units"], desk["users"], desk["clients"]["petugas"]
    consultation = make_consultation(units["disdik"], actor=users["disdik"], occurred_at=occurred_at,
                                     channel="walk_in", resolution="advised_request", contact_consent=True,
                                     contact_name="Sri Rahayu", contact="0813 1111 2222",
                                     topic="Daftar penerima beasiswa daerah tahun 2025.")
    url = f"/meja/konsultasi/{consultation.id}/jadikan-permohonan"
    assert "Jadikan permohonan" in petugas.get(f"/meja/konsultasi/{consultation.id}").get_data(as_text=True)
    page = petugas.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # pre-filled with what the consultation knows; the receipt is shown, not typed
    assert 'value="Sri Rahayu"' in html and 'value="0813 1111 2222"' in html
    assert "Daftar penerima beasiswa daerah tahun 2025." in html
    assert 'value="walk_in" checked' in html and 'id="received-from-consultation"' in html
    assert 'name="received_date"' not in html and 'name="identity_document"' not in html
    # the browser's receipt fields, if any, are ignored: the consultation's time is the receipt
    data = desk_request_form(received_date="2026-03-25", received_time="09:00", version=str(consultation.version),
                             rincian="Daftar penerima beasiswa daerah tahun 2025 per kecamatan.")
    response = petugas.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    item = db.session.scalars(select(InformationRequest)).one()
    assert response.headers["Location"] == f"/permohonan/{item.id}/tanda-bukti"
    assert item.received_at == occurred_at and item.receipt_date == receipt_date and item.notice_due == due
    assert item.channel == "walk_in" and item.registered_by_id == users["petugas"].id
    after = fresh(consultation.id)
    assert after.request_id == item.id and after.converted_by_id == users["petugas"].id
    # linked both ways, with an event on each side
    assert kinds(consultation.id)[-1] == "consultation_converted"
    request_events = events_for("request", item.id)
    assert [e.kind for e in request_events] == ["registered", "from_consultation"]
    assert request_events[1].data == {"consultation_id": consultation.id}
    request_page = petugas.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="from-consultation"' in request_page and "Berasal dari konsultasi" in request_page
    assert f'href="/meja/konsultasi/{consultation.id}"' in request_page
    consultation_page = petugas.get(f"/meja/konsultasi/{consultation.id}").get_data(as_text=True)
    assert item.number in consultation_page and f'href="/meja/permohonan/{item.id}"' in consultation_page
    # converting twice is refused, on the page and on a replayed POST
    again = petugas.post(url, data=data, content_type="multipart/form-data")
    assert again.status_code == 303 and again.headers["Location"] == f"/meja/konsultasi/{consultation.id}"
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 1
    assert "sudah menjadi permohonan" in petugas.get(again.headers["Location"]).get_data(as_text=True)
    assert petugas.get(url).status_code == 303
    # the unit officer sees the link on its consultation, and cannot withdraw a converted one
    unit_page = desk["clients"]["disdik"].get(f"/meja/konsultasi/{consultation.id}").get_data(as_text=True)
    assert item.number in unit_page and "Batalkan catatan ini" not in unit_page
    withdraw = desk["clients"]["disdik"].post(f"/meja/konsultasi/{consultation.id}/batalkan",
                                              data={"version": str(after.version), "reason": "Keliru."})
    assert withdraw.status_code == 303 and fresh(consultation.id).withdrawn_at is None


def test_conversion_with_a_bad_request_form_keeps_everything_and_registers_nothing(desk):
    consultation = make_consultation(desk["units"]["disdik"], actor=desk["users"]["utama"])
    url = f"/meja/konsultasi/{consultation.id}/jadikan-permohonan"
    response = desk["clients"]["utama"].post(url, data=desk_request_form(
        name="", tujuan="Untuk penelitian skripsi.", version=str(consultation.version)),
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "name" in errors_of(response)
    assert "Untuk penelitian skripsi." in html and 'id="received-from-consultation"' in html
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 0
    assert fresh(consultation.id).request_id is None


def test_conversion_of_a_consultation_too_old_for_the_desk_is_refused_next_to_the_receipt(desk):
    consultation = make_consultation(desk["units"]["disdik"], actor=desk["users"]["utama"],
                                     occurred_at=datetime(2026, 1, 5, 2, 0, tzinfo=UTC))
    response = desk["clients"]["utama"].post(
        f"/meja/konsultasi/{consultation.id}/jadikan-permohonan",
        data=desk_request_form(version=str(consultation.version)), content_type="multipart/form-data")
    assert response.status_code == 422 and "received_date" in errors_of(response)
    assert "paling lama 60 hari" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 0


def test_only_the_desk_registration_roles_convert(desk):
    consultation = make_consultation(desk["units"]["disdik"], actor=desk["users"]["disdik"])
    url = f"/meja/konsultasi/{consultation.id}/jadikan-permohonan"
    unit = desk["clients"]["disdik"]
    assert "Jadikan permohonan</a>" not in unit.get(f"/meja/konsultasi/{consultation.id}").get_data(as_text=True)
    assert unit.get(url).status_code == 403
    assert unit.post(url, data=desk_request_form(), content_type="multipart/form-data").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 0


def test_two_conversions_racing_register_one_request(app, desk):
    """The second conversion, on a page opened before the first, is refused by the version check."""
    from ppid_desk.consultations.services import (
        AlreadyConverted,
        StaleConsultation,
        consultation_convert,
    )
    from ppid_desk.requests.services import ApplicantDetails, RequestDetails

    consultation = make_consultation(desk["units"]["disdik"], actor=desk["users"]["utama"])
    applicant = ApplicantDetails(kind="perorangan", name="Sri Rahayu", nik=None, legal_approval_number=None,
                                 representative_name=None, address="Jl. Kenanga 7", occupation="Petani",
                                 phone="0813 1111 2222", email="")
    details = RequestDetails(rincian="Data penerima beasiswa.", tujuan="Penelitian.", access_method="melihat",
                             copy_delivery=None)
    seen = consultation.version
    consultation_convert(actor=desk["users"]["petugas"], consultation=consultation, channel="walk_in",
                         applicant=applicant, details=details, expected_version=seen)
    db.session.commit()
    stale = fresh(consultation.id)
    with pytest.raises((AlreadyConverted, StaleConsultation)):
        consultation_convert(actor=desk["users"]["utama"], consultation=stale, channel="walk_in",
                             applicant=applicant, details=details, expected_version=seen)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 1


def test_a_converted_consultation_keeps_its_time(desk):
    """Its time is the request's receipt: the topic may be corrected, the time may not."""
    from ppid_desk.consultations.services import consultation_convert
    from ppid_desk.requests.services import ApplicantDetails, RequestDetails

    occurred = datetime(2026, 3, 24, 2, 15, 30, tzinfo=UTC)  # 09.15.30 WIB: kept to the second
    consultation = make_consultation(desk["units"]["disdik"], actor=desk["users"]["utama"], occurred_at=occurred)
    consultation_convert(
        actor=desk["users"]["petugas"], consultation=consultation, channel="phone",
        applicant=ApplicantDetails(kind="perorangan", name="Sri Rahayu", nik=None, legal_approval_number=None,
                                   representative_name=None, address="Jl. Kenanga 7", occupation="Petani",
                                   phone="0813 1111 2222", email=""),
        details=RequestDetails(rincian="Data beasiswa.", tujuan="Penelitian.", access_method="melihat",
                               copy_delivery=None))
    db.session.commit()
    client, url = desk["clients"]["disdik"], f"/meja/konsultasi/{consultation.id}/ubah"
    moved = client.post(url, data=form(desk["units"]["disdik"], occurred_time="10.00",
                                       version=str(fresh(consultation.id).version)))
    assert moved.status_code == 422 and "occurred_date" in errors_of(moved)
    assert "sudah menjadi permohonan" in moved.get_data(as_text=True)
    kept = client.post(url, data=form(desk["units"]["disdik"], topic="Data beasiswa per kecamatan.",
                                      version=str(fresh(consultation.id).version)))
    assert kept.status_code == 303
    after = fresh(consultation.id)
    assert after.topic == "Data beasiswa per kecamatan." and after.occurred_at == occurred
    assert after.request.received_at == occurred
