"""The verification of the internal monev (issue 16 item 5), on the evaluation blueprint.

PPID Utama's verifiers: a round's overview (``/meja/evaluasi/putaran/<id>/verifikasi``: per unit,
the answers accepted, returned, responded and still to verify, and both scores) and one unit's
verification page (``/meja/evaluasi/verifikasi/<participant>``, category by category like the
filling page) where each answer is accepted or returned with a comment, and objections decided.

The unit: its returned answers, the verifier's comments and each answer's history appear on its
own filling page (``_review.html``, given to the template by ``review_of``); it responds to a
return or objects from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from ..accounts.models import Role, User
from ..accounts.roles import EVALUATION_VERIFIER_ROLES
from ..audit.models import Event
from ..errors import ValidationFailed
from ..web.access import roles_required
from ..web.forms import strip
from ..web.htmx import render
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today
from . import labels, selectors
from . import verification_selectors as review
from .blueprint import bp
from .instrument import Instrument
from .models import Answer, AnswerStatus, Participant
from .services import NotAllowed, may_fill
from .verification_forms import (
    OUTCOME_LABELS,
    DecisionForm,
    ObjectForm,
    ObjectionDecisionForm,
    RespondForm,
)
from .verification_services import (
    ReviewClosed,
    StaleParticipant,
    answer_accept,
    answer_object,
    answer_respond,
    answer_return,
    objection_decide,
)
from .views import _fill_page


def _stale_message() -> str:
    return _("Kuesioner unit ini baru saja diubah orang lain. Isian Anda masih ada di bawah; periksa keadaannya "
             "sekarang lalu kirim lagi.")


@dataclass
class Failed:
    """A form of one answer that was refused: shown again with its messages and what was typed."""

    answer_id: int
    kind: str  # decision, objection_decision, respond, object
    form: Any
    errors: dict[str, str] = field(default_factory=dict)
    notice: str = ""

    def value(self, name: str, default: str = "") -> str:
        return request.form.get(name, default)

    def values(self, name: str) -> list[str]:
        return request.form.getlist(name)


def _category_of(spec: Instrument, key: str) -> str | None:
    return next((c.key for c in spec.categories if any(q.key == key for q in c.questions)), None)


def _points(result) -> dict[str, float]:
    return {q.key: q.points for c in result.categories for q in c.questions} if result else {}


# --- the round's overview -----------------------------------------------------------------------

@bp.get("/meja/evaluasi/putaran/<int:round_id>/verifikasi")
@roles_required(*EVALUATION_VERIFIER_ROLES)
def verify_round(round_id: int):
    evaluation = selectors.round_get(round_id)
    if evaluation is None:
        abort(404)
    today = body_today()
    spec = selectors.instrument(evaluation.version)
    rows = []
    for participant in review.round_participants(evaluation):
        files = selectors.files_by_question(participant)
        rows.append((participant, review.review_counts(participant),
                     selectors.participant_self_result(spec, participant, files),
                     selectors.participant_result(spec, participant, files)))
    return render("evaluation/verify_round.html", evaluation=evaluation, rows=rows, spec=spec, today=today,
                  phase=selectors.round_phase(evaluation, today), phase_labels=labels.PHASE_LABELS,
                  in_verification=review.in_verification(evaluation, today),
                  in_objection=review.in_objection(evaluation, today))


# --- one unit's verification page ---------------------------------------------------------------

def _participant_for_verifier(participant_id: int) -> Participant:
    participant = review.participant_for_review(participant_id)
    if participant is None:
        abort(404)
    return participant


def _verify_page(participant: Participant, *, category: str | None = None, failed: Failed | None = None,
                 status: int = 200):
    spec = selectors.instrument(participant.round.version)
    current = spec.category(category or "") or spec.categories[0]
    today = body_today()
    files = selectors.files_by_question(participant)
    answers = {a.question_key: a for a in participant.answers}
    verified = selectors.participant_result(spec, participant, files)
    self_assessed = selectors.participant_self_result(spec, participant, files)
    return render(
        "evaluation/verify.html", status=status, participant=participant, spec=spec, category=current,
        answers=answers, files=files, histories=review.histories(participant), today=today,
        counts=review.review_counts(participant), verified=verified, self_assessed=self_assessed,
        points=_points(verified), self_points=_points(self_assessed),
        decision_refusal={k: review.decision_refusal(a, today) for k, a in answers.items()},
        objection_refusal={k: review.objection_decision_refusal(a, today) for k, a in answers.items()},
        category_counts={c.key: review.review_counts_in(participant, {q.key for q in c.questions})
                         for c in spec.categories},
        failed=failed, value_text=review.value_text, labels=labels, outcome_labels=OUTCOME_LABELS,
        phase=selectors.round_phase(participant.round, today), button_form=DecisionForm(formdata=None))


@bp.get("/meja/evaluasi/verifikasi/<int:participant_id>")
@roles_required(*EVALUATION_VERIFIER_ROLES)
def verify_page(participant_id: int):
    return _verify_page(_participant_for_verifier(participant_id), category=request.args.get("kategori"))


def _answer_or_404(answer_id: int, user: User) -> Answer:
    answer = review.answer_get(answer_id)
    if answer is None or not selectors.may_view_participant(user, answer.participant):
        abort(404)
    return answer


def _back_to_verify(answer: Answer):
    spec = selectors.instrument(answer.participant.round.version)
    return redirect(url_for("evaluation.verify_page", participant_id=answer.participant_id,
                            kategori=_category_of(spec, answer.question_key)) + f"#q-{answer.question_key}", code=303)


def _verifier_refused(answer_id: int, kind: str, form, error, status: int):
    """Back to the verification page with the form as it was posted and the messages at it."""
    rollback()
    answer = _answer_or_404(answer_id, current_user)
    spec = selectors.instrument(answer.participant.round.version)
    failed = Failed(answer_id, kind, form, errors=getattr(error, "errors", {}),
                    notice=_stale_message() if status == 409 else "")
    return _verify_page(answer.participant, category=_category_of(spec, answer.question_key), failed=failed,
                        status=status)


@bp.post("/meja/evaluasi/verifikasi/jawaban/<int:answer_id>")
@roles_required(*EVALUATION_VERIFIER_ROLES)
def verify_decide(answer_id: int):
    answer = _answer_or_404(answer_id, current_user)
    form = DecisionForm()
    if not form.validate():
        abort(400)
    today = body_today()
    try:
        if form.decision.data == "return":
            answer_return(actor=current_user, answer=answer, comment=form.comment.data, today=today,
                          expected_version=form.seen_version)
            message = _("Jawaban %(key)s dikembalikan ke unit dengan komentar.", key=answer.question_key)
        elif form.decision.data == "accept":
            done = answer_accept(actor=current_user, answer=answer, today=today, expected_version=form.seen_version)
            message = (_("Jawaban %(key)s diterima.", key=answer.question_key) if done
                       else _("Jawaban %(key)s sudah diterima sebelumnya.", key=answer.question_key))
        else:
            return _verifier_refused(answer_id, "decision", form,
                                     ValidationFailed({"decision": _("Pilih: terima atau kembalikan.")}), 422)
        commit()
    except ValidationFailed as error:
        return _verifier_refused(answer_id, "decision", form, error, 422)
    except (StaleParticipant, StaleDataError) as error:
        return _verifier_refused(answer_id, "decision", form, error, 409)
    except (ReviewClosed, NotAllowed) as error:
        rollback()
        flash(str(error), "error")
        return _back_to_verify(_answer_or_404(answer_id, current_user))
    flash(message, "success")
    return _back_to_verify(answer)


@bp.post("/meja/evaluasi/verifikasi/jawaban/<int:answer_id>/sanggahan")
@roles_required(*EVALUATION_VERIFIER_ROLES)
def verify_objection(answer_id: int):
    answer = _answer_or_404(answer_id, current_user)
    form = ObjectionDecisionForm()
    if not form.validate():
        abort(400)
    try:
        objection_decide(actor=current_user, answer=answer, outcome=form.outcome.data, reason=form.reason.data,
                         today=body_today(), expected_version=form.seen_version)
        commit()
    except ValidationFailed as error:
        return _verifier_refused(answer_id, "objection_decision", form, error, 422)
    except (StaleParticipant, StaleDataError) as error:
        return _verifier_refused(answer_id, "objection_decision", form, error, 409)
    except (ReviewClosed, NotAllowed) as error:
        rollback()
        flash(str(error), "error")
        return _back_to_verify(_answer_or_404(answer_id, current_user))
    flash(_("Sanggahan atas jawaban %(key)s diputus.", key=answer.question_key), "success")
    return _back_to_verify(answer)


# --- the unit's side: on its filling page -------------------------------------------------------

@dataclass(frozen=True)
class UnitReview:
    """What ``_review.html`` shows the unit (or PPID Utama reading the unit's page)."""

    today: date
    version: int
    own: bool  # the user is an officer of the unit (may respond and object)
    verifier: bool
    histories: dict[str, list[Event]]
    respond: dict[str, str | None]  # question key → why the unit may not respond (None: it may)
    object: dict[str, str | None]
    failed: Failed | None
    returned: frozenset[str] = frozenset()  # keys of the answers waiting for the unit's response

    def shown(self, answer: Answer | None) -> bool:
        return answer is not None and answer.status not in (AnswerStatus.DRAFT, AnswerStatus.SUBMITTED) \
            or (answer is not None and bool(self.histories.get(answer.question_key)))


def review_of(participant: Participant) -> UnitReview:
    """The verification data of the filling page (built once per request)."""
    cache = g.setdefault("evaluation_review", {})
    if participant.id not in cache:
        cache[participant.id] = _review_of(participant)
    return cache[participant.id]


def _review_of(participant: Participant) -> UnitReview:
    today = body_today()
    answers = {a.question_key: a for a in participant.answers}
    return UnitReview(today=today, version=participant.version, own=may_fill(current_user, participant),
                      verifier=review.may_verify(current_user), histories=review.histories(participant),
                      respond={k: review.respond_refusal(a, today) for k, a in answers.items()},
                      object={k: review.objection_refusal(a, today) for k, a in answers.items()},
                      failed=getattr(g, "evaluation_review_failed", None),
                      returned=frozenset(k for k, a in answers.items() if a.status == AnswerStatus.RETURNED))


@bp.context_processor
def _review_helpers() -> dict[str, Any]:
    """The filling page's verification partial reads its data through these (the page's view has
    checked access to the participant already)."""
    return {"review_of": review_of, "review_value_text": review.value_text, "review_labels": labels,
            "review_outcome_labels": OUTCOME_LABELS}


def _own_answer(answer_id: int) -> Answer:
    answer = _answer_or_404(answer_id, current_user)
    if not may_fill(current_user, answer.participant):
        abort(403)
    return answer


def _unit_refused(answer_id: int, kind: str, form, error, status: int):
    rollback()
    answer = _own_answer(answer_id)
    spec = selectors.instrument(answer.participant.round.version)
    g.evaluation_review_failed = Failed(answer_id, kind, form, errors=getattr(error, "errors", {}),
                                        notice=_stale_message() if status == 409 else "")
    return _fill_page(answer.participant, category=_category_of(spec, answer.question_key), status=status)


def _back_to_fill(answer: Answer):
    spec = selectors.instrument(answer.participant.round.version)
    return redirect(url_for("evaluation.fill_page", participant_id=answer.participant_id,
                            kategori=_category_of(spec, answer.question_key)) + f"#review-{answer.question_key}",
                    code=303)


@bp.post("/meja/evaluasi/isi/jawaban/<int:answer_id>/tanggapan")
@roles_required(Role.PEMBANTU)
def review_respond(answer_id: int):
    answer = _own_answer(answer_id)
    form = RespondForm()
    if not form.validate():
        abort(400)
    raw = [strip(v) for v in request.form.getlist("value")] if request.form.get("value-shown") else None
    try:
        answer_respond(actor=current_user, answer=answer, raw=raw, note=form.note.data, response=form.response.data,
                       storage=form.file.data or None, remove=form.removed_ids(), today=body_today(),
                       expected_version=form.seen_version)
        commit()
    except ValidationFailed as error:
        return _unit_refused(answer_id, "respond", form, error, 422)
    except (StaleParticipant, StaleDataError) as error:
        return _unit_refused(answer_id, "respond", form, error, 409)
    except (ReviewClosed, NotAllowed) as error:
        rollback()
        flash(str(error), "error")
        return _back_to_fill(_own_answer(answer_id))
    flash(_("Tanggapan terkirim; jawaban %(key)s menunggu verifikator lagi.", key=answer.question_key), "success")
    return _back_to_fill(answer)


@bp.post("/meja/evaluasi/isi/jawaban/<int:answer_id>/sanggahan")
@roles_required(Role.PEMBANTU)
def review_object(answer_id: int):
    answer = _own_answer(answer_id)
    form = ObjectForm()
    if not form.validate():
        abort(400)
    try:
        answer_object(actor=current_user, answer=answer, reason=form.reason.data, today=body_today(),
                      expected_version=form.seen_version)
        commit()
    except ValidationFailed as error:
        return _unit_refused(answer_id, "object", form, error, 422)
    except (StaleParticipant, StaleDataError) as error:
        return _unit_refused(answer_id, "object", form, error, 409)
    except (ReviewClosed, NotAllowed) as error:
        rollback()
        flash(str(error), "error")
        return _back_to_fill(_own_answer(answer_id))
    flash(_("Sanggahan atas jawaban %(key)s diajukan; verifikator akan memutusnya.", key=answer.question_key),
          "success")
    return _back_to_fill(answer)
