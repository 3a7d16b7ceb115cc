"""Forms of the dispute record, the KI number, a stage and the outcome. Formats only; the
services check the dates against the window and the filing date."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional, ValidationError

from ..notices.forms import parse_day
from ..web.forms import ChoiceRadioField, max_length, strip
from .dispute_labels import LEVEL_LABELS, STAGE_LABELS
from .dispute_services import MAX_KI_NUMBER, MAX_NOTE, MAX_OUTCOME


def _day(form, field) -> None:
    try:
        field.day = parse_day(field.data)
    except ValueError as error:
        field.day = None
        raise ValidationError(str(error)) from error
    if field.day is None:
        raise ValidationError(_l("Isi tanggalnya, contoh 30/04/2026."))


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


class DisputeOutcomeForm(FlaskForm):
    outcome = TextAreaField(_l("Hasil atau putusan"), filters=[strip], validators=[
        DataRequired(_l("Tulis hasil atau putusan Komisi Informasi.")), max_length(MAX_OUTCOME)])
    outcome_date = StringField(_l("Tanggal putusan"), filters=[strip], validators=[_day])
