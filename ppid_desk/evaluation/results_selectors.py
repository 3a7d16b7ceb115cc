"""Reads of a round's results (issue 16 item 6): the ranking of the units with their bands, the
questions that cost points for every unit below the top band, the comparison with last year's
round of the same questionnaire, one unit's results question by question, and the published
rounds of the public page.

Scores come from ``selectors.participant_result`` / ``selectors.round_results`` (the one place that
decides which answers count); this module only orders, compares and explains them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .instrument import Instrument, Question
from .models import Answer, EvaluationRound, Participant, QuestionnaireVersion
from .scoring import Result
from .selectors import (
    ResultRow,
    files_by_question,
    instrument,
    participant_result,
    round_phase,
    round_results,
)

EPSILON = 1e-9  # points are sums of the questionnaire's scores: a loss below this is no loss


@dataclass(frozen=True)
class LostQuestion:
    """A question that earned less than it could."""

    category: str  # the category's title
    key: str
    text: str
    points: float
    possible: float

    @property
    def lost(self) -> float:
        return round(self.possible - self.points, 2)


@dataclass(frozen=True)
class Previous:
    """A unit's result in last year's round (total and band None: it took part but has no score)."""

    total: float | None
    band: str | None


@dataclass(frozen=True)
class RankedRow:
    rank: int | None  # None: no total yet (not submitted, or nothing scored)
    row: ResultRow
    below_top: bool  # scored below the questionnaire's top band
    lost: tuple[LostQuestion, ...]  # only for a unit below the top band
    previous: Previous | None  # None: not in last year's round (new), or no round last year
    new: bool  # last year's round exists and the unit was not in it

    @property
    def participant(self) -> Participant:
        return self.row.participant

    @property
    def result(self) -> Result | None:
        return self.row.result

    @property
    def total(self) -> float | None:
        return self.row.result.total if self.row.result else None

    @property
    def band(self) -> str | None:
        return self.row.result.band if self.row.result else None

    @property
    def change(self) -> float | None:
        """This year's total minus last year's (None when either is missing)."""
        if self.total is None or self.previous is None or self.previous.total is None:
            return None
        return round(self.total - self.previous.total, 2)


@dataclass(frozen=True)
class Ranking:
    round: EvaluationRound
    spec: Instrument
    rows: list[RankedRow]
    previous_round: EvaluationRound | None
    top_band: str | None
    distribution: list[tuple[str, int]]  # every band of the questionnaire, the highest first
    unscored: int  # units without a total

    @property
    def below_top(self) -> list[RankedRow]:
        return [row for row in self.rows if row.below_top]


def top_band(spec: Instrument) -> tuple[str, float] | None:
    """The questionnaire's highest band ("Informatif" by default) and its lower bound."""
    if not spec.bands:
        return None
    band = max(spec.bands, key=lambda b: b.low)
    return band.label, band.low


def lost_questions(spec: Instrument, result: Result) -> tuple[LostQuestion, ...]:
    """The scored questions of ``result`` that earned less than their maximum, in the
    questionnaire's order."""
    found = []
    for category in result.categories:
        for score in category.questions:
            if score.possible > 0 and score.possible - score.points > EPSILON:
                question = spec.question(score.key)
                found.append(LostQuestion(category.title, score.key, question.text if question else score.key,
                                          score.points, score.possible))
    return tuple(found)


def previous_round(evaluation: EvaluationRound) -> EvaluationRound | None:
    """Last year's round of the same questionnaire (any of its versions): the latest one of year − 1."""
    return db.session.scalar(
        select(EvaluationRound).join(QuestionnaireVersion, EvaluationRound.version_id == QuestionnaireVersion.id)
        .where(QuestionnaireVersion.questionnaire_id == evaluation.version.questionnaire_id,
               EvaluationRound.year == evaluation.year - 1, EvaluationRound.id != evaluation.id)
        .order_by(EvaluationRound.opens_on.desc(), EvaluationRound.id.desc()).limit(1))


def previous_results(evaluation: EvaluationRound | None, today: date) -> dict[int, Previous]:
    """unit id → its result in ``evaluation`` (last year's round)."""
    if evaluation is None:
        return {}
    return {row.participant.unit_id: Previous(row.result.total if row.result else None,
                                              row.result.band if row.result else None)
            for row in round_results(evaluation, today)}


def rank_rows(rows: list[ResultRow]) -> list[int | None]:
    """Competition ranks ("1, 2, 2, 4") of rows already ordered best first; None without a total."""
    totals = [row.result.total if row.result else None for row in rows]
    scored = [total for total in totals if total is not None]
    return [None if total is None else 1 + sum(other > total for other in scored) for total in totals]


