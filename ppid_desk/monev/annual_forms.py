"""The narrative sections of the annual report (Perki 1/2021), edited by PPID Utama."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField

from ..web.forms import max_length, strip

TEXT_LIMIT = 20000


class AnnualReportForm(FlaskForm):
    policy = TextAreaField(_l("Kebijakan pelayanan informasi publik"), filters=[strip],
                           validators=[max_length(TEXT_LIMIT)])
    facilities = TextAreaField(_l("Sarana dan prasarana, sumber daya manusia, dan anggaran"), filters=[strip],
                               validators=[max_length(TEXT_LIMIT)])
    obstacles = TextAreaField(_l("Kendala eksternal dan internal"), filters=[strip],
                              validators=[max_length(TEXT_LIMIT)])
    recommendations = TextAreaField(_l("Rekomendasi dan rencana tindak lanjut"), filters=[strip],
                                    validators=[max_length(TEXT_LIMIT)])
    published = BooleanField(_l("Terbitkan laporan ini di halaman publik"))


NARRATIVE_FIELDS = ("policy", "facilities", "obstacles", "recommendations")
