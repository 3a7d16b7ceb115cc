"""The desk's form to publish a request's answer in the Daftar Informasi Publik. It reads what was
typed; the service (``answer_services.answer_problems``) decides what is missing or not allowed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ..web.forms import ChoiceRadioField, max_length, no_bidi_controls, parse_int, strip
from .answer_services import REQUEST_SUMMARY_MAX, TIMING_DELAY, TIMING_NOW, AnswerDraft
from .labels import TIMING_LABELS
from .services import SUMMARY_MAX, TITLE_MAX


class AnswerForm(FlaskForm):
    title = StringField(_l("Judul informasi"), filters=[strip], validators=[max_length(TITLE_MAX), no_bidi_controls])
    summary = TextAreaField(_l("Ringkasan isi informasi"), filters=[strip], validators=[max_length(SUMMARY_MAX)])
    request_summary = TextAreaField(_l("Ringkasan permohonan (tanpa identitas pemohon)"), filters=[strip],
                                    validators=[max_length(REQUEST_SUMMARY_MAX)])
    documents = SelectMultipleField(_l("Berkas yang diumumkan"), choices=[], validate_choice=False)
    unit_id = SelectField(_l("Unit yang menguasai informasi"), validate_choice=False)
    timing = ChoiceRadioField(_l("Tampil di daftar publik"), choices=[
        SelectChoice(TIMING_NOW, TIMING_LABELS[TIMING_NOW]), SelectChoice(TIMING_DELAY, TIMING_LABELS[TIMING_DELAY])])

    def draft(self) -> AnswerDraft:
        ids = tuple(i for i in (parse_int(v, low=1) for v in self.documents.data or []) if i is not None)
        return AnswerDraft(title=self.title.data or "", summary=self.summary.data or "",
                           request_summary=self.request_summary.data or "", unit_id=parse_int(self.unit_id.data),
                           document_ids=ids, timing=self.timing.data or "")
