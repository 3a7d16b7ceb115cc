"""Disputes past the Komisi Informasi (issue 13, item 9): the KI's decision as a record, the court
stage (PTUN/PN within 14 WD of receiving the KI's decision, Pasal 47–48(1); kasasi at the MA
within 14 calendar days, Pasal 50), the final decision and the body's compliance with it, on the
desk's page, in the dispute file, in the annual report and in the event log.

The story: a request of Mon 2 March 2026, its objection answered on Wed 1 April, the dispute filed
at the KI on Thu 2 April. The KI decides on Mon 20 April (granted in full), the body receives the
decision on Wed 22 April: the PTUN window runs to Wed 13 May (1 May and nothing else skipped).
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.objections.models import CourtCase, Dispute
from tests.factories import make_objection
from tests.helpers import errors_of, pdf_text

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB
RESPONDED = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)  # Wed 1 April 2026


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=3, tzinfo=UTC)  # 10.00 WIB


@pytest.fixture
def dispute(app, clock, file_request):
    from ppid_desk.objections.dispute_services import dispute_record

    clock.travel_to(MONDAY)
    item = file_request()
    objection = make_objection(item, responded_at=RESPONDED)
    clock.travel_to(at("2026-04-06"))
    row = dispute_record(actor=None, objection=objection, level="provinsi", filed_date=date(2026, 4, 2))
    db.session.commit()
    return row


@pytest.fixture
def utama(officer_client):
    return officer_client("ppid_utama", name="Rina Utama")


def base(dispute: Dispute) -> str:
    return f"/meja/keberatan/{dispute.objection_id}/sengketa"


def fresh_dispute(dispute_id: int) -> Dispute:
    db.session.expire_all()
    return db.session.get(Dispute, dispute_id)


def objection_kinds(dispute: Dispute) -> list[str]:
    return [e.kind for e in events_for("objection", dispute.objection_id)]


KI_DECISION = {"ki_decision": "granted_full", "outcome": "Mengabulkan permohonan seluruhnya: DPA 2025 diberikan.",
               "outcome_date": "20/04/2026", "received_body": "22/04/2026"}


def first(**fields) -> dict:
    """The PTUN/PN form's fields, prefixed as the page names them."""
    return {"first-tier": "first", **{f"first-{name}": value for name, value in fields.items()}}


def cassation(**fields) -> dict:
    return {"cassation-tier": "cassation", **{f"cassation-{name}": value for name, value in fields.items()}}


# --- the KI's decision ------------------------------------------------------------------------------

