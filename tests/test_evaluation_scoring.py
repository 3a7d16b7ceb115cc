"""Issue 16 item 5: the pure scoring of the internal monev, against totals worked out by hand for
every question kind and weight, and the band edges (89.9 → Menuju Informatif, 90.0 → Informatif)."""

from __future__ import annotations

import pytest

from ppid_desk.evaluation.definition import instrument_from_dict
from ppid_desk.evaluation.scoring import question_points, score
from tests.factories import evaluation_document


@pytest.fixture
def spec(app):
    return instrument_from_dict(evaluation_document())


def test_a_questionnaire_with_every_kind_scores_as_worked_out_by_hand(spec):
    # A (weight 60, 30 possible): yes 10 + "lama" 4 + ticks 6+3+3 = 12 capped at 10 (+ text: unscored) = 24 → 80.0
    # B (weight 40, 30 possible): 12 days → 10; one photo → 5; SOP "yes" without its required file → 0 = 15 → 50.0
    # total = (60 × 80 + 40 × 50) / 100 = 68.0
    values = {"A1": True, "A2": "lama", "A3": ["web", "mail", "wa"], "A4": "Belum ada anggaran.", "B1": 12,
              "B3": True}
    result = score(spec, values, {"B2": 1})
    assert [(c.key, c.points, c.possible, c.score) for c in result.categories] == [
        ("A", 24, 30, 80.0), ("B", 15, 30, 50.0)]
    assert (result.total, result.band) == (68.0, "Cukup Informatif")


def test_other_answers_give_their_own_hand_computed_total(spec):
    # A: no 0 + "baru" 10 + e-mail 3 = 13/30; B: 10 days (inclusive edge) 20 + no photo 0 + SOP with file 5 = 25/30
    # total = (60 × 13/30 × 100 + 40 × 25/30 × 100) / 100 = 26 + 33.333… = 59.33
    result = score(spec, {"A1": False, "A2": "baru", "A3": ["mail"], "B1": 10, "B3": True}, {"B3": 1})
    assert [c.score for c in result.categories] == [43.33, 83.33]
    assert (result.total, result.band) == (59.33, "Kurang Informatif")


def test_nothing_answered_scores_zero_and_everything_right_scores_100(spec):
    assert (score(spec, {}).total, score(spec, {}).band) == (0.0, "Tidak Informatif")
    full = score(spec, {"A1": True, "A2": "baru", "A3": ["web", "mail", "wa"], "B1": 3, "B3": True}, {"B2": 2, "B3": 1})
    assert (full.total, full.band) == (100.0, "Informatif")


@pytest.mark.parametrize(("days", "points"), [
    (0, 20), (10, 20), (10.005, 0), (10.01, 10), (17, 10), (17.5, 0), (40, 0), (-1, 0), ("12,5", 10), ("x", 0),
    (None, 0), (True, 0)])
def test_a_number_earns_the_score_of_the_band_holding_it(spec, days, points):
    assert question_points(spec.question("B1"), days) == points


@pytest.mark.parametrize(("value", "points"), [
    (None, 0), ([], 0), (["web"], 6), (["mail", "wa"], 6), (["web", "mail"], 9), (["web", "mail", "wa"], 10),
    (["bukan-opsi"], 0), ("web", 0)])
def test_several_choices_add_up_to_the_question_s_cap(spec, value, points):
    assert question_points(spec.question("A3"), value) == points


def test_yes_no_single_choice_text_and_evidence_points(spec):
    assert [question_points(spec.question("A1"), v) for v in (True, False, None, "ya")] == [10, 0, 0, 0]
    assert [question_points(spec.question("A2"), v) for v in ("baru", "lama", "tidak", "lain", None)] == [10, 4, 0, 0, 0]
    assert question_points(spec.question("A4"), "panjang sekali") == 0
    assert spec.question("A4").max_score == 0
    assert [question_points(spec.question("B2"), None, files=n) for n in (0, 1, 3)] == [0, 5, 5]
    assert [question_points(spec.question("B3"), True, files=n) for n in (0, 1)] == [0, 5]


def test_weights_need_not_add_up_to_100_and_a_text_only_category_counts_for_nothing(app):
    spec = instrument_from_dict({"code": "w", "title": "Bobot", "categories": [
        {"key": "X", "title": "X", "weight": 3, "questions": [{"key": "X1", "kind": "yes_no", "text": "?", "score": 1}]},
        {"key": "Y", "title": "Y", "weight": 1, "questions": [{"key": "Y1", "kind": "yes_no", "text": "?", "score": 4}]},
        {"key": "Z", "title": "Z", "weight": 50, "questions": [{"key": "Z1", "kind": "text", "text": "?"}]}]})
    # (3 × 100 + 1 × 0) / 4 = 75.0; Z has nothing to score, so its weight is left out
    result = score(spec, {"X1": True, "Y1": False, "Z1": "teks"})
    assert [c.score for c in result.categories] == [100.0, 0.0, None]
    assert (result.total, result.band) == (75.0, "Cukup Informatif")


def _one_choice(scores: list[float], bands=None):
    document = {"code": "tepi", "title": "Tepi predikat", "categories": [
        {"key": "K", "title": "K", "weight": 1, "questions": [
            {"key": "Q", "kind": "single_choice", "text": "?",
             "options": [{"key": f"o{i}", "label": str(s), "score": s} for i, s in enumerate(scores)]}]}]}
    if bands:
        document["bands"] = bands
    return instrument_from_dict(document)


@pytest.mark.parametrize(("points", "total", "band"), [
    (1000, 100.0, "Informatif"), (900, 90.0, "Informatif"), (899, 89.9, "Menuju Informatif"),
    (800, 80.0, "Menuju Informatif"), (799, 79.9, "Cukup Informatif"), (600, 60.0, "Cukup Informatif"),
    (599, 59.9, "Kurang Informatif"), (400, 40.0, "Kurang Informatif"), (399, 39.9, "Tidak Informatif"),
    (0, 0.0, "Tidak Informatif")])
def test_band_edges(app, points, total, band):
    spec = _one_choice([1000, 900, 899, 800, 799, 600, 599, 400, 399, 0])
    key = next(o.key for o in spec.question("Q").options if o.score == points)
    result = score(spec, {"Q": key})
    assert (result.total, result.band) == (total, band)


def test_a_total_is_banded_as_it_is_shown_rounded_to_two_decimals(app):
    # 89.996 shows as 90.0 and is "Informatif"; 89.994 shows as 89.99 and is not
    spec = _one_choice([100000, 89996, 89994])
    assert score(spec, {"Q": "o1"}).band == "Informatif"
    assert (score(spec, {"Q": "o2"}).total, score(spec, {"Q": "o2"}).band) == (89.99, "Menuju Informatif")


def test_bands_are_the_version_s_own(app):
    spec = _one_choice([100, 75, 50], bands=[{"label": "Baik", "min": 70}, {"label": "Perlu pembinaan", "min": 0}])
    assert [score(spec, {"Q": key}).band for key in ("o0", "o1", "o2")] == ["Baik", "Baik", "Perlu pembinaan"]
