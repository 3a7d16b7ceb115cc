"""The survey form: nine questions on a four-point scale and an optional suggestion."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from ..web.forms import ChoiceRadioField, max_length, strip
from .labels import ELEMENTS
from .services import SUGGESTION_MAX

CHOICE_REQUIRED = _l("Pilih salah satu dari empat jawaban.")


def _element_field(element) -> ChoiceRadioField:
    return ChoiceRadioField(element.question, choices=[SelectChoice(str(value), label) for value, label
                                                       in zip((1, 2, 3, 4), element.answers, strict=True)],
                            validators=[DataRequired(CHOICE_REQUIRED)])


class SurveyForm(FlaskForm):
    """Survei kepuasan masyarakat: one radio group per service element (unsur pelayanan)."""

    suggestion = TextAreaField(_l("Saran atau masukan (tidak wajib)"), filters=[strip],
                               validators=[Optional(), max_length(SUGGESTION_MAX)])

    def scores(self) -> dict[str, str | None]:
        return {element.key: getattr(self, element.key).data for element in ELEMENTS}

    def element_fields(self) -> list:
        return [(element, getattr(self, element.key)) for element in ELEMENTS]


for _element in ELEMENTS:
    setattr(SurveyForm, _element.key, _element_field(_element))
