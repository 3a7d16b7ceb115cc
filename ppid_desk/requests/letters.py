"""Letters the desk issues and how each reached the applicant: one mechanism for all of them
(issue 13 items 2 and 4). Flush, never commit.

* How a letter is sent is one list (``models.LetterSentVia``): e-mail and hand-over are received the
  day they are sent or handed; post and courier on the day the desk records later, with the proof.
* ``handover_problems`` checks a hand-over or receipt as entered (the notice's and the Atasan's
  receipt forms, the completeness letters, the extension and the withdrawal confirmation).
* ``official_letter_issue`` numbers and keeps an extension or withdrawal letter as issued;
  ``official_letter_handover`` records how and when the applicant got it. The extension letter's
  receipt is also the request's ``extension_received_on`` (through the funnel, as before).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from ..accounts.models import Role, User
from ..attachments.models import Attachment, AttachmentPurpose
from ..attachments.services import attachment_claim
from ..dbtypes import utcnow
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..organisation.profile_selectors import number_pattern, utama_signature
from ..web.formatting import long_date
from ..workcalendar.selectors import local_date
from .lifecycle import request_event
from .models import (
    NEEDS_PROOF,
    RECEIVED_WHEN_ISSUED,
    InformationRequest,
    LetterSentVia,
    OfficialLetter,
    OfficialLetterKind,
)
from .numbering import format_number, next_sequence

# The registration counter each kind of letter draws its numbers from (organisation.PATTERN_SERIES).
LETTER_SERIES = {OfficialLetterKind.EXTENSION: "surat-perpanjangan",
                 OfficialLetterKind.WITHDRAWAL: "surat-pencabutan"}


def letter_number(kind: str, series: str, on: date) -> str:
    """The next number of a letter of ``kind`` (a body-profile number pattern) issued on ``on``."""
    return format_number(number_pattern(kind), seq=next_sequence(series, on.year), on=on)


# --- how a letter was sent, and the day it was received ------------------------------------------

def default_sent_via(item: InformationRequest) -> str:
    """E-mail when the applicant gave an address, else hand-over at the desk."""
    return LetterSentVia.EMAIL.value if item.applicant.email else LetterSentVia.IN_PERSON.value


def sent_via_problem(item: InformationRequest, sent_via: str | None) -> str | None:
    """What is wrong with the way a letter to this applicant is said to be sent (None: nothing)."""
    if sent_via not in {v.value for v in LetterSentVia}:
        return _("Pilih cara surat dikirim kepada pemohon.")
    if sent_via == LetterSentVia.EMAIL and not item.applicant.email:
        return _("Pemohon tidak mempunyai alamat e-mail. Pilih diserahkan langsung, pos, atau kurir.")
    return None


def received_on_when_sent(sent_via: str, issued_on: date) -> date | None:
    """E-mail and hand-over: received the day issued. Post and courier: not known yet (None)."""
    return issued_on if sent_via in RECEIVED_WHEN_ISSUED else None


def received_on_problem(received_on: date | None, *, issued_on: date, today: date) -> str | None:
    """The day a letter was received: not before it was issued, not in the future."""
    if received_on is None:
        return _("Tulis tanggal surat diterima pemohon.")
    if received_on < issued_on:
        return _("Tanggal diterima tidak boleh sebelum surat diterbitkan (%(date)s).", date=long_date(issued_on))
    if received_on > today:
        return _("Tanggal diterima tidak boleh di masa depan.")
    return None


def proof_problem(proof: Attachment | None, request_id: int) -> str | None:
    if proof is None:
        return _("Unggah bukti surat diterima (resi pos atau kurir, atau tanda terima yang ditandatangani).")
    if proof.purpose != AttachmentPurpose.LETTER_RECEIPT or proof.request_id not in (None, request_id):
        return _("Berkas ini tidak dapat dipakai. Unggah ulang buktinya.")
    return None


def letter_receipt_problems(*, received_on: date | None, proof: Attachment | None, request_id: int,
                            issued_on: date, today: date) -> dict[str, str]:
    """What is wrong with the receipt of a letter sent by post or courier, by form field."""
    problems: dict[str, str] = {}
    if problem := received_on_problem(received_on, issued_on=issued_on, today=today):
        problems["received_on"] = problem
    if problem := proof_problem(proof, request_id):
        problems["proof"] = problem
    return problems


def handover_problems(*, item: InformationRequest, method: str | None, received_on: date | None,
                      proof: Attachment | None, issued_on: date, today: date) -> dict[str, str]:
    """What is wrong with a letter's hand-over as entered (how, the day received, and for post or
    courier the proof), by form field of ``LetterHandoverForm`` (empty: nothing)."""
    problems: dict[str, str] = {}
    if problem := sent_via_problem(item, method):
        problems["method"] = problem
    if problem := received_on_problem(received_on, issued_on=issued_on, today=today):
        problems["received_on"] = problem
    if method in NEEDS_PROOF and (problem := proof_problem(proof, item.id)):
        problems["proof"] = problem
    return problems


# --- the desk's numbered letters -----------------------------------------------------------------

def official_letter_issue(*, actor: User | None, item: InformationRequest, kind: OfficialLetterKind,
                          content: dict, sent_via: str | None = None, at: datetime | None = None) -> OfficialLetter:
    """Number and keep a letter as issued, signed by the PPID Utama of the body profile.

    ``sent_via`` as chosen when it was issued (the extension); by default an applicant with an
    e-mail address gets it by e-mail (received that day). Without one, the letter waits for the
    desk to print it and record the hand-over (``official_letter_handover``)."""
    now = at or utcnow()
    today = local_date(now)
    number = letter_number(str(kind), LETTER_SERIES[kind], today)
    if sent_via is None and item.applicant.email:
        sent_via = LetterSentVia.EMAIL.value
    received_on = received_on_when_sent(sent_via, today) if sent_via else None
    letter = OfficialLetter(
        request_id=item.id, kind=kind.value, number=number, issued_at=now, issued_on=today,
        issued_by_id=actor.id if actor else None, content=content,
        signature=utama_signature(fallback_name=actor.name if actor and actor.roles - {Role.PEMOHON} else ""),
        sent_via=sent_via, received_on=received_on, recorded_at=now if sent_via else None)
    db.session.add(letter)
    db.session.flush()
    return letter


def official_letter_of(item: InformationRequest, letter_id: int) -> OfficialLetter | None:
    letter = db.session.get(OfficialLetter, letter_id)
    return letter if letter is not None and letter.request_id == item.id else None


def official_letters_of(item: InformationRequest, kind: str | None = None) -> list[OfficialLetter]:
    """The request's extension and withdrawal letters, oldest first."""
    query = db.select(OfficialLetter).where(OfficialLetter.request_id == item.id)
    if kind:
        query = query.where(OfficialLetter.kind == kind)
    return list(db.session.scalars(query.order_by(OfficialLetter.id)))


