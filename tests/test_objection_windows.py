"""When each objection clock starts (UU KIP Pasal 36(1) and 37(2); KIP.md "When each clock starts").

Each ground has its own 30-WD filing window: a (refusal) and f (fee) from the day the written
notice was RECEIVED; c (no response) from the day after the notice deadline (the validly extended
one) passed; d, e, g from the delivery, or from the day after delivery was due without it (d from
the notice when nothing is to be delivered); b from the day the applicant found the periodic
information missing. Letters sent by e-mail or handed over are received the day issued; by post
or courier on the day the desk records with its proof, and until then the window is unknown and
an objection or dispute filed on it is never late.

The request of every scenario is received Mon 2 Mar 2026 (10.00 WIB): notice due Mon 16 Mar,
17 Mar its first day late; a 7-WD extension moves it to Wed 1 Apr. Around them: Nyepi (18 Mar CB,
19 Mar LN), Lebaran (20 Mar CB, 21–22 Mar LN, 23–24 Mar CB), Good Friday 3 Apr, 1 May, Ascension
14 May (LN) and 15 May (CB).
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from werkzeug.datastructures import FileStorage

from ppid_desk.audit.selectors import events_for
from ppid_desk.errors import DomainError, FieldError, ValidationFailed
from ppid_desk.extensions import db
from ppid_desk.notices.services import (
    DeliveryDraft,
    NoticeDraft,
    delivery_record,
    letter_receipt_record,
    notice_issue,
    request_close,
    request_extend,
)
from ppid_desk.objections import filing_selectors as fs
from ppid_desk.objections.dispute_selectors import dispute_window
from ppid_desk.objections.dispute_services import dispute_record
from ppid_desk.objections.filing_selectors import ground_window, objection_window
from ppid_desk.objections.lifecycle import objection_rebuild_cached_columns
from ppid_desk.objections.response_services import objection_respond, response_receipt_record
from ppid_desk.requests.lifecycle import rebuild_cached_columns
from ppid_desk.web.formatting import long_date
from ppid_desk.workcalendar.selectors import working_calendar
from tests.factories import TEST, at, clock_at, file_objection, grant, make_user, register_request
from tests.helpers import errors_of, fresh, guest_client, objection_form, pdf_text, png_bytes

D = date


@pytest.fixture
def officer(app):
    return make_user("utama@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")


def outbox(subject_part: str) -> list[str]:
    """The bodies of the e-mails queued with ``subject_part`` in their subject, oldest first."""
    from sqlalchemy import select

    from ppid_desk.notifications.models import OutboxMessage

    db.session.expire_all()
    return [m.body for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
            if subject_part in m.subject]


def proof():
    """A scan of a postal receipt, staged as an upload of the desk's form would be."""
    from flask import current_app

    from ppid_desk.attachments.services import attachment_stage

    with current_app.test_request_context():
        return attachment_stage(field="proof", purpose="letter_receipt",
                                storage=FileStorage(io.BytesIO(png_bytes()), "resi.png"))


def request_(email="budi@example.id"):
    with clock_at(at(3, 2)):
        # A paper copy by post: the one kind of request that may carry a fee (ground f's case).
        return register_request(received_at=at(3, 2), email=email, notify=False,
                                access_method="salinan_hardcopy", copy_delivery="pos")


def notice(officer, item, when: datetime, *, outcome="refused", sent_via="email", fee=0):
    draft = (NoticeDraft(outcome="refused", held=True, consequence=TEST) if outcome == "refused"
             else grant(outcome, fee=fee))
    with clock_at(when):
        notice_issue(actor=officer, item=item, draft=draft, sent_via=sent_via, at=when, notify=False)
        db.session.commit()


def received(officer, item, letter: str, day: date, *, when: datetime):
    with clock_at(when):
        letter_receipt_record(actor=officer, item=item, letter=letter, received_on=day, proof=proof(), at=when)
        db.session.commit()


