"""Routing (disposisi): PPID Utama routes to units, units answer or return, PPID Utama reassigns."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from ppid_desk.attachments.models import Attachment
from ppid_desk.attachments.services import attachment_read
from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.requests.lifecycle import replayed_columns, request_event
from ppid_desk.requests.models import InformationRequest
from ppid_desk.routing.models import RoutingTask
from tests.helpers import pdf_bytes, png_bytes

# Thursday 5 March 2026, 10.00 WIB: the notice is due Thursday 26 March, 10 working days
# later, across Nyepi and the Idul Fitri closures (18-24 March).
RECEIVED = datetime(2026, 3, 5, 3, 0, tzinfo=UTC)
NOTICE_DUE = date(2026, 3, 26)


@pytest.fixture
def desk(app, clock, file_request, make_unit, officer_client):
    """A registered request, two units with an officer each, and PPID Utama."""
    clock.travel_to(RECEIVED)
    unit_a = make_unit("DISDIK", "Dinas Pendidikan")
    unit_b = make_unit("DINKES", "Dinas Kesehatan")
    unit_c = make_unit("DPUPR", "Dinas Pekerjaan Umum")
    item = file_request()
    return {
        "item": item, "a": unit_a, "b": unit_b, "c": unit_c,
        "utama": officer_client("ppid_utama", name="Dewi Utama"),
        "officer_a": officer_client("pembantu", unit=unit_a, name="Yusuf Disdik"),
        "officer_b": officer_client("pembantu", unit=unit_b, name="Nurul Dinkes"),
        "officer_c": LazyOfficer(officer_client, unit_c),
    }


class LazyOfficer:
    """A third unit's officer, logged in only by the tests that need one (logins are slow)."""

    def __init__(self, officer_client, unit) -> None:
        self._make, self._unit, self._client = officer_client, unit, None

    def __getattr__(self, name):
        if self._client is None:
            self._client = self._make("pembantu", unit=self._unit, name="Eko Dpupr")
        return getattr(self._client, name)


def fresh(item_id: int) -> InformationRequest:
    db.session.expire_all()
    return db.session.get(InformationRequest, item_id)


def tasks_of(item_id: int) -> list[RoutingTask]:
    db.session.expire_all()
    return list(db.session.scalars(select(RoutingTask).where(RoutingTask.request_id == item_id)
                                   .order_by(RoutingTask.id)))


def route(client, item_id: int, units, *, instruction="Mohon siapkan dokumen anggaran 2025.",
          due="2026-03-16", version=None, headers=None):
    item = fresh(item_id)
    return client.post(f"/meja/permohonan/{item_id}/disposisi", headers=headers or {}, data={
        "units": [u.id for u in units], "instruction": instruction, "internal_due": due,
        "version": item.version if version is None else version})


def answer(client, task: RoutingTask, text="Dokumen terlampir.", files=(), version=None, tokens=""):
    return client.post(f"/meja/tugas/{task.id}/jawab", content_type="multipart/form-data", data={
        "answer_text": text, "version": task.version if version is None else version,
        "document_tokens": tokens, "documents": list(files)})


def give_back(client, task: RoutingTask, reason="Dokumen ini dikuasai Dinas Kesehatan.", version=None):
    return client.post(f"/meja/tugas/{task.id}/kembalikan", data={
        "reason": reason, "version": task.version if version is None else version})


def reassign(client, task: RoutingTask, unit, *, instruction="Mohon tangani permohonan ini.",
             due="2026-03-17", version=None, task_version=None):
    item = fresh(task.request_id)
    prefix = f"alih{task.id}-"
    return client.post(f"/meja/tugas/{task.id}/alihkan", data={
        prefix + "unit_id": unit.id, prefix + "instruction": instruction, prefix + "internal_due": due,
        prefix + "version": item.version if version is None else version,
        prefix + "task_version": task.version if task_version is None else task_version})


# --- routing ---------------------------------------------------------------------------------

