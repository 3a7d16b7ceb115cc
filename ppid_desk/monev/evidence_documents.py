"""The documents of the E-Monev evidence pack that exist nowhere else (issue 16 item 7), each an A4
PDF on the body's letterhead (``web.letter_pdf``), always in Bahasa Indonesia:

* the blank request form and the blank objection form, printed for walk-in applicants to fill in
  by hand (the fields of Perki 1/2021's forms: boxes to tick, lines to write on, two signatures);
* the maklumat pelayanan (the service's commitment, its standards and hours) and the service hours
  as a notice for the desk;
* the service statistics of a year, from the same monev figures as the annual report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from ..objections.labels import GROUND_LABELS
from ..organisation.profile_selectors import body_profile
from ..organisation.tariff_selectors import tariff_in_effect
from ..requests.forms import ACCESS_METHODS, APPLICANT_KINDS, COPY_DELIVERIES
from ..web import formatting
from ..web.formatting import long_date
from ..web.letter_pdf import LINE, LetterPDF
from ..workcalendar.selectors import body_today, clock_rules
from .annual_pdf import _ReportPDF
from .annual_selectors import Chart, FigureTable

LABEL_WIDTH = 58.0  # mm, the label column of a blank form
WRITE_LINE = 6.1  # mm between the lines to write on
BOX = 3.6  # mm, a box to tick
OFFICE = "Pejabat Pengelola Informasi dan Dokumentasi (PPID)"


class FormPDF(LetterPDF):
    """A blank form: labelled lines to write on, boxes to tick, a signature row."""

    def start(self, *, title: str, subject: str) -> None:
        body = body_profile()
        self.set_margins(18, 12, 18)  # one page for the walk-in applicant, where it fits
        self.set_auto_page_break(True, margin=16)
        self.describe(number=title, issued_on=body_today(), subject=subject, author=body.name, running_head=title)
        self.add_page()
        self.letterhead(body_name=body.name, body_address=body.address or "", office=_(OFFICE))
        self.para(title.upper(), size=12.5, bold=True, align="C", height=6)
        self.ln(3)

    def section(self, text: str) -> None:
        if self.will_page_break(20):
            self.add_page()
        self.ln(1.5)
        self.para(text, size=10.5, bold=True)
        self.ln(0.5)

    def write_lines(self, label: str, lines: int = 1, *, hint: str = "") -> None:
        """``label`` at the left, ``lines`` ruled lines to write on at the right."""
        height = WRITE_LINE * lines
        if self.will_page_break(height + 2):
            self.add_page()
        top = self.get_y()
        self.style(10)
        self.set_xy(self.l_margin, top + 1)
        self.multi_cell(LABEL_WIDTH - 2, 4.6, self.clean(label), align="L", new_x="LMARGIN", new_y="NEXT")
        bottom = self.get_y()
        if hint:
            self.style(7.5)
            self.set_x(self.l_margin)
            self.multi_cell(LABEL_WIDTH - 2, 3.6, self.clean(hint), align="L", new_x="LMARGIN", new_y="NEXT")
            bottom = self.get_y()
        self.set_draw_color(120, 120, 120)
        self.set_line_width(0.2)
        x0, x1 = self.l_margin + (LABEL_WIDTH if label else 0), self.w - self.r_margin  # no label: full width
        for index in range(lines):
            y = top + WRITE_LINE * (index + 1)
            self.line(x0, y, x1, y)
        self.set_draw_color(0, 0, 0)
        self.set_y(max(bottom, top + height) + 1.5)

    def boxes(self, label: str, options: list[str], *, columns: int = 1, hint: str = "") -> None:
        """``label`` at the left, a box to tick before each option at the right."""
        rows = -(-len(options) // columns)
        if self.will_page_break(rows * 10 + 4):  # an option may wrap: never split a group of boxes
            self.add_page()
        top = self.get_y()
        self.style(10)
        self.set_xy(self.l_margin, top + 0.5)
        self.multi_cell(LABEL_WIDTH - 2, 4.6, self.clean(label), align="L", new_x="LMARGIN", new_y="NEXT")
        if hint:
            self.style(7.5)
            self.multi_cell(LABEL_WIDTH - 2, 3.6, self.clean(hint), align="L", new_x="LMARGIN", new_y="NEXT")
        bottom = self.get_y()
        indent = LABEL_WIDTH if label else 0  # no label: the options use the full width
        width = (self.w - self.r_margin - self.l_margin - indent) / columns
        y = row_bottom = top
        self.set_line_width(0.3)
        for index, option in enumerate(options):
            column = index % columns
            x = self.l_margin + indent + column * width
            self.rect(x, y + 1.2, BOX, BOX)
            self.style(10)
            self.set_xy(x + BOX + 2, y + 0.5)
            self.multi_cell(width - BOX - 3, 5, self.clean(option), align="L", new_x="LMARGIN", new_y="NEXT")
            row_bottom = max(row_bottom, self.get_y())
            if column == columns - 1 or index == len(options) - 1:  # the row ends below its tallest option
                y = row_bottom + 0.6
        self.set_y(max(bottom, y) + 1.5)

    def signatures(self, left: tuple[str, str], right: tuple[str, str]) -> None:
        """Two signature blocks side by side: (role, note) each, room to sign, a line for the name."""
        if self.will_page_break(34):
            self.add_page()
        self.ln(2)
        half = self.epw / 2
        self.style(10)
        self.set_x(self.l_margin + half)
        self.cell(half, LINE, self.clean(_("........................., tanggal ....................")), align="C",
                  new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        top = self.get_y()
        for index, (role, note) in enumerate((left, right)):
            x = self.l_margin + index * half
            self.set_xy(x, top)
            self.style(10, bold=True)
            self.multi_cell(half - 6, LINE, self.clean(role), align="C", new_x="LEFT", new_y="NEXT")
            self.set_xy(x, top + 19)
            self.style(10)
            self.cell(half - 6, LINE, "(" + "." * 48 + ")", align="C", new_x="LEFT", new_y="NEXT")
            self.set_x(x)
            self.style(8)
            self.cell(half - 6, 4, self.clean(note), align="C")
        self.set_y(top + 28)

    def notes(self, lines: list[str]) -> None:
        if self.will_page_break(4.5 + 3.4 * len(lines)):  # the notes stay together
            self.add_page()
        self.ln(1)
        self.para(_("Keterangan:"), size=7.5, bold=True, height=3.4)
        for line in lines:
            self.para(line, size=7.5, height=3.4)


def request_form_pdf() -> bytes:
    """The blank request form (formulir permohonan informasi publik) for walk-in applicants."""
    pdf = FormPDF()
    pdf.alias_nb_pages()
    pdf.start(title=_("Formulir Permohonan Informasi Publik"),
              subject=_("Formulir permohonan informasi publik (kosong, untuk diisi pemohon)"))
    pdf.write_lines(_("Nomor pendaftaran, tanggal dan jam diterima *"))
    pdf.section(_("A. Identitas pemohon"))
    pdf.boxes(_("Jenis pemohon **"), [str(choice.label) for choice in APPLICANT_KINDS], columns=3)
    pdf.write_lines(_("Nama"))
    pdf.write_lines(_("Nama kuasa (jika ada)"))
    pdf.write_lines(_("NIK / nomor pengesahan badan hukum"))
    pdf.write_lines(_("Alamat"), 2)
    pdf.write_lines(_("Pekerjaan"))
    pdf.write_lines(_("Nomor telepon"))
    pdf.write_lines(_("E-mail"))
    pdf.section(_("B. Informasi yang diminta"))
    pdf.write_lines(_("Rincian informasi yang dibutuhkan"), 3)
    pdf.write_lines(_("Tujuan penggunaan informasi"), 2)
    pdf.boxes(_("Cara memperoleh informasi **"), [str(choice.label) for choice in ACCESS_METHODS])
    pdf.boxes(_("Cara mendapatkan salinan informasi **"), [str(choice.label) for choice in COPY_DELIVERIES],
              columns=3)
    pdf.write_lines(_("Kebutuhan aksesibilitas, jika ada (juru bahasa isyarat, huruf besar, dll.)"))
    pdf.signatures((_("Petugas pelayanan informasi (penerima permohonan)"), _("nama dan tanda tangan")),
                   (_("Pemohon informasi"), _("nama dan tanda tangan")))
    pdf.notes([
        _("* Diisi oleh petugas berdasarkan nomor pendaftaran permohonan informasi publik. "
          "** Beri tanda centang (✓) pada pilihan Anda."),
        _("Lampirkan fotokopi KTP (perorangan), akta pendirian yang disahkan (badan hukum) atau surat kuasa."),
    ])
    return bytes(pdf.output())


def objection_form_pdf() -> bytes:
    """The blank objection form (pernyataan keberatan atas permohonan informasi)."""
    rules = clock_rules()
    pdf = FormPDF()
    pdf.alias_nb_pages()
    pdf.start(title=_("Formulir Pernyataan Keberatan atas Permohonan Informasi"),
              subject=_("Formulir keberatan (kosong, untuk diisi pemohon)"))
    pdf.section(_("A. Informasi pengaju keberatan"))
    pdf.write_lines(_("Nomor registrasi keberatan *"))
    pdf.write_lines(_("Nomor pendaftaran permohonan informasi"))
    pdf.write_lines(_("Tujuan penggunaan informasi"), 2)
    pdf.para(_("Identitas pemohon"), size=10, bold=True)
    pdf.write_lines(_("Nama"))
    pdf.write_lines(_("Alamat"), 2)
    pdf.write_lines(_("Pekerjaan"))
    pdf.write_lines(_("Nomor telepon / e-mail"))
    pdf.para(_("Identitas kuasa pemohon **"), size=10, bold=True)
    pdf.write_lines(_("Nama"))
    pdf.write_lines(_("Alamat"), 2)
    pdf.write_lines(_("Nomor telepon / e-mail"))
    pdf.section(_("B. Alasan keberatan *** (Pasal 35 ayat (1) UU 14/2008)"))
    pdf.boxes("", [f"{letter}. {GROUND_LABELS[letter]}" for letter in sorted(GROUND_LABELS)])
    pdf.section(_("C. Kasus posisi (tambahkan kertas bila perlu)"))
    pdf.write_lines("", 5)
    pdf.section(_("D. Hari/tanggal tanggapan atas keberatan akan diberikan *"))
    pdf.write_lines(_("Tanggal"))
    pdf.para(_("Demikian keberatan ini saya sampaikan, atas perhatian dan tanggapannya saya ucapkan terima kasih."),
             size=10)
    pdf.signatures((_("Mengetahui,\nPetugas informasi (penerima keberatan)"), _("nama dan tanda tangan")),
                   (_("Pengaju keberatan"), _("nama dan tanda tangan")))
    pdf.notes([
        _("* Diisi oleh petugas."),
        _("** Diisi jika keberatan diajukan melalui kuasa; lampirkan surat kuasa."),
        _("*** Beri tanda centang (✓) pada satu alasan atau lebih."),
        _("Keberatan diajukan paling lambat %(n)d hari kerja sejak alasan keberatan timbul; atasan PPID "
          "menanggapi paling lambat %(m)d hari kerja sejak keberatan dicatat (Pasal 36 UU 14/2008).",
          n=rules.objection_filing_wd, m=rules.objection_response_wd),
    ])
    return bytes(pdf.output())


# --- maklumat pelayanan and service hours -------------------------------------------------------

def _hours_table(pdf: LetterPDF) -> None:
    body = body_profile()
    pdf.style(10.5)
    pdf.set_line_width(0.2)
    with pdf.table(col_widths=(45, pdf.epw - 45), width=pdf.epw, line_height=6, padding=(1.2, 2),
                   text_align="LEFT", first_row_as_headings=True) as table:
        table.row((_("Hari"), _("Jam layanan")))
        if body.hours:
            for name, day in body.hours_table():
                table.row((pdf.clean(name), pdf.clean(day.text if day else _("Tutup"))))
        else:
            table.row((_("Setiap hari kerja"), pdf.clean(body.service_hours_text)))


def _contacts(pdf: LetterPDF) -> None:
    body = body_profile()
    rows = [(_("Alamat"), body.address), (_("Telepon"), body.phone), (_("E-mail"), body.email),
            (_("Situs web"), body.website)]
    for label, value in rows:
        if value:
            pdf.para(f"{label}: {value}", size=10.5)


def service_hours_ready() -> bool:
    """The hours are the body's own (entered in the body profile), not the shipped default."""
    return bool(body_profile().hours)