def extend(officer, item, when: datetime, days=7):
    with clock_at(when):
        request_extend(actor=officer, item=item, reason="Dokumen tersebar di beberapa bidang.", working_days=days,
                       at=when, notify=False)
        db.session.commit()


def deliver(officer, item, when: datetime):
    with clock_at(when):
        delivery_record(actor=officer, item=item, draft=DeliveryDraft(method="in_person"), at=when, notify=False)
        db.session.commit()


# --- the scenarios: what happened to the request ---------------------------------------------------

def email_friday(officer, item):  # refused, e-mailed Fri 13 Mar
    notice(officer, item, at(3, 13))


def handed_saturday(officer, item):  # refused, handed over on Sat 14 Mar (a weekend)
    notice(officer, item, at(3, 14), sent_via="in_person")


def post_received_on_nyepi_leave(officer, item):  # posted Thu 12 Mar, received Wed 18 Mar (cuti bersama)
    notice(officer, item, at(3, 12), sent_via="post")
    received(officer, item, "notice", D(2026, 3, 18), when=at(3, 25))


def courier_received_on_lebaran(officer, item):  # by courier Thu 12 Mar, received Sat 21 Mar (Idul Fitri)
    notice(officer, item, at(3, 12), sent_via="courier")
    received(officer, item, "notice", D(2026, 3, 21), when=at(3, 25))


def courier_receipt_unknown(officer, item):  # by courier Thu 12 Mar, receipt never recorded
    notice(officer, item, at(3, 12), sent_via="courier")


def fee_by_post_unknown(officer, item):  # granted with a fee, posted 12 Mar, receipt not recorded
    notice(officer, item, at(3, 12), outcome="granted_full", sent_via="post", fee=15000)


def nothing(officer, item):  # no notice at all
    pass


def extended(officer, item):  # extended by 7 WD on Tue 10 Mar (valid): legal due Wed 1 Apr
    extend(officer, item, at(3, 10))


def late_notice(officer, item):  # granted Fri 20 Mar (cuti bersama), after the due of Mon 16 Mar
    notice(officer, item, at(3, 20), outcome="granted_full")


def granted_on_time(officer, item):  # granted Fri 13 Mar by e-mail, never delivered
    notice(officer, item, at(3, 13), outcome="granted_full")


def delivered_good_friday(officer, item):  # granted 13 Mar, delivered Fri 3 Apr (Good Friday)
    notice(officer, item, at(3, 13), outcome="granted_full")
    deliver(officer, item, at(4, 3))


