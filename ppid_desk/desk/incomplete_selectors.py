"""Reads of an incomplete request's letters: the letters themselves, and what each one says
(``completeness_letter_text``, shared by the desk panel, the applicant's page and the PDF)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..organisation.profile_selectors import body_profile, nip_text
from ..requests.models import CompletenessLetter, CompletenessLetterKind, InformationRequest
from ..web.urls import public_url


@dataclass(frozen=True)
class CompletenessLetterText:
    """Everything a completeness letter prints, as it was issued."""

    kind: str  # CompletenessLetterKind
    number: str
    issued_on: date
    body_name: str
    body_address: str
    body_hours: str
    applicant_name: str
    applicant_address: str
    applicant_email: str
    request_number: str
    request_received: date
    rincian: str
    missing_items: str
    completion_wd: int
    completion_due: date
    track_url: str
    new_request_url: str
    signer: str
    signer_position: str = ""
    signer_nip: str = ""
    incomplete_number: str | None = None  # the closing letter refers to the incomplete notice
    incomplete_on: date | None = None

    @property
    def closing(self) -> bool:
        return self.kind == CompletenessLetterKind.NOT_COMPLETED


def completeness_letters_of(item: InformationRequest) -> list[CompletenessLetter]:
    """The request's completeness letters, oldest first."""
    return list(db.session.scalars(select(CompletenessLetter).where(CompletenessLetter.request_id == item.id)
                                   .order_by(CompletenessLetter.id)))


def completeness_letter_of(item: InformationRequest, letter_id: int) -> CompletenessLetter | None:
    letter = db.session.get(CompletenessLetter, letter_id)
    return letter if letter is not None and letter.request_id == item.id else None


def closing_letter_of(item: InformationRequest) -> CompletenessLetter | None:
    """The letter closing ``item`` as not completed, if it was."""
    letters = [letter for letter in completeness_letters_of(item)
               if letter.kind == CompletenessLetterKind.NOT_COMPLETED]
    return letters[-1] if letters else None


def completeness_letter_text(item: InformationRequest, letter: CompletenessLetter) -> CompletenessLetterText:
    body = body_profile()
    signature = letter.signature or {"name": letter.issued_by.name if letter.issued_by else ""}
    incomplete = None
    if letter.kind == CompletenessLetterKind.NOT_COMPLETED:
        earlier = [other for other in completeness_letters_of(item)
                   if other.kind == CompletenessLetterKind.INCOMPLETE and other.id < letter.id]
        incomplete = earlier[-1] if earlier else None
    return CompletenessLetterText(
        kind=letter.kind, number=letter.number, issued_on=letter.issued_on, body_name=body.name,
        body_address=body.address, body_hours=body.service_hours_text,
        applicant_name=item.applicant.name, applicant_address=item.applicant.address,
        applicant_email=item.applicant.email, request_number=item.number, request_received=item.receipt_date,
        rincian=item.rincian, missing_items=letter.missing_items, completion_wd=letter.completion_wd,
        completion_due=letter.completion_due, track_url=public_url("requests.track_lookup"),
        new_request_url=public_url("requests.new_request"), signer=signature.get("name") or "",
        signer_position=signature.get("position") or "", signer_nip=nip_text(signature.get("nip") or ""),
        incomplete_number=incomplete.number if incomplete else None,
        incomplete_on=incomplete.issued_on if incomplete else None,
    )
