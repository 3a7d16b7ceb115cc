"""Writes of the internal monev (flush, never commit; the actor is an argument): questionnaire
versions, rounds, a unit's answers, evidence files and the submission. Events go to the audit
log: ``evaluation_questionnaire`` (versions), ``evaluation_round`` (made) and
``evaluation_participant`` (submitted, refused as late, evidence added/removed)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..accounts.models import Role, User
from ..attachments.models import Attachment, AttachmentPurpose, Visibility
from ..attachments.services import attachment_delete, attachment_stage
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import DomainError, FieldError, ValidationFailed
from ..extensions import db
from ..organisation.models import Unit, UnitKind
from ..organisation.unit_selectors import unit_subtree_ids
from ..workcalendar.selectors import body_today
from .definition import DefinitionError, instrument_from_dict, instrument_to_dict
from .instrument import Instrument, Question
from .models import (
    Answer,
    AnswerOrigin,
    AnswerStatus,
    EvaluationRound,
    Participant,
    Questionnaire,
    QuestionnaireVersion,
    RoundScope,
)
from .system_services import system_answers_write

DATA = Path(__file__).resolve().parent / "data"
READY_MADE = ("saq_ki", "monev_internal")  # the files shipped in data/


class NotAllowed(DomainError):
    """The actor may not do this (a view answers 403/404)."""


class RoundClosed(DomainError):
    """The round is not open for filling in (before its opening or after its closing date)."""


# --- questionnaires -----------------------------------------------------------------------------

def ready_made(name: str) -> dict[str, Any]:
    """The document of a ready-made questionnaire shipped in ``data/``."""
    if name not in READY_MADE:
        raise KeyError(name)
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def questionnaire_save(*, actor: User | None, document: Any, note: str) -> QuestionnaireVersion:
    """Check ``document`` and store it as the next version of the questionnaire with its code (a
    new questionnaire for a new code). An unchanged document makes no version. Raises
    ``DefinitionError``."""
    instrument = instrument_from_dict(document)
    definition = instrument_to_dict(instrument)
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.code == instrument.code))
    if questionnaire is None:
        questionnaire = Questionnaire(code=instrument.code, title=instrument.title)
        db.session.add(questionnaire)
        db.session.flush()
    elif questionnaire.versions and questionnaire.latest.definition == definition:
        return questionnaire.latest
    number = (questionnaire.latest.number + 1) if questionnaire.versions else 1
    version = QuestionnaireVersion(questionnaire=questionnaire, number=number, definition=definition,
                                   note=note[:300], created_by_id=actor.id if actor else None)
    questionnaire.title = instrument.title
    db.session.add(version)
    db.session.flush()
    event_log(actor=actor, subject_type="evaluation_questionnaire", subject_id=questionnaire.id,
              kind="questionnaire_version", data={"number": number, "note": note[:300],
                                                  "questions": len(instrument.questions())})
    return version


def questionnaire_edit(*, actor: User, questionnaire: Questionnaire, document: Any, note: str) -> QuestionnaireVersion:
    """An edit of ``questionnaire``: the document must keep its code (a new code is a new
    questionnaire: import it instead)."""
    if isinstance(document, dict) and document.get("code") != questionnaire.code:
        raise DefinitionError([_("Kode kuesioner harus tetap \"%(code)s\". Untuk kuesioner baru, gunakan impor.",
                                 code=questionnaire.code)])
    return questionnaire_save(actor=actor, document=document, note=note)


# --- rounds -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RoundDraft:
    year: int
    title: str
    version_id: int
    scope: str
    scope_unit_id: int | None
    unit_ids: tuple[int, ...]
    opens_on: date
    closes_on: date
    verify_from: date
    verify_until: date
    objection_from: date
    objection_until: date


def round_units(scope: str, scope_unit_id: int | None, unit_ids: tuple[int, ...]) -> list[Unit]:
    """The active units a scope covers; PPID Utama's own unit never fills in its own monev."""
    statement = select(Unit).where(Unit.active.is_(True), Unit.kind != UnitKind.UTAMA.value)
    if scope == RoundScope.SUBTREE:
        statement = statement.where(Unit.id.in_(unit_subtree_ids(scope_unit_id) if scope_unit_id else []))
    elif scope == RoundScope.LIST:
        statement = statement.where(Unit.id.in_(unit_ids))
    return list(db.session.scalars(statement.order_by(Unit.name, Unit.id)))


