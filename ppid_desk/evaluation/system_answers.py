"""Answers the desk's own data gives (issue 16 item 4): each source of ``sources.SOURCES``
computed for one unit and every unit under it, over the round's year, as a value for the question
and an evidence PDF in Bahasa Indonesia (the figures and how they are counted, on the letterhead;
for ``register.masked`` the unit's register permohonan masked as the E-Monev pack masks it: names
as initials, no address or contact, never a NIK).

A source that cannot answer says why (no request to count yet, the body has no DIP, fewer survey
respondents than the minimum): the question is then left unanswered, with the reason, and no PDF.
Reads only: ``system_services`` writes the answers and files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..consultations.labels import CHANNEL_LABELS as CONSULTATION_CHANNELS
from ..consultations.labels import RESOLUTION_LABELS
from ..consultations.selectors import consultation_tally
from ..dip.freshness import review_due
from ..dip.labels import CATEGORY_LABELS as DIP_CATEGORIES
from ..dip.models import InformationItem, ItemStatus
from ..extensions import db
from ..monev.annual_selectors import FigureTable
from ..monev.evidence_documents import FigureSection, figures_pdf
from ..monev.evidence_masking import masked_request_cells
from ..monev.evidence_pack import fit_rows, size_limit
from ..monev.metrics import monev_metrics
from ..monev.register_columns import REQUEST_COLUMNS
from ..monev.register_pdf import register_pdf
from ..monev.register_selectors import RegisterFilters, request_register
from ..objections.labels import GROUND_LABELS
from ..organisation.models import Unit
from ..organisation.unit_selectors import unit_subtree_ids
from ..requests.labels import CHANNEL_LABELS, OUTCOME_LABELS
from ..survey.ikm import ELEMENT_KEYS
from ..survey.labels import ELEMENT_NAMES
from ..survey.labels import band_label as ikm_band
from ..survey.selectors import min_respondents, satisfaction_index
from ..web.formatting import long_date
from .instrument import Question
from .sources import SOURCES

EVENT_KIND = "system_answers"  # the event (subject ``evaluation_participant``) of each write

# Why a source left its question unanswered (shown on the fill page in the reader's language).
REASONS = {
    "no_requests": _l("Belum ada permohonan tahun %(year)d yang ditangani unit ini dan sudah dapat dihitung "
                      "(sudah diberi pemberitahuan atau sudah lewat batas waktunya)."),
    "no_register": _l("Register permohonan unit ini untuk tahun %(year)d belum berisi baris."),
    "no_dip": _l("Badan publik belum memiliki informasi yang diumumkan dalam DIP di PPID Desk: kemutakhiran DIP "
                 "belum dapat dihitung."),
    "no_unit_dip": _l("Unit ini belum memiliki informasi yang diumumkan dalam DIP."),
    "survey_below": _l("Survei kepuasan tahun %(year)d baru dijawab %(n)d responden, di bawah minimum %(m)d: "
                       "indeks tidak dihitung."),
}
# What a file of a source is called (after "Bukti sistem – <question key>").
FILE_NAMES = {
    "requests.on_time_share": "ketepatan waktu", "requests.median_days": "median hari kerja",
    "requests.total": "jumlah permohonan", "objections.total": "jumlah keberatan",
    "register.masked": "register permohonan", "dip.freshness": "kemutakhiran DIP",
    "consultations.total": "jumlah konsultasi", "survey.ikm": "survei kepuasan",
}


def reason_text(reason: str, params: dict[str, Any]) -> str:
    text = REASONS.get(reason)
    return str(text) % params if text is not None else reason


@dataclass
class Scope:
    """One unit (and the units under it) over a year, as of ``today``: the reads shared by every
    source of one unit's refresh (the request figures are computed once)."""

    unit: Unit
    year: int
    today: date
    unit_ids: list[int] = field(default_factory=list)
    _metrics: dict | None = None

    def __post_init__(self) -> None:
        self.unit_ids = self.unit_ids or unit_subtree_ids(self.unit.id)

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)

    @property
    def through(self) -> date:
        return min(self.end, self.today)

    def metrics(self) -> dict:
        if self._metrics is None:
            self._metrics = monev_metrics(start=self.start, end=self.end, unit_code=self.unit.code,
                                          today=self.today, subunits=True)
        return self._metrics


