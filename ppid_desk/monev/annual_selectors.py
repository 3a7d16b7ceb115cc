"""The annual report's reads: the UU KIP Pasal 12 figures of a calendar year (from
``monev_metrics``), the narrative sections, the deadline. One figure set (``annual_figures``) feeds
the page, the print version, the PDF and the XLSX, so they always show the same numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..consultations.selectors import consultation_tally
from ..extensions import db
from ..objections.labels import OBJECTION_DECISION_LABELS
from ..objections.models import ObjectionDecision
from ..requests.labels import ACCESSIBILITY_LABELS, CHANNEL_LABELS, OUTCOME_LABELS
from ..requests.models import AccessibilityNeed, Channel, Outcome
from ..web import formatting
from ..workcalendar.selectors import body_today
from .annual_forms import NARRATIVE_FIELDS
from .metrics import monev_metrics
from .models import AnnualReport

SECTION_TITLES = {
    "policy": _l("Kebijakan pelayanan informasi publik"),
    "facilities": _l("Sarana dan prasarana, sumber daya manusia, dan anggaran"),
    "obstacles": _l("Kendala eksternal dan internal"),
    "recommendations": _l("Rekomendasi dan rencana tindak lanjut"),
}


# --- figures ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureRow:
    label: str
    value: int | float | str | None
    kind: str = "count"  # count | wd (working days) | share (fraction 0–1) | index (a score, 2 decimals) | text

    @property
    def text(self) -> str:
        return format_value(self.value, self.kind)


@dataclass
class FigureTable:
    title: str
    rows: list[FigureRow] = field(default_factory=list)

    def add(self, label, value, kind: str = "count") -> None:
        self.rows.append(FigureRow(str(label), value, kind))


def format_value(value, kind: str = "count") -> str:
    """Number text in the reader's language (the PDF and XLSX are always Indonesian): "–" for
    nothing, shares as percentages with one decimal, working days with at most two."""
    if value is None:
        return "–"
    if kind == "text":  # already words ("ya", "di bawah minimum responden")
        return str(value)
    if kind == "share":
        return formatting.percent(value, 1)
    if kind == "index":
        from ..survey.labels import ikm_text

        return ikm_text(value)
    if kind == "wd":
        return formatting.decimal(value, 2)
    return formatting.number(int(value))


def _durations(table: FigureTable, label: str, stats: dict) -> None:
    table.add(_("%(what)s: jumlah permohonan", what=label), stats["count"])
    table.add(_("%(what)s: median", what=label), stats["median"], "wd")
    table.add(_("%(what)s: rata-rata", what=label), stats["mean"], "wd")
    table.add(_("%(what)s: persentil ke-90", what=label), stats["p90"], "wd")


def annual_figures(metrics: dict) -> list[FigureTable]:
    """The Pasal 12 tables from one ``monev_metrics`` result."""
    received = FigureTable(_("Permohonan informasi publik"))
    received.add(_("Jumlah permohonan yang diterima"), metrics["received"]["total"])
    channels = metrics["received"]["by_channel"]
    for channel in Channel:
        received.add(_("Melalui %(channel)s", channel=CHANNEL_LABELS[channel]), channels.get(channel.value, 0))
    for other in sorted(set(channels) - {c.value for c in Channel}):
        received.add(_("Melalui %(channel)s", channel=other), channels[other])
    received.add(_("Dicabut oleh pemohon"), metrics["outcomes"].get(Outcome.WITHDRAWN.value, 0))
    received.add(_("Ditutup karena tidak dilengkapi pemohon"), metrics["outcomes"].get(Outcome.NOT_COMPLETED.value, 0))
    received.add(_("Jangka waktu diperpanjang"), metrics["extended"]["count"])
    accessibility = metrics["accessibility"]
    received.add(_("Pemohon dengan kebutuhan aksesibilitas"), accessibility["requests"])
    for need in AccessibilityNeed:
        received.add(_("Kebutuhan aksesibilitas: %(need)s", need=ACCESSIBILITY_LABELS[need]),
                     accessibility["by_need"].get(need.value, 0))

    timing = FigureTable(_("Waktu pemenuhan permohonan (hari kerja)"))
    _durations(timing, _("Sampai pemberitahuan tertulis"), metrics["wd_to_notice"])
    _durations(timing, _("Sampai informasi diserahkan"), metrics["wd_to_delivery"])
    timing.add(_("Pemberitahuan dalam 10 hari kerja"), metrics["on_time_10"]["share"], "share")
    timing.add(_("Pemberitahuan dalam batas waktu undang-undang (termasuk perpanjangan)"),
               metrics["on_time_legal"]["share"], "share")
    late_delivery = metrics.get("late_delivery")  # absent from reports saved before it was counted
    if late_delivery is not None:
        timing.add(_("Informasi diserahkan setelah tanggal yang dijanjikan dalam pemberitahuan"),
                   late_delivery["late"])
        timing.add(_("Informasi belum diserahkan dan tanggal yang dijanjikan sudah lewat"),
                   late_delivery["passed_open"])

    outcomes = FigureTable(_("Hasil permohonan"))
    for outcome in (Outcome.GRANTED_FULL, Outcome.GRANTED_PARTIAL, Outcome.REFUSED, Outcome.NOT_HELD,
                    Outcome.NOT_DOCUMENTED):
        outcomes.add(OUTCOME_LABELS[outcome], metrics["outcomes"].get(outcome.value, 0))
    outcomes.add(_("Belum diputus"), metrics["outcomes"].get("pending", 0))
    published = metrics.get("answered_from_published")  # absent from figures cached before it was counted
    if published is not None:  # a part of the outcomes above, not another outcome
        outcomes.add(_("Dijawab dengan informasi yang sudah diumumkan di Daftar Informasi Publik (sudah terhitung "
                       "dalam hasil di atas)"), published["count"])

    refusals = FigureTable(_("Alasan penolakan (Pasal 17 UU 14/2008)"))
    refusals.add(_("Jumlah permohonan yang ditolak"), metrics["refusal_quality"]["refusals"])
    refusals.add(_("Jumlah permohonan yang diberikan sebagian dengan dasar Pasal 17"), metrics["partial_with_basis"])
    partial = metrics["refusal_basis_partial"]
    for letter, count in metrics["refusal_basis"].items():
        label = _("Pasal 17 huruf %(letter)s", letter=letter)
        if partial.get(letter):
            label = _("Pasal 17 huruf %(letter)s (termasuk %(n)s diberikan sebagian)", letter=letter,
                      n=format_value(partial[letter]))
        refusals.add(label, count)

    objections = FigureTable(_("Keberatan"))
    on_time, upheld = metrics["objection_on_time"], metrics["objection_upheld"]
    objections.add(_("Jumlah keberatan"), metrics["objection_rate"]["count"])
    objections.add(_("Ditanggapi tepat waktu"), on_time["on_time"])
    objections.add(_("Tanggapan yang sudah jatuh tempo"), on_time["counted"])
    objections.add(_("Bagian yang ditanggapi tepat waktu"), on_time["share"], "share")
    objections.add(_("Diputus pokoknya oleh atasan PPID (termasuk musyawarah)"), upheld["decided"])
    objections.add(_("Diputus untuk kepentingan pemohon"), upheld["overturned"])
    decisions = metrics.get("objection_decisions", {})
    for decision in ObjectionDecision:  # each decision its own line: "tidak dapat diterima" is not "dikuatkan"
        objections.add(_("Keputusan atasan PPID: %(decision)s", decision=OBJECTION_DECISION_LABELS[decision]),
                       decisions.get(decision.value, 0))

    disputes = FigureTable(_("Sengketa informasi"))
    disputes.add(_("Jumlah sengketa ke Komisi Informasi"), metrics["disputes"]["count"])
    for outcome, count in sorted(metrics["disputes"]["outcomes"].items()):
        disputes.add(_("Belum diputus") if outcome == "pending" else _("Putusan: %(outcome)s", outcome=outcome),
                     count)
    _disputes_after_ki(disputes, metrics["disputes"])
    tables = [received, timing, outcomes, refusals, objections, disputes]
    if "satisfaction" in metrics:  # absent from figures computed before the survey existed
        tables.append(satisfaction_table(metrics["satisfaction"]))
    consultations = metrics.get("consultations")  # absent from figures computed before it was counted
    if consultations is not None:
        other = FigureTable(_("Konsultasi dan layanan informasi nonformal"))
        other.add(_("Jumlah konsultasi dan layanan informasi nonformal yang dicatat"), consultations["total"])
        other.add(_("Konsultasi yang kemudian diajukan sebagai permohonan informasi"), consultations["converted"])
        tables.append(other)
    return tables


def satisfaction_table(figures: dict) -> FigureTable:
    """The satisfaction survey (IKM, PermenPANRB 14/2017): respondents, the converted index and
    its band, the mean of each element, then each unit; a scope below the minimum number of
    respondents shows its count only."""
    from ..survey.labels import ELEMENTS, band_label

    table = FigureTable(_("Survei kepuasan masyarakat (IKM, PermenPANRB 14/2017)"))
    table.add(_("Jumlah responden"), figures["respondents"])
    if not figures["shown"]:
        table.add(_("Indeks tidak ditampilkan: responden kurang dari %(n)d", n=figures["minimum"]), None)
        return table
    table.add(_("Nilai IKM (konversi 25–100); mutu pelayanan %(band)s", band=band_label(figures["band"])),
              figures["converted"], "index")
    for element in ELEMENTS:
        table.add(_("Nilai rata-rata unsur %(name)s (1–4)", name=element.name), figures["means"][element.key], "index")
    for unit in figures["by_unit"]:
        name = unit["name"] or _("Tanpa unit")
        if unit["shown"]:
            table.add(_("%(unit)s: nilai IKM (%(n)s responden; mutu %(band)s)", unit=name, n=unit["respondents"],
                        band=band_label(unit["band"])), unit["converted"], "index")
        else:
            table.add(_("%(unit)s: %(n)s responden (indeks tidak ditampilkan)", unit=name, n=unit["respondents"]),
                      None)
    return table


def _disputes_after_ki(table: FigureTable, disputes: dict) -> None:
    """The court stage and compliance (UU KIP Pasal 47–50; Perki 1/2021 Pasal 56: disputes)."""
    from ..objections.dispute_labels import CONTENT_SHORT_LABELS
    from ..objections.models import KiDecision

    decisions = disputes.get("ki_decisions", {})
    for kind in KiDecision:
        table.add(_("Putusan Komisi Informasi: %(content)s", content=CONTENT_SHORT_LABELS[kind]),
                  decisions.get(kind.value, 0))
    court, compliance = disputes.get("court", {}), disputes.get("compliance", {})
    by_appellant = court.get("by_appellant", {})
    table.add(_("Gugatan ke PTUN atau Pengadilan Negeri"), court.get("first", 0))
    table.add(_("Gugatan ke PTUN atau Pengadilan Negeri oleh badan publik"), by_appellant.get("first_body", 0))
    table.add(_("Gugatan ke PTUN atau Pengadilan Negeri oleh pemohon"), by_appellant.get("first_applicant", 0))
    table.add(_("Kasasi ke Mahkamah Agung"), court.get("cassation", 0))
    table.add(_("Perkara di pengadilan yang belum diputus"), court.get("pending", 0))
    table.add(_("Sengketa dengan putusan akhir (berkekuatan hukum tetap)"), compliance.get("final", 0))
    table.add(_("Putusan akhir yang mewajibkan badan publik"), compliance.get("requires_action", 0))
    table.add(_("Putusan akhir yang sudah dilaksanakan"), compliance.get("complied", 0))
    table.add(_("Putusan akhir yang tidak atau belum dilaksanakan"), compliance.get("not_complied", 0))
    table.add(_("Putusan akhir yang pelaksanaannya belum dicatat"), compliance.get("unrecorded", 0))


def year_metrics(year: int) -> dict:
    """The year's request metrics, the satisfaction survey and the consultations served in it."""
    from .satisfaction import satisfaction_figures

    start, end = date(year, 1, 1), date(year, 12, 31)
    metrics = monev_metrics(start=start, end=end, unit_code=None, today=body_today())
    return {**metrics, "satisfaction": satisfaction_figures(start, end),
            "consultations": consultation_tally(period=(start, end)).as_dict()}