# (scenario, ground, seen on, start, due, basis)
WINDOWS = [
    (email_friday, "a", D(2026, 4, 10), D(2026, 3, 13), D(2026, 5, 5), fs.NOTICE_RECEIVED),
    (email_friday, "f", D(2026, 4, 10), D(2026, 3, 13), D(2026, 5, 5), fs.NOTICE_RECEIVED),
    (email_friday, "d", D(2026, 4, 10), D(2026, 3, 13), D(2026, 5, 5), fs.NOTICE_RECEIVED),  # nothing to deliver
    (email_friday, "c", D(2026, 3, 20), D(2026, 3, 20), D(2026, 5, 7), fs.FROM_FILING),  # answered in time
    (email_friday, "e", D(2026, 3, 20), D(2026, 3, 20), D(2026, 5, 7), fs.FROM_FILING),  # no delivery is due
    (handed_saturday, "a", D(2026, 4, 10), D(2026, 3, 14), D(2026, 5, 5), fs.NOTICE_RECEIVED),
    (post_received_on_nyepi_leave, "a", D(2026, 4, 10), D(2026, 3, 18), D(2026, 5, 7), fs.NOTICE_RECEIVED),
    (courier_received_on_lebaran, "a", D(2026, 4, 10), D(2026, 3, 21), D(2026, 5, 7), fs.NOTICE_RECEIVED),
    (courier_receipt_unknown, "a", D(2026, 6, 30), None, None, fs.NOTICE_RECEIPT_UNKNOWN),
    (fee_by_post_unknown, "f", D(2026, 6, 30), None, None, fs.NOTICE_RECEIPT_UNKNOWN),
    (nothing, "c", D(2026, 3, 20), D(2026, 3, 17), D(2026, 5, 7), fs.DEADLINE_PASSED),
    (nothing, "g", D(2026, 3, 20), D(2026, 3, 17), D(2026, 5, 7), fs.DELIVERY_DUE_PASSED),
    (nothing, "a", D(2026, 3, 20), D(2026, 3, 20), D(2026, 5, 7), fs.FROM_FILING),
    (nothing, "c", D(2026, 3, 16), D(2026, 3, 16), D(2026, 5, 6), fs.FROM_FILING),  # the due day itself
    (extended, "c", D(2026, 4, 10), D(2026, 4, 2), D(2026, 5, 20), fs.DEADLINE_PASSED),
    (late_notice, "c", D(2026, 4, 10), D(2026, 3, 17), D(2026, 5, 7), fs.DEADLINE_PASSED),
    (granted_on_time, "e", D(2026, 3, 20), D(2026, 3, 17), D(2026, 5, 7), fs.DELIVERY_DUE_PASSED),
    (granted_on_time, "c", D(2026, 3, 20), D(2026, 3, 20), D(2026, 5, 7), fs.FROM_FILING),
    (delivered_good_friday, "d", D(2026, 4, 10), D(2026, 4, 3), D(2026, 5, 20), fs.DELIVERED),
    (delivered_good_friday, "e", D(2026, 4, 10), D(2026, 4, 3), D(2026, 5, 20), fs.DELIVERED),
    (delivered_good_friday, "g", D(2026, 4, 10), D(2026, 4, 3), D(2026, 5, 20), fs.DELIVERED),
    (delivered_good_friday, "g", D(2026, 4, 2), D(2026, 3, 17), D(2026, 5, 7), fs.DELIVERY_DUE_PASSED),  # before it
]


@pytest.mark.parametrize(("scenario", "ground", "on", "start", "due", "basis"), WINDOWS,
                         ids=[f"{row[0].__name__}-{row[1]}-{row[2]}" for row in WINDOWS])
def test_each_ground_starts_where_the_law_says(app, officer, scenario, ground, on, start, due, basis):
    item = request_()
    scenario(officer, item)
    window = ground_window(fresh(item), ground, on=on)
    assert (window.start, window.due, window.basis) == (start, due, basis)
    assert rebuild_cached_columns(fresh(item)) == {}  # every step went through the funnel


@pytest.mark.parametrize(("found", "due"), [
    (D(2026, 3, 18), D(2026, 5, 7)),  # cuti bersama (Nyepi)
    (D(2026, 3, 21), D(2026, 5, 7)),  # Idul Fitri, a Saturday
    (D(2026, 4, 3), D(2026, 5, 20)),  # Good Friday
])
def test_ground_b_counts_from_the_day_the_applicant_found_it_missing(app, officer, found, due):
    item = request_()
    window = ground_window(item, "b", on=D(2026, 4, 10), found_missing_on=found)
    assert (window.start, window.due, window.basis) == (found, due, fs.FOUND_MISSING)
    unstated = ground_window(item, "b", on=D(2026, 4, 10))
    assert (unstated.due, unstated.basis) == (None, fs.FOUND_MISSING_NOT_STATED)


# --- several grounds, the stored flag ----------------------------------------------------------------

