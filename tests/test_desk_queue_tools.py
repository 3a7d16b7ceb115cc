"""The desk queue's tools (issue 14 item 7): a search that finds nothing here counts the other
statuses; assigning a request to a named officer; saved filters; routing ticked requests at once.
Every assertion reads what was committed (a fresh session), not what the test's session holds."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from ppid_desk.accounts.models import User
from ppid_desk.audit.selectors import events_for
from ppid_desk.desk.queue_models import SavedQueueFilter
from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.requests.lifecycle import replayed_columns, request_event
from ppid_desk.requests.models import InformationRequest
from ppid_desk.routing.models import RoutingTask
from ppid_desk.routing.services import request_route
from ppid_desk.workcalendar.selectors import working_calendar
from ppid_desk.workcalendar.services import calendar_years_ensure
from tests.helpers import errors_of, fresh

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # Senin 2 Maret 2026, 10.00 WIB
ROW_NUMBER = re.compile(r"<strong>(\d{4}/PPID/[IVX]+/\d{4})</strong></a>")


def numbers(response) -> list[str]:
    return ROW_NUMBER.findall(response.get_data(as_text=True))


def user_of(client) -> User:
    return db.session.scalar(select(User).where(User.email == client.user_email))


@pytest.fixture
def today(clock):
    clock.travel_to(MONDAY)
    calendar_years_ensure(2025, 2026, 2027)
    db.session.commit()


def close(item, kind="closed", **changes) -> None:
    request_event(actor=None, actor_label="uji", item=item, kind=kind,
                  changes={"status": "closed", "closed_at": datetime.now(UTC), **changes})
    db.session.commit()


# --- 1. a search that finds nothing here -----------------------------------------------------

def test_a_search_that_finds_nothing_open_counts_and_links_the_other_statuses(today, file_request, officer_client):
    desk = officer_client("ppid_utama")
    file_request(name="Budi Terbuka")
    closed = [file_request(name=f"Wati Selesai {i}", email=f"w{i}@example.id") for i in range(3)]
    for item in closed:
        close(item)

    page = desk.get("/meja/?q=Wati")
    html = unescape(page.get_data(as_text=True))
    assert page.status_code == 200 and numbers(page) == []
    assert "Tidak ada di saringan ini. 3 permohonan cocok dengan status lain" in html
    link = re.search(r'<p id="queue-elsewhere">.*?<a href="([^"]+)">tampilkan</a>', html, re.S).group(1)
    assert "q=Wati" in link and "status=semua" in link  # the search kept, the status widened

    widened = desk.get(link)
    assert sorted(numbers(widened)) == sorted(item.number for item in closed)

    # htmx swaps the rows: the same message in the partial
    partial = desk.get("/meja/?q=Wati", headers={"HX-Request": "true"})
    assert "3 permohonan cocok dengan status lain" in partial.get_data(as_text=True)


def test_a_search_that_finds_nothing_anywhere_offers_no_link(today, file_request, officer_client):
    desk = officer_client("petugas")
    close(file_request(name="Wati Selesai"))
    for url in ("/meja/?q=Zulkarnaen", "/meja/?q=Zulkarnaen&status=semua"):
        html = desk.get(url).get_data(as_text=True)
        assert "queue-elsewhere" not in html
        assert "Tidak ada permohonan yang cocok dengan saringan ini." in html


def test_the_count_elsewhere_keeps_a_unit_officers_scope(today, file_request, officer_client, make_unit):
    """A unit officer is told only of requests routed to its unit, in other statuses too."""
    unit, other_unit = make_unit("DINKES", "Dinas Kesehatan"), make_unit("DISHUB", "Dinas Perhubungan")
    utama = User(email="utama@pemda.example.id", name="Utama")
    utama.set_password("rahasia-panjang-1")
    db.session.add(utama)
    db.session.commit()
    ours, theirs = file_request(name="Wati Kita"), file_request(name="Wati Mereka", email="m@example.id")
    for item, to in ((ours, unit), (theirs, other_unit)):
        request_route(actor=utama, item=item, unit_ids=[to.id], instruction="Siapkan.", internal_due=item.notice_due,
                      notify=False)
        db.session.commit()
        close(item)
    html = officer_client("pembantu", unit=unit).get("/meja/?q=Wati").get_data(as_text=True)
    assert "1 permohonan cocok dengan status lain" in html


# --- 2. assigning a request to a named officer -----------------------------------------------

@pytest.fixture
def staff(today, officer_client, make_user):
    utama = officer_client("ppid_utama", name="Ratna Utama")
    petugas = officer_client("petugas", name="Dewi Petugas")
    return utama, petugas


def assign(client, item, assignee_id, **extra):
    return client.post(f"/meja/permohonan/{item.id}/penugasan",
                       data={"assignee": "" if assignee_id is None else str(assignee_id), **extra})


def test_ppid_utama_assigns_reassigns_and_unassigns_each_change_an_event(staff, file_request, officer_client):
    utama, petugas = staff
    item = file_request()
    dewi = user_of(petugas)
    other = user_of(officer_client("petugas", name="Eko Petugas"))

    response = assign(utama, item, dewi.id)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/meja/permohonan/{item.id}#penugasan")
    assert fresh(item).assignee_id == dewi.id
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == dewi.email)).all()
    assert len(mail) == 1 and item.number in mail[0].subject and f"/meja/permohonan/{item.id}" in mail[0].body

    assert assign(utama, item, other.id).status_code == 303
    assert assign(utama, item, None).status_code == 303
    item = fresh(item)
    assert item.assignee_id is None
    changes = [(e.data["before"]["assignee_id"], e.data["after"]["assignee_id"])
               for e in events_for("request", item.id) if e.kind == "assigned"]
    assert changes == [(None, dewi.id), (dewi.id, other.id), (other.id, None)]
    assert replayed_columns(item)["assignee_id"] is None  # the log replays to the stored column
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == other.email)) is not None

    page = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="penugasan"' in page and '<option value="" selected>— Belum ditugaskan —</option>' in page
    assert "Penugasan petugas diubah" in page  # on the timeline


def test_the_assignee_shows_in_the_queue_and_filters_it(staff, file_request):
    utama, petugas = staff
    mine, other = file_request(name="Ani Satu"), file_request(name="Budi Dua", email="b@example.id")
    dewi = user_of(petugas)
    assert assign(utama, mine, dewi.id).status_code == 303

    queue = petugas.get("/meja/")
    html = queue.get_data(as_text=True)
    assert "Dewi Petugas" in html and "(Anda)" in html
    assert sorted(numbers(queue)) == sorted([mine.number, other.number])
    assert numbers(petugas.get("/meja/?petugas=saya")) == [mine.number]
    assert numbers(utama.get("/meja/?petugas=saya")) == []
    assert numbers(utama.get(f"/meja/?petugas={dewi.id}")) == [mine.number]
    assert numbers(utama.get("/meja/?petugas=belum")) == [other.number]
    # an officer no request is assigned to is not a choice: ignored, with a message
    ignored = utama.get("/meja/?petugas=999999").get_data(as_text=True)
    assert "Sebagian saringan tidak dikenali" in ignored and "Ditugaskan kepada" in ignored


def test_only_active_staff_of_the_right_unit_can_be_assigned(staff, file_request, make_user, make_unit):
    utama, _petugas = staff
    item = file_request()
    unit, other_unit = make_unit("DINKES", "Dinas Kesehatan"), make_unit("DISHUB", "Dinas Perhubungan")
    gone = make_user(email="lama@pemda.example.id", roles=("petugas",), name="Lama")
    gone.active = False
    citizen = make_user(email="warga2@example.id", roles=("pemohon",))
    supervisor = make_user(email="awas@pemda.example.id", roles=("pengawas",))
    routed_officer = make_user(email="kes@pemda.example.id", roles=("pembantu",), unit=unit, name="Kes")
    elsewhere_officer = make_user(email="hub@pemda.example.id", roles=("pembantu",), unit=other_unit)
    db.session.commit()
    request_route(actor=db.session.scalar(select(User).where(User.email == utama.user_email)), item=item,
                  unit_ids=[unit.id], instruction="Siapkan.", internal_due=item.notice_due, notify=False)
    db.session.commit()
    version = fresh(item).version

    for bad in (gone.id, citizen.id, supervisor.id, elsewhere_officer.id, 999_999_999, "abc", "-1"):
        response = assign(utama, item, bad)
        assert response.status_code == 422, bad
        assert errors_of(response) == ["assign-assignee"]
        assert "Pilih petugas aktif dari daftar" in response.get_data(as_text=True)
    item = fresh(item)
    assert item.assignee_id is None and item.version == version
    assert not [e for e in events_for("request", item.id) if e.kind == "assigned"]

    page = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    choices = re.search(r'<select class="input" id="assign-assignee".*?</select>', page, re.S).group(0)
    assert "Kes (DINKES)" in choices and "Lama" not in choices and "Siti Warga" not in choices
    assert f'value="{elsewhere_officer.id}"' not in choices and f'value="{supervisor.id}"' not in choices

    assert assign(utama, item, routed_officer.id).status_code == 303  # the unit holds a task on it
    assert fresh(item).assignee_id == routed_officer.id


def test_who_may_assign_and_a_stale_form(staff, file_request, officer_client, make_unit):
    utama, petugas = staff
    item = file_request()
    dewi = user_of(petugas)
    for role in ("atasan", "pengawas", "admin"):
        assert assign(officer_client(role), item, dewi.id).status_code == 403
    assert assign(petugas, item, dewi.id).status_code == 303  # the desk officer triages too
    item = fresh(item)
    # a form loaded before that change: refused as stale, nothing changed
    response = assign(utama, item, None, version=str(item.version - 1))
    assert response.status_code == 409 and fresh(item).assignee_id == dewi.id
    # the panel for officers who only read: the name, no form
    html = officer_client("atasan").get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "<p><strong>Dewi Petugas</strong>" in html and 'id="assign-assignee"' not in html
    # an assignee no longer offered (deactivated) is still named beside the select
    dewi.active = False
    db.session.commit()
    html = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "<p><strong>Dewi Petugas</strong> <span class=\"hint\">(akun nonaktif)</span>" in html
    assert 'id="assign-assignee"' in html


# --- 3. saved filters -------------------------------------------------------------------------

def test_save_use_and_delete_a_filter_private_to_its_officer(today, file_request, officer_client):
    desk, other = officer_client("ppid_utama"), officer_client("ppid_utama")
    item = file_request(channel="email")
    file_request(email="x@example.id")
    page = desk.get("/meja/?kanal=email").get_data(as_text=True)
    query = re.search(r'name="query" value="([^"]*)"', page).group(1)
    assert unescape(query) == "kanal=email"

    response = desk.post("/meja/saringan", data={"name": "  Lewat e-mail ", "query": "kanal=email"})
    saved = db.session.scalar(select(SavedQueueFilter))
    assert response.status_code == 303 and saved.name == "Lewat e-mail" and saved.query == "kanal=email"
    assert response.headers["Location"] == f"/meja/?kanal=email&simpanan={saved.id}"
    assert numbers(desk.get(response.headers["Location"])) == [item.number]

    listed = desk.get("/meja/").get_data(as_text=True)
    assert f'href="/meja/?kanal=email&amp;simpanan={saved.id}"' in listed and "Lewat e-mail" in listed
    assert "Lewat e-mail" not in other.get("/meja/").get_data(as_text=True)  # private

    # the same name again (any letter case) is refused next to the field
    again = desk.post("/meja/saringan", data={"name": "LEWAT E-MAIL", "query": "kanal=surat"})
    assert again.status_code == 422 and errors_of(again) == ["saved-name"]
    # another officer cannot delete it; its owner can
    assert other.post(f"/meja/saringan/{saved.id}/hapus").status_code == 303
    assert db.session.scalar(select(SavedQueueFilter)) is not None
    assert desk.post(f"/meja/saringan/{saved.id}/hapus").status_code == 303
    assert db.session.scalar(select(SavedQueueFilter)) is None
    assert "simpanan=" not in desk.get("/meja/").get_data(as_text=True)


@pytest.mark.parametrize("name, query, message", [
    ("", "kanal=email", "Tulis nama untuk saringan ini"),
    ("x" * 61, "kanal=email", "paling banyak 60"),
    ("Kosong", "", "Pilih saringan dulu"),
    ("Rusak", "kanal=merpati&status=entah", "tidak dikenali"),
])
def test_a_filter_that_cannot_be_saved_says_why_next_to_the_name(today, officer_client, name, query, message):
    desk = officer_client("petugas")
    response = desk.post("/meja/saringan", data={"name": name, "query": query})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and errors_of(response) == ["saved-name"]
    assert message.lower() in unescape(html).lower()
    assert db.session.scalar(select(SavedQueueFilter)) is None


def test_a_saved_filter_that_no_longer_validates_shows_a_message(today, file_request, officer_client, make_unit):
    desk = officer_client("ppid_utama")
    user = user_of(desk)
    unit = make_unit("DINKES", "Dinas Kesehatan")
    file_request()
    saved = SavedQueueFilter(user_id=user.id, name="Dinkes", query=f"unit={unit.code}&tenggat=hilang")
    db.session.add(saved)
    db.session.commit()
    page = desk.get(f"/meja/?unit={unit.code}&tenggat=hilang&simpanan={saved.id}")
    html = unescape(page.get_data(as_text=True))
    assert page.status_code == 200 and 'id="saved-filter-stale"' in html
    assert 'Saringan tersimpan "Dinkes" tidak lagi berlaku seluruhnya: Batas waktu' in html
    # another officer's saved filter id names nothing
    other = officer_client("ppid_utama").get(f"/meja/?tenggat=hilang&simpanan={saved.id}")
    assert other.status_code == 200 and "saved-filter-stale" not in other.get_data(as_text=True)


# --- 4. routing ticked requests at once -------------------------------------------------------

@pytest.fixture
def routing(today, officer_client, make_unit, file_request):
    utama = officer_client("ppid_utama")
    unit = make_unit("DINKES", "Dinas Kesehatan")
    return utama, unit


def bulk(client, items, unit_code, **extra):
    return client.post("/meja/disposisi-massal", data={
        "pilih": [str(item.id) for item in items], "unit": unit_code,
        "instruction": "Siapkan dokumen anggaran.", "kembali": "kanal=online", **extra})


def tasks_of(item) -> list[RoutingTask]:
    return list(db.session.scalars(select(RoutingTask).where(RoutingTask.request_id == item.id)))


def test_the_queue_offers_checkboxes_and_the_bulk_form_to_ppid_utama_only(routing, file_request, officer_client):
    utama, _unit = routing
    item = file_request()
    html = utama.get("/meja/").get_data(as_text=True)
    assert '<form method="post" action="/meja/disposisi-massal"' in html
    assert f'name="pilih" value="{item.id}" id="pilih-{item.id}"' in html
    for role in ("petugas", "atasan"):
        other = officer_client(role).get("/meja/").get_data(as_text=True)
        assert "disposisi-massal" not in other and 'name="pilih"' not in other
    assert bulk(officer_client("petugas"), [item], "DINKES").status_code == 403
    assert tasks_of(item) == []


def test_bulk_routing_routes_each_request_that_passes_its_own_checks(routing, file_request, clock):
    utama, unit = routing
    first = file_request(name="Ani Pertama")
    second = file_request(name="Budi Kedua", email="b@example.id")
    issued = file_request(name="Citra Terbit", email="c@example.id")
    request_event(actor=None, actor_label="uji", item=issued, kind="notice_issued",
                  changes={"status": "notice_issued", "notice_at": datetime.now(UTC), "outcome": "granted_full"})
    busy = file_request(name="Dedi Sibuk", email="d@example.id")
    router = db.session.scalar(select(User).where(User.email == utama.user_email))
    request_route(actor=router, item=busy, unit_ids=[unit.id], instruction="Sudah.", internal_due=busy.notice_due,
                  notify=False)
    db.session.commit()
    versions = {item.id: fresh(item).version for item in (issued, busy)}

    response = bulk(utama, [first, second, issued, busy], "dinkes")  # a code in any letter case
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "2 permohonan diteruskan" in html and "2 permohonan tidak diteruskan" in html
    assert f"{issued.number}</a>: Pemberitahuan tertulis sudah terbit" in html
    assert f"{busy.number}</a>: Unit yang dipilih sudah memegang tugas yang masih terbuka" in html
    assert 'href="/meja/?kanal=online"' in html  # back to the queue as it was

    for item in (first, second):
        item = fresh(item)
        [task] = tasks_of(item)
        assert item.status == "routed" and task.unit_id == unit.id and task.instruction == "Siapkan dokumen anggaran."
        assert task.internal_due <= item.current_due
        assert [e.kind for e in events_for("request", item.id)].count("routed") == 1
    # the refused ones: nothing written
    assert tasks_of(issued) == [] and fresh(issued).version == versions[issued.id]
    assert len(tasks_of(busy)) == 1 and fresh(busy).version == versions[busy.id]
    assert [e.kind for e in events_for("request", issued.id)].count("routed") == 0


def test_an_internal_due_is_checked_against_each_requests_own_legal_due(routing, file_request, clock):
    utama, unit = routing
    early = file_request(name="Ani Awal", received_at=MONDAY - timedelta(days=7))
    late = file_request(name="Budi Akhir", email="b@example.id")
    assert early.notice_due < late.notice_due
    internal_due = working_calendar().add_working_days(early.notice_due, 1)
    assert internal_due <= late.notice_due

    response = bulk(utama, [early, late], "DINKES", internal_due=internal_due.isoformat())
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "1 permohonan diteruskan" in html
    assert f"{early.number}</a>: Batas waktu internal tidak boleh melewati batas pemberitahuan" in html
    assert tasks_of(early) == []
    [task] = tasks_of(late)
    assert task.internal_due == internal_due


@pytest.mark.parametrize("data, field", [
    ({"pilih": []}, "bulk-pilih"),
    ({"pilih": ["abc"]}, "bulk-pilih"),
    ({"unit": "TIDAKADA"}, "bulk-unit"),
    ({"unit": ""}, "bulk-unit"),
    ({"instruction": " "}, "bulk-instruction"),
    ({"internal_due": "31-02-2026"}, "bulk-internal_due"),
])
def test_bad_bulk_input_is_shown_next_to_its_field_with_the_ticks_kept(routing, file_request, data, field):
    utama, _unit = routing
    item = file_request()
    form = {"pilih": [str(item.id)], "unit": "DINKES", "instruction": "Siapkan.", "kembali": "", **data}
    response = utama.post("/meja/disposisi-massal", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and field in errors_of(response)
    if form["pilih"] == [str(item.id)]:
        assert f'id="pilih-{item.id}" checked' in html
    assert tasks_of(item) == [] and fresh(item).status == "registered"


def test_a_request_gone_from_view_is_reported_not_routed(routing, file_request):
    utama, _unit = routing
    item = file_request()
    response = utama.post("/meja/disposisi-massal", data={
        "pilih": [str(item.id), "999999"], "unit": "DINKES", "instruction": "Siapkan."})
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "#999999: Permohonan tidak ditemukan." in html
    assert len(tasks_of(item)) == 1
    assert db.session.scalar(select(InformationRequest).where(InformationRequest.id == 999999)) is None
