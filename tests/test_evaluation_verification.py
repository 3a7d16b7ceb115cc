"""Issue 16 item 5: PPID Utama's verifiers accept each submitted answer or return it with a
comment; the unit responds to a return until the end of the objection window or objects
(sanggahan); the verifier decides the objection. Every step is an event of the answer; the
verified score leaves returned answers out until they are accepted again, the self-assessed score
keeps every answer as given. Each request runs in its own app context: what is asserted is what was
committed."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from ppid_desk.attachments.models import Attachment
from ppid_desk.audit.models import Event
from ppid_desk.audit.services import chain_is_intact
from ppid_desk.evaluation.models import Answer, AnswerObjection, Participant
from ppid_desk.extensions import db
from tests.factories import make_evaluation_round
from tests.helpers import pdf_bytes, png_bytes

FILLING = date(2026, 7, 6)
VERIFYING = datetime(2026, 8, 3, 3, 0, tzinfo=UTC)  # verification window 1–14 August
OBJECTING = datetime(2026, 8, 18, 3, 0, tzinfo=UTC)  # objection window 15–21 August
AFTER = datetime(2026, 8, 22, 3, 0, tzinfo=UTC)

ANSWERS = {"A": {"A1": ["ya"], "A2": ["lama"], "A3": ["web", "mail", "wa"], "A4": ["Belum ada anggaran."]},
           "B": {"B1": ["12"], "B3": ["ya"]}}


@pytest.fixture
def world(app, clock, make_unit, make_user, officer_client):
    """Units A and B of a round (filling in July); unit A filled in and submitted with one photo
    for B2; unit B submitted nothing. The clock stands in the verification window."""
    from werkzeug.datastructures import FileStorage

    from ppid_desk.accounts.models import User
    from ppid_desk.evaluation.services import answers_save, evidence_add, participant_submit

    clock.travel_to(datetime(2026, 7, 6, 3, 0, tzinfo=UTC))
    unit_a, unit_b = make_unit("UA", "Dinas A"), make_unit("UB", "Dinas B")
    utama = make_user(email="utama-verif@pemda.example.id", roles=("ppid_utama",))
    evaluation = make_evaluation_round([unit_a, unit_b], actor=utama)
    part = {p.unit_id: p for p in evaluation.participants}
    clients = {"officer_a": officer_client("pembantu", unit=unit_a), "officer_b": officer_client("pembantu", unit=unit_b),
               "verifier": officer_client("ppid_utama"), "admin": officer_client("admin")}
    officer = db.session.scalar(select(User).where(User.email == clients["officer_a"].user_email))
    participant = db.session.get(Participant, part[unit_a.id].id)
    for category, raw in ANSWERS.items():
        answers_save(actor=officer, participant=participant, category_key=category, raw=raw, notes={}, today=FILLING)
    evidence_add(actor=officer, participant=participant, question_key="B2", today=FILLING,
                 storage=FileStorage(io.BytesIO(png_bytes()), "meja.png"))
    participant_submit(actor=officer, participant=participant, today=FILLING)
    db.session.commit()
    clock.travel_to(VERIFYING)
    answer_ids = {a.question_key: a.id for a in participant.answers}
    return {"round": evaluation.id, "a": participant.id, "b": part[unit_b.id].id, "answer": answer_ids, **clients}


def _answer(answer_id: int) -> Answer:
    db.session.expire_all()
    return db.session.get(Answer, answer_id)


def _version(participant_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Participant, participant_id).version


def _events(answer_id: int) -> list[Event]:
    db.session.expire_all()
    return list(db.session.scalars(select(Event).where(Event.subject_type == "evaluation_answer",
                                                       Event.subject_id == answer_id).order_by(Event.id)))


def _decide(client, world, key, decision, comment="", version=None):
    return client.post(f"/meja/evaluasi/verifikasi/jawaban/{world['answer'][key]}", data={
        "decision": decision, "comment": comment, "version": version if version is not None else _version(world["a"])})


def _respond(client, world, key, response, values=None, note="", version=None, files=None, remove=()):
    data = {"response": response, "note": note, "version": version if version is not None else _version(world["a"]),
            "remove": list(remove)}
    if values is not None:
        data.update({"value-shown": "1", "value": values})
    if files:
        data["file"] = files
    return client.post(f"/meja/evaluasi/isi/jawaban/{world['answer'][key]}/tanggapan", data=data,
                       content_type="multipart/form-data")


def _object(client, world, key, reason):
    return client.post(f"/meja/evaluasi/isi/jawaban/{world['answer'][key]}/sanggahan",
                       data={"reason": reason, "version": _version(world["a"])})


def _overview_row(page: str, participant_id: int) -> list[str]:
    """The numeric cells of a unit's row of the overview, as text."""
    import re

    row = page[page.index(f'id="participant-{participant_id}"'):]
    row = row[:row.index("</tr>")]
    cells = re.findall(r'<td class="numeric">(.*?)</td>', row, re.S)
    return [re.sub(r"<[^>]+>", " ", cell).split()[0] for cell in cells]