def test_on_time_while_any_chosen_ground_is_open_and_the_latest_due_governs(app, officer):
    item = request_()
    delivered_good_friday(officer, item)  # a/f closed 5 May (notice 13 Mar); d/e/g open to 20 May
    window = objection_window(fresh(item), ["a", "d"], on=D(2026, 5, 12))
    assert window.windows["a"].closed_on(D(2026, 5, 12)) and not window.windows["d"].closed_on(D(2026, 5, 12))
    assert (window.ground, window.ground_date, window.filing_due, window.late) == ("d", D(2026, 4, 3),
                                                                                  D(2026, 5, 20), False)
    assert objection_window(fresh(item), ["a", "d"], on=D(2026, 5, 21)).late is True
    assert objection_window(fresh(item), ["a"], on=D(2026, 5, 12)).late is True

    with clock_at(at(5, 12)):
        objection = file_objection(fresh(item), grounds=["d", "a"], filed_at=at(5, 12))
    objection = fresh(objection)
    assert (objection.ground_date, objection.filing_due, objection.late) == (D(2026, 4, 3), D(2026, 5, 20), False)
    assert objection.ground_windows == {
        "a": {"start": "2026-03-13", "due": "2026-05-05", "basis": fs.NOTICE_RECEIVED},
        "d": {"start": "2026-04-03", "due": "2026-05-20", "basis": fs.DELIVERED}}
    [filed] = [e for e in events_for("objection", objection.id) if e.kind == "filed"]
    assert filed.data["after"]["ground_windows"] == objection.ground_windows
    assert objection_rebuild_cached_columns(objection) == {}


def test_every_chosen_window_closed_is_late(app, officer):
    item = request_()
    delivered_good_friday(officer, item)
    with clock_at(at(5, 21)):
        objection = file_objection(fresh(item), grounds=["a", "d"], filed_at=at(5, 21))
    assert (fresh(objection).late, fresh(objection).filing_due) == (True, D(2026, 5, 20))


def test_an_unknown_receipt_is_never_late_even_beside_a_closed_ground(app, officer):
    item = request_()
    courier_receipt_unknown(officer, item)  # a: unknown; c: the notice came in time (from the filing day)
    with clock_at(at(9, 1)):
        objection = file_objection(fresh(item), grounds=["a"], filed_at=at(9, 1))
    objection = fresh(objection)
    assert (objection.late, objection.filing_due, objection.ground_date) == (False, None, None)
    assert objection.ground_windows == {"a": {"start": None, "due": None, "basis": fs.NOTICE_RECEIPT_UNKNOWN}}
    assert objection_rebuild_cached_columns(objection) == {}


def test_ground_b_needs_its_day_not_in_the_future(app, officer):
    from ppid_desk.objections.filing_services import objection_file

    item = request_()

    def file(found):
        with clock_at(at(4, 10)):
            return objection_file(actor=None, request=fresh(item), grounds=["b"], case_summary="Laporan berkala.",
                                  intended_use="Riset", representative_name=None, documents=[],
                                  filed_at=at(4, 10), channel="online", periodic_found_on=found, notify=False)

    for found in (None, D(2026, 4, 11)):
        with pytest.raises(FieldError) as error:
            file(found)
        assert error.value.field == "periodic_found_on"
        db.session.rollback()
    objection = file(D(2026, 3, 18))
    db.session.commit()
    objection = fresh(objection)
    assert (objection.periodic_found_on, objection.ground_date, objection.filing_due, objection.late) == (
        D(2026, 3, 18), D(2026, 3, 18), D(2026, 5, 7), False)


# --- the dispute window (Pasal 37(2)) counts from the response's receipt ----------------------------

def responded(officer, item, *, sent_via, when=None, notify=False):
    with clock_at(at(3, 3)):
        objection = file_objection(fresh(item), grounds=["d"], filed_at=at(3, 3))
    when = when or at(3, 13)
    with clock_at(when):
        objection_respond(actor=officer, objection=fresh(objection), decision="upheld", reasons="Sudah sesuai.",
                          release_by=None, settlement=None, expected_version=None, sent_via=sent_via, notify=notify)
        db.session.commit()
    return fresh(objection)


