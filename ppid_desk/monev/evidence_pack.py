"""The body's own E-Monev evidence pack (issue 16 item 7): per indicator of the Komisi Informasi's
Self-Assessment Questionnaire, the evidence PPID Desk can produce as PDFs, and what the body must
upload by hand.

Each item is "ready" (``READY``: its PDFs can be made now), "missing" (``MISSING``: the desk
lacks what it needs — with why and what to do) or "manual" (``MANUAL``: documents the desk does
not keep, e.g. the SK PPID, the SOP, the budget). The states come from cheap reads; the PDFs are
drawn only when downloaded.

The size limit (``EVIDENCE_MAX_BYTES``, default 2 MB per file, as the KI portal asks) is
checked on every PDF made: a register (or the DIP) over it is split into parts by rows ("bagian 1
dari 2"), each within the limit; any other file over it (a proof scanned at high resolution, a
very large logo on the letterhead) is reported as too large with what to do, and left out of the
ZIP. Everything is drawn in Bahasa Indonesia: it is the body's official evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..attachments.services import attachment_read
from ..dip.export import dip_items
from ..extensions import db
from ..notices.models import WrittenNotice
from ..notices.pdf import notice_pdf
from ..notices.selectors import notice_letter
from ..objections.models import Objection
from ..organisation.models import Unit
from ..organisation.profile_selectors import body_profile
from ..requests.labels import OUTCOME_LABELS
from ..requests.models import InformationRequest, Outcome
from ..web.formatting import long_date
from ..workcalendar.selectors import body_today
from .annual_forms import NARRATIVE_FIELDS
from .annual_selectors import (
    SECTION_TITLES,
    annual_charts,
    annual_figures,
    annual_report_get,
    format_value,
    narrative,
    year_metrics,
)
from .annual_submission_services import SUBMISSION_CHANNELS, submission_proof
from .register_columns import OBJECTION_COLUMNS, REQUEST_COLUMNS
from .register_selectors import RegisterFilters, objection_register, request_register
from .satisfaction import satisfaction_figures

READY, MISSING, MANUAL = "ready", "missing", "manual"
SAMPLE_NOTICES = 3
# The outcomes a sample of written notices shows first, one of each (then others to make three).
SAMPLE_ORDER = (Outcome.GRANTED_FULL, Outcome.REFUSED, Outcome.GRANTED_PARTIAL, Outcome.NOT_HELD,
                Outcome.NOT_DOCUMENTED)


@dataclass
class EvidenceFile:
    name: str  # the file's name, e.g. "4.1-register-permohonan-2025.pdf"
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class EvidenceItem:
    key: str
    number: str  # "4.1"
    title: str
    state: str  # READY | MISSING | MANUAL
    detail: str = ""  # ready: what it holds; missing: why; manual: what to upload
    todo: str = ""  # missing: what to do
    link: tuple[str, str] | None = None  # (text, url) where to do it
    build: Callable[[], list[EvidenceFile]] | None = None  # the PDFs (ready items)


@dataclass
class Indicator:
    number: int
    name: str
    weight: int  # per cent of the SAQ (KI Pusat, 2025)
    items: list[EvidenceItem] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return f"{self.number}-{slug(self.name)}"


@dataclass
class Built:
    """The PDFs of one item, split to fit the limit, and those still over it."""

    files: list[EvidenceFile]
    too_large: list[EvidenceFile]


def incomplete_sections(report) -> list[str]:
    """The annual report's narrative sections not written yet (every one when there is no report)."""
    return [str(SECTION_TITLES[name]) for name in NARRATIVE_FIELDS if not (report and getattr(report, name))]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def size_limit() -> int:
    return int(current_app.config["EVIDENCE_MAX_BYTES"])


