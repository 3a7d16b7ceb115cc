"""Filing an objection (keberatan): grounds suggested, the window and the late flag, numbers,
the receipt and e-mail, the desk's paper entry, both timelines, and who may see what."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest

from ppid_desk.audit.selectors import events_for
from ppid_desk.dbtypes import utcnow
from ppid_desk.errors import FieldError
from ppid_desk.extensions import db
from ppid_desk.objections.filing_selectors import ground_window, objections_of, suggested_grounds
from ppid_desk.objections.filing_services import ObjectionStillOpen, objection_file
from ppid_desk.objections.models import Objection, ObjectionStatus
from ppid_desk.requests.lifecycle import request_event
from ppid_desk.routing.models import RoutingTask
from ppid_desk.workcalendar.selectors import body_today, local_date
from tests.helpers import desk_objection_form, guest_client, objection_form, pdf_bytes, png_bytes

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB


def issue_notice(item, *, outcome="refused", pasal17=None, fee=None, at=None):
    """The written notice's effect on the request, through the funnel (what the notices module logs)."""
    request_event(actor=None, item=item, kind="notice_issued", changes={
        "status": "notice_issued", "notice_at": at or utcnow(), "outcome": outcome,
        "pasal17_basis": pasal17, "fee_amount": fee})
    db.session.commit()


AFTER_DUE = datetime(2026, 3, 17, 3, 0, tzinfo=UTC)  # the day after the notice due of a request of MONDAY


def overdue(clock):
    """No notice by the deadline: grounds c and g arise, and the applicant is offered the objection."""
    clock.travel_to(AFTER_DUE)


@pytest.fixture
def on_monday(clock):
    clock.travel_to(MONDAY)
    return clock


# --- grounds suggested and the window -------------------------------------------------------

def test_no_ground_yet_suggests_nothing_and_counts_from_today(on_monday, file_request):
    item = file_request()
    assert suggested_grounds(item, body_today()) == set()
    # No ground the record shows: every window counts from the filing day (today).
    assert {ground_window(item, g).start for g in "acdefg"} == {body_today()}


def test_overdue_without_notice_suggests_c_and_g(app, on_monday, file_request):
    item = file_request()
    on_monday.travel_to(datetime.combine(item.current_due + timedelta(days=1), datetime.min.time(), UTC)
                        + timedelta(hours=3))
    assert suggested_grounds(item, body_today()) == {"c", "g"}
    assert ground_window(item, "c").start == item.current_due + timedelta(days=1)
    client = guest_client(app, item)
    page = client.get(f"/permohonan/{item.id}/keberatan").get_data(as_text=True)
    assert 'value="c" checked' in page and 'value="g" checked' in page
    assert 'value="a" checked' not in page
    assert "Pengawasan anggaran" in page  # intended use prefilled from the request's tujuan


def test_refusal_suggests_a_and_the_ground_is_the_notice_date(on_monday, file_request):
    item = file_request()
    issue_notice(item, outcome="refused", pasal17="b")
    assert suggested_grounds(item, body_today()) == {"a"}
    # The notice was written without a way of sending (as before this rule): received the day issued.
    assert ground_window(item, "a").start == local_date(item.notice_at)


def test_partial_with_pasal_17_suggests_a(on_monday, file_request):
    item = file_request()
    issue_notice(item, outcome="granted_partial", pasal17="h")
    assert suggested_grounds(item, body_today()) == {"a"}
    other = file_request(email="lain@example.id")
    issue_notice(other, outcome="granted_partial")
    assert suggested_grounds(other, body_today()) == set()


def test_fee_suggests_f(app, on_monday, file_request):
    item = file_request()
    issue_notice(item, outcome="granted_full", fee=150000)
    assert suggested_grounds(item, body_today()) == {"f"}
    page = guest_client(app, item).get(f"/permohonan/{item.id}/keberatan").get_data(as_text=True)
    assert 'value="f" checked' in page


def test_late_filing_is_registered_and_flagged(app, on_monday, file_request, mailbox):
    item = file_request()
    issue_notice(item, outcome="refused", pasal17="b")
    on_monday.advance(timedelta(days=70))  # well past 30 working days after the notice
    client = guest_client(app, item)
    panel = client.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert "sudah lewat" in panel
    response = client.post(f"/permohonan/{item.id}/keberatan", data=objection_form(grounds=["a"]))
    assert response.status_code == 303
    objection = objections_of(item)[0]
    assert objection.late is True and objection.status == ObjectionStatus.REGISTERED
    assert objection.ground_date == local_date(item.notice_at)
    assert objection.filed_date > objection.filing_due
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "terlambat diajukan" in receipt
    assert "terlambat diajukan" in client.get(f"/permohonan/{item.id}").get_data(as_text=True)


