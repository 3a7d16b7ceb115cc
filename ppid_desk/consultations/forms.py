"""Forms of consultations. The forms read the date, the time and the choices; the service
(``services.consultation_problems``) decides what is missing or contradictory."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..desk.intake_forms import DeskRequestForm, parse_local_date, parse_local_time
from ..web.forms import ChoiceRadioField, max_length, parse_int, strip
from .labels import CHANNEL_LABELS, RESOLUTION_LABELS
from .models import Consultation
from .services import CONTACT_MAX, NAME_MAX, NOTE_MAX, REASON_MAX, TOPIC_MAX, ConsultationDraft

CHANNEL_CHOICES = [SelectChoice(code.value, label) for code, label in CHANNEL_LABELS.items()]
RESOLUTION_CHOICES = [SelectChoice(code.value, label) for code, label in RESOLUTION_LABELS.items()]


class UnitSelectField(SelectField):
    """The unit, as an id; our message for a value that is not on the list."""

    def pre_validate(self, form) -> None:
        if self.data and self.data not in {str(value) for value, *_rest in self.choices}:
            raise ValidationError(_l("Pilih unit dari daftar."))


def local_moment(day_text: str | None, time_text: str | None, zone: str) -> datetime | None:
    """The typed local date and time as UTC, or None while either is unreadable."""
    day, moment = parse_local_date(day_text), parse_local_time(time_text)
    if day is None or moment is None:
        return None
    return datetime.combine(day, moment, tzinfo=ZoneInfo(zone)).astimezone(UTC)


class ConsultationForm(FlaskForm):
    version = HiddenField()
    occurred_date = StringField(_l("Tanggal"), filters=[strip])
    occurred_time = StringField(_l("Jam"), filters=[strip])
    channel = ChoiceRadioField(_l("Saluran"), choices=CHANNEL_CHOICES)
    unit_id = UnitSelectField(_l("Unit yang melayani"), choices=[], validate_choice=False)
    topic = TextAreaField(_l("Pokok konsultasi"), filters=[strip], validators=[max_length(TOPIC_MAX)])
    resolution = ChoiceRadioField(_l("Tindak lanjut"), choices=RESOLUTION_CHOICES)
    resolution_note = TextAreaField(_l("Keterangan tindak lanjut"), filters=[strip],
                                    validators=[max_length(NOTE_MAX)])
    contact_consent = BooleanField(_l("Orangnya setuju nama dan kontaknya disimpan untuk menghubunginya kembali"))
    contact_name = StringField(_l("Nama (tidak wajib)"), filters=[strip], validators=[max_length(NAME_MAX)])
    contact = StringField(_l("Nomor telepon atau e-mail"), filters=[strip], validators=[max_length(CONTACT_MAX)])

    def validate_occurred_date(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Tulis tanggal konsultasi."))
        day = parse_local_date(field.data)
        if day is None:
            raise ValidationError(_l("Tanggal tidak valid. Tulis seperti 02-03-2026."))
        field.data = day.isoformat()

    def validate_occurred_time(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Tulis jam konsultasi, contoh 09.30."))
        moment = parse_local_time(field.data)
        if moment is None:
            raise ValidationError(_l("Jam tidak valid. Tulis jam dan menit, contoh 09.30."))
        field.data = moment.strftime("%H:%M")

    def draft(self, zone: str) -> ConsultationDraft:
        return ConsultationDraft(
            occurred_at=local_moment(self.occurred_date.data, self.occurred_time.data, zone),
            channel=self.channel.data or "", topic=self.topic.data or "", unit_id=parse_int(self.unit_id.data),
            resolution=self.resolution.data or "", resolution_note=self.resolution_note.data or "",
            contact_consent=bool(self.contact_consent.data), contact_name=self.contact_name.data or "",
            contact=self.contact.data or "")

    def expected_version(self) -> int | None:
        return parse_int(self.version.data, low=0)


def form_from_consultation(consultation: Consultation, zone: str) -> ConsultationForm:
    local = consultation.occurred_at.astimezone(ZoneInfo(zone))
    return ConsultationForm(
        formdata=None, version=str(consultation.version), occurred_date=local.strftime("%Y-%m-%d"),
        occurred_time=local.strftime("%H:%M"), channel=consultation.channel, unit_id=str(consultation.unit_id),
        topic=consultation.topic, resolution=consultation.resolution, resolution_note=consultation.resolution_note,
        contact_consent=consultation.contact_consent, contact_name=consultation.contact_name or "",
        contact=consultation.contact or "")


class WithdrawForm(FlaskForm):
    """Withdrawing a consultation logged by mistake: why."""

    version = HiddenField()
    reason = TextAreaField(_l("Alasan pembatalan"), filters=[strip], validators=[max_length(REASON_MAX)])

    def expected_version(self) -> int | None:
        return parse_int(self.version.data, low=0)


class ConvertForm(DeskRequestForm):
    """The desk's request form for the request a consultation became: the receipt is the
    consultation's (not typed), no identity scan is asked here (the desk's request page takes
    documents later). ``received_date``/``received_time`` are filled by the view."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        return parse_int(self.version.data, low=0)

