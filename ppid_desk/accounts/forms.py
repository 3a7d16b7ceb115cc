"""Account forms: register, log in, ask for an e-mail, set a new password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from ..requests.forms import PHONE_RE
from ..web.forms import no_bidi_controls, strip
from .services import password_problem


def _email_field(label, required_message):
    return EmailField(label, filters=[strip], validators=[
        DataRequired(required_message),
        Email(message=_l("Alamat e-mail tidak valid, contoh: nama@contoh.id"), check_deliverability=False),
        Length(max=254, message=_l("Alamat e-mail paling banyak 254 karakter."))])


def _new_password_fields(label, confirm_label):
    password = PasswordField(label, validators=[DataRequired(_l("Buat kata sandi."))])
    confirm = PasswordField(confirm_label, validators=[
        DataRequired(_l("Tulis kata sandi sekali lagi.")),
        EqualTo("password", message=_l("Kedua kata sandi tidak sama. Tulis ulang keduanya."))])
    return password, confirm


class RegisterForm(FlaskForm):
    name = StringField(_l("Nama lengkap"), filters=[strip], validators=[
        DataRequired(_l("Tulis nama lengkap Anda.")),
        Length(max=200, message=_l("Nama paling banyak 200 karakter.")), no_bidi_controls])
    email = _email_field(_l("E-mail"), _l("Tulis alamat e-mail Anda."))
    phone = StringField(_l("Nomor telepon / HP (tidak wajib)"), filters=[strip], validators=[
        Optional(), Length(max=32, message=_l("Nomor telepon paling banyak 32 karakter."))])
    password, password_confirm = _new_password_fields(_l("Kata sandi"), _l("Ulangi kata sandi"))
    privacy = BooleanField(
        _l("Saya sudah membaca pernyataan privasi di atas dan setuju data saya diproses untuk layanan informasi publik."),
        validators=[DataRequired(_l("Centang persetujuan pernyataan privasi untuk mendaftar."))])

    def validate_phone(self, field):
        if field.data and not PHONE_RE.match(field.data):
            raise ValidationError(_l("Nomor telepon hanya berisi angka, boleh diawali +, contoh 0812 3456 7890."))

    def validate_password(self, field):
        problem = password_problem(field.data or "", email=self.email.data or "")
        if problem:
            raise ValidationError(problem)


class LoginForm(FlaskForm):
    email = _email_field(_l("E-mail"), _l("Tulis alamat e-mail akun Anda."))
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Tulis kata sandi Anda."))])
    remember = BooleanField(_l("Ingat saya di perangkat ini"))
    next = HiddenField()


class EmailForm(FlaskForm):
    """One address: to resend the verification e-mail or to ask for a reset link."""

    email = _email_field(_l("E-mail"), _l("Tulis alamat e-mail akun Anda."))


class ResetPasswordForm(FlaskForm):
    password, password_confirm = _new_password_fields(_l("Kata sandi baru"), _l("Ulangi kata sandi baru"))

    def validate_password(self, field):
        problem = password_problem(field.data or "")  # the service also compares with the e-mail
        if problem:
            raise ValidationError(problem)
