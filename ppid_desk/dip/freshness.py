"""Freshness of the Daftar Informasi Publik: berkala information is reviewed and republished at
least every six months (its own ``review_months``), and any other published item at least once a
year. An item past its review date is *stale*: listed for its unit and for PPID Utama, reminded
once per review date by the sweep, and counted per unit in monev."""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from .models import InformationItem, ItemCategory, ItemStatus

OTHER_REVIEW_MONTHS = 12  # setiap saat / serta merta items: looked at again at least once a year


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 Aug + 6 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def review_due(item: InformationItem) -> date | None:
    """The day the item must have been reviewed by (None: not published, or never dated)."""
    if item.status != ItemStatus.PUBLISHED:
        return None
    start = item.reviewed_on or item.published_on
    if start is None:
        return None
    months = (item.review_months or 6) if item.category == ItemCategory.BERKALA else OTHER_REVIEW_MONTHS
    return add_months(start, months)


@dataclass(frozen=True)
class StaleItem:
    item: InformationItem
    due: date

    def days_late(self, today: date) -> int:
        return (today - self.due).days


@dataclass(frozen=True)
class UnitFreshness:
    unit_id: int
    unit_name: str
    published: int
    stale: int

    @property
    def current(self) -> int:
        return self.published - self.stale


@dataclass(frozen=True)
class Overview:
    stale: list[StaleItem]  # past their review date, the longest overdue first
    by_unit: list[UnitFreshness]  # per unit holding published items, the most stale first


def overview(today: date, *, unit_id: int | None = None) -> Overview:
    """One pass over the published items (of one unit, or all): the stale ones and the counts per
    unit, so a page showing both reads the items once."""
    statement = (select(InformationItem).options(joinedload(InformationItem.unit))
                 .where(InformationItem.status == ItemStatus.PUBLISHED))
    if unit_id is not None:
        statement = statement.where(InformationItem.unit_id == unit_id)
    found: list[StaleItem] = []
    counts: dict[int, list] = {}
    for item in db.session.scalars(statement):
        due = review_due(item)
        stale = due is not None and due < today
        row = counts.setdefault(item.unit_id, [item.unit.name, 0, 0])
        row[1] += 1
        row[2] += int(stale)
        if stale:
            found.append(StaleItem(item, due))
    return Overview(
        stale=sorted(found, key=lambda entry: (entry.due, entry.item.id)),
        by_unit=sorted((UnitFreshness(unit, name, published, stale) for unit, (name, published, stale)
                        in counts.items()), key=lambda row: (-row.stale, row.unit_name)))


def stale_items(today: date, *, unit_id: int | None = None) -> list[StaleItem]:
    """Published items past their review date, the longest overdue first."""
    return overview(today, unit_id=unit_id).stale


def freshness_by_unit(today: date) -> list[UnitFreshness]:
    """Per unit holding published items: how many, and how many are past their review date."""
    return overview(today).by_unit


def reminders_due(today: date) -> list[StaleItem]:
    """Stale items not yet reminded for their current review date (the sweep's work)."""
    return [stale for stale in stale_items(today) if stale.item.review_reminded_for != stale.due]


def mark_reminded(stale: list[StaleItem]) -> None:
    """Remember the review date each item was reminded for (flush, never commit); the item's
    version is not bumped by this bookkeeping (a unit editing it meanwhile is not refused)."""
    from sqlalchemy import update

    for entry in stale:
        db.session.execute(update(InformationItem).where(InformationItem.id == entry.item.id)
                           .values(review_reminded_for=entry.due).execution_options(synchronize_session=False))
