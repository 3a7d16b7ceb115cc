"""Calendar administration (/meja/kalender): add, rename, deactivate/reactivate holidays and local
closures, import a year; each change recounts the stored deadlines it can move.

Dates counted by hand (Asia/Jakarta, day 1 = first working day after the receipt date):
- received Mon 2026-07-06: 07-07 d1 … 07-10 d4, 07-13 … 07-17 d9, 07-20 d10 → due 07-20 (no
  holiday). A local closure on Wed 07-15 → due Tue 07-21. Extended by 7 WD from 07-20:
  07-21 … 07-24, 07-27, 07-28, 07-29 → 07-29.
- received Mon 2026-05-11: 05-12 d1, 05-13 d2, 05-14 LN Kenaikan, 05-15 CB Kenaikan, 05-18 d3 …
  05-22 d7, 05-25 d8, 05-26 d9, 05-27 LN Idul Adha, 05-28 CB Idul Adha, 05-29 d10 → due 05-29.
  Without the cuti bersama of 05-15: 05-15 d3 … 05-26 d10 → due 05-26.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from ppid_desk.audit.models import Event
from ppid_desk.extensions import db
from ppid_desk.requests.lifecycle import request_event
from ppid_desk.requests.models import InformationRequest
from ppid_desk.workcalendar.models import CalendarYear, Holiday, HolidaySource
from ppid_desk.workcalendar.services import calendar_year_import

# These tests import years themselves, or count what an import wrote: no baseline calendar.
pytestmark = pytest.mark.usefixtures("empty_calendar")

D = date.fromisoformat
JULY = datetime(2026, 7, 6, 3, 0, tzinfo=UTC)  # Mon 10:00 WIB
MAY = datetime(2026, 5, 11, 3, 0, tzinfo=UTC)


def fresh(item) -> InformationRequest:
    db.session.expire_all()
    return db.session.get(InformationRequest, item.id)


def recomputed_events(item) -> list[Event]:
    return list(db.session.scalars(select(Event).where(
        Event.subject_type == "request", Event.subject_id == item.id,
        Event.kind == "deadline_recomputed").order_by(Event.id)))


def calendar_events(year: int) -> list[Event]:
    return list(db.session.scalars(select(Event).where(
        Event.subject_type == "calendar", Event.subject_id == year).order_by(Event.id)))


def holiday(day: str, kind: str | None = None) -> Holiday:
    query = select(Holiday).where(Holiday.day == D(day))
    if kind:
        query = query.where(Holiday.kind == kind)
    return db.session.scalars(query).one()


@pytest.fixture
def admin(officer_client):
    return officer_client("admin", name="Admin Kalender")


def add(client, day="2026-07-15", kind="local_closure", name="Hari Jadi Kota Contoh", tahun=2026):
    return client.post(f"/meja/kalender/libur?tahun={tahun}", data={"day": day, "kind": kind, "name": name})


# --- recomputation ------------------------------------------------------------------------

def test_a_local_closure_in_the_window_moves_the_deadlines_it_spans(admin, clock, file_request, runner):
    """Open and closed requests alike (monev and the explanations count on today's calendar);
    only the open one's applicant is e-mailed (tests/test_calendar_recount.py checks the mail)."""
    clock.travel_to(JULY)
    open_item = file_request(received_at=JULY)
    closed = file_request(received_at=JULY, email="sari@example.id")
    request_event(actor=None, item=closed, kind="closed", changes={"status": "closed", "closed_at": JULY})
    later = file_request(received_at=datetime(2026, 7, 16, 3, 0, tzinfo=UTC), email="andi@example.id")
    db.session.commit()
    assert open_item.notice_due == D("2026-07-20") == closed.notice_due
    later_due = later.notice_due

    response = add(admin)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/meja/kalender?tahun=2026")

    item = fresh(open_item)
    assert item.notice_due == item.due_date == item.legal_due == D("2026-07-21")
    (event,) = recomputed_events(item)
    assert event.data["before"] == {"notice_due": "2026-07-20", "due_date": "2026-07-20", "legal_due": "2026-07-20"}
    assert event.data["after"] == {"notice_due": "2026-07-21", "due_date": "2026-07-21", "legal_due": "2026-07-21"}
    assert event.data["reason"] == "holiday_added"
    assert event.data["holiday"]["day"] == "2026-07-15" and event.data["holiday"]["kind"] == "local_closure"
    assert event.actor_label == "Admin Kalender"
    assert fresh(closed).notice_due == D("2026-07-21") and len(recomputed_events(closed)) == 1
    assert fresh(later).notice_due == later_due and not recomputed_events(later)  # received after 07-15

    page = admin.get("/meja/kalender?tahun=2026").get_data(as_text=True)
    assert "Hari Jadi Kota Contoh" in page and item.number in page  # the flash names it
    (calendar_event,) = [e for e in calendar_events(2026) if e.kind == "holiday_added"]
    assert calendar_event.data["requests_recomputed"] == [item.number, closed.number]
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0

    request_page = admin.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Batas waktu dihitung ulang karena kalender hari kerja berubah" in request_page


def test_deactivating_a_cuti_bersama_day_moves_the_deadline_back(admin, clock, file_request, runner):
    clock.travel_to(MAY)
    item = file_request(received_at=MAY)
    assert item.notice_due == D("2026-05-29")
    cuti = holiday("2026-05-15", "cuti_bersama")

    response = admin.post(f"/meja/kalender/libur/{cuti.id}/nonaktifkan")
    assert response.status_code == 303
    assert fresh(item).notice_due == D("2026-05-26")
    assert db.session.get(Holiday, cuti.id).active is False
    (event,) = recomputed_events(item)
    assert event.data["reason"] == "holiday_deactivated"
    assert event.data["before"]["notice_due"] == "2026-05-29" and event.data["after"]["notice_due"] == "2026-05-26"

    assert admin.post(f"/meja/kalender/libur/{cuti.id}/aktifkan").status_code == 303
    assert fresh(item).notice_due == D("2026-05-29")
    assert [e.data["reason"] for e in recomputed_events(item)] == ["holiday_deactivated", "holiday_reactivated"]
    # Doing it twice changes nothing and logs nothing.
    assert admin.post(f"/meja/kalender/libur/{cuti.id}/aktifkan").status_code == 303
    assert len(recomputed_events(item)) == 2
    assert [e.kind for e in calendar_events(2026)] == ["holiday_deactivated", "holiday_reactivated"]
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_deactivating_one_of_two_closures_on_a_day_moves_nothing(admin, clock, file_request):
    clock.travel_to(JULY)
    item = file_request(received_at=JULY)
    add(admin, name="Hari Jadi Kota Contoh")
    add(admin, name="Rapat kerja seluruh pegawai")
    assert fresh(item).notice_due == D("2026-07-21")
    first = db.session.scalars(select(Holiday).where(Holiday.name == "Hari Jadi Kota Contoh")).one()
    admin.post(f"/meja/kalender/libur/{first.id}/nonaktifkan")
    assert fresh(item).notice_due == D("2026-07-21") and len(recomputed_events(item)) == 1


@pytest.mark.parametrize(("key", "closure", "notice", "extended"), [
    ("working_days", "2026-07-23", "2026-07-20", "2026-07-30"),  # inside the extension only
    ("wd", "2026-07-15", "2026-07-21", "2026-07-30"),  # inside the first 10 WD: both move
    (None, "2026-07-22", "2026-07-20", "2026-07-28"),  # a 5-WD extension, length counted
])
def test_an_extended_deadline_keeps_its_length(admin, clock, file_request, runner, key, closure,
                                               notice, extended):
    clock.travel_to(JULY)
    item = file_request(received_at=JULY)
    length, extended_due = (7, D("2026-07-29")) if key else (5, D("2026-07-27"))
    request_event(actor=None, item=item, kind="extended",
                  changes={"extended_due": extended_due, "extension_reason": "Arsip di gudang."},
                  data={key: length} if key else {})
    db.session.commit()

    assert add(admin, day=closure).status_code == 303
    item = fresh(item)
    assert (item.notice_due, item.extended_due, item.due_date) == (D(notice), D(extended), D(extended))
    (event,) = recomputed_events(item)
    assert event.data["extension_wd"] == length
    assert event.data["after"]["extended_due"] == extended
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_import_a_year_recomputes_and_refuses_a_second_import(admin, clock, file_request, runner):
    # A request filed while 2026 was marked imported without its holidays (e.g. restored data):
    # received Mon 2026-08-10, due 08-24 on weekdays alone; with 08-17 (LN Kemerdekaan) and
    # 08-25 (LN Maulid Nabi) skipped it is 08-26.
    db.session.add(CalendarYear(year=2026, source="kosong", holidays_imported=0))
    db.session.commit()
    received = datetime(2026, 8, 10, 3, 0, tzinfo=UTC)
    clock.travel_to(received)
    item = file_request(received_at=received)
    assert item.notice_due == D("2026-08-24")
    db.session.delete(db.session.get(CalendarYear, 2026))
    db.session.commit()

    page = admin.get("/meja/kalender?tahun=2026").get_data(as_text=True)
    assert "belum diimpor" in page and "Impor hari libur 2026" in page

    response = admin.post("/meja/kalender/impor", data={"year": "2026"})
    assert response.status_code == 303
    assert db.session.get(CalendarYear, 2026).holidays_imported > 10
    assert holiday("2026-08-17").source == HolidaySource.LIBRARY
    assert fresh(item).notice_due == D("2026-08-26")
    (event,) = recomputed_events(item)
    assert event.data["reason"] == "year_imported"
    assert [e.kind for e in calendar_events(2026)] == ["year_imported"]

    again = admin.post("/meja/kalender/impor", data={"year": "2026"})
    assert again.status_code == 422
    assert "sudah pernah diimpor" in again.get_data(as_text=True)
    page = admin.get("/meja/kalender?tahun=2026").get_data(as_text=True)
    assert "sudah diimpor" in page and "Hari Kemerdekaan Republik Indonesia" in page
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_import_a_future_year_from_the_page(admin):
    assert admin.post("/meja/kalender/impor", data={"year": "2027"}).status_code == 303
    assert db.session.get(CalendarYear, 2027) is not None
    page = admin.get("/meja/kalender?tahun=2027").get_data(as_text=True)
    assert "Tahun Baru Masehi" in page and "Impor (pustaka holidays)" in page


# --- rename ---------------------------------------------------------------------------------

def test_rename_a_holiday(admin, clock, file_request):
    clock.travel_to(MAY)
    item = file_request(received_at=MAY)
    cuti = holiday("2026-05-15", "cuti_bersama")
    form = admin.get(f"/meja/kalender/libur/{cuti.id}")
    assert form.status_code == 200 and "Cuti Bersama Kenaikan Yesus Kristus" in form.get_data(as_text=True)
    assert "<html" in form.get_data(as_text=True)
    partial = admin.get(f"/meja/kalender/libur/{cuti.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert partial.strip().startswith('<div id="holiday-main"') and 'value="Cuti Bersama Kenaikan Yesus Kristus"' in partial

    response = admin.post(f"/meja/kalender/libur/{cuti.id}", data={"name": "  Cuti Bersama Kenaikan  "})
    assert response.status_code == 303
    assert db.session.get(Holiday, cuti.id).name == "Cuti Bersama Kenaikan"
    (event,) = calendar_events(2026)
    assert event.kind == "holiday_renamed" and event.data["name_before"] == "Cuti Bersama Kenaikan Yesus Kristus"
    assert not recomputed_events(item) and fresh(item).notice_due == D("2026-05-29")
    explanation = admin.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Cuti Bersama Kenaikan" in explanation


def test_rename_errors_stay_next_to_the_field(admin):
    calendar_year_import(2026)
    db.session.commit()
    nyepi = holiday("2026-03-19")
    empty = admin.post(f"/meja/kalender/libur/{nyepi.id}", data={"name": "   "})
    assert empty.status_code == 422
    assert "Tulis nama hari libur." in empty.get_data(as_text=True)
    long = admin.post(f"/meja/kalender/libur/{nyepi.id}", data={"name": "N" * 201})
    assert long.status_code == 422 and "N" * 201 in long.get_data(as_text=True)
    assert "Paling banyak 200 karakter." in long.get_data(as_text=True)
    assert admin.get("/meja/kalender/libur/999999").status_code == 404


# --- the add form ------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "field", "message"), [
    ({"day": "31-02-2026"}, "day", "Tulis tanggal yang benar"),
    ({"day": ""}, "day", "Tulis tanggal hari libur."),
    ({"day": "1800-01-01"}, "day", "Kalender mencakup tahun"),
    ({"name": "  "}, "name", "Tulis nama hari libur."),
    ({"kind": ""}, "kind", "Pilih jenis hari libur."),
    ({"kind": "weekend"}, "kind", "Pilih salah satu pilihan yang tersedia."),
])
def test_add_form_errors_are_shown_next_to_the_field_with_typed_values_kept(admin, data, field, message):
    values = {"day": "15-07-2026", "kind": "local_closure", "name": "Hari Jadi Kota Contoh", **data}
    response = admin.post("/meja/kalender/libur?tahun=2026", data=values)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html and message in html
    assert f'href="#{field}"' in html  # the error summary links to the field
    for name in ("day", "name"):
        if values[name].strip():
            # a day that is a date comes back as ISO, the value a native date input can show
            shown = "2026-07-15" if values[name] == "15-07-2026" else values[name]
            assert f'value="{shown}"' in html
    assert not db.session.scalars(select(Holiday).where(Holiday.source == HolidaySource.ADMIN)).all()


