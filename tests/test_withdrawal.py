"""Withdrawal (pencabutan) of a request or an objection: by the applicant from its page (account
or tracking grant, confirmation step, optional reason) and recorded by the desk with channel and
real date. Every effect is asserted from a fresh read: status and outcome, the clock stopped,
unit tasks cancelled, e-mails received by the test SMTP server, both timelines, the register,
monev's withdrawn count, and the event log replaying to the same cached columns.

Calendar: Monday 2 March 2026, 10.00 WIB; the written notice is due Monday 16 March (10 WD).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from ppid_desk.audit.models import Event
from ppid_desk.audit.selectors import events_for
from ppid_desk.audit.services import chain_is_intact
from ppid_desk.extensions import db
from ppid_desk.monev.metrics import monev_metrics
from ppid_desk.objections.models import Objection
from ppid_desk.requests.lifecycle import cached_columns, replayed_columns
from ppid_desk.requests.models import InformationRequest
from ppid_desk.routing.models import RoutingTask
from ppid_desk.sla import ClockState
from ppid_desk.web.transaction import commit

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB
WEDNESDAY = datetime(2026, 3, 4, 3, 0, tzinfo=UTC)
NOTICE_DUE = date(2026, 3, 16)
REASON = "Informasinya sudah saya peroleh dari laman resmi dinas."
DECISION = "Keputusan dan alasan penolakan"


def fresh(item_id: int) -> InformationRequest:
    db.session.expire_all()
    return db.session.get(InformationRequest, item_id)


def fresh_objection(objection_id: int) -> Objection:
    db.session.expire_all()
    return db.session.get(Objection, objection_id)


def tasks_of(item_id: int) -> list[RoutingTask]:
    db.session.expire_all()
    return list(db.session.scalars(select(RoutingTask).where(RoutingTask.request_id == item_id)
                                   .order_by(RoutingTask.id)))


def kinds(subject_type: str, subject_id: int) -> list[str]:
    db.session.expire_all()
    return [event.kind for event in events_for(subject_type, subject_id)]


def guest_of(app, item) -> object:
    """A browser holding the request's tracking grant (no account)."""
    guest = app.test_client()
    assert guest.get(f"/lacak/{item.tracking_token}").status_code == 303
    return guest


