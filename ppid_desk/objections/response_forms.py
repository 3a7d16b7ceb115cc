"""Forms of the Atasan PPID's queue, PPID Utama's account and the Atasan's response.

The forms check formats; ``response.response_problems`` decides what each decision needs.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SearchField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ..notices.forms import CheckboxesField, LetterReceiptForm, day_validator, sent_via_field
from ..web.forms import ChoiceRadioField, max_length, strip
from .models import InadmissibleBasis, ObjectionDecision, ObjectionStatus
from .response_labels import DECISION_LABELS, INADMISSIBLE_BASIS_LABELS, OBJECTION_STATUS_LABELS
from .response_selectors import ClockFilter, ObjectionFilters
from .response_services import TEXT_MAX

OPEN = ""
ALL = "semua"
SEARCH_MAX = 100


_day = day_validator()

class AccountForm(FlaskForm):
    version = HiddenField()
    text = TextAreaField(_l("Tanggapan PPID atas keberatan"), filters=[strip], validators=[max_length(TEXT_MAX)])


class ResponseForm(FlaskForm):
    version = HiddenField()
    decision = ChoiceRadioField(_l("Tanggapan Atasan PPID"), choices=[
        SelectChoice(d.value, DECISION_LABELS[d]) for d in ObjectionDecision])
    inadmissible_basis = CheckboxesField(_l("Dasar keberatan tidak dapat diterima"), choices=[
        SelectChoice(b.value, INADMISSIBLE_BASIS_LABELS[b]) for b in InadmissibleBasis])
    not_applicant_reason = TextAreaField(_l("Mengapa keberatan tidak diajukan oleh pemohon atau kuasanya"),
                                         filters=[strip], validators=[max_length(TEXT_MAX)])
    reasons = TextAreaField(_l("Alasan"), filters=[strip], validators=[max_length(TEXT_MAX)])
    release_by = StringField(_l("Informasi diberikan paling lambat"), filters=[strip], validators=[_day])
    settlement = TextAreaField(_l("Hasil musyawarah"), filters=[strip], validators=[max_length(TEXT_MAX)])
    sent_via = sent_via_field()

    def __init__(self, *args, settleable: bool = True, late: bool = False, **kwargs) -> None:
        if late and kwargs.get("formdata", True) is None:
            # Suggested, never chosen: "late" is ticked under "tidak dapat diterima", which stays unpicked.
            kwargs.setdefault("inadmissible_basis", [InadmissibleBasis.LATE.value])
        super().__init__(*args, **kwargs)
        if not settleable:  # ground a: no musyawarah (UU KIP Pasal 35(2))
            self.decision.choices = [c for c in self.decision.choices if c.value != ObjectionDecision.SETTLED]
        if not late:  # on time (or its window unknown) by the windows stored at filing: "late" is no basis
            self.inadmissible_basis.choices = [c for c in self.inadmissible_basis.choices
                                               if c.value != InadmissibleBasis.LATE]


class ResponseReceiptForm(LetterReceiptForm):
    """The day the response sent by post or courier reached the applicant, with the proof."""


class ReleaseForm(FlaskForm):
    version = HiddenField()


CLOCK_LABELS = {
    ClockFilter.ON_TRACK: _l("Masih sesuai jadwal"),
    ClockFilter.DUE_SOON: _l("Segera jatuh tempo (≤ %(n)d hari kerja)"),
    ClockFilter.DUE_TODAY: _l("Jatuh tempo hari ini"),
    ClockFilter.OVERDUE: _l("Terlambat"),
}


class ObjectionFilterForm(FlaskForm):
    """Filters of ``GET /meja/keberatan``; unknown values are dropped and reported."""

    class Meta:
        csrf = False

    q = SearchField(_l("Cari nomor keberatan, nomor permohonan atau nama pemohon"), filters=[strip])
    status = SelectField(_l("Status"), validate_choice=False)
    terlambat = SelectField(_l("Diajukan lewat waktu"), validate_choice=False, choices=[
        SelectChoice("", _l("Semua")), SelectChoice("ya", _l("Hanya yang lewat waktu")),
        SelectChoice("tidak", _l("Hanya yang tepat waktu"))])
    tenggat = SelectField(_l("Batas tanggapan"), validate_choice=False)
    keputusan = SelectField(_l("Keputusan Atasan PPID"), validate_choice=False, choices=[
        SelectChoice("", _l("Semua"))] + [SelectChoice(d.value, DECISION_LABELS[d]) for d in ObjectionDecision])

    def __init__(self, args: MultiDict, *, due_soon_wd: int) -> None:
        super().__init__(formdata=args)
        self.status.choices = [SelectChoice(OPEN, _l("Menunggu tanggapan")),
                               SelectChoice(ALL, _l("Semua status"))] + [
            SelectChoice(s.value, OBJECTION_STATUS_LABELS[s]) for s in ObjectionStatus
            if s != ObjectionStatus.REGISTERED]
        self.tenggat.choices = [SelectChoice("", _l("Semua"))] + [
            SelectChoice(code, label % {"n": due_soon_wd} if code == ClockFilter.DUE_SOON else label)
            for code, label in CLOCK_LABELS.items()]

    def filters(self) -> tuple[ObjectionFilters, list[str]]:
        ignored: list[str] = []
        status = self._pick(self.status, ignored)
        statuses = (None if status == ALL else frozenset({status}) if status
                    else frozenset({ObjectionStatus.REGISTERED}))
        late = {"ya": True, "tidak": False}.get(self._pick(self.terlambat, ignored) or "")
        clock = self._pick(self.tenggat, ignored)
        decision = self._pick(self.keputusan, ignored)
        if decision and not status:  # only answered objections carry a decision: every status, not the open ones
            statuses, self.status.data = None, ALL
        text = (self.q.data or "")[:SEARCH_MAX]
        self.q.data = text
        words = tuple(dict.fromkeys(text.split()))[:6]
        return ObjectionFilters(statuses, late, clock, words, decision), ignored

    def args(self) -> dict[str, str]:
        values = {"q": self.q.data, "status": self.status.data, "terlambat": self.terlambat.data,
                  "tenggat": self.tenggat.data, "keputusan": self.keputusan.data}
        return {k: v for k, v in values.items() if v}

    @staticmethod
    def _pick(field: SelectField, ignored: list[str]) -> str | None:
        value = field.data or ""
        if value not in {choice.value for choice in field.choices}:
            ignored.append(str(field.label.text))
            field.data = ""
            return None
        return value or None