def test_the_ki_decision_bad_input_keeps_the_text_and_saves_nothing(dispute, utama, clock):
    clock.travel_to(at("2026-05-04"))
    url = base(dispute) + "/putusan"
    response = utama.post(url, data=KI_DECISION | {"ki_decision": ""})
    assert response.status_code == 422 and errors_of(response) == ["ki_decision"]
    assert "Mengabulkan permohonan seluruhnya: DPA 2025 diberikan." in response.get_data(as_text=True)
    response = utama.post(url, data=KI_DECISION | {"received_body": "17/04/2026"})  # before the decision
    assert response.status_code == 422 and errors_of(response) == ["received_body"]
    response = utama.post(url, data=KI_DECISION | {"received_applicant": "05/05/2026"})  # in the future
    assert response.status_code == 422 and errors_of(response) == ["received_applicant"]
    response = utama.post(url, data=KI_DECISION | {"received_body": "kemarin"})
    assert response.status_code == 422 and errors_of(response) == ["received_body"]
    stored = fresh_dispute(dispute.id)
    assert (stored.outcome, stored.ki_decision, stored.ki_decision_received_body) == (None, None, None)
    assert "dispute_outcome_recorded" not in objection_kinds(stored)

    assert utama.post(url, data=KI_DECISION).status_code == 303
    stored = fresh_dispute(dispute.id)
    assert (stored.ki_decision, stored.outcome_date, stored.ki_decision_received_body,
            stored.ki_decision_received_applicant) == ("granted_full", date(2026, 4, 20), date(2026, 4, 22), None)
    [event] = [e for e in events_for("objection", dispute.objection_id) if e.kind == "dispute_outcome_recorded"]
    assert event.data["court_windows"] == {"body": "2026-05-13", "applicant": "2026-05-13"}
    assert event.data["replaced"]["ki_decision"] is None
    page = utama.get(base(dispute)).get_data(as_text=True)
    assert "Batas mengajukan gugatan ke PTUN atau Pengadilan Negeri bagi badan publik" in page
    assert "13 Mei 2026" in page and "7 hari kerja lagi" in page  # 5–8, 11–13 May
    assert "Tanggal pemohon menerima putusan belum diketahui" in page
    assert "Jumat, 01 Mei 2026" in page or "Jumat, 1 Mei 2026" in page  # the explanation names the holiday
    # corrected later: the applicant's receipt becomes known; the event keeps what it replaced
    assert utama.post(url, data=KI_DECISION | {"received_applicant": "24/04/2026"}).status_code == 303
    events = [e for e in events_for("objection", dispute.objection_id) if e.kind == "dispute_outcome_recorded"]
    assert events[-1].data["replaced"]["ki_decision_received_applicant"] is None
    # Fri 24 Apr: 27–30 (1–4), 1 May, 4–8 (5–9), 11–13 (10–12), 14 Ascension, 15 cuti, 18–19 (13–14)
    assert events[-1].data["court_windows"] == {"body": "2026-05-13", "applicant": "2026-05-19"}


