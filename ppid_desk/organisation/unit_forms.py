"""Forms of the unit administration pages (messages in plain Bahasa Indonesia)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from ..web.forms import ChoiceRadioField, max_length, strip
from .models import UnitKind
from .unit_services import CODE_MAX, EMAIL_MAX, HEAD_MAX, NAME_MAX

SUBUNIT_PARAM = "subunit"


def include_subunits(args) -> bool:
    """Whether a unit filter (queue, monev, registers) covers the units under the unit too: on
    unless the form says off. The form sends a hidden ``subunit=0`` before the checkbox
    ``subunit=1``, so an unticked box sends only the 0, and a link without either means on."""
    chosen = args.getlist(SUBUNIT_PARAM)
    return "1" in chosen or "0" not in chosen


KIND_CHOICES = [
    SelectChoice(UnitKind.PEMBANTU.value, _l("PPID Pembantu / Pelaksana")),
    SelectChoice(UnitKind.UTAMA.value, _l("PPID Utama (puncak pohon; hanya satu)")),
]


class UnitForm(FlaskForm):
    """Create or edit a unit. ``parent`` is the parent's code (a select of codes when the tree
    is small, a text field with search-as-you-type when it is large); empty: under PPID Utama."""

    code = StringField(_l("Kode unit"), filters=[strip], validators=[
        DataRequired(_l("Tulis kode unit.")), max_length(CODE_MAX)])
    name = StringField(_l("Nama unit"), filters=[strip], validators=[
        DataRequired(_l("Tulis nama unit.")), max_length(NAME_MAX)])
    kind = ChoiceRadioField(_l("Jenis"), choices=KIND_CHOICES, default=UnitKind.PEMBANTU.value,
                            validators=[DataRequired(_l("Pilih jenis unit."))])
    parent = StringField(_l("Unit induk"), filters=[strip], validators=[max_length(64)])
    head_name = StringField(_l("Nama kepala unit"), filters=[strip], validators=[max_length(HEAD_MAX)])
    head_position = StringField(_l("Jabatan kepala unit"), filters=[strip], validators=[max_length(HEAD_MAX)])
    email = StringField(_l("E-mail unit"), filters=[strip], validators=[max_length(EMAIL_MAX)])
    issues_notices = BooleanField(_l("Unit ini menerbitkan sendiri pemberitahuan tertulis (PPID Pelaksana)"))


class UnitImportForm(FlaskForm):
    berkas = FileField(_l("Berkas daftar unit (CSV atau XLSX)"),
                       validators=[FileRequired(_l("Pilih berkas CSV atau XLSX yang akan diimpor."))])
