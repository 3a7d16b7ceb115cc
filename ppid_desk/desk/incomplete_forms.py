"""Forms of an incomplete request's letters: the close as not completed (tidak dilengkapi). The
record of a letter's hand-over is the one form of every printed letter
(``requests.letter_forms.LetterHandoverForm``)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class CloseNotCompletedForm(FlaskForm):
    """Close an incomplete request whose completion period has passed (a plain POST button)."""

    version = HiddenField()