def letter_handover_open(letter: OfficialLetter) -> bool:
    """The desk still has to record how this letter reached the applicant: it was not e-mailed and
    its day of receipt is not known (never given, or sent by post or courier and not yet back)."""
    return letter.sent_via != LetterSentVia.EMAIL and letter.received_on is None


def official_letter_handover(*, actor: User, item: InformationRequest, letter: OfficialLetter, method: str | None,
                             received_on: date | None, proof: Attachment | None,
                             at: datetime | None = None) -> None:
    """Record how and when the applicant received a printed letter (in person, by post or courier
    with the proof). Refused (``ValidationFailed`` by field) for a date before the letter or in the
    future, or post/courier without proof. The extension letter's day is the request's
    ``extension_received_on`` (and its ``extension_sent_via``)."""
    if not letter_handover_open(letter):
        raise DomainError(_("Penyerahan surat %(number)s sudah dicatat.", number=letter.number))
    now = at or utcnow()
    problems = handover_problems(item=item, method=method, received_on=received_on, proof=proof,
                                 issued_on=letter.issued_on, today=local_date(now))
    if problems:
        raise ValidationFailed(problems)
    if method in NEEDS_PROOF:
        attachment_claim(proof, request_id=item.id)
    else:
        proof = None
    letter.sent_via, letter.received_on, letter.proof_id = method, received_on, proof.id if proof else None
    letter.recorded_at, letter.recorded_by_id = now, actor.id
    changes = {}
    if letter.kind == OfficialLetterKind.EXTENSION:
        changes = {"extension_sent_via": method, "extension_received_on": received_on}
    request_event(actor=actor, item=item, kind="letter_handed_over", at=now, changes=changes,
                  data={"letter": letter.number, "kind": letter.kind, "method": method,
                        "received_on": received_on.isoformat(), "proof": proof.id if proof else None})
