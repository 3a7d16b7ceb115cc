"""The queue's filter form: plain GET parameters that also work without JavaScript.

Unknown values never fail the page: they are dropped and the officer is told, gently, which
filter was ignored (a stale bookmark or a hand-edited link should still show a queue).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    HiddenField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from ..organisation.unit_forms import include_subunits
from ..requests.labels import CHANNEL_LABELS, STATUS_LABELS
from ..requests.models import OPEN_STATUSES, RequestStatus
from ..routing.forms import LocalDateField
from ..web.forms import max_length, parse_int, strip
from .drilldowns import drilldown
from .queue_models import SAVED_NAME_MAX, SAVED_QUERY_MAX

# Pseudo-statuses of the status filter: every open request (the default) or every request.
OPEN = ""
ALL = "semua"
NEWEST = "terbaru"
# Values of the assignee filter (``petugas``) besides an officer's id.
MINE = "saya"
UNASSIGNED = "belum"
SEARCH_MAX = 100
SEARCH_WORDS_MAX = 6


class ClockFilter:
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    EXTENDED = "extended"
    # The clock of the day the written notice promised the information by (not delivered yet).
    PROMISE_SOON = "janji_segera"
    PROMISE_OVERDUE = "janji_lewat"


# Filters on the promised-delivery clock: they list requests whose notice is out (any status).
PROMISE_FILTERS = frozenset({ClockFilter.PROMISE_SOON, ClockFilter.PROMISE_OVERDUE})

CLOCK_FILTER_LABELS = {
    ClockFilter.ON_TRACK: _l("Masih sesuai jadwal"),
    ClockFilter.DUE_SOON: _l("Segera jatuh tempo (≤ %(n)d hari kerja)"),
    ClockFilter.DUE_TODAY: _l("Jatuh tempo hari ini"),
    ClockFilter.OVERDUE: _l("Terlambat"),
    ClockFilter.EXTENDED: _l("Diperpanjang"),
    ClockFilter.PROMISE_SOON: _l("Informasi dijanjikan hari ini atau ≤ %(n)d hari kerja lagi"),
    ClockFilter.PROMISE_OVERDUE: _l("Tanggal informasi dijanjikan lewat, belum disampaikan"),
}


@dataclass(frozen=True)
class QueueFilters:
    """What the officer asked to see. ``statuses`` None means every status."""

    statuses: frozenset[str] | None = frozenset(OPEN_STATUSES)
    unit: str | None = None  # a unit code
    unit_id: int | None = None  # that unit
    subunits: bool = True  # with every unit under it
    channel: str | None = None
    clock: str | None = None
    words: tuple[str, ...] = ()
    newest_first: bool = False  # else the nearest deadline first
    start: date | None = None  # receipt_date period (dari/sampai), inclusive
    end: date | None = None
    monev: str | None = None  # a drill-down registered in desk.drilldowns (needs start and end)
    assignee_id: int | None = None  # requests assigned to this officer
    unassigned: bool = False  # requests assigned to nobody

    @property
    def is_default(self) -> bool:
        return self == QueueFilters()


class QueueFilterForm(FlaskForm):
    """Filters of ``GET /meja/``; the field names are the URL parameters."""

    class Meta:
        csrf = False  # a read-only GET form

    q = SearchField(_l("Cari nomor, nama pemohon atau rincian informasi"), filters=[strip])
    status = SelectMultipleField(_l("Status"), validate_choice=False)
    unit = StringField(_l("Unit (PPID Pembantu)"), filters=[strip])  # a code: a select of codes, or typed (many units)
    kanal = SelectField(_l("Saluran"), validate_choice=False)
    tenggat = SelectField(_l("Batas waktu"), validate_choice=False)
    urut = SelectField(_l("Urutkan"), validate_choice=False, choices=[
        SelectChoice("", _l("Batas waktu terdekat lebih dulu")),
        SelectChoice(NEWEST, _l("Terakhir didaftarkan lebih dulu"))])
    dari = StringField(_l("Diterima sejak tanggal"), filters=[strip])
    sampai = StringField(_l("Diterima sampai tanggal"), filters=[strip])
    monev = HiddenField(_l("Kelompok monev"), filters=[strip])
    petugas = SelectField(_l("Ditugaskan kepada"), validate_choice=False)

    applied_period: tuple[date | None, date | None] = (None, None)

    def __init__(self, args: MultiDict, *, due_soon_wd: int, show_units: bool, user_id: int | None = None,
                 officers: list[tuple[int, str]] = ()) -> None:
        super().__init__(formdata=args)
        self.user_id = user_id
        self.show_units = show_units
        self.subunits = include_subunits(args)  # "include sub-units": on unless the form says off
        self.unit_found = None
        self.status.choices = [SelectChoice(OPEN, _l("Semua yang masih berjalan")),
                               SelectChoice(ALL, _l("Semua status"))] + [
            SelectChoice(s.value, STATUS_LABELS[s]) for s in RequestStatus]
        self.kanal.choices = [SelectChoice("", _l("Semua saluran"))] + [
            SelectChoice(c.value, label) for c, label in CHANNEL_LABELS.items()]
        self.tenggat.choices = [SelectChoice("", _l("Semua"))] + [
            SelectChoice(code, label % {"n": due_soon_wd}
                         if code in (ClockFilter.DUE_SOON, ClockFilter.PROMISE_SOON) else label)
            for code, label in CLOCK_FILTER_LABELS.items()]
        self.petugas.choices = [SelectChoice("", _l("Siapa saja")), SelectChoice(MINE, _l("Ditugaskan kepada saya")),
                                SelectChoice(UNASSIGNED, _l("Belum ditugaskan"))] + [
            SelectChoice(str(officer_id), name) for officer_id, name in officers if officer_id != user_id]

    def filters(self) -> tuple[QueueFilters, list[str]]:
        """The filters to apply, and the labels of those ignored because a value was unknown.

        The fields are reset to what is applied, so the form shows the queue it describes.
        """
        ignored: list[str] = []
        start, end = self.applied_period = self._period()
        monev = self._monev(start, end)
        promise = (self.tenggat.data or "") in PROMISE_FILTERS
        statuses = self._statuses(ignored, every_by_default=monev is not None or promise)
        unit = None
        if self.show_units:
            unit = self._unit(ignored)
        else:
            self.unit.data = ""  # a unit officer's queue is already its unit's
        channel = self._pick(self.kanal, ignored)
        clock = self._pick(self.tenggat, ignored)
        newest_first = self._pick(self.urut, ignored) == NEWEST
        assignee = self._pick(self.petugas, ignored)
        assignee_id = self.user_id if assignee == MINE else int(assignee) if assignee and assignee.isdigit() else None
        text = (self.q.data or "")[:SEARCH_MAX]
        self.q.data = text
        words = tuple(dict.fromkeys(text.split()))[:SEARCH_WORDS_MAX]
        return QueueFilters(statuses, unit.code if unit else None, unit.id if unit else None,
                            self.subunits or unit is None, channel, clock, words, newest_first, start, end, monev,
                            assignee_id, assignee == UNASSIGNED), ignored

    def _unit(self, ignored: list[str]):
        """The unit of the ``unit`` code (letter case ignored); an unknown code is ignored."""
        from ..organisation.unit_selectors import unit_by_code

        code = (self.unit.data or "")[:64]
        if not code:
            return None
        unit = unit_by_code(code)
        if unit is None:  # the typed code stays in the field, with why it is not applied
            ignored.append(str(self.unit.label.text))
            self.unit.errors = [_l("Tidak ada unit dengan kode %(code)s; saringan unit tidak dipakai.", code=code)]
            return None
        self.unit.data = unit.code
        self.unit_found = unit
        return unit

    @property
    def messages(self) -> list[str]:
        """The messages of the period and monev fields (also shown above the rows, which htmx swaps)."""
        return [message for field in (self.dari, self.sampai, self.monev) for message in field.errors]

    def _date(self, field: StringField) -> date | None:
        raw = field.data or ""
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            field.errors = [_l("%(field)s tidak dipakai: isi tanggal dengan format TTTT-BB-HH, misalnya 2026-07-31.",
                               field=field.label.text)]
            return None

    def _period(self) -> tuple[date | None, date | None]:
        start, end = self._date(self.dari), self._date(self.sampai)
        if start is not None and end is not None and end < start:
            self.sampai.errors = [_l("Periode tidak dipakai: tanggal akhir harus sama dengan atau sesudah "
                                     "tanggal awal.")]
            return None, None
        return start, end

    def _monev(self, start: date | None, end: date | None) -> str | None:
        name = self.monev.data or ""
        if not name:
            return None
        if drilldown(name) is None:
            self.monev.errors = [_l("Kelompok monev \"%(name)s\" tidak dikenal dan diabaikan.", name=name[:40])]
            self.monev.data = ""
            return None
        if start is None or end is None:
            self.monev.errors = [_l("Kelompok monev diabaikan: isi tanggal awal dan akhir periode (dari dan sampai).")]
            self.monev.data = ""
            return None
        return name

    def _statuses(self, ignored: list[str], *, every_by_default: bool = False) -> frozenset[str] | None:
        chosen = [value for value in (self.status.data or []) if value != OPEN]
        if not chosen and every_by_default:
            chosen = [ALL]  # a monev drill-down lists every status its bucket selects
        if ALL in chosen:
            self.status.data = [ALL]
            return None
        known = {s.value for s in RequestStatus}
        valid = sorted(value for value in set(chosen) if value in known)
        if len(valid) < len(set(chosen)):
            ignored.append(str(self.status.label.text))
        self.status.data = valid or [OPEN]
        return frozenset(valid) if valid else frozenset(OPEN_STATUSES)

    @staticmethod
    def _pick(field: SelectField, ignored: list[str]) -> str | None:
        value = field.data or ""
        if value not in {choice.value for choice in field.choices}:
            ignored.append(str(field.label.text))
            field.data = ""
            return None
        return value or None


class SaveFilterForm(FlaskForm):
    """Save the queue's current filter under a name (the filter travels as its query string)."""

    name = StringField(_l("Nama saringan"), id="saved-name", filters=[strip], validators=[
        DataRequired(_l("Tulis nama untuk saringan ini, misalnya \"Terlambat unit Dinas Kesehatan\".")),
        max_length(SAVED_NAME_MAX)])
    query = HiddenField(filters=[strip], validators=[max_length(SAVED_QUERY_MAX)])


