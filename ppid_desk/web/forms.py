"""Form pieces shared by every domain, with messages in plain Bahasa Indonesia."""

from __future__ import annotations

import re

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import Length, ValidationError

from ..errors import DomainError, FieldError, ValidationFailed

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidirectional controls (embeddings, overrides, isolates, marks): in a name they can make
# "Budi\u202eydnA" read as another person on the desk, in letters and in the registers.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Row ids are PostgreSQL ``integer`` (int4) columns (at most 2**31 - 1): no id beyond this is real,
# and routes match nine digits at most (web.setup.BoundedIntegerConverter). Nor is such a page.
MAX_ID = 999_999_999
MAX_PAGE = 999_999


def parse_int(raw, low: int = 1, high: int = MAX_ID) -> int | None:
    """A whole number typed into a URL or a form, or None unless it is ASCII digits within
    ``low``..``high``. ("²".isdigit() is true but int("²") raises; a huge number overflows
    PostgreSQL's integer.)"""
    text = raw.strip() if isinstance(raw, str) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    value = int(text)
    return value if low <= value <= high else None


def page_arg(args, name: str = "halaman") -> int | None:
    """The page number asked for in query ``args``: 1 when absent, None when not a page number."""
    raw = args.get(name)
    if raw is None or not raw.strip():
        return 1
    return parse_int(raw, 1, MAX_PAGE)


def strip(value):
    """Filter: drop control characters (PostgreSQL refuses NUL in text) and surrounding spaces."""
    return _CONTROL.sub("", value).strip() if isinstance(value, str) else value


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Paling banyak %(max)d karakter."))


def no_bidi_controls(form, field) -> None:
    """Validator for a person's name: refuse invisible text-direction controls."""
    if isinstance(field.data, str) and BIDI_CONTROLS.search(field.data):
        raise ValidationError(_l("Nama memuat karakter tersembunyi pengatur arah teks. "
                                 "Ketik ulang nama tanpa menyalinnya dari dokumen lain."))


class ChoiceRadioField(RadioField):
    """A radio group whose 'not one of the options' message is ours, not WTForms' English."""

    def pre_validate(self, form) -> None:
        # An empty choice is left to the field's DataRequired message.
        if not self.validate_choice or self.data in (None, ""):
            return
        if self.data not in {choice.value for choice in self.iter_choices()}:
            raise ValidationError(_l("Pilih salah satu pilihan yang tersedia."))


class EmptyForm(FlaskForm):
    """CSRF protection for plain POST buttons."""


def errors_onto_form(form, error: DomainError) -> None:
    """Put a service's error messages next to their fields; one with no field is flashed."""
    if isinstance(error, ValidationFailed):
        errors = error.errors
    elif isinstance(error, FieldError):
        errors = {error.field: error.message}
    else:
        flash(str(error), "error")
        return
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is None:
            flash(message, "error")
        elif message not in field.errors:
            field.errors = [*field.errors, message]
