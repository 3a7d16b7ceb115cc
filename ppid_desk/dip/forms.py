"""The desk's forms for the Daftar Informasi Publik. The form reads what was typed; the service
(``services.item_problems``) decides what is missing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FileField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ..web.forms import ChoiceRadioField, max_length, no_bidi_controls, parse_int, strip
from .labels import CATEGORY_LABELS, FORMAT_LABELS
from .models import InformationItem, ItemCategory, ItemFormat
from .services import REQUEST_SUMMARY_MAX, SHORT_MAX, SUMMARY_MAX, TITLE_MAX, URL_MAX, ItemDraft


class ItemForm(FlaskForm):
    version = HiddenField()
    title = StringField(_l("Judul informasi"), filters=[strip],
                        validators=[max_length(TITLE_MAX), no_bidi_controls])
    summary = TextAreaField(_l("Ringkasan isi informasi"), filters=[strip], validators=[max_length(SUMMARY_MAX)])
    category = ChoiceRadioField(_l("Kategori"), choices=[
        SelectChoice(c.value, CATEGORY_LABELS[c]) for c in ItemCategory])
    review_months = StringField(_l("Ditinjau setiap (bulan)"), filters=[strip])
    unit_id = SelectField(_l("Unit yang menguasai informasi"), validate_choice=False)
    official = StringField(_l("Pejabat yang bertanggung jawab"), filters=[strip], validators=[max_length(SHORT_MAX)])
    made_when = StringField(_l("Waktu pembuatan"), filters=[strip], validators=[max_length(100)])
    made_where = StringField(_l("Tempat pembuatan"), filters=[strip], validators=[max_length(SHORT_MAX)])
    format = ChoiceRadioField(_l("Format"), choices=[SelectChoice(f.value, FORMAT_LABELS[f]) for f in ItemFormat])
    retention = StringField(_l("Jangka waktu penyimpanan"), filters=[strip], validators=[max_length(100)])
    external_url = StringField(_l("Tautan ke informasi (bila ada)"), filters=[strip], validators=[max_length(URL_MAX)])
    # Only on an item published from a request (absent from the form otherwise: None, unchanged).
    request_summary = TextAreaField(_l("Ringkasan permohonan (tanpa identitas pemohon)"), filters=[strip],
                                    validators=[max_length(REQUEST_SUMMARY_MAX)])

    def draft(self) -> ItemDraft:
        return ItemDraft(title=self.title.data or "", summary=self.summary.data or "",
                         category=self.category.data or "", unit_id=parse_int(self.unit_id.data),
                         official=self.official.data or "", made_when=self.made_when.data or "",
                         made_where=self.made_where.data or "", format=self.format.data or "",
                         retention=self.retention.data or "", external_url=self.external_url.data or "",
                         review_months=parse_int(self.review_months.data, low=0, high=999),
                         request_summary=self.request_summary.data if self.request_summary.raw_data else None)

    def expected_version(self) -> int | None:
        return parse_int(self.version.data, low=0)


def form_from_item(item: InformationItem) -> ItemForm:
    return ItemForm(formdata=None, version=str(item.version), title=item.title, summary=item.summary,
                    category=item.category, review_months=str(item.review_months or ""),
                    unit_id=str(item.unit_id), official=item.official, made_when=item.made_when,
                    made_where=item.made_where, format=item.format, retention=item.retention,
                    external_url=item.external_url or "", request_summary=item.request_summary or "")


class DocumentForm(FlaskForm):
    document = FileField(_l("Dokumen"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Alasan"), filters=[strip], validators=[max_length(2000)])
