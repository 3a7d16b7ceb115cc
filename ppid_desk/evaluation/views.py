"""The internal monev on the desk, under ``/meja/evaluasi``: questionnaires (PPID Utama and the
administrator: load the ready-made ones, import, edit into a new version, export), rounds and their
results (PPID Utama), and each unit's questionnaire (its PPID Pembantu officers fill it in; PPID
Utama reads it)."""

from __future__ import annotations

import json
from io import BytesIO

from flask import Response, abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role
from ..accounts.roles import EVALUATION_INSTRUMENT_ROLES, EVALUATION_MANAGER_ROLES, EVALUATION_ROLES
from ..attachments.services import attachment_read
from ..errors import DomainError, FieldError, ValidationFailed
from ..web import spreadsheets
from ..web.access import roles_required
from ..web.forms import EmptyForm, errors_onto_form
from ..web.htmx import is_htmx_partial, render
from ..web.transaction import commit, rollback
from ..workcalendar.selectors import body_today
from . import labels, selectors
from .blueprint import bp
from .definition import (
    COLUMNS,
    DefinitionError,
    dict_from_rows,
    instrument_rows,
)
from .forms import EditForm, EvidenceForm, ImportForm, LoadForm, RoundForm
from .models import Participant
from .services import (
    READY_MADE,
    NotAllowed,
    RoundClosed,
    answers_save,
    evidence_add,
    evidence_remove,
    may_fill,
    participant_submit,
    questionnaire_edit,
    questionnaire_save,
    ready_made,
    round_create,
    system_answers_refresh,
)

MAX_IMPORT_BYTES = 2 * 1024 * 1024


@bp.get("/meja/evaluasi")
@roles_required(*EVALUATION_ROLES)
def home():
    today = body_today()
    manager = current_user.has_role(*EVALUATION_MANAGER_ROLES)
    return render("evaluation/home.html", rounds=selectors.rounds() if manager else [], manager=manager,
                  instruments=current_user.has_role(*EVALUATION_INSTRUMENT_ROLES),
                  participations=selectors.participations_of(current_user)
                  if current_user.has_role(Role.PEMBANTU) else [],
                  phase=lambda r: selectors.round_phase(r, today), phase_labels=labels.PHASE_LABELS, today=today)


# --- questionnaires -----------------------------------------------------------------------------

def _list_page(import_form: ImportForm | None = None, status: int = 200):
    return render("evaluation/questionnaires.html", status=status, questionnaires=selectors.questionnaires(),
                  ready=[(name, ready_made(name)["title"]) for name in READY_MADE],
                  import_form=import_form or ImportForm(formdata=None), load_form=LoadForm(formdata=None))


@bp.get("/meja/evaluasi/kuesioner")
@roles_required(*EVALUATION_INSTRUMENT_ROLES)
def questionnaire_list():
    return _list_page()


@bp.post("/meja/evaluasi/kuesioner/siap-pakai")
@roles_required(*EVALUATION_INSTRUMENT_ROLES)
def questionnaire_load():
    form = LoadForm()
    if not form.validate() or form.name.data not in READY_MADE:
        abort(400)
    version = questionnaire_save(actor=current_user, document=ready_made(form.name.data),
                                 note=_("Dimuat dari kuesioner siap pakai"))
    commit()
    flash(_("Kuesioner \"%(title)s\" tersedia (versi %(n)d).", title=version.questionnaire.title, n=version.number),
          "success")
    return redirect(url_for("evaluation.questionnaire_page", questionnaire_id=version.questionnaire_id), code=303)


def _read_upload(storage) -> dict:
    """The questionnaire document of an uploaded JSON or XLSX file; DefinitionError otherwise."""
    content = storage.stream.read(MAX_IMPORT_BYTES + 1)
    if not content:
        raise DefinitionError([_("Berkas kosong.")])
    if len(content) > MAX_IMPORT_BYTES:
        raise DefinitionError([_("Berkas lebih dari 2 MB.")])
    if content[:4] == b"PK\x03\x04":
        try:
            rows = spreadsheets.read_table(content)
        except spreadsheets.SpreadsheetError as error:
            raise DefinitionError([str(error)]) from error
        return dict_from_rows(rows)
    try:
        return json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise DefinitionError([_("Berkas bukan JSON yang sah atau XLSX. Gunakan berkas ekspor kuesioner sebagai "
                                 "templat.")]) from error


