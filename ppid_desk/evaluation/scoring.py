"""Scores of one unit's answers (pure: no Flask, no database).

Per question: the points its kind earns (``instrument``). Per category: the points earned over
the points possible, as 0–100. Total: the categories' scores weighted as the version says
(Σ weight × score ÷ Σ weight), so weights need not add up to 100. A category with nothing to
score (only free text) counts neither in the points nor in the weights. Totals are rounded to two
decimals and the band is read from the rounded total, so the figure shown and its band agree
(89.9 is "Menuju Informatif", 90.0 "Informatif")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .instrument import Category, Instrument, Question


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def question_points(question: Question, value: Any, *, files: int = 0) -> float:
    """The points ``value`` earns for ``question`` (0 when unanswered or not scored)."""
    if question.evidence == "required" and files < 1:
        return 0.0
    kind = question.kind
    if kind == "yes_no":
        return question.score if value is True else 0.0
    if kind == "single_choice":
        return next((option.score for option in question.options if option.key == value), 0.0)
    if kind == "multiple_choice":
        ticked = set(value) if isinstance(value, list | tuple) else set()
        earned = sum(option.score for option in question.options if option.key in ticked)
        return max(0.0, min(earned, question.score))
    if kind == "number":
        number = _number(value)
        if number is None:
            return 0.0
        return next((band.score for band in question.scale if band.holds(number)), 0.0)
    if kind == "evidence":
        return question.score if files > 0 else 0.0
    return 0.0  # free text is not scored


@dataclass(frozen=True)
class QuestionScore:
    key: str
    points: float
    possible: float

    @property
    def lost(self) -> float:
        return self.possible - self.points


@dataclass(frozen=True)
class CategoryScore:
    key: str
    title: str
    weight: float
    points: float
    possible: float
    questions: tuple[QuestionScore, ...]

    @property
    def score(self) -> float | None:
        """0–100 within the category; None when it has nothing to score."""
        return None if not self.possible else round(100 * self.points / self.possible, 2)


@dataclass(frozen=True)
class Result:
    categories: tuple[CategoryScore, ...]
    total: float | None
    band: str | None


def _category(category: Category, values: Mapping[str, Any], files: Mapping[str, int]) -> CategoryScore:
    scores = tuple(QuestionScore(q.key, question_points(q, values.get(q.key), files=files.get(q.key, 0)), q.max_score)
                   for q in category.questions)
    return CategoryScore(category.key, category.title, category.weight, sum(s.points for s in scores),
                         sum(s.possible for s in scores), scores)


def score(instrument: Instrument, values: Mapping[str, Any], files: Mapping[str, int] | None = None) -> Result:
    """Score the answers ``values`` (question key → value) with ``files`` (question key → number
    of evidence files) under ``instrument``."""
    files = files or {}
    categories = tuple(_category(category, values, files) for category in instrument.categories)
    counted = [c for c in categories if c.possible and c.weight > 0]
    weights = sum(c.weight for c in counted)
    if not weights:
        return Result(categories, None, None)
    total = round(sum(c.weight * (100 * c.points / c.possible) for c in counted) / weights, 2)
    return Result(categories, total, instrument.band(total))
