"""Disputes at the Komisi Informasi: the 14-WD window after a response or a lapse, the record by
the applicant or the desk, the KI's stages, outcome and 14/100-WD clocks, the dispute file (ZIP)
and who may do what."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from ppid_desk.audit.personal import actor_shown
from ppid_desk.audit.selectors import events_for
from ppid_desk.errors import DomainError, FieldError
from ppid_desk.extensions import db
from ppid_desk.objections.dispute_selectors import dispute_window
from ppid_desk.objections.dispute_services import dispute_record
from ppid_desk.objections.models import Dispute
from ppid_desk.workcalendar.selectors import working_calendar
from tests.factories import make_objection
from tests.helpers import errors_of

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB
RESPONDED = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)  # Wednesday 1 April 2026, 10.00 WIB
NIK = "3201011505900001"  # the conftest applicant's


@pytest.fixture
def item(app, clock, file_request):
    clock.travel_to(MONDAY)
    return file_request()


@pytest.fixture
def responded(item, clock):
    objection = make_objection(item, responded_at=RESPONDED)
    clock.travel_to(datetime(2026, 4, 6, 3, 0, tzinfo=UTC))  # Monday 6 April 2026
    return objection


@pytest.fixture
def applicant(app, item):
    client = app.test_client()
    assert client.get(f"/lacak/{item.tracking_token}").status_code == 303
    return client


def kinds(subject_type: str, subject_id: int) -> list[str]:
    return [e.kind for e in events_for(subject_type, subject_id)]


# --- the window -------------------------------------------------------------------------------

def test_window_after_a_response_is_14_working_days_from_the_response(responded):
    # Hand count from Wednesday 1 April 2026: Thu 2 (1), Fri 3 Good Friday skipped, 6–10 (2–6),
    # 13–17 (7–11), 20 (12), 21 (13), 22 (14) → Wednesday 22 April 2026.
    window = dispute_window(responded, working_calendar(), date(2026, 4, 6))
    assert window == (date(2026, 4, 1), date(2026, 4, 22))


def test_no_window_while_the_atasan_still_has_time(item, clock):
    objection = make_objection(item)
    calendar = working_calendar()
    assert dispute_window(objection, calendar, objection.response_due) is None


def test_window_after_a_lapse_opens_the_day_after_the_response_due(item, clock, applicant):
    objection = make_objection(item)
    calendar = working_calendar()
    due = objection.response_due
    opens, closes = dispute_window(objection, calendar, due + timedelta(days=1))
    assert opens == due + timedelta(days=1)
    assert closes == calendar.add_working_days(due, 14) and calendar.working_days_between(due, closes) == 14
    # the applicant sees it once the response due has passed, not before
    clock.travel_to(datetime.combine(due, datetime.min.time(), tzinfo=UTC) + timedelta(hours=3))
    assert 'id="sengketa"' not in applicant.get(f"/permohonan/{item.id}").get_data(as_text=True)
    clock.travel_to(datetime.combine(due + timedelta(days=1), datetime.min.time(), tzinfo=UTC) + timedelta(hours=3))
    page = applicant.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="sengketa"' in page and "belum menanggapi" in page
    assert "Komisi Informasi" in page and "tanda bukti" in page  # what to bring


# --- the applicant records the dispute ------------------------------------------------------

def test_applicant_sees_the_window_and_records_the_dispute(responded, applicant, item):
    page = applicant.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert "22 April 2026" in page and "Saya sudah mengajukan sengketa" in page
    url = f"/permohonan/{item.id}/keberatan/{responded.id}/sengketa"
    # before the window opened: refused, typed values kept
    response = applicant.post(url, data={"level": "provinsi", "filed_date": "31/03/2026", "ki_number": "KI-9"})
    assert response.status_code == 422 and errors_of(response) == ["filed_date"]
    assert 'value="KI-9"' in response.get_data(as_text=True)
    # in the future: refused
    response = applicant.post(url, data={"level": "provinsi", "filed_date": "07/04/2026"})
    assert response.status_code == 422 and errors_of(response) == ["filed_date"]
    # no level, bad date
    response = applicant.post(url, data={"filed_date": "kemarin"})
    assert response.status_code == 422 and set(errors_of(response)) == {"level", "filed_date"}
    assert db.session.scalar(select(Dispute)) is None

    response = applicant.post(url, data={"level": "provinsi", "filed_date": "2026-04-03"})
    assert response.status_code == 303 and response.location.endswith(f"/permohonan/{item.id}#sengketa")
    dispute = db.session.scalar(select(Dispute))
    assert (dispute.level, dispute.filed_date, dispute.ki_number, dispute.recorded_by_id) == (
        "provinsi", date(2026, 4, 3), None, None)
    calendar = working_calendar()
    assert dispute.ki_start_due == calendar.add_working_days(date(2026, 4, 3), 14) == date(2026, 4, 23)
    assert dispute.ki_finish_due == calendar.add_working_days(date(2026, 4, 3), 100)
    assert calendar.working_days_between(date(2026, 4, 3), dispute.ki_finish_due) == 100
    # both timelines, the guest named as the applicant
    request_events = [e for e in events_for("request", item.id) if e.kind == "dispute_recorded"]
    assert len(request_events) == 1 and request_events[0].data["objection_id"] == responded.id
    assert actor_shown(request_events[0]).startswith("Budi Santoso") and request_events[0].data["by"] == "applicant"
    assert kinds("objection", responded.id) == ["filed", "objection_responded", "dispute_recorded"]
    page = applicant.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert "Komisi Informasi Provinsi" in page and "23 April 2026" in page
    assert "Saya sudah mengajukan sengketa" not in page
    # recording twice is refused
    again = applicant.post(url, data={"level": "pusat", "filed_date": "2026-04-03"})
    assert again.status_code == 422 and db.session.scalar(select(Dispute)).level == "provinsi"


def test_recording_before_the_window_opens_is_refused(item):
    objection = make_objection(item)
    with pytest.raises(DomainError):
        dispute_record(actor=None, objection=objection, level="pusat", filed_date=date(2026, 3, 2))


def test_stranger_and_other_requests_get_404(app, responded, item, file_request, clock):
    stranger = app.test_client()
    url = f"/permohonan/{item.id}/keberatan/{responded.id}/sengketa"
    assert stranger.post(url, data={"level": "pusat", "filed_date": "2026-04-03"}).status_code == 404
    assert stranger.get(f"/permohonan/{item.id}/berkas-sengketa.zip").status_code == 404
    other = file_request(email="lain@example.id")
    owner_of_other = app.test_client()
    owner_of_other.get(f"/lacak/{other.tracking_token}")
    # an objection of another request through one's own request: 404
    assert owner_of_other.post(f"/permohonan/{other.id}/keberatan/{responded.id}/sengketa",
                               data={"level": "pusat", "filed_date": "2026-04-03"}).status_code == 404
    assert db.session.scalar(select(Dispute)) is None


# --- the desk ----------------------------------------------------------------------------------

def test_staff_record_number_stages_and_outcome(responded, item, officer_client, clock):
    utama = officer_client("ppid_utama", name="Rina Utama")
    base = f"/meja/keberatan/{responded.id}/sengketa"
    page = utama.get(base)
    assert page.status_code == 200 and "Catat pengajuan sengketa" in page.get_data(as_text=True)
    partial = utama.get(base, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.get_data(as_text=True)
    assert 'id="dispute-page"' in partial.get_data(as_text=True)

    # the panel on the objection page, with and without htmx
    for headers in ({}, {"HX-Request": "true"}):
        objection_page = utama.get(f"/meja/keberatan/{responded.id}", headers=headers)
        assert objection_page.status_code == 200 and 'id="sengketa"' in objection_page.get_data(as_text=True)
    invalid = utama.post(base, data={"level": "kabkota", "filed_date": "2026-04-07", "ki_number": "KI-1"})
    assert invalid.status_code == 422 and errors_of(invalid) == ["filed_date"]
    assert 'value="KI-1"' in invalid.get_data(as_text=True) and responded.number in invalid.get_data(as_text=True)
    response = utama.post(base, data={"level": "kabkota", "filed_date": "2026-04-02"})
    assert response.status_code == 303 and response.location.endswith(f"/meja/keberatan/{responded.id}#sengketa")
    dispute = db.session.scalar(select(Dispute))
    assert dispute.recorded_by_id is not None and dispute.ki_number is None

    assert utama.post(f"{base}/nomor", data={"ki_number": ""}).status_code == 422
    assert utama.post(f"{base}/nomor", data={"ki_number": "012/REG-PSI/IV/2026"}).status_code == 303
    bad = utama.post(f"{base}/tahap", data={"stage": "registration", "stage_date": "2026-04-01"})
    assert bad.status_code == 422 and errors_of(bad) == ["stage_date"]  # before the dispute was filed
    assert utama.post(f"{base}/tahap", data={"stage": "registration", "stage_date": "2026-04-03",
                                             "note": "Diregistrasi."}).status_code == 303
    assert utama.post(f"{base}/tahap", data={"stage": "mediation", "stage_date": "2026-04-06"}).status_code == 303
    assert utama.post(f"{base}/putusan", data={"outcome": "", "outcome_date": "2026-04-06"}).status_code == 422
    assert utama.post(f"{base}/putusan", data={"ki_decision": "mediation",  # what the KI decided (issue 13)
                                               "outcome": "Mediasi berhasil: informasi diberikan.",
                                               "outcome_date": "2026-04-06"}).status_code == 303
    db.session.expire_all()
    dispute = db.session.scalar(select(Dispute))
    assert dispute.ki_number == "012/REG-PSI/IV/2026"
    assert [s.stage for s in dispute.stages] == ["registration", "mediation"]
    assert (dispute.outcome_date, dispute.outcome) == (date(2026, 4, 6), "Mediasi berhasil: informasi diberikan.")
    steps = ["dispute_recorded", "dispute_number_set", "dispute_stage_added", "dispute_stage_added",
             "dispute_outcome_recorded"]
    assert kinds("objection", responded.id) == ["filed", "objection_responded", *steps]
    assert [k for k in kinds("request", item.id) if k.startswith("dispute_")] == steps
    page = utama.get(base).get_data(as_text=True)
    assert "012/REG-PSI/IV/2026" in page and "Mediasi" in page and "selesai" in page  # clocks stopped


def test_ki_clocks_read_on_the_dispute(responded, item, clock):
    from ppid_desk.objections.dispute_selectors import ki_clocks

    dispute = dispute_record(actor=None, objection=responded, level="pusat", filed_date=date(2026, 4, 2))
    calendar = working_calendar()
    clocks = ki_clocks(dispute, calendar, date(2026, 4, 6))
    assert clocks.start.state == "on_track" and clocks.start.working_days_left == calendar.working_days_between(
        date(2026, 4, 6), dispute.ki_start_due)
    late = ki_clocks(dispute, calendar, dispute.ki_start_due + timedelta(days=1))
    assert late.start.state == "overdue" and late.finish.state != "overdue"


@pytest.mark.parametrize("role", ["pembantu", "petugas", "pemohon"])
def test_desk_urls_are_refused_to_other_roles(responded, item, officer_client, make_unit, role):
    unit = make_unit() if role == "pembantu" else None
    client = officer_client(role, unit=unit)
    base = f"/meja/keberatan/{responded.id}/sengketa"
    expected = 404 if role == "pembantu" else 403  # a unit officer does not see an unrouted request
    for url in (base, f"/meja/permohonan/{item.id}/berkas-sengketa.zip"):
        assert client.get(url).status_code == expected
        assert client.get(url, headers={"HX-Request": "true"}).status_code == expected
    assert client.post(base, data={"level": "pusat", "filed_date": "2026-04-02"}).status_code == expected
    assert db.session.scalar(select(Dispute)) is None


def test_pengawas_reads_but_may_not_record(responded, officer_client):
    pengawas = officer_client("pengawas")
    base = f"/meja/keberatan/{responded.id}/sengketa"
    page = pengawas.get(base)
    assert page.status_code == 200 and "Catat pengajuan sengketa" not in page.get_data(as_text=True)
    assert pengawas.post(base, data={"level": "pusat", "filed_date": "2026-04-02"}).status_code == 403


def test_anonymous_desk_access_goes_to_login(app, responded):
    anonymous = app.test_client()
    assert anonymous.get(f"/meja/keberatan/{responded.id}/sengketa").status_code == 302
    response = anonymous.get(f"/meja/keberatan/{responded.id}/sengketa", headers={"HX-Request": "true"})
    assert response.status_code == 401 and "HX-Redirect" in response.headers


# --- the dispute file -------------------------------------------------------------------------

def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_dispute_file_for_the_desk_and_the_applicant(responded, item, officer_client, applicant):
    second = make_objection(item, filed=date(2026, 4, 6))  # not yet responded
    atasan = officer_client("atasan")
    archive = _zip(atasan.get(f"/meja/permohonan/{item.id}/berkas-sengketa.zip"))
    names = archive.namelist()
    assert names == ["01-permohonan.pdf", "03-keberatan-1.pdf", "04-tanggapan-1.pdf", "03-keberatan-2.pdf",
                     "05-riwayat.txt"]
    assert item.number.encode() in archive.read("01-permohonan.pdf")  # the document's title
    assert responded.number.encode() in archive.read("03-keberatan-1.pdf")
    assert second.number.encode() in archive.read("03-keberatan-2.pdf")
    assert all(archive.read(name).startswith(b"%PDF") for name in names if name.endswith(".pdf"))
    timeline = archive.read("05-riwayat.txt").decode()
    assert "Permohonan terdaftar" in timeline and "WIB" in timeline
    for name in names:  # never the full NIK, anywhere
        assert NIK.encode() not in archive.read(name)
    assert NIK.encode() not in atasan.get(f"/meja/permohonan/{item.id}/berkas-sengketa.zip").data

    mine = _zip(applicant.get(f"/permohonan/{item.id}/berkas-sengketa.zip"))
    assert "05-riwayat.txt" in mine.namelist()
    downloads = [e for e in events_for("request", item.id) if e.kind == "dispute_file_downloaded"]
    assert [e.data["by"] for e in downloads] == ["officer", "officer", "applicant"]


def test_dispute_file_includes_the_written_notice(item, officer_client):
    from tests.helpers import issue_with_preview, notice_form

    utama = officer_client("ppid_utama")
    assert issue_with_preview(utama, f"/meja/permohonan/{item.id}/pemberitahuan",
                              notice_form(item, "granted_full")).status_code == 303
    archive = _zip(utama.get(f"/meja/permohonan/{item.id}/berkas-sengketa.zip"))
    assert "02-pemberitahuan-tertulis.pdf" in archive.namelist()
    assert archive.read("02-pemberitahuan-tertulis.pdf").startswith(b"%PDF")
    assert "Pemberitahuan tertulis diterbitkan" in archive.read("05-riwayat.txt").decode()


def test_field_error_names_match_the_forms(responded):
    with pytest.raises(FieldError) as error:
        dispute_record(actor=None, objection=responded, level="nasional", filed_date=date(2026, 4, 2))
    assert error.value.field == "level"
