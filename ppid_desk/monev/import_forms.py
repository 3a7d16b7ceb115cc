"""The upload form of the historical register import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class RegisterImportForm(FlaskForm):
    berkas = FileField(_l("Berkas register (XLSX atau CSV)"),
                       validators=[FileRequired(_l("Pilih berkas XLSX atau CSV yang akan diimpor."))])
