"""The Atasan PPID's written response (tanggapan atas keberatan) as a letter: what it says
(``response_letter``, shared by the HTML page and the PDF) and the A4 PDF, drawn with the
written notice's letter building blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _

from ..accounts.models import User
from ..extensions import db
from ..notices.selectors import day_text
from ..organisation.profile_selectors import body_profile, nip_text
from ..web.letter_pdf import LetterPDF
from ..workcalendar.selectors import local_date
from .models import Objection, ObjectionDecision
from .response_labels import DECISION_LABELS, grounds_text


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


def response_letter(objection: Objection) -> ResponseLetter:
    item = objection.request
    decision = ObjectionDecision(objection.decision)
    rows: list[tuple[str, str]] = [(_("Tanggapan"), str(DECISION_LABELS[decision]))]
    if objection.reasons:
        rows.append((_("Alasan"), objection.reasons))
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
        signer_position=signature.get("position") or "", signer_nip=nip_text(signature.get("nip") or ""))


def response_pdf(letter: ResponseLetter) -> bytes:
    pdf = LetterPDF()
    pdf.begin(
        number=letter.number, issued_on=letter.issued_on, body_name=letter.body_name,
        body_address=letter.body_address,
        office=_("Atasan Pejabat Pengelola Informasi dan Dokumentasi (PPID)"),
        heading=_("TANGGAPAN ATAS KEBERATAN"),
        subject=_("Tanggapan atas keberatan %(number)s", number=letter.objection_number),
        addressee=(letter.applicant_name, letter.applicant_address, letter.applicant_email),
        running_head=_("Tanggapan atas keberatan nomor %(number)s (lanjutan)", number=letter.number),
    )
    pdf.para(_("Menanggapi keberatan Saudara nomor %(number)s yang diajukan pada %(date)s atas permohonan "
               "informasi nomor %(request)s, dengan alasan Pasal 35 ayat (1) UU 14/2008 %(grounds)s, "
               "Atasan PPID menyampaikan tanggapan sebagai berikut:", number=letter.objection_number,
               date=day_text(letter.objection_filed), request=letter.request_number, grounds=letter.grounds))
    pdf.ln(2)
    for label, value in letter.rows:
        pdf.para(label, bold=True)
        pdf.para(value, indent=6)
        pdf.ln(1)
    pdf.ln(2)
    pdf.para(_("Apabila Saudara tidak puas atas tanggapan ini, Saudara dapat mengajukan sengketa informasi "
               "kepada Komisi Informasi paling lambat %(n)d hari kerja sejak tanggapan ini diterima "
               "(Pasal 37 UU 14/2008).", n=letter.dispute_wd))
    pdf.sign(body_name=letter.body_name, office=_("Atasan PPID"), signer=letter.signer,
             position=letter.signer_position, nip=letter.signer_nip)
    return bytes(pdf.output())