def test_on_time_filing_is_not_late(app, on_monday, file_request):
    item = file_request()
    issue_notice(item, outcome="refused", pasal17="b")
    on_monday.advance(timedelta(days=5))
    objection = objection_file(actor=None, request=item, grounds=["a"], case_summary="Ditolak tanpa uji konsekuensi.",
                               intended_use="Riset", representative_name=None, documents=[], filed_at=utcnow(),
                               channel="online")
    db.session.commit()
    assert objection.late is False
    assert objection.filing_due > objection.filed_date


# --- numbers, receipt, e-mail, timelines ----------------------------------------------------

def test_numbers_follow_the_pattern_and_are_gapless(app, on_monday, file_request):
    numbers = []
    for n in range(3):
        item = file_request(email=f"p{n}@example.id")
        objection = objection_file(actor=None, request=item, grounds=["d"], case_summary="Jawaban tidak sesuai.",
                                   intended_use="Riset", representative_name=None, documents=[],
                                   filed_at=utcnow(), channel="online", notify=False)
        db.session.commit()
        numbers.append(objection.number)
    assert numbers == ["0001/KEB/PPID/III/2026", "0002/KEB/PPID/III/2026", "0003/KEB/PPID/III/2026"]
    assert [o.seq for o in db.session.query(Objection).order_by(Objection.seq)] == [1, 2, 3]


