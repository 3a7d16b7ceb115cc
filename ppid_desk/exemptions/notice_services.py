"""An exemption decision recorded from a written notice (issue 15 item 6): a refusal or partial
grant whose consequence test the officer writes on the notice can make that test a new decision
of the register of exempt information (Perki 1/2021: a test made when a request is handled).

The decision takes the notice's test (information, legal basis, harm, public interest, period)
and what a decision needs beyond it (a title in general terms, the weighing, the end of the period
for Pasal 17 a–f, the unit, the place); the deciding official and the date are the notice's (its
signer, its day). Who issues the notice decides what becomes of the decision:

* PPID Utama approves decisions anyway: the decision is approved and numbered with the notice,
  and the letter names its number (given when the letter is issued, as the letter's own);
* a PPID Pelaksana officer (a unit that issues its own notices) proposes it: the decision is
  submitted to PPID Utama, and the letter names no decision (a later approval never changes an
  issued letter; the refusal rests on the test the letter states).

Both are written in one transaction with the notice, through the exemptions' and the notices'
own services: the notice is checked before anything is written, and any failure raises, so the
view's rollback leaves neither. Flush, never commit."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from flask_babel import gettext as _

from ..accounts.models import Role, User
from ..dbtypes import utcnow
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..notices.models import WrittenNotice
from ..notices.services import (
    EXEMPTING_OUTCOMES,
    ConsequenceTestDraft,
    NoticeDraft,
    notice_issue,
    notice_preview,
)
from ..organisation.models import Unit
from ..organisation.profile_selectors import utama_signature
from ..requests.lifecycle import ensure_version
from ..requests.models import InformationRequest
from ..workcalendar.selectors import local_date
from .models import ExemptionDecision
from .services import (
    ExemptionDraft,
    exemption_approve,
    exemption_create,
    exemption_problems,
    exemption_submit,
    is_utama,
)

# What the preview prints where the issued letter prints the decision's number.
PREVIEW_DECISION_NUMBER = "PRATINJAU — nomor diberikan saat surat terbit"
DEFAULT_POSITION = "PPID Utama"  # the deciding official's position while the body profile names none


@dataclass(frozen=True)
class NoticeExemptionDraft:
    """What the notice form asks beyond its consequence test, as typed (None: missing or unreadable,
    the form has already put its message on the field)."""

    unit_id: int | None
    title: str
    description: str = ""  # empty: the test's information
    letter: str = ""  # empty: the test's only Pasal 17 letter
    legal_basis: str = ""  # empty: the test's legal basis
    weighing: str = ""
    ends_on: date | None = None
    place: str = ""


@dataclass(frozen=True)
class NoticeExemptionPlan:
    """The decision the notice will record, checked: shown on the preview, written on issue."""

    draft: ExemptionDraft
    approve: bool  # PPID Utama: approved and numbered with the notice; otherwise submitted to PPID Utama
    unit_name: str

    def fingerprint(self) -> dict:
        """Everything the issue will write, for the preview's digest (what was previewed is issued)."""
        return {"approve": self.approve,
                **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self.draft).items()}}


# The notice form's field for each field of a decision (its message goes there).
def _field_of(new: NoticeExemptionDraft) -> dict[str, str]:
    return {
        "unit_id": "ex_unit", "title": "ex_title",
        "description": "ex_description" if new.description.strip() else "ct_information",
        "pasal17_letter": "ex_letter" if new.letter else "pasal17",
        "legal_basis": "ex_legal_basis" if new.legal_basis.strip() else "ct_legal_basis",
        "harm": "ct_harm", "public_interest": "ct_public_interest", "weighing": "ex_weighing",
        "period": "ct_exemption_period", "ends_on": "ex_ends_on", "decided_place": "ex_place",
        "decided_on": "ex_new", "official_name": "ex_new", "official_position": "ex_new", "official_nip": "ex_new",
    }


def may_record_from_notice(user: User | None) -> bool:
    """PPID Utama, or a unit officer (PPID Pelaksana) for its own unit."""
    return is_utama(user) or (user is not None and user.is_authenticated and user.has_role(Role.PEMBANTU)
                              and user.unit_id is not None)


