"""A round's results (issue 16 item 6): the ranking on the round page, each unit's results page,
the round and unit reports (PDF on the letterhead, XLSX), publishing the results (PPID Utama)
and the public page of the published rounds (``/hasil-evaluasi``)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.roles import EVALUATION_MANAGER_ROLES, EVALUATION_ROLES
from ..errors import ValidationFailed
from ..web import spreadsheets
from ..web.access import roles_required
from ..web.forms import errors_onto_form
from ..web.htmx import render
from ..web.limits import public_page_limit
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today
from . import labels, results_pdf, selectors
from .blueprint import bp
from .models import EvaluationRound, Participant
from .results_forms import PublishForm, UnpublishForm
from .results_selectors import (
    Ranking,
    UnitResult,
    published_round,
    published_rounds,
    round_ranking,
    unit_result,
)
from .results_services import PublishRefused, results_publish, results_unpublish
from .services import NotAllowed


def _round_or_404(round_id: int) -> EvaluationRound:
    evaluation = selectors.round_get(round_id)
    if evaluation is None:
        abort(404)
    return evaluation


def _round_page(evaluation: EvaluationRound, *, publish_form: PublishForm | None = None,
                unpublish_form: UnpublishForm | None = None, status: int = 200):
    today = body_today()
    phase = selectors.round_phase(evaluation, today)
    return render("evaluation/round.html", status=status, evaluation=evaluation,
                  ranking=round_ranking(evaluation, today), spec=selectors.instrument(evaluation.version),
                  phase=phase, phase_labels=labels.PHASE_LABELS, scope_labels=labels.SCOPE_LABELS, today=today,
                  publish_form=publish_form or PublishForm(formdata=None),
                  unpublish_form=unpublish_form or UnpublishForm(formdata=None))


@bp.get("/meja/evaluasi/putaran/<int:round_id>")
@roles_required(*EVALUATION_MANAGER_ROLES)
def round_page(round_id: int):
    return _round_page(_round_or_404(round_id))


# --- reports ------------------------------------------------------------------------------------

def _pdf(body: bytes, name: str) -> Response:
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _slug(evaluation: EvaluationRound) -> str:
    return f"monev-{evaluation.year}-{evaluation.id}"


@bp.get("/meja/evaluasi/putaran/<int:round_id>/laporan.pdf")
@roles_required(*EVALUATION_MANAGER_ROLES)
def round_report_pdf(round_id: int):
    evaluation = _round_or_404(round_id)
    today = body_today()
    body = results_pdf.round_report_pdf(round_ranking(evaluation, today), selectors.round_phase(evaluation, today))
    return _pdf(body, f"laporan-{_slug(evaluation)}.pdf")


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def round_sheets(ranking: Ranking) -> list[spreadsheets.Sheet]:
    """One row per unit (rank, category scores, total, band, last year), then one row per lost
    question of the units below the top band."""
    categories = list(ranking.spec.categories)
    before = ranking.previous_round
    header = [_("Peringkat"), _("Kode unit"), _("Unit"), _("Dikirim"),
              *[f"{c.title} ({c.weight:g})" for c in categories], _("Nilai akhir"), _("Predikat"),
              _("Nilai tahun lalu"), _("Predikat tahun lalu"), _("Perubahan"), _("Keterangan")]
    rows = []
    for row in ranking.rows:
        scores = {c.key: c.score for c in row.result.categories} if row.result else {}
        note = ""
        if before is not None and row.new:
            note = _("Baru tahun ini")
        elif before is not None and (row.previous is None or row.previous.total is None):
            note = _("Tahun lalu tidak dinilai")
        rows.append([row.rank, row.participant.unit.code, row.participant.unit.name,
                     _("ya") if row.participant.submitted else _("belum"),
                     *[_number(scores.get(c.key)) for c in categories], _number(row.total), row.band,
                     _number(row.previous.total) if row.previous else None,
                     row.previous.band if row.previous else None, _number(row.change), note])
    lost = [[row.participant.unit.name, row.total, row.band, q.category, q.key, q.text, q.points, q.possible, q.lost]
            for row in ranking.below_top for q in row.lost]
    return [spreadsheets.Sheet(title=_("Peringkat"), header=header, rows=rows, bold_header=True,
                               widths=(10, 12, 36, 9, *[14] * len(categories), 12, 22, 12, 22, 11, 24)),
            spreadsheets.Sheet(title=_("Pertanyaan kehilangan nilai"),
                               header=[_("Unit"), _("Nilai akhir"), _("Predikat"), _("Kategori"), _("Kode"),
                                       _("Pertanyaan"), _("Poin"), _("Poin maksimal"), _("Poin hilang")],
                               rows=lost, bold_header=True, widths=(36, 12, 22, 28, 8, 60, 8, 12, 12),
                               wrap=(False, False, False, False, False, True))]


@bp.get("/meja/evaluasi/putaran/<int:round_id>/laporan.xlsx")
@roles_required(*EVALUATION_MANAGER_ROLES)
def round_report_xlsx(round_id: int):
    evaluation = _round_or_404(round_id)
    body = spreadsheets.xlsx_bytes(round_sheets(round_ranking(evaluation, body_today())),
                                   title=_("Hasil monev %(title)s", title=evaluation.title))
    return spreadsheets.download(body, "xlsx", f"hasil-{_slug(evaluation)}.xlsx")


# --- one unit -----------------------------------------------------------------------------------

def _participant_or_404(participant_id: int) -> Participant:
    """PPID Utama reads every unit's results; a PPID Pembantu officer only its own unit's."""
    participant = selectors.participant_get(participant_id)
    if participant is None or not selectors.may_view_participant(current_user, participant):
        abort(404)
    return participant


@bp.get("/meja/evaluasi/hasil/<int:participant_id>")
@roles_required(*EVALUATION_ROLES)
def unit_result_page(participant_id: int):
    participant = _participant_or_404(participant_id)
    return render("evaluation/unit_result.html", found=unit_result(participant, body_today()),
                  phase_labels=labels.PHASE_LABELS, kind_labels=labels.KIND_LABELS,
                  manager=current_user.has_role(*EVALUATION_MANAGER_ROLES))


@bp.get("/meja/evaluasi/hasil/<int:participant_id>/laporan.pdf")
@roles_required(*EVALUATION_ROLES)
def unit_report_pdf(participant_id: int):
    participant = _participant_or_404(participant_id)
    body = results_pdf.unit_report_pdf(unit_result(participant, body_today()))
    return _pdf(body, f"hasil-{_slug(participant.round)}-{participant.unit.code}.pdf")


def unit_sheet(found: UnitResult) -> spreadsheets.Sheet:
    """One row per question: category, question, kind, answer, points earned, possible, lost."""
    rows = []
    for category in found.categories:
        for line in category.lines:
            rows.append([category.title, line.question.key, line.question.text,
                         str(labels.KIND_LABELS.get(line.question.kind, line.question.kind)), line.answer, line.note,
                         line.files, line.points, line.possible if line.points is not None else None,
                         line.lost if line.points is not None else None])
    return spreadsheets.Sheet(
        title=_("Pertanyaan"), header=[_("Kategori"), _("Kode"), _("Pertanyaan"), _("Jenis"), _("Jawaban"),
                                       _("Keterangan unit"), _("Berkas bukti"), _("Poin"), _("Poin maksimal"),
                                       _("Poin hilang")],
        rows=rows, bold_header=True, widths=(28, 8, 60, 16, 30, 40, 10, 8, 12, 12),
        wrap=(False, False, True, False, True, True))


@bp.get("/meja/evaluasi/hasil/<int:participant_id>/laporan.xlsx")
@roles_required(*EVALUATION_ROLES)
def unit_report_xlsx(participant_id: int):
    participant = _participant_or_404(participant_id)
    found = unit_result(participant, body_today())
    body = spreadsheets.xlsx_bytes([unit_sheet(found)], title=_("Hasil monev %(unit)s · %(title)s",
                                                                unit=participant.unit.name,
                                                                title=participant.round.title))
    return spreadsheets.download(body, "xlsx", f"hasil-{_slug(participant.round)}-{participant.unit.code}.xlsx")


# --- publishing ---------------------------------------------------------------------------------

@bp.post("/meja/evaluasi/putaran/<int:round_id>/terbitkan")
@roles_required(*EVALUATION_MANAGER_ROLES)
def results_publish_view(round_id: int):
    evaluation = _round_or_404(round_id)
    form = PublishForm()
    if not form.validate():
        return _round_page(evaluation, publish_form=form, status=422)
    try:
        results_publish(actor=current_user, evaluation=evaluation, today=body_today())
        commit()
    except PublishRefused as error:
        rollback()
        form.confirm.errors = [str(error)]
        return _round_page(_round_or_404(round_id), publish_form=form, status=422)
    except NotAllowed:
        rollback()
        abort(403)
    flash(_("Hasil monev diterbitkan di laman publik."), "success")
    return redirect(url_for("evaluation.round_page", round_id=round_id) + "#publication", code=303)


@bp.post("/meja/evaluasi/putaran/<int:round_id>/tarik")
@roles_required(*EVALUATION_MANAGER_ROLES)
def results_unpublish_view(round_id: int):
    evaluation = _round_or_404(round_id)
    form = UnpublishForm()
    if not form.validate():
        return _round_page(evaluation, unpublish_form=form, status=422)
    try:
        results_unpublish(actor=current_user, evaluation=evaluation, reason=form.reason.data or "")
        commit()
    except ValidationFailed as error:
        rollback()
        errors_onto_form(form, error)
        return _round_page(_round_or_404(round_id), unpublish_form=form, status=422)
    except PublishRefused as error:
        rollback()
        form.reason.errors = [str(error)]
        return _round_page(_round_or_404(round_id), unpublish_form=form, status=422)
    except NotAllowed:
        rollback()
        abort(403)
    flash(_("Hasil monev ditarik dari laman publik."), "success")
    return redirect(url_for("evaluation.round_page", round_id=round_id) + "#publication", code=303)


# --- the public page ------------------------------------------------------------------------------

@bp.get("/hasil-evaluasi")
@public_page_limit
def public_results():
    """The published rounds, the newest first (nothing of an unpublished round)."""
    return render("evaluation/public_results.html", rounds=published_rounds())


@bp.get("/hasil-evaluasi/<int:round_id>")
@public_page_limit
def public_round_results(round_id: int):
    """One published round: every unit with its total and band; 404 unless published."""
    evaluation = published_round(round_id)
    if evaluation is None:
        abort(404)
    return render("evaluation/public_round.html", evaluation=evaluation,
                  ranking=round_ranking(evaluation, body_today()))
