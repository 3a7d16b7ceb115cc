"""The annual report as a proper A4 document (issue 14 item 4), built on the letter blocks of
ppid_desk/web/letter_pdf.py: a cover on the body's identity, a table of contents with page
numbers (and the PDF's bookmarks), the UU KIP Pasal 12 figures as ruled tables with their numbers
right-aligned, the charts drawn from the same figures, then the narrative sections. Every page
after the cover carries the report's title at the top and "title · Halaman x dari y" at the foot.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_babel import gettext as _
from fpdf.fonts import FontFace

from ..organisation.profile_selectors import body_logo, body_profile
from ..web.formatting import long_date
from ..web.letter_pdf import LetterPDF, letterhead_logo
from ..workcalendar.selectors import body_today
from .annual_selectors import Chart, FigureTable

BRAND = (11, 79, 138)  # the site's --brand
RULE = (177, 180, 182)  # the site's --line
SHADE = (235, 235, 235)


class _ReportPDF(LetterPDF):
    def header(self) -> None:
        if self.page_no() > 1 and self.number:
            self.style(8)
            self.cell(0, 5, self.clean(self.number), align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(3)

    def footer(self) -> None:
        if self.page_no() > 1:  # the cover carries no page number
            super().footer()

    def heading(self, text: str, level: int = 0) -> None:
        """A numbered heading, also an entry of the contents and a bookmark of the PDF."""
        if self.will_page_break(30 if level == 0 else 20):
            self.add_page()
        self.ln(4 if level == 0 else 2)
        self.start_section(self.clean(text), level=level)
        self.para(text, size=12.5 if level == 0 else 11, bold=True, height=6.5 if level == 0 else 5.5)
        self.ln(1.5)

    def figure_table(self, table: FigureTable) -> None:
        """One table of figures: "Uraian" and "Jumlah", ruled, the numbers right-aligned."""
        self.heading(table.title, level=1)
        self.style(9.5)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        with self.table(col_widths=(self.epw - 32, 32), width=self.epw, text_align=("LEFT", "RIGHT"),
                        line_height=4.8, padding=(1.2, 1.5), headings_style=FontFace(emphasis="BOLD", fill_color=SHADE),
                        repeat_headings=1, v_align="TOP") as out:
            out.row((_("Uraian"), _("Jumlah")))
            for row in table.rows:
                out.row((self.clean(row.label), self.clean(row.text)))
        self.set_draw_color(0, 0, 0)
        self.ln(2)

    def bar_chart(self, chart: Chart) -> None:
        """Horizontal bars with their values printed beside them, an axis with its scale (0, half,
        the maximum) and what it measures."""
        label_width, value_width, row = 58.0, 34.0, 6.0
        area = self.epw - label_width - value_width
        height = 12 + row * len(chart.bars) + 12
        if self.will_page_break(height):
            self.add_page()
        self.heading(chart.title, level=1)
        top = self.get_y()
        left = self.l_margin + label_width
        for index, bar in enumerate(chart.bars):
            y = top + index * row
            self.style(9)
            self.set_xy(self.l_margin, y)
            self.cell(label_width - 2, row, self.clean(bar.label), align="R")
            if bar.value:
                self.set_fill_color(*BRAND)
                self.rect(left, y + 1, max(area * bar.value / chart.maximum, 0.4), row - 2, style="F")
            self.set_xy(left + area + 2, y)
            self.cell(value_width - 2, row, self.clean(bar.text), align="L")
        bottom = top + row * len(chart.bars)
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.3)
        self.line(left, top, left, bottom + 1)  # the axis
        self.line(left, bottom + 1, left + area, bottom + 1)
        self.style(8)
        for fraction in (0.0, 0.5, 1.0):
            x = left + area * fraction
            self.line(x, bottom + 1, x, bottom + 2.5)
            value = chart.maximum * fraction
            text = f"{round(value * 100)}%" if chart.share else _number(value)
            self.set_xy(x - 15, bottom + 2.5)
            self.cell(30, 4, self.clean(text), align="C")
        self.set_xy(left, bottom + 7)
        self.cell(area, 4, self.clean(chart.axis), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _cover(pdf: _ReportPDF, *, title: str, year: int, published: bool) -> None:
    body = body_profile()
    pdf.add_page()
    pdf.ln(30)
    if body_logo() is not None:
        letterhead_logo(pdf)
        pdf.ln(8)
    pdf.para(_("LAPORAN"), size=16, bold=True, align="C", height=9)
    pdf.para(_("LAYANAN INFORMASI PUBLIK"), size=16, bold=True, align="C", height=9)
    pdf.para(_("TAHUN %(year)d", year=year), size=16, bold=True, align="C", height=9)
    pdf.ln(30)
    pdf.para(_("Pejabat Pengelola Informasi dan Dokumentasi (PPID)"), size=12, align="C", height=6.5)
    pdf.para(body.name, size=14, bold=True, align="C", height=8)
    if body.address:
        pdf.para(body.address, size=10, align="C")
    pdf.ln(30)
    pdf.para(_("Periode 1 Januari – 31 Desember %(year)d", year=year), align="C")
    pdf.para(_("Disusun berdasarkan Pasal 12 UU 14/2008 tentang Keterbukaan Informasi Publik"), size=9.5, align="C")
    if published:
        pdf.para(_("Diterbitkan %(date)s", date=long_date(body_today())), size=9.5, align="C")
    else:
        pdf.ln(4)
        pdf.para(_("DRAF: BELUM DITERBITKAN"), size=11, bold=True, align="C")
    pdf.set_title(pdf.clean(title))


def _contents(pdf: _ReportPDF, outline) -> None:
    """The table of contents: each heading with a dotted leader to its page."""
    pdf.para(_("DAFTAR ISI"), size=12.5, bold=True, align="C", height=7)
    pdf.ln(4)
    for section in outline:
        indent = 7 * section.level
        pdf.style(10.5, bold=section.level == 0)
        page = str(section.page_number)
        page_width = 12
        name = section.name
        available = pdf.epw - indent - page_width - 4
        while pdf.get_string_width(name) > available and len(name) > 4:
            name = name[:-2].rstrip() + "…" if pdf.unicode else name[:-4].rstrip() + "..."
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(pdf.get_string_width(name) + 1, 6.5, name)
        dots_width = pdf.epw - indent - page_width - pdf.get_string_width(name) - 2
        pdf.style(10.5)  # the leader in the regular weight, measured in it
        dot = pdf.get_string_width(" .")
        pdf.cell(dots_width, 6.5, " ." * max(int(dots_width / dot), 0), align="R")
        pdf.cell(page_width, 6.5, page, align="R", new_x="LMARGIN", new_y="NEXT")


def annual_pdf(*, year: int, tables: list[FigureTable], sections: list[tuple[str, str]], published: bool,
               charts: list[Chart] | None = None) -> bytes:
    """Cover, contents, the Pasal 12 figure tables, the charts, then the narrative sections."""
    title = _("Laporan Layanan Informasi Publik Tahun %(year)d", year=year)
    pdf = _ReportPDF()
    pdf.alias_nb_pages()
    pdf.number = title
    body_name = body_profile().name
    pdf.set_author(pdf.clean(body_name))
    pdf.set_subject(pdf.clean(title))
    pdf.set_creator("PPID Desk")
    pdf.set_creation_date(datetime.combine(body_today(), time(12), tzinfo=UTC))
    _cover(pdf, title=title, year=year, published=published)
    pdf.add_page()
    pdf.insert_toc_placeholder(_contents, pages=1)  # breaks to the next page itself
    pdf.heading(_("I. Data pelayanan informasi publik (Pasal 12 UU 14/2008)"))
    pdf.para(_("Angka dihitung dari catatan permohonan, keberatan dan sengketa tahun %(year)d; durasi dalam hari "
               "kerja sejak permohonan diterima.", year=year), size=9.5)
    for table in tables:
        pdf.figure_table(table)
    if charts:
        pdf.add_page()
        pdf.heading(_("II. Grafik"))
        for chart in charts:
            pdf.bar_chart(chart)
    pdf.add_page()
    pdf.heading(_("III. Uraian pelayanan informasi publik") if charts else _("II. Uraian pelayanan informasi publik"))
    for heading, text in sections:
        pdf.heading(heading, level=1)
        pdf.para(text or _("(belum diisi)"))
    return bytes(pdf.output())
