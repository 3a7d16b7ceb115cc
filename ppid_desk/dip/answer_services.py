"""Answers published from requests (UU KIP Pasal 11(1), Perki 1/2021): information released to
one applicant is public information, so the desk may put the released documents in the Daftar
Informasi Publik as "setiap saat" information, with a short summary of what was asked and never
who asked it, and the next person finds it instead of asking again (what Alaveteli and NYC
OpenRecords do with answered requests).

The item goes through PPID Utama's approval like any other (PPID Utama proposing it approves it at
once). Published at once or, when the desk chooses, ``PUBLISHED_ANSWER_DELAY_DAYS`` calendar days
after the delivery: the applicant, who may be a journalist or researcher, uses it first. An item
approved before its day waits as "scheduled" and the sweep publishes it on the day. Flush, never
commit; the view commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

from ..accounts.models import User
from ..attachments.models import Attachment, AttachmentPurpose, Visibility
from ..attachments.services import attachment_copy
from ..audit.services import event_log
from ..errors import FieldError, ValidationFailed
from ..extensions import db
from ..organisation.models import Unit
from ..requests.lifecycle import request_access_logged
from ..requests.models import InformationRequest, Outcome, RequestStatus
from . import policy
from .answer_selectors import answer_item_of, answered_from_catalogue, publishable_files
from .identity import identity_problems
from .models import InformationItem, ItemCategory, ItemFormat, ItemStatus
from .services import (
    REQUEST_SUMMARY_MAX,
    SUBJECT,
    SUMMARY_MAX,
    TITLE_MAX,
    NotAllowed,
    WrongState,
    item_approve,
)

PUBLISHABLE_OUTCOMES = frozenset({Outcome.GRANTED_FULL, Outcome.GRANTED_PARTIAL})
DELIVERED_STATUSES = frozenset({RequestStatus.DELIVERED, RequestStatus.CLOSED})
TIMING_NOW, TIMING_DELAY = "now", "delay"
RETENTION_DEFAULT = "Sesuai Jadwal Retensi Arsip"


@dataclass(frozen=True)
class AnswerDraft:
    title: str
    summary: str  # what the information is (ringkasan isi informasi)
    request_summary: str  # what was asked, without the applicant
    unit_id: int | None
    document_ids: tuple[int, ...]
    timing: str  # TIMING_NOW or TIMING_DELAY


def answer_refusal(request: InformationRequest) -> str | None:
    """Why this request's answer cannot be published (None: it can)."""
    if request.status not in DELIVERED_STATUSES:
        return _("Jawaban diumumkan setelah informasinya disampaikan kepada pemohon.")
    if request.outcome not in PUBLISHABLE_OUTCOMES:
        return _("Hanya informasi yang diberikan (seluruhnya atau sebagian) yang dapat diumumkan.")
    if answered_from_catalogue(request.id):
        return _("Permohonan ini dijawab dengan informasi yang sudah terbit; tidak ada yang perlu diumumkan lagi.")
    if answer_item_of(request.id) is not None:
        return _("Jawaban permohonan ini sudah diusulkan atau diumumkan di Daftar Informasi Publik.")
    return None


