"""Reads of the internal monev: questionnaires, rounds, a unit's answers and files, progress and
results (scores are computed when read, from the submitted answers, by ``scoring``).

Two scores of a unit that submitted:

* the **verified score** (``participant_result``, "nilai verifikasi"): an answer earns its points
  while it is ``submitted`` (not looked at yet) or ``accepted``; an answer a verifier returned
  earns nothing — ``returned``, and ``responded`` until a verifier accepts it again — and neither
  do its evidence files;
* the **self-assessed score** (``participant_self_result``, "nilai mandiri"): every submitted
  answer as the unit gave it (its current value and files), whatever the verifier decided.

Before verification the two are equal; a pending objection (sanggahan) changes neither until it
is decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.models import Role, User
from ..attachments.models import Attachment, AttachmentPurpose
from ..audit.models import Event
from ..extensions import db
from ..organisation.models import Unit, UnitKind
from ..web.formatting import decimal
from .definition import instrument_from_dict
from .instrument import Instrument
from .models import (
    Answer,
    AnswerStatus,
    EvaluationRound,
    Participant,
    Questionnaire,
    QuestionnaireVersion,
)
from .scoring import Result, score
from .sources import SOURCES
from .system_answers import EVENT_KIND, reason_text


def questionnaires() -> list[Questionnaire]:
    return list(db.session.scalars(select(Questionnaire).options(selectinload(Questionnaire.versions))
                                   .order_by(Questionnaire.title, Questionnaire.id)))


def questionnaire_get(questionnaire_id: int) -> Questionnaire | None:
    return db.session.get(Questionnaire, questionnaire_id)


def version_get(version_id: int) -> QuestionnaireVersion | None:
    return db.session.get(QuestionnaireVersion, version_id)


def latest_versions() -> list[QuestionnaireVersion]:
    """The latest version of every questionnaire: what a new round may be opened with."""
    return [questionnaire.latest for questionnaire in questionnaires() if questionnaire.versions]


def instrument(version: QuestionnaireVersion) -> Instrument:
    return instrument_from_dict(version.definition)


def rounds() -> list[EvaluationRound]:
    return list(db.session.scalars(select(EvaluationRound).order_by(EvaluationRound.year.desc(),
                                                                    EvaluationRound.id.desc())))


def round_get(round_id: int) -> EvaluationRound | None:
    return db.session.get(EvaluationRound, round_id)


def participant_get(participant_id: int) -> Participant | None:
    return db.session.get(Participant, participant_id)


def participations_of(user: User) -> list[Participant]:
    """The rounds the user's unit takes part in, the newest first."""
    if user.unit_id is None:
        return []
    return list(db.session.scalars(
        select(Participant).join(EvaluationRound).where(Participant.unit_id == user.unit_id)
        .order_by(EvaluationRound.year.desc(), EvaluationRound.id.desc())))


def may_view_participant(user: User, participant: Participant) -> bool:
    """PPID Utama reads every unit's answers; a PPID Pembantu officer only its own unit's."""
    if user.has_role(Role.PPID_UTAMA):
        return True
    return user.has_role(Role.PEMBANTU) and user.unit_id is not None and user.unit_id == participant.unit_id


def units_for_scope() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.active.is_(True), Unit.kind != UnitKind.UTAMA.value)
                                   .order_by(Unit.name, Unit.id)))


def files_by_question(participant: Participant) -> dict[str, list[Attachment]]:
    answers = {answer.id: answer.question_key for answer in participant.answers}
    if not answers:
        return {}
    found: dict[str, list[Attachment]] = {}
    for attachment in db.session.scalars(select(Attachment).where(Attachment.evaluation_answer_id.in_(answers))
                                         .order_by(Attachment.id)):
        found.setdefault(answers[attachment.evaluation_answer_id], []).append(attachment)
    return found


def evidence_get(attachment_id: int) -> tuple[Attachment, Participant] | None:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.evaluation_answer_id is None:
        return None
    answer = db.session.get(Answer, attachment.evaluation_answer_id)
    return attachment, answer.participant


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.answered / self.total)


def is_answered(question, answer: Answer | None, files: int) -> bool:
    if question.kind == "evidence":
        return files > 0
    return answer is not None and answer.value not in (None, "", [])


def progress(instrument: Instrument, participant: Participant,
             files: dict[str, list[Attachment]] | None = None, *, category: str | None = None) -> Progress:
    """Questions the unit has answered, of those it answers (system-answered ones excluded)."""
    files = files if files is not None else files_by_question(participant)
    answers = {answer.question_key: answer for answer in participant.answers}
    questions = [q for c in instrument.categories if category in (None, c.key) for q in c.questions
                 if not q.system_answered]
    answered = sum(is_answered(q, answers.get(q.key), len(files.get(q.key, []))) for q in questions)
    return Progress(answered, len(questions))


SCORED_STATUSES = frozenset({AnswerStatus.SUBMITTED, AnswerStatus.ACCEPTED})
SELF_ASSESSED_STATUSES = frozenset({AnswerStatus.SUBMITTED, AnswerStatus.ACCEPTED, AnswerStatus.RETURNED,
                                    AnswerStatus.RESPONDED})


def _result_of(instrument: Instrument, participant: Participant, files: dict[str, list[Attachment]] | None,
               statuses: frozenset[str]) -> Result | None:
    if not participant.submitted:
        return None
    files = files if files is not None else files_by_question(participant)
    counted = {a.question_key: a for a in participant.answers if a.status in statuses}
    values: dict[str, Any] = {key: answer.value for key, answer in counted.items()}
    counts = {key: len(found) for key, found in files.items() if key in counted}
    return score(instrument, values, counts)


