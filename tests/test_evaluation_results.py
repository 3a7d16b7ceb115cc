"""Issue 16 item 6: a round's results. The ranking (ties share a rank), the questions that lost
points for every unit below "Informatif" (a unit at 89.9 has them, one at 90.0 none), the
comparison with last year's round of the same questionnaire, the round and unit reports as PDF and
XLSX, publishing the results (only once the round is finished) and the public page (published
rounds only). Every round, answer and submission is made through the services."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from ppid_desk.audit.models import Event
from ppid_desk.evaluation.models import EvaluationRound
from ppid_desk.evaluation.results_selectors import rank_rows, round_ranking
from ppid_desk.extensions import db
from tests.factories import (
    evaluation_results_document,
    make_evaluation_round,
    submit_results_answers,
)

IN_2026 = datetime(2026, 7, 6, 3, 0, tzinfo=UTC)  # Monday 6 July 2026, 10.00 WIB: the 2026 round is open
FINISHED = datetime(2026, 9, 1, 3, 0, tzinfo=UTC)  # after the 2026 round's objection window (to 21 August)


# unit name → answers (A1, A2, B1) to tests/factories.py evaluation_results_document: A has 1000
# points possible (A1 yes 100; A2 900 / 700 / 698 / 0), B 10 (B1 yes); equal weights. By hand:
ANSWERS_2026 = {
    "Dinas Alpha": ("ya", "lengkap", "ya"),  # A (100+900)/1000 = 100, B 100 → 100.0 Informatif
    "Dinas Beta": ("ya", "cukup", "ya"),  # A 800/1000 = 80.0, B 100 → 90.0 Informatif (lost 200 on A2, not listed)
    "Dinas Gamma": ("ya", "cukup", "ya"),  # 90.0, tied with Beta
    "Dinas Delta": ("ya", "hampir", "ya"),  # A 798/1000 = 79.8, B 100 → 89.9 Menuju Informatif
    "Dinas Epsilon": ("tidak", "tidak", "tidak"),  # 0.0 Tidak Informatif
}
ANSWERS_2025 = {
    "Dinas Alpha": ("ya", "cukup", "ya"),  # 90.0
    "Dinas Beta": ("ya", "lengkap", "ya"),  # 100.0
    "Dinas Delta": ("tidak", "cukup", "tidak"),  # A 70.0, B 0 → 35.0 Tidak Informatif
    "Dinas Epsilon": ("ya", "tidak", "ya"),  # A 10.0, B 100 → 55.0 Kurang Informatif
}


def run_round(units, answers, *, utama, officers, opens_on, document=None, title=None):
    evaluation = make_evaluation_round(list(units.values()), actor=utama, document=document or evaluation_results_document(),
                                       opens_on=opens_on, closes_on=date(opens_on.year, opens_on.month, 28))
    if title:
        evaluation.title = title
        db.session.commit()
    for participant in evaluation.participants:
        name = participant.unit.name
        if name in answers:
            submit_results_answers(officers[name], participant, answers[name], opens_on)
    return evaluation


@pytest.fixture
def world(app, clock, make_unit, make_user, officer_client):
    clock.travel_to(datetime(2025, 7, 1, 3, 0, tzinfo=UTC))
    names = ["Dinas Alpha", "Dinas Beta", "Dinas Gamma", "Dinas Delta", "Dinas Epsilon", "Dinas Zeta", "Dinas Lama"]
    units = {name: make_unit(f"U{index}", name) for index, name in enumerate(names)}
    utama = make_user(email="utama-hasil@pemda.example.id", roles=("ppid_utama",))
    officers = {name: make_user(email=f"petugas{index}@pemda.example.id", roles=("pembantu",), unit=unit)
                for index, (name, unit) in enumerate(units.items())}
    # 2025: an earlier round of the same questionnaire (superseded), then the one compared with;
    # "Dinas Lama" took part only in 2025, "Dinas Gamma" only in 2026
    old_units = {n: units[n] for n in ("Dinas Alpha", "Dinas Beta", "Dinas Delta", "Dinas Epsilon", "Dinas Lama")}
    run_round(old_units, {n: ("tidak", "tidak", "tidak") for n in old_units}, utama=utama, officers=officers,
              opens_on=date(2025, 3, 1), title="Monev awal 2025")
    clock.travel_to(datetime(2025, 7, 1, 3, 0, tzinfo=UTC))
    last_year = run_round(old_units, ANSWERS_2025, utama=utama, officers=officers, opens_on=date(2025, 7, 1),
                          title="Monev 2025")
    # another questionnaire's 2025 round is no comparison
    run_round({"Dinas Gamma": units["Dinas Gamma"]}, {"Dinas Gamma": ("ya", "lengkap", "ya")}, utama=utama,
              officers=officers, opens_on=date(2025, 7, 1), document=evaluation_results_document(code="lain", title="Lain"),
              title="Monev lain 2025")
    clock.travel_to(IN_2026)
    this_units = {n: units[n] for n in names if n != "Dinas Lama"}
    evaluation = run_round(this_units, ANSWERS_2026, utama=utama, officers=officers, opens_on=date(2026, 7, 1),
                           title="Monev 2026")
    participants = {p.unit.name: p.id for p in evaluation.participants}
    return {"round": evaluation.id, "last_year": last_year.id, "participants": participants, "units": units,
            "utama": officer_client("ppid_utama"), "delta": officer_client("pembantu", unit=units["Dinas Delta"]),
            "alpha": officer_client("pembantu", unit=units["Dinas Alpha"])}


def _ranking(world):
    db.session.expire_all()
    return round_ranking(db.session.get(EvaluationRound, world["round"]), date(2026, 7, 6))


def test_units_are_ranked_by_total_ties_share_a_rank_and_unscored_units_come_last(world):
    ranking = _ranking(world)
    assert [(r.rank, r.participant.unit.name, r.total, r.band) for r in ranking.rows] == [
        (1, "Dinas Alpha", 100.0, "Informatif"), (2, "Dinas Beta", 90.0, "Informatif"),
        (2, "Dinas Gamma", 90.0, "Informatif"), (4, "Dinas Delta", 89.9, "Menuju Informatif"),
        (5, "Dinas Epsilon", 0.0, "Tidak Informatif"), (None, "Dinas Zeta", None, None)]
    assert ranking.distribution == [("Informatif", 3), ("Menuju Informatif", 1), ("Cukup Informatif", 0),
                                    ("Kurang Informatif", 0), ("Tidak Informatif", 1)]
    assert ranking.unscored == 1 and ranking.top_band == "Informatif"


def test_rank_rows_gives_competition_ranks():
    class Row:  # the fields rank_rows reads
        def __init__(self, total):
            self.result = None if total is None else type("R", (), {"total": total})()

    assert rank_rows([Row(t) for t in (95.5, 95.5, 95.5, 80.0, 80.0, 10.0, None)]) == [1, 1, 1, 4, 4, 6, None]
    assert rank_rows([]) == []


def test_a_unit_at_89_9_lists_its_lost_questions_and_one_at_90_0_none(world):
    rows = {r.participant.unit.name: r for r in _ranking(world).rows}
    delta = rows["Dinas Delta"]
    assert delta.below_top and [(q.key, q.text, q.points, q.possible, q.lost) for q in delta.lost] == [
        ("A2", "Daftar Informasi Publik mutakhir?", 698, 900, 202)]
    # Beta lost 200 points on A2 too, but at 90.0 it is Informatif: nothing is listed
    assert not rows["Dinas Beta"].below_top and rows["Dinas Beta"].lost == ()
    assert not rows["Dinas Alpha"].below_top and rows["Dinas Alpha"].lost == ()
    # every scored question of Epsilon lost its points; free text never counts
    assert [(q.key, q.lost) for q in rows["Dinas Epsilon"].lost] == [("A1", 100), ("A2", 900), ("B1", 10)]
    assert not rows["Dinas Zeta"].below_top and rows["Dinas Zeta"].lost == ()


def test_last_years_round_of_the_same_questionnaire_is_compared(world):
    ranking = _ranking(world)
    assert ranking.previous_round.id == world["last_year"]  # the latest 2025 round of this questionnaire
    rows = {r.participant.unit.name: r for r in ranking.rows}
    compared = {name: (r.previous.total if r.previous else None, r.previous.band if r.previous else None,
                       r.change, r.new) for name, r in rows.items()}
    assert compared == {
        "Dinas Alpha": (90.0, "Informatif", 10.0, False),
        "Dinas Beta": (100.0, "Informatif", -10.0, False),
        "Dinas Gamma": (None, None, None, True),  # in another questionnaire's round only: new here
        "Dinas Delta": (35.0, "Tidak Informatif", 54.9, False),
        "Dinas Epsilon": (55.0, "Kurang Informatif", -55.0, False),
        "Dinas Zeta": (None, None, None, True),
    }


def test_the_round_page_shows_ranking_bands_lost_questions_and_last_year(world):
    page = world["utama"].get(f"/meja/evaluasi/putaran/{world['round']}").get_data(as_text=True)
    ids = world["participants"]

    def row(name):
        rest = page[page.index(f'id="participant-{ids[name]}"'):]
        return rest[:rest.index("</tr>")]

    assert '<td class="numeric">4</td>' in row("Dinas Delta") and "89.90" in row("Dinas Delta")
    assert "Menuju Informatif" in row("Dinas Delta") and "35.00" in row("Dinas Delta") and "+54.90" in row("Dinas Delta")
    assert '<td class="numeric">2</td>' in row("Dinas Gamma") and "Baru" in row("Dinas Gamma")
    assert "▼ -10.00" in row("Dinas Beta") and "Belum dikirim" in row("Dinas Zeta")
    lost = page[page.index('id="lost-questions"'):]
    lost = lost[:lost.index("</div>")]
    assert f'id="lost-{ids["Dinas Delta"]}"' in lost and "hilang 202 dari 900" in lost
    assert f'id="lost-{ids["Dinas Beta"]}"' not in lost and f'id="lost-{ids["Dinas Alpha"]}"' not in lost
    assert "Terbitkan hasil" not in page and "setelah masa sanggah berakhir" in page


def test_the_unit_page_shows_every_question_s_points_to_its_own_unit_only(world):
    delta, url = world["delta"], f"/meja/evaluasi/hasil/{world['participants']['Dinas Delta']}"
    page = delta.get(url).get_data(as_text=True)
    assert "89.90" in page and "Menuju Informatif" in page
    question = page[page.index('id="question-A2"'):]
    question = question[:question.index("</tr>")]
    assert "Hampir cukup" in question and "698 / 900" in question and "<strong>202</strong>" in question
    assert "tidak dinilai" in page and "SK 5/2026" in page
    assert "35.00 (Tidak Informatif)" in page
    # another unit's officer sees nothing of it; PPID Utama does
    for suffix in ("", "/laporan.pdf", "/laporan.xlsx"):
        assert world["alpha"].get(url + suffix).status_code == 404
        assert delta.get(url + suffix).status_code == 200
    assert world["utama"].get(url).status_code == 200
    assert delta.get(f"/meja/evaluasi/putaran/{world['round']}").status_code == 403
    assert delta.get(f"/meja/evaluasi/putaran/{world['round']}/laporan.pdf").status_code == 403


def _pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_the_round_report_pdf_carries_the_ranking_bands_lost_questions_and_last_year(world):
    response = world["utama"].get(f"/meja/evaluasi/putaran/{world['round']}/laporan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    for expected in ("LAPORAN HASIL MONITORING DAN EVALUASI PPID PEMBANTU", "Monev 2026", "Monev hasil, versi 1",
                     "1 Juli 2026", "28 Juli 2026", "Peringkat unit", "Dinas Delta", "89,90", "Menuju Informatif",
                     "Sebaran predikat", "Unit di bawah predikat Informatif", "Daftar Informasi Publik mutakhir?",
                     "202 / 900", "Dibandingkan dengan Monev 2025", "+54,90", "−10,00", "Baru"):
        assert expected in text, expected
    # the lost questions are listed only for the unit below Informatif: Beta's 200 lost points are not
    assert "200 / 900" not in text


def test_the_unit_report_pdf_lists_each_question_s_points(world):
    body = world["delta"].get(f"/meja/evaluasi/hasil/{world['participants']['Dinas Delta']}/laporan.pdf").data
    text = _pdf_text(body)
    for expected in ("HASIL MONITORING DAN EVALUASI PPID PEMBANTU", "Dinas Delta", "89,90", "Menuju Informatif",
                     "Ada SK PPID?", "100 / 100", "698 / 900", "Hampir cukup", "Keterangan: SK 5/2026",
                     "tidak dinilai", "35,00 (Tidak Informatif)"):
        assert expected in text, expected


def test_the_xlsx_reports_have_one_row_per_unit_and_per_question(world):
    body = world["utama"].get(f"/meja/evaluasi/putaran/{world['round']}/laporan.xlsx").data
    book = load_workbook(io.BytesIO(body))
    ranking = list(book.worksheets[0].iter_rows(values_only=True))
    assert ranking[0][:4] == ("Peringkat", "Kode unit", "Unit", "Dikirim")
    rows = {r[2]: r for r in ranking[1:]}
    assert rows["Dinas Delta"][:11] == (4, "U3", "Dinas Delta", "ya", 79.8, 100, 89.9, "Menuju Informatif", 35,
                                        "Tidak Informatif", 54.9)
    assert rows["Dinas Gamma"][11] == "Baru tahun ini" and rows["Dinas Zeta"][0] is None
    lost = list(book.worksheets[1].iter_rows(values_only=True))[1:]
    assert [(r[0], r[4], r[8]) for r in lost] == [("Dinas Delta", "A2", 202), ("Dinas Epsilon", "A1", 100),
                                                    ("Dinas Epsilon", "A2", 900), ("Dinas Epsilon", "B1", 10)]
    unit = load_workbook(io.BytesIO(world["delta"].get(
        f"/meja/evaluasi/hasil/{world['participants']['Dinas Delta']}/laporan.xlsx").data)).worksheets[0]
    questions = list(unit.iter_rows(values_only=True))
    assert [q[1] for q in questions[1:]] == ["A1", "A2", "A3", "B1"]
    assert questions[2][4:] == ("Hampir cukup", None, 0, 698, 900, 202)
    assert questions[3][7:] == (None, None, None)  # free text: not scored


def test_results_are_published_only_when_the_round_is_finished_and_can_be_withdrawn(world, clock):
    utama, round_id = world["utama"], world["round"]
    public = f"/hasil-evaluasi/{round_id}"
    refused = utama.post(f"/meja/evaluasi/putaran/{round_id}/terbitkan", data={"confirm": "y"})
    assert refused.status_code == 422 and "setelah masa sanggah berakhir (18 Agustus 2026)" in refused.get_data(as_text=True)
    clock.travel_to(FINISHED)
    page = utama.get(f"/meja/evaluasi/putaran/{round_id}").get_data(as_text=True)
    assert "Terbitkan hasil" in page
    unconfirmed = utama.post(f"/meja/evaluasi/putaran/{round_id}/terbitkan", data={})
    assert unconfirmed.status_code == 422 and "Centang pernyataan ini" in unconfirmed.get_data(as_text=True)
    assert app_client_get(utama, public) == 404
    assert world["delta"].post(f"/meja/evaluasi/putaran/{round_id}/terbitkan", data={"confirm": "y"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(EvaluationRound, round_id).results_published_at is None
    assert utama.post(f"/meja/evaluasi/putaran/{round_id}/terbitkan", data={"confirm": "y"}).status_code == 303
    db.session.expire_all()
    evaluation = db.session.get(EvaluationRound, round_id)
    assert evaluation.results_published_at is not None and evaluation.results_published_by.email.startswith("ppid_utama")
    # withdrawing needs a reason, and is recorded with it
    assert utama.post(f"/meja/evaluasi/putaran/{round_id}/tarik", data={"reason": " "}).status_code == 422
    assert utama.post(f"/meja/evaluasi/putaran/{round_id}/tarik",
                      data={"reason": "Nilai Dinas Delta dikoreksi."}).status_code == 303
    db.session.expire_all()
    assert db.session.get(EvaluationRound, round_id).results_published_at is None
    events = db.session.execute(select(Event.kind, Event.data).where(
        Event.subject_type == "evaluation_round", Event.subject_id == round_id).order_by(Event.id)).all()
    assert [kind for kind, _data in events] == ["round_created", "results_published", "results_unpublished"]
    assert events[-1].data["reason"] == "Nilai Dinas Delta dikoreksi."


def app_client_get(client, url: str) -> int:
    return client.get(url).status_code


def test_the_public_page_lists_only_published_rounds(world, clock, app):
    anonymous = app.test_client()
    assert "Belum ada hasil monev yang diterbitkan." in anonymous.get("/hasil-evaluasi").get_data(as_text=True)
    assert anonymous.get(f"/hasil-evaluasi/{world['round']}").status_code == 404
    clock.travel_to(FINISHED)
    world["utama"].post(f"/meja/evaluasi/putaran/{world['round']}/terbitkan", data={"confirm": "y"})
    listing = anonymous.get("/hasil-evaluasi").get_data(as_text=True)
    assert "Monev 2026" in listing and "Monev 2025" not in listing
    assert anonymous.get(f"/hasil-evaluasi/{world['last_year']}").status_code == 404
    page = anonymous.get(f"/hasil-evaluasi/{world['round']}").get_data(as_text=True)
    table = page[page.index('id="public-ranking"'):page.index("</table>")]
    assert "Dinas Delta" in table and "89.90" in table and "Menuju Informatif" in table
    assert "Tidak dinilai" in table  # Zeta did not submit
    # nothing of the answers or the lost questions goes public
    assert "Daftar Informasi Publik mutakhir?" not in page and "SK 5/2026" not in page
    # the statistics page links here; the English page is translated
    assert "/hasil-evaluasi" in anonymous.get("/statistik").get_data(as_text=True)