def test_a_duplicate_is_refused_and_day_first_dates_are_accepted(admin):
    assert add(admin, day="15-07-2026").status_code == 303
    assert holiday("2026-07-15").name == "Hari Jadi Kota Contoh"
    again = add(admin, day="2026-07-15", name="hari jadi kota contoh")
    assert again.status_code == 422
    assert "sudah ada pada tanggal itu" in again.get_data(as_text=True)
    library = add(admin, day="2026-08-17", kind="libur_nasional", name="Hari Kemerdekaan Republik Indonesia")
    assert library.status_code == 422
    admin.post(f"/meja/kalender/libur/{holiday('2026-07-15').id}/nonaktifkan")
    inactive = add(admin, day="2026-07-15")
    assert inactive.status_code == 422 and "Aktifkan kembali" in inactive.get_data(as_text=True)


# --- the page, access and HTMX -------------------------------------------------------------

def test_the_page_lists_the_year_with_and_without_htmx(admin):
    calendar_year_import(2026)
    db.session.commit()
    page = admin.get("/meja/kalender?tahun=2026")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html and "Vary" in page.headers
    assert "Kalender hari kerja 2026" in html and "Hari Raya Natal" in html
    assert "Jumat" in html and "cuti bersama" in html and "Aktif" in html
    assert '<a href="/meja/kalender" aria-current="page">Kalender hari kerja</a>' in html  # the desk menu
    partial = admin.get("/meja/kalender?tahun=2026", headers={"HX-Request": "true"})
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in body
    assert body.strip().startswith('<div id="calendar-main"') and "Hari Raya Natal" in body
    assert "HX-Request" in partial.headers["Vary"]
    # An unknown year falls back to this year; reading a never-imported year imports nothing.
    assert admin.get("/meja/kalender?tahun=abc").status_code == 200
    assert admin.get("/meja/kalender?tahun=2031").status_code == 200
    assert db.session.get(CalendarYear, 2031) is None