def register_rows(client, start="2026-03-01", end="2026-03-31") -> list[dict]:
    response = client.get(f"/meja/register/permohonan?dari={start}&sampai={end}&format=csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def desk_form(item, **overrides) -> dict:
    data = {"version": str(item.version), "channel": "letter", "received_date": "2026-03-03",
            "received_time": "14.30", "reason": "Surat pencabutan bernomor 12/III/2026."}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def world(app, clock, file_request, make_unit, make_user, officer_client):
    """A guest's request routed to two units (one officer each), PPID Utama, a desk officer."""
    from ppid_desk.routing.services import request_route

    clock.travel_to(MONDAY)
    unit_a, unit_b = make_unit("DISDIK", "Dinas Pendidikan"), make_unit("DINKES", "Dinas Kesehatan")
    make_user(email="yusuf@disdik.example.id", roles=("pembantu",), unit=unit_a, name="Yusuf Disdik")
    make_user(email="nurul@dinkes.example.id", roles=("pembantu",), unit=unit_b, name="Nurul Dinkes")
    utama_user = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    item = file_request()
    request_route(actor=utama_user, item=item, unit_ids=[unit_a.id, unit_b.id], instruction="Siapkan DPA 2025.",
                  internal_due=date(2026, 3, 11), notify=False)
    commit()  # as a view does: the receipt e-mail queued by the filing goes out now (pages never commit)
    return {"item": item, "units": (unit_a, unit_b), "utama": utama_user}


# --- the applicant withdraws -------------------------------------------------------------------------

def test_a_guest_withdraws_with_a_reason_and_every_effect_follows(app, world, clock, mailbox, officer_client,
                                                                    runner):
    item = world["item"]
    guest = guest_of(app, item)
    clock.travel_to(WEDNESDAY)
    page = guest.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert f'href="/permohonan/{item.id}/cabut"' in page
    confirm = guest.get(f"/permohonan/{item.id}/cabut")
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert "Ya, cabut permohonan" in html and f'name="version" value="{fresh(item.id).version}"' in html
    mailbox.clear()

    response = guest.post(f"/permohonan/{item.id}/cabut",
                          data={"version": str(fresh(item.id).version), "reason": REASON})
    assert response.status_code == 303 and response.headers["Location"] == f"/permohonan/{item.id}"

    # status, outcome and the moment, from a fresh read
    done = fresh(item.id)
    assert (done.status, done.outcome, done.notice_at) == ("withdrawn", "withdrawn", None)
    assert WEDNESDAY <= done.closed_at < WEDNESDAY + timedelta(minutes=1)
    # the open unit tasks are cancelled and each unit's officer is told
    assert [task.status for task in tasks_of(item.id)] == ["cancelled", "cancelled"]
    messages = mailbox.wait_for(3)
    applicant_mail = mailbox.to("budi@example.id")
    assert len(applicant_mail) == 1 and item.number in applicant_mail[0]["Subject"]
    assert "dicabut" in applicant_mail[0]["Subject"] and REASON in applicant_mail[0].get_content()
    for officer in ("yusuf@disdik.example.id", "nurul@dinkes.example.id"):
        [told] = mailbox.to(officer)
        assert item.number in told["Subject"] and "/meja/tugas/" in told.get_content()
    assert len(messages) == 3
    # both timelines
    assert kinds("request", item.id)[-4:] == ["withdrawn", "tasks_cancelled", "units_told_withdrawn", "email_queued"]
    applicant_page = guest.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert "Permohonan dicabut oleh pemohon" in applicant_page and REASON in applicant_page
    assert "Tugas unit yang masih terbuka dibatalkan" not in applicant_page  # internal work stays internal
    assert f'href="/permohonan/{item.id}/cabut"' not in applicant_page
    utama = officer_client("ppid_utama")
    desk_page = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Permohonan dicabut oleh pemohon" in desk_page and "Tugas unit yang masih terbuka dibatalkan" in desk_page
    assert 'id="withdrawal-panel"' in desk_page and REASON in desk_page
    # the reason is sealed in the hash-chained log, never in plain; the chain verifies
    event = db.session.scalar(select(Event).where(Event.subject_id == item.id, Event.kind == "withdrawn"))
    assert REASON not in str(event.data) and event.data["channel"] == "online"
    assert chain_is_intact(events_for("request", item.id))

    # the clock stopped on Wednesday with 8 working days left, and stays stopped after the due passes
    clock.travel_to(datetime(2026, 3, 20, 3, 0, tzinfo=UTC))
    from ppid_desk.desk.request_page_views import clock_of

    reading = clock_of(fresh(item.id))
    assert (reading.state, reading.working_days_left) == (ClockState.STOPPED, 8)
    status = guest.get(f"/permohonan/{item.id}").get_data(as_text=True)
    status = status[status.index('id="request-status"'):status.index("</dl>")]
    assert "badge-done" in status and "badge-late" not in status
    # no objection ground "not answered in time": the applicant withdrew before the due
    assert "hari setelah batas pemberitahuan tertulis terlewati" not in guest.get(
        f"/permohonan/{item.id}").get_data(as_text=True)
    queue = utama.get("/meja/").get_data(as_text=True)
    assert item.number not in queue  # the default "open" queue leaves it out

    # the register shows the date, the channel and the reason
    [row] = [r for r in register_rows(utama) if r["Nomor pendaftaran"] == item.number]
    assert row[DECISION] == f"Dicabut; diterima 2026-03-04 melalui Daring (situs web); alasan: {REASON}"
    # monev counts it as withdrawn (and not in the cohort)
    metrics = monev_metrics(start=date(2026, 3, 1), end=date(2026, 3, 31), unit_code=None, today=date(2026, 3, 20))
    assert metrics["outcomes"]["withdrawn"] == 1 and metrics["received"]["total"] == 0
    assert metrics["overdue_open"]["count"] == 0
    # the log replays to the stored columns
    assert replayed_columns(fresh(item.id)) == cached_columns(fresh(item.id))
    result = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert result.exit_code == 0 and "agree" in result.output, result.output


def test_the_account_owner_withdraws_without_a_reason(app, clock, file_request, make_user, mailbox):
    clock.travel_to(MONDAY)
    owner = make_user(email="siti@example.id", name="Siti Warga")
    item = file_request(owner=owner, email="siti@example.id", name="Siti Warga")
    browser = app.test_client()
    assert browser.post("/masuk", data={"email": "siti@example.id", "password": "rahasia-panjang-1"}).status_code == 303
    assert f'href="/permohonan/{item.id}/cabut"' in browser.get(f"/permohonan/{item.id}").get_data(as_text=True)
    mailbox.clear()
    response = browser.post(f"/permohonan/{item.id}/cabut", data={"version": str(item.version), "reason": ""})
    assert response.status_code == 303
    assert fresh(item.id).status == "withdrawn"
    [mail] = [m for m in mailbox.wait_for(1) if m["To"] == "siti@example.id"]
    assert "Alasan" not in mail.get_content()
    event = events_for("request", item.id)[-2]
    assert event.kind == "withdrawn" and event.actor_id == owner.id and event.data["reason"] is None


def test_a_stale_confirmation_is_refused_with_the_reason_kept(app, world, clock):
    item = world["item"]
    guest = guest_of(app, item)
    old = fresh(item.id).version
    from ppid_desk.requests.lifecycle import request_event

    request_event(actor=None, item=fresh(item.id), kind="extended",
                  changes={"extended_due": date(2026, 3, 25), "extension_reason": "Dokumen tersebar di dua unit."})
    db.session.commit()
    response = guest.post(f"/permohonan/{item.id}/cabut", data={"version": str(old), "reason": REASON})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert REASON in html and f'name="version" value="{fresh(item.id).version}"' in html
    assert fresh(item.id).status == "routed"


def test_a_reason_too_long_is_explained_at_the_field(app, world):
    item = world["item"]
    guest = guest_of(app, item)
    long_reason = "x" * 2001
    response = guest.post(f"/permohonan/{item.id}/cabut", data={"version": str(item.version), "reason": long_reason})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Paling banyak 2000 karakter." in html and long_reason in html and 'id="reason-error"' in html
    assert fresh(item.id).status == "routed"


@pytest.mark.parametrize("outcome", ["granted_full", "refused"])
def test_a_request_with_its_notice_or_closed_cannot_be_withdrawn(app, world, officer_client, outcome):
    from tests.helpers import issue_with_preview, notice_form

    item = world["item"]
    utama = officer_client("ppid_utama")
    assert issue_with_preview(utama, f"/meja/permohonan/{item.id}/pemberitahuan",
                              notice_form(fresh(item.id), outcome)).status_code == 303
    before = fresh(item.id)
    status, version = before.status, before.version
    assert status == ("notice_issued" if outcome == "granted_full" else "closed")
    guest = guest_of(app, item)
    page = guest.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert f'href="/permohonan/{item.id}/cabut"' not in page
    for response in (guest.get(f"/permohonan/{item.id}/cabut"),
                     guest.post(f"/permohonan/{item.id}/cabut", data={"version": str(version)})):
        assert response.status_code == 303 and response.headers["Location"] == f"/permohonan/{item.id}"
    assert "tidak dapat dicabut lagi" in guest.get(f"/permohonan/{item.id}").get_data(as_text=True)
    desk = officer_client("petugas")
    assert 'id="desk-withdraw-form"' not in desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    refused = desk.post(f"/meja/permohonan/{item.id}/pencabutan", data=desk_form(fresh(item.id)))
    assert refused.status_code == 409 and "tidak dapat dicabut lagi" in refused.get_data(as_text=True)
    after = fresh(item.id)
    assert (after.status, after.version, after.outcome) == (status, version, outcome)


# --- who may withdraw -----------------------------------------------------------------------------------

def test_who_may_withdraw_a_request(app, world, make_user, officer_client):
    item = world["item"]
    url = f"/permohonan/{item.id}/cabut"
    anonymous = app.test_client()
    assert anonymous.get(url).status_code == 404
    assert anonymous.post(url, data={"version": str(item.version)}).status_code == 404
    make_user(email="lain@example.id")
    stranger = app.test_client()
    stranger.post("/masuk", data={"email": "lain@example.id", "password": "rahasia-panjang-1"})
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, data={"version": str(item.version)}).status_code == 404
    assert guest_of(app, item).get(url).status_code == 200
    desk_url = f"/meja/permohonan/{item.id}/pencabutan"
    unit_a, _unit_b = world["units"]
    for role, unit in (("petugas", None), ("ppid_utama", None), ("pembantu", unit_a), ("atasan", None),
                       ("pengawas", None), ("admin", None)):
        staff = officer_client(role, unit=unit)
        # staff act from the desk, never as the applicant (a unit does not even read the applicant's page)
        refusal = 404 if role == "pembantu" else 403
        assert staff.get(url).status_code == refusal, role
        assert staff.post(url, data={"version": str(item.version)}).status_code == refusal, role
        page = staff.get(f"/permohonan/{item.id}").get_data(as_text=True)
        assert f'href="{url}"' not in page and "Cabut permohonan" not in page, role
        desk_page = staff.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
        may_record = role in ("petugas", "ppid_utama")
        assert ('id="desk-withdraw-form"' in desk_page) is may_record, role
        if not may_record:
            assert staff.post(desk_url, data=desk_form(fresh(item.id))).status_code == 403, role
    assert anonymous.post(desk_url, data=desk_form(fresh(item.id))).status_code == 302
    assert stranger.post(desk_url, data=desk_form(fresh(item.id))).status_code == 403
    assert fresh(item.id).status == "routed"


