"""Writes: the written notice (pemberitahuan tertulis), the extension (perpanjangan), delivery
and closing. Each validates, changes state through the event funnel, queues the applicant's
e-mail and flushes; the view commits."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..attachments.models import Attachment, AttachmentPurpose, Visibility
from ..attachments.services import attachment_claim, attachment_copy
from ..dbtypes import utcnow
from ..errors import DomainError, FieldError, ValidationFailed
from ..extensions import db
from ..notifications.services import outbox_enqueue
from ..organisation.profile_selectors import body_profile, number_pattern, utama_signature
from ..requests.gates import STATUS_GATES, Gate, gate_check

# How a letter was sent and received: one mechanism for every letter (requests.letters); the
# names are re-exported for the notice's and the response's views.
from ..requests.letters import (  # noqa: E402,F401
    default_sent_via,
    letter_receipt_problems,
    official_letter_issue,
    official_letters_of,
    received_on_problem,
    received_on_when_sent,
    sent_via_problem,
)
from ..requests.lifecycle import ensure_version, request_event
from ..requests.models import (
    InformationRequest,
    OfficialLetter,
    OfficialLetterKind,
    Outcome,
    RequestStatus,
)
from ..requests.numbering import format_number, next_sequence
from ..routing.services import request_tasks_cancel_open
from ..web.formatting import long_date
from ..web.urls import public_url
from ..workcalendar.selectors import body_today, clock_rules, local_date
from ..workcalendar.services import deadline_calendar
from . import labels as notice_labels
from .fee_models import NoticeFeeLine
from .fee_selectors import fee_statement_of
from .fee_services import FeeCheck, FeeLineDraft, fee_check, fee_event_data, fee_lines_write
from .models import (
    PASAL_17_LETTERS,
    ConsequenceTest,
    Delivery,
    DeliveryMethod,
    LetterSentVia,
    WrittenNotice,
)
from .selectors import Letter, notice_letter, notice_of, objection_window_of, rupiah

NOTICE_SERIES = "pemberitahuan"
EXTENSION_REASON_MIN = 20

# A notice is issued while the request is being worked on (not while it is incomplete).
NOTICE_STATUSES = STATUS_GATES[Gate.NOTICE]  # kept for importers; the table is requests.gates
NOTICE_OUTCOMES = (Outcome.GRANTED_FULL, Outcome.GRANTED_PARTIAL, Outcome.REFUSED,
                   Outcome.NOT_HELD, Outcome.NOT_DOCUMENTED)
# Outcomes that need Pasal 17 letters and a consequence test (uji konsekuensi).
EXEMPTING_OUTCOMES = frozenset({Outcome.REFUSED, Outcome.GRANTED_PARTIAL})
GRANTING_OUTCOMES = frozenset({Outcome.GRANTED_FULL, Outcome.GRANTED_PARTIAL})
# Outcomes that end the request at the notice: nothing will be delivered.
CLOSING_OUTCOMES = frozenset({Outcome.REFUSED, Outcome.NOT_HELD})
# Outcomes after which information is delivered.
DELIVERABLE_OUTCOMES = frozenset({Outcome.GRANTED_FULL, Outcome.GRANTED_PARTIAL, Outcome.NOT_DOCUMENTED})


@dataclass(frozen=True)
class ConsequenceTestDraft:
    """Uji konsekuensi as typed; checked only when the outcome needs it."""

    letters: tuple[str, ...] = ()
    information: str = ""
    legal_basis: str = ""
    harm: str = ""
    public_interest: str = ""
    exemption_period: str = ""
    exemption_id: int | None = None  # the exemption decision cited (its test filled what was left empty)


@dataclass(frozen=True)
class NoticeDraft:
    """Items a–g of Pasal 22(7) UU KIP, as the PPID Utama composed them."""

    outcome: str
    held: bool | None
    holder_body: str | None = None
    holder_unknown: bool = False
    materials: str | None = None
    redactions: str | None = None
    delivery_form: str | None = None
    fee_amount: int | None = 0  # g. the total; None: the sum of fee_lines (fee_services)
    payment_method: str | None = None
    fee_lines: tuple[FeeLineDraft, ...] = ()  # g. itemised from the tariff, or manual lines
    fee_reason: str | None = None  # g. why the fee is outside the tariff (shown to the applicant)
    provide_by: date | None = None  # the day the information will be provided by (deliverable outcomes)
    remarks: str | None = None
    consequence: ConsequenceTestDraft = ConsequenceTestDraft()


def notice_problems(draft: NoticeDraft, today: date, item: InformationRequest | None = None) -> dict[str, str]:
    """What is missing or contradictory for this outcome, keyed by form field (``item``: the
    request, whose deadline limits the day granted information is promised by)."""
    errors: dict[str, str] = {}
    outcome = draft.outcome
    if outcome not in NOTICE_OUTCOMES:
        return {"outcome": _("Pilih hasil pemberitahuan.")}
    if draft.held is None:
        errors["held"] = _("Pilih apakah informasi dikuasai badan publik.")
    elif outcome == Outcome.NOT_HELD and draft.held:
        errors["held"] = _("Hasil \u201ctidak dikuasai\u201d berarti informasi tidak dikuasai: pilih \u201cTidak\u201d.")
    elif outcome in GRANTING_OUTCOMES | {Outcome.REFUSED} and not draft.held:
        errors["held"] = _("Informasi yang diberikan atau ditolak harus dikuasai badan publik: pilih "
                           "\u201cYa\u201d, atau pilih hasil \u201cTidak dikuasai\u201d.")
    if outcome == Outcome.NOT_HELD and not draft.holder_body and not draft.holder_unknown:
        errors["holder_body"] = _("Tulis badan publik yang menguasai informasi, atau centang "
                                  "\u201cTidak diketahui\u201d.")
    if outcome in GRANTING_OUTCOMES:
        if not draft.materials:
            errors["materials"] = _("Tulis informasi apa yang akan diberikan.")
        if not draft.delivery_form:
            errors["delivery_form"] = _("Tulis cara dan format penyampaian informasi.")
    if outcome == Outcome.GRANTED_PARTIAL and not draft.redactions:
        errors["redactions"] = _("Tulis bagian yang dihitamkan dan alasannya.")
    # The fee (item g) is checked against the request and the tariff: fee_services.fee_check.
    if outcome in DELIVERABLE_OUTCOMES:
        provide_by = draft.provide_by
        if provide_by is None and outcome in GRANTING_OUTCOMES and item is not None:
            provide_by = provide_by_default(item, today)  # the form always sends one (NoticeForm)
        if problem := provide_by_problem(provide_by, outcome, item=item, today=today):
            errors["provide_by"] = problem
    if outcome in EXEMPTING_OUTCOMES:
        errors.update(_consequence_errors(draft.consequence))
    return errors


# A promised day further ahead than this is a typing mistake (not yet documented information: the
# law sets no limit on how long documenting takes, but a notice promising years ahead is no notice).
PROVIDE_BY_MAX_DAYS = 366


def provide_by_latest(item: InformationRequest | None, outcome: str, today: date) -> date:
    """The latest day the notice may promise the information by.

    Granted information (in full or in part) by the notice deadline the law measures (``legal_due``:
    10 WD, or 17 WD when validly extended; Pasal 22(7)-(8)): a delivery after it is "later than the
    law allows", ground g of Pasal 35(1). A notice issued after that deadline is itself late, and the
    only lawful promise left is the notice day. Not yet documented information: the law sets no
    period for documenting it, so only ``PROVIDE_BY_MAX_DAYS`` guards against typing mistakes."""
    if outcome in GRANTING_OUTCOMES and item is not None:
        return max(item.legal_due or item.current_due, today)
    return today + timedelta(days=PROVIDE_BY_MAX_DAYS)


def provide_by_default(item: InformationRequest, today: date) -> date:
    """The day the notice form offers: the latest lawful day for granted information."""
    return provide_by_latest(item, Outcome.GRANTED_FULL, today)


def provide_by_problem(provide_by: date | None, outcome: str, *, item: InformationRequest | None,
                       today: date) -> str | None:
    """What is wrong with the promised day for this outcome (None: nothing)."""
    if provide_by is None:
        return _("Tulis tanggal paling lambat informasi diberikan kepada pemohon.")
    if provide_by < today:
        return _("Tanggal informasi diberikan tidak boleh sebelum hari pemberitahuan ini (%(date)s).",
                 date=long_date(today))
    latest = provide_by_latest(item, outcome, today)
    if provide_by > latest:
        if outcome in GRANTING_OUTCOMES:
            return _("Informasi yang diberikan harus disampaikan paling lambat %(date)s, batas jangka waktu "
                     "Pasal 22 UU 14/2008; penyampaian sesudahnya adalah alasan keberatan huruf g.",
                     date=long_date(latest))
        return _("Tanggal itu lebih dari satu tahun lagi. Periksa kembali tanggalnya.")
    return None


def notice_fee_check(item: InformationRequest, draft: NoticeDraft, today: date) -> FeeCheck:
    """Item g of the draft priced by the tariff in effect and checked against the request."""
    return fee_check(item=item, outcome=draft.outcome, lines=draft.fee_lines, total=draft.fee_amount,
                     reason=draft.fee_reason, payment_method=draft.payment_method, today=today)


def _consequence_errors(test: ConsequenceTestDraft) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not test.letters:
        errors["pasal17"] = _("Pilih satu atau lebih huruf Pasal 17 yang menjadi dasar pengecualian.")
    elif any(letter not in PASAL_17_LETTERS for letter in test.letters):
        errors["pasal17"] = _("Pilih huruf Pasal 17 dari daftar (a sampai j).")
    required = {
        "ct_information": (test.information, _("Uji konsekuensi: tulis dokumen dan informasi yang dikecualikan.")),
        "ct_legal_basis": (test.legal_basis, _("Uji konsekuensi: tulis dasar hukum pengecualiannya.")),
        "ct_harm": (test.harm, _("Uji konsekuensi: tulis akibat (kerugian) yang timbul jika informasi dibuka.")),
        "ct_public_interest": (test.public_interest, _("Uji konsekuensi: tulis pertimbangan kepentingan publik "
                                                       "yang lebih besar.")),
        "ct_exemption_period": (test.exemption_period, _("Uji konsekuensi: tulis jangka waktu pengecualian.")),
    }
    for field, (value, message) in required.items():
        if not (value or "").strip():
            errors[field] = message
    return errors


def _ordered_letters(letters: tuple[str, ...]) -> list[str]:
    chosen = set(letters)
    return [letter for letter in PASAL_17_LETTERS if letter in chosen]


def _tracking_url(item: InformationRequest) -> str:
    return public_url("requests.track_token", token=item.tracking_token)


def _survey_url(item: InformationRequest) -> str:
    """The satisfaction survey's link for the e-mail that ends the service (``survey.views``)."""
    return public_url("requests.survey_link", token=item.tracking_token)