def maklumat_pdf(*, hours_only: bool = False) -> bytes:
    """The maklumat pelayanan informasi publik (commitment, standards, hours, channels, fees), signed
    by the Atasan PPID; ``hours_only``: the service hours as a notice for the desk."""
    body = body_profile()
    rules = clock_rules()
    today = body_today()
    title = _("Jam Layanan Informasi Publik") if hours_only else _("Maklumat Pelayanan Informasi Publik")
    pdf = LetterPDF()
    pdf.alias_nb_pages()
    pdf.describe(number=title, issued_on=today, subject=title, author=body.name, running_head=title)
    pdf.add_page()
    pdf.letterhead(body_name=body.name, body_address=body.address or "", office=_(OFFICE))
    pdf.para(title.upper(), size=14 if hours_only else 12.5, bold=True, align="C", height=7)
    pdf.ln(4)
    if not hours_only:
        pdf.para(_("Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan informasi publik sesuai standar "
                   "pelayanan yang telah ditetapkan, dan apabila tidak menepati janji ini, kami siap menerima "
                   "sanksi sesuai peraturan perundang-undangan yang berlaku."), align="J")
        pdf.ln(3)
        pdf.para(_("Standar pelayanan"), bold=True)
        for line in (
            _("Permohonan informasi tidak dipungut biaya; biaya hanya untuk penggandaan dan pengiriman salinan "
              "sesuai tarif yang diumumkan."),
            _("Pemberitahuan tertulis paling lambat %(n)d hari kerja sejak permohonan diterima, dapat diperpanjang "
              "satu kali paling lama %(m)d hari kerja dengan alasan tertulis.", n=rules.notice_wd, m=rules.extension_wd),
            _("Keberatan dapat diajukan kepada atasan PPID paling lambat %(n)d hari kerja; atasan PPID menanggapi "
              "paling lambat %(m)d hari kerja.", n=rules.objection_filing_wd, m=rules.objection_response_wd),
            _("Permohonan dapat diajukan langsung, melalui surat, e-mail, telepon, atau daring kapan saja."),
        ):
            pdf.para("• " + line, indent=4)
        lines = tariff_in_effect(today)
        if lines:
            pdf.para(_("Tarif salinan yang berlaku: %(lines)s.",
                       lines="; ".join(f"{line.name} {formatting.rupiah(line.price)}" for line in lines[:6])),
                     indent=4, size=9.5)
        pdf.ln(3)
    pdf.para(_("Jam layanan di meja layanan informasi"), bold=True)
    pdf.ln(1)
    _hours_table(pdf)
    pdf.ln(3)
    pdf.para(_("Di luar jam layanan, permohonan dapat diajukan secara daring kapan saja; permohonan yang diterima "
               "di luar hari kerja dihitung mulai hari kerja berikutnya."), size=9.5)
    pdf.ln(2)
    pdf.para(_("Saluran layanan"), bold=True)
    _contacts(pdf)
    if not hours_only:
        official = body.atasan if body.atasan.name else body.utama
        office = _("Atasan PPID") if body.atasan.name else _("PPID Utama")
        pdf.ln(2)
        pdf.para(long_date(today), align="R")
        pdf.sign(body_name=body.name, office=office, signer=official.name or "." * 40,
                 position=official.position, nip=official.nip_text)
    return bytes(pdf.output())


