"""Issue 16 items 1, 3 and 5: PPID Utama opens a round; each unit's officers fill in their own
questionnaire (saving per category, with or without htmx; evidence files), submit before the
closing date or are refused and flagged late; the sweep reminds units that have not submitted;
the results page scores what was submitted."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ppid_desk.attachments.models import Attachment
from ppid_desk.audit.models import Event
from ppid_desk.evaluation.models import Answer, EvaluationRound, Participant
from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.notifications.sweep import sweep_run
from tests.factories import make_evaluation_round
from tests.helpers import pdf_bytes, png_bytes

IN_ROUND = datetime(2026, 7, 6, 3, 0, tzinfo=UTC)  # Monday 6 July 2026, 10.00 WIB
AFTER_CLOSE = datetime(2026, 8, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
def world(app, clock, make_unit, make_user, officer_client):
    clock.travel_to(IN_ROUND)
    unit_a, unit_b = make_unit("UA", "Dinas A"), make_unit("UB", "Dinas B")
    utama = make_user(email="utama-monev@pemda.example.id", roles=("ppid_utama",))
    evaluation = make_evaluation_round([unit_a, unit_b], actor=utama)
    part = {p.unit_id: p.id for p in evaluation.participants}
    return {"round": evaluation.id, "a": part[unit_a.id], "b": part[unit_b.id], "unit_a": unit_a,
            "unit_b": unit_b, "officer_a": officer_client("pembantu", unit=unit_a),
            "officer_b": officer_client("pembantu", unit=unit_b), "utama": officer_client("ppid_utama")}


def _answers(participant_id: int) -> dict:
    db.session.expire_all()
    return {a.question_key: (a.value, a.note, a.status) for a in
            db.session.scalars(select(Answer).where(Answer.participant_id == participant_id))}


CATEGORY_A = {"category": "A", "shown-A1": "1", "q-A1": "ya", "shown-A2": "1", "q-A2": "lama", "shown-A3": "1",
              "q-A3": ["web", "mail"], "shown-A4": "1", "q-A4": "Belum ada anggaran.", "note-A1": "SK 12/2026"}


def test_a_unit_saves_a_category_and_comes_back_to_it(world):
    officer, pid = world["officer_a"], world["a"]
    response = officer.post(f"/meja/evaluasi/isi/{pid}", data=CATEGORY_A)
    assert response.status_code == 303 and "kategori=A" in response.headers["Location"]
    assert _answers(pid) == {"A1": (True, "SK 12/2026", "draft"), "A2": ("lama", "", "draft"),
                             "A3": (["web", "mail"], "", "draft"), "A4": ("Belum ada anggaran.", "", "draft")}
    page = officer.get(f"/meja/evaluasi/isi/{pid}?kategori=A").get_data(as_text=True)
    assert 'value="lama" checked' in page and "SK 12/2026" in page
    assert "Terjawab 4 dari 7 pertanyaan" in page and '<progress id="progress-bar" max="100" value="57">' in page
    # unticking every box of the several-choice question clears it (its marker says it was shown)
    officer.post(f"/meja/evaluasi/isi/{pid}", data={"category": "A", "shown-A3": "1"})
    assert _answers(pid)["A3"][0] is None


def test_a_save_over_htmx_swaps_the_form_in_place(world):
    officer, pid = world["officer_a"], world["a"]
    response = officer.post(f"/meja/evaluasi/isi/{pid}", data=CATEGORY_A, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith('<div id="fill-main">')
    assert "Jawaban tersimpan." in body and "<html" not in body
    assert _answers(pid)["A2"][0] == "lama"


def test_a_bad_value_is_refused_next_to_its_question_and_nothing_of_the_category_is_saved(world):
    officer, pid = world["officer_a"], world["a"]
    response = officer.post(f"/meja/evaluasi/isi/{pid}", data={
        "category": "B", "shown-B1": "1", "q-B1": "dua belas", "shown-B3": "1", "q-B3": "ya"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="q-B1-error"' in page and "Isi dengan angka" in page
    assert 'value="dua belas"' in page  # what was typed is kept
    assert _answers(pid) == {}
    response = officer.post(f"/meja/evaluasi/isi/{pid}", data={"category": "A", "shown-A2": "1", "q-A2": "palsu"})
    assert response.status_code == 422 and _answers(pid) == {}


def test_a_unit_sees_and_edits_only_its_own_answers(world):
    officer_b, pid_a = world["officer_b"], world["a"]
    assert officer_b.get(f"/meja/evaluasi/isi/{pid_a}").status_code == 404
    assert officer_b.post(f"/meja/evaluasi/isi/{pid_a}", data=CATEGORY_A).status_code == 404
    assert officer_b.post(f"/meja/evaluasi/isi/{pid_a}/kirim").status_code == 404
    assert _answers(pid_a) == {}
    home = officer_b.get("/meja/evaluasi").get_data(as_text=True)
    assert f"/meja/evaluasi/isi/{world['b']}" in home and f"/meja/evaluasi/isi/{pid_a}" not in home
    # PPID Utama reads every unit's questionnaire but does not answer for it
    utama = world["utama"]
    page = utama.get(f"/meja/evaluasi/isi/{pid_a}").get_data(as_text=True)
    assert "Dinas A" in page and "Simpan kategori ini" not in page
    assert utama.post(f"/meja/evaluasi/isi/{pid_a}", data=CATEGORY_A).status_code == 403
    assert _answers(pid_a) == {}


def _upload(client, pid, question, name, content):
    return client.post(f"/meja/evaluasi/isi/{pid}/bukti", data={"question": question,
                                                                "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_evidence_is_stored_like_other_documents_within_the_size_limit(world, app):
    officer, pid = world["officer_a"], world["a"]
    assert _upload(officer, pid, "B2", "meja.png", png_bytes()).status_code == 303
    [attachment] = db.session.scalars(select(Attachment).where(Attachment.evaluation_answer_id.is_not(None))).all()
    assert (attachment.purpose, attachment.encrypted, attachment.staged_token) == ("evaluation_evidence", True, None)
    stored = Path(app.config["UPLOAD_FOLDER"]) / attachment.stored_name
    assert stored.read_bytes() != png_bytes()  # encrypted at rest
    assert officer.get(f"/meja/evaluasi/bukti/{attachment.id}").data == png_bytes()
    assert world["utama"].get(f"/meja/evaluasi/bukti/{attachment.id}").data == png_bytes()
    assert world["officer_b"].get(f"/meja/evaluasi/bukti/{attachment.id}").status_code == 404
    # over the limit, the wrong type, or a question that takes no files: refused at the question
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    try:
        big = _upload(officer, pid, "B3", "sop.pdf", pdf_bytes() + b"%" * 2048)
        assert big.status_code == 422 and "Berkas lebih dari 1 KB" in big.get_data(as_text=True)
    finally:
        app.config["EVIDENCE_MAX_BYTES"] = 2 * 1024 * 1024
    wrong = _upload(officer, pid, "B3", "sop.docx", b"PK\x03\x04 bukan pdf")
    assert wrong.status_code == 422 and 'id="q-B3-error"' in wrong.get_data(as_text=True)
    assert _upload(officer, pid, "A1", "sk.pdf", pdf_bytes()).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1
    # the unit removes its file
    assert officer.post(f"/meja/evaluasi/isi/{pid}/bukti/{attachment.id}/hapus").status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_submission_before_closing_freezes_the_answers_and_scores_them(world):
    officer, pid, utama = world["officer_a"], world["a"], world["utama"]
    officer.post(f"/meja/evaluasi/isi/{pid}", data=CATEGORY_A)
    officer.post(f"/meja/evaluasi/isi/{pid}", data={"category": "B", "shown-B1": "1", "q-B1": "12",
                                                    "shown-B3": "1", "q-B3": "ya"})
    _upload(officer, pid, "B2", "meja.png", png_bytes())
    assert officer.post(f"/meja/evaluasi/isi/{pid}/kirim").status_code == 303
    db.session.expire_all()
    participant = db.session.get(Participant, pid)
    assert participant.submitted_at is not None
    assert {status for _value, _note, status in _answers(pid).values()} == {"submitted"}
    # A: 10 + 4 + 9 = 23/30 = 76.67; B: 10 + 5 + 0 (SOP without its required file) = 15/30 = 50.0
    # total = 0.6 × 76.666… + 0.4 × 50 = 66.0 → Cukup Informatif
    page = utama.get(f"/meja/evaluasi/putaran/{world['round']}").get_data(as_text=True)
    row = page[page.index(f'id="participant-{pid}"'):]
    row = row[:row.index("</tr>")]
    assert "76.67" in row and "50.00" in row and "66.00" in row and "Cukup Informatif" in row
    other = page[page.index(f'id="participant-{world["b"]}"'):]
    assert "Belum dikirim" in other[:other.index("</tr>")]
    # after submission nothing more is changed
    refused = officer.post(f"/meja/evaluasi/isi/{pid}", data={"category": "A", "shown-A1": "1", "q-A1": "tidak"})
    assert refused.status_code == 303 and _answers(pid)["A1"][0] is True
    kinds = db.session.scalars(select(Event.kind).where(Event.subject_type == "evaluation_participant",
                                                        Event.subject_id == pid).order_by(Event.id)).all()
    assert kinds == ["evidence_added", "submitted"]


def test_after_the_closing_date_submission_is_refused_and_the_unit_is_late(world, clock):
    officer, pid = world["officer_a"], world["a"]
    officer.post(f"/meja/evaluasi/isi/{pid}", data=CATEGORY_A)
    clock.travel_to(datetime(2026, 7, 31, 16, 0, tzinfo=UTC))  # 23.00 WIB on the closing day: still allowed
    assert world["officer_b"].post(f"/meja/evaluasi/isi/{world['b']}/kirim").status_code == 303
    clock.travel_to(AFTER_CLOSE)
    response = officer.post(f"/meja/evaluasi/isi/{pid}/kirim", follow_redirects=True)
    assert "Pengisian sudah ditutup" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Participant, pid).submitted_at is None
    assert db.session.scalar(select(Event.kind).where(Event.subject_type == "evaluation_participant",
                                                      Event.subject_id == pid)) == "submission_refused_late"
    assert officer.post(f"/meja/evaluasi/isi/{pid}", data=CATEGORY_A | {"q-A2": "baru"}).status_code == 303
    assert _answers(pid)["A2"][0] == "lama"
    page = world["utama"].get(f"/meja/evaluasi/putaran/{world['round']}").get_data(as_text=True)
    late = page[page.index(f'id="participant-{pid}"'):]
    assert "Terlambat" in late[:late.index("</tr>")]
    on_time = page[page.index(f'id="participant-{world["b"]}"'):]
    assert "Terkirim" in on_time[:on_time.index("</tr>")]


def test_before_opening_nothing_is_saved(world, clock):
    clock.travel_to(datetime(2026, 6, 30, 3, 0, tzinfo=UTC))
    world["officer_a"].post(f"/meja/evaluasi/isi/{world['a']}", data=CATEGORY_A)
    assert _answers(world["a"]) == {}


def test_the_sweep_reminds_units_not_yet_submitted_once_a_few_days_before_closing(world, clock, make_user, app):
    make_user(email="petugas-a@pemda.example.id", roles=("pembantu",), unit=world["unit_a"])
    world["officer_b"].post(f"/meja/evaluasi/isi/{world['b']}/kirim")
    clock.travel_to(datetime(2026, 7, 27, 3, 0, tzinfo=UTC))  # four days before: not yet
    assert sweep_run(now=clock.now()).evaluation_reminders == 0
    clock.travel_to(datetime(2026, 7, 28, 3, 0, tzinfo=UTC))  # three days before
    report = sweep_run(now=clock.now())
    assert report.evaluation_reminders == 1 and not report.errors
    recipients = set(db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.subject.like("Kuesioner monev%"))))
    assert "petugas-a@pemda.example.id" in recipients and all("pembantu" in r or "petugas-a" in r for r in recipients)
    assert sweep_run(now=clock.now()).evaluation_reminders == 0  # once per closing date
    db.session.expire_all()
    assert db.session.get(Participant, world["a"]).reminded_for == date(2026, 7, 31)


def test_only_ppid_utama_opens_a_round_and_its_units_come_from_the_scope(app, clock, make_unit, officer_client):
    clock.travel_to(IN_ROUND)
    parent = make_unit("KEC", "Kecamatan Satu")
    make_unit("KEL1", "Kelurahan Satu", parent=parent)
    make_unit("LAIN", "Dinas Lain")
    utama = officer_client("ppid_utama")
    utama.post("/meja/evaluasi/kuesioner/siap-pakai", data={"name": "monev_internal"})
    from ppid_desk.evaluation.models import QuestionnaireVersion

    version = db.session.scalar(select(QuestionnaireVersion.id))
    form = {"year": "2026", "title": "Monev kecamatan 2026", "version_id": str(version), "scope": "subtree",
            "scope_unit_id": str(parent.id), "opens_on": "2026-07-06", "closes_on": "2026-07-31",
            "verify_from": "2026-08-03", "verify_until": "2026-08-14", "objection_from": "2026-08-17",
            "objection_until": "2026-08-21"}
    assert officer_client("admin").post("/meja/evaluasi/putaran/baru", data=form).status_code == 403
    assert officer_client("pembantu", unit=parent).post("/meja/evaluasi/putaran/baru", data=form).status_code == 403
    bad = utama.post("/meja/evaluasi/putaran/baru", data=form | {"closes_on": "2026-07-01", "scope_unit_id": ""})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Tanggal penutupan tidak boleh sebelum tanggal pembukaan." in page and "Pilih unit induk." in page
    assert db.session.scalar(select(func.count()).select_from(EvaluationRound)) == 0
    response = utama.post("/meja/evaluasi/putaran/baru", data=form)
    assert response.status_code == 303
    evaluation = db.session.scalar(select(EvaluationRound))
    assert sorted(p.unit.code for p in evaluation.participants) == ["KEC", "KEL1"]
    page = utama.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kelurahan Satu" in page and "Dinas Lain" not in page