def test_route_to_two_units_keeps_the_statutory_clock(desk, mailbox):
    item = desk["item"]
    before = (item.notice_due, item.due_date, item.extended_due, item.receipt_date)
    mailbox.clear()  # a request sends at its commit: nothing is still on its way

    response = route(desk["utama"], item.id, [desk["a"], desk["b"]])

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/meja/permohonan/{item.id}#disposisi")
    item = fresh(item.id)
    assert item.status == "routed"
    assert (item.notice_due, item.due_date, item.extended_due, item.receipt_date) == before
    assert item.notice_due == NOTICE_DUE
    tasks = tasks_of(item.id)
    assert [(t.unit_id, t.status, t.internal_due) for t in tasks] == [
        (desk["a"].id, "open", date(2026, 3, 16)), (desk["b"].id, "open", date(2026, 3, 16))]
    assert all(t.instruction == "Mohon siapkan dokumen anggaran 2025." for t in tasks)
    routed = [e for e in events_for("request", item.id) if e.kind == "routed"]
    assert len(routed) == 1
    assert routed[0].data["task_ids"] == [t.id for t in tasks]
    assert routed[0].data["units"] == ["DISDIK", "DINKES"]
    assert routed[0].data["internal_due"] == "2026-03-16"
    assert routed[0].data["after"] == {"status": "routed", "routed_on": "2026-03-05"}  # first routing: its day
    assert replayed_columns(item)["notice_due"] == NOTICE_DUE

    # The applicant is told once, and the e-mail is on the timeline.
    messages = mailbox.wait_for(1)
    assert len(messages) == 1 and messages[0]["To"] == "budi@example.id"
    body = messages[0].get_content()
    assert item.number in body and "Dinas Pendidikan" in body and "Dinas Kesehatan" in body
    assert "26 Maret 2026" in body
    assert "email_queued" in [e.kind for e in events_for("request", item.id)]

    page = desk["utama"].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Permohonan diteruskan ke Dinas Pendidikan, Dinas Kesehatan." in page
    assert "Diteruskan ke unit (disposisi)" in page

    mailbox.clear()
    assert route(desk["utama"], item.id, [desk["c"]]).status_code == 303
    assert fresh(item.id).notice_due == NOTICE_DUE
    assert mailbox.wait_for(1, timeout=0.5) == []  # only the first routing is announced


def test_default_internal_due_is_the_statutory_due_minus_the_buffer(desk, app, monkeypatch):
    item = desk["item"]
    page = desk["utama"].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    # 26 March minus 3 working days: 25 March, then 17 and 16 March (18-24 March are closed).
    assert 'name="internal_due" type="date" value="2026-03-16"' in page
    assert "Paling lambat 26 Maret 2026" in page

    monkeypatch.setitem(app.config, "UNIT_BUFFER_WD", 1)
    page = desk["utama"].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'name="internal_due" type="date" value="2026-03-25"' in page


def test_default_internal_due_never_passes_the_statutory_due(desk, clock):
    from ppid_desk.routing.services import default_internal_due

    item = desk["item"]
    assert default_internal_due(item, date(2026, 3, 5)) == date(2026, 3, 16)
    assert default_internal_due(item, date(2026, 3, 25)) == NOTICE_DUE  # routed late: the due itself
    assert default_internal_due(item, date(2026, 3, 30)) == date(2026, 3, 30)  # overdue: today


@pytest.mark.parametrize(("due", "message"), [
    ("2026-03-27", "tidak boleh melewati batas pemberitahuan tertulis (26 Maret 2026)"),
    ("2026-03-04", "tidak boleh sebelum hari ini"),
    ("32/03/2026", "Tanggal tidak valid"),
    ("", "Tulis batas waktu internal untuk unit."),
])
def test_a_bad_internal_due_is_refused_and_the_text_kept(desk, due, message):
    """(A day typed day first, 16/03/2026, is a valid day: tests/test_date_inputs.py.)"""
    item = desk["item"]
    response = route(desk["utama"], item.id, [desk["a"]], instruction="Instruksi yang diketik", due=due)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert "Instruksi yang diketik</textarea>" in html
    assert f'value="{due}"' in html  # exactly what was typed
    assert f'id="route-units-{desk["a"].id}" name="units" value="{desk["a"].id}" checked' in html
    assert tasks_of(item.id) == [] and fresh(item.id).status == "registered"


