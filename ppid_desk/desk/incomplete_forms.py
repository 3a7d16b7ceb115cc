"""Forms of an incomplete request's letters: the record of a letter's hand-over, and the close
as not completed (tidak dilengkapi)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from ..requests.models import HandoverMethod
from ..web.forms import ChoiceRadioField, strip
from .intake_forms import parse_local_date

HANDOVER_LABELS = {
    HandoverMethod.IN_PERSON: _l("Diserahkan langsung"),
    HandoverMethod.POST: _l("Pos"),
    HandoverMethod.COURIER: _l("Kurir"),
    HandoverMethod.EMAIL: _l("E-mail"),
}
HANDOVER_CHOICES = [SelectChoice(code.value, label) for code, label in HANDOVER_LABELS.items()]


class HandoverForm(FlaskForm):
    """How and when the printed letter was given (or sent) to the applicant.

    Each letter's form carries a prefix (several on one page); the token is the page's plain
    ``csrf_token`` field, checked by the app-wide ``CSRFProtect`` on every POST, so the form's
    own (prefixed) token check is off.
    """

    class Meta:
        csrf = False

    method = ChoiceRadioField(_l("Cara surat diserahkan"), choices=HANDOVER_CHOICES,
                              validators=[DataRequired(_l("Pilih cara surat diserahkan."))])
    handed_over_on = StringField(_l("Tanggal diserahkan atau dikirim"), filters=[strip], validators=[
        DataRequired(_l("Tulis tanggal surat diserahkan atau dikirim."))])

    def validate_handed_over_on(self, field) -> None:
        day = parse_local_date(field.data)
        if day is None:
            raise ValidationError(_l("Tanggal tidak valid. Tulis seperti 02-03-2026."))
        field.data = day.isoformat()

    def day(self) -> date | None:
        return parse_local_date(self.handed_over_on.data)


class CloseNotCompletedForm(FlaskForm):
    """Close an incomplete request whose completion period has passed (a plain POST button)."""

    version = HiddenField()
