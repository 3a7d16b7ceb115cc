"""Forms of the dispute record, the KI number, a stage and the outcome. Formats only; the
services check the dates against the window and the filing date."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from ..notices.forms import day_validator
from ..web.forms import ChoiceRadioField, max_length, strip
from .dispute_labels import (
    APPELLANT_LABELS,
    COMPLIANCE_LABELS,
    COURT_LABELS,
    COURT_OUTCOME_LABELS,
    KI_DECISION_LABELS,
    LEVEL_LABELS,
    STAGE_LABELS,
)
from .dispute_services import MAX_COURT_NAME, MAX_KI_NUMBER, MAX_NOTE, MAX_OUTCOME, MAX_PROOF
from .models import Court, CourtTier

_day = day_validator(_l("Isi tanggalnya."))

class DisputeRecordForm(FlaskForm):
    objection_id = HiddenField()
    level = ChoiceRadioField(_l("Komisi Informasi tempat sengketa diajukan"),
                             choices=[SelectChoice(k.value, v) for k, v in LEVEL_LABELS.items()],
                             validators=[DataRequired(_l("Pilih Komisi Informasi tempat sengketa diajukan."))])
    filed_date = StringField(_l("Tanggal pengajuan"), filters=[strip], validators=[_day])
    ki_number = StringField(_l("Nomor registrasi dari Komisi Informasi (jika sudah ada)"), filters=[strip],
                            validators=[Optional(), max_length(MAX_KI_NUMBER)])


class DisputeNumberForm(FlaskForm):
    ki_number = StringField(_l("Nomor registrasi Komisi Informasi"), filters=[strip], validators=[
        DataRequired(_l("Isi nomor registrasi dari Komisi Informasi.")), max_length(MAX_KI_NUMBER)])


class DisputeStageForm(FlaskForm):
    stage = ChoiceRadioField(_l("Tahap"), choices=[SelectChoice(k.value, v) for k, v in STAGE_LABELS.items()],
                             validators=[DataRequired(_l("Pilih tahap sengketa."))])
    stage_date = StringField(_l("Tanggal"), filters=[strip], validators=[_day])
    note = TextAreaField(_l("Catatan (tidak wajib)"), filters=[strip], validators=[Optional(), max_length(MAX_NOTE)])


_optional_day = day_validator()

def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(k.value, v) for k, v in labels.items()]


class DisputeOutcomeForm(FlaskForm):
    """The KI's decision: its content, words, date, and when each party received it."""

    ki_decision = ChoiceRadioField(_l("Isi putusan"), choices=_choices(KI_DECISION_LABELS),
                                   validators=[DataRequired(_l("Pilih isi putusan Komisi Informasi."))])
    outcome = TextAreaField(_l("Hasil atau putusan"), filters=[strip], validators=[
        DataRequired(_l("Tulis hasil atau putusan Komisi Informasi.")), max_length(MAX_OUTCOME)])
    outcome_date = StringField(_l("Tanggal putusan"), filters=[strip], validators=[_day])
    received_body = StringField(_l("Tanggal putusan diterima badan publik"), filters=[strip],
                                validators=[_optional_day])
    received_applicant = StringField(_l("Tanggal putusan diterima pemohon (jika diketahui)"), filters=[strip],
                                     validators=[_optional_day])


class CourtCaseForm(FlaskForm):
    """A case brought to a court against the decision below (``tier`` says which court)."""

    tier = HiddenField(validators=[DataRequired()])
    appellant = ChoiceRadioField(_l("Pihak yang tidak menerima putusan dan mengajukan"),
                                 choices=_choices(APPELLANT_LABELS),
                                 validators=[DataRequired(_l("Pilih pihak yang mengajukan."))])
    court = ChoiceRadioField(_l("Pengadilan"), choices=[SelectChoice(k.value, v) for k, v in COURT_LABELS.items()
                                                        if k != Court.MA], validate_choice=False,
                             validators=[Optional()])
    court_name = StringField(_l("Nama pengadilan"), filters=[strip],
                             validators=[Optional(), max_length(MAX_COURT_NAME)])
    case_number = StringField(_l("Nomor perkara (jika sudah ada)"), filters=[strip],
                              validators=[Optional(), max_length(MAX_KI_NUMBER)])
    filed_date = StringField(_l("Tanggal pengajuan"), filters=[strip], validators=[_day])


class CourtDecisionForm(FlaskForm):
    tier = HiddenField(validators=[DataRequired()])
    outcome = ChoiceRadioField(_l("Isi putusan"), choices=_choices(COURT_OUTCOME_LABELS),
                               validators=[DataRequired(_l("Pilih isi putusan pengadilan."))])
    outcome_note = TextAreaField(_l("Amar atau ringkasan putusan (tidak wajib)"), filters=[strip],
                                 validators=[Optional(), max_length(MAX_OUTCOME)])
    decision_date = StringField(_l("Tanggal putusan"), filters=[strip], validators=[_day])
    received_body = StringField(_l("Tanggal putusan diterima badan publik"), filters=[strip],
                                validators=[_optional_day])
    received_applicant = StringField(_l("Tanggal putusan diterima pemohon (jika diketahui)"), filters=[strip],
                                     validators=[_optional_day])


class CourtHearingForm(FlaskForm):
    tier = HiddenField(validators=[DataRequired()])
    hearing_date = StringField(_l("Tanggal sidang"), filters=[strip], validators=[_day])
    note = TextAreaField(_l("Catatan (tidak wajib)"), filters=[strip], validators=[Optional(), max_length(MAX_NOTE)])


class ComplianceForm(FlaskForm):
    compliance = ChoiceRadioField(_l("Apakah badan publik sudah melaksanakan putusan akhir?"),
                                  choices=_choices(COMPLIANCE_LABELS),
                                  validators=[DataRequired(_l("Pilih apakah badan publik sudah melaksanakan putusan."))])
    compliance_date = StringField(_l("Tanggal"), filters=[strip], validators=[_day])
    compliance_note = TextAreaField(_l("Apa yang dilakukan"), filters=[strip], validators=[
        DataRequired(_l("Tulis apa yang dilakukan (misalnya informasi yang diberikan), atau mengapa belum "
                        "dilaksanakan.")), max_length(MAX_OUTCOME)])
    compliance_proof = StringField(_l("Bukti (tidak wajib): nomor atau nama dokumen, misalnya berita acara serah terima"),
                                   filters=[strip], validators=[Optional(), max_length(MAX_PROOF)])


TIERS = frozenset(t.value for t in CourtTier)
