"""Internal monev rounds (evaluasi PPID Pembantu, KIP.md §5): versioned questionnaires, rounds,
the units taking part, and their answers.

The instrument is data, not code: a ``QuestionnaireVersion`` holds its categories, weights,
questions, options, scales and bands as one JSON document (``definition``, read and checked by
``definition.py``). A version is never changed once written: editing or re-importing a
questionnaire writes the next version, and a round keeps the version it was opened with.

An ``Answer`` is one unit's answer to one question (by the question's ``key`` in the round's
version). Its ``status`` and ``origin`` carry the later steps: a verifier accepts or returns it
with a comment, the unit responds (events of subject ``evaluation_answer``); a question the
desk's own data answers (``source`` in the definition) gets ``origin = "system"``. A unit's
objection (sanggahan) to a verifier's decision is an ``AnswerObjection``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db
from ..organisation.models import Unit


class Questionnaire(db.Model):
    """A questionnaire (instrumen) by its code; its content lives in its versions."""

    __tablename__ = "evaluation_questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))  # the latest version's title
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    versions: Mapped[list[QuestionnaireVersion]] = relationship(
        back_populates="questionnaire", order_by="QuestionnaireVersion.number")

    @property
    def latest(self) -> QuestionnaireVersion:
        return self.versions[-1]


class QuestionnaireVersion(db.Model):
    """One frozen version of a questionnaire: never updated after it is written."""

    __tablename__ = "evaluation_questionnaire_version"
    __table_args__ = (UniqueConstraint("questionnaire_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("evaluation_questionnaire.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, … per questionnaire
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(300), default="")  # why this version (import, edit, load)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()


class RoundScope(StrEnum):
    ALL = "all"  # every active unit below PPID Utama
    SUBTREE = "subtree"  # a unit and every active unit under it
    LIST = "list"  # the units chosen


class EvaluationRound(db.Model):
    """A monev round run by PPID Utama: a year, a frozen questionnaire version, the units taking
    part (``Participant`` rows, resolved from the scope when the round is made) and its windows.

    Dates are the body's local dates, each window inclusive: the units fill in from ``opens_on``
    to ``closes_on``; verification runs ``verify_from``–``verify_until``; the units may object
    ``objection_from``–``objection_until``."""

    __tablename__ = "evaluation_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(300))
    version_id: Mapped[int] = mapped_column(ForeignKey("evaluation_questionnaire_version.id"), index=True)
    scope: Mapped[str] = mapped_column(String(16), default=RoundScope.ALL)
    scope_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # for a subtree
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    verify_from: Mapped[date] = mapped_column(Date)
    verify_until: Mapped[date] = mapped_column(Date)
    objection_from: Mapped[date] = mapped_column(Date)
    objection_until: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # PPID Utama published the results (the public page lists the units' bands); None: not public.
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    results_published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    version: Mapped[QuestionnaireVersion] = relationship()
    scope_unit: Mapped[Unit | None] = relationship()
    participants: Mapped[list[Participant]] = relationship(back_populates="round", order_by="Participant.id")
    results_published_by: Mapped[User | None] = relationship(foreign_keys=[results_published_by_id])

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None


class Participant(db.Model):
    """A unit taking part in a round: its submission. "Late" is derived when read (not submitted
    and past ``closes_on``), never stored."""

    __tablename__ = "evaluation_participant"
    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("evaluation_round.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The closing date the sweep reminded this unit of (once per closing date).
    reminded_for: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    round: Mapped[EvaluationRound] = relationship(back_populates="participants")
    unit: Mapped[Unit] = relationship()
    submitted_by: Mapped[User | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="participant", order_by="Answer.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    def late(self, today: date) -> bool:
        return self.submitted_at is None and today > self.round.closes_on


class AnswerStatus(StrEnum):
    DRAFT = "draft"  # saved by the unit, not submitted
    SUBMITTED = "submitted"  # sent with the unit's submission
    ACCEPTED = "accepted"  # a verifier accepted it (later step)
    RETURNED = "returned"  # a verifier returned it with a comment (later step)
    RESPONDED = "responded"  # the unit answered the return (later step)


class AnswerOrigin(StrEnum):
    UNIT = "unit"
    SYSTEM = "system"  # answered from the desk's own data (the question's ``source``)


class Answer(db.Model):
    """One unit's answer to one question of its round's version (by the question's key).

    ``value`` by kind: yes/no → true/false; single choice → the option's key; several choices →
    a list of option keys; number → a number; free text → a string; evidence → null (the files
    are ``Attachment`` rows with ``evaluation_answer_id``). ``note`` is the unit's explanation."""

    __tablename__ = "evaluation_answer"
    __table_args__ = (UniqueConstraint("participant_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("evaluation_participant.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=AnswerStatus.DRAFT)
    origin: Mapped[str] = mapped_column(String(16), default=AnswerOrigin.UNIT)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Verification (``verification_services``): the verifier's latest decision and, when it
    # returned the answer, its comment; the unit's latest response. Earlier ones are in the events.
    review_comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    response: Mapped[str] = mapped_column(Text, default="", server_default="")
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    participant: Mapped[Participant] = relationship(back_populates="answers")
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    objections: Mapped[list[AnswerObjection]] = relationship(back_populates="answer", order_by="AnswerObjection.id")

    @property
    def pending_objection(self) -> AnswerObjection | None:
        return next((o for o in self.objections if o.outcome is None), None)


class ObjectionOutcome(StrEnum):
    UPHELD = "upheld"  # the unit is right: a return is withdrawn, or an accepted answer reopened
    NOT_UPHELD = "not_upheld"


class AnswerObjection(db.Model):
    """A unit's objection (sanggahan) to the verifier's treatment of one answer, filed in the
    round's objection window with a reason, and the verifier's decision with its reason.

    ``against`` is the answer's status when it was filed: ``returned`` (the return is wrong: upheld,
    the answer is accepted) or ``accepted`` (the unit asks to correct it: upheld, the answer is
    returned to the unit with the decision's reason as the comment)."""

    __tablename__ = "evaluation_objection"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("evaluation_answer.id"), index=True)
    against: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    outcome: Mapped[str | None] = mapped_column(String(16))  # None while pending
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    answer: Mapped[Answer] = relationship(back_populates="objections")
