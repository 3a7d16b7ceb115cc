"""Forms of a withdrawal (pencabutan): the applicant's confirmation and the desk's record."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from ..desk.intake_forms import DESK_CHANNELS, parse_local_date, parse_local_time
from ..web.forms import ChoiceRadioField, max_length, strip
from .withdrawal import REASON_MAX


def form_version(form: FlaskForm) -> int | None:
    value = (form.version.data or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


class WithdrawForm(FlaskForm):
    """The applicant confirms the withdrawal, optionally saying why."""

    version = HiddenField()
    reason = TextAreaField(_l("Alasan pencabutan (tidak wajib)"), filters=[strip], validators=[max_length(REASON_MAX)])


class DeskWithdrawForm(FlaskForm):
    """A withdrawal the desk received by letter, phone, e-mail or in person, at its real moment."""

    version = HiddenField()
    channel = ChoiceRadioField(_l("Pencabutan diterima melalui"), choices=DESK_CHANNELS,
                               validators=[DataRequired(_l("Pilih bagaimana pencabutan diterima."))])
    received_date = StringField(_l("Tanggal diterima"), filters=[strip], validators=[
        DataRequired(_l("Tulis tanggal pencabutan diterima."))])
    received_time = StringField(_l("Jam diterima"), filters=[strip], validators=[
        DataRequired(_l("Tulis jam pencabutan diterima, contoh 09.30."))])
    reason = TextAreaField(_l("Alasan pencabutan (jika disebutkan)"), filters=[strip],
                           validators=[max_length(REASON_MAX)])

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

    def received_at(self) -> datetime | None:
        """The typed local moment in UTC (None while the date or time is unreadable)."""
        day: date | None = parse_local_date(self.received_date.data)
        moment: time | None = parse_local_time(self.received_time.data)
        if day is None or moment is None:
            return None
        zone = ZoneInfo(current_app.config["BODY_TIMEZONE"])
        return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)

    def fill_now(self, now: datetime) -> None:
        local = now.astimezone(ZoneInfo(current_app.config["BODY_TIMEZONE"]))
        self.received_date.data, self.received_time.data = local.strftime("%Y-%m-%d"), local.strftime("%H:%M")
