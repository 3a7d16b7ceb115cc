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


def strip(value):
    """Filter: drop control characters (PostgreSQL refuses NUL in text) and surrounding spaces."""
    return _CONTROL.sub("", value).strip() if isinstance(value, str) else value


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Paling banyak %(max)d karakter."))


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
