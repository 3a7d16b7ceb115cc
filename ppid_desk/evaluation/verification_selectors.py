"""Reads of the verification of the internal monev (issue 16 item 5): who may verify, which step
is open to whom on a given day (the one place the windows are read: the screens show a form only
when the service would accept it), an answer's history, and the round's overview.

The windows (the round's local dates, inclusive):

* a verifier accepts or returns a submitted answer during the **verification window**; during the
  **objection window** a verifier decides only what is waiting there: answers the unit responded
  to (accept or return again) and objections;
* the unit responds to a returned answer from the return until the end of the objection window;
* the unit objects (sanggahan) to a return or to an accepted answer during the objection window,
  once per verifier decision, with a reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..accounts.roles import EVALUATION_VERIFIER_ROLES
from ..audit.models import Event
from ..extensions import db
from ..organisation.models import Unit
from ..web.formatting import long_date
from .instrument import Question
from .models import Answer, AnswerObjection, AnswerStatus, EvaluationRound, Participant

SUBJECT = "evaluation_answer"
REVIEWED = frozenset({AnswerStatus.SUBMITTED, AnswerStatus.ACCEPTED, AnswerStatus.RETURNED, AnswerStatus.RESPONDED})


def may_verify(user: User) -> bool:
    return user.has_role(*EVALUATION_VERIFIER_ROLES)


def _day(day: date) -> str:
    return long_date(day)


def in_verification(evaluation: EvaluationRound, today: date) -> bool:
    return evaluation.verify_from <= today <= evaluation.verify_until


def in_objection(evaluation: EvaluationRound, today: date) -> bool:
    return evaluation.objection_from <= today <= evaluation.objection_until


def decision_refusal(answer: Answer, today: date) -> str | None:
    """Why a verifier may not accept or return ``answer`` today (None: it may)."""
    evaluation = answer.participant.round
    if not answer.participant.submitted or answer.status not in REVIEWED:
        return _("Unit ini belum mengirim jawaban ini; belum ada yang diverifikasi.")
    if answer.pending_objection is not None:
        return _("Unit mengajukan sanggahan atas jawaban ini: putuskan sanggahannya dulu.")
    if in_verification(evaluation, today):
        return None
    if in_objection(evaluation, today):
        if answer.status == AnswerStatus.RESPONDED:
            return None
        return _("Masa verifikasi sudah berakhir %(day)s. Di masa sanggah verifikator hanya memutus jawaban "
                 "yang sudah ditanggapi unit dan sanggahan.", day=_day(evaluation.verify_until))
    if today < evaluation.verify_from:
        return _("Verifikasi baru dibuka %(day)s.", day=_day(evaluation.verify_from))
    if today < evaluation.objection_from:
        return _("Masa verifikasi sudah berakhir %(day)s; masa sanggah dimulai %(start)s.",
                 day=_day(evaluation.verify_until), start=_day(evaluation.objection_from))
    return _("Masa verifikasi dan masa sanggah sudah berakhir %(day)s.",
             day=_day(max(evaluation.verify_until, evaluation.objection_until)))


def respond_refusal(answer: Answer, today: date) -> str | None:
    """Why the unit may not respond to ``answer`` today (None: it may)."""
    evaluation = answer.participant.round
    if answer.status not in (AnswerStatus.RETURNED, AnswerStatus.RESPONDED):
        return _("Hanya jawaban yang dikembalikan verifikator yang dapat ditanggapi.")
    if answer.pending_objection is not None:
        return _("Sanggahan unit atas jawaban ini sedang menunggu keputusan verifikator.")
    if today > evaluation.objection_until:
        return _("Tanggapan atas jawaban yang dikembalikan dapat dikirim sampai %(day)s; waktunya sudah lewat.",
                 day=_day(evaluation.objection_until))
    return None


def objection_refusal(answer: Answer, today: date) -> str | None:
    """Why the unit may not object to the treatment of ``answer`` today (None: it may)."""
    evaluation = answer.participant.round
    if not in_objection(evaluation, today):
        return _("Sanggahan dapat diajukan pada masa sanggah, %(start)s sampai %(end)s.",
                 start=_day(evaluation.objection_from), end=_day(evaluation.objection_until))
    if answer.status not in (AnswerStatus.RETURNED, AnswerStatus.ACCEPTED):
        return _("Sanggahan diajukan atas jawaban yang dikembalikan atau diterima verifikator.")
    if answer.pending_objection is not None:
        return _("Sanggahan atas jawaban ini sudah diajukan dan menunggu keputusan verifikator.")
    latest = answer.objections[-1] if answer.objections else None
    if latest is not None and answer.reviewed_at is not None and latest.filed_at >= answer.reviewed_at:
        return _("Sanggahan atas keputusan verifikator ini sudah diputus.")
    return None


def objection_decision_refusal(answer: Answer, today: date) -> str | None:
    """Why a verifier may not decide the objection on ``answer`` today (None: it may)."""
    evaluation = answer.participant.round
    if answer.pending_objection is None:
        return _("Tidak ada sanggahan yang menunggu keputusan pada jawaban ini.")
    if not in_objection(evaluation, today):
        return _("Sanggahan diputus pada masa sanggah, %(start)s sampai %(end)s.",
                 start=_day(evaluation.objection_from), end=_day(evaluation.objection_until))
    return None


def answer_get(answer_id: int) -> Answer | None:
    return db.session.get(Answer, answer_id)


def answer_history(answer: Answer) -> list[Event]:
    """The answer's verification steps, oldest first."""
    return list(db.session.scalars(select(Event).where(Event.subject_type == SUBJECT, Event.subject_id == answer.id)
                                   .order_by(Event.id)))


