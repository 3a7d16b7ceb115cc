"""Reads of the Daftar Informasi Publik: the public catalogue (browse, filter, full-text search
with highlights), an item's page, the desk's lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Float, Integer, func, select, text
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..attachments.models import Attachment
from ..audit.selectors import events_for
from ..extensions import db
from ..organisation.models import Unit
from . import policy
from .models import SUBJECT, InformationItem, ItemCategory, ItemStatus, ItemViewDay
from .search import (
    Hit,
    highlights,
    matching_ids_sql,
    query_value,
    suggestion_query,
    suggestion_terms,
    terms,
)

PAGE_SIZE = 20


@dataclass
class CataloguePage:
    items: list[InformationItem]
    total: int
    page: int
    pages: int
    words: list[str]
    hits: dict[int, Hit] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # published items per category (filters applied but category)


def _matches(dialect: str, words: list[str], *, ranked: bool = True, query: str | None = None):
    """The matching items' ids and ranks as a materialised CTE: the engine finds the matches once
    (FTS5 or the GIN index) and the catalogue's filters, counts and page join that small set.
    (As a plain subquery SQLite's planner may flatten it and run the MATCH once per item.)"""
    sql = matching_ids_sql(dialect, ranked=ranked)
    return (text(sql).bindparams(q=query or query_value(dialect, words)).columns(item_id=Integer, rank=Float)
            .cte("matches").prefix_with("MATERIALIZED"))


def _published(category: str | None, unit_id: int | None):
    conditions = [InformationItem.status == ItemStatus.PUBLISHED]
    if unit_id:
        conditions.append(InformationItem.unit_id == unit_id)
    if category:
        conditions.append(InformationItem.category == category)
    return conditions


def catalogue(*, query: str = "", category: str | None = None, unit_id: int | None = None,
              page: int = 1) -> CataloguePage:
    """One page of published items, best matches first when words were typed (else newest)."""
    words = terms(query)
    category = category if category in {c.value for c in ItemCategory} else None
    statement = select(InformationItem).options(joinedload(InformationItem.unit))
    by_category = select(InformationItem.category, func.count()).group_by(InformationItem.category)
    if words:
        matches = _matches(db.engine.dialect.name, words)
        statement = (statement.join(matches, matches.c.item_id == InformationItem.id)
                     .order_by(matches.c.rank, InformationItem.id.desc()))
        found = _matches(db.engine.dialect.name, words, ranked=False)
        by_category = by_category.join(found, found.c.item_id == InformationItem.id)
    else:
        statement = statement.order_by(InformationItem.published_on.desc(), InformationItem.id.desc())
    statement = statement.where(*_published(category, unit_id))
    by_category = by_category.where(*_published(None, unit_id))
    counts = {row[0]: row[1] for row in db.session.execute(by_category)}
    total = counts.get(category, 0) if category else sum(counts.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    items = list(db.session.scalars(statement.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).unique())
    hits = highlights([item.id for item in items], words) if words else {}
    return CataloguePage(items=items, total=total, page=page, pages=pages, words=words, hits=hits,
                         counts=counts)


def catalogue_units() -> list[Unit]:
    """Units holding at least one published item, for the filter."""
    held = select(InformationItem.unit_id).where(InformationItem.status == ItemStatus.PUBLISHED)
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(held)).order_by(Unit.name)))


def item_get(item_id: int) -> InformationItem | None:
    return db.session.get(InformationItem, item_id)


def public_item(item_id: int) -> InformationItem | None:
    item = db.session.get(InformationItem, item_id)
    return item if item is not None and item.status == ItemStatus.PUBLISHED else None


def item_documents(item_id: int) -> list[Attachment]:
    """The item's documents, oldest first (the services use it too: publishing indexes them)."""
    return list(db.session.scalars(select(Attachment).where(Attachment.item_id == item_id).order_by(Attachment.id)))


def item_document(item_id: int, attachment_id: int) -> Attachment | None:
    attachment = db.session.get(Attachment, attachment_id)
    return attachment if attachment is not None and attachment.item_id == item_id else None


def item_history(item_id: int) -> list:
    return list(reversed(events_for(SUBJECT, item_id)))


def desk_items(user: User, *, status: str | None = None) -> list[InformationItem]:
    """The items a desk user keeps: all for PPID Utama, their unit's for a unit officer."""
    statement = select(InformationItem).options(joinedload(InformationItem.unit))
    if not policy.approves(user):
        statement = statement.where(InformationItem.unit_id == user.unit_id)
    if status:
        statement = statement.where(InformationItem.status == status)
    order = (InformationItem.status != ItemStatus.SUBMITTED, InformationItem.updated_at.desc())
    return list(db.session.scalars(statement.order_by(*order)).unique())


def waiting_count(user: User) -> int:
    """Items waiting for PPID Utama's approval (0 for anyone else)."""
    if not policy.approves(user):
        return 0
    return db.session.scalar(select(func.count()).select_from(InformationItem)
                             .where(InformationItem.status == ItemStatus.SUBMITTED)) or 0


def active_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)))


SUGGESTIONS = 5


def suggestions(description: str) -> list[InformationItem]:
    """Published items that may already answer a request being typed: any of its significant
    words (a request's description is a sentence, not a query), best matches first."""
    words = suggestion_terms(description)
    if not words:
        return []
    dialect = db.engine.dialect.name
    matches = _matches(dialect, words, query=suggestion_query(dialect, words))
    statement = (select(InformationItem).options(joinedload(InformationItem.unit))
                 .join(matches, matches.c.item_id == InformationItem.id)
                 .where(InformationItem.status == ItemStatus.PUBLISHED)
                 .order_by(matches.c.rank, InformationItem.id.desc()).limit(SUGGESTIONS))
    return list(db.session.scalars(statement).unique())


def latest(limit: int = 5) -> list[InformationItem]:
    """The most recently published items (the home page shows them)."""
    return list(db.session.scalars(
        select(InformationItem).options(joinedload(InformationItem.unit))
        .where(InformationItem.status == ItemStatus.PUBLISHED)
        .order_by(InformationItem.published_on.desc(), InformationItem.id.desc()).limit(limit)).unique())


MOST_VIEWED_DAYS = 90  # "most viewed" looks at the last 90 days, so that old favourites make way


def most_viewed(today: date, limit: int = 5, days: int = MOST_VIEWED_DAYS) -> list[InformationItem]:
    """The published items whose pages were viewed most in the ``days`` days up to ``today``
    (ties: the newer item first). Views are counted by ``services.item_view_count``."""
    views = func.sum(ItemViewDay.views)
    top = (select(ItemViewDay.item_id, views.label("views"))
           .where(ItemViewDay.day > today - timedelta(days=days), ItemViewDay.day <= today)
           .group_by(ItemViewDay.item_id).subquery())
    return list(db.session.scalars(
        select(InformationItem).options(joinedload(InformationItem.unit))
        .join(top, top.c.item_id == InformationItem.id)
        .where(InformationItem.status == ItemStatus.PUBLISHED)
        .order_by(top.c.views.desc(), InformationItem.id.desc()).limit(limit)).unique())


def sitemap_items() -> list[tuple[int, object]]:
    """(id, last change) of every published item, for sitemap.xml."""
    return [(row[0], row[1]) for row in db.session.execute(
        select(InformationItem.id, InformationItem.updated_at)
        .where(InformationItem.status == ItemStatus.PUBLISHED).order_by(InformationItem.id))]