@dataclass(frozen=True)
class Computed:
    """What a source gives: ``number`` (None: it cannot answer, ``reason`` says why), its
    ``section`` of the unit's figures PDF, or its own ``files`` (the register's PDFs), and
    ``params`` for the reason or the summary."""

    number: float | int | None
    section: FigureSection | None = None
    files: tuple[bytes, ...] = ()
    reason: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def value_for(self, question: Question) -> Any:
        """The answer's value for the question's kind (None: unanswered; evidence: the files)."""
        if self.number is None or question.kind == "evidence":
            return None
        if question.kind == "yes_no":
            return self.number > 0
        return self.number


def _lines(scope: Scope) -> list[str]:
    return [scope.unit.name + (_(" dan unit di bawahnya") if len(scope.unit_ids) > 1 else ""),
            _("Tahun %(year)d (1 Januari – %(end)s); dihitung dari catatan PPID Desk pada %(today)s",
              year=scope.year, end=long_date(scope.through), today=long_date(scope.today))]


def _section(source: str, tables: list[FigureTable], notes: list[str]) -> FigureSection:
    return FigureSection(str(SOURCES[source].label), tables, notes)


def figures_document(scope: Scope, sections: list[FigureSection]) -> bytes:
    """One PDF of the unit's figures, a section per source: drawn once per refresh (a PDF costs a
    few tenths of a second; a round of forty units is opened in one request) and attached to each
    question it answers."""
    with force_locale("id"):
        return figures_pdf(title=_("Bukti sistem: angka layanan informasi tahun %(year)d", year=scope.year),
                           lines=_lines(scope), sections=sections,
                           notes=[_("Dokumen ini dibuat otomatis oleh PPID Desk untuk monev internal; angka dihitung "
                                    "dari register dan catatan layanan, tanpa data pribadi pemohon.")])


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1)


# --- the sources ------------------------------------------------------------------------------

def _on_time(scope: Scope) -> Computed:
    m = scope.metrics()
    legal = m["on_time_legal"]
    if not legal["counted"]:
        return Computed(None, reason="no_requests", params={"year": scope.year})
    share = _percent(legal["on_time"], legal["counted"])
    table = FigureTable(_("Ketepatan waktu pemberitahuan tertulis"))
    table.add(_("Permohonan yang tercatat (terdaftar) tahun ini"), m["received"]["total"])
    table.add(_("Permohonan yang dihitung (sudah diberi pemberitahuan atau lewat batas waktu)"), legal["counted"])
    table.add(_("Diberi pemberitahuan dalam batas waktu"), legal["on_time"])
    table.add(_("Terlambat atau belum diberi pemberitahuan sesudah batas waktu"), legal["counted"] - legal["on_time"])
    table.add(_("Diperpanjang (sah: %(valid)d)", valid=m["extended"]["valid"]), m["extended"]["count"])
    table.add(_("Persentase tepat waktu"), legal["share"], "share")
    return Computed(share, _section("requests.on_time_share", [table], [
        _("Batas waktu: 10 hari kerja sejak permohonan dicatat, ditambah paling lama 7 hari kerja bila diperpanjang "
          "sebelum batas pertama lewat (Pasal 22 ayat (7) UU 14/2008). Permohonan yang belum diberi pemberitahuan "
          "dan belum lewat batasnya belum dihitung."),
        _("Permohonan dihitung untuk unit bila unit ini atau unit di bawahnya menerima disposisinya.")]))