def _totals(world) -> tuple[float, float]:
    """(self-assessed, verified) totals of unit A, read fresh."""
    from ppid_desk.evaluation import selectors

    db.session.expire_all()
    participant = db.session.get(Participant, world["a"])
    spec = selectors.instrument(participant.round.version)
    return (selectors.participant_self_result(spec, participant).total,
            selectors.participant_result(spec, participant).total)


# --- accept and return ----------------------------------------------------------------------------

def test_a_verifier_accepts_one_answer_and_returns_another_with_its_comment(world):
    verifier = world["verifier"]
    page = verifier.get(f"/meja/evaluasi/verifikasi/{world['a']}?kategori=B").get_data(as_text=True)
    assert "meja.png" in page and "/meja/evaluasi/bukti/" in page  # the evidence, to open
    assert "Kategori B" in page and 'name="decision" value="accept"' in page
    response = _decide(verifier, world, "A2", "accept")
    assert response.status_code == 303 and "#q-A2" in response.headers["Location"]
    response = _decide(verifier, world, "A1", "return", "Lampirkan SK PPID yang ditandatangani.")
    assert response.status_code == 303
    a1, a2 = _answer(world["answer"]["A1"]), _answer(world["answer"]["A2"])
    assert (a2.status, a1.status, a1.review_comment) == ("accepted", "returned", "Lampirkan SK PPID yang ditandatangani.")
    assert a1.reviewed_by_id is not None and a1.reviewed_at is not None
    [accepted] = _events(a2.id)
    [returned] = _events(a1.id)
    assert (accepted.kind, accepted.data["before"], accepted.data["after"]) == (
        "answer_accepted", {"status": "submitted"}, {"status": "accepted"})
    assert (returned.kind, returned.data["comment"], returned.actor_label) == (
        "answer_returned", "Lampirkan SK PPID yang ditandatangani.", "Petugas ppid_utama")
    # the overview counts per unit
    overview = verifier.get(f"/meja/evaluasi/putaran/{world['round']}/verifikasi").get_data(as_text=True)
    assert _overview_row(overview, world["a"])[:5] == ["5", "1", "1", "0", "0"]
    assert _overview_row(overview, world["b"]) == ["—"] * 7  # nothing submitted: nothing to count


def test_returning_without_a_comment_is_refused_at_the_field_and_nothing_changes(world):
    verifier = world["verifier"]
    response = _decide(verifier, world, "A1", "return", "   ")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="comment-{world["answer"]["A1"]}-error"' in page and "komentar wajib diisi" in page
    assert _answer(world["answer"]["A1"]).status == "submitted" and _events(world["answer"]["A1"]) == []
    # what was typed on another refused form is kept (a stale page: 409 with the text)
    response = _decide(verifier, world, "A1", "return", "Komentar yang panjang.", version=_version(world["a"]) - 1)
    assert response.status_code == 409 and "Komentar yang panjang." in response.get_data(as_text=True)
    assert _answer(world["answer"]["A1"]).status == "submitted"


