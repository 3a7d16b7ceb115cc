"""Reads on written notices, deliveries and the information files of a request."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..attachments.models import Attachment, AttachmentPurpose, Visibility
from ..extensions import db
from ..objections.filing_selectors import ground_window, notice_received_on
from ..organisation.profile_selectors import body_profile, nip_text
from ..requests.labels import OUTCOME_LABELS
from ..requests.models import InformationRequest, Outcome
from ..web import formatting
from ..workcalendar.selectors import clock_rules, local_date, working_calendar
from .fee_selectors import FeeStatement, fee_row_text, fee_statement
from .models import Delivery, WrittenNotice


def notice_of(item: InformationRequest) -> WrittenNotice | None:
    """The written notice of a request (at most one), with its consequence test."""
    return db.session.scalar(
        select(WrittenNotice).where(WrittenNotice.request_id == item.id)
        .options(selectinload(WrittenNotice.consequence_test))
    )


def deliveries_of(item: InformationRequest) -> list[Delivery]:
    return list(db.session.scalars(
        select(Delivery).where(Delivery.request_id == item.id).order_by(Delivery.id)
    ))


def information_files(item: InformationRequest) -> list[Attachment]:
    """The files delivered to the applicant (purpose ``information``), oldest first."""
    return list(db.session.scalars(
        select(Attachment).where(
            Attachment.request_id == item.id,
            Attachment.purpose == AttachmentPurpose.INFORMATION,
            Attachment.visibility == Visibility.APPLICANT,
        ).order_by(Attachment.id)
    ))


def deliverable_documents(item: InformationRequest) -> list[tuple[Attachment, str]]:
    """Documents of this request the officer may deliver without uploading them again, with who
    attached them: the units' answers. The applicant's own papers (identity document, power of
    attorney, completion, letter receipts) are personal data and are never offered."""
    from ..organisation.models import Unit
    from ..routing.models import RoutingTask

    rows = db.session.execute(
        select(Attachment, Unit.name).join(RoutingTask, RoutingTask.id == Attachment.task_id)
        .join(Unit, Unit.id == RoutingTask.unit_id)
        .where(Attachment.request_id == item.id, Attachment.purpose == AttachmentPurpose.UNIT_ANSWER)
        .order_by(Attachment.id))
    return [(attachment, name) for attachment, name in rows]


def information_file(item: InformationRequest, attachment_id: int) -> Attachment | None:
    """One delivered file of THIS request, or None (any other attachment is never served here)."""
    return db.session.scalar(
        select(Attachment).where(
            Attachment.id == attachment_id,
            Attachment.request_id == item.id,
            Attachment.purpose == AttachmentPurpose.INFORMATION,
            Attachment.visibility == Visibility.APPLICANT,
        )
    )


def objection_window_of(item: InformationRequest, ground: str, *, on: date | None = None):
    """The filing window of one objection ground as the applicant is told it (the notice letter,
    the delivery and closing e-mails): the same rule the "late" flag uses
    (``objections.filing_selectors.ground_window``)."""
    return ground_window(item, ground, on=on, calendar=working_calendar())


def notice_objection_due(item: InformationRequest) -> date | None:
    """Last day to object to the written notice itself (grounds a and f: 30 WD after the notice
    is received, Pasal 36(1)); None while its receipt is not known (post, courier)."""
    if item.notice_at is None:
        return None
    received, known = notice_received_on(item)
    if not known or received is None:
        return None
    return objection_window_of(item, "a", on=received).due


@dataclass(frozen=True)
class Letter:
    """Everything the printed letter (HTML and PDF) says, in reading order."""

    number: str
    issued_on: date
    body_name: str
    body_address: str
    applicant_name: str
    applicant_address: str
    applicant_email: str
    request_number: str
    request_received: date
    rincian: str
    outcome: str
    rows: list[tuple[str, str]]  # (item, text) for items a–g and the remarks
    consequence: list[tuple[str, str]] = field(default_factory=list)
    objection_due: date | None = None
    objection_due_unknown: bool = False  # sent by post or courier and its receipt not recorded yet
    objection_filing_wd: int = 30  # the window, in working days, the letter states when the date is unknown
    signer: str = ""
    signer_position: str = ""
    signer_nip: str = ""
    fee: FeeStatement | None = None  # item g itemised (fee_selectors)


def rupiah(amount: int | None) -> str:
    return formatting.rupiah(amount)  # per locale; letters (PDF) are always Indonesian


def day_text(day: date) -> str:
    return formatting.long_date(day)


_STORED = object()  # notice_letter: take the value from the stored notice and request


def cited_decision_text(*, number: str, decided_on: date, title: str) -> str:
    """The letter's words for the exemption decision a refusal rests on."""
    return _("Nomor %(number)s tanggal %(date)s tentang %(title)s", number=number, date=day_text(decided_on),
             title=title)


def _cited_decision_text(exemption_id: int | None, issued_at) -> str | None:
    """"Nomor …, tanggal …" of the exemption decision a refusal cites (None: none cited). Only a
    decision approved (numbered) when the notice was issued is named: a decision the notice proposed
    to PPID Utama (``exemptions.notice_services``) and approved later never changes the letter."""
    if exemption_id is None:
        return None
    from ..exemptions.selectors import decision_get

    decision = decision_get(exemption_id)
    if decision is None or decision.number is None or decision.approved_at is None:
        return None
    if issued_at is not None and decision.approved_at > issued_at:
        return None
    return cited_decision_text(number=decision.number, decided_on=decision.decided_on, title=decision.title)