def _tell_applicant(item: InformationRequest, actor: User, *, subject: str, template: str, **context) -> None:
    """Queue an e-mail to the applicant (recorded on the timeline); none without an address."""
    if item.applicant.email:
        outbox_enqueue(recipient=item.applicant.email, subject=subject, template=template, request=item,
                       actor=actor, tracking_url=_tracking_url(item),
                       body_name=body_profile().name, **context)


# --- how a letter was sent, and the day it was received ------------------------------------------

# Which letter of a request a receipt is recorded for: its columns and the day it was issued.
REQUEST_LETTERS = {
    "notice": ("notice_sent_via", "notice_received_on"),
    "extension": ("extension_sent_via", "extension_received_on"),
}


def letter_issued_on(item: InformationRequest, letter: str) -> date | None:
    """The day the notice or the extension letter was issued (None: not issued)."""
    if letter == "notice":
        return local_date(item.notice_at) if item.notice_at else None
    return item.extended_on if item.extended_due is not None else None


def letter_awaiting_receipt(item: InformationRequest, letter: str) -> bool:
    """The letter was sent by post or courier and the day it was received is not recorded yet."""
    via_column, received_column = REQUEST_LETTERS[letter]
    return (letter_issued_on(item, letter) is not None
            and getattr(item, via_column) in (LetterSentVia.POST, LetterSentVia.COURIER)
            and getattr(item, received_column) is None)


