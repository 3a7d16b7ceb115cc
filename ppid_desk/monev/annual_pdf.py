"""The annual report as an A4 PDF, built on the letter blocks of ppid_desk/web/letter_pdf.py."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_babel import gettext as _

from ..organisation.profile_selectors import body_profile
from ..web.letter_pdf import LetterPDF, letterhead_logo
from ..workcalendar.selectors import body_today


class _ReportPDF(LetterPDF):
    def header(self) -> None:
        if self.page_no() > 1 and self.number:
            self.style(8)
            self.cell(0, 5, self.clean(self.number), align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(3)

    def figure_row(self, label: str, value: str, value_width: float = 30, height: float = 5.2) -> None:
        """A label (wrapping) with its value right-aligned on the first line."""
        self.style(10)
        if self.get_y() + 2 * height > self.page_break_trigger:
            self.add_page()
        y = self.get_y()
        self.multi_cell(self.epw - value_width, height, self.clean(label), new_x="LMARGIN", new_y="NEXT")
        bottom = self.get_y()
        self.set_xy(self.l_margin + self.epw - value_width, y)
        self.cell(value_width, height, self.clean(value), align="R")
        self.set_xy(self.l_margin, bottom)


def annual_pdf(*, year: int, tables, sections: list[tuple[str, str]], published: bool) -> bytes:
    """Title, the Pasal 12 figure tables, then the narrative sections."""
    title = _("Laporan Layanan Informasi Publik Tahun %(year)d", year=year)
    pdf = _ReportPDF()
    pdf.number = title
    pdf.set_title(pdf.clean(title))
    body_name = body_profile().name
    pdf.set_author(pdf.clean(body_name))
    pdf.set_creator("PPID Desk")
    pdf.set_creation_date(datetime.combine(body_today(), time(12), tzinfo=UTC))
    pdf.add_page()
    letterhead_logo(pdf)
    pdf.para(body_name, size=14, bold=True, align="C", height=7)
    pdf.para(_("Pejabat Pengelola Informasi dan Dokumentasi (PPID)"), size=9.5, align="C")
    y = pdf.get_y() + 2
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_y(y + 5)
    pdf.para(title.upper(), size=12.5, bold=True, align="C", height=6)
    pdf.para(_("Periode 1 Januari – 31 Desember %(year)d", year=year), align="C")
    if not published:
        pdf.para(_("Draf: belum diterbitkan"), size=9.5, align="C")
    pdf.ln(4)
    pdf.para(_("A. Data pelayanan informasi publik (Pasal 12 UU 14/2008)"), size=11.5, bold=True)
    pdf.para(_("Durasi dalam hari kerja sejak permohonan diterima."), size=9)
    for table in tables:
        pdf.ln(2)
        pdf.para(table.title, size=10.5, bold=True)
        for row in table.rows:
            pdf.figure_row(row.label, row.text)
    pdf.ln(4)
    pdf.para(_("B. Uraian pelayanan informasi publik"), size=11.5, bold=True)
    for heading, body in sections:
        pdf.ln(2)
        pdf.para(heading, bold=True)
        pdf.para(body or _("(belum diisi)"))
    return bytes(pdf.output())