def notice_letter(item: InformationRequest, notice: WrittenNotice, *, number: str | None = None,
                  issued_on: date | None = None, promised=_STORED, fee=_STORED, objection_due=_STORED,
                  cited=_STORED) -> Letter:
    """The letter of a written notice: items a–g of Pasal 22(7) in plain words. The keywords
    give what a notice not issued yet cannot hold (its preview: ``services.notice_preview``);
    ``cited``: the words naming the exemption decision the refusal rests on (None: none)."""
    from .labels import pasal17_text

    outcome = Outcome(notice.outcome)
    test = notice.consequence_test
    letters = list(test.pasal17_letters) if test else []
    # The day the information will be provided by (granted, not yet documented): item f says when.
    if promised is _STORED:
        promised = item.provide_by or notice.documented_by
    rows: list[tuple[str, str]] = [
        (_("a. Penguasaan informasi"),
         _("Informasi yang Saudara minta dikuasai oleh badan publik kami.") if notice.held
         else _("Informasi yang Saudara minta tidak dikuasai oleh badan publik kami.")),
    ]
    # Pasal 22(7) lists items a–g: all seven are always printed, in order, an item that does not
    # apply saying so, so that an official letter never skips from a to c.
    not_applicable = _("Tidak berlaku.")
    nothing_given = outcome in (Outcome.REFUSED, Outcome.NOT_HELD)
    rows.append((_("b. Badan publik yang menguasai"),
                 (notice.holder_body or _("Tidak diketahui badan publik yang menguasai informasi tersebut."))
                 if outcome == Outcome.NOT_HELD
                 else _("Tidak berlaku: informasi dikuasai oleh badan publik kami.") if notice.held
                 else not_applicable))
    decisions = {
        Outcome.GRANTED_FULL: _("Permohonan diterima; informasi diberikan seluruhnya."),
        Outcome.GRANTED_PARTIAL: _("Permohonan diterima sebagian; sebagian informasi dikecualikan "
                                   "berdasarkan Pasal 17 UU 14/2008 %(letters)s.", letters=pasal17_text(letters)),
        Outcome.REFUSED: _("Permohonan ditolak karena informasi dikecualikan berdasarkan Pasal 17 "
                           "UU 14/2008 %(letters)s.", letters=pasal17_text(letters)),
        Outcome.NOT_HELD: _("Permohonan tidak dapat dipenuhi karena informasi tidak dikuasai badan publik kami."),
        Outcome.NOT_DOCUMENTED: _("Informasi belum didokumentasikan; informasi akan tersedia paling lambat "
                                  "%(date)s.", date=day_text(promised) if promised else "—"),
    }
    rows.append((_("c. Keputusan"), decisions[outcome]))
    nothing = _("Tidak berlaku: tidak ada informasi yang diberikan.")
    rows.append((_("d. Informasi yang diberikan"),
                 notice.materials or (nothing if nothing_given else not_applicable)))
    rows.append((_("e. Bagian yang dihitamkan dan alasannya"),
                 notice.redactions or (nothing if nothing_given
                                       else _("Tidak ada bagian yang dihitamkan."))))
    when = _("Informasi diberikan paling lambat %(date)s.", date=day_text(promised)) if promised else None
    rows.append((_("f. Cara, format dan waktu penyampaian"),
                 "\n".join(filter(None, (notice.delivery_form, when)))
                 or (nothing if nothing_given else not_applicable)))
    fee_lines = fee_statement(notice) if fee is _STORED else fee
    rows.append((_("g. Biaya dan cara pembayaran"),
                 _("Tidak berlaku: tidak ada biaya.") if nothing_given else fee_row_text(item, notice, fee_lines)))
    if notice.remarks:
        rows.append((_("Keterangan"), notice.remarks))
    consequence = []
    if test is not None:
        if cited is _STORED:
            cited = _cited_decision_text(test.exemption_id, notice.issued_at)
        consequence = [
            *([(_("Penetapan informasi yang dikecualikan"), cited)] if cited else []),
            (_("Dasar pengecualian"), _("Pasal 17 UU 14/2008 %(letters)s", letters=pasal17_text(letters))),
            (_("Informasi yang dikecualikan"), test.information),
            (_("Dasar hukum"), test.legal_basis),
            (_("Akibat jika informasi dibuka"), test.harm),
            (_("Pertimbangan kepentingan publik"), test.public_interest),
            (_("Jangka waktu pengecualian"), test.exemption_period),
        ]
    body = body_profile()
    if objection_due is _STORED:
        objection_due = notice_objection_due(item)
    signature = notice.signature or {"name": notice.issued_by.name if notice.issued_by else ""}
    return Letter(
        number=number or notice.number, issued_on=issued_on or local_date(notice.issued_at), body_name=body.name,
        body_address=body.address, applicant_name=item.applicant.name,
        applicant_address=item.applicant.address, applicant_email=item.applicant.email,
        request_number=item.number, request_received=local_date(item.received_at), rincian=item.rincian,
        outcome=str(OUTCOME_LABELS.get(outcome, outcome)), rows=rows, consequence=consequence,
        objection_due=objection_due, objection_due_unknown=objection_due is None,
        objection_filing_wd=clock_rules().objection_filing_wd,
        signer=signature.get("name") or "", signer_position=signature.get("position") or "",
        signer_nip=nip_text(signature.get("nip") or ""), fee=fee_lines,
    )
