"""Writes of the verification of the internal monev (issue 16 item 5; flush, never commit; the
actor is an argument): a verifier accepts an answer or returns it with a comment, the unit
responds to a return (a new value, note or evidence, and a written response), the unit objects
(sanggahan) to a return or to an accepted answer, and a verifier decides the objection.

Every step is an event of subject ``evaluation_answer`` (kinds ``answer_accepted``,
``answer_returned``, ``answer_responded``, ``objection_filed``, ``objection_decided``) with the
status before and after and the text written, and bumps the participant's version, so that two
people acting on one unit's questionnaire at once cannot overwrite each other unseen
(``StaleParticipant``). The windows are read in ``verification_selectors``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified
from werkzeug.datastructures import FileStorage

from ..accounts.models import User
from ..attachments.models import Attachment, AttachmentPurpose, Visibility
from ..attachments.services import attachment_delete, attachment_stage
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import DomainError, FieldError, ValidationFailed
from ..extensions import db
from .instrument import Question
from .models import Answer, AnswerObjection, AnswerOrigin, AnswerStatus, ObjectionOutcome
from .services import NotAllowed, instrument_of, may_fill, parse_value
from .verification_selectors import (
    SUBJECT,
    decision_refusal,
    may_verify,
    objection_decision_refusal,
    objection_refusal,
    respond_refusal,
)

TEXT_MAX = 4000


class ReviewClosed(DomainError):
    """The step is not open today (outside its window, or not in the state it needs)."""


class StaleParticipant(DomainError):
    """The unit's questionnaire changed since the page was loaded."""


def _check(actor_ok: bool, refusal: str | None, answer: Answer, expected_version: int | None) -> None:
    if not actor_ok:
        raise NotAllowed(_("Anda tidak berwenang untuk langkah ini."))
    if expected_version is not None and answer.participant.version != expected_version:
        raise StaleParticipant(_("Kuesioner unit ini baru saja diubah orang lain. Periksa keadaannya sekarang, "
                                 "lalu ulangi."))
    if refusal:
        raise ReviewClosed(refusal)


def _text(value: str | None, field: str, *, required: str | None, problems: dict[str, str]) -> str:
    text = (value or "").strip()
    if required and not text:
        problems[field] = required
    elif len(text) > TEXT_MAX:
        problems[field] = _("Paling banyak %(max)d karakter.", max=TEXT_MAX)
    return text


def _log(actor: User, answer: Answer, kind: str, before: str, data: dict[str, Any]) -> None:
    """The step's event, and the participant's version bumped (optimistic locking)."""
    flag_modified(answer.participant, "submitted_at")
    db.session.flush()
    event_log(actor=actor, subject_type=SUBJECT, subject_id=answer.id, kind=kind,
              data={"question": answer.question_key, "participant_id": answer.participant_id,
                    "before": {"status": before}, "after": {"status": answer.status}, **data})


# --- the verifier -------------------------------------------------------------------------------

def answer_accept(*, actor: User, answer: Answer, today: date, expected_version: int | None = None) -> bool:
    """Accept ``answer``: it earns its points. False when it was already accepted (nothing done)."""
    _check(may_verify(actor), decision_refusal(answer, today), answer, expected_version)
    if answer.status == AnswerStatus.ACCEPTED:
        return False
    before = answer.status
    answer.status, answer.review_comment = AnswerStatus.ACCEPTED, ""
    answer.reviewed_at, answer.reviewed_by_id = utcnow(), actor.id
    _log(actor, answer, "answer_accepted", before, {})
    return True


def answer_return(*, actor: User, answer: Answer, comment: str | None, today: date,
                  expected_version: int | None = None) -> None:
    """Return ``answer`` to the unit with a comment (required): it earns nothing until accepted
    again. Raises ``ValidationFailed`` (``comment``), ``ReviewClosed``, ``NotAllowed``."""
    _check(may_verify(actor), decision_refusal(answer, today), answer, expected_version)
    problems: dict[str, str] = {}
    text = _text(comment, "comment", required=_("Tulis apa yang perlu diperbaiki unit: komentar wajib diisi bila "
                                                 "jawaban dikembalikan."), problems=problems)
    if problems:
        raise ValidationFailed(problems)
    before = answer.status
    answer.status, answer.review_comment = AnswerStatus.RETURNED, text
    answer.reviewed_at, answer.reviewed_by_id = utcnow(), actor.id
    _log(actor, answer, "answer_returned", before, {"comment": text})


def objection_decide(*, actor: User, answer: Answer, outcome: str | None, reason: str | None, today: date,
                     expected_version: int | None = None) -> AnswerObjection:
    """Decide the unit's pending objection on ``answer`` with a reason. Upheld against a return:
    the answer is accepted; upheld against an accepted answer: it is returned to the unit (the
    reason is the comment) so that the unit can correct it. Not upheld: nothing changes."""
    _check(may_verify(actor), objection_decision_refusal(answer, today), answer, expected_version)
    problems: dict[str, str] = {}
    if outcome not in (ObjectionOutcome.UPHELD, ObjectionOutcome.NOT_UPHELD):
        problems["outcome"] = _("Pilih: sanggahan diterima atau ditolak.")
    text = _text(reason, "reason", required=_("Tulis alasan keputusan atas sanggahan."), problems=problems)
    if problems:
        raise ValidationFailed(problems)
    objection = answer.pending_objection
    assert objection is not None  # objection_decision_refusal checked it
    now = utcnow()
    objection.outcome, objection.decision_reason = outcome, text
    objection.decided_at, objection.decided_by_id = now, actor.id
    before = answer.status
    if outcome == ObjectionOutcome.UPHELD:
        if objection.against == AnswerStatus.ACCEPTED:
            answer.status, answer.review_comment = AnswerStatus.RETURNED, text
        else:
            answer.status, answer.review_comment = AnswerStatus.ACCEPTED, ""
        answer.reviewed_at, answer.reviewed_by_id = now, actor.id
    _log(actor, answer, "objection_decided", before, {"objection_id": objection.id, "outcome": outcome,
                                                      "reason": text})
    return objection