def fit_rows(render: Callable[[list, tuple[int, int] | None], bytes], rows: list, limit: int) -> list[bytes]:
    """The rows drawn as one PDF, or, when that is over ``limit``, as 2, 4, 8 … parts by rows
    (``render(rows, (part, parts))``) until every part fits or a part holds one row."""
    whole = render(rows, None)
    if len(whole) <= limit or len(rows) <= 1:
        return [whole]
    parts = 2
    while True:
        size = -(-len(rows) // parts)
        chunks = [rows[i:i + size] for i in range(0, len(rows), size)]
        drawn = [render(chunk, (index + 1, len(chunks))) for index, chunk in enumerate(chunks)]
        if all(len(data) <= limit for data in drawn) or size <= 1:
            return drawn
        parts *= 2


def _named(base: str, datas: list[bytes]) -> list[EvidenceFile]:
    if len(datas) == 1:
        return [EvidenceFile(f"{base}.pdf", datas[0])]
    return [EvidenceFile(f"{base}-bagian-{index}.pdf", data) for index, data in enumerate(datas, start=1)]


def _part_title(title: str, part: tuple[int, int] | None) -> str:
    return title if part is None else _("%(title)s (bagian %(part)d dari %(parts)d)", title=title, part=part[0],
                                         parts=part[1])


# --- the pack --------------------------------------------------------------------------------

class Pack:
    """The evidence of ``year`` (the state of each item now; PDFs drawn on demand)."""

    def __init__(self, year: int, today: date | None = None) -> None:
        self.year = year
        self.today = today or body_today()
        self.start, self.end = date(year, 1, 1), date(year, 12, 31)
        self._metrics: dict | None = None
        self.indicators = self._indicators()

    # shared reads
    def metrics(self) -> dict:
        if self._metrics is None:
            self._metrics = year_metrics(self.year)
        return self._metrics

    def _requests(self) -> int:
        return db.session.scalar(select(func.count()).select_from(InformationRequest).where(
            InformationRequest.receipt_date.between(self.start, self.end))) or 0

    def _objections(self) -> int:
        return db.session.scalar(select(func.count()).select_from(Objection).where(
            Objection.filed_date.between(self.start, self.end))) or 0

    def items(self) -> list[tuple[Indicator, EvidenceItem]]:
        return [(indicator, item) for indicator in self.indicators for item in indicator.items]

    def item(self, key: str) -> tuple[Indicator, EvidenceItem] | None:
        return next(((i, item) for i, item in self.items() if item.key == key), None)

    def build(self, item: EvidenceItem) -> Built:
        """The item's PDFs (Indonesian), each checked against the size limit."""
        if item.build is None:
            return Built([], [])
        with force_locale("id"):
            files = item.build()
        limit = size_limit()
        return Built([f for f in files if f.size <= limit], [f for f in files if f.size > limit])

    def base(self, item: EvidenceItem, extra: str = "") -> str:
        return f"{item.number}-{item.key}-{self.year}{extra}"

    # the indicators and their items
    def _indicators(self) -> list[Indicator]:
        requests = self._requests()
        year_over = self.today > self.end
        return [
            Indicator(1, _("Jenis Informasi"), 40, [self._dip(), self._annual(year_over), self._submission(year_over),
                                                    self._manual("informasi-berkala", "1.4", _("Informasi berkala, "
                                                    "serta merta dan setiap saat lainnya"), _(
                "Laporan keuangan dan LHP BPK, LKjIP/LAKIP, RKA/DPA, rencana strategis, profil badan publik, "
                "pengadaan barang dan jasa, serta daftar informasi yang dikecualikan (SK penetapan dan uji "
                "konsekuensinya; PPID Desk menyimpannya di Register informasi dikecualikan). Unggah tautan atau "
                "berkasnya pada pertanyaan SAQ yang sesuai."))]),
            Indicator(2, _("Digitalisasi"), 20, [self._manual("kanal-elektronik", "2.1", _(
                "Situs web dan kanal elektronik"), _(
                "Alamat situs web PPID dan tangkapan layar halaman permohonan daring, pelacakan permohonan, DIP, "
                "media sosial dan aplikasi layanan lain yang dipakai."))]),
            Indicator(3, _("Kualitas Informasi"), 10, [self._manual("pemutakhiran-informasi", "3.1", _(
                "Informasi yang relevan, akurat dan mutakhir"), _(
                "Bukti pemutakhiran informasi: tanggal terakhir ditinjau pada halaman DIP, tangkapan layar "
                "informasi terkini, dan bukti uji kelayakan atau verifikasi informasi sebelum diumumkan."))]),
            Indicator(4, _("Pelayanan Informasi"), 10, [
                self._register("register-permohonan", "4.1", _("Register permohonan informasi publik"), requests),
                self._register("register-keberatan", "4.2", _("Register keberatan"), requests),
                self._notices(), self._statistics(requests), self._survey()]),
            Indicator(5, _("Komitmen Organisasi"), 10, [self._maklumat(), self._manual(
                "sk-sop-anggaran", "5.2", _("SK PPID, SOP, anggaran dan SDM"), _(
                    "SK pembentukan PPID dan struktur organisasinya, SOP layanan informasi publik, SK penetapan DIP, "
                    "anggaran layanan informasi (DPA), dan daftar petugas beserta pelatihannya."))]),
            Indicator(6, _("Sarana & Prasarana"), 10, [
                EvidenceItem("formulir-permohonan", "6.1", _("Formulir permohonan informasi (kosong)"), READY,
                             _("Formulir cetak untuk pemohon yang datang langsung, dengan kop badan publik."),
                             build=self._blank("formulir-permohonan", "6.1", "request")),
                EvidenceItem("formulir-keberatan", "6.2", _("Formulir keberatan (kosong)"), READY,
                             _("Formulir cetak pernyataan keberatan, dengan kop badan publik."),
                             build=self._blank("formulir-keberatan", "6.2", "objection")),
                self._hours(),
                self._manual("ruang-layanan", "6.4", _("Ruang layanan dan akses disabilitas"), _(
                    "Foto ruang atau meja layanan informasi, papan informasi, dan sarana bagi penyandang disabilitas "
                    "(jalur landai, kursi roda, toilet, petunjuk huruf braille)."))]),
        ]

    def _manual(self, key: str, number: str, title: str, detail: str) -> EvidenceItem:
        return EvidenceItem(key, number, title, MANUAL, detail)

    def _dip(self) -> EvidenceItem:
        items = dip_items(self.year)
        title = _("Daftar Informasi Publik")
        if not items:
            return EvidenceItem("daftar-informasi-publik", "1.1", title, MISSING,
                                _("Belum ada informasi yang diumumkan dalam DIP sampai akhir tahun %(year)d.",
                                  year=self.year),
                                _("Tambahkan informasi ke DIP dan setujui agar diumumkan."),
                                (_("Daftar Informasi Publik"), url_for("dip.desk_list")))

        def build() -> list[EvidenceFile]:
            from ..dip import export
            from .register_pdf import register_pdf

            cells = [[str(value) for value in row] for row in export.rows(items)]

            def render(chunk: list, part: tuple[int, int] | None) -> bytes:  # as dip.export.dip_pdf, in parts
                return register_pdf(title=_part_title(export.title(self.year), part), headers=export.headers(),
                                    cells=chunk, weights=export.PDF_WEIGHTS, period=(self.start, self.end),
                                    unit_name=None, paper="A4")

            return _named(self.base(item), fit_rows(render, cells, size_limit()))

        item = EvidenceItem("daftar-informasi-publik", "1.1", title, READY,
                            _("%(n)d informasi yang diumumkan, dalam susunan lampiran Perki 1/2021.", n=len(items)),
                            build=build)
        return item

    def _annual(self, year_over: bool) -> EvidenceItem:
        key, number, title = "laporan-tahunan", "1.2", _("Laporan layanan informasi publik")
        link = (_("Laporan tahunan"), url_for("monev.annual_report", year=self.year))
        report = annual_report_get(self.year)
        if not year_over:
            return EvidenceItem(key, number, title, MISSING,
                                _("Tahun %(year)d belum berakhir: laporannya disusun sesudah 31 Desember.",
                                  year=self.year), _("Kembali ke sini sesudah tahun berakhir."), link)
        missing = incomplete_sections(report)
        if report is None or missing:
            return EvidenceItem(key, number, title, MISSING,
                                _("Belum ada laporan tahunan %(year)d: uraian belum diisi (%(sections)s).",
                                  year=self.year, sections=", ".join(missing)),
                                _("Isi uraian laporan tahunan, lalu terbitkan."), link)
        if not report.published:
            return EvidenceItem(key, number, title, MISSING,
                                _("Laporan tahunan %(year)d sudah diisi tetapi belum diterbitkan.", year=self.year),
                                _("Terbitkan laporan di halaman laporan tahunan."), link)

        def build() -> list[EvidenceFile]:
            from .annual_pdf import annual_pdf

            metrics = self.metrics()
            return [EvidenceFile(f"{self.base(item)}.pdf", annual_pdf(
                year=self.year, tables=annual_figures(metrics), charts=annual_charts(metrics),
                sections=narrative(report), published=True))]

        item = EvidenceItem(key, number, title, READY, _("Laporan yang diterbitkan, sesuai Pasal 12 UU 14/2008."),
                            build=build)
        return item

    def _submission(self, year_over: bool) -> EvidenceItem:
        key, number, title = "bukti-penyampaian-laporan", "1.3", _("Bukti penyampaian laporan ke Komisi Informasi")
        link = (_("Catat penyampaian"), url_for("monev.annual_report", year=self.year) + "#penyampaian")
        report = annual_report_get(self.year)
        proof = submission_proof(self.year)
        if not year_over or report is None or report.submitted_on is None or proof is None:
            due = date(self.year + 1, 3, 31)
            return EvidenceItem(key, number, title, MISSING,
                                _("Penyampaian laporan tahun %(year)d ke Komisi Informasi belum dicatat (batasnya "
                                  "%(date)s).", year=self.year, date=long_date(due)),
                                _("Sesudah laporan dikirim, catat tanggalnya dan unggah buktinya di halaman laporan "
                                  "tahunan."), link)

        def build() -> list[EvidenceFile]:
            from .evidence_documents import proof_pdf

            data = attachment_read(proof)
            if proof.content_type != "application/pdf":
                data = proof_pdf(year=self.year, report=report, image=data,
                                 channel=str(SUBMISSION_CHANNELS.get(report.submitted_via, report.submitted_via)))
            return [EvidenceFile(f"{self.base(item)}.pdf", data)]

        item = EvidenceItem(key, number, title, READY,
                            _("Disampaikan %(date)s kepada %(to)s; bukti: %(name)s.",
                              date=long_date(report.submitted_on), to=report.submitted_to,
                              name=proof.original_name), build=build)
        return item

    def _register(self, key: str, number: str, title: str, requests: int) -> EvidenceItem:
        objections = key == "register-keberatan"
        if not requests:
            return EvidenceItem(key, number, title, MISSING,
                                _("Tidak ada permohonan yang tercatat di PPID Desk pada tahun %(year)d.",
                                  year=self.year),
                                _("Jika register tahun itu dicatat di luar PPID Desk, impor register lama agar "
                                  "ikut dalam paket."), (_("Impor register"), url_for("monev.register_import")))
        count = self._objections() if objections else requests
        detail = _("%(n)d baris; alamat, telepon dan e-mail disamarkan, nama disingkat menjadi inisial, tanpa NIK.",
                   n=count)
        if objections and not count:
            detail = _("Tidak ada keberatan pada tahun %(year)d: register kosong tetap menjadi bukti bahwa register "
                       "keberatan dikelola.", year=self.year)

        def build() -> list[EvidenceFile]:
            from .evidence_masking import masked_objection_cells, masked_request_cells
            from .register_pdf import register_pdf

            filters = RegisterFilters(self.start, self.end)
            if objections:
                rows, columns = objection_register(filters).rows, OBJECTION_COLUMNS
                cells = masked_objection_cells(rows)
            else:
                rows, columns = request_register(filters).rows, REQUEST_COLUMNS
                cells = masked_request_cells(rows)
            headers = [str(column.header) for column in columns]
            weights = [column.width for column in columns]
            full_title = _("Register keberatan") if objections else _("Register permohonan informasi publik")

            def render(chunk: list, part: tuple[int, int] | None) -> bytes:
                return register_pdf(title=_part_title(full_title, part), headers=headers, cells=chunk,
                                    weights=weights, period=(self.start, self.end), unit_name=None)

            return _named(self.base(item), fit_rows(render, cells, size_limit()))

        item = EvidenceItem(key, number, title, READY, detail, build=build)
        return item

    def _sample_notices(self) -> list[tuple[InformationRequest, WrittenNotice]]:
        rows = list(db.session.execute(
            select(InformationRequest, WrittenNotice).join(WrittenNotice, WrittenNotice.request_id == InformationRequest.id)
            .where(InformationRequest.notice_on.between(self.start, self.end))
            .order_by(InformationRequest.notice_on.desc(), WrittenNotice.id.desc()).limit(500)))
        chosen: list[tuple[InformationRequest, WrittenNotice]] = []
        for outcome in SAMPLE_ORDER:
            found = next((row for row in rows if row[1].outcome == outcome), None)
            if found is not None and len(chosen) < SAMPLE_NOTICES:
                chosen.append(found)
        for row in rows:
            if len(chosen) >= SAMPLE_NOTICES:
                break
            if row not in chosen:
                chosen.append(row)
        return chosen

    def _notices(self) -> EvidenceItem:
        key, number, title = "contoh-pemberitahuan", "4.3", _("Contoh pemberitahuan tertulis")
        samples = self._sample_notices()
        if not samples:
            return EvidenceItem(key, number, title, MISSING,
                                _("Belum ada pemberitahuan tertulis yang diterbitkan pada tahun %(year)d.",
                                  year=self.year), _("Pemberitahuan yang diterbitkan di PPID Desk otomatis menjadi "
                                                     "contoh."))
        outcomes = [str(OUTCOME_LABELS.get(notice.outcome, notice.outcome)) for _item, notice in samples]
        detail = _("%(n)d surat (%(outcomes)s); nama pemohon disingkat, tanpa alamat dan kontak.", n=len(samples),
                   outcomes=", ".join(outcomes))
        if len(set(outcomes)) < min(len(samples), SAMPLE_NOTICES) or len(samples) < SAMPLE_NOTICES:
            detail += " " + _("Tahun ini belum ada tiga pemberitahuan dengan keputusan yang berbeda.")

        def build() -> list[EvidenceFile]:
            from .evidence_masking import masked_letter

            files = []
            for index, (request_item, notice) in enumerate(samples, start=1):
                letter = masked_letter(notice_letter(request_item, notice), request_item.applicant)
                files.append(EvidenceFile(f"{self.base(item)}-{index}-{slug(str(OUTCOME_LABELS.get(notice.outcome, notice.outcome)))}.pdf",
                                          notice_pdf(letter)))
            return files

        item = EvidenceItem(key, number, title, READY, detail, build=build)
        return item

    def _statistics(self, requests: int) -> EvidenceItem:
        key, number, title = "statistik-layanan", "4.4", _("Statistik layanan informasi")
        if not requests:
            return EvidenceItem(key, number, title, MISSING,
                                _("Tidak ada permohonan yang tercatat pada tahun %(year)d: belum ada angka layanan.",
                                  year=self.year), _("Catat permohonan di PPID Desk atau impor register lama."),
                                (_("Impor register"), url_for("monev.register_import")))

        def build() -> list[EvidenceFile]:
            from .evidence_documents import statistics_pdf

            metrics = self.metrics()
            codes = sorted(set(metrics["received"]["by_unit"]) | set(metrics["routing"]["by_unit"]))
            names = dict(db.session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(codes))).all()) \
                if codes else {}
            units = [(names.get(code, code), metrics["received"]["by_unit"].get(code, 0),
                      format_value(metrics["routing"]["by_unit"].get(code, {}).get("on_time_share"), "share"))
                     for code in codes]
            units.sort(key=lambda row: (-row[1], row[0]))
            through = min(self.end, self.today)
            return [EvidenceFile(f"{self.base(item)}.pdf", statistics_pdf(
                year=self.year, tables=annual_figures(metrics), charts=annual_charts(metrics), units=units,
                through=through))]

        item = EvidenceItem(key, number, title, READY,
                            _("%(n)d permohonan: saluran, waktu pemenuhan, hasil, keberatan dan sengketa, per unit.",
                              n=requests), build=build)
        return item

    def _survey(self) -> EvidenceItem:
        key, number, title = "survei-kepuasan", "4.5", _("Survei kepuasan layanan informasi")
        figures = satisfaction_figures(self.start, self.end)
        if not figures["respondents"]:
            return EvidenceItem(key, number, title, MISSING,
                                _("Belum ada jawaban survei kepuasan pada tahun %(year)d.", year=self.year),
                                _("Survei ditawarkan kepada pemohon sesudah informasi diberikan atau pemberitahuan "
                                  "akhir diterbitkan; jika survei dilakukan di luar PPID Desk, unggah laporannya "
                                  "sendiri."))
        if figures["shown"]:
            detail = _("%(n)d responden; IKM %(ikm)s, per unit; tanpa identitas responden.",
                       n=figures["respondents"], ikm=format_value(figures["converted"], "index"))
        else:
            detail = _("%(n)d responden, di bawah minimum %(m)d: laporan menyebut jumlahnya saja, tanpa indeks.",
                       n=figures["respondents"], m=figures["minimum"])

        def build() -> list[EvidenceFile]:
            from .evidence_documents import satisfaction_pdf

            return [EvidenceFile(f"{self.base(item)}.pdf", satisfaction_pdf(
                year=self.year, figures=satisfaction_figures(self.start, self.end),
                through=min(self.end, self.today)))]

        item = EvidenceItem(key, number, title, READY, detail, build=build)
        return item

    def _maklumat(self) -> EvidenceItem:
        key, number, title = "maklumat-pelayanan", "5.1", _("Maklumat pelayanan informasi publik")
        body = body_profile()
        link = (_("Profil badan publik"), url_for("organisation.body_profile_edit"))
        problems = []
        if not body.hours:
            problems.append(_("jam layanan belum diisi"))
        if not (body.atasan.name or body.utama.name):
            problems.append(_("nama atasan PPID atau PPID Utama yang menandatangani belum diisi"))
        if problems:
            return EvidenceItem(key, number, title, MISSING, _("Profil badan publik: %(problems)s.",
                                                               problems="; ".join(problems)),
                                _("Administrator melengkapi profil badan publik."), link)

        def build() -> list[EvidenceFile]:
            from .evidence_documents import maklumat_pdf

            return [EvidenceFile(f"{self.base(item)}.pdf", maklumat_pdf())]

        item = EvidenceItem(key, number, title, READY,
                            _("Janji layanan, standar waktu, jam layanan dan saluran; cetak, tandatangani, lalu "
                              "pindai bila portal meminta versi bertanda tangan."), build=build)
        return item

    def _hours(self) -> EvidenceItem:
        key, number, title = "jam-layanan", "6.3", _("Jam layanan")
        body = body_profile()
        if not body.hours:
            return EvidenceItem(key, number, title, MISSING, _("Jam layanan belum diisi di profil badan publik."),
                                _("Administrator mengisi jam layanan per hari di profil badan publik."),
                                (_("Profil badan publik"), url_for("organisation.body_profile_edit")))

        def build() -> list[EvidenceFile]:
            from .evidence_documents import maklumat_pdf

            return [EvidenceFile(f"{self.base(item)}.pdf", maklumat_pdf(hours_only=True))]

        item = EvidenceItem(key, number, title, READY, body.service_hours_text, build=build)
        return item

    def _blank(self, key: str, number: str, kind: str) -> Callable[[], list[EvidenceFile]]:
        def build() -> list[EvidenceFile]:
            from .evidence_documents import objection_form_pdf, request_form_pdf

            data = request_form_pdf() if kind == "request" else objection_form_pdf()
            return [EvidenceFile(f"{number}-{key}-{self.year}.pdf", data)]

        return build