def round_problems(draft: RoundDraft) -> dict[str, str]:
    problems: dict[str, str] = {}
    if db.session.get(QuestionnaireVersion, draft.version_id) is None:
        problems["version_id"] = _("Pilih kuesioner.")
    if draft.scope == RoundScope.SUBTREE and not draft.scope_unit_id:
        problems["scope_unit_id"] = _("Pilih unit induk.")
    elif draft.scope == RoundScope.LIST and not draft.unit_ids:
        problems["unit_ids"] = _("Pilih paling sedikit satu unit.")
    elif not problems and not round_units(draft.scope, draft.scope_unit_id, draft.unit_ids):
        field = {RoundScope.SUBTREE: "scope_unit_id", RoundScope.LIST: "unit_ids"}.get(draft.scope, "scope")
        problems[field] = _("Tidak ada unit aktif (selain PPID Utama) yang ikut dengan pilihan ini.")
    if draft.closes_on < draft.opens_on:
        problems["closes_on"] = _("Tanggal penutupan tidak boleh sebelum tanggal pembukaan.")
    if draft.verify_from <= draft.closes_on:
        problems["verify_from"] = _("Verifikasi dimulai sesudah tanggal penutupan pengisian.")
    if draft.verify_until < draft.verify_from:
        problems["verify_until"] = _("Akhir verifikasi tidak boleh sebelum awalnya.")
    if draft.objection_from <= draft.verify_from:
        problems["objection_from"] = _("Masa sanggah dimulai sesudah verifikasi dimulai.")
    if draft.objection_until < draft.objection_from:
        problems["objection_until"] = _("Akhir masa sanggah tidak boleh sebelum awalnya.")
    return problems


def round_create(*, actor: User, draft: RoundDraft, today: date | None = None) -> EvaluationRound:
    """Open a round: the version is frozen in it and its units are resolved now (a unit made
    later does not join); the questions the desk's own data answers are answered for each unit
    as of ``today`` (the body's today by default). Raises ``ValidationFailed``."""
    if not actor.has_role(Role.PPID_UTAMA):
        raise NotAllowed(_("Hanya PPID Utama yang menyelenggarakan monev."))
    problems = round_problems(draft)
    if problems:
        raise ValidationFailed(problems)
    evaluation = EvaluationRound(
        year=draft.year, title=draft.title, version_id=draft.version_id, scope=draft.scope,
        scope_unit_id=draft.scope_unit_id if draft.scope == RoundScope.SUBTREE else None,
        opens_on=draft.opens_on, closes_on=draft.closes_on, verify_from=draft.verify_from,
        verify_until=draft.verify_until, objection_from=draft.objection_from,
        objection_until=draft.objection_until, created_by_id=actor.id)
    db.session.add(evaluation)
    db.session.flush()
    units = round_units(draft.scope, draft.scope_unit_id, draft.unit_ids)
    participants = [Participant(round=evaluation, unit=unit) for unit in units]
    db.session.add_all(participants)
    db.session.flush()
    today = today or body_today()
    for participant in participants:
        system_answers_write(actor=actor, participant=participant, today=today, trigger="round_created")
    event_log(actor=actor, subject_type="evaluation_round", subject_id=evaluation.id, kind="round_created",
              data={"year": draft.year, "version_id": draft.version_id, "scope": draft.scope,
                    "units": [unit.id for unit in units], "opens_on": draft.opens_on.isoformat(),
                    "closes_on": draft.closes_on.isoformat()})
    return evaluation


# --- filling in ---------------------------------------------------------------------------------

def may_fill(user: User, participant: Participant) -> bool:
    """A PPID Pembantu officer of the participating unit (its answers only)."""
    return (user.has_role(Role.PEMBANTU) and user.unit_id is not None and user.unit_id == participant.unit_id)


def instrument_of(participant: Participant) -> Instrument:
    return instrument_from_dict(participant.round.version.definition)


