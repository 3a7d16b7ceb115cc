"""The form of the applicant's reaction to the response (register keberatan). Formats only; the
service checks the date against the response and today."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from ..notices.forms import day_validator
from ..web.forms import ChoiceRadioField, max_length, no_bidi_controls, strip
from .reaction_labels import REACTION_LABELS
from .reaction_services import MAX_REACTION_NOTE

_day = day_validator(_l("Isi tanggal tanggapan pemohon diketahui."))

class ReactionForm(FlaskForm):
    version = HiddenField()
    reaction = ChoiceRadioField(_l("Tanggapan pemohon atas tanggapan Atasan PPID"),
                                choices=[SelectChoice(k.value, v) for k, v in REACTION_LABELS.items()],
                                validators=[DataRequired(_l("Pilih tanggapan pemohon."))])
    reaction_on = StringField(_l("Tanggal diketahui"), filters=[strip], validators=[_day])
    reaction_note = TextAreaField(_l("Catatan singkat (tidak wajib)"), filters=[strip],
                                  validators=[Optional(), max_length(MAX_REACTION_NOTE), no_bidi_controls])