# --- service statistics -------------------------------------------------------------------------

def statistics_pdf(*, year: int, tables: list[FigureTable], charts: list[Chart],
                   units: list[tuple[str, int, str]], through: date) -> bytes:
    """The year's service statistics: the Pasal 12 figures, the charts, and the requests per unit
    (``units``: name, requests handled, share of its tasks answered by the internal due)."""
    body = body_profile()
    title = _("Statistik Layanan Informasi Publik Tahun %(year)d", year=year)
    pdf = _ReportPDF()
    pdf.alias_nb_pages()
    pdf.describe(number=title, issued_on=body_today(), subject=title, author=body.name, running_head=title)
    pdf.add_page()
    pdf.letterhead(body_name=body.name, body_address=body.address or "", office=_(OFFICE))
    pdf.para(title.upper(), size=12.5, bold=True, align="C", height=6)
    pdf.para(_("Periode 1 Januari – %(end)s; dihitung dari catatan layanan pada %(today)s",
               end=long_date(through), today=long_date(body_today())), size=9.5, align="C")
    pdf.ln(2)
    for table in tables:
        pdf.figure_table(table)
    if units:
        unit_table = FigureTable(_("Permohonan per unit yang menangani"))
        for name, count, share in units:
            unit_table.add(_("%(unit)s (tugas dijawab tepat waktu: %(share)s)", unit=name, share=share), count)
        pdf.figure_table(unit_table)
    for chart in charts:
        pdf.bar_chart(chart)
    return bytes(pdf.output())


