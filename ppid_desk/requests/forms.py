"""The request form (formulir permohonan informasi), with every field of KIP §2."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, ValidationError

from ..web.forms import ChoiceRadioField, max_length, no_bidi_controls, strip
from .models import AccessibilityNeed, AccessMethod, ApplicantKind, CopyDelivery
from .nik import nik_problem, normalise_nik

APPLICANT_KINDS = [
    SelectChoice(ApplicantKind.PERORANGAN.value, _l("Perorangan")),
    SelectChoice(ApplicantKind.BADAN_HUKUM.value, _l("Badan hukum")),
    SelectChoice(ApplicantKind.KELOMPOK.value, _l("Kelompok orang")),
]
ACCESS_METHODS = [
    SelectChoice(AccessMethod.MELIHAT.value, _l("Melihat / membaca / mendengarkan / mencatat")),
    SelectChoice(AccessMethod.SALINAN_HARDCOPY.value, _l("Mendapatkan salinan tercetak (hardcopy)")),
    SelectChoice(AccessMethod.SALINAN_SOFTCOPY.value, _l("Mendapatkan salinan elektronik (softcopy)")),
]
COPY_DELIVERIES = [
    SelectChoice(CopyDelivery.AMBIL_LANGSUNG.value, _l("Mengambil langsung")),
    SelectChoice(CopyDelivery.KURIR.value, _l("Kurir")),
    SelectChoice(CopyDelivery.POS.value, _l("Pos")),
    SelectChoice(CopyDelivery.FAKSIMILI.value, _l("Faksimili")),
    SelectChoice(CopyDelivery.EMAIL.value, _l("E-mail")),
]
ACCESSIBILITY_NEEDS = [
    SelectChoice(AccessibilityNeed.DEAF.value,
                 _l("Tuli atau gangguan pendengaran (misalnya perlu juru bahasa isyarat atau komunikasi tertulis)")),
    SelectChoice(AccessibilityNeed.BLIND.value,
                 _l("Netra atau penglihatan terbatas (misalnya perlu huruf besar, braille, atau dibacakan)")),
    SelectChoice(AccessibilityNeed.WHEELCHAIR.value,
                 _l("Pengguna kursi roda atau alat bantu gerak (perlu tempat layanan tanpa tangga)")),
    SelectChoice(AccessibilityNeed.ASSISTED_FILING.value,
                 _l("Perlu dibantu mengisi atau membaca formulir dan surat")),
    SelectChoice(AccessibilityNeed.OTHER.value, _l("Kebutuhan lain (tulis di keterangan)")),
]
MAX_ACCESSIBILITY_NOTE = 500
NIK_MESSAGES = {
    "digits": _l("NIK hanya berisi angka."),
    "length": _l("NIK terdiri dari 16 angka."),
    "province": _l("Dua angka pertama NIK bukan kode provinsi. Periksa kembali KTP Anda."),
    "region": _l("Kode kabupaten/kota atau kecamatan pada NIK tidak valid."),
    "birthdate": _l("Angka tanggal lahir pada NIK (angka ke-7 sampai ke-12) tidak valid."),
    "serial": _l("Empat angka terakhir NIK tidak boleh 0000."),
}
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{6,18}[0-9]$")


class AccessibilityField(SelectMultipleField):
    """The accessibility needs as checkboxes, with our message for an unknown choice."""

    def pre_validate(self, form) -> None:
        known = {choice.value for choice in self.iter_choices()}
        if any(value not in known for value in self.data or []):
            raise ValidationError(_l("Pilih kebutuhan aksesibilitas dari daftar yang tersedia."))


class RequestForm(FlaskForm):
    applicant_kind = ChoiceRadioField(_l("Jenis pemohon"), choices=APPLICANT_KINDS,
                                default=ApplicantKind.PERORANGAN.value,
                                validators=[DataRequired(_l("Pilih jenis pemohon."))])
    name = StringField(_l("Nama lengkap"), filters=[strip], validators=[
        DataRequired(_l("Tulis nama lengkap sesuai KTP, atau nama badan hukum/kelompok.")),
        Length(max=200, message=_l("Nama paling banyak 200 karakter.")), no_bidi_controls])
    nik = StringField(_l("NIK (Nomor Induk Kependudukan)"), filters=[strip])
    legal_approval_number = StringField(_l("Nomor pengesahan badan hukum (Kemenkumham)"),
                                        filters=[strip], validators=[max_length(100)])
    represented = BooleanField(_l("Permohonan ini diajukan oleh kuasa (wakil) pemohon"))
    representative_name = StringField(_l("Nama kuasa / wakil"), filters=[strip],
                                      validators=[max_length(200), no_bidi_controls])
    address = TextAreaField(_l("Alamat"), filters=[strip], validators=[
        DataRequired(_l("Tulis alamat lengkap.")), max_length(1000)])
    occupation = StringField(_l("Pekerjaan"), filters=[strip], validators=[
        DataRequired(_l("Tulis pekerjaan Anda.")), max_length(120)])
    phone = StringField(_l("Nomor telepon / HP"), filters=[strip], validators=[
        DataRequired(_l("Tulis nomor telepon atau HP yang bisa dihubungi."))])
    email = EmailField(_l("E-mail"), filters=[strip], validators=[
        DataRequired(_l("Tulis alamat e-mail untuk menerima tanda bukti dan kabar permohonan.")),
        Email(message=_l("Alamat e-mail tidak valid, contoh: nama@contoh.id"), check_deliverability=False),
        max_length(254)])
    rincian = TextAreaField(_l("Rincian informasi yang dibutuhkan"), filters=[strip], validators=[
        DataRequired(_l("Jelaskan informasi apa yang Anda minta.")),
        Length(min=10, max=5000, message=_l("Rincian informasi 10 sampai 5.000 karakter."))])
    tujuan = TextAreaField(_l("Tujuan penggunaan informasi"), filters=[strip], validators=[
        DataRequired(_l("Jelaskan untuk apa informasi ini akan digunakan.")),
        Length(min=5, max=2000, message=_l("Tujuan penggunaan 5 sampai 2.000 karakter."))])
    access_method = ChoiceRadioField(_l("Cara memperoleh informasi"), choices=ACCESS_METHODS,
                               validators=[DataRequired(_l("Pilih cara memperoleh informasi."))])
    copy_delivery = ChoiceRadioField(_l("Cara mendapatkan salinan informasi"), choices=COPY_DELIVERIES,
                               validate_choice=False)  # checked below: only needed for a copy
    accessibility_needs = AccessibilityField(_l("Kebutuhan aksesibilitas (tidak wajib)"),
                                             choices=ACCESSIBILITY_NEEDS)
    accessibility_note = TextAreaField(_l("Keterangan kebutuhan aksesibilitas"), filters=[strip],
                                       validators=[max_length(MAX_ACCESSIBILITY_NOTE), no_bidi_controls])
    identity_document = FileField(_l("Dokumen identitas"))
    identity_document_token = HiddenField()
    power_of_attorney = FileField(_l("Surat kuasa"))
    power_of_attorney_token = HiddenField()
    declaration = BooleanField(_l("Saya menyatakan bahwa data yang saya isi benar."),
                               validators=[DataRequired(_l("Centang pernyataan ini untuk mengirim permohonan."))])

    def validate_nik(self, field):
        value = normalise_nik(field.data or "")
        field.data = value
        needed = self.applicant_kind.data in (ApplicantKind.PERORANGAN, ApplicantKind.KELOMPOK)
        if not value:
            if needed:
                raise ValidationError(_l("Tulis NIK 16 angka sesuai KTP."))
            return
        problem = nik_problem(value)
        if problem:
            raise ValidationError(NIK_MESSAGES[problem])

    def validate_legal_approval_number(self, field):
        if self.applicant_kind.data == ApplicantKind.BADAN_HUKUM and not field.data:
            raise ValidationError(_l("Tulis nomor SK pengesahan badan hukum dari Kemenkumham."))

    def validate_representative_name(self, field):
        kind = self.applicant_kind.data
        if kind == ApplicantKind.BADAN_HUKUM and not field.data:
            raise ValidationError(_l("Tulis nama orang yang mewakili badan hukum."))
        if kind == ApplicantKind.KELOMPOK and not field.data:
            raise ValidationError(_l("Tulis nama wakil kelompok yang diberi kuasa."))
        if kind == ApplicantKind.PERORANGAN and self.represented.data and not field.data:
            raise ValidationError(_l("Tulis nama kuasa yang mengajukan permohonan."))

    def validate_phone(self, field):
        if field.data and not PHONE_RE.match(field.data):
            raise ValidationError(_l("Nomor telepon hanya berisi angka, boleh diawali +, contoh 0812 3456 7890."))

    def validate_copy_delivery(self, field):
        wants_copy = self.access_method.data in (AccessMethod.SALINAN_HARDCOPY, AccessMethod.SALINAN_SOFTCOPY)
        if wants_copy and field.data not in {c.value for c in COPY_DELIVERIES}:
            raise ValidationError(_l("Pilih cara mendapatkan salinan."))
        if not wants_copy:
            field.data = None

    def validate_accessibility_note(self, field):
        if AccessibilityNeed.OTHER.value in (self.accessibility_needs.data or []) and not field.data:
            raise ValidationError(_l("Tulis kebutuhan lain yang perlu kami siapkan."))

    def accessibility(self) -> dict:
        """The chosen needs and the note as ``RequestDetails`` takes them (valid after ``validate``)."""
        return {"accessibility_needs": tuple(self.accessibility_needs.data or ()),
                "accessibility_note": self.accessibility_note.data or None}

    def needs_power_of_attorney(self) -> bool:
        """A group always acts through a power of attorney; others when a kuasa files for them."""
        return self.applicant_kind.data == ApplicantKind.KELOMPOK or bool(self.represented.data)

    def identity_document_label(self) -> str:
        if self.applicant_kind.data == ApplicantKind.BADAN_HUKUM:
            return str(_l("Akta pendirian badan hukum"))
        return str(_l("Pindaian/foto KTP"))


class TrackLookupForm(FlaskForm):
    number = StringField(_l("Nomor pendaftaran"), filters=[strip], validators=[
        DataRequired(_l("Tulis nomor pendaftaran, contoh 0007/PPID/XI/2026."))])
    email = EmailField(_l("E-mail yang dipakai saat mengajukan"), filters=[strip], validators=[
        DataRequired(_l("Tulis alamat e-mail yang Anda pakai saat mengajukan.")),
        Email(message=_l("Alamat e-mail tidak valid, contoh: nama@contoh.id"), check_deliverability=False)])


class TrackingRevokeForm(FlaskForm):
    """Revoke the tracking link (``/lacak/<token>``): a deliberate step, confirmed by a tick."""

    confirm = BooleanField(_l("Saya mengerti: tautan pelacakan yang lama tidak bisa dipakai lagi, di perangkat mana pun."),
                           validators=[DataRequired(_l("Centang pernyataan ini untuk mencabut tautan."))])
    send_new_link = BooleanField(_l("Kirimkan tautan baru ke e-mail saya"))
