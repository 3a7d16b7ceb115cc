"""A statutory register as a PDF on the body's letterhead (issue 14 item 4): every column of the
register in the legal order, on A3 landscape (the paper registers are kept on; twenty columns do
not fit A4 without breaking words), the heading row repeated on every page, the period and unit
under the title, and the footer naming the register and the page on every page.

A column is never narrower than its longest word: the widths start from the longest word of each
column at the chosen font size, the rest of the page is shared in proportion to the columns'
usual widths, and the font steps down (7 pt to 5 pt) only when the longest words alone do not fit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flask_babel import gettext as _
from fpdf.fonts import FontFace

from ..organisation.profile_selectors import body_profile
from ..web.formatting import long_date
from ..web.letter_pdf import LetterPDF
from ..workcalendar.selectors import body_today

FONT_SIZES = (7.0, 6.5, 6.0, 5.5, 5.0)
CELL_PADDING = 1.0  # mm, each side
WORD = re.compile(r"\S+")


def _widths(pdf: LetterPDF, headers: Sequence[str], cells: list[list[str]], weights: Sequence[int],
            size: float) -> list[float] | None:
    """Column widths (mm) filling the page, none narrower than its longest word; None if the longest
    words alone are wider than the page at this size."""
    minimums = []
    for index, header in enumerate(headers):
        pdf.style(size, bold=True)
        longest = max((pdf.get_string_width(w) for w in WORD.findall(header)), default=0)
        pdf.style(size)
        for row in cells:
            longest = max(longest, max((pdf.get_string_width(w) for w in WORD.findall(row[index])), default=0))
        minimums.append(longest + 2 * CELL_PADDING + 0.5)
    spare = pdf.epw - sum(minimums)
    if spare < 0:
        return None
    total = sum(weights)
    return [minimum + spare * weight / total for minimum, weight in zip(minimums, weights, strict=True)]


def register_pdf(*, title: str, headers: Sequence[str], cells: list[list[str]], weights: Sequence[int],
                 period: tuple, unit_name: str | None, paper: str = "A3") -> bytes:
    """The register ``title`` for ``period`` (start, end) and ``unit_name`` (None: every unit):
    ``cells`` are the rows' texts in the order of ``headers``; ``weights`` the columns' usual widths.
    ``paper``: A3 for the twenty-column statutory registers, A4 for narrower lists (the DIP)."""
    body = body_profile()
    start, end = period
    today = body_today()
    pdf = LetterPDF(orientation="L", format=paper)
    pdf.set_margins(12, 12, 12)
    pdf.alias_nb_pages()
    period_text = _("%(start)s – %(end)s", start=long_date(start), end=long_date(end))
    pdf.describe(number=f"{title} · {period_text}", issued_on=today, subject=title, author=body.name,
                 running_head=f"{title} · {period_text}")
    pdf.add_page()
    pdf.letterhead(body_name=body.name, body_address=body.address or "",
                   office=_("Pejabat Pengelola Informasi dan Dokumentasi (PPID)"))
    pdf.para(str(title).upper(), size=12.5, bold=True, align="C", height=6)
    pdf.para(_("Periode %(period)s", period=period_text), align="C")
    pdf.para(unit_name or _("Semua unit"), align="C")
    pdf.para(_("Dicetak %(date)s · %(n)d baris", date=long_date(today), n=len(cells)), size=8.5, align="C")
    pdf.ln(3)
    cells = [[pdf.clean(value) for value in row] for row in cells]
    headers = [pdf.clean(str(header)) for header in headers]
    for size in FONT_SIZES:
        widths = _widths(pdf, headers, cells, weights, size)
        if widths is not None:
            break
    else:  # a word wider than the page's share even at 5 pt: let fpdf wrap it
        size, widths = FONT_SIZES[-1], [pdf.epw * weight / sum(weights) for weight in weights]
    if not cells:
        pdf.para(_("Tidak ada baris register pada periode dan unit ini."))
        return bytes(pdf.output())
    pdf.style(size)
    pdf.set_line_width(0.2)
    heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    with pdf.table(col_widths=widths, width=pdf.epw, line_height=size * 0.5, padding=CELL_PADDING,
                   headings_style=heading, repeat_headings=1, text_align="LEFT", v_align="TOP") as table:
        table.row(headers)
        for row in cells:
            table.row(row)
    return bytes(pdf.output())
