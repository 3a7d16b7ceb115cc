"""The Atasan PPID's written response (tanggapan atas keberatan) as a letter: what it says
(``response_letter``, shared by the HTML page and the PDF) and the A4 PDF, drawn with the
written notice's letter building blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..extensions import db
from ..notices.selectors import day_text
from ..organisation.profile_selectors import body_profile, nip_text
from ..web.letter_pdf import LetterPDF
from ..workcalendar.selectors import local_date
from .filing_selectors import GroundWindow
from .labels import WINDOW_BASIS_LABELS
from .models import InadmissibleBasis, Objection, ObjectionDecision
from .response_labels import DECISION_LABELS, GROUND_SHORT_LABELS, grounds_text

# The heading of each basis of an inadmissibility decision, with its article.
BASIS_HEADINGS = {
    InadmissibleBasis.LATE: _l("Dasar: keberatan diajukan melewati jangka waktu (Pasal 36 ayat (1) UU 14/2008)"),
    InadmissibleBasis.NOT_APPLICANT: _l("Dasar: keberatan tidak diajukan oleh pemohon informasi atau kuasanya "
                                        "(Pasal 36 ayat (1) UU 14/2008)"),
}


def _late_text(record: dict) -> str:
    """Why the objection is late, from the windows fixed when the decision was issued."""
    filed = date.fromisoformat(record["filed_on"])
    n = record.get("filing_wd") or 30
    lines = [_("Keberatan diajukan paling lambat %(n)d hari kerja setelah ditemukannya alasan keberatan. Keberatan "
               "Saudara diterima pada %(filed)s, sesudah jangka waktu setiap alasan yang Saudara pilih berakhir:",
               n=n, filed=day_text(filed))]
    for letter, data in (record.get("windows") or {}).items():
        window = GroundWindow.from_json(letter, data)
        if window.start is None or window.due is None:
            continue
        lines.append("- " + _("huruf %(letter)s (%(ground)s): %(start)s sampai %(due)s, %(n)d hari kerja sejak "
                              "%(basis)s", letter=letter, ground=GROUND_SHORT_LABELS.get(letter, letter),
                              start=day_text(window.start), due=day_text(window.due), n=n,
                              basis=WINDOW_BASIS_LABELS.get(window.basis, window.basis)))
    return "\n".join(lines)


def inadmissibility_rows(objection: Objection) -> list[tuple[str, str]]:
    """The basis of an inadmissibility decision as (heading, text) rows: the letter (HTML and PDF),
    the e-mail and the pages say the same. Empty for any other decision."""
    record = objection.inadmissibility
    if objection.decision != ObjectionDecision.INADMISSIBLE or not record:
        return []
    rows: list[tuple[str, str]] = []
    for basis in record.get("basis") or []:
        heading = str(BASIS_HEADINGS.get(basis, basis))
        if basis == InadmissibleBasis.LATE:
            rows.append((heading, _late_text(record)))
        elif basis == InadmissibleBasis.NOT_APPLICANT:
            rows.append((heading, objection.not_applicant_reason or ""))
    return rows


@dataclass(frozen=True)
class ResponseLetter:
    number: str
    issued_on: date
    body_name: str
    body_address: str
    applicant_name: str
    applicant_address: str
    applicant_email: str
    objection_number: str
    objection_filed: date
    request_number: str
    grounds: str
    decision: str
    rows: list[tuple[str, str]]
    signer: str
    dispute_wd: int = 14
    signer_position: str = ""
    signer_nip: str = ""
    inadmissible: bool = False

    @property
    def heading(self) -> str:
        return _("KEPUTUSAN ATAS KEBERATAN") if self.inadmissible else _("TANGGAPAN ATAS KEBERATAN")

    @property
    def subject(self) -> str:
        if self.inadmissible:
            return _("Keberatan %(number)s tidak dapat diterima", number=self.objection_number)
        return _("Tanggapan atas keberatan %(number)s", number=self.objection_number)

    @property
    def intro(self) -> str:
        if self.inadmissible:
            return _("Atas keberatan Saudara nomor %(number)s yang diterima pada %(date)s atas permohonan informasi "
                     "nomor %(request)s, dengan alasan Pasal 35 ayat (1) UU 14/2008 %(grounds)s, Atasan PPID "
                     "memutuskan sebagai berikut:", number=self.objection_number, date=day_text(self.objection_filed),
                     request=self.request_number, grounds=self.grounds)
        return _("Menanggapi keberatan Saudara nomor %(number)s yang diajukan pada %(date)s atas permohonan "
                 "informasi nomor %(request)s, dengan alasan Pasal 35 ayat (1) UU 14/2008 %(grounds)s, "
                 "Atasan PPID menyampaikan tanggapan sebagai berikut:", number=self.objection_number,
                 date=day_text(self.objection_filed), request=self.request_number, grounds=self.grounds)

    @property
    def closing(self) -> str:
        """Pasal 37(2): the dispute window counts from the receipt of this letter, whatever it decided."""
        if self.inadmissible:
            return _("Apabila Saudara tidak menerima keputusan ini, Saudara tetap dapat mengajukan permohonan "
                     "penyelesaian sengketa informasi kepada Komisi Informasi paling lambat %(n)d hari kerja sejak "
                     "surat ini diterima (Pasal 37 ayat (2) UU 14/2008).", n=self.dispute_wd)
        return _("Apabila Saudara tidak puas atas tanggapan ini, Saudara dapat mengajukan sengketa informasi "
                 "kepada Komisi Informasi paling lambat %(n)d hari kerja sejak tanggapan ini diterima "
                 "(Pasal 37 UU 14/2008).", n=self.dispute_wd)


def response_letter(objection: Objection) -> ResponseLetter:
    item = objection.request
    decision = ObjectionDecision(objection.decision)
    inadmissible = decision == ObjectionDecision.INADMISSIBLE
    rows: list[tuple[str, str]] = [(_("Keputusan") if inadmissible else _("Tanggapan"),
                                    str(DECISION_LABELS[decision]))]
    rows += inadmissibility_rows(objection)
    if objection.reasons:
        rows.append((_("Pertimbangan Atasan PPID") if inadmissible else _("Alasan"), objection.reasons))
    if inadmissible:
        rows.append((_("Akibat keputusan"), _(
            "Pokok keberatan tidak diperiksa; tidak ada perintah kepada PPID dan pemeriksaan keberatan ini selesai. "
            "Saudara tetap dapat mengajukan permohonan informasi yang baru.")))
    if objection.release_by:
        rows.append((_("Perintah kepada PPID"), _(
            "PPID memberikan informasi yang diminta%(part)s kepada pemohon paling lambat %(date)s.",
            part=_(" (sebagian)") if decision == ObjectionDecision.OVERTURNED_PARTIAL else "",
            date=day_text(objection.release_by))))
    if objection.settlement:
        rows.append((_("Hasil musyawarah"), objection.settlement))
    signature = objection.response_signature
    if signature is None:  # a response issued before the body profile named the Atasan PPID
        signer = db.session.get(User, objection.responded_by_id) if objection.responded_by_id else None
        signature = {"name": signer.name if signer else ""}
    config = current_app.config
    body = body_profile()
    return ResponseLetter(
        number=objection.response_number or "", issued_on=local_date(objection.responded_at),
        body_name=body.name, body_address=body.address,
        applicant_name=item.applicant.name, applicant_address=item.applicant.address,
        applicant_email=item.applicant.email, objection_number=objection.number,
        objection_filed=objection.filed_date, request_number=item.number,
        grounds=grounds_text(list(objection.grounds)), decision=str(DECISION_LABELS[decision]),
        rows=rows, signer=signature.get("name") or "", dispute_wd=config["DISPUTE_FILING_WD"],
        signer_position=signature.get("position") or "", signer_nip=nip_text(signature.get("nip") or ""),
        inadmissible=inadmissible)


def response_pdf(letter: ResponseLetter) -> bytes:
    pdf = LetterPDF()
    pdf.begin(
        number=letter.number, issued_on=letter.issued_on, body_name=letter.body_name,
        body_address=letter.body_address,
        office=_("Atasan Pejabat Pengelola Informasi dan Dokumentasi (PPID)"),
        heading=letter.heading, subject=letter.subject,
        addressee=(letter.applicant_name, letter.applicant_address, letter.applicant_email),
        running_head=_("Keputusan atas keberatan, surat nomor %(number)s (lanjutan)", number=letter.number)
        if letter.inadmissible else _("Tanggapan atas keberatan nomor %(number)s (lanjutan)", number=letter.number),
    )
    pdf.para(letter.intro)
    pdf.ln(2)
    for label, value in letter.rows:
        pdf.para(label, bold=True)
        pdf.para(value, indent=6)
        pdf.ln(1)
    pdf.ln(2)
    pdf.para(letter.closing)
    pdf.sign(body_name=letter.body_name, office=_("Atasan PPID"), signer=letter.signer,
             position=letter.signer_position, nip=letter.signer_nip)
    return bytes(pdf.output())
