"""Writing the system's answers (issue 16 item 4): every question of a unit's questionnaire that
names a ``source`` is answered from the desk's own data (``system_answers``) with
``origin = "system"``, and its evidence PDF is stored as an ``Attachment`` of purpose
``evaluation_system`` on the answer ("Bukti sistem – PL01 ketepatan waktu 2026.pdf"): the
unit's figures PDF (a section per source, drawn once per write) or, for the register, the
masked register itself.

Called when a round is opened, when the unit asks for fresh figures while filling in, and at the
unit's submission (the figures sent are those of that moment; after it nothing changes them). A
refresh replaces the system's own PDFs of each answer; the unit's note and the files the unit
uploaded are never touched. Each write is one event (``system_answers``) holding, per question,
the source, the value and why a source could not answer: the fill page reads the "as of" time and
the reasons from it. Flush, never commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..accounts.models import User
from ..attachments.models import Attachment, AttachmentPurpose
from ..attachments.services import attachment_delete, attachment_store
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..extensions import db
from .definition import instrument_from_dict
from .models import Answer, AnswerOrigin, Participant
from .system_answers import EVENT_KIND, Computed, Scope, compute, figures_document, file_name


def system_answers_write(*, actor: User | None, participant: Participant, today: date, trigger: str) -> int:
    """Compute and store the answers of every system-answered question of ``participant`` as of
    ``today`` (``trigger``: ``round_created``, ``refresh`` or ``submission``, recorded in the
    event). Returns how many questions the system answers (0: none, and nothing is written)."""
    instrument = instrument_from_dict(participant.round.version.definition)
    questions = [question for question in instrument.questions() if question.system_answered]
    if not questions:
        return 0
    scope = Scope(unit=participant.unit, year=participant.round.year, today=today)
    results: dict[str, Computed] = {}
    for question in questions:
        if question.source not in results:
            results[question.source] = compute(question.source, scope)
    sections = [result.section for result in results.values() if result.section is not None]
    figures = figures_document(scope, sections) if sections else None
    existing = {answer.question_key: answer for answer in participant.answers}
    now = utcnow()
    record: dict[str, dict] = {}
    for question in questions:
        result = results[question.source]
        answer = existing.get(question.key)
        if answer is None:
            answer = Answer(participant=participant, question_key=question.key, note="")
            db.session.add(answer)
        answer.origin, answer.value = AnswerOrigin.SYSTEM, result.value_for(question)
        answer.updated_at, answer.updated_by_id = now, None  # the system's, whoever asked for it
        db.session.flush()
        for old in db.session.scalars(select(Attachment).where(
                Attachment.evaluation_answer_id == answer.id,
                Attachment.purpose == AttachmentPurpose.EVALUATION_SYSTEM)):
            attachment_delete(old)
        files = []
        pdfs = result.files or ((figures,) if result.section is not None else ())
        for index, data in enumerate(pdfs, start=1):
            stored = attachment_store(purpose=AttachmentPurpose.EVALUATION_SYSTEM, data=data,
                                      name=file_name(question, scope.year, index, len(pdfs)),
                                      content_type="application/pdf")
            stored.evaluation_answer_id = answer.id
            files.append(stored.id)
        record[question.key] = {"source": question.source, "value": answer.value, "number": result.number,
                                "reason": result.reason, "params": result.params, "files": files}
    db.session.flush()
    event_log(actor=actor, subject_type="evaluation_participant", subject_id=participant.id, kind=EVENT_KIND,
              data={"trigger": trigger, "as_of": today.isoformat(), "year": scope.year, "answers": record})
    return len(questions)
