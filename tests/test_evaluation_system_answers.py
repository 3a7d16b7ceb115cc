"""Issue 16 item 4: the questions the desk's own data answers. A round of 2026 over units U1 and U2
of the monev quarter's log (tests/factories.py ``monev_log``; "today" 30 Sep 2026), with one
question per source, is opened through the service; every figure below is worked out by hand from
the log:

* U1 holds A (notice on 10 July: 4 WD, on time) and E (never answered, past its 20 July due):
  2 requests counted, 1 on time → 50,0 %; median WD to the notice 4; one objection (on A).
  Its register has those 2 rows. It has two published DIP items, one reviewed on 2 March 2026 (due
  again on 2 March 2027) and one on 3 March 2025 (due 3 March 2026: stale) → 50,0 %. Three
  consultations (one in its sub-unit U1A, a withdrawn one not counted). Five survey responses
  whose index is 82,22 (tests/test_survey.py works it out).
* U2 holds H only (received 28 Sep, not yet due): nothing counted (unanswered, with the reason),
  one register row, no DIP item of its own, no consultation, four survey responses (below the
  minimum of five: unanswered, with the reason).
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from ppid_desk.attachments.models import Attachment
from ppid_desk.attachments.services import attachment_read, upload_folder
from ppid_desk.audit.models import Event
from ppid_desk.evaluation.definition import DefinitionError, instrument_from_dict
from ppid_desk.evaluation.models import Answer, Participant
from ppid_desk.evaluation.scoring import question_points
from ppid_desk.evaluation.services import ready_made
from ppid_desk.evaluation.sources import SOURCES
from ppid_desk.extensions import db
from ppid_desk.organisation.models import Unit
from tests.factories import (
    at,
    clock_at,
    file_objection,
    make_consultation,
    make_dip_item,
    make_evaluation_round,
    make_survey_responses,
    make_user,
)
from tests.helpers import png_bytes

# The survey fixture of tests/test_survey.py: its index is 82,22 (band B).
SURVEY = [(4, 4, 3, 3, 4, 3, 4, 2, 3), (3, 3, 3, 4, 3, 3, 4, 3, 3), (4, 3, 2, 4, 3, 4, 4, 3, 4),
          (3, 4, 3, 4, 4, 3, 3, 2, 3), (4, 3, 3, 4, 3, 3, 4, 3, 2)]
ON_TIME = [{"min": 95, "max": 100, "score": 10}, {"min": 80, "max": 94.99, "score": 7},
           {"min": 50, "max": 79.99, "score": 4}, {"min": 0, "max": 49.99, "score": 0}]
ANY = [{"min": 0, "max": None, "score": 5}]


def number(key, source, scale=ANY):
    return {"key": key, "kind": "number", "text": f"Angka {key}?", "source": source, "scale": scale}


DOCUMENT = {"code": "sistem", "title": "Kuesioner sistem", "categories": [
    {"key": "L", "title": "Layanan", "weight": 70, "questions": [
        number("S1", "requests.on_time_share", ON_TIME), number("S2", "requests.median_days"),
        number("S3", "requests.total"), number("S4", "objections.total"),
        {"key": "S5", "kind": "yes_no", "text": "Register dikelola?", "score": 10, "source": "register.masked",
         "evidence": "required"},
        {"key": "S6", "kind": "evidence", "text": "Register permohonan", "score": 10, "source": "register.masked"},
        number("S7", "dip.freshness"), number("S8", "consultations.total"), number("S9", "survey.ikm"),
        {"key": "S10", "kind": "yes_no", "text": "Konsultasi dicatat?", "score": 5, "source": "consultations.total"},
        {"key": "K1", "kind": "yes_no", "text": "Ada SK PPID?", "score": 10},
    ]}]}


@pytest.fixture
def world(app, log, clock, make_unit, officer_client):
    u1, u2 = (db.session.scalar(select(Unit).where(Unit.code == code)) for code in ("U1", "U2"))
    child = make_unit("U1A", "Seksi di bawah Unit Satu", parent=u1)
    utama = make_user("utama-sistem@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    editor = make_user("dip-u1@pemda.example.id", roles=("pembantu",), unit=u1, name="Editor U1")
    with clock_at(at(8, 3)):
        file_objection(log["A"], grounds=("d",), filed_at=at(8, 3))
    make_dip_item(u1, officer=editor, approver=utama, title="Laporan keuangan 2025", today=date(2026, 3, 2))
    make_dip_item(u1, officer=editor, approver=utama, title="Rencana kerja 2025", today=date(2025, 3, 3))
    for unit, withdrawn in ((u1, False), (u1, False), (child, False), (u1, True)):
        make_consultation(unit, actor=utama, withdrawn=withdrawn)
    make_survey_responses(u1, SURVEY, month=8)
    make_survey_responses(u2, [(4,) * 9] * 4, month=8)
    evaluation = make_evaluation_round([u1, u2], actor=utama, document=DOCUMENT, opens_on=date(2026, 9, 1),
                                       closes_on=date(2026, 10, 30))
    part = {p.unit_id: p.id for p in evaluation.participants}
    return {"u1": u1, "u2": u2, "p1": part[u1.id], "p2": part[u2.id], "log": log,
            "officer1": officer_client("pembantu", unit=u1), "officer2": officer_client("pembantu", unit=u2),
            "utama": officer_client("ppid_utama")}


def answers(participant_id: int) -> dict[str, Answer]:
    db.session.expire_all()
    return {a.question_key: a for a in db.session.scalars(select(Answer).where(Answer.participant_id == participant_id))}


def system_files(participant_id: int, key: str | None = None) -> list[Attachment]:
    db.session.expire_all()
    query = (select(Attachment).join(Answer, Answer.id == Attachment.evaluation_answer_id)
             .where(Answer.participant_id == participant_id, Attachment.purpose == "evaluation_system"))
    if key:
        query = query.where(Answer.question_key == key)
    return list(db.session.scalars(query.order_by(Attachment.id)))


def latest_event(participant_id: int) -> Event:
    db.session.expire_all()
    return db.session.scalar(select(Event).where(Event.subject_type == "evaluation_participant",
                                                 Event.subject_id == participant_id, Event.kind == "system_answers")
                             .order_by(Event.id.desc()).limit(1))


def text_of(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)).lower()


# --- each source, by hand ----------------------------------------------------------------------------

def test_each_source_answers_for_the_unit_and_the_units_under_it(world):
    one = answers(world["p1"])
    assert {key: one[key].value for key in one} == {
        "S1": 50.0, "S2": 4, "S3": 2, "S4": 1, "S5": True, "S6": None, "S7": 50.0, "S8": 3, "S9": 82.22,
        "S10": True}
    assert {a.origin for a in one.values()} == {"system"} and "K1" not in one
    two = answers(world["p2"])
    assert {key: two[key].value for key in two} == {
        "S1": None, "S2": None, "S3": 1, "S4": 0, "S5": True, "S6": None, "S7": None, "S8": 0, "S9": None,
        "S10": False}
    reasons = {key: entry["reason"] for key, entry in latest_event(world["p2"]).data["answers"].items()}
    assert reasons == {"S1": "no_requests", "S2": "no_requests", "S3": "", "S4": "", "S5": "", "S6": "",
                       "S7": "no_unit_dip", "S8": "", "S9": "survey_below", "S10": ""}
    # a PDF for every answered source; none where the source could not answer
    names = sorted(a.original_name for a in system_files(world["p1"]))
    assert names == sorted(f"Bukti sistem – {key} {name} 2026.pdf" for key, name in (
        ("S1", "ketepatan waktu"), ("S2", "median hari kerja"), ("S3", "jumlah permohonan"),
        ("S4", "jumlah keberatan"), ("S5", "register permohonan"), ("S6", "register permohonan"),
        ("S7", "kemutakhiran DIP"), ("S8", "jumlah konsultasi"), ("S9", "survei kepuasan"),
        ("S10", "jumlah konsultasi")))
    assert {a.original_name.split()[3] for a in system_files(world["p2"])} == {"S3", "S4", "S5", "S6", "S8", "S10"}
    event = latest_event(world["p1"])
    assert (event.data["trigger"], event.data["as_of"], event.data["year"]) == ("round_created", "2026-09-30", 2026)


def test_the_evidence_pdfs_hold_the_figures(world):
    def pdf(key: str) -> str:
        [attachment] = system_files(world["p1"], key)
        assert attachment.content_type == "application/pdf" and attachment.encrypted
        data = attachment_read(attachment)
        assert data.startswith(b"%PDF") and len(data) <= 2 * 1024 * 1024
        return text_of(data)

    on_time = pdf("S1")
    assert "buktisistem" in on_time and "unitsatudanunitdibawahnya" in on_time and "50,0%" in on_time
    assert "median4" in pdf("S2").replace(",", "")
    fresh = pdf("S7")
    assert "laporankeuangan2025" in fresh and "lewatbatastinjauan3maret2026" in fresh
    assert "82,22" in pdf("S9") and "b(baik)" in pdf("S9")


def test_the_masked_register_carries_no_nik_and_no_contact(world):
    [register] = system_files(world["p1"], "S6")
    text = text_of(attachment_read(register))
    log = world["log"]
    assert log["A"].number.lower().replace(" ", "") in text and log["E"].number.lower() in text
    assert log["B"].number.lower() not in text  # not a request of the unit
    assert "b.s." in text and "disamarkan" in text  # the applicant's initials; contact hidden
    for value in ("3201011505900001", "081234567890", "a@example.id", "e@example.id", "budisantoso",
                  "jl.melatino.5"):
        assert value not in text, value


# --- the fill page -----------------------------------------------------------------------------------

def test_the_unit_sees_which_answers_came_from_the_system_and_a_get_writes_nothing(world):
    events = db.session.scalar(select(func.count()).select_from(Event))
    page = world["officer1"].get(f"/meja/evaluasi/isi/{world['p1']}").get_data(as_text=True)
    assert page.count("Dijawab sistem") >= 10 and 'id="sistem-S1"' in page and 'id="sistem-K1"' not in page
    assert "<strong>50 %</strong>" in page and "<strong>82,22</strong>" in page and "<strong>Ya (2 baris register)" in page
    assert "Per 30 September 2026" in page
    [pdf] = system_files(world["p1"], "S1")
    assert f'/meja/evaluasi/bukti/{pdf.id}"' in page and "Bukti sistem – S1 ketepatan waktu 2026.pdf" in page
    assert 'name="q-S1"' not in page and 'name="note-S1"' in page  # a note, never a figure
    assert "Perbarui jawaban sistem" in page
    other = world["officer2"].get(f"/meja/evaluasi/isi/{world['p2']}").get_data(as_text=True)
    assert "Belum ada permohonan tahun 2026 yang ditangani unit ini" in other
    assert "baru dijawab 4 responden, di bawah minimum 5" in other
    assert "Unit ini belum memiliki informasi yang diumumkan dalam DIP." in other
    download = world["officer1"].get(f"/meja/evaluasi/bukti/{pdf.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert world["officer2"].get(f"/meja/evaluasi/bukti/{pdf.id}").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Event)) == events


def test_a_posted_figure_is_refused_and_the_units_note_kept(world):
    officer, pid = world["officer1"], world["p1"]
    refused = officer.post(f"/meja/evaluasi/isi/{pid}", data={
        "category": "L", "shown-S1": "1", "q-S1": "99", "note-S1": "Angka kami lebih baik.", "shown-K1": "1",
        "q-K1": "ya"})
    assert refused.status_code == 422
    assert "Jawaban ini dihitung sistem dari data meja layanan dan tidak dapat diubah" in refused.get_data(as_text=True)
    saved = answers(pid)
    assert saved["S1"].value == 50.0 and saved["S1"].note == "" and "K1" not in saved  # nothing half-written
    assert officer.post(f"/meja/evaluasi/isi/{pid}", data={
        "category": "L", "shown-S1": "1", "note-S1": "E menunggu data dari bidang.", "shown-K1": "1",
        "q-K1": "ya"}).status_code == 303
    saved = answers(pid)
    assert (saved["S1"].value, saved["S1"].note, saved["S1"].origin) == (50.0, "E menunggu data dari bidang.", "system")
    assert (saved["K1"].value, saved["K1"].origin) == (True, "unit")


def test_a_refresh_replaces_the_systems_pdfs_and_leaves_the_units_files(world):
    officer, pid, u1 = world["officer1"], world["p1"], world["u1"]
    upload = officer.post(f"/meja/evaluasi/isi/{pid}/bukti", data={
        "question": "S8", "file": (io.BytesIO(png_bytes()), "buku-tamu.png")}, content_type="multipart/form-data")
    assert upload.status_code == 303
    [old] = system_files(pid, "S8")
    old_id, old_file = old.id, upload_folder() / old.stored_name
    assert old_file.exists()
    # the unit cannot delete the system's PDF
    officer.post(f"/meja/evaluasi/isi/{pid}/bukti/{old_id}/hapus")
    assert db.session.get(Attachment, old_id) is not None
    make_consultation(u1, actor=make_user("u1-kedua@pemda.example.id", roles=("pembantu",), unit=u1))  # its own
    response = officer.post(f"/meja/evaluasi/isi/{pid}/sistem", data={"category": "L"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#jawaban-sistem")
    assert answers(pid)["S8"].value == 4
    [new] = system_files(pid, "S8")
    assert new.id != old_id and db.session.get(Attachment, old_id) is None and not old_file.exists()
    assert len(system_files(pid)) == 10  # replaced, not piled up
    mine = db.session.scalars(select(Attachment).where(Attachment.purpose == "evaluation_evidence")).all()
    assert [a.original_name for a in mine] == ["buku-tamu.png"]
    assert latest_event(pid).data["trigger"] == "refresh"


def test_only_the_units_officer_refreshes_and_only_while_filling_is_open(world, clock):
    pid = world["p1"]
    assert world["officer2"].post(f"/meja/evaluasi/isi/{pid}/sistem").status_code == 404
    assert world["utama"].post(f"/meja/evaluasi/isi/{pid}/sistem").status_code == 403
    clock.travel_to(clock.now().replace(month=11, day=2))
    before = len(system_files(pid))
    response = world["officer1"].post(f"/meja/evaluasi/isi/{pid}/sistem", follow_redirects=True)
    assert "Pengisian sudah ditutup" in response.get_data(as_text=True)
    assert latest_event(pid).data["trigger"] == "round_created" and len(system_files(pid)) == before


def test_the_submission_sends_the_figures_of_that_moment_and_then_they_are_frozen(world):
    officer, pid, u1 = world["officer1"], world["p1"], world["u1"]
    colleague = make_user("u1-ketiga@pemda.example.id", roles=("pembantu",), unit=u1)
    make_consultation(u1, actor=colleague)
    assert officer.post(f"/meja/evaluasi/isi/{pid}/kirim").status_code == 303
    sent = answers(pid)
    assert sent["S8"].value == 4 and {a.status for a in sent.values()} == {"submitted"}
    event = latest_event(pid)
    assert event.data["trigger"] == "submission"
    files = [a.id for a in system_files(pid)]
    make_consultation(u1, actor=colleague)
    officer.post(f"/meja/evaluasi/isi/{pid}/sistem")
    assert answers(pid)["S8"].value == 4 and [a.id for a in system_files(pid)] == files
    assert latest_event(pid).id == event.id
    page = officer.get(f"/meja/evaluasi/isi/{pid}").get_data(as_text=True)
    assert "angka saat kuesioner dikirim" in page and "Perbarui jawaban sistem" not in page


def test_the_figures_score_like_typed_answers(world):
    from ppid_desk.evaluation import selectors

    participant = db.session.get(Participant, world["p2"])
    result = selectors.participant_result(selectors.instrument(participant.round.version), participant)
    assert result is None  # not submitted yet
    world["officer2"].post(f"/meja/evaluasi/isi/{world['p2']}/kirim")
    participant = db.session.get(Participant, world["p2"])
    result = selectors.participant_result(selectors.instrument(participant.round.version), participant)
    points = {q.key: q.points for q in result.categories[0].questions}
    # unanswered sources earn nothing; the register (yes, with its PDF) and the counts earn theirs
    assert points == {"S1": 0, "S2": 0, "S3": 5, "S4": 5, "S5": 10, "S6": 10, "S7": 0, "S8": 5, "S9": 0, "S10": 0,
                      "K1": 0}


# --- the body without a DIP ---------------------------------------------------------------------------

def test_without_any_dip_the_freshness_says_so(app, clock, make_unit, officer_client):
    from datetime import UTC, datetime

    clock.travel_to(datetime(2026, 7, 6, 3, 0, tzinfo=UTC))
    unit = make_unit("UX", "Dinas X")
    utama = make_user("utama-x@pemda.example.id", roles=("ppid_utama",))
    evaluation = make_evaluation_round([unit], actor=utama, document={
        "code": "dip", "title": "DIP", "categories": [{"key": "D", "title": "DIP", "weight": 1, "questions": [
            number("D1", "dip.freshness")]}]})
    pid = evaluation.participants[0].id
    assert answers(pid)["D1"].value is None and system_files(pid) == []
    page = officer_client("pembantu", unit=unit).get(f"/meja/evaluasi/isi/{pid}").get_data(as_text=True)
    assert "Badan publik belum memiliki informasi yang diumumkan dalam DIP di PPID Desk" in page


# --- the questionnaire's sources ------------------------------------------------------------------------

@pytest.mark.parametrize(("question", "message"), [
    ({"key": "X1", "kind": "number", "text": "?", "source": "requests.tebakan", "scale": ANY},
     'sumber "requests.tebakan" tidak dikenal'),
    ({"key": "X1", "kind": "single_choice", "text": "?", "source": "requests.on_time_share",
      "options": [{"key": "a", "label": "A", "score": 1}, {"key": "b", "label": "B", "score": 0}]},
     'sumber "requests.on_time_share" tidak dapat menjawab pertanyaan jenis pilihan_tunggal (hanya: angka)'),
    ({"key": "X1", "kind": "number", "text": "?", "source": "register.masked", "scale": ANY},
     'sumber "register.masked" tidak dapat menjawab pertanyaan jenis angka (hanya: ya_tidak, unggah_bukti)'),
])
def test_a_source_must_exist_and_fit_the_kind_of_question(app, question, message):
    document = {"code": "x", "title": "X", "categories": [{"key": "C", "title": "C", "weight": 1,
                                                           "questions": [question]}]}
    with app.test_request_context(), pytest.raises(DefinitionError) as error:
        instrument_from_dict(document)
    [problem] = error.value.messages
    assert problem.startswith(f"Kategori C, pertanyaan 1: {message}")


def test_an_edit_naming_an_unknown_source_is_refused_next_to_the_field(app, officer_client):
    import json

    admin = officer_client("admin")
    admin.post("/meja/evaluasi/kuesioner/siap-pakai", data={"name": "monev_internal"})
    from ppid_desk.evaluation.models import Questionnaire

    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.code == "monev-internal"))
    document = json.loads(json.dumps(questionnaire.latest.definition))
    document["categories"][0]["questions"][0]["source"] = "survey.tebakan"
    response = admin.post(f"/meja/evaluasi/kuesioner/{questionnaire.id}/ubah", data={"document": json.dumps(document)})
    assert response.status_code == 422
    assert "sumber &#34;survey.tebakan&#34; tidak dikenal" in response.get_data(as_text=True)


def test_the_ready_made_questionnaires_name_sources_whose_every_figure_lands_on_their_scale(app):
    """Each source's values (shares 0–100 in tenths, working days in halves, counts, IKM 25–100 in
    hundredths) fall in a band of its question's scale: a figure never scores 0 by falling between
    two bands."""
    samples = {"%": [n / 10 for n in range(0, 1001)], "days": [n / 2 for n in range(0, 200)],
               "count": list(range(0, 500)), "ikm": [n / 100 for n in range(2500, 10001)]}
    kind_of = {"requests.on_time_share": "%", "dip.freshness": "%", "requests.median_days": "days",
               "requests.total": "count", "objections.total": "count", "consultations.total": "count",
               "survey.ikm": "ikm"}
    found = set()
    with app.test_request_context():
        for name in ("saq_ki", "monev_internal"):
            for question in instrument_from_dict(ready_made(name)).questions():
                if not question.source:
                    continue
                found.add(question.source)
                assert question.kind in SOURCES[question.source].kinds
                if question.kind != "number":
                    continue
                for value in samples[kind_of[question.source]]:
                    assert any(band.holds(value) for band in question.scale), (name, question.key, value)
                assert question_points(question, samples[kind_of[question.source]][-1]) >= 0
    assert found == set(SOURCES)
