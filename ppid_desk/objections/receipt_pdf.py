"""The receipts of the dispute file as A4 PDFs on the body's letterhead: the request's tanda bukti
and each objection's tanda terima, drawn with the written notice's letter blocks
(``web.letter_pdf.LetterPDF``). They say what the HTML receipts say, as documents: no site
navigation, no form tokens, no messages, never the full NIK (only its masked form)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from fpdf.fonts import FontFace

from ..organisation.profile_selectors import body_profile
from ..requests import labels as request_labels
from ..requests.labels import label
from ..requests.models import InformationRequest
from ..web.formatting import local_datetime, long_date
from ..web.letter_pdf import LINE, LetterPDF
from ..workcalendar.selectors import clock_rules, local_date
from . import labels as objection_labels
from .filing_selectors import stored_windows
from .models import Objection

LABEL_WIDTH = 52  # mm; the value takes the rest of the line


@dataclass(frozen=True)
class Receipt:
    """Everything a printed receipt says, in reading order."""

    number: str
    issued_on: date
    heading: str
    running_head: str
    rows: list[tuple[str, str]]  # short values only: a table row never breaks across pages
    sections: list[tuple[str, list[str]]]  # a heading and its paragraphs (free text of any length)
    closing: str


def _text(value: str | None) -> str:
    return value if value else "—"


def request_receipt(item: InformationRequest) -> Receipt:
    """The tanda bukti of a request (requests/receipt.html): its number, receipt and deadline, and
    the request form as filed."""
    rules, applicant = clock_rules(), item.applicant
    rows = [
        (_("Diterima"), local_datetime(item.received_at)),
        (_("Saluran"), label(request_labels.CHANNEL_LABELS, item.channel)),
        (_("Batas pemberitahuan tertulis"),
         f"{long_date(item.notice_due)} ({_('%(n)d hari kerja', n=rules.notice_wd)})"),
        (_("Jenis pemohon"), label(request_labels.APPLICANT_KIND_LABELS, applicant.kind)),
        (_("Nama"), _text(applicant.name)),
    ]
    if applicant.nik:
        rows.append((_("NIK"), applicant.nik_masked))
    if applicant.legal_approval_number:
        rows.append((_("Nomor pengesahan badan hukum"), applicant.legal_approval_number_masked))
    if applicant.representative_name:
        rows.append((_("Kuasa / wakil"), applicant.representative_name))
    rows += [
        (_("Alamat"), _text(applicant.address)),
        (_("Pekerjaan"), _text(applicant.occupation)),
        (_("Telepon"), _text(applicant.phone)),
        (_("E-mail"), _text(applicant.email)),
        (_("Cara memperoleh informasi"), label(request_labels.ACCESS_METHOD_LABELS, item.access_method)),
    ]
    if item.copy_delivery:
        rows.append((_("Cara mendapatkan salinan"), label(request_labels.COPY_DELIVERY_LABELS, item.copy_delivery)))
    return Receipt(
        number=item.number, issued_on=local_date(item.received_at),
        heading=_("Tanda Bukti Permohonan Informasi Publik"),
        running_head=_("Tanda bukti permohonan %(number)s", number=item.number), rows=rows,
        sections=[(_("Rincian informasi"), [item.rincian]), (_("Tujuan penggunaan"), [item.tujuan])],
        closing=_("Tanda bukti ini dikeluarkan oleh PPID %(body)s. Simpan sebagai bukti permohonan Anda.",
                  body=body_profile().name))


def objection_receipt(objection: Objection) -> Receipt:
    """The tanda terima of an objection (objections/receipt.html)."""
    rules, item = clock_rules(), objection.request
    filing_due = objection_labels.filing_due_text(objection)
    if objection.late:
        filing_due += ". " + _("Keberatan ini diajukan setelah batas tersebut. Keberatan tetap dicatat; Atasan "
                               "PPID yang memutuskan apakah keberatan diterima.")
    rows = [
        (_("Diterima"), local_datetime(objection.filed_at)),
        (_("Saluran"), label(objection_labels.OBJECTION_CHANNEL_LABELS, objection.channel)),
        (_("Nomor pendaftaran permohonan"), item.number),
        (_("Pemohon"), _text(item.applicant.name)),
        (_("Kuasa pemohon"), objection.representative_name or _("Tidak ada (diajukan sendiri)")),
        (_("Batas mengajukan keberatan"), filing_due),
        (_("Batas tanggapan Atasan PPID"),
         f"{long_date(objection.response_due)} ({_('%(n)d hari kerja', n=rules.objection_response_wd)})"),
    ]
    windows = stored_windows(objection)
    grounds = []
    for letter in objection.grounds:
        line = f"{letter}. {label(objection_labels.GROUND_LABELS, letter)}"
        if letter in windows:
            window = windows[letter]
            state = objection_labels.window_state(window, objection.filed_date)
            line += "\n" + _("Jangka waktu") + ": " + objection_labels.window_text(window) + (f" [{state}]" if state else "")
        grounds.append(line)
    if objection.periodic_found_on:
        grounds.append(_("Informasi berkala diketahui tidak tersedia sejak %(date)s (dinyatakan pemohon).",
                         date=long_date(objection.periodic_found_on)))
    return Receipt(
        number=objection.number, issued_on=objection.filed_date,
        heading=_("Tanda Terima Keberatan atas Permohonan Informasi Publik"),
        running_head=_("Tanda terima keberatan %(number)s", number=objection.number), rows=rows,
        sections=[(_("Alasan keberatan (UU KIP Pasal 35 ayat (1))"), grounds),
                  (_("Kasus posisi"), [objection.case_summary]),
                  (_("Tujuan penggunaan informasi"), [objection.intended_use])],
        closing=_("Tanda terima ini dikeluarkan oleh PPID %(body)s. Simpan sebagai bukti keberatan Anda.",
                  body=body_profile().name))


def receipt_pdf(receipt: Receipt) -> bytes:
    """An A4 receipt: the letterhead, the heading and number, a table of its rows, its sections."""
    body = body_profile()
    pdf = LetterPDF()
    pdf.describe(number=receipt.number, issued_on=receipt.issued_on, subject=receipt.heading,
                 author=body.name, running_head=receipt.running_head)
    pdf.add_page()
    pdf.letterhead(body_name=body.name, body_address=body.address,
                   office=_("Pejabat Pengelola Informasi dan Dokumentasi (PPID)"))
    pdf.headline(receipt.heading.upper(), _("Nomor: %(number)s", number=receipt.number))
    pdf.style(10)
    pdf.set_line_width(0.2)
    pdf.set_draw_color(140)
    with pdf.table(col_widths=(LABEL_WIDTH, pdf.epw - LABEL_WIDTH), first_row_as_headings=False,
                   borders_layout="HORIZONTAL_LINES", line_height=LINE, padding=(1.2, 1.5),
                   text_align="LEFT") as table:
        for name, value in receipt.rows:
            row = table.row()
            row.cell(pdf.clean(name), style=FontFace(emphasis="BOLD"))
            row.cell(pdf.clean(value))
    for heading, paragraphs in receipt.sections:
        pdf.ln(3)
        pdf.para(heading, size=11, bold=True)
        for paragraph in paragraphs:
            pdf.para(paragraph, indent=6)
    pdf.ln(4)
    pdf.para(receipt.closing, size=8.5)
    return bytes(pdf.output())