def histories(participant: Participant) -> dict[str, list[Event]]:
    """Every answer's history by question key (one query)."""
    keys = {answer.id: answer.question_key for answer in participant.answers}
    found: dict[str, list[Event]] = {}
    if not keys:
        return found
    for event in db.session.scalars(select(Event).where(Event.subject_type == SUBJECT, Event.subject_id.in_(keys))
                                    .order_by(Event.id)):
        found.setdefault(keys[event.subject_id], []).append(event)
    return found


@dataclass(frozen=True)
class ReviewCounts:
    """How far verification has got with one unit's submitted answers."""

    to_verify: int = 0
    accepted: int = 0
    returned: int = 0
    responded: int = 0
    objections: int = 0  # pending

    @property
    def total(self) -> int:
        return self.to_verify + self.accepted + self.returned + self.responded


def review_counts(participant: Participant) -> ReviewCounts:
    return review_counts_in(participant, None)


def review_counts_in(participant: Participant, keys: set[str] | None) -> ReviewCounts:
    """The counts over the answers to ``keys`` (None: every answer)."""
    if not participant.submitted:
        return ReviewCounts()
    answers = [a for a in participant.answers if keys is None or a.question_key in keys]
    counts = Counter(answer.status for answer in answers)
    pending = sum(1 for answer in answers for o in answer.objections if o.outcome is None)
    return ReviewCounts(to_verify=counts[AnswerStatus.SUBMITTED], accepted=counts[AnswerStatus.ACCEPTED],
                        returned=counts[AnswerStatus.RETURNED], responded=counts[AnswerStatus.RESPONDED],
                        objections=pending)


def round_participants(evaluation: EvaluationRound) -> list[Participant]:
    """The round's units with their answers and objections loaded, by unit name."""
    return list(db.session.scalars(
        select(Participant).where(Participant.round_id == evaluation.id)
        .options(selectinload(Participant.unit),
                 selectinload(Participant.answers).selectinload(Answer.objections))
        .join(Unit, Unit.id == Participant.unit_id).order_by(Unit.name, Participant.id)))


def participant_for_review(participant_id: int) -> Participant | None:
    """One unit's participation with its answers and their objections loaded (one query each)."""
    return db.session.scalar(select(Participant).where(Participant.id == participant_id)
                             .options(selectinload(Participant.answers).selectinload(Answer.objections)))


def objections_of(participant: Participant) -> list[AnswerObjection]:
    return [o for answer in participant.answers for o in answer.objections]


def value_text(question: Question, value: Any) -> str:
    """An answer's value as the unit chose it, in words (option labels, yes/no)."""
    if value is None or value == "" or value == []:
        return ""
    if question.kind == "yes_no":
        return _("Ya") if value is True else _("Tidak") if value is False else str(value)
    if question.kind in ("single_choice", "multiple_choice"):
        chosen = value if isinstance(value, list) else [value]
        names = {option.key: option.label for option in question.options}
        return "; ".join(names.get(str(key), str(key)) for key in chosen)
    if question.kind == "number":
        number = f"{value:g}".replace(".", ",") if isinstance(value, int | float) else str(value)
        return f"{number} {question.unit}".strip()
    return str(value)