def test_missing_units_and_instruction_are_refused(desk):
    response = route(desk["utama"], desk["item"].id, [], instruction="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Pilih paling sedikit satu unit." in html and "Tulis instruksi untuk unit" in html
    assert 'href="#route-units"' in html  # the error summary links to the field
    assert tasks_of(desk["item"].id) == []


def test_a_unit_with_an_open_task_is_not_routed_twice(desk):
    item = desk["item"]
    assert route(desk["utama"], item.id, [desk["a"]]).status_code == 303

    refused = route(desk["utama"], item.id, [desk["a"]], instruction="Sekali lagi")
    assert refused.status_code == 422
    assert "sudah memegang tugas yang masih terbuka" in refused.get_data(as_text=True)
    assert len(tasks_of(item.id)) == 1

    partly = route(desk["utama"], item.id, [desk["a"], desk["b"]])
    assert partly.status_code == 303
    assert [t.unit_id for t in tasks_of(item.id)] == [desk["a"].id, desk["b"].id]
    page = desk["utama"].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "sudah memegang tugas terbuka dan dilewati" in page
    event = [e for e in events_for("request", item.id) if e.kind == "routed"][-1]
    assert event.data["units"] == ["DINKES"] and event.data["skipped_units"] == ["DISDIK"]
    assert "after" not in event.data  # already routed: no cached column changed


def test_inactive_or_utama_units_cannot_be_chosen(desk, make_unit):
    utama_unit = make_unit("UTAMA", "PPID Utama", kind="utama")
    desk["c"].active = False
    db.session.commit()
    for unit in (utama_unit, desk["c"]):
        response = route(desk["utama"], desk["item"].id, [unit])
        assert response.status_code == 422
        assert "Pilih unit PPID Pembantu dari daftar." in response.get_data(as_text=True)
    page = desk["utama"].get(f"/meja/permohonan/{desk['item'].id}").get_data(as_text=True)
    assert "Dinas Pekerjaan Umum" not in page and f"route-units-{utama_unit.id}" not in page


@pytest.mark.parametrize("status", ["incomplete", "notice_issued", "closed", "withdrawn", "delivered"])
def test_routing_is_refused_once_the_request_is_past_it(desk, status):
    item = desk["item"]
    request_event(actor=None, item=item, kind="test_moved", changes={"status": status})
    db.session.commit()
    reason = {"incomplete": "belum lengkap", "notice_issued": "Pemberitahuan tertulis sudah terbit",
              "closed": "sudah selesai", "withdrawn": "sudah dicabut pemohon",
              "delivered": "Informasi sudah disampaikan"}[status]
    page = desk["utama"].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert f'action="/meja/permohonan/{item.id}/disposisi"' not in page
    assert reason in page

    response = route(desk["utama"], item.id, [desk["a"]], instruction="Tetap kirim")
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)
    assert tasks_of(item.id) == [] and fresh(item.id).status == status


