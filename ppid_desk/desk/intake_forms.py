"""Forms of the desk intake: desk registration, completeness check, internal notes, completion."""

from __future__ import annotations

import re
from datetime import date, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, HiddenField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Optional, ValidationError

from ..requests.forms import RequestForm
from ..web.forms import ChoiceRadioField, max_length, parse_int, strip
from .labels import DESK_CHANNEL_LABELS

DESK_CHANNELS = [SelectChoice(code.value, label) for code, label in DESK_CHANNEL_LABELS.items()]
_ISO_DATE_RE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
_LOCAL_DATE_RE = re.compile(r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})$")
_TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def parse_local_date(value: str | None) -> date | None:
    """``2026-03-02`` (what a date input sends) or ``02-03-2026`` / ``02/03/2026`` typed by hand."""
    if not isinstance(value, str):  # the field was not sent at all
        return None
    match = _ISO_DATE_RE.match(value) or _LOCAL_DATE_RE.match(value)
    if match is None:
        return None
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:  # 31-02-2026
        return None


def parse_local_time(value: str | None) -> time | None:
    """``14:30`` (a time input) or ``14.30`` (the Indonesian way of writing it)."""
    if not isinstance(value, str):
        return None
    match = _TIME_RE.match(value)
    return time(int(match.group(1)), int(match.group(2))) if match else None


class DeskRequestForm(RequestForm):
    """The request form as a desk officer fills it for a walk-in, letter, e-mail or phone request.

    E-mail is optional (a phone request may come without one), the identity document is
    optional (the officer saw the KTP) and the applicant's declaration is not asked.
    """

    channel = ChoiceRadioField(_l("Saluran permohonan"), choices=DESK_CHANNELS,
                               validators=[DataRequired(_l("Pilih saluran permohonan diterima."))])
    received_date = StringField(_l("Tanggal diterima"), filters=[strip], validators=[
        DataRequired(_l("Tulis tanggal permohonan diterima."))])
    received_time = StringField(_l("Jam diterima"), filters=[strip], validators=[
        DataRequired(_l("Tulis jam permohonan diterima, contoh 09.30."))])
    email = EmailField(_l("E-mail (jika ada)"), filters=[strip], validators=[
        Optional(),
        Email(message=_l("Alamat e-mail tidak valid, contoh: nama@contoh.id"), check_deliverability=False),
        max_length(254)])
    declaration = None  # the applicant's own declaration belongs to the online form only

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The receipt comes first on the page, so it comes first in the error summary too.
        first = ("channel", "received_date", "received_time")
        self._fields = {name: self._fields[name] for name in (*first, *(n for n in self._fields if n not in first))}

    def validate_received_date(self, field) -> None:
        day = parse_local_date(field.data)
        if day is None:
            raise ValidationError(_l("Tanggal tidak valid. Tulis seperti 02-03-2026."))
        field.data = day.isoformat()  # what a date input shows again

    def validate_received_time(self, field) -> None:
        moment = parse_local_time(field.data)
        if moment is None:
            raise ValidationError(_l("Jam tidak valid. Tulis jam dan menit, contoh 09.30."))
        field.data = moment.strftime("%H:%M")  # what a time input shows again

    def received_local(self) -> tuple[date, time]:
        """The receipt date and time as typed (valid only after ``validate``)."""
        return parse_local_date(self.received_date.data), parse_local_time(self.received_time.data)


class AcceptForm(FlaskForm):
    version = HiddenField()


class IncompleteForm(FlaskForm):
    version = HiddenField()
    missing_items = TextAreaField(_l("Apa yang belum lengkap"), filters=[strip], validators=[
        DataRequired(_l("Tulis apa yang perlu dilengkapi pemohon.")), max_length(2000)])


class NoteForm(FlaskForm):
    note_body = TextAreaField(_l("Catatan baru"), filters=[strip], validators=[
        DataRequired(_l("Tulis isi catatan.")), max_length(5000)])


class CompleteForm(FlaskForm):
    """The applicant completes an incomplete request: a text and optionally a file."""

    version = HiddenField()
    completion_text = TextAreaField(_l("Kelengkapan yang Anda kirim"), filters=[strip], validators=[
        DataRequired(_l("Tulis keterangan kelengkapan yang Anda kirim.")), max_length(5000)])
    completion_document = FileField(_l("Berkas pendukung (jika ada)"))
    completion_document_token = HiddenField()


def form_version(form: FlaskForm) -> int | None:
    """The request version the form was rendered with (None when absent: not checked)."""
    return parse_int(form.version.data, low=0)
