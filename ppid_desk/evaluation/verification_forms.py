"""Forms of the verification. One page holds a form per answer, so the templates write the fields
by hand (ids carry the answer's id) and these classes read what was posted: the same names on
every answer's form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectMultipleField, TextAreaField

from ..web.forms import ChoiceRadioField, parse_int, strip
from .models import ObjectionOutcome

OUTCOME_LABELS = {ObjectionOutcome.UPHELD.value: _l("Sanggahan diterima"),
                  ObjectionOutcome.NOT_UPHELD.value: _l("Sanggahan ditolak")}


class VersionedForm(FlaskForm):
    version = HiddenField()  # the participant's version the page was built on

    @property
    def seen_version(self) -> int | None:
        return parse_int(self.version.data, low=0)


class DecisionForm(VersionedForm):
    """A verifier's decision on one answer: ``decision`` is the button pressed (accept/return)."""

    decision = HiddenField()
    comment = TextAreaField(_l("Komentar untuk unit"), filters=[strip])


class ObjectionDecisionForm(VersionedForm):
    outcome = ChoiceRadioField(_l("Keputusan"), choices=list(OUTCOME_LABELS.items()), validate_choice=False)
    reason = TextAreaField(_l("Alasan keputusan"), filters=[strip])


class RespondForm(VersionedForm):
    """The unit's response to a returned answer; the value comes as ``value`` (one or more)."""

    note = TextAreaField(_l("Keterangan"), filters=[strip])
    response = TextAreaField(_l("Tanggapan atas komentar verifikator"), filters=[strip])
    file = FileField(_l("Tambah bukti dukung (PDF, JPEG atau PNG)"))
    remove = SelectMultipleField(_l("Hapus berkas"), validate_choice=False)

    def removed_ids(self) -> tuple[int, ...]:
        return tuple(n for n in (parse_int(v) for v in self.remove.data or []) if n)


class ObjectForm(VersionedForm):
    reason = TextAreaField(_l("Alasan sanggahan"), filters=[strip])
