"""The written notice as an A4 PDF letter, on the shared letterhead of ``web.letter_pdf``."""

from __future__ import annotations

from flask_babel import gettext as _

from ..web.letter_pdf import LetterPDF
from .fee_pdf import fee_table
from .selectors import Letter, day_text


def notice_pdf(letter: Letter) -> bytes:
    """Render a written notice as an A4 PDF letter on the body's letterhead."""
    pdf = LetterPDF()
    pdf.begin(
        number=letter.number, issued_on=letter.issued_on, body_name=letter.body_name,
        body_address=letter.body_address, office=_("Pejabat Pengelola Informasi dan Dokumentasi (PPID)"),
        heading=_("PEMBERITAHUAN TERTULIS"),
        subject=_("Pemberitahuan tertulis atas permohonan %(number)s", number=letter.request_number),
        addressee=(letter.applicant_name, letter.applicant_address, letter.applicant_email),
        running_head=_("Pemberitahuan tertulis nomor %(number)s (lanjutan)", number=letter.number),
    )
    pdf.para(_("Menanggapi permohonan informasi publik Saudara nomor %(number)s yang kami terima pada "
               "%(date)s, dengan rincian informasi:", number=letter.request_number,
               date=day_text(letter.request_received)))
    pdf.para(letter.rincian, indent=6)
    pdf.ln(1)
    pdf.para(_("dengan ini kami sampaikan pemberitahuan tertulis sesuai Pasal 22 ayat (7) UU 14/2008 "
               "tentang Keterbukaan Informasi Publik sebagai berikut:"))
    pdf.ln(2)
    for label, value in letter.rows:
        pdf.para(label, bold=True)
        pdf.para(value, indent=6)
        pdf.ln(1)
    if letter.fee is not None:
        fee_table(pdf, letter.fee)
    if letter.consequence:
        pdf.ln(1)
        pdf.para(_("Ringkasan uji konsekuensi"), size=11, bold=True)
        for label, value in letter.consequence:
            pdf.para(label, bold=True, indent=6)
            pdf.para(value, indent=12)
    if letter.objection_due:
        pdf.ln(2)
        pdf.para(_("Apabila Saudara tidak puas atas pemberitahuan ini, Saudara dapat mengajukan keberatan "
                   "secara tertulis kepada Atasan PPID paling lambat %(date)s.",
                   date=day_text(letter.objection_due)))
    elif letter.objection_due_unknown:
        pdf.ln(2)
        pdf.para(_("Apabila Saudara tidak puas atas pemberitahuan ini, Saudara dapat mengajukan keberatan "
                   "secara tertulis kepada Atasan PPID paling lambat %(n)d hari kerja sejak surat ini Saudara terima.",
                   n=letter.objection_filing_wd))
    pdf.sign(body_name=letter.body_name, office=_("PPID Utama"), signer=letter.signer,
             position=letter.signer_position, nip=letter.signer_nip)
    return bytes(pdf.output())
