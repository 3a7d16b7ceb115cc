"""Forms of a round's results: publishing them (with a confirmation) and withdrawing them (with a
reason)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired

from ..web.forms import max_length, strip


class PublishForm(FlaskForm):
    confirm = BooleanField(
        _l("Saya sudah memeriksa peringkat dan predikat; terbitkan nama unit, nilai akhir dan predikatnya di laman "
           "publik."),
        validators=[DataRequired(_l("Centang pernyataan ini untuk menerbitkan hasil."))])


class UnpublishForm(FlaskForm):
    reason = TextAreaField(_l("Alasan penarikan"), filters=[strip],
                           validators=[DataRequired(_l("Tulis alasan penarikan hasil.")), max_length(1000)])