def _editable(actor: User, participant: Participant, today: date) -> None:
    if not may_fill(actor, participant):
        raise NotAllowed(_("Hanya petugas unit ini yang mengisi kuesionernya."))
    if participant.submitted:
        raise RoundClosed(_("Kuesioner unit ini sudah dikirim; isiannya tidak dapat diubah lagi."))
    evaluation = participant.round
    if today < evaluation.opens_on:
        raise RoundClosed(_("Pengisian baru dibuka %(day)s.", day=evaluation.opens_on.isoformat()))
    if today > evaluation.closes_on:
        raise RoundClosed(_("Pengisian sudah ditutup %(day)s.", day=evaluation.closes_on.isoformat()))


def parse_value(question: Question, raw: list[str]) -> Any:
    """A value from the form's strings for ``question`` (None: left empty); ValueError with a
    message for the field when it does not fit."""
    values = [value.strip() for value in raw if value is not None and value.strip()]
    if question.kind == "multiple_choice":
        keys = {option.key for option in question.options}
        if any(value not in keys for value in values):
            raise ValueError(_("Pilih dari opsi yang ada."))
        return [option.key for option in question.options if option.key in values] or None
    if not values:
        return None
    value = values[0]
    if question.kind == "yes_no":
        if value not in ("ya", "tidak"):
            raise ValueError(_("Pilih ya atau tidak."))
        return value == "ya"
    if question.kind == "single_choice":
        if value not in {option.key for option in question.options}:
            raise ValueError(_("Pilih dari opsi yang ada."))
        return value
    if question.kind == "number":
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise ValueError(_("Isi dengan angka, misalnya 12 atau 4,5.")) from None
        if number != number or abs(number) > 1e12:
            raise ValueError(_("Isi dengan angka, misalnya 12 atau 4,5."))
        return int(number) if number.is_integer() else number
    if question.kind == "text":
        if len(value) > 10_000:
            raise ValueError(_("Jawaban lebih dari 10.000 karakter."))
        return value
    return None  # evidence: the files are the answer


SYSTEM_VALUE = object()  # a system question's value is kept as the system wrote it


def answers_save(*, actor: User, participant: Participant, category_key: str, raw: dict[str, list[str]],
                 notes: dict[str, str], today: date) -> int:
    """Save the answers of one category (the unit's draft; nothing is half-written: every field
    is checked first). ``raw``: question key → the form's strings, for the questions shown (the
    others are left as they are); ``notes``: question key → the unit's explanation. Returns how
    many answers changed.
    Raises ``ValidationFailed`` (keys: question keys), ``NotAllowed`` or ``RoundClosed``."""
    _editable(actor, participant, today)
    category = instrument_of(participant).category(category_key)
    if category is None:
        raise ValidationFailed({"category": _("Kategori tidak dikenal.")})
    parsed: dict[str, tuple[Any, str]] = {}
    problems: dict[str, str] = {}
    for question in category.questions:
        if question.key not in raw:
            continue
        note = (notes.get(question.key) or "").strip()
        if len(note) > 4000:
            problems[question.key] = _("Keterangan lebih dari 4.000 karakter.")
            continue
        if question.system_answered:  # the unit adds its note, never its own figure
            if any(value and value.strip() for value in raw.get(question.key, [])):
                problems[question.key] = _("Jawaban ini dihitung sistem dari data meja layanan dan tidak dapat "
                                           "diubah. Tambahkan keterangan atau bukti bila perlu.")
            else:
                parsed[question.key] = (SYSTEM_VALUE, note)
            continue
        try:
            parsed[question.key] = (parse_value(question, raw.get(question.key, [])), note)
        except ValueError as error:
            problems[question.key] = str(error)
    if problems:
        raise ValidationFailed(problems)
    existing = {answer.question_key: answer for answer in participant.answers}
    changed = 0
    now = utcnow()
    for key, (value, note) in parsed.items():
        answer = existing.get(key)
        system = value is SYSTEM_VALUE
        if system:
            value = answer.value if answer is not None else None
        if answer is None:
            if value is None and not note:
                continue
            answer = Answer(participant=participant, question_key=key,
                            origin=AnswerOrigin.SYSTEM if system else AnswerOrigin.UNIT)
            db.session.add(answer)
        elif answer.value == value and answer.note == note:
            continue
        answer.value, answer.note = value, note
        answer.updated_at, answer.updated_by_id = now, actor.id
        changed += 1
    db.session.flush()
    return changed


