"""The desk's numbered letters (extension, withdrawal confirmation) as A4 PDF letters on the shared
letterhead of ``web.letter_pdf``, drawn from the same ``OfficialLetterText`` as the printable page."""

from __future__ import annotations

from flask_babel import gettext as _

from ..web.letter_pdf import LetterPDF
from .letter_selectors import OfficialLetterText


def official_letter_pdf(letter: OfficialLetterText) -> bytes:
    pdf = LetterPDF()
    pdf.begin(
        number=letter.number, issued_on=letter.issued_on, body_name=letter.body_name,
        body_address=letter.body_address, office=_("Pejabat Pengelola Informasi dan Dokumentasi (PPID)"),
        heading=letter.heading, subject=letter.subject,
        addressee=(letter.applicant_name, letter.applicant_address, letter.applicant_email),
        running_head=_("Surat nomor %(number)s (lanjutan)", number=letter.number),
    )
    pdf.para(letter.intro)
    pdf.ln(2)
    for label, value in letter.items:
        pdf.para(label, bold=True)
        pdf.para(value, indent=6)
        pdf.ln(1)
    for paragraph in letter.closing:
        pdf.ln(1)
        pdf.para(paragraph)
    pdf.sign(body_name=letter.body_name, office=_("PPID Utama"), signer=letter.signer,
             position=letter.signer_position, nip=letter.signer_nip)
    return bytes(pdf.output())
