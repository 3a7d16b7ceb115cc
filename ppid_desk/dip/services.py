"""Writes on the Daftar Informasi Publik: check an item as typed, create and change it, its
documents, the approval round (submit, approve, return), withdrawal and review; every change is an
event on the item (hash-chained, before/after of what changed). Publishing writes the item's
searchable text (``SearchText``); withdrawing removes it. Flush, never commit; the view commits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select
from werkzeug.datastructures import FileStorage

from ..accounts.models import User
from ..attachments.models import Attachment, AttachmentPurpose, Visibility
from ..attachments.services import attachment_delete, attachment_read, attachment_stage
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import DomainError, FieldError, ValidationFailed
from ..extensions import db
from ..organisation.models import Unit
from ..rows import conflict_insert
from . import policy
from .identity import identity_problems
from .models import (
    SUBJECT,
    InformationItem,
    ItemCategory,
    ItemFormat,
    ItemStatus,
    ItemViewDay,
    SearchText,
)
from .search import BODY_MAX_CHARS
from .selectors import item_documents
from .text import document_text

TITLE_MAX, SHORT_MAX, URL_MAX = 300, 200, 500
SUMMARY_MAX = 4000
REVIEW_MONTHS_MAX = 6  # berkala information is published at least every six months (Pasal 9)
AUDITED = ("title", "summary", "category", "unit_id", "official", "made_when", "made_where", "format",
           "retention", "external_url", "review_months", "request_summary")
REQUEST_SUMMARY_MAX = 1000


class NotAllowed(DomainError):
    """The user may not do this to this item."""


class WrongState(DomainError):
    """The item is not in a state that allows this (someone else acted first)."""


@dataclass(frozen=True)
class ItemDraft:
    title: str
    summary: str
    category: str
    unit_id: int | None
    official: str
    made_when: str
    made_where: str
    format: str
    retention: str
    external_url: str
    review_months: int | None
    request_summary: str | None = None  # only for an item published from a request (None: unchanged)


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def item_problems(draft: ItemDraft) -> dict[str, str]:
    """Every problem of a draft, by form field."""
    problems: dict[str, str] = {}
    if not _clean(draft.title):
        problems["title"] = _("Tulis judul informasi, misalnya Laporan Keuangan Tahun 2025.")
    elif len(_clean(draft.title)) > TITLE_MAX:
        problems["title"] = _("Paling banyak %(max)d karakter.", max=TITLE_MAX)
    summary = (draft.summary or "").strip()
    if not summary:
        problems["summary"] = _("Tulis ringkasan isi informasi: apa yang dimuat, untuk periode apa.")
    elif len(summary) > SUMMARY_MAX:
        problems["summary"] = _("Paling banyak %(max)d karakter.", max=SUMMARY_MAX)
    if draft.category not in {c.value for c in ItemCategory}:
        problems["category"] = _("Pilih kategori informasi.")
    if draft.unit_id is None or db.session.get(Unit, draft.unit_id) is None:
        problems["unit_id"] = _("Pilih unit yang menguasai informasi ini.")
    elif not db.session.get(Unit, draft.unit_id).active:
        problems["unit_id"] = _("Unit ini sudah tidak aktif. Pilih unit lain.")
    for name, message in (("official", _("Tulis pejabat yang bertanggung jawab, misalnya Kepala Bidang Anggaran.")),
                          ("made_when", _("Tulis waktu pembuatan, misalnya 2026 atau Semester I 2026.")),
                          ("made_where", _("Tulis tempat pembuatan, misalnya Bidang Anggaran BPKAD.")),
                          ("retention", _("Tulis jangka waktu penyimpanan, misalnya 5 tahun atau Permanen."))):
        value = _clean(getattr(draft, name))
        limit = 100 if name in ("made_when", "retention") else SHORT_MAX
        if not value:
            problems[name] = message
        elif len(value) > limit:
            problems[name] = _("Paling banyak %(max)d karakter.", max=limit)
    if draft.format not in {f.value for f in ItemFormat}:
        problems["format"] = _("Pilih format informasi.")
    url = (draft.external_url or "").strip()
    if url and (len(url) > URL_MAX or not re.fullmatch(r"https?://[^\s<>\"]+\.[^\s<>\"]+", url)):
        problems["external_url"] = _("Tulis tautan lengkap yang diawali https://, atau kosongkan.")
    if draft.category == ItemCategory.BERKALA:
        if draft.review_months is None:
            problems["review_months"] = _("Informasi berkala ditinjau paling lama setiap 6 bulan: isi 1 sampai 6.")
        elif not 1 <= draft.review_months <= REVIEW_MONTHS_MAX:
            problems["review_months"] = _("Isi 1 sampai 6 bulan: informasi berkala diumumkan paling sedikit setiap enam bulan.")
    return problems


def _values(item: InformationItem) -> dict[str, Any]:
    return {name: getattr(item, name) for name in AUDITED}


def _apply(item: InformationItem, draft: ItemDraft) -> None:
    item.title = _clean(draft.title)
    item.summary = draft.summary.strip()
    item.category = draft.category
    item.unit_id = draft.unit_id
    item.official = _clean(draft.official)
    item.made_when = _clean(draft.made_when)
    item.made_where = _clean(draft.made_where)
    item.format = draft.format
    item.retention = _clean(draft.retention)
    item.external_url = (draft.external_url or "").strip() or None
    item.review_months = draft.review_months if draft.category == ItemCategory.BERKALA else None
    if item.source_request_id is not None and draft.request_summary is not None:
        item.request_summary = draft.request_summary.strip()


def _checked(actor: User, draft: ItemDraft) -> ItemDraft:
    fixed = policy.unit_fixed(actor)
    if fixed is not None and draft.unit_id != fixed:
        draft = ItemDraft(**{**draft.__dict__, "unit_id": fixed})
    problems = item_problems(draft)
    if problems:
        raise ValidationFailed(problems)
    return draft


def _log(actor: User | None, item: InformationItem, kind: str, data: dict[str, Any] | None = None) -> None:
    event_log(actor=actor, subject_type=SUBJECT, subject_id=item.id, kind=kind, data=data or {})


def item_create(*, actor: User, draft: ItemDraft) -> InformationItem:
    if not policy.is_editor(actor):
        raise NotAllowed(_("Hanya PPID Utama dan PPID Pembantu yang mengelola Daftar Informasi Publik."))
    draft = _checked(actor, draft)
    item = InformationItem(status=ItemStatus.DRAFT, created_by_id=actor.id)
    _apply(item, draft)
    db.session.add(item)
    db.session.flush()
    _log(actor, item, "dip_item_created", {"after": _values(item)})
    return item


def item_update(*, actor: User, item: InformationItem, draft: ItemDraft) -> bool:
    """Change an item; True if it had to leave the catalogue for a new approval (a unit officer
    changed a published item: the public sees only what PPID Utama approved)."""
    if not policy.may_edit(actor, item):
        raise NotAllowed(_("Anda tidak dapat mengubah informasi ini."))
    if item.status == ItemStatus.WITHDRAWN:
        raise WrongState(_("Informasi ini sudah ditarik dari daftar dan tidak dapat diubah lagi."))
    draft = _checked(actor, draft)
    if item.source_request_id is not None:
        _check_from_request(item, draft)
    before = _values(item)
    _apply(item, draft)
    after = _values(item)
    changed = {name for name in AUDITED if before[name] != after[name]}
    if not changed:
        return False
    item.updated_at = utcnow()
    _log(actor, item, "dip_item_updated", {"before": {n: before[n] for n in changed},
                                           "after": {n: after[n] for n in changed}})
    if item.status in (ItemStatus.PUBLISHED, ItemStatus.SCHEDULED):
        if policy.approves(actor):
            if item.status == ItemStatus.PUBLISHED:
                _index(item)
            return False
        _unpublish(item)
        item.status = ItemStatus.SUBMITTED
        _log(actor, item, "dip_item_submitted", {"reason": "changed_after_approval"})
        return True
    return False


def _check_from_request(item: InformationItem, draft: ItemDraft) -> None:
    """An item published from a request: its summary of the request stays, and nothing names the
    applicant."""
    from ..requests.models import InformationRequest

    problems: dict[str, str] = {}
    if draft.request_summary is not None:
        text = draft.request_summary.strip()
        if not text:
            problems["request_summary"] = _("Tulis singkat apa yang diminta, tanpa identitas pemohon.")
        elif len(text) > REQUEST_SUMMARY_MAX:
            problems["request_summary"] = _("Paling banyak %(max)d karakter.", max=REQUEST_SUMMARY_MAX)
    request = db.session.get(InformationRequest, item.source_request_id)
    if request is not None:
        texts = {"title": draft.title, "summary": draft.summary, "request_summary": draft.request_summary or ""}
        for field, message in identity_problems(texts, request).items():
            problems.setdefault(field, message)
    if problems:
        raise ValidationFailed(problems)


def item_submit(*, actor: User, item: InformationItem) -> None:
    if not policy.may_edit(actor, item):
        raise NotAllowed(_("Anda tidak dapat mengajukan informasi ini."))
    if item.status not in (ItemStatus.DRAFT, ItemStatus.RETURNED):
        raise WrongState(_("Informasi ini sudah diajukan atau sudah terbit."))
    item.status = ItemStatus.SUBMITTED
    item.return_reason = None
    _log(actor, item, "dip_item_submitted")


def item_approve(*, actor: User, item: InformationItem, today: date) -> None:
    if not policy.approves(actor):
        raise NotAllowed(_("Hanya PPID Utama yang menyetujui informasi untuk diterbitkan."))
    if item.status not in (ItemStatus.SUBMITTED, ItemStatus.DRAFT, ItemStatus.RETURNED, ItemStatus.WITHDRAWN):
        raise WrongState(_("Informasi ini sudah terbit."))
    if not item.external_url and not item_documents(item.id):
        raise FieldError("documents", _("Lampirkan paling sedikit satu dokumen atau tautan sebelum diterbitkan."))
    before = item.status
    item.return_reason = None
    if item.publish_after is not None and item.publish_after > today and item.published_on is None:
        # An answer the desk chose to publish after a delay: approved now, public on its day (sweep).
        item.status = ItemStatus.SCHEDULED
        _log(actor, item, "dip_item_scheduled", {"before": before, "scheduled_for": item.publish_after.isoformat()})
        return
    _go_public(item, today)
    _log(actor, item, "dip_item_approved", {"before": before, "published_on": item.published_on.isoformat()})


def _go_public(item: InformationItem, today: date) -> None:
    item.status = ItemStatus.PUBLISHED
    item.published_on = item.published_on or today
    item.reviewed_on = today
    _index(item)


def scheduled_publish(*, today: date) -> list[InformationItem]:
    """Publish the approved items whose day came (the sweep's duty); an event on each."""
    due = list(db.session.scalars(select(InformationItem).where(
        InformationItem.status == ItemStatus.SCHEDULED, InformationItem.publish_after <= today)
        .order_by(InformationItem.id)))
    for item in due:
        _go_public(item, today)
        _log(None, item, "dip_item_published_as_scheduled", {"published_on": today.isoformat()})
    return due


def item_return(*, actor: User, item: InformationItem, reason: str) -> None:
    if not policy.approves(actor):
        raise NotAllowed(_("Hanya PPID Utama yang mengembalikan informasi."))
    if item.status != ItemStatus.SUBMITTED:
        raise WrongState(_("Hanya informasi yang menunggu persetujuan yang dapat dikembalikan."))
    reason = (reason or "").strip()
    if not reason:
        raise FieldError("reason", _("Tulis apa yang perlu diperbaiki."))
    item.status = ItemStatus.RETURNED
    item.return_reason = reason[:2000]
    _log(actor, item, "dip_item_returned", {"reason": item.return_reason})


def item_withdraw(*, actor: User, item: InformationItem, reason: str) -> None:
    if not policy.approves(actor):
        raise NotAllowed(_("Hanya PPID Utama yang menarik informasi dari daftar."))
    if item.status not in (ItemStatus.PUBLISHED, ItemStatus.SCHEDULED):
        raise WrongState(_("Hanya informasi yang terbit atau terjadwal terbit yang dapat ditarik."))
    reason = (reason or "").strip()
    if not reason:
        raise FieldError("reason", _("Tulis alasan penarikan."))
    item.status = ItemStatus.WITHDRAWN
    _unpublish(item)
    _log(actor, item, "dip_item_withdrawn", {"reason": reason[:2000]})


def item_review(*, actor: User, item: InformationItem, today: date) -> None:
    """The unit looked at a published item and it is still current: the review date moves."""
    if not policy.may_edit(actor, item):
        raise NotAllowed(_("Anda tidak dapat meninjau informasi ini."))
    if item.status != ItemStatus.PUBLISHED:
        raise WrongState(_("Hanya informasi yang terbit yang ditinjau."))
    before = item.reviewed_on
    item.reviewed_on = today
    _log(actor, item, "dip_item_reviewed", {"before": before.isoformat() if before else None,
                                            "after": today.isoformat()})


def document_add(*, actor: User, item: InformationItem, storage: FileStorage) -> Attachment:
    if not policy.may_edit(actor, item):
        raise NotAllowed(_("Anda tidak dapat mengubah informasi ini."))
    if item.status == ItemStatus.WITHDRAWN:
        raise WrongState(_("Informasi ini sudah ditarik dari daftar; dokumennya tidak dapat diubah lagi."))
    attachment = attachment_stage(field="document", purpose=AttachmentPurpose.DIP_DOCUMENT, storage=storage)
    attachment.item_id = item.id
    attachment.staged_token = None
    attachment.visibility = Visibility.PUBLIC
    db.session.flush()
    _log(actor, item, "dip_document_added", {"attachment_id": attachment.id, "name": attachment.original_name,
                                             "sha256": attachment.sha256})
    if item.status == ItemStatus.PUBLISHED:
        _index(item)
    return attachment


def document_remove(*, actor: User, item: InformationItem, attachment: Attachment) -> None:
    if not policy.may_edit(actor, item) or attachment.item_id != item.id:
        raise NotAllowed(_("Anda tidak dapat mengubah informasi ini."))
    if item.status == ItemStatus.WITHDRAWN:
        raise WrongState(_("Informasi ini sudah ditarik dari daftar; dokumennya tidak dapat diubah lagi."))
    if item.status == ItemStatus.PUBLISHED and not item.external_url and len(item_documents(item.id)) == 1:
        raise FieldError("documents", _("Informasi yang terbit perlu paling sedikit satu dokumen atau tautan. "
                                        "Unggah penggantinya dulu."))
    _log(actor, item, "dip_document_removed", {"attachment_id": attachment.id, "name": attachment.original_name,
                                               "sha256": attachment.sha256})
    attachment_delete(attachment)
    if item.status == ItemStatus.PUBLISHED:
        _index(item)


def _index(item: InformationItem) -> None:
    """Write the item's searchable text: title, summary and its documents' text."""
    parts = [document_text(attachment_read(a), a.content_type) for a in item_documents(item.id)]
    body = " ".join(part for part in parts if part)[:BODY_MAX_CHARS]
    row = db.session.get(SearchText, item.id)
    if row is None:
        db.session.add(SearchText(item_id=item.id, title=item.title, summary=item.summary, body=body))
    else:
        row.title, row.summary, row.body = item.title, item.summary, body
    db.session.flush()


def _unpublish(item: InformationItem) -> None:
    db.session.execute(delete(SearchText).where(SearchText.item_id == item.id))



def item_view_count(*, item: InformationItem, day: date) -> None:
    """One more view of a published item's page on ``day`` (body-local), flush only. One
    statement whatever the traffic: an insert that adds to the day's row when it exists (SQLite
    and PostgreSQL both have ``INSERT … ON CONFLICT DO UPDATE``), so two visitors counted at the
    same moment never lose a view. Once per visitor and day is the view's business (the session)."""
    if item.status != ItemStatus.PUBLISHED:
        raise WrongState(_("Hanya informasi yang terbit yang dihitung dilihat."))
    statement = conflict_insert()(ItemViewDay).values(item_id=item.id, day=day, views=1)
    db.session.execute(statement.on_conflict_do_update(index_elements=["item_id", "day"],
                                                       set_={"views": ItemViewDay.views + 1}))
