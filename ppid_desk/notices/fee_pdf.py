"""Item g of the written notice on the PDF letter: the fee's lines, their total, the decree (SK)
the prices come from, and the reason for a fee outside the tariff."""

from __future__ import annotations

from flask_babel import gettext as _
from fpdf.fonts import FontFace

from ..web.formatting import number, rupiah
from ..web.letter_pdf import LINE, LetterPDF
from .fee_selectors import FeeStatement

WIDTHS = (9, 71, 26, 30, 30)  # mm: no., description, quantity, unit price, subtotal (A4 text width 168)


def fee_table(pdf: LetterPDF, fee: FeeStatement) -> None:
    pdf.ln(1)
    pdf.para(_("Rincian biaya (butir g)"), size=11, bold=True)
    if fee.lines:
        pdf.style(9.5)
        pdf.set_line_width(0.2)
        pdf.set_draw_color(140)
        bold = FontFace(emphasis="BOLD")
        with pdf.table(col_widths=WIDTHS, width=sum(WIDTHS), align="LEFT", line_height=LINE - 0.6,
                       padding=(1, 1.2), borders_layout="HORIZONTAL_LINES",
                       text_align=("RIGHT", "LEFT", "RIGHT", "RIGHT", "RIGHT"), headings_style=bold) as table:
            head = table.row()
            for text in (_("No."), _("Uraian"), _("Banyaknya"), _("Harga satuan"), _("Jumlah harga")):
                head.cell(pdf.clean(text))
            for line in fee.lines:
                row = table.row()
                row.cell(str(line.position))
                row.cell(pdf.clean(line.description))
                row.cell(pdf.clean(f"{number(line.quantity)} {line.unit}".strip()))
                row.cell(pdf.clean(rupiah(line.unit_price)))
                row.cell(pdf.clean(rupiah(line.subtotal)))
            total = table.row()
            total.cell(pdf.clean(_("Jumlah rincian")), colspan=4, style=bold, align="RIGHT")
            total.cell(pdf.clean(rupiah(fee.lines_sum)), style=bold)
            if fee.total != fee.lines_sum:
                charged = table.row()
                charged.cell(pdf.clean(_("Biaya yang dikenakan")), colspan=4, style=bold, align="RIGHT")
                charged.cell(pdf.clean(rupiah(fee.total)), style=bold)
        pdf.ln(1)
    else:
        pdf.para(_("Biaya yang dikenakan: %(amount)s", amount=rupiah(fee.total)), indent=6)
    if fee.decrees:
        pdf.para(_("Tarif berdasarkan %(decrees)s.", decrees="; ".join(fee.decrees)), size=9.5, indent=6)
    if fee.payment_method and fee.total:
        pdf.para(_("Cara pembayaran: %(how)s", how=fee.payment_method), size=9.5, indent=6)
    if fee.reason:
        pdf.para(_("Alasan biaya di luar tarif: %(reason)s", reason=fee.reason), size=9.5, indent=6)
    pdf.ln(1)
