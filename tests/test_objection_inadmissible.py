"""The Atasan PPID's decision that an objection is inadmissible (tidak dapat diterima), issue 13
item 4: filed late (after every chosen ground's window, Pasal 36(1)) or not by the applicant or
their representative. A written, numbered decision (the response letter's series, signature and
sending), its basis required; it ends the objection with no order and no settlement, and the
applicant may still go to the Komisi Informasi within 14 WD of receiving it (Pasal 37(2)).

Dates (the calendar of tests/data): the request is received Mon 2 Mar 2026 and refused by a
notice e-mailed Fri 13 Mar, so ground a's window is 13 Mar .. Tue 5 May 2026 (30 WD over Nyepi,
Lebaran and Good Friday). An objection on ground a filed Wed 6 May is late; one filed Fri 10 Apr
is on time. The Atasan decides on Fri 8 May. May–June 2026: 14 May (LN) and 15 May (CB), 27 May
(LN) and 28 May (CB), 1 June (LN).
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.monev.annual_selectors import annual_figures
from ppid_desk.monev.metrics import monev_metrics
from ppid_desk.notices.services import NoticeDraft, notice_issue
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.objections.dispute_selectors import dispute_window
from ppid_desk.objections.lifecycle import objection_rebuild_cached_columns
from ppid_desk.objections.models import ObjectionStatus
from ppid_desk.objections.response_services import objection_respond, response_receipt_record
from ppid_desk.web.formatting import long_date
from ppid_desk.workcalendar.selectors import working_calendar
from tests.factories import TEST, at, atasan, clock_at, file_objection, make_user, register_request
from tests.helpers import csv_rows, errors_of, fresh, guest_client, pdf_text, png_bytes

D = date
CONSIDERATIONS = "Pemohon tidak menyampaikan alasan keterlambatan yang dapat diterima."
NOT_APPLICANT = "Keberatan diajukan oleh Sdr. Anton tanpa surat kuasa dari pemohon."


@pytest.fixture
def officer(app):
    return make_user("utama@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")


def squeeze(text: str) -> str:
    return "".join(text.split())


def refused_request(officer, email="budi@example.id"):
    """Received Mon 2 Mar 2026, refused by a notice e-mailed Fri 13 Mar (ground a: 13 Mar .. 5 May)."""
    with clock_at(at(3, 2)):
        item = register_request(received_at=at(3, 2), email=email, notify=False)
    with clock_at(at(3, 13)):
        notice_issue(actor=officer, item=fresh(item), draft=NoticeDraft(outcome="refused", held=True, consequence=TEST),
                     sent_via="email", at=at(3, 13), notify=False)
        db.session.commit()
    return fresh(item)


def objection_on(officer, *, late: bool, email="budi@example.id"):
    item = refused_request(officer, email=email)
    filed = at(5, 6) if late else at(4, 10)
    with clock_at(filed):
        objection = file_objection(item, grounds=["a"], filed_at=filed)
    objection = fresh(objection)
    assert objection.late is late and objection.filing_due == D(2026, 5, 5)
    return objection


def decide(objection, *, basis=("late",), reason=None, reasons=CONSIDERATIONS, sent_via="email", when=None,
           notify=False):
    with clock_at(when or at(5, 8)):
        objection_respond(actor=atasan(), objection=fresh(objection), decision="inadmissible", reasons=reasons, release_by=None,
                          settlement=None, expected_version=None, sent_via=sent_via, notify=notify,
                          inadmissible_basis=list(basis), not_applicant_reason=reason)
        db.session.commit()
    return fresh(objection)


# --- the basis: required, checked against the stored windows; bad input loses nothing ------------

CASES = [
    # late?, form fields, expected errors (empty: issued), the basis stored
    (True, {"inadmissible_basis": ["late"]}, [], ["late"]),
    (True, {"inadmissible_basis": ["late", "not_applicant"], "not_applicant_reason": NOT_APPLICANT}, [],
     ["late", "not_applicant"]),
    (False, {"inadmissible_basis": ["not_applicant"], "not_applicant_reason": NOT_APPLICANT}, [], ["not_applicant"]),
    (False, {"inadmissible_basis": ["late"]}, ["inadmissible_basis"], None),  # on time by the stored windows
    (True, {}, ["inadmissible_basis"], None),  # no basis chosen
    (True, {"inadmissible_basis": ["bosan"]}, ["inadmissible_basis"], None),
    (True, {"inadmissible_basis": ["not_applicant"]}, ["not_applicant_reason"], None),  # its reason missing
    (True, {"inadmissible_basis": ["late"], "reasons": ""}, ["reasons"], None),  # no considerations
    (True, {"inadmissible_basis": ["late"], "sent_via": "email", "reasons": "x" * 20_001}, ["reasons"], None),
]


@pytest.mark.parametrize(("late", "fields", "errors", "stored"), CASES)
def test_the_basis_is_required_and_checked(app, officer, officer_client, clock, late, fields, errors, stored):
    objection = objection_on(officer, late=late)
    clock.travel_to(at(5, 8))
    client = officer_client("atasan")
    data = {"version": str(objection.version), "decision": "inadmissible", "reasons": CONSIDERATIONS,
            "sent_via": "email", **fields}
    response = client.post(f"/meja/keberatan/{objection.id}/tanggapan", data=data)
    after = fresh(objection)
    if errors:
        assert response.status_code == 422
        assert errors_of(response) == errors
        assert after.status == ObjectionStatus.REGISTERED and after.response_number is None
        assert after.decision is None and after.inadmissibility is None
        assert not [e for e in events_for("objection", objection.id) if e.kind == "objection_inadmissible"]
        page = response.get_data(as_text=True)
        for value in (fields.get("not_applicant_reason"), data["reasons"][:100] or None):
            if value:
                assert value in page  # nothing typed is lost
        assert 'value="inadmissible" checked' in page
        return
    assert response.status_code == 303, errors_of(response)
    assert (after.status, after.decision) == (ObjectionStatus.RESPONDED, "inadmissible")
    assert after.inadmissibility["basis"] == stored
    assert (after.release_by, after.settlement) == (None, None)  # no order, no settlement
    assert after.not_applicant_reason == (NOT_APPLICANT if "not_applicant" in stored else None)
    assert after.reasons == CONSIDERATIONS and after.response_number
    if "late" in stored:  # the windows the letter states, fixed now
        assert after.inadmissibility["windows"] == objection.ground_windows
        assert after.inadmissibility["filed_on"] == "2026-05-06"
    [event] = [e for e in events_for("objection", objection.id) if e.kind == "objection_inadmissible"]
    assert event.data["after"]["decision"] == "inadmissible"
    assert event.data["after"]["inadmissibility"]["basis"] == stored
    assert "objection_inadmissible" in [e.kind for e in events_for("request", objection.request_id)]
    assert objection_rebuild_cached_columns(after) == {}
    # The response clock stopped: the objection leaves the Atasan's open queue.
    assert after.number not in client.get("/meja/keberatan").get_data(as_text=True)


def test_the_rebuild_cache_check_agrees_after_the_decision(app, officer, runner):
    decide(objection_on(officer, late=True))
    result = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert result.exit_code == 0, result.output


# --- the Atasan's screen: suggested when late, never chosen ---------------------------------------

def test_a_late_objection_suggests_inadmissibility_without_choosing_it(app, officer, officer_client, clock):
    late = objection_on(officer, late=True)
    on_time = objection_on(officer, late=False, email="rina@example.id")
    clock.travel_to(at(5, 7))
    client = officer_client("atasan")
    page = client.get(f"/meja/keberatan/{late.id}").get_data(as_text=True)
    suggestion = page.split('id="inadmissible-suggestion"')[1].split("</div>")[0]
    assert "lewat waktu" in suggestion and long_date(D(2026, 5, 6)) in suggestion
    assert long_date(D(2026, 3, 13)) in suggestion and long_date(D(2026, 5, 5)) in suggestion
    assert 'value="inadmissible"' in page and 'value="inadmissible" checked' not in page
    assert 'name="decision" value="upheld" checked' not in page  # nothing is chosen for the Atasan
    assert 'name="inadmissible_basis" value="late" checked' in page
    assert 'name="inadmissible_basis" value="not_applicant">' in page
    page = client.get(f"/meja/keberatan/{on_time.id}").get_data(as_text=True)
    assert 'id="inadmissible-suggestion"' not in page and 'value="inadmissible"' in page
    assert 'name="inadmissible_basis" value="late"' not in page  # no such basis by the stored windows
    assert 'name="inadmissible_basis" value="not_applicant"' in page


# --- the letter: numbered, its items, its dates ---------------------------------------------------

def test_the_letter_states_the_decision_its_basis_dates_and_the_dispute_right(app, officer, officer_client, clock):
    objection = decide(objection_on(officer, late=True), basis=("late", "not_applicant"), reason=NOT_APPLICANT)
    clock.travel_to(at(5, 8))
    client = officer_client("atasan")
    response = client.get(f"/meja/keberatan/{objection.id}/tanggapan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "keputusan-keberatan-" in response.headers["Content-Disposition"]
    content = response.get_data()
    text = squeeze(pdf_text(content))
    expected = [
        objection.response_number, "KEPUTUSANATASKEBERATAN", objection.number,
        "Keputusan", "Keberatantidakdapatditerima",
        "Dasar:keberatandiajukanmelewatijangkawaktu(Pasal36ayat(1)UU14/2008)",
        f"KeberatanSaudaraditerimapada{squeeze(long_date(D(2026, 5, 6)))}",
        f"hurufa(penolakanpermohonanberdasarkanalasanpengecualianPasal17):{squeeze(long_date(D(2026, 3, 13)))}"
        f"sampai{squeeze(long_date(D(2026, 5, 5)))},30harikerjasejakpemberitahuantertulisditerima",
        "Dasar:keberatantidakdiajukanolehpemohoninformasiataukuasanya", squeeze(NOT_APPLICANT),
        "PertimbanganAtasanPPID", squeeze(CONSIDERATIONS), "Pokokkeberatantidakdiperiksa",
        "palinglambat14harikerjasejaksuratiniditerima(Pasal37ayat(2)UU14/2008)",
        squeeze(objection.response_signature["name"]),
        squeeze(long_date(D(2026, 5, 8))),
    ]
    for part in expected:
        assert part in text, part
    positions = [text.index(part) for part in expected[5:13]]
    assert positions == sorted(positions)  # each basis, the considerations, the consequence, in that order
    assert "Perintah" not in text and "musyawarah" not in text
    html = client.get(f"/meja/keberatan/{objection.id}/tanggapan").get_data(as_text=True)
    assert objection.response_number in html and "Keputusan atas Keberatan" in html
    assert squeeze(long_date(D(2026, 5, 5))) in squeeze(html) and NOT_APPLICANT in html
    assert "Pasal 37 ayat (2)" in html.split('id="letter-dispute"')[1]


# --- the applicant: e-mail, page, and the dispute window from this letter's receipt ----------------

def test_the_applicant_is_told_with_the_dispute_date_and_sees_it_on_the_page(app, officer, clock):
    objection = decide(objection_on(officer, late=True), notify=True)
    db.session.expire_all()
    [mail] = [m for m in db.session.scalars(select(OutboxMessage)) if objection.number in m.subject
              and "tidak dapat diterima" in m.subject]
    body = squeeze(mail.body)
    assert "memutuskankeberatanAndatidakdapatditerima" in body and squeeze(CONSIDERATIONS) in body
    assert f"{squeeze(long_date(D(2026, 3, 13)))}sampai{squeeze(long_date(D(2026, 5, 5)))}" in body
    # E-mailed Fri 8 May: 14 WD skipping 14-15 May, 27-28 May and 1 June.
    assert f"palinglambat{squeeze(long_date(D(2026, 6, 4)))}" in body and "Keputusan:Keberatantidak" in body
    clock.travel_to(at(5, 9))
    page = guest_client(app, objection.request).get(f"/permohonan/{objection.request_id}").get_data(as_text=True)
    panel = page.split(f'id="objection-response-{objection.id}"')[1].split("</section>")[0]
    assert "Keberatan tidak dapat diterima" in panel and "Pasal 36 ayat (1)" in panel
    assert "Unduh surat keputusan (PDF)" in panel


@pytest.mark.parametrize(("sent_via", "received_on", "window"), [
    ("email", None, (D(2026, 5, 8), D(2026, 6, 4))),
    ("in_person", None, (D(2026, 5, 8), D(2026, 6, 4))),  # handed over at the desk (no e-mail)
    ("post", D(2026, 5, 16), (D(2026, 5, 16), D(2026, 6, 9))),  # received on a Saturday
    ("post", D(2026, 5, 15), (D(2026, 5, 15), D(2026, 6, 9))),  # received on cuti bersama
    ("courier", D(2026, 5, 27), (D(2026, 5, 27), D(2026, 6, 19))),  # received on Idul Adha
    ("courier", None, (D(2026, 5, 8), None)),  # receipt not recorded yet: its end unknown, never late
])
def test_the_dispute_window_counts_from_receiving_this_letter(app, officer, sent_via, received_on, window):
    objection = decide(objection_on(officer, late=True), sent_via=sent_via)
    if received_on is not None:
        from flask import current_app
        from werkzeug.datastructures import FileStorage

        from ppid_desk.attachments.services import attachment_stage

        with current_app.test_request_context():
            proof = attachment_stage(field="proof", purpose="letter_receipt",
                                     storage=FileStorage(io.BytesIO(png_bytes()), "resi.png"))
        with clock_at(at(6, 30)):
            response_receipt_record(actor=make_user("utama2@pemda.example.id", roles=("ppid_utama",)),
                                    objection=objection, received_on=received_on, proof=proof, expected_version=None)
            db.session.commit()
    objection = fresh(objection)
    assert dispute_window(objection, working_calendar(), D(2026, 7, 31)) == window
    assert objection_rebuild_cached_columns(objection) == {}


# --- registers and reports: its own line, never "upheld" ------------------------------------------

def test_register_metrics_and_annual_report_count_it_apart(app, officer, officer_client, clock):
    late = decide(objection_on(officer, late=True))
    on_time = objection_on(officer, late=False, email="rina@example.id")
    decide(on_time, basis=("not_applicant",), reason=NOT_APPLICANT)
    clock.travel_to(at(6, 30))
    rows = csv_rows(officer_client("atasan").get("/meja/register/keberatan?format=csv&dari=2026-01-01"
                                                 "&sampai=2026-12-31"))
    by_number = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_number[late.number]["Keputusan Atasan"] == "Keberatan tidak dapat diterima (diajukan lewat waktu)"
    assert by_number[on_time.number]["Keputusan Atasan"] == (
        "Keberatan tidak dapat diterima (tidak diajukan oleh pemohon atau kuasanya)")
    assert by_number[late.number]["Terlambat diajukan"] == "Ya"
    metrics = monev_metrics(start=D(2026, 1, 1), end=D(2026, 12, 31), unit_code=None, today=D(2026, 6, 30))
    assert metrics["objection_decisions"]["inadmissible"] == 2
    assert metrics["objection_decisions"]["upheld"] == 0
    assert metrics["objection_upheld"] == {"share": None, "overturned": 0, "decided": 0, "inadmissible": 2}
    rows = {row.label: row.value for table in annual_figures(metrics) for row in table.rows}
    assert rows["Keputusan atasan PPID: Keberatan tidak dapat diterima"] == 2
    assert rows["Keputusan atasan PPID: Keputusan PPID dikuatkan"] == 0
    assert rows["Jumlah keberatan"] == 2


# --- lists and filters ------------------------------------------------------------------------------

def test_the_queue_filters_by_decision_and_the_lists_name_it(app, officer, officer_client, clock):
    decided = decide(objection_on(officer, late=True))
    upheld = objection_on(officer, late=False, email="rina@example.id")
    with clock_at(at(5, 8)):
        objection_respond(actor=atasan(), objection=fresh(upheld), decision="upheld", reasons="Sudah tepat.",
                          release_by=None, settlement=None, expected_version=None, notify=False)
        db.session.commit()
    waiting = objection_on(officer, late=False, email="sari@example.id")
    clock.travel_to(at(5, 11))
    client = officer_client("atasan")
    rows = client.get("/meja/keberatan?keputusan=inadmissible", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert decided.number in rows and upheld.number not in rows and waiting.number not in rows
    assert "Keberatan tidak dapat diterima" in rows
    page = client.get("/meja/keberatan?keputusan=inadmissible").get_data(as_text=True)
    assert '<option value="semua" selected' in page  # a decision looks past the open objections
    assert '<option value="inadmissible" selected' in page
    assert upheld.number in client.get("/meja/keberatan?keputusan=upheld&status=semua").get_data(as_text=True)
    unknown = client.get("/meja/keberatan?keputusan=bosan").get_data(as_text=True)
    assert "diabaikan" in unknown and waiting.number in unknown and decided.number not in unknown
    desk = client.get(f"/meja/permohonan/{decided.request_id}").get_data(as_text=True)
    assert "Keberatan tidak dapat diterima" in desk.split('id="objections-panel"')[1].split("</section>")[0]
    applicant = guest_client(app, decided.request).get(f"/permohonan/{decided.request_id}").get_data(as_text=True)
    assert "Keberatan tidak dapat diterima" in applicant.split('id="objection-list"')[1].split("</table>")[0]