@pytest.mark.parametrize(("sent_via", "when", "received_on", "window"), [
    ("email", at(3, 13), None, (D(2026, 3, 13), D(2026, 4, 10))),
    ("in_person", at(3, 14), None, (D(2026, 3, 14), D(2026, 4, 10))),  # a Saturday
    ("post", at(3, 13), D(2026, 3, 18), (D(2026, 3, 18), D(2026, 4, 14))),  # received on cuti bersama
    ("courier", at(3, 13), D(2026, 4, 3), (D(2026, 4, 3), D(2026, 4, 23))),  # received on Good Friday
    ("courier", at(3, 13), None, (D(2026, 3, 13), None)),  # receipt unknown: open, its end unknown
])
def test_dispute_window_counts_from_the_response_received(app, officer, sent_via, when, received_on, window):
    objection = responded(officer, request_(), sent_via=sent_via, when=when)
    if received_on is not None:
        with clock_at(at(4, 6)):
            response_receipt_record(actor=officer, objection=objection, received_on=received_on, proof=proof(),
                                    expected_version=None)
            db.session.commit()
    objection = fresh(objection)
    assert dispute_window(objection, working_calendar(), D(2026, 6, 30)) == window
    assert objection_rebuild_cached_columns(objection) == {}


def test_a_dispute_filed_while_the_receipt_is_unknown_is_not_late(app, officer):
    objection = responded(officer, request_(), sent_via="post")
    with clock_at(at(9, 1)):  # months later: a window counted from the issue day would have closed
        dispute = dispute_record(actor=None, objection=objection, level="provinsi", filed_date=D(2026, 9, 1))
        db.session.commit()
    [event] = [e for e in events_for("objection", objection.id) if e.kind == "dispute_recorded"]
    assert event.data["late"] is False and event.data["window_due"] is None
    assert dispute.filed_date == D(2026, 9, 1)


# --- recording the receipt: validated, nothing half-written ------------------------------------------

def test_a_receipt_is_checked_and_recorded_once_with_its_proof(app, officer):
    item = request_()
    notice(officer, item, at(3, 12), sent_via="post")
    for day, message in ((D(2026, 3, 11), "sebelum surat diterbitkan"), (D(2026, 3, 26), "masa depan"),
                         (None, "Tulis tanggal")):
        with clock_at(at(3, 25)), pytest.raises(ValidationFailed) as error:
            letter_receipt_record(actor=officer, item=fresh(item), letter="notice", received_on=day, proof=proof(),
                                  at=at(3, 25))
        assert message in error.value.errors["received_on"]
        db.session.rollback()
    assert fresh(item).notice_received_on is None
    received(officer, item, "notice", D(2026, 3, 18), when=at(3, 25))
    [event] = [e for e in events_for("request", item.id) if e.kind == "letter_received"]
    assert event.data["before"] == {"notice_received_on": None}
    assert event.data["after"] == {"notice_received_on": "2026-03-18"}
    with pytest.raises(DomainError):  # already known: not recorded again
        received(officer, item, "notice", D(2026, 3, 19), when=at(3, 25))