def test_the_court_stage_through_the_desk(dispute, utama, clock, app):
    clock.travel_to(at("2026-05-04"))
    assert utama.post(base(dispute) + "/putusan", data=KI_DECISION).status_code == 303
    clock.travel_to(at("2026-05-18"))
    url = base(dispute) + "/pengadilan"
    # bad input: the message next to each field, nothing saved
    response = utama.post(url, data=first())
    assert response.status_code == 422 and set(errors_of(response)) >= {"first-appellant", "first-filed_date"}
    response = utama.post(url, data=first(appellant="body", court_name="PTUN Bandung", filed_date="15/05/2026"))
    assert response.status_code == 422 and errors_of(response) == ["first-court"]
    assert 'value="PTUN Bandung"' in response.get_data(as_text=True)
    response = utama.post(url, data=first(appellant="body", court="ptun", filed_date="15/05/2026"))
    assert response.status_code == 422 and errors_of(response) == ["first-court_name"]
    response = utama.post(url, data=first(appellant="body", court="ptun", court_name="PTUN Bandung",
                                          filed_date="19/04/2026"))  # before the KI decided
    assert response.status_code == 422 and errors_of(response) == ["first-filed_date"]
    assert db.session.scalar(select(CourtCase)) is None

    # filed on Fri 15 May (cuti bersama), after the window closed on Wed 13 May: recorded and flagged
    response = utama.post(url, data=first(appellant="body", court="ptun", court_name="PTUN Bandung",
                                          case_number="12/G/KI/2026/PTUN.BDG", filed_date="15/05/2026"))
    assert response.status_code == 303
    case = db.session.scalar(select(CourtCase))
    assert (case.tier, case.court, case.court_name, case.appellant, case.case_number, case.filed_date) == (
        "first", "ptun", "PTUN Bandung", "body", "12/G/KI/2026/PTUN.BDG", date(2026, 5, 15))
    [filed] = [e for e in events_for("objection", dispute.objection_id) if e.kind == "dispute_court_filed"]
    assert (filed.data["late"], filed.data["window_due"], filed.data["window_from"]) == (True, "2026-05-13",
                                                                                        "2026-04-22")
    assert "dispute_court_filed" in [e.kind for e in events_for("request", dispute.request_id)]
    page = utama.get(base(dispute)).get_data(as_text=True)
    assert "Badan publik mengajukan ke PTUN Bandung" in page and "setelah batas" in page
    assert "diajukan setelah batas" in page
    # corrected: it was filed on Wed 13 May, the last day
    assert utama.post(url, data=first(appellant="body", court="ptun", court_name="PTUN Bandung",
                                      case_number="12/G/KI/2026/PTUN.BDG", filed_date="13/05/2026")).status_code == 303
    corrected = [e for e in events_for("objection", dispute.objection_id) if e.kind == "dispute_court_filed"][-1]
    assert corrected.data["late"] is False and corrected.data["replaced"]["filed_date"] == "2026-05-15"
    page = utama.get(base(dispute)).get_data(as_text=True)
    assert "diajukan dalam batas waktu" in page and "diajukan setelah batas" not in page

    clock.travel_to(at("2026-05-27"))
    hearing = base(dispute) + "/pengadilan/sidang"
    response = utama.post(hearing, data=first(hearing_date="12/05/2026"))  # before the filing
    assert response.status_code == 422 and errors_of(response) == ["first-hearing_date"]
    assert utama.post(hearing, data=first(hearing_date="26/05/2026", note="Sidang pertama.")).status_code == 303

    # the PTUN affirms on Mon 3 Aug; received Wed 5 Aug: kasasi until Wed 19 Aug (calendar days; 17 Aug counted)
    clock.travel_to(at("2026-08-10"))
    decided = base(dispute) + "/pengadilan/putusan"
    response = utama.post(decided, data=first(decision_date="03/08/2026", received_body="05/08/2026"))
    assert response.status_code == 422 and errors_of(response) == ["first-outcome"]
    assert utama.post(decided, data=first(outcome="affirmed", decision_date="03/08/2026",
                                          received_body="05/08/2026")).status_code == 303
    page = utama.get(base(dispute)).get_data(as_text=True)
    assert "Batas mengajukan kasasi ke Mahkamah Agung bagi badan publik" in page
    assert "19 Agustus 2026" in page and "9 hari lagi" in page
    assert "hari kalender, bukan hari kerja" in page and "Belum ada putusan akhir" in page

    # nobody files kasasi: on Thu 20 Aug the PTUN's decision is final, the KI's content standing
    clock.travel_to(at("2026-08-20"))
    page = utama.get(base(dispute)).get_data(as_text=True)
    assert "Putusan akhir (berkekuatan hukum tetap)" in page and "permohonan dikabulkan seluruhnya" in page
    assert "wajib dilaksanakan" in page and "Catat pelaksanaan putusan" in page

    # kasasi filed that day after all (one day late): the decision is no longer final
    kasasi = base(dispute) + "/pengadilan"
    assert utama.post(kasasi, data=cassation(appellant="body", case_number="123 K/TUN/KI/2026",
                                             filed_date="20/08/2026")).status_code == 303
    case = db.session.scalar(select(CourtCase).where(CourtCase.tier == "cassation"))
    assert (case.court, case.court_name) == ("ma", "Mahkamah Agung")
    last = [e for e in events_for("objection", dispute.objection_id) if e.kind == "dispute_court_filed"][-1]
    assert (last.data["late"], last.data["window_due"]) == (True, "2026-08-19")
    page = utama.get(base(dispute)).get_data(as_text=True)
    assert "Putusan akhir (berkekuatan hukum tetap)" not in page and "Menunggu putusan Mahkamah Agung" in page

    # the applicant follows the court stage on their own page
    item_id = dispute.request_id
    applicant = app.test_client()
    from ppid_desk.requests.models import InformationRequest

    token = db.session.get(InformationRequest, item_id).tracking_token
    assert applicant.get(f"/lacak/{token}").status_code == 303
    mine = applicant.get(f"/permohonan/{item_id}").get_data(as_text=True)
    assert "PTUN Bandung" in mine and "123 K/TUN/KI/2026" in mine and "Sidang pertama." in mine
    assert "Catat perkara" not in mine and 'name="first-appellant"' not in mine