@bp.post("/meja/evaluasi/kuesioner/impor")
@roles_required(*EVALUATION_INSTRUMENT_ROLES)
def questionnaire_import():
    form = ImportForm()
    if not form.validate():
        return _list_page(form, status=422)
    try:
        version = questionnaire_save(actor=current_user, document=_read_upload(form.berkas.data),
                                     note=_("Diimpor dari %(name)s", name=(form.berkas.data.filename or "")[:200]))
        commit()
    except DefinitionError as error:
        rollback()
        form.berkas.errors = list(error.messages)
        return _list_page(form, status=422)
    flash(_("Kuesioner \"%(title)s\" diimpor (versi %(n)d).", title=version.questionnaire.title, n=version.number),
          "success")
    return redirect(url_for("evaluation.questionnaire_page", questionnaire_id=version.questionnaire_id), code=303)


def _questionnaire_or_404(questionnaire_id: int):
    questionnaire = selectors.questionnaire_get(questionnaire_id)
    if questionnaire is None or not questionnaire.versions:
        abort(404)
    return questionnaire


def _version_of(questionnaire):
    """The version asked for with ``?versi=N`` (the latest by default); 404 for an unknown one."""
    wanted = request.args.get("versi", "")
    if not wanted:
        return questionnaire.latest
    version = next((v for v in questionnaire.versions if str(v.number) == wanted), None)
    if version is None:
        abort(404)
    return version


@bp.get("/meja/evaluasi/kuesioner/<int:questionnaire_id>")
@roles_required(*EVALUATION_INSTRUMENT_ROLES)
def questionnaire_page(questionnaire_id: int):
    questionnaire = _questionnaire_or_404(questionnaire_id)
    version = _version_of(questionnaire)
    return render("evaluation/questionnaire.html", questionnaire=questionnaire, version=version,
                  spec=selectors.instrument(version), kind_labels=labels.KIND_LABELS,
                  evidence_labels=labels.EVIDENCE_LABELS)