def notice_exemption_plan(*, actor: User, test: ConsequenceTestDraft, new: NoticeExemptionDraft,
                          decided_on: date) -> NoticeExemptionPlan:
    """The decision the notice's consequence test makes, checked; raises ValidationFailed with the
    messages keyed by the notice form's fields. Writes nothing."""
    if not may_record_from_notice(actor):
        raise ValidationFailed({"ex_new": _("Hanya PPID Utama atau petugas unit yang dapat mencatat penetapan "
                                            "informasi yang dikecualikan.")})
    if test.exemption_id is not None:
        raise ValidationFailed({"ex_new": _("Pilih salah satu: merujuk penetapan yang sudah ada, atau mencatat "
                                            "penetapan baru dari uji konsekuensi ini.")})
    problems: dict[str, str] = {}
    letters = list(dict.fromkeys(test.letters))
    letter = new.letter
    if letter:
        if letters and letter not in letters:
            problems["ex_letter"] = _("Pilih salah satu huruf yang juga dipilih di atas sebagai dasar pengecualian.")
    elif len(letters) == 1:
        letter = letters[0]
    elif len(letters) > 1:
        problems["ex_letter"] = _("Pengecualian ini berdasar beberapa huruf Pasal 17: pilih satu huruf untuk "
                                  "penetapan ini. Huruf lain dapat ditetapkan di Daftar Informasi yang Dikecualikan.")
    signature = utama_signature(fallback_name=actor.name)
    draft = ExemptionDraft(
        unit_id=new.unit_id, title=new.title, description=new.description.strip() or test.information,
        pasal17_letter=letter, legal_basis=new.legal_basis.strip() or test.legal_basis, harm=test.harm,
        public_interest=test.public_interest, weighing=new.weighing, period=test.exemption_period,
        ends_on=new.ends_on, official_name=signature.get("name") or actor.name,
        official_position=signature.get("position") or DEFAULT_POSITION, official_nip=signature.get("nip") or "",
        decided_place=new.place, decided_on=decided_on)
    field_of = _field_of(new)
    for name, message in exemption_problems(draft, actor=actor).items():
        problems.setdefault(field_of.get(name, "ex_new"), message)
    if problems:
        raise ValidationFailed(problems)
    unit = db.session.get(Unit, draft.unit_id)
    return NoticeExemptionPlan(draft=draft, approve=is_utama(actor), unit_name=unit.name if unit else "")


def preview_citation(plan: NoticeExemptionPlan | None, today: date) -> str | None:
    """The letter's words for the decision the notice will record (None: the letter names none)."""
    if plan is None or not plan.approve:
        return None
    from ..notices.selectors import cited_decision_text

    return cited_decision_text(number=PREVIEW_DECISION_NUMBER, decided_on=today, title=" ".join(plan.draft.title.split()))


def notice_issue_recording_exemption(
    *,
    actor: User,
    item: InformationRequest,
    draft: NoticeDraft,
    plan: NoticeExemptionPlan,
    sent_via: str | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
    notify: bool = True,
) -> tuple[WrittenNotice, ExemptionDecision]:
    """Issue the written notice and record its consequence test as a new exemption decision (approved
    and numbered when ``actor`` is PPID Utama, else submitted to PPID Utama), linked to the notice's
    test. Events: ``exemption_created`` (with the request), ``exemption_approved`` or
    ``exemption_submitted``, then the request's ``notice_issued`` (with the decision)."""
    ensure_version(item, expected_version)
    if draft.outcome not in {outcome.value for outcome in EXEMPTING_OUTCOMES}:
        raise DomainError(_("Penetapan informasi yang dikecualikan dicatat dari penolakan atau pemberian "
                            "sebagian."))
    now = at or utcnow()
    today = local_date(now)
    if plan.draft.decided_on != today:
        raise DomainError(_("Tanggal penetapan harus tanggal surat. Lihat pratinjau sekali lagi."))
    # The notice is checked first (nothing written): a notice that cannot be issued records no decision.
    notice_preview(actor=actor, item=item, draft=draft, sent_via=sent_via, today=today)
    decision = exemption_create(actor=actor, draft=plan.draft, request=item, at=now)
    if plan.approve:
        exemption_approve(actor=actor, decision=decision, at=now)
    else:
        exemption_submit(actor=actor, decision=decision, at=now)
    linked = replace(draft, consequence=replace(draft.consequence, exemption_id=decision.id))
    notice = notice_issue(actor=actor, item=item, draft=linked, sent_via=sent_via, expected_version=expected_version,
                          at=now, notify=notify)
    return notice, decision