def system_answers_refresh(*, actor: User, participant: Participant, today: date) -> int:
    """The unit asks for the system's answers as of now, while it may still fill in (its
    submission refreshes them once more). Raises ``NotAllowed`` or ``RoundClosed``."""
    _editable(actor, participant, today)
    return system_answers_write(actor=actor, participant=participant, today=today, trigger="refresh")


def _answer_for(participant: Participant, key: str) -> Answer:
    answer = next((a for a in participant.answers if a.question_key == key), None)
    if answer is None:
        answer = Answer(participant=participant, question_key=key, origin=AnswerOrigin.UNIT, value=None, note="")
        db.session.add(answer)
        db.session.flush()
    return answer


def evidence_add(*, actor: User, participant: Participant, question_key: str, storage: FileStorage,
                 today: date) -> Attachment:
    """Attach one evidence file (PDF, JPEG or PNG, at most ``EVIDENCE_MAX_BYTES``) to
    the unit's answer to a question; stored encrypted like every other document."""
    _editable(actor, participant, today)
    question = instrument_of(participant).question(question_key)
    if question is None or not question.takes_files:
        raise FieldError("file", _("Pertanyaan ini tidak menerima bukti dukung."))
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    head = storage.stream.read(limit + 1)
    if len(head) > limit:
        raise FieldError("file", _("Berkas lebih dari %(size)s. Perkecil atau pindai ulang dengan resolusi lebih rendah.",
                                   size=_size_text(limit)))
    storage.stream.seek(0)
    attachment = attachment_stage(field="file", purpose=AttachmentPurpose.EVALUATION_EVIDENCE, storage=storage)
    answer = _answer_for(participant, question_key)
    attachment.evaluation_answer_id, attachment.staged_token = answer.id, None
    attachment.visibility = Visibility.PRIVATE
    answer.updated_at, answer.updated_by_id = utcnow(), actor.id
    db.session.flush()
    event_log(actor=actor, subject_type="evaluation_participant", subject_id=participant.id, kind="evidence_added",
              data={"question": question_key, "attachment_id": attachment.id, "name": attachment.original_name,
                    "size": attachment.size})
    return attachment


def _size_text(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


def evidence_remove(*, actor: User, participant: Participant, attachment: Attachment, today: date) -> None:
    _editable(actor, participant, today)
    answer = db.session.get(Answer, attachment.evaluation_answer_id) if attachment.evaluation_answer_id else None
    if answer is None or answer.participant_id != participant.id:
        raise NotAllowed(_("Berkas ini bukan bukti unit ini."))
    if attachment.purpose == AttachmentPurpose.EVALUATION_SYSTEM:
        raise NotAllowed(_("Bukti sistem tidak dapat dihapus; perbarui jawaban sistem untuk menggantinya."))
    event_log(actor=actor, subject_type="evaluation_participant", subject_id=participant.id, kind="evidence_removed",
              data={"question": answer.question_key, "attachment_id": attachment.id, "name": attachment.original_name})
    attachment_delete(attachment)


def participant_submit(*, actor: User, participant: Participant, today: date) -> None:
    """Send the unit's answers: until the closing date (inclusive); after it the submission is
    refused (and logged), and the unit shows as late. The answers become ``submitted``."""
    try:
        _editable(actor, participant, today)
    except RoundClosed:
        if not participant.submitted and today > participant.round.closes_on:
            event_log(actor=actor, subject_type="evaluation_participant", subject_id=participant.id,
                      kind="submission_refused_late", data={"closes_on": participant.round.closes_on.isoformat()})
        raise
    # The figures sent are those of the moment of sending; after it nothing changes them.
    system_answers_write(actor=actor, participant=participant, today=today, trigger="submission")
    now = utcnow()
    for answer in participant.answers:
        answer.status = AnswerStatus.SUBMITTED
    participant.submitted_at, participant.submitted_by_id = now, actor.id
    db.session.flush()
    event_log(actor=actor, subject_type="evaluation_participant", subject_id=participant.id, kind="submitted",
              data={"answers": len(participant.answers), "round_id": participant.round_id})
