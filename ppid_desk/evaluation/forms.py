"""Forms of the internal monev. The answers of a category are read from the posted fields by
question key (``q-<key>``, ``note-<key>``): the questions are data, not form classes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange

from ..routing.forms import LocalDateField
from ..web.forms import ChoiceRadioField, max_length, strip
from .labels import SCOPE_LABELS
from .services import RoundDraft


class LoadForm(FlaskForm):
    name = HiddenField()


class ImportForm(FlaskForm):
    berkas = FileField(_l("Berkas kuesioner (JSON atau XLSX)"),
                       validators=[FileRequired(_l("Pilih berkas JSON atau XLSX yang akan diimpor."))])


class EditForm(FlaskForm):
    document = TextAreaField(_l("Isi kuesioner (JSON)"), validators=[DataRequired(_l("Isi kuesioner kosong."))])
    note = StringField(_l("Catatan perubahan"), filters=[strip], validators=[max_length(300)])


class RoundForm(FlaskForm):
    year = IntegerField(_l("Tahun monev"), validators=[
        InputRequired(_l("Tulis tahunnya, misalnya 2026.")),
        NumberRange(2000, 2100, _l("Tulis tahun antara 2000 dan 2100."))])
    title = StringField(_l("Judul"), filters=[strip],
                        validators=[DataRequired(_l("Tulis judul monev.")), max_length(300)])
    version_id = SelectField(_l("Kuesioner"), validators=[DataRequired(_l("Pilih kuesioner."))], validate_choice=False)
    scope = ChoiceRadioField(_l("Unit yang ikut"), choices=list(SCOPE_LABELS.items()), default="all",
                             validators=[DataRequired(_l("Pilih unit yang ikut."))])
    scope_unit_id = SelectField(_l("Unit induk"), validate_choice=False)
    unit_ids = SelectMultipleField(_l("Unit yang dipilih"), validate_choice=False)
    opens_on = LocalDateField(_l("Pengisian dibuka"), validators=[InputRequired(_l("Tulis tanggal pembukaan."))])
    closes_on = LocalDateField(_l("Pengisian ditutup (hari terakhir)"),
                               validators=[InputRequired(_l("Tulis tanggal penutupan."))])
    verify_from = LocalDateField(_l("Verifikasi mulai"), validators=[InputRequired(_l("Tulis tanggal mulai verifikasi."))])
    verify_until = LocalDateField(_l("Verifikasi selesai"),
                                  validators=[InputRequired(_l("Tulis tanggal selesai verifikasi."))])
    objection_from = LocalDateField(_l("Masa sanggah mulai"),
                                    validators=[InputRequired(_l("Tulis tanggal mulai masa sanggah."))])
    objection_until = LocalDateField(_l("Masa sanggah selesai"),
                                     validators=[InputRequired(_l("Tulis tanggal selesai masa sanggah."))])

    def draft(self) -> RoundDraft:
        def number(value) -> int | None:
            return int(value) if str(value or "").isdigit() and len(str(value)) < 10 else None

        return RoundDraft(
            year=self.year.data, title=self.title.data, version_id=number(self.version_id.data) or 0,
            scope=self.scope.data, scope_unit_id=number(self.scope_unit_id.data),
            unit_ids=tuple(n for n in (number(v) for v in self.unit_ids.data or []) if n),
            opens_on=self.opens_on.data, closes_on=self.closes_on.data, verify_from=self.verify_from.data,
            verify_until=self.verify_until.data, objection_from=self.objection_from.data,
            objection_until=self.objection_until.data)


class EvidenceForm(FlaskForm):
    question = HiddenField()
    file = FileField(_l("Bukti dukung (PDF, JPEG atau PNG)"), validators=[FileRequired(_l("Pilih berkasnya."))])