def test_only_ppid_utama_routes(desk, officer_client):
    item = desk["item"]
    petugas = officer_client("petugas")
    assert f'action="/meja/permohonan/{item.id}/disposisi"' not in petugas.get(
        f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert route(petugas, item.id, [desk["a"]]).status_code == 403
    assert tasks_of(item.id) == []


# --- the unit's side -------------------------------------------------------------------------

def test_a_unit_sees_only_its_own_tasks_and_routed_requests(desk, file_request):
    item = desk["item"]
    other = file_request(email="rina@example.id", rincian="Data kasus DBD per kelurahan tahun 2025.")
    route(desk["utama"], item.id, [desk["a"]], instruction="Tugas untuk Disdik")
    route(desk["utama"], other.id, [desk["b"]], instruction="Tugas untuk Dinkes")

    listing = desk["officer_a"].get("/meja/tugas")
    html = listing.get_data(as_text=True)
    assert listing.status_code == 200
    assert "Tugas untuk Disdik" in html and item.number in html
    assert "Tugas untuk Dinkes" not in html and other.number not in html
    assert "Tugas unit" in html  # in the desk navigation

    assert desk["officer_a"].get(f"/meja/permohonan/{item.id}").status_code == 200
    assert desk["officer_a"].get(f"/meja/permohonan/{other.id}").status_code == 404
    task_b = tasks_of(other.id)[0]
    assert desk["officer_a"].get(f"/meja/tugas/{task_b.id}").status_code == 404

    # Routed to both: each unit's request page shows only its own task.
    route(desk["utama"], other.id, [desk["a"]], instruction="Disdik juga diminta")
    page = desk["officer_a"].get(f"/meja/permohonan/{other.id}").get_data(as_text=True)
    assert "Disdik juga diminta" in page and "Tugas untuk Dinkes" not in page
    assert "/disposisi" not in page  # no routing form for a unit


def test_unit_task_list_puts_open_tasks_first_by_internal_due(desk, file_request, clock):
    first = desk["item"]
    second = file_request(email="rina@example.id", rincian="Data kasus DBD per kelurahan tahun 2025.")
    third = file_request(email="dedi@example.id", rincian="Daftar sekolah penerima bantuan 2025.")
    route(desk["utama"], first.id, [desk["a"]], instruction="Jatuh tempo belakangan", due="2026-03-17")
    route(desk["utama"], second.id, [desk["a"]], instruction="Jatuh tempo duluan", due="2026-03-10")
    route(desk["utama"], third.id, [desk["a"]], instruction="Sudah dijawab", due="2026-03-09")
    answered = tasks_of(third.id)[0]
    assert answer(desk["officer_a"], answered).status_code == 303

    html = desk["officer_a"].get("/meja/tugas").get_data(as_text=True)
    order = [html.index(text) for text in ("Jatuh tempo duluan", "Jatuh tempo belakangan", "Sudah dijawab")]
    assert order == sorted(order)
    assert "2 tugas masih terbuka." in html


def test_open_tasks_of_a_request_past_routing_sort_last_and_can_be_cancelled(desk, file_request):
    from ppid_desk.routing.services import request_tasks_cancel_open

    done = desk["item"]
    waiting = file_request(email="rina@example.id", rincian="Data kasus DBD per kelurahan tahun 2025.")
    route(desk["utama"], done.id, [desk["a"], desk["b"]], instruction="Sudah ada pemberitahuan", due="2026-03-09")
    route(desk["utama"], waiting.id, [desk["a"]], instruction="Masih ditunggu", due="2026-03-16")
    request_event(actor=None, item=fresh(done.id), kind="test_moved", changes={"status": "notice_issued"})
    db.session.commit()

    html = desk["officer_a"].get("/meja/tugas").get_data(as_text=True)
    assert html.index("Masih ditunggu") < html.index("Sudah ada pemberitahuan")
    assert "1 tugas masih terbuka." in html

    cancelled = request_tasks_cancel_open(actor=None, item=fresh(done.id), reason="Pemberitahuan tertulis terbit.")
    db.session.commit()
    assert [t.unit.code for t in cancelled] == ["DISDIK", "DINKES"]
    assert [t.status for t in tasks_of(done.id)] == ["cancelled", "cancelled"]
    event = events_for("request", done.id)[-1]
    assert event.kind == "tasks_cancelled" and event.data["units"] == ["DISDIK", "DINKES"]
    assert request_tasks_cancel_open(actor=None, item=fresh(done.id), reason="lagi") == []


def test_unit_pages_work_with_and_without_htmx(desk):
    route(desk["utama"], desk["item"].id, [desk["a"]])
    task = tasks_of(desk["item"].id)[0]
    for url, block in (("/meja/tugas", '<div id="tasks-main">'), (f"/meja/tugas/{task.id}", '<div id="task-main">')):
        full = desk["officer_a"].get(url)
        assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
        partial = desk["officer_a"].get(url, headers={"HX-Request": "true"})
        body = partial.get_data(as_text=True)
        assert partial.status_code == 200 and "<html" not in body and body.strip().startswith(block)
        assert "HX-Request" in partial.headers["Vary"]


def test_task_page_shows_the_request_but_never_the_identity(desk):
    item = desk["item"]
    route(desk["utama"], item.id, [desk["a"]])
    task = tasks_of(item.id)[0]
    html = desk["officer_a"].get(f"/meja/tugas/{task.id}").get_data(as_text=True)
    assert item.rincian in html and "Pengawasan anggaran" in html
    assert "Mendapatkan salinan elektronik (softcopy)" in html
    assert "Mohon siapkan dokumen anggaran 2025." in html and "16 Maret 2026" in html
    main = html.split('id="task-main"')[1].split("</main>")[0]
    for secret in ("3201011505900001", "NIK", "Jl. Melati", "081234567890", "budi@example.id", "ktp"):
        assert secret not in main, secret
    assert f'action="/meja/tugas/{task.id}/jawab"' in html


def test_unit_answers_with_a_document_and_the_request_is_answered_when_all_are(desk):
    item = desk["item"]
    route(desk["utama"], item.id, [desk["a"], desk["b"]])
    task_a, task_b = tasks_of(item.id)

    response = answer(desk["officer_a"], task_a, text="Berikut DPA 2025 yang diminta.",
                      files=[(io.BytesIO(pdf_bytes()), "dpa-2025.pdf"), (io.BytesIO(png_bytes()), "ringkasan.png")])
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/meja/tugas/{task_a.id}")
    task_a = tasks_of(item.id)[0]
    assert task_a.status == "answered" and task_a.answer_text == "Berikut DPA 2025 yang diminta."
    assert task_a.answered_at is not None and task_a.closed_at is not None
    assert task_a.answered_by.name == "Yusuf Disdik"
    documents = list(db.session.scalars(select(Attachment).where(Attachment.task_id == task_a.id)
                                        .order_by(Attachment.id)))
    assert [(d.original_name, d.purpose, d.request_id, d.content_type, d.visibility, d.staged_token)
            for d in documents] == [
        ("dpa-2025.pdf", "unit_answer", item.id, "application/pdf", "private", None),
        ("ringkasan.png", "unit_answer", item.id, "image/png", "private", None)]
    assert attachment_read(documents[0]) == pdf_bytes()
    assert fresh(item.id).status == "routed"  # Dinas Kesehatan has not answered yet
    event = [e for e in events_for("request", item.id) if e.kind == "task_answered"][0]
    assert event.data["task_id"] == task_a.id and event.data["unit"] == "DISDIK"
    assert event.data["documents"] == [d.id for d in documents] and "after" not in event.data

    assert answer(desk["officer_b"], task_b, text="Data terlampir.").status_code == 303
    item = fresh(item.id)
    assert item.status == "answered" and item.notice_due == NOTICE_DUE
    assert [e for e in events_for("request", item.id) if e.kind == "task_answered"][-1].data["after"] == {
        "status": "answered"}

    # PPID Utama reads the answer and downloads the document; the download is logged.
    page = desk["utama"].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Berikut DPA 2025 yang diminta." in page and "dpa-2025.pdf" in page
    download = desk["utama"].get(f"/meja/tugas/{task_a.id}/dokumen/{documents[0].id}")
    assert download.status_code == 200 and download.data == pdf_bytes()
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "task_document_downloaded" in [e.kind for e in events_for("request", item.id)]
    # Another unit cannot fetch it, and a document of another task is not served through this one.
    assert desk["officer_b"].get(f"/meja/tugas/{task_a.id}/dokumen/{documents[0].id}").status_code == 404
    assert desk["utama"].get(f"/meja/tugas/{task_b.id}/dokumen/{documents[0].id}").status_code == 404


def test_an_answer_needs_text_and_keeps_the_accepted_document(desk):
    item = desk["item"]
    route(desk["utama"], item.id, [desk["a"]])
    task = tasks_of(item.id)[0]

    response = answer(desk["officer_a"], task, text="", files=[(io.BytesIO(pdf_bytes()), "dpa.pdf")])
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tulis jawaban atau draf informasi untuk PPID Utama." in html
    assert "Sudah diterima, tidak perlu diunggah lagi" in html and "dpa.pdf" in html
    token = html.split('name="document_tokens" value="')[1].split('"')[0]
    assert token

    assert answer(desk["officer_a"], task, text="Terlampir.", tokens=token).status_code == 303
    document = db.session.scalar(select(Attachment).where(Attachment.task_id == task.id))
    assert document.original_name == "dpa.pdf" and document.request_id == item.id


def test_an_unsupported_document_is_refused(desk):
    route(desk["utama"], desk["item"].id, [desk["a"]])
    task = tasks_of(desk["item"].id)[0]
    response = answer(desk["officer_a"], task, text="Terlampir.",
                      files=[(io.BytesIO(b"just some text, not a document"), "catatan.txt")])
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "catatan.txt: Jenis berkas tidak didukung" in html and "Terlampir.</textarea>" in html
    assert tasks_of(desk["item"].id)[0].status == "open"


def test_unit_returns_a_task_with_a_reason(desk):
    item = desk["item"]
    route(desk["utama"], item.id, [desk["a"], desk["b"]])
    task_a, task_b = tasks_of(item.id)

    missing = give_back(desk["officer_a"], task_a, reason="")
    assert missing.status_code == 422
    assert "Tulis alasan mengapa unit tidak dapat mengerjakan tugas ini." in missing.get_data(as_text=True)

    assert give_back(desk["officer_a"], task_a).status_code == 303
    task_a = tasks_of(item.id)[0]
    assert task_a.status == "returned" and task_a.return_reason == "Dokumen ini dikuasai Dinas Kesehatan."
    assert fresh(item.id).status == "routed"  # Dinas Kesehatan still holds an open task
    event = [e for e in events_for("request", item.id) if e.kind == "task_returned"][0]
    assert event.data["reason"] == "Dokumen ini dikuasai Dinas Kesehatan." and event.data["unit"] == "DISDIK"

    assert give_back(desk["officer_b"], task_b, reason="Bukan wewenang kami.").status_code == 303
    assert fresh(item.id).status == "registered"  # nothing open: back with PPID Utama

    page = desk["utama"].get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Dokumen ini dikuasai Dinas Kesehatan." in page and "Bukan wewenang kami." in page
    assert "Dikembalikan" in page and "Unit mengembalikan tugas" in page
    assert f'action="/meja/tugas/{task_a.id}/alihkan"' in page


def test_a_returned_task_waits_until_ppid_utama_routes_again(desk):
    item = desk["item"]
    route(desk["utama"], item.id, [desk["a"], desk["b"]])
    task_a, task_b = tasks_of(item.id)
    answer(desk["officer_a"], task_a)
    give_back(desk["officer_b"], task_b)
    assert fresh(item.id).status == "registered"  # the return waits for PPID Utama

    route(desk["utama"], item.id, [desk["c"]])  # routed afresh instead of reassigning
    assert fresh(item.id).status == "routed"
    officer_c = desk["officer_c"]
    assert answer(officer_c, tasks_of(item.id)[2]).status_code == 303
    assert fresh(item.id).status == "answered"


def test_a_task_that_is_no_longer_open_is_not_changed(desk):
    route(desk["utama"], desk["item"].id, [desk["a"]])
    task = tasks_of(desk["item"].id)[0]
    assert answer(desk["officer_a"], task, text="Jawaban pertama.").status_code == 303
    task = tasks_of(desk["item"].id)[0]

    again = answer(desk["officer_a"], task, text="Jawaban kedua.")  # current version, closed task
    html = again.get_data(as_text=True)
    assert again.status_code == 409
    assert "Tugas ini sudah dijawab. Tidak ada yang diubah." in html
    assert "Jawaban kedua.</textarea>" in html  # kept for copying, the form itself is gone
    back = give_back(desk["officer_a"], task, reason="Salah unit")
    assert back.status_code == 409 and "Salah unit</textarea>" in back.get_data(as_text=True)
    task = tasks_of(desk["item"].id)[0]
    assert task.status == "answered" and task.answer_text == "Jawaban pertama."
    assert f'action="/meja/tugas/{task.id}/jawab"' not in desk["officer_a"].get(
        f"/meja/tugas/{task.id}").get_data(as_text=True)


def test_another_unit_or_a_desk_reader_cannot_answer(desk, officer_client):
    route(desk["utama"], desk["item"].id, [desk["a"]])
    task = tasks_of(desk["item"].id)[0]
    assert answer(desk["officer_b"], task).status_code == 404
    assert give_back(desk["officer_b"], task).status_code == 404
    assert answer(desk["utama"], task).status_code == 403
    assert give_back(officer_client("petugas"), task).status_code == 403
    assert tasks_of(desk["item"].id)[0].status == "open"


# --- reassigning -----------------------------------------------------------------------------

def test_ppid_utama_reassigns_a_returned_task(desk):
    item = desk["item"]
    route(desk["utama"], item.id, [desk["a"]])
    task = tasks_of(item.id)[0]
    give_back(desk["officer_a"], task)
    task = tasks_of(item.id)[0]
    assert fresh(item.id).status == "registered"

    response = reassign(desk["utama"], task, desk["b"], instruction="Mohon Dinkes menyiapkan data ini.")
    assert response.status_code == 303
    old, new = tasks_of(item.id)
    assert (old.status, old.closed_at is not None) == ("cancelled", True)
    assert (new.unit_id, new.status, new.instruction, new.internal_due) == (
        desk["b"].id, "open", "Mohon Dinkes menyiapkan data ini.", date(2026, 3, 17))
    item = fresh(item.id)
    assert item.status == "routed" and item.notice_due == NOTICE_DUE
    event = [e for e in events_for("request", item.id) if e.kind == "reassigned"][0]
    assert event.data["from_task_id"] == old.id and event.data["task_id"] == new.id
    assert (event.data["from_unit"], event.data["unit"]) == ("DISDIK", "DINKES")
    assert event.data["after"] == {"status": "routed"}

    # Dinas Pendidikan still sees its (cancelled) task; Dinas Kesehatan now has the open one.
    assert "Dibatalkan" in desk["officer_a"].get("/meja/tugas").get_data(as_text=True)
    assert "Mohon Dinkes menyiapkan data ini." in desk["officer_b"].get("/meja/tugas").get_data(as_text=True)


def test_reassign_an_open_task_and_its_refusals(desk):
    item = desk["item"]
    route(desk["utama"], item.id, [desk["a"], desk["b"]])
    task_a, _task_b = tasks_of(item.id)

    same = reassign(desk["utama"], task_a, desk["a"])
    assert same.status_code == 422 and "Pilih unit PPID Pembantu dari daftar." in same.get_data(as_text=True)
    busy = reassign(desk["utama"], task_a, desk["b"], instruction="Ketikan saya")
    html = busy.get_data(as_text=True)
    assert busy.status_code == 422 and "sudah memegang tugas yang masih terbuka" in html
    assert "Ketikan saya</textarea>" in html
    late = reassign(desk["utama"], task_a, desk["c"], due="2026-03-27")
    assert late.status_code == 422 and "tidak boleh melewati" in late.get_data(as_text=True)
    assert [t.status for t in tasks_of(item.id)] == ["open", "open"]

    assert reassign(desk["utama"], task_a, desk["c"]).status_code == 303
    assert [(t.unit_id, t.status) for t in tasks_of(item.id)] == [
        (desk["a"].id, "cancelled"), (desk["b"].id, "open"), (desk["c"].id, "open")]
    assert f'action="/meja/tugas/{task_a.id}/jawab"' not in desk["officer_a"].get(
        f"/meja/tugas/{task_a.id}").get_data(as_text=True)
    assert answer(desk["officer_a"], tasks_of(item.id)[0]).status_code == 409  # cancelled: no answer


def test_an_answered_task_cannot_be_reassigned(desk):
    route(desk["utama"], desk["item"].id, [desk["a"]])
    answer(desk["officer_a"], tasks_of(desk["item"].id)[0])
    task = tasks_of(desk["item"].id)[0]
    page = desk["utama"].get(f"/meja/permohonan/{desk['item'].id}").get_data(as_text=True)
    assert f"/meja/tugas/{task.id}/alihkan" not in page
    assert reassign(desk["utama"], task, desk["b"]).status_code == 409
    assert [t.status for t in tasks_of(desk["item"].id)] == ["answered"]


# --- optimistic locking ----------------------------------------------------------------------

def test_routing_on_a_stale_version_is_refused_and_the_text_kept(desk):
    item = desk["item"]
    seen = fresh(item.id).version
    assert route(desk["utama"], item.id, [desk["a"]]).status_code == 303  # another officer, first

    response = route(desk["utama"], item.id, [desk["b"]], instruction="Teks saya yang panjang", version=seen)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "baru saja diubah oleh petugas lain" in html
    assert "Teks saya yang panjang</textarea>" in html
    assert f'name="version" value="{fresh(item.id).version}"' in html  # resubmitting now works
    assert [t.unit_id for t in tasks_of(item.id)] == [desk["a"].id]


def test_routing_an_already_routed_request_still_bumps_its_version(desk):
    item = desk["item"]
    route(desk["utama"], item.id, [desk["a"]])
    seen = fresh(item.id).version
    route(desk["utama"], item.id, [desk["b"]])
    assert fresh(item.id).version > seen
    assert route(desk["utama"], item.id, [desk["c"]], version=seen).status_code == 409


def test_answering_a_stale_task_is_refused_and_the_text_kept(desk):
    route(desk["utama"], desk["item"].id, [desk["a"]])
    task = tasks_of(desk["item"].id)[0]
    seen = task.version
    task.internal_due = date(2026, 3, 13)  # PPID Utama changed the task meanwhile
    db.session.commit()

    response = answer(desk["officer_a"], task, text="Jawaban yang saya ketik", version=seen)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Tugas ini baru saja diubah oleh petugas lain" in html
    assert "Jawaban yang saya ketik</textarea>" in html
    assert tasks_of(desk["item"].id)[0].status == "open"
    assert answer(desk["officer_a"], tasks_of(desk["item"].id)[0], text="Lagi").status_code == 303


def test_reassigning_a_stale_task_is_refused(desk):
    route(desk["utama"], desk["item"].id, [desk["a"]])
    task = tasks_of(desk["item"].id)[0]
    seen = task.version
    give_back(desk["officer_a"], task)
    task = tasks_of(desk["item"].id)[0]
    response = reassign(desk["utama"], task, desk["b"], instruction="Alihkan ke Dinkes", task_version=seen)
    assert response.status_code == 409
    assert "Alihkan ke Dinkes</textarea>" in response.get_data(as_text=True)
    assert len(tasks_of(desk["item"].id)) == 1


# --- access ----------------------------------------------------------------------------------

def routing_urls(item_id: int, task_id: int, attachment_id: int) -> list[tuple[str, str]]:
    return [
        ("POST", f"/meja/permohonan/{item_id}/disposisi"),
        ("POST", f"/meja/tugas/{task_id}/alihkan"),
        ("GET", "/meja/tugas"),
        ("GET", f"/meja/tugas/{task_id}"),
        ("POST", f"/meja/tugas/{task_id}/jawab"),
        ("POST", f"/meja/tugas/{task_id}/kembalikan"),
        ("GET", f"/meja/tugas/{task_id}/dokumen/{attachment_id}"),
    ]


@pytest.fixture
def answered(desk):
    route(desk["utama"], desk["item"].id, [desk["a"]])
    task = tasks_of(desk["item"].id)[0]
    answer(desk["officer_a"], task, files=[(io.BytesIO(pdf_bytes()), "dpa.pdf")])
    document = db.session.scalar(select(Attachment).where(Attachment.task_id == task.id))
    return routing_urls(desk["item"].id, task.id, document.id)


def test_every_routing_url_refuses_anonymous_visitors(app, desk, answered):
    client = app.test_client()
    for method, url in answered:
        plain = client.open(url, method=method)
        assert plain.status_code == 302 and "/masuk" in plain.headers["Location"], url
        htmx = client.open(url, method=method, headers={"HX-Request": "true"})
        assert htmx.status_code == 401 and "/masuk" in htmx.headers["HX-Redirect"], url


def test_every_routing_url_refuses_citizens(desk, answered, officer_client):
    citizen = officer_client("pemohon")
    for method, url in answered:
        for headers in ({}, {"HX-Request": "true"}):
            assert citizen.open(url, method=method, headers=headers).status_code == 403, url


def test_every_routing_object_url_hides_from_another_unit(desk, answered):
    for method, url in answered:
        if url == "/meja/tugas":
            continue
        for headers in ({}, {"HX-Request": "true"}):
            response = desk["officer_b"].open(url, method=method, headers=headers)
            assert response.status_code == 404, (method, url, response.status_code)
    assert [t.status for t in tasks_of(desk["item"].id)] == ["answered"]
    assert "task_document_downloaded" not in [e.kind for e in events_for("request", desk["item"].id)]


def test_unknown_tasks_and_documents_are_404(desk):
    assert desk["utama"].get("/meja/tugas/9999").status_code == 404
    assert desk["officer_a"].post("/meja/tugas/9999/jawab", data={}).status_code == 404
    assert desk["utama"].post("/meja/tugas/9999/alihkan", data={}).status_code == 404


def test_desk_readers_open_task_pages_but_not_the_unit_list(desk, officer_client):
    route(desk["utama"], desk["item"].id, [desk["a"]])
    task = tasks_of(desk["item"].id)[0]
    page = desk["utama"].get(f"/meja/tugas/{task.id}")
    assert page.status_code == 200
    assert f"/meja/tugas/{task.id}/jawab" not in page.get_data(as_text=True)
    assert desk["utama"].get("/meja/tugas").status_code == 403
    assert officer_client("pengawas").get(f"/meja/tugas/{task.id}").status_code == 200


# --- the log stays the source of truth -------------------------------------------------------

def test_cached_columns_agree_with_the_log_after_a_whole_routing_story(desk, runner):
    item = desk["item"]
    route(desk["utama"], item.id, [desk["a"], desk["b"]])
    task_a, task_b = tasks_of(item.id)
    give_back(desk["officer_a"], task_a)
    reassign(desk["utama"], tasks_of(item.id)[0], desk["c"])
    answer(desk["officer_b"], tasks_of(item.id)[1])
    assert fresh(item.id).status == "routed"
    result = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert result.exit_code == 0, result.output


def test_demo_routing_creates_real_tasks(app, runner):
    from ppid_desk.demo import demo_seed

    demo_seed()
    db.session.commit()
    check = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert check.exit_code == 0, check.output
    items = list(db.session.scalars(select(InformationRequest)))
    routed = [i for i in items if any(e.kind == "routed" for e in events_for("request", i.id))]
    assert routed
    for item in routed:
        tasks = tasks_of(item.id)
        event = [e for e in events_for("request", item.id) if e.kind == "routed"][0]
        assert [t.id for t in tasks] == event.data["task_ids"]
        assert all(t.internal_due <= item.notice_due for t in tasks)
    statuses = {t.status for i in routed for t in tasks_of(i.id)}
    assert {"open", "answered", "returned"} <= statuses
    assert any(i.status == "answered" for i in items)
    assert all(t.status != "open" for i in routed if not i.is_open for t in tasks_of(i.id))


def test_issuing_the_notice_cancels_tasks_still_open(app, file_request, make_unit, make_user):
    from ppid_desk.notices.services import NoticeDraft, notice_issue
    from ppid_desk.routing.models import RoutingTask
    from ppid_desk.routing.services import request_route

    utama = make_user(email="utama.cancel@pemda.example.id", roles=("ppid_utama",))
    unit = make_unit("DINKES", "Dinas Kesehatan")
    item = file_request()
    request_route(actor=utama, item=item, unit_ids=[unit.id], instruction="Siapkan data",
                  internal_due=item.notice_due, notify=False)
    notice_issue(actor=utama, item=item, notify=False, draft=NoticeDraft(
        outcome="granted_full", held=True, materials="Dokumen lengkap", delivery_form="PDF"))
    db.session.commit()
    task = db.session.scalar(select(RoutingTask))
    assert task.status == "cancelled" and task.closed_at is not None
    assert "tasks_cancelled" in [e.kind for e in events_for("request", item.id)]
