"""A questionnaire version as plain, frozen data (no Flask, no database): what ``definition``
reads from JSON or XLSX and what ``scoring`` scores. Kinds of question:

* ``yes_no`` — yes earns the question's ``score``, no earns 0;
* ``single_choice`` — the chosen option's score (the question's maximum is its best option);
* ``multiple_choice`` — the ticked options' scores added up, capped at the question's ``score``;
* ``number`` — the first band of the scale holding the number (``min`` ≤ n ≤ ``max``, either end
  open); a number outside every band earns 0;
* ``text`` — free text, never scored: it explains, the verifier reads it;
* ``evidence`` — an upload question: the ``score`` when at least one file is attached.

Any question may also take evidence files (``evidence``: ``"optional"`` or ``"required"``); a
question whose evidence is required earns its points only with at least one file attached.
``source`` names a metric of the desk's own data that answers the question (issue 16 item 4,
``sources``); such a question is answered by the system, not typed by the unit, which may add a
note and evidence files to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("yes_no", "single_choice", "multiple_choice", "number", "text", "evidence")
SCORED_KINDS = frozenset(KINDS) - {"text"}
EVIDENCE_MODES = ("", "optional", "required")

# The KI's qualifications (Perki 1/2022, KIP.md §5): a version may give its own.
DEFAULT_BANDS: tuple[tuple[str, float], ...] = (
    ("Informatif", 90.0), ("Menuju Informatif", 80.0), ("Cukup Informatif", 60.0),
    ("Kurang Informatif", 40.0), ("Tidak Informatif", 0.0))


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    score: float


@dataclass(frozen=True)
class ScaleBand:
    low: float | None  # None: open below
    high: float | None  # None: open above
    score: float

    def holds(self, number: float) -> bool:
        return (self.low is None or number >= self.low) and (self.high is None or number <= self.high)


@dataclass(frozen=True)
class Question:
    key: str
    kind: str
    text: str
    score: float = 0.0  # yes/no, several choices (the cap), evidence: the points; others derive it
    options: tuple[Option, ...] = ()
    scale: tuple[ScaleBand, ...] = ()
    evidence: str = ""  # "", "optional", "required"
    source: str = ""  # a metric of the desk's own data that answers it (system-answered)
    help: str = ""
    unit: str = ""  # what a number counts ("hari", "orang")

    @property
    def max_score(self) -> float:
        if self.kind == "single_choice":
            return max((option.score for option in self.options), default=0.0)
        if self.kind == "number":
            return max((band.score for band in self.scale), default=0.0)
        if self.kind == "text":
            return 0.0
        return self.score

    @property
    def takes_files(self) -> bool:
        """Evidence may be attached: an upload question, one asking for evidence, and one the
        system answers (its PDF, and whatever the unit adds to it)."""
        return self.kind == "evidence" or self.evidence in ("optional", "required") or self.system_answered

    @property
    def system_answered(self) -> bool:
        return bool(self.source)


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    weight: float
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Band:
    label: str
    low: float  # the lowest total in the band


@dataclass(frozen=True)
class Instrument:
    code: str
    title: str
    description: str
    categories: tuple[Category, ...]
    bands: tuple[Band, ...] = field(default=tuple(Band(label, low) for label, low in DEFAULT_BANDS))

    def questions(self) -> list[Question]:
        return [question for category in self.categories for question in category.questions]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions() if q.key == key), None)

    def category(self, key: str) -> Category | None:
        return next((c for c in self.categories if c.key == key), None)

    def band(self, total: float | None) -> str | None:
        """The band of a total: the first (highest) whose lower bound it reaches."""
        if total is None:
            return None
        ordered = sorted(self.bands, key=lambda band: band.low, reverse=True)
        return next((band.label for band in ordered if total >= band.low), ordered[-1].label if ordered else None)
