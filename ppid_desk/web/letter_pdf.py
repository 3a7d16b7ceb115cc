"""An A4 document on the body's letterhead (fpdf2: pure Python, no system libraries).

``LetterPDF`` is shared by every official document: the written notice (notices), the objection
response and the receipts of the dispute file (objections), the annual report (monev).

A Unicode TrueType font is used when one is installed (DejaVu or Liberation); otherwise the core
Helvetica font with the text transliterated to Latin-1, so that "—", "•" or "’" typed by an
officer never break the letter.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, datetime, time
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from fpdf import FPDF

from ..organisation.profile_selectors import body_logo, body_profile
from .formatting import long_date

FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
)
_LATIN1 = str.maketrans({
    "\u2014": "-", "\u2013": "-", "\u2012": "-", "\u2212": "-", "\u2022": "*", "\u2023": ">",
    "\u2018": "'", "\u2019": "'", "\u201a": ",", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2026": "...", "\u00a0": " ", "\u2192": "->", "\u2713": "v", "\u2714": "v", "\u20ac": "EUR",
})
LINE = 5.2  # mm per line at 10.5 pt
LOGO_HEIGHT, LOGO_MAX_WIDTH = 18.0, 40.0  # mm, the logo on the letterhead


def letterhead_logo(pdf: FPDF) -> None:
    """Draw the body's logo (from the body profile) centred at the top of the letterhead and
    move below it; nothing when the profile has no logo."""
    logo = body_logo()
    if logo is None:
        return
    profile = body_profile()
    ratio = (profile.logo_width or 1) / (profile.logo_height or 1)
    height = LOGO_HEIGHT
    width = height * ratio
    if width > LOGO_MAX_WIDTH:
        width, height = LOGO_MAX_WIDTH, LOGO_MAX_WIDTH / ratio
    top = pdf.get_y()
    try:
        pdf.image(io.BytesIO(logo[0]), x=(pdf.w - width) / 2, y=top, w=width, h=height)
    except Exception:  # checked when uploaded; a logo fpdf cannot draw must never stop a letter
        current_app.logger.exception("letterhead logo could not be drawn")
        return
    pdf.set_y(top + height + 2)


def to_latin1(text: str) -> str:
    """Text the core PDF fonts can draw: typographic marks spelled plainly, the rest '?'."""
    text = unicodedata.normalize("NFKC", text.translate(_LATIN1))
    return text.encode("latin-1", "replace").decode("latin-1")


def _unicode_font() -> tuple[str, str] | None:
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            return regular, bold
    return None


class LetterPDF(FPDF):
    """An A4 document on the body's letterhead: the written notice, the objection response and the
    receipts of the dispute file all start with ``describe`` + ``letterhead`` + ``title``."""

    def __init__(self, orientation: str = "P", format: str = "A4") -> None:  # noqa: A002 - fpdf's name
        super().__init__(orientation=orientation, unit="mm", format=format)
        fonts = _unicode_font()
        self.unicode = fonts is not None
        if fonts:
            self.add_font("Body", "", fonts[0])
            self.add_font("Body", "B", fonts[1])
            self.family_name = "Body"
        else:
            self.family_name = "Helvetica"
        self.number = ""
        self.running_head = ""  # printed atop every page after the first
        self.set_margins(22, 18, 20)
        self.set_auto_page_break(True, margin=20)

    def clean(self, value: str) -> str:
        return value if self.unicode else to_latin1(value)

    def style(self, size: float, bold: bool = False) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)

    def para(self, value: str, *, size: float = 10.5, bold: bool = False, align: str = "L",
             indent: float = 0, height: float = LINE) -> None:
        self.style(size, bold)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, height, self.clean(value), align=align,
                        new_x="LMARGIN", new_y="NEXT")

    def header(self) -> None:
        if self.page_no() > 1 and self.running_head:
            self.style(8)
            self.cell(0, 5, self.clean(self.running_head), align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(3)

    def sign(self, *, body_name: str, office: str, signer: str, position: str = "", nip: str = "") -> None:
        """The signature block at the right: the body, the signer's position and office, room to
        sign, the signer and their NIP (the body profile's official, as copied when issued)."""
        self.ln(8)
        if self.will_page_break(40):
            self.add_page()
        signature_x = self.w - self.r_margin - 70
        lines = [(body_name, False)] + ([(position, False)] if position else []) + [(office, True)]
        for value, bold in lines:
            self.set_x(signature_x)
            self.style(10.5, bold)
            self.multi_cell(70, LINE, self.clean(value), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(16)
        self.set_x(signature_x)
        self.style(10.5, True)
        self.multi_cell(70, LINE, self.clean(signer), align="C", new_x="LMARGIN", new_y="NEXT")
        if nip:
            self.set_x(signature_x)
            self.style(10.5)
            self.multi_cell(70, LINE, self.clean(_("NIP. %(nip)s", nip=nip)), align="C", new_x="LMARGIN",
                            new_y="NEXT")

    def describe(self, *, number: str, issued_on, subject: str, author: str, running_head: str) -> None:
        """The document's metadata (title = its number) and the line atop its later pages."""
        self.number = number
        self.running_head = running_head
        self.set_title(number)
        self.set_subject(self.clean(subject))
        self.set_author(self.clean(author))
        self.set_creator("PPID Desk")
        self.set_creation_date(datetime.combine(issued_on, time(12), tzinfo=UTC))

    def letterhead(self, *, body_name: str, body_address: str, office: str) -> None:
        """The body's name, address and office over a rule, at the top of the current page."""
        letterhead_logo(self)
        self.para(body_name, size=14, bold=True, align="C", height=7)
        self.para(body_address, size=9.5, align="C")
        self.para(office, size=9.5, align="C")
        y = self.get_y() + 2
        self.set_line_width(0.6)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_y(y + 5)

    def headline(self, heading: str, number_line: str) -> None:
        self.para(heading, size=12.5, bold=True, align="C", height=6)
        self.para(number_line, align="C")
        self.ln(4)

    def begin(self, *, number: str, issued_on, body_name: str, body_address: str, office: str,
              heading: str, subject: str, addressee: tuple[str, str, str], running_head: str) -> None:
        """Metadata, letterhead, title, number, date and addressee of an A4 letter."""
        self.describe(number=number, issued_on=issued_on, subject=subject, author=body_name,
                      running_head=running_head)
        self.add_page()
        self.letterhead(body_name=body_name, body_address=body_address, office=office)
        self.headline(heading, _("Nomor: %(number)s", number=number))
        self.para(long_date(issued_on), align="R")
        self.para(_("Kepada Yth."))
        name, address, email = addressee
        self.para(name, bold=True)
        self.para(address)
        if email:
            self.para(email)
        self.ln(3)

    def footer(self) -> None:
        """Every page: the document's number at the left (a loose page says what it belongs to)
        and "Halaman x dari y" at the right."""
        self.set_y(-14)
        self.style(8)
        if self.number:
            self.cell(self.epw / 2, 5, self.clean(self.number), align="L")
            self.set_x(self.l_margin + self.epw / 2)
        self.cell(0, 5, self.clean(_("Halaman %(page)d dari %(total)s", page=self.page_no(), total="{nb}")),
                  align="R")
