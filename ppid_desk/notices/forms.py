"""Forms of the written notice, the extension and delivery. The forms check formats; the
services decide what each outcome requires and put their messages back on these fields."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..requests.labels import OUTCOME_LABELS
from ..web.forms import ChoiceRadioField, max_length, strip
from .labels import DELIVERY_METHOD_LABELS, PASAL_17_LABELS, SENT_VIA_LABELS
from .models import PASAL_17_LETTERS, DeliveryMethod, LetterSentVia
from .services import DELIVERABLE_OUTCOMES, NOTICE_OUTCOMES

DELIVERABLE_VALUES = frozenset(outcome.value for outcome in DELIVERABLE_OUTCOMES)

MAX_FEE = 100_000_000  # rupiah; a copying fee above this is a typing mistake


def parse_rupiah(text: str | None) -> int:
    """``Rp 15.000`` → 15000; empty → 0. Raises ValueError with an Indonesian message."""
    cleaned = re.sub(r"^rp\.?", "", (text or "").strip(), flags=re.IGNORECASE)
    cleaned = re.sub(r"[\s.]", "", cleaned)
    cleaned = re.sub(r",0{1,2}$", "", cleaned)
    if not cleaned:
        return 0
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 18:  # "²".isdigit() too
        raise ValueError(_l("Tulis biaya dalam rupiah, angka saja, contoh 15000 atau 15.000."))
    amount = int(cleaned)
    if amount > MAX_FEE:
        raise ValueError(_l("Biaya paling banyak Rp100.000.000."))
    return amount


def parse_day(text: str | None) -> date | None:
    """``2026-04-30`` (a date input) or ``30/04/2026`` / ``30-04-2026``; empty → None."""
    value = (text or "").strip()
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", value)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        return date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(_l("Tulis tanggal yang benar, contoh 30/04/2026.")) from error


def _rupiah(form, field) -> None:
    try:
        field.amount = parse_rupiah(field.data)
    except ValueError as error:
        field.amount = None
        raise ValidationError(str(error)) from error


def day_validator(required: str | None = None):
    """A WTForms validator that parses a day typed as 30/04/2026 (or a date input's 2026-04-30)
    into ``field.day``: a clear message for a wrong date; with ``required``, that message for an
    empty field (otherwise empty gives ``field.day = None``)."""

    def validate(form, field) -> None:
        try:
            field.day = parse_day(field.data)
        except ValueError as error:
            field.day = None
            raise ValidationError(str(error)) from error
        if field.day is None and required is not None:
            raise ValidationError(required)
        if field.day is not None:
            field.data = field.day.isoformat()  # what a date input shows again

    return validate


_day = day_validator()


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes, with our message for an unknown choice."""

    def pre_validate(self, form) -> None:
        known = {choice.value for choice in self.iter_choices()}
        if any(value not in known for value in self.data or []):
            raise ValidationError(_l("Pilih dari pilihan yang tersedia."))


OUTCOME_CHOICES = [SelectChoice(o.value, OUTCOME_LABELS[o]) for o in NOTICE_OUTCOMES]
HELD_CHOICES = [SelectChoice("yes", _l("Ya, informasi dikuasai badan publik ini")),
                SelectChoice("no", _l("Tidak, informasi tidak dikuasai badan publik ini"))]
PASAL_17_CHOICES = [SelectChoice(letter, PASAL_17_LABELS[letter]) for letter in PASAL_17_LETTERS]
DELIVERY_CHOICES = [SelectChoice(m.value, DELIVERY_METHOD_LABELS[m]) for m in DeliveryMethod]
SENT_VIA_CHOICES = [SelectChoice(v.value, SENT_VIA_LABELS[v]) for v in LetterSentVia]


def sent_via_field() -> ChoiceRadioField:
    """How a letter is sent to the applicant (the service checks e-mail needs an address)."""
    return ChoiceRadioField(_l("Cara surat dikirim kepada pemohon"), choices=SENT_VIA_CHOICES)


# A new exemption decision recorded from the refusal's consequence test (exemptions.notice_services):
# the box, and what the decision needs beyond the test (ignored unless the box is ticked).
NEW_EXEMPTION_FIELDS = ("ex_new", "ex_title", "ex_description", "ex_letter", "ex_legal_basis", "ex_weighing",
                        "ex_ends_on", "ex_unit", "ex_place")


class KnownChoiceField(SelectField):
    """A select whose 'not one of the options' message is ours (choices may be set by the view)."""

    def pre_validate(self, form) -> None:
        if self.data and self.data not in {choice.value for choice in self.iter_choices()}:
            raise ValidationError(_l("Pilih dari pilihan yang tersedia."))


# Which items of the notice form apply to which outcome (the rest are hidden and ignored): one
# table for the template (the sections it shows) and the view (the fields it validates).
NOTICE_SECTIONS: dict[str, frozenset[str]] = {
    "holder": frozenset({"not_held"}),
    "exemption": frozenset({"refused", "granted_partial"}),
    "materials": frozenset({"granted_full", "granted_partial"}),
    "redactions": frozenset({"granted_partial"}),
    "delivery": DELIVERABLE_VALUES,
}
SECTION_FIELDS = {
    "holder": ("holder_body", "holder_unknown"),
    "exemption": ("ct_exemption", "pasal17", "ct_information", "ct_legal_basis", "ct_harm",
                  "ct_public_interest", "ct_exemption_period", *NEW_EXEMPTION_FIELDS),
    "materials": ("materials",),
    "redactions": ("redactions",),
    "delivery": ("delivery_form", "provide_by", "payment_method"),  # and every fee_* field
}


def notice_section_of(field_name: str) -> str | None:
    """The section a notice form field belongs to (None: asked for every outcome)."""
    if field_name.startswith("fee_"):
        return "delivery"
    return next((name for name, fields in SECTION_FIELDS.items() if field_name in fields), None)


def notice_field_applies(field_name: str, outcome: str | None) -> bool:
    section = notice_section_of(field_name)
    return section is None or (outcome or "") in NOTICE_SECTIONS[section]


class NoticeForm(FlaskForm):
    """Items a–g of Pasal 22(7) UU KIP, the outcome, and the consequence test."""

    version = HiddenField()
    outcome = ChoiceRadioField(_l("Keputusan atas permohonan"), choices=OUTCOME_CHOICES)
    held = ChoiceRadioField(_l("a. Apakah informasi dikuasai badan publik ini?"), choices=HELD_CHOICES)
    holder_body = StringField(_l("b. Badan publik yang menguasai informasi"), filters=[strip],
                              validators=[max_length(500)])
    holder_unknown = BooleanField(_l("Tidak diketahui badan publik mana yang menguasainya"))
    ct_exemption = SelectField(_l("Penetapan informasi yang dikecualikan yang dirujuk"), validate_choice=False)
    pasal17 = CheckboxesField(_l("c. Dasar pengecualian: Pasal 17 UU 14/2008 huruf"),
                              choices=PASAL_17_CHOICES)
    ct_information = TextAreaField(_l("Dokumen dan informasi yang dikecualikan"), filters=[strip],
                                   validators=[max_length(5000)])
    ct_legal_basis = TextAreaField(_l("Dasar hukum pengecualian"), filters=[strip],
                                   validators=[max_length(5000)])
    ct_harm = TextAreaField(_l("Akibat (kerugian) jika informasi dibuka"), filters=[strip],
                            validators=[max_length(5000)])
    ct_public_interest = TextAreaField(_l("Pertimbangan kepentingan publik"), filters=[strip],
                                       validators=[max_length(5000)])
    ct_exemption_period = StringField(_l("Jangka waktu pengecualian"), filters=[strip],
                                      validators=[max_length(500)])
    ex_new = BooleanField(_l("Catat uji konsekuensi ini sebagai penetapan baru di Daftar Informasi yang "
                             "Dikecualikan"))
    ex_title = StringField(_l("Judul informasi yang dikecualikan, untuk daftar"), filters=[strip],
                           validators=[max_length(300)])
    ex_description = TextAreaField(_l("Uraian informasi untuk daftar (tidak wajib)"), filters=[strip],
                                   validators=[max_length(5000)])
    ex_letter = KnownChoiceField(_l("Huruf Pasal 17 penetapan ini"), validate_choice=False,
                                 choices=[SelectChoice("", _l("Huruf yang dipilih di atas"))]
                                 + [SelectChoice(letter, _l("huruf %(letter)s", letter=letter))
                                    for letter in PASAL_17_LETTERS])
    ex_legal_basis = TextAreaField(_l("Undang-undang lain yang menjadi dasar pengecualian (tidak wajib)"),
                                   filters=[strip], validators=[max_length(5000)])
    ex_weighing = TextAreaField(_l("Mengapa kerugian lebih besar daripada kepentingan publik"), filters=[strip],
                                validators=[max_length(5000)])
    ex_ends_on = StringField(_l("Tanggal berakhirnya pengecualian"), filters=[strip], validators=[_day])
    ex_unit = KnownChoiceField(_l("Unit yang menguasai informasi"), validate_choice=False, choices=[])
    ex_place = StringField(_l("Tempat penetapan"), filters=[strip], validators=[max_length(120)])
    materials = TextAreaField(_l("d. Informasi yang diberikan"), filters=[strip],
                              validators=[max_length(5000)])
    redactions = TextAreaField(_l("e. Bagian yang dihitamkan dan alasannya"), filters=[strip],
                               validators=[max_length(5000)])
    provide_by = StringField(_l("Informasi diberikan paling lambat tanggal"), filters=[strip],
                             validators=[_day])
    delivery_form = TextAreaField(_l("f. Cara dan format penyampaian informasi"), filters=[strip],
                                  validators=[max_length(2000)])
    fee_amount = StringField(_l("g. Jumlah biaya (rupiah)"), filters=[strip], validators=[_rupiah])
    payment_method = TextAreaField(_l("g. Cara pembayaran"), filters=[strip], validators=[max_length(1000)])
    remarks = TextAreaField(_l("Keterangan tambahan (tidak wajib)"), filters=[strip],
                            validators=[max_length(5000)])
    sent_via = sent_via_field()

    def applicable_valid(self) -> bool:
        """Validate, then drop the messages of items that do not apply to the chosen outcome (they
        stay in the form, hidden, with what was typed): True when what applies is valid."""
        self.validate()
        outcome = self.outcome.data
        for field in self:
            if field.errors and not notice_field_applies(field.name, outcome):
                field.errors = []
            elif field.errors and field.name in NEW_EXEMPTION_FIELDS and not self.ex_new.data:
                field.errors = []  # no new decision asked for: what was typed for one is ignored
        return not any(field.errors for field in self)

    def validate_provide_by(self, field) -> None:
        """Required where the notice gives information (the field comes prefilled with the latest
        lawful day); the service checks the day against the request (notice_problems)."""
        if self.outcome.data in DELIVERABLE_VALUES and not field.errors and getattr(field, "day", None) is None:
            raise ValidationError(_l("Tulis tanggal paling lambat informasi diberikan kepada pemohon."))


class ExtensionForm(FlaskForm):
    version = HiddenField()
    reason = TextAreaField(_l("Alasan perpanjangan (dikirim kepada pemohon)"), filters=[strip],
                           validators=[max_length(2000)])
    working_days = StringField(_l("Lama perpanjangan (hari kerja)"), filters=[strip])
    sent_via = sent_via_field()

    def validate_working_days(self, field) -> None:
        field.number = None
        if not field.data:
            return
        if not (field.data.isascii() and field.data.isdigit()) or len(field.data) > 9:  # not "²"
            raise ValidationError(_l("Tulis jumlah hari kerja dengan angka, contoh 7."))
        field.number = int(field.data)


class DeliveryForm(FlaskForm):
    version = HiddenField()
    method = ChoiceRadioField(_l("Cara penyampaian"), choices=DELIVERY_CHOICES)
    files = MultipleFileField(_l("Berkas informasi"))
    file_tokens = HiddenField()
    documents = CheckboxesField(_l("Dokumen yang sudah ada pada permohonan ini"), choices=[])
    link_url = StringField(_l("Tautan (URL)"), filters=[strip], validators=[max_length(1000)])
    published_item = StringField(_l("Nomor informasi di Daftar Informasi Publik"), filters=[strip],
                                 validators=[max_length(300)])
    note = TextAreaField(_l("Catatan penyampaian"), filters=[strip], validators=[max_length(2000)])
    fee_paid = StringField(_l("Biaya yang dibayar (rupiah)"), filters=[strip], validators=[_rupiah])
    payment_method = StringField(_l("Cara pembayaran"), filters=[strip], validators=[max_length(200)])
    payment_reference = StringField(_l("Nomor kuitansi atau bukti transfer"), filters=[strip],
                                    validators=[max_length(200)])


class CloseForm(FlaskForm):
    version = HiddenField()


class LetterReceiptForm(FlaskForm):
    """The day a letter sent by post or courier reached the applicant, with the proof."""

    version = HiddenField()
    received_on = StringField(_l("Tanggal surat diterima pemohon"), filters=[strip], validators=[_day])
    proof = FileField(_l("Bukti diterima (resi pos atau kurir, atau tanda terima yang ditandatangani)"))
    proof_token = HiddenField()
