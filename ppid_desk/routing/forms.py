"""Forms for routing (disposisi), reassigning, and a unit's answer or return."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from ..web.formatting import date_input_value
from ..web.forms import max_length, strip

DATE_HINT = _l("Jika kalender tidak muncul, tulis hari/bulan/tahun, misalnya 16/03/2026.")


class LocalDateField(DateField):
    """A date input whose messages are ours: empty is left to the form, a bad value is explained."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs.setdefault("invalid_value_message", _l(
            "Tanggal tidak valid. Tulis hari/bulan/tahun, misalnya 16/03/2026."))
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        valuelist = [value.strip() for value in valuelist or [] if value and value.strip()]
        if not valuelist:
            self.data = None
            return
        # A date input sends ISO; where the browser shows a text box, the day is typed day first.
        super().process_formdata([date_input_value(valuelist[0]), *valuelist[1:]])


class UnitChoicesField(SelectMultipleField):
    """Checkboxes of units; a choice that is not offered gets our message, not WTForms' English."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs.setdefault("invalid_value_message", _l("Pilih unit PPID Pembantu dari daftar."))
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form) -> None:
        offered = {choice.value for choice in self.choices or []}
        if any(value not in offered for value in self.data or []):
            raise ValidationError(_l("Pilih unit PPID Pembantu dari daftar."))


class UnitChoiceField(SelectField):
    def pre_validate(self, form) -> None:
        if self.data in (None, ""):
            return
        if self.data not in {choice.value for choice in self.choices or []}:
            raise ValidationError(_l("Pilih unit PPID Pembantu dari daftar."))


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _require_date(message):
    def check(form, field) -> None:
        if field.data is None and not field.process_errors:
            raise ValidationError(message)

    return check


class VersionedForm(FlaskForm):
    version = HiddenField()  # the version of the request (or task) the officer saw

    @property
    def seen_version(self) -> int | None:
        return _int_or_none(self.version.data)


class RouteForm(VersionedForm):
    """Disposisi: one or more units, an instruction, an internal due date."""

    units = UnitChoicesField(_l("Unit PPID Pembantu tujuan"), coerce=int, id="route-units",
                             validators=[DataRequired(_l("Pilih paling sedikit satu unit."))])
    instruction = TextAreaField(_l("Instruksi untuk unit"), filters=[strip], id="route-instruction",
                                validators=[DataRequired(_l("Tulis instruksi untuk unit: apa yang perlu disiapkan.")),
                                            max_length(4000)])
    internal_due = LocalDateField(_l("Batas waktu internal unit"), id="route-internal_due",
                                  validators=[_require_date(_l("Tulis batas waktu internal untuk unit."))])

    # With many units (no select): codes typed, comma-separated; search-as-you-type adds boxes instead.
    unit_codes = StringField(_l("Kode unit tujuan"), filters=[strip], id="route-unit_codes",
                             validators=[max_length(2000)])

    def set_units(self, units) -> RouteForm:
        self.units.choices = [SelectChoice(u.id, u.name) for u in units]
        return self

    @property
    def typed_codes(self) -> list[str]:
        return [code for code in re.split(r"[\s,;]+", self.unit_codes.data or "") if code]


class ReassignForm(VersionedForm):
    """Alihkan: cancel one task and route it to another unit (prefix per task on the page)."""

    task_version = HiddenField()
    unit_id = UnitChoiceField(_l("Alihkan ke unit"), coerce=lambda v: _int_or_none(v) if v != "" else None,
                              validators=[DataRequired(_l("Pilih unit tujuan."))])
    instruction = TextAreaField(_l("Instruksi untuk unit tujuan"), filters=[strip],
                                validators=[DataRequired(_l("Tulis instruksi untuk unit tujuan.")),
                                            max_length(4000)])
    internal_due = LocalDateField(_l("Batas waktu internal unit"),
                                  validators=[_require_date(_l("Tulis batas waktu internal untuk unit."))])

    unit_code = StringField(_l("Alihkan ke unit"), filters=[strip], validators=[max_length(64)])

    def set_units(self, units, current_unit_id: int) -> ReassignForm:
        self.unit_id.choices = [SelectChoice("", _l("— Pilih unit —"))] + [
            SelectChoice(u.id, u.name) for u in units if u.id != current_unit_id]
        return self

    @property
    def seen_task_version(self) -> int | None:
        return _int_or_none(self.task_version.data)


class TaskAnswerForm(VersionedForm):
    """A unit's answer: a draft text for PPID Utama and the documents it rests on."""

    answer_text = TextAreaField(_l("Jawaban atau draf informasi"), filters=[strip], validators=[
        DataRequired(_l("Tulis jawaban atau draf informasi untuk PPID Utama.")), max_length(20000)])
    documents = MultipleFileField(_l("Dokumen pendukung (boleh lebih dari satu)"))
    document_tokens = HiddenField()  # documents accepted on an earlier try, space-separated


class TaskReturnForm(VersionedForm):
    """A unit returns a task it cannot handle."""

    reason = TextAreaField(_l("Alasan pengembalian"), filters=[strip], validators=[
        DataRequired(_l("Tulis alasan mengapa unit tidak dapat mengerjakan tugas ini.")), max_length(4000)])