# --- the desk records a withdrawal received on paper --------------------------------------------------

def test_the_desk_records_a_letter_with_its_real_date(app, world, clock, mailbox, officer_client, runner):
    item = world["item"]
    clock.travel_to(datetime(2026, 3, 5, 2, 0, tzinfo=UTC))  # Thursday 09.00 WIB: the letter came on Tuesday
    desk = officer_client("petugas", name="Andi Petugas")
    page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="desk-withdraw-form"' in page and 'value="2026-03-05"' in page  # today, to correct
    mailbox.clear()
    response = desk.post(f"/meja/permohonan/{item.id}/pencabutan", data=desk_form(fresh(item.id)))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    done = fresh(item.id)
    received = datetime(2026, 3, 3, 7, 30, tzinfo=UTC)  # 14.30 WIB on Tuesday 3 March
    assert (done.status, done.outcome, done.closed_at) == ("withdrawn", "withdrawn", received)
    assert [task.status for task in tasks_of(item.id)] == ["cancelled", "cancelled"]
    from ppid_desk.desk.request_page_views import clock_of

    reading = clock_of(done)
    assert (reading.state, reading.working_days_left) == (ClockState.STOPPED, 9)  # stopped on Tuesday
    mailbox.wait_for(3)
    assert len(mailbox.to("budi@example.id")) == 1 and len(mailbox.to("yusuf@disdik.example.id")) == 1
    event = [e for e in events_for("request", item.id) if e.kind == "withdrawn"][0]
    assert event.actor_label == "Andi Petugas" and event.data["by"] == "desk"
    desk_page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Andi Petugas" in desk_page and "Surat pencabutan bernomor 12/III/2026." in desk_page
    [row] = [r for r in register_rows(desk) if r["Nomor pendaftaran"] == item.number]
    assert row[DECISION] == "Dicabut; diterima 2026-03-03 melalui Surat; alasan: Surat pencabutan bernomor 12/III/2026."
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