@bp.get("/meja/evaluasi/kuesioner/<int:questionnaire_id>/ekspor")
@roles_required(*EVALUATION_INSTRUMENT_ROLES)
def questionnaire_export(questionnaire_id: int):
    questionnaire = _questionnaire_or_404(questionnaire_id)
    version = _version_of(questionnaire)
    name = f"kuesioner-{questionnaire.code}-v{version.number}"
    if request.args.get("format") == "xlsx":
        body = spreadsheets.xlsx_bytes([spreadsheets.Sheet(
            title="kuesioner", header=COLUMNS, rows=instrument_rows(selectors.instrument(version)), bold_header=True,
            widths=(12, 16, 12, 16, 60, 8, 8, 8, 8, 8, 16, 10, 40), wrap=(False,) * 4 + (True,))],
            title=questionnaire.title)
        return spreadsheets.download(body, "xlsx", f"{name}.xlsx", private=False)
    body = json.dumps(version.definition, ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


def _edit_page(questionnaire, form: EditForm, status: int = 200):
    return render("evaluation/questionnaire_edit.html", status=status, questionnaire=questionnaire, form=form)


@bp.route("/meja/evaluasi/kuesioner/<int:questionnaire_id>/ubah", methods=["GET", "POST"])
@roles_required(*EVALUATION_INSTRUMENT_ROLES)
def questionnaire_edit_page(questionnaire_id: int):
    questionnaire = _questionnaire_or_404(questionnaire_id)
    if request.method == "GET":
        document = json.dumps(questionnaire.latest.definition, ensure_ascii=False, indent=2)
        return _edit_page(questionnaire, EditForm(formdata=None, document=document))
    form = EditForm()
    if not form.validate():
        return _edit_page(questionnaire, form, status=422)
    try:
        document = json.loads(form.document.data)
    except (ValueError, RecursionError) as error:
        form.document.errors = [_("Bukan JSON yang sah: %(error)s", error=str(error)[:200])]
        return _edit_page(questionnaire, form, status=422)
    try:
        before = questionnaire.latest.number
        version = questionnaire_edit(actor=current_user, questionnaire=questionnaire, document=document,
                                     note=form.note.data or _("Diubah"))
        commit()
    except DefinitionError as error:
        rollback()
        form.document.errors = list(error.messages)
        return _edit_page(_questionnaire_or_404(questionnaire_id), form, status=422)
    flash(_("Tersimpan sebagai versi %(n)d. Putaran yang sudah dibuka tetap memakai versinya.", n=version.number)
          if version.number != before else _("Tidak ada yang berubah."), "success")
    return redirect(url_for("evaluation.questionnaire_page", questionnaire_id=questionnaire_id), code=303)


# --- rounds -------------------------------------------------------------------------------------

def _round_choices(form: RoundForm) -> None:
    form.version_id.choices = [("", _("— pilih kuesioner —"))] + [
        (str(v.id), _("%(title)s (versi %(n)d)", title=v.questionnaire.title, n=v.number))
        for v in selectors.latest_versions()]
    units = [(str(unit.id), unit.name) for unit in selectors.units_for_scope()]
    form.scope_unit_id.choices = [("", _("— pilih unit —"))] + units
    form.unit_ids.choices = units


def _round_form_page(form: RoundForm, status: int = 200):
    _round_choices(form)
    return render("evaluation/round_new.html", status=status, form=form)


@bp.route("/meja/evaluasi/putaran/baru", methods=["GET", "POST"])
@roles_required(*EVALUATION_MANAGER_ROLES)
def round_new():
    if request.method == "GET":
        return _round_form_page(RoundForm(formdata=None, year=body_today().year))
    form = RoundForm()
    _round_choices(form)
    if not form.validate():
        return _round_form_page(form, status=422)
    try:
        evaluation = round_create(actor=current_user, draft=form.draft())
        commit()
    except ValidationFailed as error:
        rollback()
        errors_onto_form(form, error)
        return _round_form_page(form, status=422)
    flash(_("Monev dibuka untuk %(n)d unit.", n=len(evaluation.participants)), "success")
    return redirect(url_for("evaluation.round_page", round_id=evaluation.id), code=303)


# --- a unit's questionnaire ---------------------------------------------------------------------

def _participant_or_404(participant_id: int) -> Participant:
    participant = selectors.participant_get(participant_id)
    if participant is None or not selectors.may_view_participant(current_user, participant):
        abort(404)
    return participant


def _fill_page(participant: Participant, *, category: str | None = None, errors: dict | None = None,
               posted: dict | None = None, evidence_form: EvidenceForm | None = None, notice: str | None = None,
               status: int = 200):
    spec = selectors.instrument(participant.round.version)
    current = spec.category(category or "") or spec.categories[0]
    files = selectors.files_by_question(participant)
    today = body_today()
    evaluation = participant.round
    editable = (may_fill(current_user, participant) and not participant.submitted
                and evaluation.opens_on <= today <= evaluation.closes_on)
    return render("evaluation/fill.html", block="fill_main", status=status, participant=participant, spec=spec,
                  system=selectors.system_answers(participant, spec, files),
                  category=current, files=files, answers={a.question_key: a for a in participant.answers},
                  progress=selectors.progress(spec, participant, files),
                  category_progress={c.key: selectors.progress(spec, participant, files, category=c.key)
                                     for c in spec.categories},
                  errors=errors or {}, posted=posted, notice=notice, editable=editable, late=participant.late(today),
                  evidence_form=evidence_form or EvidenceForm(formdata=None), button_form=EmptyForm(formdata=None),
                  evidence_labels=labels.EVIDENCE_LABELS, today=today,
                  max_mb=_max_mb(), phase=selectors.round_phase(evaluation, today), phase_labels=labels.PHASE_LABELS)


def _max_mb() -> str:
    from flask import current_app

    return f"{current_app.config['EVIDENCE_MAX_BYTES'] / (1024 * 1024):g}"


@bp.get("/meja/evaluasi/isi/<int:participant_id>")
@roles_required(*EVALUATION_ROLES)
def fill_page(participant_id: int):
    return _fill_page(_participant_or_404(participant_id), category=request.args.get("kategori"))


def _own_or_403(participant_id: int) -> Participant:
    participant = _participant_or_404(participant_id)
    if not may_fill(current_user, participant):
        abort(403)
    return participant


@bp.post("/meja/evaluasi/isi/<int:participant_id>")
@roles_required(Role.PEMBANTU)
def fill_save(participant_id: int):
    participant = _own_or_403(participant_id)
    if not EmptyForm().validate():
        abort(400)
    category = request.form.get("category", "")
    # Every question shown on the form sends its marker (a question with nothing ticked sends no value).
    shown = [key[6:] for key in request.form if key.startswith("shown-")]
    raw = {key: request.form.getlist(f"q-{key}") for key in shown}
    notes = {key: request.form.get(f"note-{key}", "") for key in shown}
    try:
        changed = answers_save(actor=current_user, participant=participant, category_key=category, raw=raw,
                               notes=notes, today=body_today())
        commit()
    except ValidationFailed as error:
        rollback()
        return _fill_page(_participant_or_404(participant_id), category=category, errors=error.errors,
                          posted=request.form, status=422)
    except (RoundClosed, NotAllowed) as error:
        rollback()
        flash(str(error), "error")
        return redirect(url_for("evaluation.fill_page", participant_id=participant_id, kategori=category), code=303)
    except IntegrityError:  # another officer of the unit saved the same new answer at the same moment
        rollback()
        return _fill_page(_participant_or_404(participant_id), category=category, posted=request.form, status=409,
                          notice=_("Petugas lain unit ini baru saja menyimpan kategori ini. Isian Anda masih ada di "
                                   "bawah; periksa lalu simpan lagi."))
    message = _("Jawaban tersimpan.") if changed else _("Tidak ada yang berubah.")
    if is_htmx_partial():  # the category's form swapped in place, with the message inside it
        return _fill_page(_participant_or_404(participant_id), category=category, notice=message)
    flash(message, "success")
    return redirect(url_for("evaluation.fill_page", participant_id=participant_id, kategori=category), code=303)


@bp.post("/meja/evaluasi/isi/<int:participant_id>/sistem")
@roles_required(Role.PEMBANTU)
def fill_system_refresh(participant_id: int):
    """The system's answers recomputed now (the figures of today, new PDFs in place of the old)."""
    participant = _own_or_403(participant_id)
    if not EmptyForm().validate():
        abort(400)
    category = request.form.get("category", "")
    try:
        system_answers_refresh(actor=current_user, participant=participant, today=body_today())
        commit()
    except (RoundClosed, NotAllowed) as error:
        rollback()
        flash(str(error), "error")
    else:
        flash(_("Jawaban sistem diperbarui dengan data hari ini."), "success")
    return redirect(url_for("evaluation.fill_page", participant_id=participant_id, kategori=category)
                    + "#jawaban-sistem", code=303)


@bp.post("/meja/evaluasi/isi/<int:participant_id>/bukti")
@roles_required(Role.PEMBANTU)
def evidence_upload(participant_id: int):
    participant = _own_or_403(participant_id)
    form = EvidenceForm()
    spec = selectors.instrument(participant.round.version)
    question = spec.question(form.question.data or "")
    category = next((c.key for c in spec.categories if question in c.questions), None) if question else None
    if not form.validate():
        return _fill_page(participant, category=category, evidence_form=form,
                          errors={form.question.data or "": form.file.errors[0] if form.file.errors else _("Pilih berkasnya.")},
                          status=422)
    try:
        evidence_add(actor=current_user, participant=participant, question_key=form.question.data or "",
                     storage=form.file.data, today=body_today())
        commit()
    except FieldError as error:
        rollback()
        return _fill_page(_participant_or_404(participant_id), category=category,
                          errors={form.question.data or "": error.message}, status=422)
    except (RoundClosed, NotAllowed) as error:
        rollback()
        flash(str(error), "error")
        return redirect(url_for("evaluation.fill_page", participant_id=participant_id, kategori=category), code=303)
    flash(_("Bukti dukung diunggah."), "success")
    return redirect(url_for("evaluation.fill_page", participant_id=participant_id, kategori=category)
                    + f"#q-{form.question.data}", code=303)


@bp.post("/meja/evaluasi/isi/<int:participant_id>/bukti/<int:attachment_id>/hapus")
@roles_required(Role.PEMBANTU)
def evidence_delete(participant_id: int, attachment_id: int):
    participant = _own_or_403(participant_id)
    if not EmptyForm().validate():
        abort(400)
    found = selectors.evidence_get(attachment_id)
    if found is None or found[1].id != participant.id:
        abort(404)
    try:
        evidence_remove(actor=current_user, participant=participant, attachment=found[0], today=body_today())
        commit()
    except DomainError as error:
        rollback()
        flash(str(error), "error")
    else:
        flash(_("Bukti dukung dihapus."), "success")
    return redirect(url_for("evaluation.fill_page", participant_id=participant_id,
                            kategori=request.form.get("category", "")), code=303)


@bp.get("/meja/evaluasi/bukti/<int:attachment_id>")
@roles_required(*EVALUATION_ROLES)
def evidence_file(attachment_id: int):
    found = selectors.evidence_get(attachment_id)
    if found is None or not selectors.may_view_participant(current_user, found[1]):
        abort(404)
    attachment = found[0]
    return send_file(BytesIO(attachment_read(attachment)), mimetype=attachment.content_type, as_attachment=True,
                     download_name=attachment.original_name)


@bp.post("/meja/evaluasi/isi/<int:participant_id>/kirim")
@roles_required(Role.PEMBANTU)
def fill_submit(participant_id: int):
    participant = _own_or_403(participant_id)
    if not EmptyForm().validate():
        abort(400)
    try:
        participant_submit(actor=current_user, participant=participant, today=body_today())
        commit()
    except RoundClosed as error:
        commit()  # keeps the record of a refused late submission (nothing else was written)
        flash(str(error), "error")
        return redirect(url_for("evaluation.fill_page", participant_id=participant_id), code=303)
    except NotAllowed:
        rollback()
        abort(403)
    flash(_("Kuesioner terkirim. Terima kasih; PPID Utama akan memverifikasinya."), "success")
    return redirect(url_for("evaluation.fill_page", participant_id=participant_id), code=303)