def proof_pdf(*, year: int, report, image: bytes, channel: str) -> bytes:
    """An image proof of the annual report's submission (a photo of the receipt, a screenshot of
    the e-mail) as a PDF page: what it proves above it, the image fitted to the page below."""
    import io

    body = body_profile()
    title = _("Bukti penyampaian laporan layanan informasi publik tahun %(year)d", year=year)
    pdf = LetterPDF()
    pdf.alias_nb_pages()
    pdf.describe(number=title, issued_on=body_today(), subject=title, author=body.name, running_head=title)
    pdf.add_page()
    pdf.para(title, size=12, bold=True, align="C", height=6)
    pdf.para(_("Disampaikan %(date)s kepada %(to)s melalui %(channel)s.", date=long_date(report.submitted_on),
               to=report.submitted_to or "—", channel=channel), align="C")
    if report.submission_note:
        pdf.para(report.submission_note, size=9.5, align="C")
    pdf.ln(4)
    top = pdf.get_y()
    pdf.image(io.BytesIO(image), x=pdf.l_margin, y=top, w=pdf.epw, h=pdf.h - top - 24, keep_aspect_ratio=True)
    return bytes(pdf.output())


# --- a page of figures (the satisfaction survey, the monev's system answers) ----------------------

class FiguresPDF(_ReportPDF):
    """A short document of figure tables: numbered on every page (the first too)."""

    def footer(self) -> None:
        LetterPDF.footer(self)