def test_the_menu_shows_the_calendar_to_admins_only(admin, officer_client, file_request):
    item = file_request()
    assert "Kalender hari kerja" in admin.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    utama = officer_client("ppid_utama")
    assert "Kalender hari kerja" not in utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)


CALENDAR_URLS = [
    ("get", "/meja/kalender?tahun=2026"),
    ("post", "/meja/kalender/libur"),
    ("get", "/meja/kalender/libur/{id}"),
    ("post", "/meja/kalender/libur/{id}"),
    ("post", "/meja/kalender/libur/{id}/nonaktifkan"),
    ("post", "/meja/kalender/libur/{id}/aktifkan"),
    ("post", "/meja/kalender/impor"),
]


def test_only_admins_reach_the_calendar(app, officer_client):
    calendar_year_import(2026)
    db.session.commit()
    holiday_id = holiday("2026-08-17").id
    data = {"day": "2026-07-15", "kind": "local_closure", "name": "X", "year": "2027"}
    anonymous = app.test_client()
    others = {role: officer_client(role) for role in
              ("pemohon", "petugas", "ppid_utama", "pembantu", "atasan", "pengawas")}
    for method, url in CALENDAR_URLS:
        url = url.format(id=holiday_id)
        response = getattr(anonymous, method)(url, data=data)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], url
        htmx = getattr(anonymous, method)(url, data=data, headers={"HX-Request": "true"})
        assert htmx.status_code == 401 and "HX-Redirect" in htmx.headers, url
        for role, client in others.items():
            assert getattr(client, method)(url, data=data).status_code == 403, (role, url)
    assert holiday("2026-08-17").active and db.session.get(CalendarYear, 2027) is None
    assert not db.session.scalars(select(Holiday).where(Holiday.source == HolidaySource.ADMIN)).all()


