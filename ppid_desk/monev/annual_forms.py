"""The narrative sections of the annual report (Perki 1/2021), edited by PPID Utama."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ..notices.forms import day_validator
from ..web.forms import ChoiceRadioField, max_length, strip

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


class SubmissionForm(FlaskForm):
    """The annual report's submission to the Komisi Informasi (day, how, to whom) with its proof."""

    submitted_on = StringField(_l("Tanggal disampaikan"), filters=[strip], validators=[day_validator()])
    submitted_via = ChoiceRadioField(_l("Cara penyampaian"), choices=[])
    submitted_to = StringField(_l("Disampaikan kepada"), filters=[strip])
    submission_note = TextAreaField(_l("Catatan (nomor surat pengantar, nomor tanda terima)"), filters=[strip])
    proof = FileField(_l("Bukti penyampaian"))
    proof_token = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        from .annual_submission_services import SUBMISSION_CHANNELS

        super().__init__(*args, **kwargs)
        self.submitted_via.choices = [SelectChoice(code, text) for code, text in SUBMISSION_CHANNELS.items()]