@dataclass
class FigureSection:
    """Part of a figures document: a heading (empty: none), its tables, and how they are counted."""

    heading: str
    tables: list[FigureTable]
    notes: list[str] = field(default_factory=list)


def figures_pdf(*, title: str, lines: list[str], sections: list[FigureSection], notes: list[str] | None = None) -> bytes:
    """``title`` on the letterhead, the ``lines`` under it (scope, period, when computed), each
    section's tables and notes, then the closing ``notes``. A4, Bahasa Indonesia."""
    body = body_profile()
    pdf = FiguresPDF()
    pdf.alias_nb_pages()
    pdf.describe(number=title, issued_on=body_today(), subject=title, author=body.name, running_head=title)
    pdf.add_page()
    pdf.letterhead(body_name=body.name, body_address=body.address or "", office=_(OFFICE))
    pdf.para(title.upper(), size=12.5, bold=True, align="C", height=6)
    for line in lines:
        pdf.para(line, size=9.5, align="C")
    pdf.ln(2)
    for section in sections:
        if section.heading:
            pdf.heading(section.heading)
        for table in section.tables:
            pdf.figure_table(table)
        for note in section.notes:
            pdf.para(note, size=8.5, height=4)
    if notes:
        pdf.ln(2)
        for note in notes:
            pdf.para(note, size=8.5, height=4)
    return bytes(pdf.output())


