"""Forms for filing an objection (keberatan): the applicant's online form and the desk's paper entry."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from ..desk.intake_forms import parse_local_date, parse_local_time
from ..web.forms import ChoiceRadioField, max_length, no_bidi_controls, strip
from .labels import DESK_OBJECTION_CHANNELS, GROUND_LABELS, OBJECTION_CHANNEL_LABELS
from .models import PASAL_35_GROUNDS


class GroundsField(SelectMultipleField):
    """Checkboxes of the Pasal 35(1) grounds, with our own messages."""

    def pre_validate(self, form) -> None:
        values = {choice.value for choice in self.iter_choices()}
        if any(value not in values for value in self.data or []):
            raise ValidationError(_l("Pilih alasan dari daftar yang tersedia."))


class ObjectionForm(FlaskForm):
    grounds = GroundsField(
        _l("Alasan keberatan"),
        choices=[SelectChoice(letter, GROUND_LABELS[letter]) for letter in PASAL_35_GROUNDS],
        validators=[DataRequired(_l("Pilih paling sedikit satu alasan keberatan."))])
    case_summary = TextAreaField(_l("Kasus posisi"), filters=[strip], validators=[
        DataRequired(_l("Tulis kasus posisi: apa yang terjadi dan mengapa Anda keberatan.")),
        Length(min=10, max=5000, message=_l("Kasus posisi 10 sampai 5.000 karakter."))])
    intended_use = TextAreaField(_l("Tujuan penggunaan informasi"), filters=[strip], validators=[
        DataRequired(_l("Tulis tujuan penggunaan informasi.")), max_length(2000)])
    periodic_found_on = StringField(
        _l("Untuk alasan huruf b: tanggal Anda mengetahui informasi berkala tidak tersedia"), filters=[strip])
    representative_name = StringField(_l("Nama kuasa (jika diajukan oleh kuasa)"), filters=[strip],
                                      validators=[max_length(200), no_bidi_controls])
    representative_address = TextAreaField(_l("Alamat kuasa"), filters=[strip],
                                           validators=[max_length(1000), no_bidi_controls])
    representative_contact = StringField(_l("Telepon dan/atau e-mail kuasa"), filters=[strip],
                                         validators=[max_length(254), no_bidi_controls])
    power_of_attorney = FileField(_l("Surat kuasa"))
    power_of_attorney_token = HiddenField()

    def needs_power_of_attorney(self) -> bool:
        return bool(self.representative_name.data)

    def validate_periodic_found_on(self, field) -> None:
        """Only its format here; whether it is needed and not too late is the service's rule."""
        field.day = None
        if not field.data:
            return
        field.day = parse_local_date(field.data)
        if field.day is None:
            raise ValidationError(_l("Tanggal tidak valid. Tulis seperti 02-03-2026."))


DESK_CHANNEL_CHOICES = [SelectChoice(code.value, OBJECTION_CHANNEL_LABELS[code]) for code in DESK_OBJECTION_CHANNELS]


class DeskObjectionForm(ObjectionForm):
    """An objection received on paper, entered by a desk officer with its real receipt time."""

    channel = ChoiceRadioField(_l("Saluran keberatan"), choices=DESK_CHANNEL_CHOICES,
                               validators=[DataRequired(_l("Pilih saluran keberatan diterima."))])
    received_date = StringField(_l("Tanggal diterima"), filters=[strip], validators=[
        DataRequired(_l("Tulis tanggal keberatan diterima."))])
    received_time = StringField(_l("Jam diterima"), filters=[strip], validators=[
        DataRequired(_l("Tulis jam keberatan diterima, contoh 09.30."))])
    paper_document = FileField(_l("Pindaian surat keberatan (jika ada)"))
    paper_document_token = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        first = ("channel", "received_date", "received_time")
        self._fields = {name: self._fields[name] for name in (*first, *(n for n in self._fields if n not in first))}

    def validate_received_date(self, field) -> None:
        day = parse_local_date(field.data)
        if day is None:
            raise ValidationError(_l("Tanggal tidak valid. Tulis seperti 02-03-2026."))
        field.data = day.isoformat()

    def validate_received_time(self, field) -> None:
        moment = parse_local_time(field.data)
        if moment is None:
            raise ValidationError(_l("Jam tidak valid. Tulis jam dan menit, contoh 09.30."))
        field.data = moment.strftime("%H:%M")

    def received_local(self):
        return parse_local_date(self.received_date.data or ""), parse_local_time(self.received_time.data or "")