def test_a_concurrent_change_of_an_affected_request_saves_nothing(admin, clock, file_request, monkeypatch):
    from sqlalchemy.orm.exc import StaleDataError

    from ppid_desk.workcalendar import views

    clock.travel_to(JULY)
    item = file_request(received_at=JULY)
    real_add = views.holiday_add

    def add_then_lose_the_race(**kwargs):
        real_add(**kwargs)
        raise StaleDataError("information_request changed meanwhile")

    monkeypatch.setattr(views, "holiday_add", add_then_lose_the_race)
    response = add(admin)
    assert response.status_code == 409
    assert "belum disimpan" in response.get_data(as_text=True)
    assert fresh(item).notice_due == D("2026-07-20") and not recomputed_events(item)
    assert not db.session.scalars(select(Holiday).where(Holiday.source == HolidaySource.ADMIN)).all()


def test_every_calendar_form_carries_a_csrf_token(app, admin):
    import re

    calendar_year_import(2026)
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True  # the app fixture turns it off again for the next test
    html = admin.get("/meja/kalender?tahun=2026").get_data(as_text=True)
    forms = re.findall(r'<form [^>]*method="post".*?</form>', html, flags=re.S)
    assert len(forms) > 20 and all('name="csrf_token"' in form for form in forms)
    assert add(admin).status_code == 400  # no token
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = admin.post("/meja/kalender/libur?tahun=2026", data={
        "csrf_token": token, "day": "2026-07-15", "kind": "local_closure", "name": "Hari Jadi"})
    assert response.status_code == 303
    nyepi = holiday("2026-03-19")
    assert admin.post(f"/meja/kalender/libur/{nyepi.id}/nonaktifkan").status_code == 400
    assert admin.post(f"/meja/kalender/libur/{nyepi.id}/nonaktifkan",
                      data={"csrf_token": token}).status_code == 303


def test_an_extension_by_the_notices_service_is_recomputed_with_its_length(admin, clock, file_request,
                                                                          make_user, runner):
    """With the real extension service (notices): 3 WD from 07-20 → 07-23; a closure on 07-22
    → 07-24."""
    from ppid_desk.notices.services import request_extend

    clock.travel_to(JULY)
    item = file_request(received_at=JULY)
    utama = make_user(email="utama.ext@pemda.example.id", roles=("ppid_utama",))
    request_extend(actor=utama, item=fresh(item), reason="Dokumen tersimpan di arsip daerah.",
                   working_days=3)
    db.session.commit()
    assert fresh(item).extended_due == D("2026-07-23")

    assert add(admin, day="2026-07-22").status_code == 303
    item = fresh(item)
    assert (item.notice_due, item.extended_due) == (D("2026-07-20"), D("2026-07-24"))
    (event,) = recomputed_events(item)
    assert event.data["extension_wd"] == 3
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0
