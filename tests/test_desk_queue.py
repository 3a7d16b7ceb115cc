"""The desk queue (GET /meja/): filters, search, sorting, pages, per-unit visibility, no N+1."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ppid_desk.dbtypes import utcnow
from ppid_desk.extensions import db
from ppid_desk.requests.lifecycle import request_event
from ppid_desk.routing.labels import TASK_STATUS_LABELS
from ppid_desk.routing.models import RoutingTask
from ppid_desk.workcalendar.selectors import body_today, working_calendar
from ppid_desk.workcalendar.services import calendar_years_ensure

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # Senin 2 Maret 2026, 10.00 WIB
JAKARTA = ZoneInfo("Asia/Jakarta")
ROW_NUMBER = re.compile(r"<strong>(\d{4}/PPID/[IVX]+/\d{4})</strong></a>")


def numbers(response) -> list[str]:
    """Registration numbers of the rows, in display order."""
    return ROW_NUMBER.findall(response.get_data(as_text=True))


def received_on(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=JAKARTA).astimezone(UTC)


def working_days_before(day: date, n: int) -> date:
    calendar = working_calendar()
    for _ in range(n):
        day = calendar.previous_working_day(day)
    return day


@pytest.fixture
def today(clock) -> date:
    clock.travel_to(MONDAY)
    day = body_today()
    calendar_years_ensure(day.year - 1, day.year, day.year + 1)  # as `ppid init` and the sweep do
    db.session.commit()
    assert working_calendar().is_working_day(day)
    return day


@pytest.fixture
def desk(officer_client):
    return officer_client("ppid_utama")


@pytest.fixture
def route(app, make_user):
    """Create a routing task row directly (the routing services are another module's)."""
    router = make_user(email="router@pemda.example.id", roles=("ppid_utama",))

    def _route(item, unit, *, status="open", internal_due=None):
        task = RoutingTask(request_id=item.id, unit_id=unit.id, instruction="Siapkan dokumen.",
                           internal_due=internal_due or item.due_date, status=status, routed_by_id=router.id)
        db.session.add(task)
        db.session.commit()
        return task

    return _route


def change(item, kind: str, **changes):
    request_event(actor=None, actor_label="uji", item=item, kind=kind, changes=changes)
    db.session.commit()


@pytest.fixture
def clocks(today, file_request):
    """One open request in each clock state, plus an extended one and one with its notice issued."""
    items = {
        "overdue": file_request(received_at=received_on(working_days_before(today, 12)), name="Ani Terlambat"),
        "due_today": file_request(received_at=received_on(working_days_before(today, 10)), name="Bayu Hariini"),
        "due_soon": file_request(received_at=received_on(working_days_before(today, 9)), name="Citra Segera"),
        "on_track": file_request(received_at=received_on(today), name="Dedi Aman"),
        "extended": file_request(received_at=received_on(working_days_before(today, 11)), name="Eka Panjang"),
        "issued": file_request(received_at=received_on(working_days_before(today, 5)), name="Fajar Terbit"),
    }
    extended = items["extended"]
    change(extended, "extended", extended_due=working_calendar().add_working_days(extended.notice_due, 7),
           extension_reason="Dokumen tersebar di beberapa unit.")
    change(items["issued"], "notice_issued", status="notice_issued", notice_at=utcnow(), outcome="granted_full")
    return items


# --- access -------------------------------------------------------------------------------

def test_queue_refuses_anonymous_and_citizens(app, officer_client):
    anonymous = app.test_client()
    page = anonymous.get("/meja/")
    assert page.status_code == 302 and "/masuk" in page.headers["Location"]
    partial = anonymous.get("/meja/", headers={"HX-Request": "true"})
    assert partial.status_code == 401 and "/masuk" in partial.headers["HX-Redirect"]
    assert officer_client("pemohon").get("/meja/").status_code == 403
    assert officer_client("pemohon").get("/meja/", headers={"HX-Request": "true"}).status_code == 403


@pytest.mark.parametrize("role", ["petugas", "ppid_utama", "atasan", "pengawas", "admin"])
def test_every_desk_role_sees_every_request(role, today, file_request, officer_client):
    item = file_request(received_at=received_on(today))
    page = officer_client(role).get("/meja/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert numbers(page) == [item.number]
    assert 'href="/meja/"' in html and "Antrean permohonan" in html  # in the desk navigation


def test_officers_land_on_the_queue_and_citizens_on_their_requests(app, make_user):
    make_user(email="petugas@pemda.example.id", roles=("petugas",))
    make_user(email="warga@example.id", roles=("pemohon",))
    for email, landing in (("petugas@pemda.example.id", "/meja/"), ("warga@example.id", "/permohonan-saya")):
        response = app.test_client().post("/masuk", data={"email": email, "password": "rahasia-panjang-1"})
        assert response.status_code == 303 and response.headers["Location"] == landing


# --- the rows -----------------------------------------------------------------------------

def test_default_queue_shows_open_requests_nearest_deadline_first(clocks, file_request, desk, today):
    withdrawn = file_request(received_at=received_on(today), name="Gita Cabut")
    change(withdrawn, "withdrawn", status="withdrawn", closed_at=utcnow(), outcome="withdrawn")
    page = desk.get("/meja/")
    assert page.status_code == 200
    # The extended one is due 7 WD after its original due (6 WD from today): before the on-track one.
    expected = [clocks[k].number for k in ("overdue", "due_today", "due_soon", "extended", "on_track")]
    assert numbers(page) == expected
    html = page.get_data(as_text=True)
    assert "5 permohonan" in html
    assert withdrawn.number not in html and clocks["issued"].number not in html


def test_rows_show_applicant_summary_units_status_and_a_badge_read_today(clocks, desk, make_unit, route):
    unit = make_unit(code="DISDIK", name="Dinas Pendidikan")
    route(clocks["due_soon"], unit)
    html = desk.get("/meja/?status=semua").get_data(as_text=True)
    assert "Ani Terlambat" in html and "Dokumen anggaran Dinas Pendidikan tahun 2025." in html
    assert f'<abbr title="Dinas Pendidikan — {TASK_STATUS_LABELS["open"]}">DISDIK</abbr>' in html
    assert "Terdaftar" in html and "Pemberitahuan tertulis terbit" in html
    assert "terlambat 2 hari kerja" in html  # received 12 WD ago: due 2 WD ago
    assert "batas waktu hari ini" in html
    assert "1 hari kerja lagi" in html and "10 hari kerja lagi" in html
    assert "selesai" in html and "(diperpanjang)" in html


def test_one_working_day_is_singular_in_english_on_the_queue_and_the_request_page(clocks, desk, file_request, today):
    file_request(received_at=received_on(working_days_before(today, 11)), name="Gani Sehari")  # due yesterday
    desk.get("/bahasa/en?next=/meja/")
    html = desk.get("/meja/?status=semua").get_data(as_text=True)
    assert "1 working day left" in html and "10 working days left" in html
    assert "1 working day late" in html and "2 working days late" in html
    assert "1 working days" not in html
    # The request page's badge (requests/_clock_badge.html) says what the queue's row says.
    page = desk.get(f"/meja/permohonan/{clocks['due_soon'].id}").get_data(as_text=True)
    assert "1 working day left" in page and "1 working days" not in page


def test_long_rincian_is_cut_to_one_line(today, file_request, desk):
    file_request(received_at=received_on(today), rincian="Laporan keuangan\n" + "sangat panjang " * 40 + "AKHIR")
    html = desk.get("/meja/").get_data(as_text=True)
    assert "Laporan keuangan sangat panjang" in html and "AKHIR" not in html and "..." in html


# --- filters ------------------------------------------------------------------------------

@pytest.mark.parametrize("state, expected", [
    ("overdue", ["overdue"]), ("due_today", ["due_today"]), ("due_soon", ["due_soon"]),
    ("on_track", ["extended", "on_track"]),  # the extended one is 6 WD from its new due
    ("extended", ["extended"]),
])
def test_clock_filter_narrows_to_that_state(state, expected, clocks, desk):
    page = desk.get(f"/meja/?tenggat={state}")
    assert page.status_code == 200
    assert numbers(page) == [clocks[key].number for key in expected]


def test_due_soon_is_counted_in_working_days_across_a_weekend(today, clock, file_request, desk):
    # On Friday, a request due on Monday is 1 WD away (due soon), one due on Wednesday is 3 WD away.
    clock.travel_to(MONDAY + timedelta(days=4))
    friday = body_today()
    calendar = working_calendar()
    soon = file_request(received_at=received_on(working_days_before(friday, 9)))
    later = file_request(received_at=received_on(working_days_before(friday, 7)))
    assert calendar.working_days_between(friday, soon.due_date) == 1 and soon.due_date.weekday() == 0
    assert numbers(desk.get("/meja/?tenggat=due_soon")) == [soon.number]
    assert numbers(desk.get("/meja/?tenggat=on_track")) == [later.number]


def test_status_filter_single_several_and_all(clocks, file_request, desk, today):
    withdrawn = file_request(received_at=received_on(today))
    change(withdrawn, "withdrawn", status="withdrawn", closed_at=utcnow())
    change(clocks["due_soon"], "marked_incomplete", status="incomplete", missing_items="Fotokopi KTP")
    assert numbers(desk.get("/meja/?status=incomplete")) == [clocks["due_soon"].number]
    both = numbers(desk.get("/meja/?status=notice_issued&status=withdrawn"))
    assert sorted(both) == sorted([clocks["issued"].number, withdrawn.number])
    assert len(numbers(desk.get("/meja/?status=semua"))) == 7
    page = desk.get("/meja/?status=incomplete").get_data(as_text=True)
    assert '<option value="incomplete" selected>' in page  # the form shows the filter applied


def test_channel_filter(today, file_request, desk):
    letter = file_request(received_at=received_on(today), channel="letter")
    file_request(received_at=received_on(today), channel="online")
    assert numbers(desk.get("/meja/?kanal=letter")) == [letter.number]


def test_unit_filter_counts_live_tasks_only(today, file_request, desk, make_unit, route):
    disdik, dinkes = make_unit(code="DISDIK"), make_unit(code="DINKES", name="Dinas Kesehatan")
    both = file_request(received_at=received_on(today))
    health = file_request(received_at=received_on(today))
    moved = file_request(received_at=received_on(today))
    file_request(received_at=received_on(today))  # not routed
    route(both, disdik), route(both, dinkes, status="answered"), route(health, dinkes)
    route(moved, disdik, status="cancelled"), route(moved, dinkes)
    assert sorted(numbers(desk.get("/meja/?unit=DINKES"))) == sorted([both.number, health.number, moved.number])
    assert numbers(desk.get("/meja/?unit=DISDIK")) == [both.number]


def test_search_over_number_applicant_and_rincian(today, file_request, desk):
    budi = file_request(received_at=received_on(today), name="Budi Santoso", rincian="Daftar aset daerah.")
    siti = file_request(received_at=received_on(today), name="Siti Aminah", rincian="Anggaran 100% sekolah.")
    assert numbers(desk.get("/meja/?q=SANTOSO")) == [budi.number]  # case-insensitive
    assert numbers(desk.get("/meja/?q=aset")) == [budi.number]
    assert numbers(desk.get(f"/meja/?q={siti.number}")) == [siti.number]
    assert numbers(desk.get("/meja/?q=siti+anggaran")) == [siti.number]  # every word, any field
    assert numbers(desk.get("/meja/?q=budi+anggaran")) == []
    assert numbers(desk.get("/meja/?q=100%25")) == [siti.number]  # a literal %, not a wildcard
    assert numbers(desk.get("/meja/?q=_")) == []
    empty = desk.get("/meja/?q=tidak-ada-yang-cocok").get_data(as_text=True)
    assert "Tidak ada permohonan yang cocok dengan saringan ini." in empty and "0 permohonan" in empty


def test_invalid_filters_are_ignored_with_a_message(clocks, desk):
    page = desk.get("/meja/?status=bogus&tenggat=kemarin&kanal=fax&unit=NOPE&halaman=abc")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "tidak dikenali dan diabaikan" in html
    assert len(numbers(page)) == 5  # the default queue
    for name in ("Status", "Unit (PPID Pembantu)", "Saluran", "Batas waktu", "Halaman"):
        assert name in html.split("tidak dikenali dan diabaikan:")[1].split("</div>")[0]
    assert "diabaikan" not in desk.get("/meja/?tenggat=overdue").get_data(as_text=True)


def test_sorting_nearest_deadline_by_default_or_newest_registered(today, file_request, desk):
    late_letter = file_request(received_at=received_on(working_days_before(today, 8)), channel="letter")
    fresh = file_request(received_at=received_on(today))
    older = file_request(received_at=received_on(working_days_before(today, 4)))
    assert numbers(desk.get("/meja/")) == [late_letter.number, older.number, fresh.number]
    assert numbers(desk.get("/meja/?urut=terbaru")) == [older.number, fresh.number, late_letter.number]


# --- pages --------------------------------------------------------------------------------

def test_pagination_keeps_filters_and_clamps(today, file_request, desk):
    items = [file_request(received_at=received_on(working_days_before(today, i % 9)), channel="letter")
             for i in range(30)]
    file_request(received_at=received_on(today), channel="online")
    ordered = [i.number for i in sorted(items, key=lambda i: (i.due_date, i.id))]
    first = desk.get("/meja/?kanal=letter")
    assert numbers(first) == ordered[:25]
    html = first.get_data(as_text=True)
    assert "30 permohonan" in html and "halaman 1 dari 2" in html
    assert 'href="/meja/?kanal=letter&amp;halaman=2"' in html
    assert 'hx-get="/meja/?kanal=letter&amp;halaman=2"' in html
    assert numbers(desk.get("/meja/?kanal=letter&halaman=2")) == ordered[25:]
    assert numbers(desk.get("/meja/?kanal=letter&halaman=99")) == ordered[25:]  # the last page


# --- htmx ---------------------------------------------------------------------------------

def test_full_page_without_htmx_and_rows_only_with_it(clocks, desk):
    page = desk.get("/meja/?tenggat=overdue")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html and "HX-Request" in page.headers["Vary"]
    assert 'method="get" action="/meja/"' in html and 'hx-push-url="true"' in html
    assert 'hx-trigger="keyup changed delay:300ms, search"' in html
    assert '<option value="overdue" selected>' in html

    partial = desk.get("/meja/?tenggat=overdue", headers={"HX-Request": "true"})
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "HX-Request" in partial.headers["Vary"]
    assert body.strip().startswith('<div id="queue-rows">') and "<html" not in body
    assert 'method="get"' not in body  # not the filter form: only the rows (and the bulk-routing form around them)
    assert numbers(partial) == [clocks["overdue"].number] and "1 permohonan" in body

    restore = desk.get("/meja/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


# --- PPID Pembantu ------------------------------------------------------------------------

def test_unit_officer_sees_only_its_units_requests_with_its_task(today, file_request, officer_client,
                                                                  make_unit, route):
    disdik, dinkes = make_unit(code="DISDIK"), make_unit(code="DINKES", name="Dinas Kesehatan")
    mine = file_request(received_at=received_on(today))
    returned = file_request(received_at=received_on(today))
    theirs = file_request(received_at=received_on(today))
    file_request(received_at=received_on(today))  # not routed at all
    route(mine, disdik, internal_due=date(2026, 3, 9))
    route(returned, disdik, status="returned")
    route(theirs, dinkes)
    unit_officer = officer_client("pembantu", unit=disdik)
    page = unit_officer.get("/meja/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert sorted(numbers(page)) == sorted([mine.number, returned.number])
    assert "Tugas unit Anda" in html
    assert f"{TASK_STATUS_LABELS['open']} · " in html and f"{TASK_STATUS_LABELS['returned']} · " in html
    assert "tenggat internal 9 Maret 2026" in html
    assert 'name="unit"' not in html  # no unit filter: the queue is already the unit's
    assert sorted(numbers(unit_officer.get("/meja/?unit=DINKES"))) == sorted([mine.number, returned.number])
    assert numbers(unit_officer.get(f"/meja/?q={theirs.number}")) == []
    assert numbers(officer_client("pembantu").get("/meja/")) == []  # no unit: nothing


# --- no per-row queries -------------------------------------------------------------------

def test_a_page_costs_the_same_queries_for_5_or_60_rows(today, file_request, desk, make_unit, route,
                                                        count_queries, app, monkeypatch):
    # What rendering costs: the kept page (tests/test_render_cache.py) would answer the second look.
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 0)
    unit = make_unit()

    def add(count: int) -> None:
        for i in range(count):
            item = file_request(received_at=received_on(working_days_before(today, i % 12)),
                                name=f"Pemohon {i}", email=f"p{i}@example.id")
            route(item, unit)

    statements_seen: list[str] = []

    def queries_for_page() -> tuple[int, int]:
        desk.get("/meja/?halaman=1")  # warm: calendar years, session
        with count_queries() as statements:
            page = desk.get("/meja/?halaman=1")
        assert page.status_code == 200
        statements_seen[:] = statements
        return len(statements), len(numbers(page))

    add(5)
    few, rows = queries_for_page()
    assert rows == 5
    add(55)
    many, rows = queries_for_page()
    assert rows == 25
    # 11: the page's rows (with their count) and their tasks, the officers named in the assignee
    # filter, the officer's saved filters, the units of both unit pickers (one query), and what every
    # page reads (the officer, the body profile, the calendar); whatever the number of rows.
    assert few == many <= 11, (few, many, statements_seen)


def test_the_queue_decrypts_nothing_and_reads_a_page_past_the_end_as_the_last(today, file_request, desk,
                                                                               monkeypatch):
    """A list shows the applicant's name, never the NIK: no encrypted column is read (and so none
    decrypted) for it; the rows come with their count, and a page past the end shows the last."""
    import ppid_desk.dbtypes

    items = [file_request(received_at=received_on(working_days_before(today, i % 5)), name=f"Pemohon {i}")
             for i in range(27)]
    ordered = [i.number for i in sorted(items, key=lambda i: (i.due_date, i.id))]
    decrypted: list[str] = []
    real = ppid_desk.dbtypes.decrypt_text
    monkeypatch.setattr(ppid_desk.dbtypes, "decrypt_text", lambda value: decrypted.append(value) or real(value))
    html = desk.get("/meja/").get_data(as_text=True)
    assert "27 permohonan" in html and "halaman 1 dari 2" in html and "<strong>Pemohon 0</strong>" in html
    last = desk.get("/meja/?halaman=7")
    assert numbers(last) == ordered[25:] and "halaman 2 dari 2" in last.get_data(as_text=True)
    assert decrypted == []