def _median(scope: Scope) -> Computed:
    stats = scope.metrics()["wd_to_notice"]
    if not stats["count"] or stats["median"] is None:
        return Computed(None, reason="no_requests", params={"year": scope.year})
    table = FigureTable(_("Hari kerja sampai pemberitahuan tertulis"))
    table.add(_("Permohonan yang sudah diberi pemberitahuan"), stats["count"])
    table.add(_("Median"), stats["median"], "wd")
    table.add(_("Rata-rata"), stats["mean"], "wd")
    table.add(_("Persentil ke-90"), stats["p90"], "wd")
    return Computed(stats["median"], _section("requests.median_days", [table], [
        _("Hari kerja dihitung dari tanggal permohonan dicatat sampai tanggal pemberitahuan tertulis, tanpa "
          "Sabtu, Minggu, libur nasional dan cuti bersama.")]))


def _requests_total(scope: Scope) -> Computed:
    m = scope.metrics()
    total = m["received"]["total"]
    channels = FigureTable(_("Permohonan menurut saluran"))
    for channel, count in m["received"]["by_channel"].items():
        channels.add(CHANNEL_LABELS.get(channel, channel), count)
    channels.add(_("Jumlah permohonan"), total)
    outcomes = FigureTable(_("Permohonan menurut hasil"))
    for outcome, count in m["outcomes"].items():
        if count:
            outcomes.add(OUTCOME_LABELS.get(outcome, _("Belum selesai")) if outcome != "pending"
                         else _("Belum selesai"), count)
    tables = [channels] + ([outcomes] if outcomes.rows else [])
    return Computed(total, _section("requests.total", tables, [
        _("Permohonan yang dicatat tahun ini dan didisposisikan kepada unit ini atau unit di bawahnya; permohonan "
          "yang ditarik atau tidak dilengkapi tidak dihitung dalam jumlah.")]))


def _objections_total(scope: Scope) -> Computed:
    m = scope.metrics()
    rate = m["objection_rate"]
    table = FigureTable(_("Keberatan atas permohonan yang ditangani unit"))
    for letter, count in rate["by_ground"].items():
        table.add(_("Alasan huruf %(letter)s: %(text)s", letter=letter, text=GROUND_LABELS.get(letter, "")), count)
    table.add(_("Jumlah keberatan"), rate["count"])
    table.add(_("Ditanggapi atasan PPID dalam 30 hari kerja"), m["objection_on_time"]["on_time"])
    return Computed(rate["count"], _section("objections.total", [table], [
        _("Keberatan atas permohonan yang dicatat tahun ini; satu keberatan dapat memakai beberapa alasan (Pasal 35 "
          "ayat (1) UU 14/2008).")]))


def _register(scope: Scope) -> Computed:
    filters = RegisterFilters(scope.start, scope.end, unit=scope.unit, subunits=True)
    rows = request_register(filters).rows
    if not rows:
        return Computed(0, reason="no_register", params={"year": scope.year})
    cells = masked_request_cells(rows)
    headers = [str(column.header) for column in REQUEST_COLUMNS]
    weights = [column.width for column in REQUEST_COLUMNS]
    title = _("Register permohonan informasi publik")

    def render(chunk: list, part: tuple[int, int] | None) -> bytes:
        shown = title if part is None else _("%(title)s (bagian %(part)d dari %(parts)d)", title=title,
                                              part=part[0], parts=part[1])
        return register_pdf(title=shown, headers=headers, cells=chunk, weights=weights,
                            period=(scope.start, scope.end), unit_name=scope.unit.name)

    return Computed(len(rows), files=tuple(fit_rows(render, cells, size_limit())), params={"rows": len(rows)})


def _dip(scope: Scope) -> Computed:
    published = InformationItem.status == ItemStatus.PUBLISHED
    if not db.session.scalar(select(func.count()).select_from(InformationItem).where(published)):
        return Computed(None, reason="no_dip")
    items = list(db.session.scalars(select(InformationItem).where(
        published, InformationItem.unit_id.in_(scope.unit_ids))
        .order_by(InformationItem.title, InformationItem.id)))
    if not items:
        return Computed(None, reason="no_unit_dip")
    table = FigureTable(_("Informasi DIP unit dan batas tinjauannya"))
    current = 0
    for item in items:
        due = review_due(item)
        fresh = due is None or due >= scope.through
        current += int(fresh)
        state = (_("mutakhir (tinjau sebelum %(day)s)", day=long_date(due)) if fresh and due
                 else _("mutakhir") if fresh else _("lewat batas tinjauan %(day)s", day=long_date(due)))
        table.add(f"{item.title} ({DIP_CATEGORIES.get(item.category, item.category)})", state, "text")
    share = _percent(current, len(items))
    summary = FigureTable(_("Kemutakhiran DIP"))
    summary.add(_("Informasi yang diumumkan"), len(items))
    summary.add(_("Ditinjau dalam masa tinjauannya"), current)
    summary.add(_("Persentase mutakhir"), current / len(items), "share")
    return Computed(share, _section("dip.freshness", [summary, table], [
        _("Informasi berkala ditinjau paling lama setiap enam bulan (atau masa tinjauannya sendiri), informasi lain "
          "paling lama setahun sekali, dihitung dari tanggal terakhir ditinjau atau diumumkan.")]))