def round_ranking(evaluation: EvaluationRound, today: date) -> Ranking:
    """The round's units ranked by total (ties share a rank, then by name), each with its band,
    its lost questions when below the top band, and last year's result."""
    spec = instrument(evaluation.version)
    rows = round_results(evaluation, today)
    top = top_band(spec)
    before = previous_round(evaluation)
    previous = previous_results(before, today)
    ranked = []
    for rank, row in zip(rank_rows(rows), rows, strict=True):
        total = row.result.total if row.result else None
        below = total is not None and top is not None and total < top[1]
        unit_id = row.participant.unit_id
        ranked.append(RankedRow(rank=rank, row=row, below_top=below,
                                lost=lost_questions(spec, row.result) if below and row.result else (),
                                previous=previous.get(unit_id), new=before is not None and unit_id not in previous))
    bands = sorted(spec.bands, key=lambda b: b.low, reverse=True)
    distribution = [(band.label, sum(1 for r in ranked if r.total is not None and r.band == band.label))
                    for band in bands]
    return Ranking(evaluation, spec, ranked, before, top[0] if top else None, distribution,
                   sum(1 for r in ranked if r.total is None))


# --- one unit -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuestionLine:
    question: Question
    answer: str  # the answer as text ("Ya", the option's label, "3 berkas", …)
    note: str  # the unit's explanation
    files: int
    points: float | None  # None: not scored (free text)
    possible: float

    @property
    def lost(self) -> float:
        return 0.0 if self.points is None else round(self.possible - self.points, 2)


@dataclass(frozen=True)
class CategoryLines:
    key: str
    title: str
    weight: float
    score: float | None
    points: float
    possible: float
    lines: tuple[QuestionLine, ...]


@dataclass(frozen=True)
class UnitResult:
    participant: Participant
    spec: Instrument
    result: Result | None  # None before the unit submitted
    categories: tuple[CategoryLines, ...]
    previous_round: EvaluationRound | None
    previous: Previous | None
    phase: str

    @property
    def total(self) -> float | None:
        return self.result.total if self.result else None

    @property
    def band(self) -> str | None:
        return self.result.band if self.result else None

    @property
    def change(self) -> float | None:
        if self.total is None or self.previous is None or self.previous.total is None:
            return None
        return round(self.total - self.previous.total, 2)

    @property
    def lost(self) -> list[QuestionLine]:
        return [line for category in self.categories for line in category.lines if line.lost > EPSILON]


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def answer_text(question: Question, answer: Answer | None, files: int) -> str:
    """The unit's answer to ``question`` in words (empty when unanswered)."""
    value = answer.value if answer is not None else None
    if question.kind == "evidence":
        return _("%(n)d berkas", n=files) if files else ""
    text = ""
    if value not in (None, "", []):
        if question.kind == "yes_no":
            text = _("Ya") if value is True else _("Tidak")
        elif question.kind == "single_choice":
            text = next((o.label for o in question.options if o.key == value), str(value))
        elif question.kind == "multiple_choice":
            ticked = set(value) if isinstance(value, list | tuple) else set()
            text = "; ".join(o.label for o in question.options if o.key in ticked)
        elif question.kind == "number":
            text = f"{_number_text(value)} {question.unit}".strip()
        else:
            text = str(value)
    if files and question.kind != "evidence":
        text = f"{text} ({_('%(n)d berkas', n=files)})" if text else _("%(n)d berkas", n=files)
    return text


def unit_result(participant: Participant, today: date) -> UnitResult:
    """One unit's results question by question, with last year's result of the same unit."""
    evaluation = participant.round
    spec = instrument(evaluation.version)
    files = files_by_question(participant)
    result = participant_result(spec, participant, files)
    answers = {answer.question_key: answer for answer in participant.answers}
    scores = {s.key: s for c in result.categories for s in c.questions} if result else {}
    category_scores = {c.key: c for c in result.categories} if result else {}
    categories = []
    for category in spec.categories:
        lines = []
        for question in category.questions:
            score = scores.get(question.key)
            scored = question.max_score > 0
            lines.append(QuestionLine(
                question, answer_text(question, answers.get(question.key), len(files.get(question.key, []))),
                (answers[question.key].note if question.key in answers else "") or "", len(files.get(question.key, [])),
                (score.points if score else 0.0) if scored and result else None, question.max_score))
        found = category_scores.get(category.key)
        categories.append(CategoryLines(category.key, category.title, category.weight,
                                        found.score if found else None, found.points if found else 0.0,
                                        found.possible if found else sum(q.max_score for q in category.questions),
                                        tuple(lines)))
    before = previous_round(evaluation)
    previous = None
    if before is not None:
        earlier = db.session.scalar(select(Participant).where(Participant.round_id == before.id,
                                                              Participant.unit_id == participant.unit_id))
        if earlier is not None:
            found = participant_result(instrument(before.version), earlier)
            previous = Previous(found.total if found else None, found.band if found else None)
    return UnitResult(participant, spec, result, tuple(categories), before, previous, round_phase(evaluation, today))


# --- the public page ------------------------------------------------------------------------------

def published_rounds() -> list[EvaluationRound]:
    """The rounds whose results PPID Utama published, the newest first."""
    return list(db.session.scalars(
        select(EvaluationRound).where(EvaluationRound.results_published_at.is_not(None))
        .options(selectinload(EvaluationRound.version).selectinload(QuestionnaireVersion.questionnaire))
        .order_by(EvaluationRound.year.desc(), EvaluationRound.id.desc())))


def published_round(round_id: int) -> EvaluationRound | None:
    evaluation = db.session.get(EvaluationRound, round_id)
    return evaluation if evaluation is not None and evaluation.results_published else None