def test_compliance_only_with_a_final_decision(dispute, utama, clock):
    clock.travel_to(at("2026-05-04"))
    assert utama.post(base(dispute) + "/putusan", data=KI_DECISION).status_code == 303
    url = base(dispute) + "/kepatuhan"
    compliance = {"compliance": "complied", "compliance_date": "20/05/2026",
                  "compliance_note": "DPA 2025 diserahkan kepada pemohon.", "compliance_proof": "BA-07/PPID/2026"}
    response = utama.post(url, data=compliance | {"compliance_date": "04/05/2026"})
    assert response.status_code == 422 and "berkekuatan hukum tetap" in response.get_data(as_text=True)
    clock.travel_to(at("2026-05-25"))  # the window closed on 13 May, nobody went to court: final on 14 May
    response = utama.post(url, data=compliance | {"compliance_note": ""})
    assert response.status_code == 422 and errors_of(response) == ["compliance_note"]
    response = utama.post(url, data=compliance | {"compliance_date": "19/04/2026"})  # before the KI decided
    assert response.status_code == 422 and errors_of(response) == ["compliance_date"]
    assert fresh_dispute(dispute.id).compliance is None
    assert utama.post(url, data=compliance).status_code == 303
    stored = fresh_dispute(dispute.id)
    assert (stored.compliance, stored.compliance_date, stored.compliance_proof) == (
        "complied", date(2026, 5, 20), "BA-07/PPID/2026")
    [event] = [e for e in events_for("objection", dispute.objection_id) if e.kind == "dispute_compliance_recorded"]
    assert (event.data["final_level"], event.data["final_on"]) == ("ki", "2026-05-14")
    page = utama.get(base(dispute)).get_data(as_text=True)
    assert "Pelaksanaan putusan akhir: sudah dilaksanakan" in page and "BA-07/PPID/2026" in page


def test_a_mediation_agreement_is_final_and_goes_to_no_court(dispute, utama, clock):
    clock.travel_to(at("2026-04-20"))
    mediation = {"ki_decision": "mediation", "outcome": "Para pihak sepakat: DPA diberikan 30 April.",
                 "outcome_date": "20/04/2026"}
    assert utama.post(base(dispute) + "/putusan", data=mediation).status_code == 303
    response = utama.post(base(dispute) + "/pengadilan", data=first(
        appellant="applicant", court="pn", court_name="PN Bandung", filed_date="20/04/2026"))
    assert response.status_code == 422 and "final dan mengikat" in response.get_data(as_text=True)
    assert db.session.scalar(select(CourtCase)) is None
    page = utama.get(base(dispute)).get_data(as_text=True)
    assert "Putusan akhir (berkekuatan hukum tetap)" in page and "Gugatan ke PTUN" not in page


@pytest.mark.parametrize("role", ["pengawas", "petugas"])
def test_others_may_not_record_the_court_stage(dispute, officer_client, clock, role):
    client = officer_client(role)
    for path, data in (("/pengadilan", first(appellant="body", court="ptun", court_name="PTUN X",
                                              filed_date="06/04/2026")),
                       ("/pengadilan/putusan", first(outcome="affirmed", decision_date="06/04/2026")),
                       ("/pengadilan/sidang", first(hearing_date="06/04/2026")),
                       ("/kepatuhan", {"compliance": "complied", "compliance_date": "06/04/2026",
                                       "compliance_note": "x"})):
        assert client.post(base(dispute) + path, data=data).status_code == 403
    assert db.session.scalar(select(CourtCase)) is None


# --- the whole course through the services: the log, the dispute file, the annual report -------------