def test_online_filing_receipt_email_and_both_timelines(app, on_monday, file_request, mailbox):
    item = file_request()
    overdue(on_monday)
    client = guest_client(app, item)
    response = client.post(f"/permohonan/{item.id}/keberatan", data=objection_form())
    assert response.status_code == 303
    objection = objections_of(item)[0]
    assert response.headers["Location"].endswith(f"/permohonan/{item.id}/keberatan/{objection.id}")
    assert objection.number == "0001/KEB/PPID/III/2026" and objection.channel == "online"
    assert objection.grounds == ["c", "g"] and objection.registered_by_id is None
    assert objection.response_due > objection.filed_date

    receipt = client.get(response.headers["Location"])
    html = receipt.get_data(as_text=True)
    assert receipt.status_code == 200
    assert objection.number in html and item.number in html
    assert "Permohonan tidak ditanggapi" in html and "pemberitahuan tertulis sampai batas waktunya lewat" in html
    assert "Batas tanggapan Atasan PPID" in html and "terlambat diajukan" not in html
    partial = client.get(response.headers["Location"], headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.get_data(as_text=True)
    assert objection.number in partial.get_data(as_text=True)

    mailbox.wait_for(1)  # the objection's receipt; the request's, queued by the factory outside a request, waits for the outbox sender
    messages = [m for m in mailbox.messages if "keberatan" in m["Subject"]]
    assert len(messages) == 1 and messages[0]["To"] == "budi@example.id"
    assert objection.number in messages[0]["Subject"]
    body = messages[0].get_content()
    assert objection.number in body and item.number in body and f"/lacak/{item.tracking_token}" in body
    assert "Sampai batas waktu saya tidak menerima" in body

    request_kinds = [e.kind for e in events_for("request", item.id)]
    assert "objection_filed" in request_kinds and request_kinds.count("email_queued") == 2
    filed = next(e for e in events_for("request", item.id) if e.kind == "objection_filed")
    assert filed.data["objection_id"] == objection.id and filed.data["objection_number"] == objection.number
    assert [e.kind for e in events_for("objection", objection.id)] == ["filed"]

    detail = client.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert objection.number in detail and "menunggu tanggapan" in detail
    # one open objection at a time
    again = client.post(f"/permohonan/{item.id}/keberatan", data=objection_form())
    assert again.status_code == 303 and len(objections_of(item)) == 1
    with pytest.raises(ObjectionStillOpen):
        objection_file(actor=None, request=item, grounds=["d"], case_summary="Lagi.", intended_use="Riset",
                       representative_name=None, documents=[], filed_at=utcnow(), channel="online")
    db.session.rollback()


def test_new_form_with_and_without_htmx(app, on_monday, file_request):
    item = file_request()
    overdue(on_monday)
    client = guest_client(app, item)
    full = client.get(f"/permohonan/{item.id}/keberatan")
    assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
    part = client.get(f"/permohonan/{item.id}/keberatan", headers={"HX-Request": "true"})
    assert part.status_code == 200 and "<html" not in part.get_data(as_text=True)
    assert 'id="objection-form"' in part.get_data(as_text=True)
    detail = client.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert "Ajukan keberatan" in detail and 'id="objection-filing-due"' in detail


def test_staff_read_the_applicants_page_without_the_applicants_actions(app, on_monday, file_request,
                                                                      officer_client):
    item = file_request()
    overdue(on_monday)
    for role in ("ppid_utama", "pengawas"):
        page = officer_client(role).get(f"/permohonan/{item.id}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and 'id="objection-filing-due"' in html  # the clock is shown
        assert "Ajukan keberatan" not in html  # the button would only answer 403


# --- validation ------------------------------------------------------------------------------

def test_invalid_form_is_422_with_values_kept(app, on_monday, file_request):
    item = file_request()
    overdue(on_monday)
    client = guest_client(app, item)
    response = client.post(f"/permohonan/{item.id}/keberatan",
                           data=objection_form(grounds=None, intended_use="Untuk liputan khusus"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Pilih paling sedikit satu alasan keberatan." in html
    assert "Sampai batas waktu saya tidak menerima" in html and "Untuk liputan khusus" in html
    short = client.post(f"/permohonan/{item.id}/keberatan", data=objection_form(case_summary="", grounds=["e"]))
    assert short.status_code == 422 and 'value="e" checked' in short.get_data(as_text=True)
    assert "Tulis kasus posisi" in short.get_data(as_text=True)
    bogus = client.post(f"/permohonan/{item.id}/keberatan", data=objection_form(grounds=["z"]))
    assert bogus.status_code == 422
    assert objections_of(item) == []


def test_representative_needs_power_of_attorney(app, on_monday, file_request):
    item = file_request()
    overdue(on_monday)
    client = guest_client(app, item)
    response = client.post(f"/permohonan/{item.id}/keberatan", data=objection_form(representative_name="Andi Kuasa"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Surat kuasa" in html and "Andi Kuasa" in html
    assert objections_of(item) == []
    with pytest.raises(FieldError) as error:
        objection_file(actor=None, request=item, grounds=["c"], case_summary="Tidak ditanggapi.", intended_use="Riset",
                       representative_name="Andi Kuasa", documents=[], filed_at=utcnow(), channel="online")
    assert error.value.field == "power_of_attorney"
    db.session.rollback()
    # with the power of attorney it registers, and the document is claimed by the objection
    ok = client.post(f"/permohonan/{item.id}/keberatan", content_type="multipart/form-data",
                     data={**objection_form(representative_name="Andi Kuasa"),
                           "power_of_attorney": (io.BytesIO(pdf_bytes()), "kuasa.pdf")})
    assert ok.status_code == 303
    objection = objections_of(item)[0]
    assert objection.representative_name == "Andi Kuasa"
    from ppid_desk.attachments.models import Attachment

    attorney = db.session.query(Attachment).filter_by(objection_id=objection.id).one()
    assert attorney.purpose == "objection_attorney" and attorney.request_id == item.id


# --- the desk: paper objections ---------------------------------------------------------------


def test_desk_registers_a_paper_objection_with_its_real_date(app, clock, file_request, officer_client, mailbox):
    clock.travel_to(MONDAY)
    item = file_request()
    clock.travel_to(datetime(2026, 3, 20, 3, 0, tzinfo=UTC))
    petugas = officer_client("petugas")
    page = petugas.get(f"/meja/permohonan/{item.id}/keberatan/baru")
    assert page.status_code == 200 and 'id="desk-objection-form"' in page.get_data(as_text=True)
    part = petugas.get(f"/meja/permohonan/{item.id}/keberatan/baru", headers={"HX-Request": "true"})
    assert part.status_code == 200 and "<html" not in part.get_data(as_text=True)
    future = petugas.post(f"/meja/permohonan/{item.id}/keberatan/baru", data=desk_objection_form(received_date="2026-03-21"))
    assert future.status_code == 422 and "tidak boleh lebih dari sekarang" in future.get_data(as_text=True)
    old = petugas.post(f"/meja/permohonan/{item.id}/keberatan/baru", data=desk_objection_form(received_date="2025-12-01"))
    assert old.status_code == 422 and "paling lama" in old.get_data(as_text=True)

    mailbox.clear()
    response = petugas.post(f"/meja/permohonan/{item.id}/keberatan/baru", content_type="multipart/form-data",
                            data={**desk_objection_form(), "paper_document": (io.BytesIO(png_bytes()), "surat.png")})
    assert response.status_code == 303
    objection = objections_of(item)[0]
    assert response.headers["Location"].endswith(f"/meja/keberatan/{objection.id}/tanda-terima")
    assert objection.filed_date == date(2026, 3, 10) and objection.channel == "letter"
    assert objection.filed_at == datetime(2026, 3, 10, 2, 15, tzinfo=UTC)
    assert objection.registered_by_id is not None
    assert objection.number == "0001/KEB/PPID/III/2026"
    from ppid_desk.attachments.models import Attachment

    paper = db.session.query(Attachment).filter_by(objection_id=objection.id).one()
    assert paper.purpose == "objection_document"
    mailbox.wait_for(1)  # the objection's receipt; the request's, queued by the factory outside a request, waits for the outbox sender
    assert any(objection.number in m["Subject"] for m in mailbox.messages)
    filed = next(e for e in events_for("request", item.id) if e.kind == "objection_filed")
    assert filed.at == objection.filed_at
    receipt = petugas.get(response.headers["Location"])
    assert receipt.status_code == 200 and objection.number in receipt.get_data(as_text=True)
    assert petugas.get(response.headers["Location"], headers={"HX-Request": "true"}).status_code == 200
    panel = petugas.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="objections-panel"' in panel and objection.number in panel
    assert "Catat keberatan (kertas)" not in panel  # one open objection at a time


def test_desk_form_invalid_keeps_values(app, on_monday, file_request, officer_client):
    item = file_request()
    petugas = officer_client("petugas")
    response = petugas.post(f"/meja/permohonan/{item.id}/keberatan/baru",
                            data=desk_objection_form(grounds=None, received_date="02-03-2026", received_time="10.00",
                                           channel="email"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Pilih paling sedikit satu alasan" in html
    assert "Sampai batas waktu saya tidak menerima" in html and 'value="2026-03-02"' in html


# --- access -------------------------------------------------------------------------------------

def test_applicant_access_and_strangers(app, on_monday, file_request, make_user, login, client):
    item = file_request()
    overdue(on_monday)
    stranger = app.test_client()
    assert stranger.get(f"/permohonan/{item.id}/keberatan").status_code == 404
    assert stranger.post(f"/permohonan/{item.id}/keberatan", data=objection_form()).status_code == 404
    owner_client = guest_client(app, item)
    assert owner_client.post(f"/permohonan/{item.id}/keberatan", data=objection_form()).status_code == 303
    objection = objections_of(item)[0]
    assert stranger.get(f"/permohonan/{item.id}/keberatan/{objection.id}").status_code == 404
    other = file_request(email="lain@example.id")
    # an objection id under another request the visitor may see: 404 as well
    assert guest_client(app, other).get(f"/permohonan/{other.id}/keberatan/{objection.id}").status_code == 404
    # a signed-in citizen who is not the owner
    make_user(email="orang@example.id")
    login(email="orang@example.id")
    assert client.get(f"/permohonan/{item.id}/keberatan/{objection.id}").status_code == 404
    assert client.get(f"/meja/keberatan/{objection.id}/tanda-terima").status_code == 403
    assert client.get(f"/meja/permohonan/{item.id}/keberatan/baru").status_code == 403


def test_desk_panel_and_receipt_only_for_allowed_officers(app, on_monday, file_request, officer_client,
                                                         make_unit, make_user):
    item = file_request()
    objection = objection_file(actor=None, request=item, grounds=["c"], case_summary="Tidak ditanggapi sama sekali.",
                               intended_use="Riset", representative_name=None, documents=[], filed_at=utcnow(),
                               channel="online", notify=False)
    db.session.commit()
    receipt_url = f"/meja/keberatan/{objection.id}/tanda-terima"
    new_url = f"/meja/permohonan/{item.id}/keberatan/baru"

    for role in ("atasan", "pengawas", "ppid_utama", "petugas"):
        officer = officer_client(role)
        page = officer.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
        assert objection.number in page and 'id="objections-panel"' in page, role
        assert officer.get(receipt_url).status_code == 200, role
    atasan_page = officer_client("atasan").get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Catat keberatan (kertas)" not in atasan_page
    assert officer_client("atasan").get(new_url).status_code == 403

    admin = officer_client("admin")
    page = admin.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="objections-panel"' not in page and objection.number not in page
    assert admin.get(receipt_url).status_code == 404

    unit = make_unit()
    pembantu = officer_client("pembantu", unit=unit)
    assert pembantu.get(receipt_url).status_code == 404  # not routed: nothing to see
    router = make_user(email="utama-router@pemda.example.id", roles=("ppid_utama",))
    db.session.add(RoutingTask(request_id=item.id, unit_id=unit.id, instruction="Siapkan datanya.",
                               internal_due=item.notice_due, routed_by_id=router.id))
    db.session.commit()
    page = pembantu.get(f"/meja/permohonan/{item.id}")
    assert page.status_code == 200
    assert 'id="objections-panel"' not in page.get_data(as_text=True)
    assert objection.number not in page.get_data(as_text=True)
    assert pembantu.get(receipt_url).status_code == 404
    assert pembantu.get(new_url).status_code == 403

    anonymous = app.test_client()
    assert anonymous.get(receipt_url).status_code == 302
    assert anonymous.get(new_url).status_code == 302


def test_panel_register_button_for_petugas_without_objections(app, on_monday, file_request, officer_client):
    item = file_request()
    page = officer_client("petugas").get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert "Belum ada keberatan" in page and "Catat keberatan (kertas)" in page