def test_a_verifier_cannot_change_values_and_a_unit_cannot_verify(world):
    verifier, officer = world["verifier"], world["officer_a"]
    # PPID Utama has no way to write a value: the unit's routes refuse it
    assert _respond(verifier, world, "A1", "x", values=["tidak"]).status_code == 403
    assert verifier.post(f"/meja/evaluasi/isi/{world['a']}", data={"category": "A", "shown-A1": "1",
                                                                     "q-A1": "tidak"}).status_code == 403
    assert _answer(world["answer"]["A1"]).value is True
    # the unit may not accept its own answers, nor see another unit's
    assert _decide(officer, world, "A1", "accept").status_code == 403
    assert officer.get(f"/meja/evaluasi/verifikasi/{world['a']}").status_code == 403
    assert _respond(world["officer_b"], world, "A1", "x").status_code == 404
    assert _object(world["officer_b"], world, "A1", "x").status_code == 404
    assert world["admin"].get(f"/meja/evaluasi/putaran/{world['round']}/verifikasi").status_code == 403
    assert _answer(world["answer"]["A1"]).status == "submitted"


# --- respond, re-accept, and the scores -------------------------------------------------------------

def test_scores_drop_when_an_answer_is_returned_and_come_back_when_it_is_accepted_again(world):
    verifier, officer = world["verifier"], world["officer_a"]
    # A (60): yes 10 + "lama" 4 + ticks capped 10 = 24/30 → 80; B (40): 12 days 10 + photo 5 + SOP without file 0
    # = 15/30 → 50; total (60 × 80 + 40 × 50) / 100 = 68.0
    assert _totals(world) == (68.0, 68.0)
    _decide(verifier, world, "A1", "return", "SK belum dilampirkan.")
    # A1 returned: A = 14/30 → 46.67; total (60 × 14/30 × 100 + 40 × 50) / 100 = 28 + 20 = 48.0
    assert _totals(world) == (68.0, 48.0)
    page = verifier.get(f"/meja/evaluasi/verifikasi/{world['a']}").get_data(as_text=True)
    assert '<strong id="verified-total">48.00</strong>' in page and "68.00" in page
    # B2 returned too (the photo no longer counts): B = 10/30; total 28 + 13.33 = 41.33
    _decide(verifier, world, "B2", "return", "Foto buram.")
    assert _totals(world) == (68.0, 41.33)
    # the unit responds to A1: still nothing until a verifier accepts it again
    response = _respond(officer, world, "A1", "SK sudah kami unggah ulang di pertanyaan ini.", values=["ya"],
                        note="SK 12/2026")
    assert response.status_code == 303 and "#review-A1" in response.headers["Location"]
    a1 = _answer(world["answer"]["A1"])
    assert (a1.status, a1.response, a1.note, a1.value) == ("responded", "SK sudah kami unggah ulang di pertanyaan ini.",
                                                           "SK 12/2026", True)
    assert _totals(world) == (68.0, 41.33)
    _decide(verifier, world, "A1", "accept")
    _decide(verifier, world, "B2", "accept")
    assert _totals(world) == (68.0, 68.0)
    kinds = [e.kind for e in _events(world["answer"]["A1"])]
    assert kinds == ["answer_returned", "answer_responded", "answer_accepted"]
    assert chain_is_intact(_events(world["answer"]["A1"]))