@pytest.fixture
def course(dispute, clock, make_user):
    """KI decision, PTUN (affirmed), kasasi (affirmed), compliance: through the services."""
    from ppid_desk.objections import dispute_services as s

    utama = make_user(email="utama-course@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    steps = [
        ("2026-05-04", s.dispute_outcome_record, dict(outcome="Dikabulkan seluruhnya.", outcome_date=date(2026, 4, 20),
                                                     ki_decision="granted_full", received_body=date(2026, 4, 22))),
        ("2026-05-11", s.dispute_court_case_record, dict(tier="first", appellant="body", court="ptun",
                                                        court_name="PTUN Bandung", case_number="12/G/KI/2026/PTUN.BDG",
                                                        filed_date=date(2026, 5, 11))),
        ("2026-05-26", s.dispute_court_hearing_add, dict(tier="first", hearing_date=date(2026, 5, 26), note=None)),
        ("2026-08-10", s.dispute_court_decision_record, dict(tier="first", decision_date=date(2026, 8, 3),
                                                            outcome="affirmed", outcome_note="Menguatkan putusan KI.",
                                                            received_body=date(2026, 8, 5), received_applicant=None)),
        ("2026-08-14", s.dispute_court_case_record, dict(tier="cassation", appellant="body", court=None,
                                                        court_name=None, case_number="123 K/TUN/KI/2026",
                                                        filed_date=date(2026, 8, 14))),
        ("2026-11-16", s.dispute_court_decision_record, dict(tier="cassation", decision_date=date(2026, 11, 2),
                                                            outcome="affirmed", outcome_note=None,
                                                            received_body=date(2026, 11, 16), received_applicant=None)),
        ("2026-11-30", s.dispute_compliance_record, dict(compliance="complied", compliance_date=date(2026, 11, 27),
                                                        note="DPA 2025 diserahkan.", proof="BA-11/PPID/2026")),
    ]
    for day, service, kwargs in steps:
        clock.travel_to(at(day))
        service(actor=utama, dispute=fresh_dispute(dispute.id), **kwargs)
        db.session.commit()
    clock.travel_to(at("2026-12-01"))
    return fresh_dispute(dispute.id)


def test_the_log_proves_the_court_stage_and_compliance(course, runner):
    from ppid_desk.audit import funnel
    from ppid_desk.objections.lifecycle import COURT_CASE, DISPUTE

    assert objection_kinds(course)[-7:] == [
        "dispute_outcome_recorded", "dispute_court_filed", "dispute_court_hearing_added", "dispute_court_decided",
        "dispute_court_filed", "dispute_court_decided", "dispute_compliance_recorded"]
    assert funnel.replayed_columns(DISPUTE, course, known_only=True) == funnel.columns_of(DISPUTE, course)
    for case in course.court_cases:
        assert funnel.replayed_columns(COURT_CASE, case, known_only=True) == funnel.columns_of(COURT_CASE, case)
    check = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert check.exit_code == 0, check.output
    first_id = next(case.id for case in course.court_cases if case.tier == "first")
    db.session.execute(update(CourtCase).where(CourtCase.id == first_id).values(case_number="salah", outcome=None))
    db.session.execute(update(Dispute).where(Dispute.id == course.id).values(compliance=None,
                                                                             ki_decision="upheld_body"))
    db.session.commit()
    check = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert check.exit_code == 1
    assert "case_number stored 'salah', log says '12/G/KI/2026/PTUN.BDG'" in check.output
    assert "outcome stored None, log says 'affirmed'" in check.output
    assert "compliance stored None, log says 'complied'" in check.output
    assert "ki_decision stored 'upheld_body', log says 'granted_full'" in check.output
    rebuilt = runner.invoke(args=["ppid", "rebuild-cache"])
    assert rebuilt.exit_code == 0 and "1 dispute(s), 1 court case(s)" in rebuilt.output
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0