# --- the unit -----------------------------------------------------------------------------------

def answer_object(*, actor: User, answer: Answer, reason: str | None, today: date,
                  expected_version: int | None = None) -> AnswerObjection:
    """The unit objects (sanggahan) to the verifier's return or acceptance of ``answer``."""
    _check(may_fill(actor, answer.participant), objection_refusal(answer, today), answer, expected_version)
    problems: dict[str, str] = {}
    text = _text(reason, "reason", required=_("Tulis alasan sanggahan."), problems=problems)
    if problems:
        raise ValidationFailed(problems)
    objection = AnswerObjection(answer=answer, against=answer.status, reason=text, filed_at=utcnow(),
                                filed_by_id=actor.id, decision_reason="")
    db.session.add(objection)
    db.session.flush()
    _log(actor, answer, "objection_filed", answer.status, {"objection_id": objection.id, "against": objection.against,
                                                           "reason": text})
    return objection


def _store(answer: Answer, question: Question, storage: FileStorage) -> Attachment:
    """One evidence file for ``answer``, checked like the filling page's (PDF/JPEG/PNG, at most
    ``EVIDENCE_MAX_BYTES``) and stored encrypted like every document."""
    if not question.takes_files:
        raise FieldError("file", _("Pertanyaan ini tidak menerima bukti dukung."))
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    if len(storage.stream.read(limit + 1)) > limit:
        raise FieldError("file", _("Berkas lebih dari %(size)s. Perkecil atau pindai ulang dengan resolusi lebih "
                                   "rendah.", size=f"{limit / (1024 * 1024):g} MB"))
    storage.stream.seek(0)
    attachment = attachment_stage(field="file", purpose=AttachmentPurpose.EVALUATION_EVIDENCE, storage=storage)
    attachment.evaluation_answer_id, attachment.staged_token = answer.id, None
    attachment.visibility = Visibility.PRIVATE
    return attachment


def answer_respond(*, actor: User, answer: Answer, raw: list[str] | None, note: str | None, response: str | None,
                   today: date, storage: FileStorage | None = None, remove: tuple[int, ...] = (),
                   expected_version: int | None = None) -> None:
    """The unit responds to a returned answer: a written response (required) and, if it wants, a
    new value (``raw``: the form's strings; None leaves the value), note, evidence file and files
    removed. A system-answered value stays as the system gave it. The answer waits for a verifier
    again (``responded``). Nothing is half-written: every field is checked first.
    Raises ``ValidationFailed`` (``value``, ``note``, ``response``, ``file``), ``ReviewClosed``,
    ``NotAllowed``, ``StaleParticipant``."""
    _check(may_fill(actor, answer.participant), respond_refusal(answer, today), answer, expected_version)
    question = instrument_of(answer.participant).question(answer.question_key)
    if question is None:
        raise ReviewClosed(_("Pertanyaan ini tidak ada lagi di kuesioner putaran ini."))
    problems: dict[str, str] = {}
    system = answer.origin == AnswerOrigin.SYSTEM or question.system_answered
    value = answer.value
    if raw is not None and not system and question.kind != "evidence":
        try:
            value = parse_value(question, raw)
        except ValueError as error:
            problems["value"] = str(error)
    text = _text(response, "response", required=_("Tulis tanggapan Anda atas komentar verifikator."),
                 problems=problems)
    new_note = _text(note, "note", required=None, problems=problems) if note is not None else answer.note
    files = {a.id: a for a in db.session.scalars(select(Attachment).where(Attachment.evaluation_answer_id == answer.id))}
    removed = [files[i] for i in dict.fromkeys(remove) if i in files]
    if problems:
        raise ValidationFailed(problems)
    added = None
    if storage is not None and storage.filename:
        try:
            added = _store(answer, question, storage)
        except FieldError as error:
            raise ValidationFailed({"file": error.message}) from error
    changed = []
    if value != answer.value:
        changed.append("value")
    if new_note != answer.note:
        changed.append("note")
    data: dict[str, Any] = {"response": text, "changed": changed}
    if "value" in changed:
        data["value"] = {"before": answer.value, "after": value}
    if added is not None:
        data["added"] = [{"attachment_id": added.id, "name": added.original_name}]
    if removed:
        data["removed"] = [{"attachment_id": a.id, "name": a.original_name} for a in removed]
        for attachment in removed:
            attachment_delete(attachment)
    now = utcnow()
    before = answer.status
    answer.value, answer.note = value, new_note
    answer.status, answer.response = AnswerStatus.RESPONDED, text
    answer.responded_at, answer.responded_by_id = now, actor.id
    answer.updated_at, answer.updated_by_id = now, actor.id
    _log(actor, answer, "answer_responded", before, data)