BULK_MAX = 100
DEFAULT_BULK_INSTRUCTION = _l("Siapkan informasi yang dimohon sesuai rincian permohonan, lalu kirim jawaban "
                              "dan dokumennya melalui meja layanan.")


class BulkRouteForm(FlaskForm):
    """Route the ticked requests of the queue to one unit (each request checked on its own)."""

    pilih = SelectMultipleField(_l("Permohonan yang dipilih"), id="bulk-pilih", validate_choice=False)
    unit = StringField(_l("Unit PPID Pembantu tujuan"), id="bulk-unit", filters=[strip],
                       validators=[DataRequired(_l("Pilih unit tujuan.")), max_length(64)])
    instruction = TextAreaField(_l("Instruksi untuk unit"), id="bulk-instruction", filters=[strip], validators=[
        DataRequired(_l("Tulis instruksi untuk unit: apa yang perlu disiapkan.")), max_length(4000)])
    internal_due = LocalDateField(_l("Batas waktu internal unit (boleh dikosongkan)"), id="bulk-internal_due")
    kembali = HiddenField(filters=[strip], validators=[max_length(SAVED_QUERY_MAX)])

    def chosen_ids(self) -> list[int]:
        """The ticked request ids, in order, once each; bad values are put on the field."""
        ids: list[int] = []
        for raw in self.pilih.data or []:
            value = parse_int(raw)
            if value is None:
                self.pilih.errors = [_l("Pilihan permohonan tidak dikenali. Centang permohonan dari daftar.")]
                return []
            ids.append(value)
        ids = list(dict.fromkeys(ids))
        if not ids:
            self.pilih.errors = [_l("Centang paling sedikit satu permohonan di daftar.")]
        elif len(ids) > BULK_MAX:
            self.pilih.errors = [_l("Paling banyak %(n)d permohonan sekaligus.", n=BULK_MAX)]
            return []
        return ids