def test_the_final_decision_of_the_course_is_the_kasasi(course, officer_client):
    page = officer_client("atasan").get(base(course)).get_data(as_text=True)
    assert "Putusan akhir (berkekuatan hukum tetap)" in page and "Putusan kasasi Mahkamah Agung" in page
    assert "Pelaksanaan putusan akhir: sudah dilaksanakan" in page
    assert "123 K/TUN/KI/2026" in page and "Sidang di PTUN Bandung" in page


def test_the_dispute_file_holds_the_course(course, officer_client, monkeypatch):
    from ppid_desk.web import letter_pdf

    monkeypatch.setattr(letter_pdf, "FONT_CANDIDATES", ())
    response = officer_client("atasan").get(f"/meja/permohonan/{course.request_id}/berkas-sengketa.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.namelist()[-2:] == ["05-riwayat.txt", "06-sengketa-1.pdf"]
    text = " ".join(pdf_text(archive.read("06-sengketa-1.pdf")).split())  # lines wrapped at spaces, joined
    for shown in ("RIWAYAT SENGKETA INFORMASI PUBLIK", "Komisi Informasi Provinsi", "PTUN Bandung",
                  "12/G/KI/2026/PTUN.BDG", "123 K/TUN/KI/2026", "Kasasi ke Mahkamah Agung",
                  "Putusan kasasi Mahkamah Agung, berkekuatan hukum tetap sejak", "Sudah dilaksanakan",
                  "Badan publik mengajukan ke PTUN Bandung", "BA-11/PPID/2026"):
        assert shown in text, shown
    timeline = archive.read("05-riwayat.txt").decode()
    assert "Perkara sengketa di pengadilan dicatat" in timeline
    assert "Pelaksanaan putusan akhir sengketa dicatat" in timeline


def test_the_annual_report_counts_the_court_stage_and_compliance(course, officer_client):
    from ppid_desk.monev.annual_selectors import annual_figures, year_metrics

    metrics = year_metrics(2026)
    assert metrics["disputes"]["court"]["first"] == 1 and metrics["disputes"]["court"]["cassation"] == 1
    rows = {row.label: row.value for table in annual_figures(metrics) for row in table.rows}
    db.session.rollback()
    assert rows["Putusan Komisi Informasi: permohonan dikabulkan seluruhnya"] == 1
    assert rows["Putusan Komisi Informasi: keputusan badan publik dikuatkan"] == 0
    assert rows["Gugatan ke PTUN atau Pengadilan Negeri"] == 1
    assert rows["Gugatan ke PTUN atau Pengadilan Negeri oleh badan publik"] == 1
    assert rows["Gugatan ke PTUN atau Pengadilan Negeri oleh pemohon"] == 0
    assert rows["Kasasi ke Mahkamah Agung"] == 1
    assert rows["Perkara di pengadilan yang belum diputus"] == 0
    assert rows["Putusan akhir yang mewajibkan badan publik"] == 1
    assert rows["Putusan akhir yang sudah dilaksanakan"] == 1
    assert rows["Putusan akhir yang pelaksanaannya belum dicatat"] == 0
    page = officer_client("pengawas").get("/meja/monev/laporan-tahunan/2026").get_data(as_text=True)
    assert "Kasasi ke Mahkamah Agung" in page and "Putusan akhir yang sudah dilaksanakan" in page


def test_monev_reads_the_court_stage_of_a_dispute_without_the_ki_content(course):
    """Monev loads as objects only the disputes with something after the KI to count: a KI
    decision's content OR a court case. A court case alone is enough (a row stored without the
    content, as an old import may leave it), and the dispute is still counted with its outcome."""
    from ppid_desk.monev.annual_selectors import year_metrics

    db.session.execute(update(Dispute).where(Dispute.id == course.id).values(ki_decision=None))
    db.session.commit()
    disputes = year_metrics(2026)["disputes"]
    db.session.rollback()
    assert disputes["count"] == 1 and disputes["ki_decisions"] == {}
    assert disputes["court"]["first"] == 1 and disputes["court"]["cassation"] == 1