def test_the_unit_sees_the_comment_and_responds_with_a_new_value_and_evidence(world, app):
    verifier, officer = world["verifier"], world["officer_a"]
    _decide(verifier, world, "B2", "return", "Foto meja layanan tidak terbaca; unggah foto baru.")
    _decide(verifier, world, "B1", "return", "Angka tidak sesuai register.")
    page = officer.get(f"/meja/evaluasi/isi/{world['a']}?kategori=A").get_data(as_text=True)
    assert 'id="returned-elsewhere"' in page and "kategori=B#review" in page and "Kategori B</a> (2)" in page
    page = officer.get(f"/meja/evaluasi/isi/{world['a']}?kategori=B").get_data(as_text=True)
    assert "Foto meja layanan tidak terbaca; unggah foto baru." in page and 'id="review-B2"' in page
    assert "Kirim tanggapan" in page and "Riwayat verifikasi (1)" in page
    # a response without text is refused next to the field; the new value typed is kept
    response = _respond(officer, world, "B1", "  ", values=["9"])
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="respond-text-{world["answer"]["B1"]}-error"' in body
    assert 'value="9"' in body and _answer(world["answer"]["B1"]).value == 12
    # a bad number: refused at the value
    response = _respond(officer, world, "B1", "Diperbaiki.", values=["sembilan"])
    assert response.status_code == 422 and "Isi dengan angka" in response.get_data(as_text=True)
    assert _respond(officer, world, "B1", "Angka diperbaiki dari register.", values=["9"]).status_code == 303
    assert (_answer(world["answer"]["B1"]).value, _answer(world["answer"]["B1"]).status) == (9, "responded")
    # the evidence: the old photo removed, a new PDF added, in the same response
    [old] = db.session.scalars(select(Attachment).where(Attachment.evaluation_answer_id == world["answer"]["B2"])).all()
    response = _respond(officer, world, "B2", "Foto baru terlampir.", remove=[str(old.id)],
                        files=(io.BytesIO(pdf_bytes()), "foto-baru.pdf"))
    assert response.status_code == 303
    db.session.expire_all()
    names = db.session.scalars(select(Attachment.original_name)
                               .where(Attachment.evaluation_answer_id == world["answer"]["B2"])).all()
    assert names == ["foto-baru.pdf"]
    [_returned, responded] = _events(world["answer"]["B2"])
    assert responded.data["added"][0]["name"] == "foto-baru.pdf" and responded.data["removed"][0]["name"] == "meja.png"
    # a wrong file type: refused at the file field, nothing else saved
    _decide(verifier, world, "B2", "return", "Masih kurang.")
    response = _respond(officer, world, "B2", "Coba lagi.", files=(io.BytesIO(b"<html></html>"), "x.pdf"))
    assert response.status_code == 422 and "Jenis berkas tidak didukung" in response.get_data(as_text=True)
    assert _answer(world["answer"]["B2"]).status == "returned"
    # the history is shown to the verifier as well
    page = verifier.get(f"/meja/evaluasi/verifikasi/{world['a']}?kategori=B").get_data(as_text=True)
    assert "Angka diperbaiki dari register." in page and "Ditanggapi unit" in page


def test_a_system_answered_value_stays_as_the_system_gave_it(world):
    from ppid_desk.evaluation.models import AnswerOrigin

    answer = db.session.get(Answer, world["answer"]["B1"])
    answer.origin = AnswerOrigin.SYSTEM
    db.session.commit()
    _decide(world["verifier"], world, "B1", "return", "Tambahkan penjelasan.")
    page = world["officer_a"].get(f"/meja/evaluasi/isi/{world['a']}?kategori=B").get_data(as_text=True)
    assert "Angka dari sistem tidak dapat diubah" in page
    assert _respond(world["officer_a"], world, "B1", "Penjelasan ditambahkan.", values=["1"],
                    note="Dari register.").status_code == 303
    answer = _answer(world["answer"]["B1"])
    assert (answer.value, answer.note, answer.status) == (12, "Dari register.", "responded")


# --- objections ----------------------------------------------------------------------------------