def answer_problems(draft: AnswerDraft, request: InformationRequest, offered: list[Attachment]) -> dict[str, str]:
    problems: dict[str, str] = {}
    title = " ".join(draft.title.split())
    if not title:
        problems["title"] = _("Tulis judul informasi, misalnya Data Penerima Bantuan Sosial Kecamatan X 2026.")
    elif len(title) > TITLE_MAX:
        problems["title"] = _("Paling banyak %(max)d karakter.", max=TITLE_MAX)
    if not draft.summary.strip():
        problems["summary"] = _("Tulis ringkasan isi informasi yang diumumkan.")
    elif len(draft.summary.strip()) > SUMMARY_MAX:
        problems["summary"] = _("Paling banyak %(max)d karakter.", max=SUMMARY_MAX)
    if not draft.request_summary.strip():
        problems["request_summary"] = _("Tulis singkat apa yang diminta, tanpa identitas pemohon.")
    elif len(draft.request_summary.strip()) > REQUEST_SUMMARY_MAX:
        problems["request_summary"] = _("Paling banyak %(max)d karakter.", max=REQUEST_SUMMARY_MAX)
    if draft.unit_id is None or db.session.get(Unit, draft.unit_id) is None:
        problems["unit_id"] = _("Pilih unit yang menguasai informasi ini.")
    offered_ids = {a.id for a in offered}
    if not draft.document_ids:
        problems["documents"] = _("Centang paling sedikit satu berkas yang sudah disampaikan kepada pemohon.")
    elif not set(draft.document_ids) <= offered_ids:
        problems["documents"] = _("Pilih berkas dari daftar berkas yang disampaikan pada permohonan ini.")
    if draft.timing not in (TIMING_NOW, TIMING_DELAY):
        problems["timing"] = _("Pilih kapan informasi ini tampil di daftar publik.")
    for field, message in identity_problems({"title": draft.title, "summary": draft.summary,
                                             "request_summary": draft.request_summary}, request).items():
        problems.setdefault(field, message)
    return problems


def publish_after_for(request: InformationRequest, timing: str, delay_days: int) -> date | None:
    if timing != TIMING_DELAY or delay_days <= 0 or request.delivered_on is None:
        return None
    return request.delivered_on + timedelta(days=delay_days)


def answer_publish(*, actor: User, request: InformationRequest, draft: AnswerDraft, today: date,
                   delay_days: int) -> InformationItem:
    """Propose the released documents of ``request`` as a "setiap saat" item (approved at once
    when ``actor`` is PPID Utama). Copies the files (the applicant's copies stay theirs)."""
    if not policy.is_editor(actor):
        raise NotAllowed(_("Hanya PPID Utama dan PPID Pembantu yang mengelola Daftar Informasi Publik."))
    refusal = answer_refusal(request)
    if refusal:
        raise WrongState(refusal)
    fixed = policy.unit_fixed(actor)
    if fixed is not None:
        draft = AnswerDraft(**{**draft.__dict__, "unit_id": fixed})
    offered = publishable_files(request)
    problems = answer_problems(draft, request, offered)
    if problems:
        raise ValidationFailed(problems)
    unit = db.session.get(Unit, draft.unit_id)
    if not unit.active:
        raise FieldError("unit_id", _("Unit ini sudah tidak aktif. Pilih unit lain."))
    year = (request.delivered_on or today).year
    item = InformationItem(
        title=" ".join(draft.title.split()), summary=draft.summary.strip(), category=ItemCategory.SETIAP_SAAT,
        unit_id=unit.id, official=unit.head_position or unit.head_name or unit.name,
        made_when=str(year), made_where=unit.name, format=ItemFormat.SOFTCOPY, retention=RETENTION_DEFAULT,
        status=ItemStatus.SUBMITTED, created_by_id=actor.id, source_request_id=request.id,
        request_summary=draft.request_summary.strip(),
        publish_after=publish_after_for(request, draft.timing, delay_days))
    db.session.add(item)
    db.session.flush()
    chosen = [a for a in offered if a.id in set(draft.document_ids)]
    copies = []
    for source in chosen:
        copy = attachment_copy(source, purpose=AttachmentPurpose.DIP_DOCUMENT, request_id=None,
                               visibility=Visibility.PUBLIC)
        copy.item_id = item.id
        copies.append([copy.id, source.id, source.original_name])
    db.session.flush()
    event_log(actor=actor, subject_type=SUBJECT, subject_id=item.id, kind="dip_item_created_from_request",
              data={"request_id": request.id, "request_number": request.number, "documents": copies,
                    "publish_after": item.publish_after.isoformat() if item.publish_after else None})
    event_log(actor=actor, subject_type=SUBJECT, subject_id=item.id, kind="dip_item_submitted")
    request_access_logged(actor=actor, item=request, kind="answer_proposed_for_catalogue",
                          data={"item_id": item.id, "documents": [c[1] for c in copies]})
    if policy.approves(actor):
        item_approve(actor=actor, item=item, today=today)
    return item
