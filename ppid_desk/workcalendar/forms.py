"""Forms of the calendar administration page (messages in plain Bahasa Indonesia)."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from ..sla import ClosureKind
from ..web.forms import ChoiceRadioField, max_length, strip
from .admin_services import FIRST_YEAR, LAST_YEAR, NAME_MAX

HOLIDAY_KINDS = [
    SelectChoice(ClosureKind.LIBUR_NASIONAL.value, _l("Libur nasional")),
    SelectChoice(ClosureKind.CUTI_BERSAMA.value, _l("Cuti bersama")),
    SelectChoice(ClosureKind.LOCAL_CLOSURE.value, _l("Libur setempat (kantor tutup, misalnya hari jadi daerah)")),
]
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def parse_day(text: str | None) -> date | None:
    """A date typed as 2026-08-17 (what a date picker sends) or 17-08-2026 / 17/08/2026."""
    text = (text or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DAY_FIRST.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def _valid_day(form, field) -> None:
    day = parse_day(field.data)
    if day is None:
        raise ValidationError(_l("Tulis tanggal yang benar, misalnya 17/08/2026."))
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(_l("Kalender mencakup tahun %(first)d sampai %(last)d.",
                                 first=FIRST_YEAR, last=LAST_YEAR))


class HolidayAddForm(FlaskForm):
    # Text, not a DateField, so that what the admin typed is shown again next to the error.
    day = StringField(_l("Tanggal"), filters=[strip],
                      validators=[DataRequired(_l("Tulis tanggal hari libur.")), _valid_day])
    kind = ChoiceRadioField(_l("Jenis"), choices=HOLIDAY_KINDS,
                            validators=[DataRequired(_l("Pilih jenis hari libur."))])
    name = StringField(_l("Nama"), filters=[strip], validators=[
        DataRequired(_l("Tulis nama hari libur.")), max_length(NAME_MAX)])

    @property
    def parsed_day(self) -> date | None:
        return parse_day(self.day.data)


class HolidayRenameForm(FlaskForm):
    name = StringField(_l("Nama baru"), filters=[strip], validators=[
        DataRequired(_l("Tulis nama hari libur.")), max_length(NAME_MAX)])


class YearImportForm(FlaskForm):
    year = HiddenField()

    @property
    def parsed_year(self) -> int | None:
        try:
            return int(self.year.data)
        except (TypeError, ValueError):
            return None