def letter_receipt_record(
    *,
    actor: User,
    item: InformationRequest,
    letter: str,
    received_on: date | None,
    proof: Attachment | None,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> None:
    """Record the day the applicant received the notice or the extension letter sent by post or
    courier, with its proof (the postal or courier receipt, a signed tanda terima). The objection
    windows that count from the notice's receipt start from this day. Flush only."""
    ensure_version(item, expected_version)
    if letter not in REQUEST_LETTERS or not letter_awaiting_receipt(item, letter):
        raise DomainError(_("Tanggal diterima hanya dicatat untuk surat yang dikirim lewat pos atau kurir "
                            "dan belum dicatat tanggal diterimanya."))
    now = at or utcnow()
    problems = letter_receipt_problems(received_on=received_on, proof=proof, request_id=item.id,
                                       issued_on=letter_issued_on(item, letter), today=local_date(now))
    if problems:
        raise ValidationFailed(problems)
    attachment_claim(proof, request_id=item.id)
    _via, received_column = REQUEST_LETTERS[letter]
    request_event(actor=actor, item=item, kind="letter_received", at=now,
                  changes={received_column: received_on},
                  data={"letter": letter, "received_on": received_on.isoformat(), "proof": proof.id})
    if letter == "extension":  # the numbered extension letter says the same (requests.letters)
        for extension in official_letters_of(item, OfficialLetterKind.EXTENSION):
            if extension.received_on is None:
                extension.received_on, extension.proof_id = received_on, proof.id
                extension.recorded_at, extension.recorded_by_id = now, actor.id
        db.session.flush()


def _notice_row(*, item: InformationRequest, draft: NoticeDraft, sent_via: str, today: date,
                actor: User) -> tuple[WrittenNotice, FeeCheck, list[str], date | None]:
    """The notice the draft makes, not yet numbered nor added to the session (the issue and its
    preview build the same row), with the priced fee, the Pasal 17 letters and the promised day.
    Raises ValidationFailed with every problem of the draft."""
    fee = notice_fee_check(item, draft, today)
    errors = fee.errors | notice_problems(draft, today, item)
    if problem := sent_via_problem(item, sent_via):
        errors["sent_via"] = problem
    if errors:
        raise ValidationFailed(errors)
    outcome = Outcome(draft.outcome)
    exempting = outcome in EXEMPTING_OUTCOMES
    promised = None
    if outcome in DELIVERABLE_OUTCOMES:
        promised = draft.provide_by or provide_by_default(item, today)  # not documented: checked above
    letters = _ordered_letters(draft.consequence.letters) if exempting else []
    granting = outcome in GRANTING_OUTCOMES
    notice = WrittenNotice(
        request_id=item.id, outcome=outcome.value, held=bool(draft.held),
        holder_body=draft.holder_body if outcome == Outcome.NOT_HELD and not draft.holder_unknown else None,
        materials=draft.materials if granting else None,
        redactions=draft.redactions if outcome == Outcome.GRANTED_PARTIAL else None,
        delivery_form=(draft.delivery_form or None) if outcome in DELIVERABLE_OUTCOMES else None,
        fee_amount=fee.total,
        payment_method=draft.payment_method if fee.total > 0 else None,
        fee_reason=(draft.fee_reason or "").strip() or None if fee.out_of_tariff else None,
        documented_by=promised if outcome == Outcome.NOT_DOCUMENTED else None,
        signature=utama_signature(fallback_name=actor.name),
        remarks=draft.remarks or None, issued_by_id=actor.id,
    )
    if exempting:
        test = draft.consequence
        notice.consequence_test = ConsequenceTest(
            pasal17_letters=letters, information=test.information.strip(),
            legal_basis=test.legal_basis.strip(), harm=test.harm.strip(),
            public_interest=test.public_interest.strip(), exemption_period=test.exemption_period.strip(),
            exemption_id=test.exemption_id,
        )
    return notice, fee, letters, promised


PREVIEW_NUMBER = "PRATINJAU — belum bernomor"


def notice_preview(*, actor: User, item: InformationRequest, draft: NoticeDraft, sent_via: str | None = None,
                   today: date | None = None, cited: str | None = None) -> Letter:
    """The letter the draft would issue today, word for word, without a number: nothing is
    numbered, added to the session or sent. Raises ValidationFailed as ``notice_issue`` does.
    ``cited``: the words naming an exemption decision the issue will record (its number is given
    when the letter is issued, as the letter's own; ``exemptions.notice_services``)."""
    if item.notice_at is not None or notice_of(item) is not None:
        raise DomainError(_("Pemberitahuan tertulis untuk permohonan ini sudah terbit."))
    gate_check(Gate.NOTICE, item, _("Pemberitahuan tertulis hanya dapat diterbitkan untuk permohonan yang "
                                    "sedang diproses."))
    today = today or body_today()
    sent_via = sent_via or default_sent_via(item)
    notice, fee, _letters, promised = _notice_row(item=item, draft=draft, sent_via=sent_via, today=today,
                                                  actor=actor)
    lines = [NoticeFeeLine(position=position, tariff_line_id=line.tariff_line_id, kind=line.kind,
                           description=line.description, unit=line.unit, quantity=line.quantity,
                           unit_price=line.unit_price, subtotal=line.subtotal, decree=line.decree)
             for position, line in enumerate(fee.lines, start=1)]
    # Sent by e-mail or handed over, the letter is received the day it is issued: the window for
    # an objection (ground a) is known; by post or courier the letter says "from receipt".
    received = received_on_when_sent(sent_via, today)
    objection_due = objection_window_of(item, "a", on=received).due if received else None
    extra = {"cited": cited} if cited is not None else {}
    return notice_letter(item, notice, number=PREVIEW_NUMBER, issued_on=today, promised=promised,
                         fee=fee_statement_of(notice, lines), objection_due=objection_due, **extra)


def _digest_value(value):
    """A row (a fee line) by what it says, not by its identity; anything else as text."""
    table = getattr(value, "__table__", None)
    if table is not None:
        return {c.name: getattr(value, c.name) for c in table.columns if c.name not in ("id", "notice_id")}
    return str(value)


def letter_digest(letter: Letter, sent_via: str | None, also: dict | None = None) -> str:
    """A keyed fingerprint of everything a letter says (and how it is sent), its number aside:
    the issue goes ahead only with the digest of the preview the officer saw. ``also``: what else
    the issue writes and the preview showed (an exemption decision it records)."""
    content = {k: v for k, v in asdict(letter).items() if k != "number"}
    fingerprint = [content, sent_via or ""] + ([also] if also is not None else [])
    text = json.dumps(fingerprint, default=_digest_value, sort_keys=True, ensure_ascii=False)
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def notice_issue(
    *,
    actor: User,
    item: InformationRequest,
    draft: NoticeDraft,
    sent_via: str | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
    notify: bool = True,
) -> WrittenNotice:
    """Issue the written notice (pemberitahuan tertulis, Pasal 22(7)): number it, stop the
    clock, and tell the applicant. A refusal or partial grant needs the Pasal 17 letters and a
    consequence test; a refusal or "not held" closes the request at once.

    ``sent_via`` (default: e-mail when the applicant has an address, else hand-over): how the
    letter reaches the applicant; e-mail and hand-over are received the day issued, post and
    courier on the day the desk records later (``letter_receipt_record``)."""
    ensure_version(item, expected_version)
    if item.notice_at is not None or notice_of(item) is not None:
        raise DomainError(_("Pemberitahuan tertulis untuk permohonan ini sudah terbit."))
    gate_check(Gate.NOTICE, item, _("Pemberitahuan tertulis hanya dapat diterbitkan untuk permohonan yang "
                                    "sedang diproses."))
    now = at or utcnow()
    today = local_date(now)
    sent_via = sent_via or default_sent_via(item)
    notice, fee, letters, promised = _notice_row(item=item, draft=draft, sent_via=sent_via, today=today, actor=actor)
    seq = next_sequence(NOTICE_SERIES, today.year)
    pattern = number_pattern("notice")
    number = format_number(pattern, seq=seq, on=today)
    outcome = Outcome(draft.outcome)
    changes = {
        "status": (RequestStatus.CLOSED if outcome in CLOSING_OUTCOMES else RequestStatus.NOTICE_ISSUED).value,
        "notice_at": now, "outcome": outcome.value,
        "pasal17_basis": ",".join(letters) or None, "fee_amount": fee.total,
        "notice_sent_via": sent_via, "notice_received_on": received_on_when_sent(sent_via, today),
        "provide_by": promised,
    }
    if outcome in CLOSING_OUTCOMES:
        changes["closed_at"] = now
    # The request row is updated (and its version checked) before the notice row is written,
    # so of two officers issuing at once the loser gets a stale-version error, not a duplicate.
    request_event(actor=actor, item=item, kind="notice_issued", at=now, changes=changes,
                  data={"number": number, "held": bool(draft.held), "pasal17": letters,
                        **fee_event_data(fee, draft.fee_reason),
                        **({"exemption": notice.consequence_test.exemption_id}
                           if notice.consequence_test is not None and notice.consequence_test.exemption_id
                           else {})})
    # Units no longer need to work on a request whose notice is out.
    request_tasks_cancel_open(actor=actor, item=item, at=now,
                              reason=_("Pemberitahuan tertulis %(number)s sudah diterbitkan.", number=number))
    notice.number, notice.issued_at = number, now
    db.session.add(notice)
    db.session.flush()
    fee_lines_write(notice, fee)
    db.session.flush()
    if notify:
        _tell_applicant(
            item, actor, subject=_l("Pemberitahuan tertulis atas permohonan %(number)s", number=item.number),
            template="email/notice_issued.txt", notice=notice, letter=notice_letter(item, notice),
            pdf_url=public_url("requests.notice_pdf", request_id=item.id),
            # A refusal or "not held" is the final answer: the service ends with this notice.
            survey_url=_survey_url(item) if item.outcome in (Outcome.REFUSED, Outcome.NOT_HELD) else None,
        )
    return notice


@dataclass(frozen=True)
class ExtensionPlan:
    """What an extension would write, checked: the officer confirms it before it is written."""

    reason: str
    working_days: int
    sent_via: str
    granted_on: date
    extended_due: date
    explanation: object  # workcalendar's explanation of the count (the days skipped and why)


def extension_plan(*, item: InformationRequest, reason: str, working_days: int | None = None,
                   sent_via: str | None = None, expected_version: int | None = None,
                   at: datetime | None = None) -> ExtensionPlan:
    """Check an extension and count its new deadline, writing nothing (the confirmation step
    shows it; ``request_extend`` writes it). Raises DomainError / ValidationFailed."""
    ensure_version(item, expected_version)
    rules = clock_rules()
    if item.extended_due is not None:
        raise DomainError(_("Permohonan ini sudah pernah diperpanjang sampai %(date)s. Perpanjangan "
                            "hanya boleh satu kali.", date=long_date(item.extended_due)))
    not_working = _("Perpanjangan hanya untuk permohonan yang sedang diproses dan belum "
                    "mendapat pemberitahuan tertulis.")
    gate_check(Gate.EXTEND, item, not_working)
    if item.notice_at is not None:
        raise DomainError(not_working)
    if (local_date(at) if at else body_today()) > item.notice_due:
        raise DomainError(_("Batas %(n)d hari kerja (%(date)s) sudah lewat. Perpanjangan hanya boleh "
                            "sebelum batas itu berakhir; terbitkan pemberitahuan tertulis segera.",
                            n=rules.notice_wd, date=long_date(item.notice_due)))
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if len(reason) < EXTENSION_REASON_MIN:
        errors["reason"] = _("Tulis alasan perpanjangan yang jelas bagi pemohon (paling sedikit "
                             "%(n)d karakter).", n=EXTENSION_REASON_MIN)
    days = rules.extension_wd if working_days is None else working_days
    if not 1 <= days <= rules.extension_wd:
        errors["working_days"] = _("Perpanjangan 1 sampai %(n)d hari kerja.", n=rules.extension_wd)
    sent_via = sent_via or default_sent_via(item)
    if problem := sent_via_problem(item, sent_via):
        errors["sent_via"] = problem
    if errors:
        raise ValidationFailed(errors)
    calendar = deadline_calendar()
    extended_due = calendar.add_working_days(item.notice_due, days)
    return ExtensionPlan(reason=reason, working_days=days, sent_via=sent_via,
                         granted_on=local_date(at) if at else body_today(), extended_due=extended_due,
                         explanation=calendar.explain(item.notice_due, days, stored=extended_due))


def request_extend(
    *,
    actor: User,
    item: InformationRequest,
    reason: str,
    working_days: int | None = None,
    sent_via: str | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
    notify: bool = True,
) -> OfficialLetter:
    """Extend the written-notice deadline (perpanjangan, Pasal 22(8)): once, before the
    original deadline has passed, by at most the configured working days, with written reasons
    that the applicant receives (``sent_via`` as for the notice) in a numbered letter, returned."""
    ensure_version(item, expected_version)
    rules = clock_rules()
    plan = extension_plan(item=item, reason=reason, working_days=working_days, sent_via=sent_via, at=at)
    reason, days, sent_via = plan.reason, plan.working_days, plan.sent_via
    extended_due, granted_on, explanation = plan.extended_due, plan.granted_on, plan.explanation
    # The letter keeps the count as issued, with the days it skipped and why (the letter's items).
    letter = official_letter_issue(
        actor=actor, item=item, kind=OfficialLetterKind.EXTENSION, sent_via=sent_via, at=at,
        content={"reason": reason, "working_days": days, "notice_wd": rules.notice_wd,
                 "notice_due": item.notice_due.isoformat(), "extended_due": extended_due.isoformat(),
                 "granted_on": granted_on.isoformat(),
                 "skipped": [[d.day.isoformat(), "; ".join(r.name or r.kind for r in d.reasons)]
                             for d in explanation.days if not d.count]})
    request_event(actor=actor, item=item, kind="extended", at=at,
                  changes={"extended_due": extended_due, "extension_reason": reason,
                           "extension_sent_via": sent_via,
                           "extension_received_on": received_on_when_sent(sent_via, granted_on)},
                  data={"working_days": days, "letter": letter.number})
    if notify:
        no_notice_by = item.legal_due + timedelta(days=1)  # ground c arises if no notice comes by then
        _tell_applicant(
            item, actor, subject=_l("Perpanjangan jangka waktu permohonan %(number)s", number=item.number),
            template="email/request_extended.txt",
            explanation=explanation,
            no_response_window=objection_window_of(item, "c", on=no_notice_by), letter_number=letter.number,
            pdf_url=public_url("requests.official_letter_pdf", request_id=item.id, letter_id=letter.id),
        )
    return letter


@dataclass(frozen=True)
class DeliveryDraft:
    method: str
    link_url: str | None = None
    note: str | None = None
    fee_paid: int = 0
    payment_method: str | None = None
    payment_reference: str | None = None
    published_item_id: int | None = None  # method "published": the catalogue item answering it


def delivery_problems(draft: DeliveryDraft, files: list[Attachment], fee: int,
                      picked: list[Attachment] | None = None) -> dict[str, str]:
    """What is wrong with a delivery (``files``: new uploads; ``picked``: documents of the
    request chosen to be delivered too), keyed by form field."""
    errors: dict[str, str] = {}
    if draft.method not in {m.value for m in DeliveryMethod}:
        errors["method"] = _("Pilih cara penyampaian informasi.")
    if draft.method == DeliveryMethod.FILE and not files and not picked:
        errors["files"] = _("Centang dokumen yang sudah ada atau unggah satu atau lebih berkas informasi.")
    if draft.link_url:
        parts = urlsplit(draft.link_url)
        if parts.scheme != "https" or not parts.netloc:
            errors["link_url"] = _("Tautan harus alamat lengkap yang diawali https://")
    elif draft.method == DeliveryMethod.LINK:
        errors["link_url"] = _("Tulis tautan (https://…) tempat pemohon mengambil informasi.")
    if draft.method == DeliveryMethod.PUBLISHED and draft.published_item_id is None:
        errors["published_item"] = _("Tulis nomor informasi yang sudah diumumkan (angka di akhir alamat "
                                     "halamannya, /informasi/…), atau pilih cara penyampaian lain.")
    if draft.method in (DeliveryMethod.POST, DeliveryMethod.COURIER) and not draft.note:
        errors["note"] = _("Tulis nomor resi pengiriman dan tanggal kirim.")
    if draft.fee_paid != fee:
        errors["fee_paid"] = (_("Biaya yang dibayar harus sama dengan biaya di pemberitahuan "
                                "(%(fee)s).", fee=rupiah(fee)) if fee
                              else _("Pemberitahuan tidak menetapkan biaya; isi 0."))
    if fee > 0:
        if not draft.payment_method:
            errors["payment_method"] = _("Tulis cara pembayaran (tunai atau transfer).")
        if not draft.payment_reference:
            errors["payment_reference"] = _("Tulis nomor kuitansi atau bukti transfer.")
    return errors


def delivery_record(
    *,
    actor: User,
    item: InformationRequest,
    draft: DeliveryDraft,
    files: list[Attachment] | None = None,
    picked: list[Attachment] | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
    notify: bool = True,
) -> Delivery:
    """Record how the information reached the applicant (files, link or hand-over), with the
    fee paid. Files become visible to the applicant only, served through a logged download.

    ``picked``: documents units attached to their answers on this request, delivered without
    being uploaded again: each is copied as an information file (the unit's copy stays as it
    was), and the event records which document each delivered file came from."""
    ensure_version(item, expected_version)
    files = list(files or [])
    picked = list(dict.fromkeys(picked or []))
    notice = notice_of(item)
    not_deliverable = _("Penyampaian informasi dicatat setelah pemberitahuan tertulis yang "
                        "memberikan informasi, dan hanya sekali.")
    gate_check(Gate.DELIVER, item, not_deliverable)
    if notice is None or notice.outcome not in DELIVERABLE_OUTCOMES:
        raise DomainError(not_deliverable)
    if any(f.purpose != AttachmentPurpose.INFORMATION or f.request_id not in (None, item.id)
           for f in files):
        raise FieldError("files", _("Berkas ini tidak dapat dipakai. Unggah ulang berkasnya."))
    if any(d.purpose != AttachmentPurpose.UNIT_ANSWER or d.request_id != item.id for d in picked):
        raise FieldError("documents", _("Pilih dokumen dari daftar dokumen permohonan ini."))
    errors = delivery_problems(draft, files, notice.fee_amount, picked)
    if errors:
        raise ValidationFailed(errors)
    link_url = draft.link_url or None
    published_item_id = None
    if draft.method == DeliveryMethod.PUBLISHED:
        from ..dip.selectors import public_item

        published = public_item(draft.published_item_id)
        if published is None:
            raise FieldError("published_item", _("Tidak ada informasi terbit dengan nomor itu di Daftar Informasi "
                                                 "Publik. Periksa nomornya di halaman informasi."))
        published_item_id, link_url = published.id, public_url("dip.item_page", item_id=published.id)
    now = at or utcnow()
    copies = [attachment_copy(document, purpose=AttachmentPurpose.INFORMATION, request_id=item.id,
                              visibility=Visibility.APPLICANT) for document in picked]
    files = copies + files
    request_event(actor=actor, item=item, kind="delivered", at=now,
                  changes={"status": RequestStatus.DELIVERED.value, "delivered_at": now},
                  data={"method": draft.method, "files": [f.id for f in files],
                        "picked": [[copy.id, document.id, document.original_name]
                                   for copy, document in zip(copies, picked, strict=True)],
                        "link_url": link_url, "published_item": published_item_id, "fee_paid": draft.fee_paid})
    delivery = Delivery(
        request_id=item.id, method=draft.method, link_url=link_url, published_item_id=published_item_id,
        note=draft.note or None, fee_paid=draft.fee_paid,
        payment_method=draft.payment_method or None, payment_reference=draft.payment_reference or None,
        delivered_at=now, delivered_by_id=actor.id,
    )
    db.session.add(delivery)
    for attachment in files:
        attachment_claim(attachment, request_id=item.id)
        attachment.visibility = Visibility.APPLICANT
    db.session.flush()
    if notify:
        _tell_applicant(
            item, actor, subject=_l("Informasi yang Anda minta (%(number)s) telah disampaikan", number=item.number),
            template="email/request_delivered.txt", delivery=delivery, files=files,
            notice_labels=notice_labels, rupiah=rupiah,
            objection_due=objection_window_of(item, "d", on=local_date(now)).due, survey_url=_survey_url(item),
        )
    return delivery


def request_close(*, actor: User, item: InformationRequest, expected_version: int | None = None,
                  at: datetime | None = None, notify: bool = True) -> None:
    """Close a request whose information was delivered (tutup permohonan)."""
    ensure_version(item, expected_version)
    gate_check(Gate.CLOSE, item, _("Permohonan ditutup setelah informasi disampaikan."))
    now = at or utcnow()
    request_event(actor=actor, item=item, kind="closed", at=now,
                  changes={"status": RequestStatus.CLOSED.value, "closed_at": now})
    if notify:
        _tell_applicant(
            item, actor, subject=_l("Permohonan %(number)s selesai", number=item.number),
            template="email/notice_closed.txt",
            objection_due=objection_window_of(item, "d", on=local_date(now)).due, survey_url=_survey_url(item),
        )