def participant_result(instrument: Instrument, participant: Participant,
                       files: dict[str, list[Attachment]] | None = None) -> Result | None:
    """The unit's verified score ("nilai verifikasi"; None before it submitted): answers submitted
    and not looked at yet, or accepted; a returned answer earns nothing until it is accepted again
    (see the module's docstring)."""
    return _result_of(instrument, participant, files, SCORED_STATUSES)


def participant_self_result(instrument: Instrument, participant: Participant,
                            files: dict[str, list[Attachment]] | None = None) -> Result | None:
    """The unit's self-assessed score ("nilai mandiri"; None before it submitted): every submitted
    answer as given, whatever the verifier decided."""
    return _result_of(instrument, participant, files, SELF_ASSESSED_STATUSES)


@dataclass(frozen=True)
class ResultRow:
    participant: Participant
    progress: Progress
    late: bool
    result: Result | None  # the verified score
    self_result: Result | None = None  # the self-assessed score


def round_results(evaluation: EvaluationRound, today: date) -> list[ResultRow]:
    """Every participating unit with its progress, lateness and scores; the best total first,
    then units without a total by name."""
    spec = instrument(evaluation.version)
    participants = list(db.session.scalars(
        select(Participant).where(Participant.round_id == evaluation.id)
        .options(selectinload(Participant.answers), selectinload(Participant.unit))))
    rows = []
    for participant in participants:
        files = files_by_question(participant)
        rows.append(ResultRow(participant, progress(spec, participant, files), participant.late(today),
                              participant_result(spec, participant, files),
                              participant_self_result(spec, participant, files)))
    return sorted(rows, key=lambda row: (row.result is None or row.result.total is None,
                                         -(row.result.total or 0) if row.result else 0, row.participant.unit.name))


def round_phase(evaluation: EvaluationRound, today: date) -> str:
    """Where the round stands today (derived from its dates, never stored)."""
    if today < evaluation.opens_on:
        return "scheduled"
    if today <= evaluation.closes_on:
        return "filling"
    if today < evaluation.verify_from:
        return "closed"
    if today <= evaluation.verify_until:
        return "verification"
    if evaluation.objection_from <= today <= evaluation.objection_until:
        return "objection"
    if today < evaluation.objection_from:
        return "closed"
    return "finished"


def participants_to_remind(today: date, days: int) -> list[int]:
    """Units of open rounds closing within ``days`` days that have not submitted and were not
    reminded of this closing date yet."""
    from datetime import timedelta

    return list(db.session.scalars(
        select(Participant.id).join(EvaluationRound)
        .where(Participant.submitted_at.is_(None), EvaluationRound.opens_on <= today,
               EvaluationRound.closes_on >= today, EvaluationRound.closes_on <= today + timedelta(days=days),
               (Participant.reminded_for.is_(None)) | (Participant.reminded_for != EvaluationRound.closes_on))
        .order_by(Participant.id)))


# --- the system's answers -------------------------------------------------------------------------

@dataclass(frozen=True)
class SystemAnswer:
    """How the system answered one question, for the fill page: the source's label, the figure
    as text (None when the source could not answer), why not, and the generated PDFs."""

    source: str
    label: str
    figure: str | None
    reason: str
    files: list[Attachment]


@dataclass(frozen=True)
class SystemAnswers:
    at: datetime  # "as of": when the figures were computed (UTC)
    trigger: str  # round_created | refresh | submission
    answers: dict[str, SystemAnswer]


def _figure(question, entry: dict) -> str | None:
    value, number, params = entry.get("value"), entry.get("number"), entry.get("params") or {}
    rows = _("%(n)d baris register", n=params["rows"]) if params.get("rows") else ""
    if question.kind == "evidence":
        return rows or None
    if value is None:
        return None
    if question.kind == "yes_no":
        text = _("Ya") if value else _("Tidak")
        return f"{text} ({rows})" if rows else (f"{text} ({decimal(number, 2)})" if number is not None else text)
    unit = SOURCES[entry["source"]].unit if entry.get("source") in SOURCES else ""
    return f"{decimal(value, 2)} {unit}".strip()


def system_answers(participant: Participant, instrument: Instrument,
                   files: dict[str, list[Attachment]] | None = None) -> SystemAnswers | None:
    """The latest system answers of the unit (from their event), or None before any."""
    event = db.session.scalar(select(Event).where(
        Event.subject_type == "evaluation_participant", Event.subject_id == participant.id,
        Event.kind == EVENT_KIND).order_by(Event.id.desc()).limit(1))
    if event is None:
        return None
    files = files if files is not None else files_by_question(participant)
    answers = {}
    for key, entry in (event.data.get("answers") or {}).items():
        question = instrument.question(key)
        if question is None:
            continue
        spec = SOURCES.get(entry.get("source"))
        reason = entry.get("reason") or ""
        answers[key] = SystemAnswer(
            source=entry.get("source", ""), label=str(spec.label) if spec else entry.get("source", ""),
            figure=_figure(question, entry), reason=reason_text(reason, entry.get("params") or {}) if reason else "",
            files=[a for a in files.get(key, []) if a.purpose == AttachmentPurpose.EVALUATION_SYSTEM])
    return SystemAnswers(event.at, event.data.get("trigger", ""), answers)
