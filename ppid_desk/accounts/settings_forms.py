"""Account settings forms: profile, password, e-mail, deletion, claiming guest requests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..requests.forms import PHONE_RE
from ..web.forms import max_length, strip
from .forms import _email_field, _new_password_fields
from .services import MAX_PASSWORD_LENGTH, password_problem


def _current_password(label=None) -> PasswordField:
    return PasswordField(label or _l("Kata sandi sekarang"), validators=[
        DataRequired(_l("Tulis kata sandi akun Anda yang sekarang.")),
        Length(max=MAX_PASSWORD_LENGTH, message=_l("Kata sandi paling banyak %(n)d karakter.",
                                                   n=MAX_PASSWORD_LENGTH))])


class ProfileForm(FlaskForm):
    name = StringField(_l("Nama lengkap"), filters=[strip], validators=[
        DataRequired(_l("Tulis nama lengkap Anda.")),
        Length(max=200, message=_l("Nama paling banyak 200 karakter."))])
    phone = StringField(_l("Nomor telepon / HP (tidak wajib)"), filters=[strip], validators=[
        Optional(), Length(max=32, message=_l("Nomor telepon paling banyak 32 karakter."))])
    address = TextAreaField(_l("Alamat (tidak wajib)"), filters=[strip], validators=[Optional(), max_length(500)])

    def validate_phone(self, field):
        if field.data and not PHONE_RE.match(field.data):
            raise ValidationError(_l("Nomor telepon hanya berisi angka, boleh diawali +, contoh 0812 3456 7890."))


class PasswordChangeForm(FlaskForm):
    current_password = _current_password()
    password, password_confirm = _new_password_fields(_l("Kata sandi baru"), _l("Ulangi kata sandi baru"))

    def validate_password(self, field):
        problem = password_problem(field.data or "")  # the service also compares with the e-mail
        if problem:
            raise ValidationError(problem)


class EmailChangeForm(FlaskForm):
    email = _email_field(_l("Alamat e-mail baru"), _l("Tulis alamat e-mail baru Anda."))
    password = _current_password(_l("Kata sandi akun Anda"))


class DeleteAccountForm(FlaskForm):
    password = _current_password(_l("Kata sandi akun Anda"))
    understood = BooleanField(
        _l("Saya mengerti: akun ini dihapus dan tidak dapat dipulihkan. Permohonan saya tetap ada "
           "dan dapat diikuti dengan tautan lacak."),
        validators=[DataRequired(_l("Centang pernyataan ini untuk menghapus akun."))])


class ClaimForm(FlaskForm):
    """One guest request (``request_id``), or every one offered when it is empty."""

    request_id = HiddenField()

    def chosen(self) -> list[int] | None:
        raw = (self.request_id.data or "").strip()
        if not raw:
            return None
        return [int(raw)] if raw.isdigit() and len(raw) < 12 else [-1]
