"""Forms of officer administration (messages in plain Bahasa Indonesia, next to the field)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, ValidationError

from ..organisation.models import Unit
from ..web.forms import strip
from .officer_services import NAME_MAX, OfficerDetails
from .role_labels import ROLE_LABELS, STAFF_ROLES


class RolesField(SelectMultipleField):
    """Checkboxes of the staff roles; an unknown value is refused in Indonesian."""

    def pre_validate(self, form) -> None:
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or []):
            raise ValidationError(_l("Pilih peran dari daftar yang tersedia."))


class UnitField(SelectField):
    """A unit by id ("" for none); an unknown value is refused in Indonesian."""

    def pre_validate(self, form) -> None:
        if self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(_l("Pilih unit dari daftar yang tersedia."))


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(role, ROLE_LABELS[role]) for role in STAFF_ROLES]


class OfficerDetailsForm(FlaskForm):
    name = StringField(_l("Nama lengkap"), filters=[strip], validators=[
        DataRequired(_l("Tulis nama petugas.")),
        Length(max=NAME_MAX, message=_l("Nama paling banyak %(max)d karakter."))])
    roles = RolesField(_l("Peran"), choices=_role_choices(),
                       validators=[DataRequired(_l("Pilih paling sedikit satu peran."))])
    unit = UnitField(_l("Unit"), choices=[SelectChoice("", "")], default="")

    def set_units(self, units: list[Unit], current: Unit | None = None):
        """The unit choices: active units, plus the officer's current one even if inactive."""
        shown = list(units)
        if current is not None and current not in shown:
            shown.append(current)
        self.unit.choices = [SelectChoice("", _l("— tanpa unit —"))] + [
            SelectChoice(str(unit.id), f"{unit.name} ({unit.code})") for unit in shown]
        return self

    def details(self) -> OfficerDetails:
        return OfficerDetails(name=self.name.data or "", roles=frozenset(self.roles.data or []),
                              unit_id=int(self.unit.data) if self.unit.data else None)


class OfficerInviteForm(OfficerDetailsForm):
    email = EmailField(_l("E-mail dinas"), filters=[strip], validators=[
        DataRequired(_l("Tulis alamat e-mail petugas.")),
        Email(message=_l("Alamat e-mail tidak valid, contoh: nama@contoh.id"), check_deliverability=False),
        Length(max=254, message=_l("Alamat e-mail paling banyak 254 karakter."))])


class DeactivateForm(FlaskForm):
    confirm = BooleanField(
        _l("Saya paham: semua sesi petugas ini langsung berakhir dan ia tidak bisa masuk sampai diaktifkan kembali."),
        validators=[DataRequired(_l("Centang pernyataan ini untuk menonaktifkan petugas."))])


class OfficerImportForm(FlaskForm):
    berkas = FileField(_l("Berkas petugas (CSV atau XLSX)"),
                       validators=[FileRequired(_l("Pilih berkas CSV atau XLSX yang akan diimpor."))])