def test_objections_to_a_return_and_to_an_accepted_answer_are_decided_with_reasons(world, clock):
    verifier, officer = world["verifier"], world["officer_a"]
    _decide(verifier, world, "A1", "return", "SK kedaluwarsa.")
    _decide(verifier, world, "A2", "accept")
    # before the objection window: refused with a message, nothing written
    response = _object(officer, world, "A1", "SK masih berlaku.")
    assert response.status_code == 303
    assert "Sanggahan dapat diajukan pada masa sanggah" in officer.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AnswerObjection)) == 0
    clock.travel_to(OBJECTING)
    assert _object(officer, world, "A1", "").status_code == 422
    assert _object(officer, world, "A1", "SK masih berlaku sampai 2027.").status_code == 303
    assert _object(officer, world, "A2", "DIP kami sudah diperbarui; mohon kami boleh memperbaiki jawaban.").status_code == 303
    # a second objection while one is pending is refused
    assert _object(officer, world, "A1", "Lagi.").status_code == 303
    assert db.session.scalar(select(func.count()).select_from(AnswerObjection)) == 2
    # the verifier cannot accept or return while the objection waits; deciding needs a reason
    _decide(verifier, world, "A1", "accept")
    assert _answer(world["answer"]["A1"]).status == "returned"
    url = f"/meja/evaluasi/verifikasi/jawaban/{world['answer']['A1']}/sanggahan"
    response = verifier.post(url, data={"outcome": "upheld", "reason": "", "version": _version(world["a"])})
    assert response.status_code == 422 and "Tulis alasan keputusan" in response.get_data(as_text=True)
    assert verifier.post(url, data={"outcome": "upheld", "reason": "SK berlaku sampai 2027.",
                                    "version": _version(world["a"])}).status_code == 303
    assert _answer(world["answer"]["A1"]).status == "accepted"
    url = f"/meja/evaluasi/verifikasi/jawaban/{world['answer']['A2']}/sanggahan"
    assert verifier.post(url, data={"outcome": "upheld", "reason": "Silakan perbaiki jawaban DIP.",
                                    "version": _version(world["a"])}).status_code == 303
    a2 = _answer(world["answer"]["A2"])
    assert (a2.status, a2.review_comment) == ("returned", "Silakan perbaiki jawaban DIP.")
    objections = db.session.scalars(select(AnswerObjection).order_by(AnswerObjection.id)).all()
    assert [(o.against, o.outcome, o.decided_by_id is not None) for o in objections] == [
        ("returned", "upheld", True), ("accepted", "upheld", True)]
    assert [e.kind for e in _events(world["answer"]["A1"])] == [
        "answer_returned", "objection_filed", "objection_decided"]
    decided = _events(world["answer"]["A1"])[-1]
    assert (decided.data["before"], decided.data["after"], decided.data["reason"]) == (
        {"status": "returned"}, {"status": "accepted"}, "SK berlaku sampai 2027.")
    # the unit corrects A2 in the objection window; a verifier accepts it there
    assert _respond(officer, world, "A2", "DIP diperbarui Juli 2026.", values=["baru"]).status_code == 303
    assert _decide(verifier, world, "A2", "accept").status_code == 303
    assert (_answer(world["answer"]["A2"]).status, _answer(world["answer"]["A2"]).value) == ("accepted", "baru")
    page = officer.get(f"/meja/evaluasi/isi/{world['a']}?kategori=A").get_data(as_text=True)
    assert "Sanggahan diterima" in page and "SK berlaku sampai 2027." in page


def test_a_not_upheld_objection_leaves_the_answer_returned(world, clock):
    _decide(world["verifier"], world, "A3", "return", "Kanal WA tidak resmi.")
    clock.travel_to(OBJECTING)
    _object(world["officer_a"], world, "A3", "Nomor WA tercantum di maklumat.")
    response = world["verifier"].post(f"/meja/evaluasi/verifikasi/jawaban/{world['answer']['A3']}/sanggahan", data={
        "outcome": "not_upheld", "reason": "Maklumat belum memuat nomor itu.", "version": _version(world["a"])})
    assert response.status_code == 303
    answer = _answer(world["answer"]["A3"])
    assert answer.status == "returned" and answer.objections[0].outcome == "not_upheld"
    # one objection per verifier decision
    response = _object(world["officer_a"], world, "A3", "Sekali lagi.")
    assert "sudah diputus" in world["officer_a"].get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AnswerObjection)) == 1