def satisfaction_pdf(*, year: int, figures: dict, through: date) -> bytes:
    """The year's satisfaction survey (IKM, PermenPANRB 14/2017) of the whole body and of each unit,
    from ``satisfaction.satisfaction_figures``: respondents, the nine elements' means, the index and
    its band. A scope below the minimum number of respondents shows its count only. No response
    is listed: the survey is anonymous."""
    from ..survey.ikm import ELEMENT_KEYS
    from ..survey.labels import ELEMENT_NAMES
    from ..survey.labels import band_label as ikm_band

    minimum = figures["minimum"]

    def below(count: int) -> str:
        return _("%(n)d responden, di bawah minimum %(m)d: indeks tidak ditampilkan", n=count, m=minimum)

    body = FigureTable(_("Seluruh badan publik"))
    body.add(_("Jumlah responden"), figures["respondents"])
    if figures["shown"]:
        for key in ELEMENT_KEYS:
            body.add(_("Rata-rata unsur: %(name)s (1–4)", name=ELEMENT_NAMES[key]), figures["means"][key], "index")
        body.add(_("Nilai IKM (1–4)"), figures["ikm"], "index")
        body.add(_("Nilai IKM konversi (25–100)"), figures["converted"], "index")
        body.add(_("Mutu pelayanan"), ikm_band(figures["band"]), "text")
    else:
        body.add(_("Indeks kepuasan: %(why)s", why=below(figures["respondents"])), None)
    units = FigureTable(_("Per unit yang melayani"))
    for row in figures["by_unit"]:
        name = row["name"] or _("Tanpa unit")
        if row["shown"]:
            units.add(_("%(unit)s: %(n)d responden, mutu %(band)s", unit=name, n=row["respondents"],
                        band=ikm_band(row["band"])), row["converted"], "index")
        else:
            units.add(f"{name}: {below(row['respondents'])}", None)
    tables = [body] + ([units] if units.rows else [])
    return figures_pdf(
        title=_("Laporan Survei Kepuasan Layanan Informasi Publik Tahun %(year)d", year=year),
        lines=[_("Periode 1 Januari – %(end)s; dihitung dari jawaban survei pada %(today)s",
                 end=long_date(through), today=long_date(body_today()))],
        sections=[FigureSection("", tables)],
        notes=[_("Keterangan:"), _("Survei ditawarkan kepada pemohon sesudah informasi diberikan atau pemberitahuan akhir "
                 "diterbitkan: sembilan unsur pelayanan dengan skala 1–4 (PermenPANRB 14/2017). Jawaban tanpa "
                 "identitas pemohon; indeks suatu unit atau badan publik tidak ditampilkan bila respondennya "
                 "kurang dari %(m)d.", m=minimum),
               _("Mutu pelayanan: A 88,31–100; B 76,61–88,30; C 65,00–76,60; D 25,00–64,99 (nilai konversi).")])