def test_desk_records_the_receipt_bad_input_changes_nothing(app, clock, officer_client):
    client = officer_client("petugas")
    officer = make_user("utama2@pemda.example.id", roles=("ppid_utama",))
    item = request_()
    notice(officer, item, at(3, 12), sent_via="courier")
    clock.travel_to(at(3, 25))
    url = f"/meja/permohonan/{item.id}/surat/notice/diterima"
    page = client.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="notice-receipt-form"' in page and "belum diketahui" in page

    def post(received_on, with_proof=True):
        data = {"version": str(fresh(item).version), "received_on": received_on}
        if with_proof:
            data["proof"] = (io.BytesIO(png_bytes()), "resi.png")
        return client.post(url, data=data, content_type="multipart/form-data")

    for received_on, with_proof, field in (("2026-03-11", True, "received_on"), ("2026-03-30", True, "received_on"),
                                            ("31-02-2026", True, "received_on"), ("2026-03-18", False, "proof")):
        response = post(received_on, with_proof)
        assert response.status_code == 422
        assert field in errors_of(response)
        assert fresh(item).notice_received_on is None
        assert not [e for e in events_for("request", item.id) if e.kind == "letter_received"]
    response = post("2026-03-18")
    assert response.status_code == 303
    assert fresh(item).notice_received_on == D(2026, 3, 18)
    page = client.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="notice-receipt-form"' not in page and long_date(D(2026, 3, 18)) in page
    # The applicant's window for a refusal now counts from that day.
    assert ground_window(fresh(item), "a", on=D(2026, 3, 25)).due == D(2026, 5, 7)