@pytest.mark.parametrize("overrides, field, message", [
    ({"channel": None}, "channel", "Pilih bagaimana pencabutan diterima."),
    ({"channel": "online"}, "channel", "Pilih salah satu pilihan yang tersedia."),
    ({"received_date": ""}, "received_date", "Tulis tanggal pencabutan diterima."),
    ({"received_date": "31-02-2026"}, "received_date", "Tanggal tidak valid. Tulis seperti 02-03-2026."),
    ({"received_time": "25.00"}, "received_time", "Jam tidak valid. Tulis jam dan menit, contoh 09.30."),
    ({"received_date": "2026-03-06"}, "received_date", "Waktu diterima tidak boleh lebih dari sekarang."),
    ({"received_date": "2026-03-05", "received_time": "23.00"}, "received_time",
     "Waktu diterima tidak boleh lebih dari sekarang."),
    ({"received_date": "2026-02-27"}, "received_date", "Pencabutan tidak mungkin diterima sebelum permohonan diterima"),
    ({"received_date": "2026-03-02", "received_time": "08.00"}, "received_time",
     "Pencabutan tidak mungkin diterima sebelum permohonan diterima"),
    ({"reason": "y" * 2001}, "reason", "Paling banyak 2000 karakter."),
])
def test_desk_bad_input_is_explained_at_the_field_and_kept(app, world, clock, officer_client, overrides, field,
                                                            message):
    item = world["item"]
    clock.travel_to(datetime(2026, 3, 5, 2, 0, tzinfo=UTC))
    desk = officer_client("ppid_utama")
    data = desk_form(fresh(item.id), **overrides)
    response = desk.post(f"/meja/permohonan/{item.id}/pencabutan", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = html[html.index(f'id="{field}-error"'):]
    assert message in error[:400]
    # what was typed is kept
    typed_time = data["received_time"]
    assert f'value="{data.get("received_date", "")}"' in html
    assert f'value="{typed_time}"' in html or f'value="{typed_time.replace(".", ":")}"' in html
    assert f">{data['reason']}</textarea>" in html
    assert fresh(item.id).status == "routed"


def test_a_stale_desk_form_gets_409_and_keeps_the_text(app, world, officer_client):
    item = world["item"]
    desk = officer_client("petugas")
    data = desk_form(fresh(item.id), reason="Telepon dari pemohon pukul 14.30.")
    from ppid_desk.requests.lifecycle import request_event

    request_event(actor=None, item=fresh(item.id), kind="extended",
                  changes={"extended_due": date(2026, 3, 25), "extension_reason": "Dokumen tersebar di dua unit."})
    db.session.commit()
    response = desk.post(f"/meja/permohonan/{item.id}/pencabutan", data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Telepon dari pemohon pukul 14.30." in html and f'value="{fresh(item.id).version}"' in html
    assert fresh(item.id).status == "routed"


# --- objections ---------------------------------------------------------------------------------------

@pytest.fixture
def objection(app, world, clock):
    """An objection on ground c, filed online on Wednesday 18 March (the notice is overdue)."""
    from ppid_desk.objections.filing_services import objection_file

    clock.travel_to(datetime(2026, 3, 18, 3, 0, tzinfo=UTC))
    item = fresh(world["item"].id)
    filed = objection_file(actor=None, request=item, grounds=["c"], case_summary="Tidak ada pemberitahuan.",
                           intended_use="Pengawasan anggaran.", representative_name=None, documents=[],
                           filed_at=datetime(2026, 3, 18, 3, 0, tzinfo=UTC), channel="online", notify=False)
    db.session.commit()
    return filed


def test_the_applicant_withdraws_an_objection(app, world, objection, clock, mailbox, officer_client):
    from ppid_desk.objections.response_selectors import objection_clock
    from ppid_desk.workcalendar.selectors import working_calendar

    item = world["item"]
    guest = guest_of(app, item)
    receipt_url = f"/permohonan/{item.id}/keberatan/{objection.id}"
    url = f"{receipt_url}/cabut"
    assert f'href="{url}"' in guest.get(receipt_url).get_data(as_text=True)
    assert f'href="{url}"' in guest.get(f"/permohonan/{item.id}").get_data(as_text=True)
    staff = officer_client("atasan")
    assert f'href="{url}"' not in staff.get(receipt_url).get_data(as_text=True)
    assert staff.get(url).status_code == 403
    clock.travel_to(datetime(2026, 3, 30, 3, 0, tzinfo=UTC))  # Monday 30 March
    mailbox.clear()
    assert guest.get(url).status_code == 200
    response = guest.post(url, data={"version": str(fresh_objection(objection.id).version),
                                     "reason": "Sudah dijelaskan langsung oleh PPID."})
    assert response.status_code == 303 and response.headers["Location"] == receipt_url

    done = fresh_objection(objection.id)
    assert done.status == "withdrawn"
    assert datetime(2026, 3, 30, 3, 0, tzinfo=UTC) <= done.withdrawn_at < datetime(2026, 3, 30, 3, 1, tzinfo=UTC)
    assert fresh(item.id).status == "routed"  # the request itself goes on
    later = date(2026, 6, 1)
    reading = objection_clock(done, working_calendar(), later, 2)
    assert reading.state == ClockState.STOPPED and reading.working_days_left > 0
    assert "objection_withdrawn" in kinds("objection", objection.id)
    assert "objection_withdrawn" in kinds("request", item.id)
    [mail] = [m for m in mailbox.wait_for(1) if m["To"] == "budi@example.id"]
    assert objection.number in mail["Subject"]
    assert "Keberatan dicabut oleh pemohon" in guest.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert "Keberatan ini dicabut pada" in guest.get(receipt_url).get_data(as_text=True)
    atasan_page = staff.get(f"/meja/keberatan/{objection.id}").get_data(as_text=True)
    assert "Keberatan dicabut oleh pemohon" in atasan_page and "Sudah dijelaskan langsung oleh PPID." in atasan_page
    assert objection.number not in staff.get("/meja/keberatan").get_data(as_text=True)  # the open queue
    # withdrawing again is refused without a change
    again = guest.post(url, data={"version": str(done.version)})
    assert again.status_code == 303 and fresh_objection(objection.id).version == done.version
    rows = staff.get("/meja/register/keberatan?dari=2026-03-01&sampai=2026-03-31&format=csv")
    [row] = list(csv.DictReader(io.StringIO(rows.get_data().decode("utf-8-sig"))))
    assert row["Keputusan Atasan"] == "Dicabut pemohon pada 2026-03-30 (tidak ditanggapi)"


def test_the_desk_records_an_objection_withdrawal_received_by_phone(app, world, objection, clock, officer_client):
    item = world["item"]
    clock.travel_to(datetime(2026, 3, 20, 3, 0, tzinfo=UTC))
    desk = officer_client("petugas")
    page = desk.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="desk-withdraw-objection-form"' in page
    data = {"keberatan-version": str(fresh_objection(objection.id).version), "keberatan-channel": "phone",
            "keberatan-received_date": "2026-03-17", "keberatan-received_time": "10.00"}
    refused = desk.post(f"/meja/keberatan/{objection.id}/pencabutan", data=data)
    assert refused.status_code == 422  # before the objection was filed (18 March)
    assert "sebelum keberatan diterima" in refused.get_data(as_text=True)
    data["keberatan-received_date"] = "2026-03-19"
    assert desk.post(f"/meja/keberatan/{objection.id}/pencabutan", data=data).status_code == 303
    done = fresh_objection(objection.id)
    assert done.status == "withdrawn" and done.withdrawn_at == datetime(2026, 3, 19, 3, 0, tzinfo=UTC)
    assert officer_client("pembantu", unit=world["units"][0]).post(
        f"/meja/keberatan/{objection.id}/pencabutan", data=data).status_code == 403


def test_an_answered_objection_cannot_be_withdrawn(app, world, objection, officer_client):
    atasan = officer_client("atasan")
    response = atasan.post(f"/meja/keberatan/{objection.id}/tanggapan", data={
        "version": str(objection.version), "decision": "upheld", "reasons": "Sudah sesuai ketentuan."})
    assert response.status_code == 303
    version = fresh_objection(objection.id).version
    guest = guest_of(app, world["item"])
    url = f"/permohonan/{world['item'].id}/keberatan/{objection.id}/cabut"
    assert guest.get(url).status_code == 303
    assert guest.post(url, data={"version": str(version)}).status_code == 303
    assert fresh_objection(objection.id).status == "responded"
    assert fresh_objection(objection.id).version == version


def test_the_withdrawal_changes_nothing_else_on_the_units_pages(app, world, officer_client):
    """A unit's cancelled task reads as cancelled, not as work to do."""
    item = world["item"]
    guest = guest_of(app, item)
    guest.post(f"/permohonan/{item.id}/cabut", data={"version": str(item.version)})
    unit = officer_client("pembantu", unit=world["units"][0])
    html = unit.get("/meja/tugas").get_data(as_text=True)
    assert "0 tugas masih terbuka" in html
