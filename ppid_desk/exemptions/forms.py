"""Forms of exemption decisions. The forms read the dates and the choices; the service
(``services.exemption_problems``) decides what is missing or contradictory."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..notices.forms import day_validator
from ..notices.labels import PASAL_17_LABELS
from ..notices.models import PASAL_17_LETTERS
from ..web.forms import ChoiceRadioField, max_length, parse_int, strip
from .models import ExemptionDecision
from .services import (
    NAME_MAX,
    PERIOD_MAX,
    PLACE_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    ExemptionDraft,
)

PASAL_17_CHOICES = [SelectChoice(letter, _l("huruf %(letter)s — %(name)s", letter=letter,
                                             name=PASAL_17_LABELS[letter]))
                    for letter in PASAL_17_LETTERS]
_day = day_validator()


class UnitSelectField(SelectField):
    """The unit, as an id; our message for a value that is not on the list."""

    def pre_validate(self, form) -> None:
        if self.data and self.data not in {str(value) for value, *_rest in self.choices}:
            raise ValidationError(_l("Pilih unit dari daftar."))


class ExemptionForm(FlaskForm):
    version = HiddenField()
    unit_id = UnitSelectField(_l("Unit yang menguasai informasi"), choices=[], validate_choice=False)
    title = StringField(_l("Judul informasi yang dikecualikan"), filters=[strip], validators=[max_length(TITLE_MAX)])
    description = TextAreaField(_l("Uraian informasi yang dikecualikan"), filters=[strip],
                                validators=[max_length(TEXT_MAX)])
    pasal17_letter = ChoiceRadioField(_l("Dasar pengecualian: Pasal 17 UU 14/2008"), choices=PASAL_17_CHOICES)
    legal_basis = TextAreaField(_l("Dasar hukum lain yang menjadi dasar pengecualian"), filters=[strip],
                                validators=[max_length(TEXT_MAX)])
    harm = TextAreaField(_l("Akibat (kerugian) jika informasi dibuka"), filters=[strip],
                         validators=[max_length(TEXT_MAX)])
    public_interest = TextAreaField(_l("Kepentingan publik yang dipertimbangkan"), filters=[strip],
                                    validators=[max_length(TEXT_MAX)])
    weighing = TextAreaField(_l("Mengapa kerugian lebih besar daripada kepentingan publik"), filters=[strip],
                             validators=[max_length(TEXT_MAX)])
    period = StringField(_l("Jangka waktu pengecualian"), filters=[strip], validators=[max_length(PERIOD_MAX)])
    ends_on = StringField(_l("Tanggal berakhirnya pengecualian"), filters=[strip], validators=[_day])
    official_name = StringField(_l("Nama pejabat yang menetapkan"), filters=[strip],
                                validators=[max_length(NAME_MAX)])
    official_position = StringField(_l("Jabatan"), filters=[strip], validators=[max_length(NAME_MAX)])
    official_nip = StringField(_l("NIP (tidak wajib)"), filters=[strip], validators=[max_length(40)])
    decided_place = StringField(_l("Tempat penetapan"), filters=[strip], validators=[max_length(PLACE_MAX)])
    decided_on = StringField(_l("Tanggal penetapan"), filters=[strip], validators=[_day])

    def draft(self) -> ExemptionDraft:
        return ExemptionDraft(
            unit_id=parse_int(self.unit_id.data), title=self.title.data or "",
            description=self.description.data or "", pasal17_letter=self.pasal17_letter.data or "",
            legal_basis=self.legal_basis.data or "", harm=self.harm.data or "",
            public_interest=self.public_interest.data or "", weighing=self.weighing.data or "",
            period=self.period.data or "", ends_on=getattr(self.ends_on, "day", None),
            official_name=self.official_name.data or "", official_position=self.official_position.data or "",
            official_nip=self.official_nip.data or "", decided_place=self.decided_place.data or "",
            decided_on=getattr(self.decided_on, "day", None))

    def expected_version(self) -> int | None:
        return parse_int(self.version.data, low=0)


def form_from_decision(decision: ExemptionDecision) -> ExemptionForm:
    return ExemptionForm(
        formdata=None, version=str(decision.version), unit_id=str(decision.unit_id), title=decision.title,
        description=decision.description, pasal17_letter=decision.pasal17_letter, legal_basis=decision.legal_basis,
        harm=decision.harm, public_interest=decision.public_interest, weighing=decision.weighing,
        period=decision.period, ends_on=decision.ends_on.isoformat() if decision.ends_on else "",
        official_name=decision.official_name, official_position=decision.official_position,
        official_nip=decision.official_nip, decided_place=decision.decided_place,
        decided_on=decision.decided_on.isoformat())


class ReasonForm(FlaskForm):
    """Returning (what to correct) or revoking (why) a decision."""

    version = HiddenField()
    reason = TextAreaField(_l("Alasan"), filters=[strip], validators=[max_length(REASON_MAX)])

    def expected_version(self) -> int | None:
        return parse_int(self.version.data, low=0)


class VersionForm(FlaskForm):
    """Submitting or approving: a button, with the version the officer saw."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        return parse_int(self.version.data, low=0)