def _consultations(scope: Scope) -> Computed:
    tally = consultation_tally(scope.unit_ids, period=(scope.start, scope.end))
    channels = FigureTable(_("Konsultasi menurut saluran"))
    for channel, count in sorted(tally.by_channel.items()):
        channels.add(CONSULTATION_CHANNELS.get(channel, channel), count)
    channels.add(_("Jumlah konsultasi"), tally.total)
    resolutions = FigureTable(_("Konsultasi menurut penyelesaian"))
    for resolution, count in sorted(tally.by_resolution.items()):
        resolutions.add(RESOLUTION_LABELS.get(resolution, resolution), count)
    resolutions.add(_("Dijadikan permohonan informasi"), tally.converted)
    return Computed(tally.total, _section("consultations.total", [channels, resolutions], [
        _("Konsultasi dan layanan informasi non-formal (datang langsung, telepon, pesan, media sosial) yang dicatat "
          "unit; catatan yang dibatalkan tidak dihitung. Isi konsultasi dan kontak penanya tidak dicantumkan.")]))


def _survey(scope: Scope) -> Computed:
    index = satisfaction_index(scope.unit_ids, start=scope.start, end=scope.end)
    if not index.shown:
        return Computed(None, reason="survey_below",
                        params={"year": scope.year, "n": index.respondents, "m": min_respondents()})
    table = FigureTable(_("Indeks kepuasan masyarakat (PermenPANRB 14/2017)"))
    table.add(_("Jumlah responden"), index.respondents)
    for key in ELEMENT_KEYS:
        table.add(_("Rata-rata unsur: %(name)s (1–4)", name=ELEMENT_NAMES[key]), float(index.means[key]), "index")
    table.add(_("Nilai IKM (1–4)"), float(index.ikm), "index")
    table.add(_("Nilai IKM konversi (25–100)"), float(index.converted), "index")
    table.add(_("Mutu pelayanan"), ikm_band(index.band), "text")
    return Computed(float(index.converted), _section("survey.ikm", [table], [
        _("Jawaban survei tanpa identitas pemohon, tentang layanan unit ini dan unit di bawahnya, dihitung per "
          "bulan jawaban. Mutu: A 88,31–100; B 76,61–88,30; C 65,00–76,60; D 25,00–64,99.")]))


COMPUTE: dict[str, Callable[[Scope], Computed]] = {
    "requests.on_time_share": _on_time, "requests.median_days": _median, "requests.total": _requests_total,
    "objections.total": _objections_total, "register.masked": _register, "dip.freshness": _dip,
    "consultations.total": _consultations, "survey.ikm": _survey,
}


def compute(source: str, scope: Scope) -> Computed:
    """The source's value and evidence for ``scope``, in Bahasa Indonesia (the register drawn now;
    the figures as a section of ``figures_document``)."""
    with force_locale("id"):
        return COMPUTE[source](scope)


def file_name(question: Question, year: int, part: int = 1, parts: int = 1) -> str:
    """"Bukti sistem – PL01 ketepatan waktu 2026.pdf" (with "bagian 1 dari 2" when split)."""
    extra = f" bagian {part} dari {parts}" if parts > 1 else ""
    return f"Bukti sistem – {question.key} {FILE_NAMES[question.source]} {year}{extra}.pdf"