# --- windows ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("moment", "first_decision", "respond"), [
    (datetime(2026, 7, 31, 3, 0, tzinfo=UTC), False, True),  # still filling: nothing to verify yet
    (datetime(2026, 8, 1, 3, 0, tzinfo=UTC), True, True),  # first day of verification
    (datetime(2026, 8, 14, 3, 0, tzinfo=UTC), True, True),  # last day of verification
    (datetime(2026, 8, 15, 3, 0, tzinfo=UTC), False, True),  # objection window: only responded answers
    (datetime(2026, 8, 21, 3, 0, tzinfo=UTC), False, True),  # last day to respond
    (datetime(2026, 8, 22, 3, 0, tzinfo=UTC), False, False),  # everything closed
])
def test_each_step_is_open_only_in_its_window(world, clock, moment, first_decision, respond):
    clock.travel_to(VERIFYING)
    _decide(world["verifier"], world, "A1", "return", "Perbaiki.")
    clock.travel_to(moment)
    response = _decide(world["verifier"], world, "A2", "accept")
    assert response.status_code == 303  # refused with a message, never a 500
    assert (_answer(world["answer"]["A2"]).status == "accepted") is first_decision
    if not first_decision:
        page = world["verifier"].get(response.headers["Location"]).get_data(as_text=True)
        assert '<div class="notice notice-error" role="status">' in page
    _respond(world["officer_a"], world, "A1", "Sudah diperbaiki.")
    assert (_answer(world["answer"]["A1"]).status == "responded") is respond


def test_a_responded_answer_is_decided_in_the_objection_window_but_not_after_it(world, clock):
    _decide(world["verifier"], world, "A1", "return", "Perbaiki.")
    _respond(world["officer_a"], world, "A1", "Sudah.")
    clock.travel_to(OBJECTING)
    assert _decide(world["verifier"], world, "A1", "return", "Belum cukup.").status_code == 303
    assert _answer(world["answer"]["A1"]).status == "returned"
    _respond(world["officer_a"], world, "A1", "Sekarang sudah.")
    clock.travel_to(AFTER)
    _decide(world["verifier"], world, "A1", "accept")
    assert _answer(world["answer"]["A1"]).status == "responded"
    page = world["verifier"].get(f"/meja/evaluasi/verifikasi/{world['a']}").get_data(as_text=True)
    assert "sudah berakhir" in page and 'name="decision"' not in page


def test_a_unit_that_did_not_submit_has_nothing_to_verify(world):
    page = world["verifier"].get(f"/meja/evaluasi/verifikasi/{world['b']}").get_data(as_text=True)
    assert "belum mengirim kuesionernya" in page and 'name="decision"' not in page
    round_page = world["verifier"].get(f"/meja/evaluasi/putaran/{world['round']}").get_data(as_text=True)
    assert f"/meja/evaluasi/putaran/{world['round']}/verifikasi" in round_page


def test_stale_pages_do_not_overwrite_each_other(world):
    seen = _version(world["a"])
    assert _decide(world["verifier"], world, "A1", "return", "Perbaiki.", version=seen).status_code == 303
    # another verifier, on the page loaded before that return, accepts A1: refused, nothing changes
    response = _decide(world["verifier"], world, "A1", "accept", version=seen)
    assert response.status_code == 409 and "baru saja diubah" in response.get_data(as_text=True)
    assert _answer(world["answer"]["A1"]).status == "returned"
    response = _respond(world["officer_a"], world, "A1", "Tanggapan saya.", version=seen)
    assert response.status_code == 409 and "Tanggapan saya." in response.get_data(as_text=True)
    assert _answer(world["answer"]["A1"]).status == "returned"


def test_an_objection_is_decided_only_within_the_objection_window(world, clock):
    _decide(world["verifier"], world, "A1", "return", "Perbaiki.")
    clock.travel_to(OBJECTING)
    _object(world["officer_a"], world, "A1", "Sudah benar.")
    clock.travel_to(AFTER)
    response = world["verifier"].post(f"/meja/evaluasi/verifikasi/jawaban/{world['answer']['A1']}/sanggahan", data={
        "outcome": "upheld", "reason": "Terlambat diputus.", "version": _version(world["a"])})
    assert response.status_code == 303
    page = world["verifier"].get(response.headers["Location"]).get_data(as_text=True)
    assert "Sanggahan diputus pada masa sanggah" in page and 'name="outcome"' not in page
    answer = _answer(world["answer"]["A1"])
    assert answer.status == "returned" and answer.objections[0].outcome is None
