"""The one form for how a printed letter reached the applicant: how (in person, post, courier,
e-mail), the day received, and for post or courier the proof. Used for the completeness letters,
the extension letter and the withdrawal confirmation (``requests.letters.handover_problems``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from ..notices.forms import day_validator
from ..web.forms import ChoiceRadioField, strip
from .models import LetterSentVia

HANDOVER_LABELS = {
    LetterSentVia.IN_PERSON: _l("Diserahkan langsung"),
    LetterSentVia.POST: _l("Pos"),
    LetterSentVia.COURIER: _l("Kurir"),
    LetterSentVia.EMAIL: _l("E-mail"),
}
HANDOVER_CHOICES = [SelectChoice(code.value, label) for code, label in HANDOVER_LABELS.items()]


class LetterHandoverForm(FlaskForm):
    """How and when the printed letter reached the applicant.

    Each letter's form carries a prefix (several on one page); the token is the page's plain
    ``csrf_token`` field, checked by the app-wide ``CSRFProtect`` on every POST, so the form's
    own (prefixed) token check is off.
    """

    class Meta:
        csrf = False

    method = ChoiceRadioField(_l("Cara surat diserahkan"), choices=HANDOVER_CHOICES,
                              validators=[DataRequired(_l("Pilih cara surat diserahkan."))])
    received_on = StringField(_l("Tanggal diterima pemohon"), filters=[strip], validators=[
        day_validator(_l("Tulis tanggal surat diterima pemohon."))])
    proof = FileField(_l("Bukti diterima (resi pos atau kurir, atau tanda terima yang ditandatangani)"))
    proof_token = HiddenField()
