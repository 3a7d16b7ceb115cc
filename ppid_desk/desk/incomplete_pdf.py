"""The completeness letters as A4 PDF letters on the shared letterhead of ``web.letter_pdf``: the
notice that a request is incomplete (what is missing, the completion period and its last day, how
to complete it, what happens if it is not completed) and the letter closing it as not completed."""

from __future__ import annotations

from flask_babel import gettext as _

from ..notices.selectors import day_text
from ..web.formatting import long_date
from ..web.letter_pdf import LetterPDF
from .incomplete_selectors import CompletenessLetterText


def _begin(letter: CompletenessLetterText, heading: str, subject: str) -> LetterPDF:
    pdf = LetterPDF()
    pdf.begin(
        number=letter.number, issued_on=letter.issued_on, body_name=letter.body_name,
        body_address=letter.body_address, office=_("Pejabat Pengelola Informasi dan Dokumentasi (PPID)"),
        heading=heading, subject=subject,
        addressee=(letter.applicant_name, letter.applicant_address, letter.applicant_email),
        running_head=_("Surat nomor %(number)s (lanjutan)", number=letter.number),
    )
    return pdf


def _item(pdf: LetterPDF, label: str, value: str) -> None:
    pdf.para(label, bold=True)
    pdf.para(value, indent=6)
    pdf.ln(1)


def _sign(pdf: LetterPDF, letter: CompletenessLetterText) -> None:
    pdf.sign(body_name=letter.body_name, office=_("PPID Utama"), signer=letter.signer,
             position=letter.signer_position, nip=letter.signer_nip)


def incomplete_notice_pdf(letter: CompletenessLetterText) -> bytes:
    """The notice that a request is incomplete (pemberitahuan permohonan belum lengkap)."""
    pdf = _begin(letter, _("PEMBERITAHUAN PERMOHONAN INFORMASI BELUM LENGKAP"),
                 _("Permohonan %(number)s belum lengkap", number=letter.request_number))
    pdf.para(_("Menanggapi permohonan informasi publik Saudara nomor %(number)s yang kami terima pada %(date)s, "
               "dengan rincian informasi:", number=letter.request_number, date=day_text(letter.request_received)))
    pdf.para(letter.rincian, indent=6)
    pdf.ln(1)
    pdf.para(_("setelah kami periksa, permohonan tersebut belum lengkap. Dengan ini kami sampaikan:"))
    pdf.ln(2)
    _item(pdf, _("1. Yang perlu dilengkapi"), letter.missing_items)
    _item(pdf, _("2. Masa melengkapi"), _(
        "%(n)d hari kerja sejak tanggal surat ini, yaitu paling lambat %(date)s. Hari Sabtu, Minggu dan hari "
        "libur tidak dihitung.", n=letter.completion_wd, date=long_date(letter.completion_due)))
    ways = [
        _("a. secara daring: buka %(url)s, masukkan nomor pendaftaran dan alamat e-mail pada permohonan, lalu "
          "kirim kelengkapan dari halaman permohonan;", url=letter.track_url),
        _("b. langsung di meja layanan PPID, %(address)s%(hours)s;", address=letter.body_address,
          hours=_(", pada jam layanan %(hours)s", hours=letter.body_hours) if letter.body_hours else ""),
        _("c. dengan surat kepada PPID %(body)s di alamat tersebut.", body=letter.body_name),
    ]
    pdf.para(_("3. Cara melengkapi (sebutkan nomor pendaftaran %(number)s)", number=letter.request_number), bold=True)
    for way in ways:
        pdf.para(way, indent=6)
    pdf.ln(1)
    _item(pdf, _("4. Apabila tidak dilengkapi"), _(
        "Apabila sampai %(date)s kelengkapan tidak kami terima, permohonan ini dapat ditutup sebagai tidak "
        "dilengkapi dan tidak diproses lebih lanjut. Saudara tetap dapat mengajukan permohonan baru.",
        date=long_date(letter.completion_due)))
    _sign(pdf, letter)
    return bytes(pdf.output())


def not_completed_pdf(letter: CompletenessLetterText) -> bytes:
    """The letter closing a request as not completed (penutupan: tidak dilengkapi)."""
    pdf = _begin(letter, _("PEMBERITAHUAN PENUTUPAN PERMOHONAN INFORMASI KARENA TIDAK DILENGKAPI"),
                 _("Permohonan %(number)s ditutup karena tidak dilengkapi", number=letter.request_number))
    pdf.para(_("Merujuk permohonan informasi publik Saudara nomor %(number)s yang kami terima pada %(date)s, "
               "dengan rincian informasi:", number=letter.request_number, date=day_text(letter.request_received)))
    pdf.para(letter.rincian, indent=6)
    pdf.ln(1)
    if letter.incomplete_number and letter.incomplete_on:
        pdf.para(_("dan surat kami nomor %(letter)s tanggal %(date)s yang meminta Saudara melengkapi permohonan "
                   "paling lambat %(due)s, yaitu:", letter=letter.incomplete_number,
                   date=day_text(letter.incomplete_on), due=long_date(letter.completion_due)))
    else:
        pdf.para(_("dan permintaan kami agar Saudara melengkapi permohonan paling lambat %(due)s, yaitu:",
                   due=long_date(letter.completion_due)))
    pdf.para(letter.missing_items, indent=6)
    pdf.ln(2)
    pdf.para(_("Sampai batas waktu tersebut kelengkapan tidak kami terima. Oleh karena itu, terhitung tanggal "
               "%(date)s permohonan Saudara kami tutup sebagai tidak dilengkapi dan tidak diproses lebih lanjut.",
               date=day_text(letter.issued_on)))
    pdf.ln(2)
    pdf.para(_("Saudara dapat mengajukan permohonan informasi baru kapan saja: secara daring di %(url)s, langsung "
               "di meja layanan PPID, atau dengan surat.", url=letter.new_request_url))
    _sign(pdf, letter)
    return bytes(pdf.output())


def completeness_letter_pdf(letter: CompletenessLetterText) -> bytes:
    return not_completed_pdf(letter) if letter.closing else incomplete_notice_pdf(letter)
