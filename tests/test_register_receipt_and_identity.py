"""The registers as issue 13 (item 8) reads them: the register permohonan shows the actual date
and time of receipt in the body's zone and, where a cut-off or a non-working day moved it, the
deemed date the clock counts from; the register keberatan shows who objected and who represented
them (name, address, contact), the Atasan as named when the response was issued, and the
applicant's reaction. Holidays: the library's 2026 calendar (18 March cuti bersama Nyepi, 19 Nyepi,
20–24 Idul Fitri with cuti bersama, 14 May Kenaikan, 15 May cuti bersama).
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from ppid_desk.extensions import db
from ppid_desk.notices.services import NoticeDraft, notice_issue
from ppid_desk.objections.models import Objection
from ppid_desk.organisation.profile_selectors import configured_patterns
from ppid_desk.organisation.profile_services import DayDraft, ProfileDraft, body_profile_save
from tests.factories import TEST, make_objection, respond_objection
from tests.helpers import csv_rows, desk_objection_form, fresh, pdf_bytes

WIB = timedelta(hours=7)
DEEMED = "Tanggal dianggap diterima (batas jam layanan atau hari libur)"


def wib(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - WIB


# (received, local time) -> deemed date with a 15.00 cut-off ("—": not moved).
CUTOFF_CASES = [
    (date(2026, 3, 2), (10, 0), "—"),  # Monday, before the cut-off
    (date(2026, 3, 2), (15, 0), "—"),  # at the cut-off itself
    (date(2026, 3, 2), (16, 30), "2026-03-03"),  # Monday evening: Tuesday
    (date(2026, 3, 6), (16, 0), "2026-03-09"),  # Friday evening: Monday
    (date(2026, 3, 7), (9, 0), "2026-03-09"),  # Saturday morning: Monday
    (date(2026, 3, 17), (15, 30), "2026-03-25"),  # before Nyepi and Idul Fitri with their cuti bersama
    (date(2026, 3, 18), (11, 0), "2026-03-25"),  # on cuti bersama Nyepi
    (date(2026, 5, 14), (10, 0), "2026-05-18"),  # Kenaikan, then cuti bersama and a weekend
]


def test_the_register_shows_the_real_receipt_and_beside_it_the_deemed_date(app, clock, file_request,
                                                                           officer_client, monkeypatch):
    monkeypatch.setitem(app.config, "RECEIPT_CUTOFF", "15:00")
    clock.travel_to(datetime(2026, 6, 1, 3, 0, tzinfo=UTC))
    numbers = {}
    for i, (day, (hour, minute), _deemed) in enumerate(CUTOFF_CASES):
        item = file_request(received_at=wib(day, hour, minute), email=f"p{i}@example.id", notify=False)
        numbers[item.number] = i
    rows = csv_rows(officer_client("pengawas").get("/meja/register/permohonan?format=csv&dari=2026-01-01"))
    by_case = {numbers[row[0]]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    for i, (day, (hour, minute), deemed) in enumerate(CUTOFF_CASES):
        row = by_case[i]
        assert (row["Tanggal diterima"], row["Jam diterima"], row[DEEMED]) == (
            day.isoformat(), f"{hour:02d}.{minute:02d} WIB", deemed), CUTOFF_CASES[i]


def test_without_a_cut_off_a_weekend_receipt_is_not_moved(app, clock, file_request, officer_client):
    clock.travel_to(datetime(2026, 3, 9, 3, 0, tzinfo=UTC))
    item = file_request(received_at=wib(date(2026, 3, 7), 20, 15), notify=False)
    assert item.receipt_date == date(2026, 3, 7)  # day 1 is Monday anyway (DESIGN §5)
    client = officer_client("petugas")
    rows = csv_rows(client.get("/meja/register/permohonan?format=csv"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Tanggal diterima"], row["Jam diterima"], row[DEEMED]) == ("2026-03-07", "20.15 WIB", "—")
    page = client.get("/meja/register/permohonan").get_data(as_text=True)
    assert "<td>7 Maret 2026</td><td>20.15 WIB</td><td>—</td>" in page


# --- register keberatan -------------------------------------------------------------------------

ATASAN = ("Dr. Sri Wahyuni, M.Si.", "Sekretaris Daerah Kabupaten Contoh")


def _profile(admin, name: str, position: str) -> None:
    body_profile_save(actor=admin, expected_version=None, draft=ProfileDraft(
        name="Pemerintah Kabupaten Contoh", address="Jl. Merdeka No. 1", atasan_name=name, atasan_position=position,
        patterns=configured_patterns(),
        days=tuple(DayDraft(weekday, True, "08.00", "16.00") for weekday in range(5))))
    db.session.commit()


@pytest.fixture
def represented(app, clock, file_request, make_user, officer_client):
    """Bayu's refused request; his representative objected on paper at the desk; the Atasan upheld
    the refusal; then the profile named a new Atasan."""
    admin = make_user(email="admin@pemda.example.id", roles=("admin",), name="Admin")
    utama = make_user(email="rina@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    _profile(admin, *ATASAN)
    clock.travel_to(wib(date(2026, 3, 2), 10))
    item = file_request(received_at=wib(date(2026, 3, 2), 10), name="Bayu Pratama", email="bayu@example.id")
    notice_issue(actor=utama, item=item, notify=False, at=wib(date(2026, 3, 4), 10),
                 draft=NoticeDraft(outcome="refused", held=True, consequence=TEST))
    db.session.commit()
    clock.travel_to(wib(date(2026, 3, 10), 11))
    response = officer_client("petugas").post(
        f"/meja/permohonan/{item.id}/keberatan/baru", content_type="multipart/form-data",
        data={**desk_objection_form(grounds=["a"], representative_name="Rahmat Kuasa, S.H.",
                                    representative_address="Jl. Kenari No. 9, Bandung",
                                    representative_contact="0815 2222 3333 / rahmat@example.id"),
              "power_of_attorney": (io.BytesIO(pdf_bytes()), "kuasa.pdf")})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    objection = db.session.scalar(select(Objection))
    respond_objection(objection, at=wib(date(2026, 3, 20), 10))
    _profile(admin, "Pejabat Baru", "Penjabat Sekretaris Daerah")
    clock.travel_to(wib(date(2026, 3, 31), 10))
    return fresh(objection)


def test_the_register_keberatan_names_both_parties_and_the_atasan_then(represented, officer_client):
    assert (represented.representative_address, represented.representative_contact) == (
        "Jl. Kenari No. 9, Bandung", "0815 2222 3333 / rahmat@example.id")
    assert represented.response_signature["name"] == ATASAN[0]
    client = officer_client("atasan")
    rows = csv_rows(client.get("/meja/register/keberatan?format=csv"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert {key: row[key] for key in ("Nama pemohon", "Alamat pemohon", "Kontak pemohon (telepon/e-mail)",
                                      "Nama kuasa", "Alamat kuasa", "Kontak kuasa (telepon/e-mail)")} == {
        "Nama pemohon": "Bayu Pratama", "Alamat pemohon": "Jl. Melati No. 5",
        "Kontak pemohon (telepon/e-mail)": "081234567890 / bayu@example.id",
        "Nama kuasa": "Rahmat Kuasa, S.H.", "Alamat kuasa": "Jl. Kenari No. 9, Bandung",
        "Kontak kuasa (telepon/e-mail)": "0815 2222 3333 / rahmat@example.id"}
    # The Atasan who signed, not the one the profile names today.
    assert row["Nama dan jabatan Atasan"] == f"{ATASAN[0]}, {ATASAN[1]}"
    assert row["Tanggapan pemohon"] == "—"
    for url in (f"/meja/keberatan/{represented.id}", f"/meja/keberatan/{represented.id}/tanda-terima"):
        page = client.get(url).get_data(as_text=True)
        assert "Jl. Kenari No. 9, Bandung · 0815 2222 3333 / rahmat@example.id" in page, url

    # The reaction, once recorded, joins the register (page and download agree).
    assert client.post(f"/meja/keberatan/{represented.id}/tanggapan-pemohon", data={
        "version": str(represented.version), "reaction": "not_accepted", "reaction_on": "27/03/2026",
        "reaction_note": "Akan berkonsultasi dulu."}).status_code == 303
    rows = csv_rows(client.get("/meja/register/keberatan?format=csv"))
    expected = ("Tidak menerima tanggapan (tidak/belum mengajukan sengketa) (diketahui 2026-03-27); "
                "catatan: Akan berkonsultasi dulu.")
    assert dict(zip(rows[0], rows[1], strict=True))["Tanggapan pemohon"] == expected
    assert expected in client.get("/meja/register/keberatan").get_data(as_text=True)


def test_an_open_objection_names_the_atasan_it_is_addressed_to(app, clock, file_request, make_user, officer_client):
    admin = make_user(email="admin@pemda.example.id", roles=("admin",), name="Admin")
    _profile(admin, *ATASAN)
    clock.travel_to(wib(date(2026, 3, 2), 10))
    make_objection(file_request(received_at=wib(date(2026, 3, 2), 10)), filed=date(2026, 3, 16))
    rows = csv_rows(officer_client("pengawas").get("/meja/register/keberatan?format=csv"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Keputusan Atasan"], row["Nama dan jabatan Atasan"], row["Nama kuasa"], row["Tanggapan pemohon"]) == (
        "Belum ditanggapi", f"{ATASAN[0]}, {ATASAN[1]}", "—", "—")