@dataclass(frozen=True)
class Deadline:
    due: date
    days_left: int
    late: bool
    year_open: bool  # the reported year has not ended yet


def report_deadline(year: int, today: date) -> Deadline:
    """The report is due "paling lambat 31 Maret" of the following year."""
    due = date(year + 1, 3, 31)
    return Deadline(due=due, days_left=(due - today).days, late=today > due, year_open=today.year <= year)


def annual_report_get(year: int) -> AnnualReport | None:
    return db.session.get(AnnualReport, year)


def report_editor(report: AnnualReport | None) -> User | None:
    """Who saved the narrative last (None before the first save)."""
    return db.session.get(User, report.updated_by_id) if report and report.updated_by_id else None


def narrative(report: AnnualReport | None) -> list[tuple[str, str]]:
    return [(str(SECTION_TITLES[name]), (getattr(report, name, None) or "") if report else "")
            for name in NARRATIVE_FIELDS]


# --- charts ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: nothing to show (a month with no request due yet)
    text: str  # the value as printed beside the bar


@dataclass(frozen=True)
class Chart:
    title: str
    axis: str  # what the bars measure
    bars: list[Bar]
    maximum: float  # the axis' end: the largest value, or 1 for shares
    share: bool = False  # the values are fractions 0–1, the scale in per cent