def test_desk_records_the_response_receipt(app, clock, officer_client, officer):
    client = officer_client("ppid_utama")
    objection = responded(officer, request_(), sent_via="post")
    clock.travel_to(at(3, 25))
    url = f"/meja/keberatan/{objection.id}/tanggapan/diterima"
    page = client.get(f"/meja/keberatan/{objection.id}").get_data(as_text=True)
    assert 'id="response-receipt-form"' in page
    bad = client.post(url, data={"version": str(objection.version), "received_on": "2026-03-12",
                                 "proof": (io.BytesIO(png_bytes()), "resi.png")}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "received_on" in errors_of(bad)
    assert fresh(objection).response_received_on is None
    good = client.post(url, data={"version": str(fresh(objection).version), "received_on": "2026-03-18",
                                  "proof": (io.BytesIO(png_bytes()), "resi.png")}, content_type="multipart/form-data")
    assert good.status_code == 303
    assert fresh(objection).response_received_on == D(2026, 3, 18)
    assert dispute_window(fresh(objection), working_calendar(), D(2026, 3, 25)) == (D(2026, 3, 18), D(2026, 4, 14))


# --- what the applicant is told says the dates the flag uses ----------------------------------------

def test_form_receipt_pdf_and_email_state_the_stored_windows(app, clock, officer):
    item = request_()
    post_received_on_nyepi_leave(officer, item)  # a: 18 Mar .. 7 May
    clock.travel_to(at(4, 10))
    client = guest_client(app, item)
    form = client.get(f"/permohonan/{item.id}/keberatan").get_data(as_text=True)
    a_window = form.split('id="ground-a-window"')[1].split("</p>")[0]
    assert long_date(D(2026, 3, 18)) in a_window and long_date(D(2026, 5, 7)) in a_window
    assert "masih terbuka" in a_window
    response = client.post(f"/permohonan/{item.id}/keberatan", data=objection_form(grounds=["a"]))
    assert response.status_code == 303
    [objection] = fs.objections_of(fresh(item))
    assert (objection.filing_due, objection.late) == (D(2026, 5, 7), False)
    due_text = long_date(objection.filing_due)
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert due_text in receipt.split('id="objection-filing-due"')[1].split("</dd>")[0]
    assert long_date(D(2026, 3, 18)) in receipt.split('id="ground-a-window"')[1].split("</p>")[0]
    [body] = outbox("Tanda terima keberatan")
    assert f"Batas mengajukan keberatan: {due_text}" in body

    from ppid_desk.objections.receipt_pdf import objection_receipt, receipt_pdf

    text = "".join(pdf_text(receipt_pdf(objection_receipt(objection))).split())  # its lines wrap
    assert "Tanda Terima Keberatan".replace(" ", "").upper() in text.upper()
    assert "".join(due_text.split()) in text and "".join(long_date(D(2026, 3, 18)).split()) in text


def test_notice_letter_and_closing_email_say_the_flags_dates(app, clock, officer):
    from ppid_desk.notices.selectors import notice_letter, notice_of

    posted = request_(email="pos@example.id")
    notice(officer, posted, at(3, 12), sent_via="post")
    letter = notice_letter(fresh(posted), notice_of(fresh(posted)))
    assert (letter.objection_due, letter.objection_due_unknown) == (None, True)  # never counted from the issue day
    emailed = request_(email="surel@example.id")
    granted_on_time(officer, emailed)
    letter = notice_letter(fresh(emailed), notice_of(fresh(emailed)))
    assert letter.objection_due == ground_window(fresh(emailed), "a", on=D(2026, 3, 13)).due == D(2026, 5, 5)

    with clock_at(at(4, 3)):
        delivery_record(actor=officer, item=fresh(emailed), draft=DeliveryDraft(method="in_person"), at=at(4, 3))
        db.session.commit()
    with clock_at(at(4, 6)):
        request_close(actor=officer, item=fresh(emailed), at=at(4, 6))
        db.session.commit()
    due_text = long_date(D(2026, 5, 20))  # ground d: 30 WD from the delivery (Good Friday), not from the notice
    [delivered] = outbox("telah disampaikan")
    [closed] = outbox("selesai")
    assert due_text in delivered and due_text in closed, (delivered, closed)
    with clock_at(at(4, 6)):
        objection = file_objection(fresh(emailed), grounds=["d"], filed_at=at(4, 6))
    assert fresh(objection).filing_due == D(2026, 5, 20)


def test_extension_email_states_the_no_response_window(app, clock, officer):
    item = request_()
    with clock_at(at(3, 10)):
        request_extend(actor=officer, item=item, reason="Dokumen tersebar di beberapa bidang.", working_days=7,
                       at=at(3, 10))
        db.session.commit()
    [body] = outbox("Perpanjangan")
    assert long_date(D(2026, 5, 20)) in body
    assert ground_window(fresh(item), "c", on=D(2026, 4, 2)).due == D(2026, 5, 20)
    assert fresh(item).extension_received_on == D(2026, 3, 10)


def test_windows_recounted_on_a_changed_calendar_keep_their_starts(app, officer):
    """A holiday added later moves each stored window's due, never the day its ground arose."""
    from ppid_desk.sla import WorkingCalendar
    from ppid_desk.sla.workdays import ClosedDay, ClosureKind
    from ppid_desk.workcalendar.selectors import active_closures

    item = request_()
    delivered_good_friday(officer, item)  # a: 13 Mar .. 5 May; d: 3 Apr .. 20 May
    with clock_at(at(5, 12)):
        objection = file_objection(fresh(item), grounds=["a", "d"], filed_at=at(5, 12))
    extra = ClosedDay(D(2026, 4, 27), ClosureKind.LOCAL_CLOSURE, "Hari jadi kota")
    calendar = WorkingCalendar(lambda year: [*active_closures(year), *([extra] if year == 2026 else [])])
    window = fs.windows_recounted(fresh(objection), calendar)
    assert {g: (w.start, w.due) for g, w in window.windows.items()} == {
        "a": (D(2026, 3, 13), D(2026, 5, 6)), "d": (D(2026, 4, 3), D(2026, 5, 21))}
    assert (window.ground, window.filing_due, window.late) == ("d", D(2026, 5, 21), False)


def test_response_email_states_the_dispute_window_it_counts(app, officer):
    responded(officer, request_(email="surel@example.id"), sent_via="email", notify=True)
    [emailed] = outbox("Tanggapan Atasan PPID")
    assert long_date(D(2026, 4, 10)) in emailed  # 14 WD from Fri 13 Mar, the day it was e-mailed
    responded(officer, request_(email="pos@example.id"), sent_via="post", notify=True)
    posted = outbox("Tanggapan Atasan PPID")[-1]
    assert "sejak tanggapan ini Anda terima" in posted and long_date(D(2026, 4, 10)) not in posted