def annual_charts(metrics: dict) -> list[Chart]:
    """The report's charts, from the same ``monev_metrics`` result as its tables: requests by channel,
    the outcomes, and the share answered within the legal limit month by month."""
    from babel import dates

    from ..web.language import active_locale

    channels = metrics["received"]["by_channel"]
    by_channel = [Bar(str(CHANNEL_LABELS.get(channel, channel)), channels.get(channel.value, 0),
                      format_value(channels.get(channel.value, 0))) for channel in Channel]
    outcome_keys = (Outcome.GRANTED_FULL, Outcome.GRANTED_PARTIAL, Outcome.REFUSED, Outcome.NOT_HELD,
                    Outcome.NOT_DOCUMENTED, Outcome.WITHDRAWN, Outcome.NOT_COMPLETED)
    outcomes = [Bar(str(OUTCOME_LABELS[key]), metrics["outcomes"].get(key.value, 0),
                    format_value(metrics["outcomes"].get(key.value, 0))) for key in outcome_keys]
    outcomes.append(Bar(_("Belum diputus"), metrics["outcomes"].get("pending", 0),
                        format_value(metrics["outcomes"].get("pending", 0))))
    months = []
    for month, row in metrics["on_time_legal"]["by_month"].items():
        year, number = (int(part) for part in month.split("-"))
        name = dates.format_date(date(year, number, 1), "MMMM", locale=active_locale())
        text = _("%(share)s (%(on_time)d dari %(counted)d)", share=format_value(row["share"], "share"),
                 on_time=row["on_time"], counted=row["counted"]) if row["counted"] else "–"
        months.append(Bar(name, row["share"], text))
    def axis_end(bars: list[Bar]) -> int:  # even, so that the scale's midpoint is a whole number
        top = max([int(bar.value or 0) for bar in bars] + [1])
        return top + top % 2

    return [
        Chart(_("Permohonan menurut saluran"), _("jumlah permohonan"), by_channel, axis_end(by_channel)),
        Chart(_("Hasil permohonan"), _("jumlah permohonan"), outcomes, axis_end(outcomes)),
        Chart(_("Pemberitahuan tertulis dalam batas waktu undang-undang, per bulan penerimaan"),
              _("bagian permohonan yang jatuh tempo"), months, 1.0, share=True),
    ]
