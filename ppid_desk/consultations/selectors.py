"""Reads on consultations: the desk's list and its filters, one consultation and its history, the
consultation a request came from, and the counts monev uses (``consultation_count`` per unit and
period: the dashboard, the annual report and the monev rounds). Withdrawn consultations (logged by
mistake) are listed when asked for and never counted. No count ever carries a contact detail."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..audit.models import Event
from ..audit.selectors import events_for
from ..extensions import db
from ..organisation.models import Unit
from .models import Consultation
from .services import SUBJECT, logs_for_every_unit

LIST_LIMIT = 200


def _bounds(period: Any) -> tuple[date, date]:
    """A period as (first day, last day), both local dates and inclusive: anything with ``start``
    and ``end`` (monev's ``Period``) or a pair of dates."""
    if hasattr(period, "start") and hasattr(period, "end"):
        return period.start, period.end
    start, end = period
    return start, end


def _counted(query, period: Any, unit_ids: Collection[int] | None):
    start, end = _bounds(period)
    query = query.where(Consultation.withdrawn_at.is_(None), Consultation.occurred_on >= start,
                        Consultation.occurred_on <= end)
    if unit_ids is not None:
        query = query.where(Consultation.unit_id.in_(list(unit_ids)))
    return query


def consultation_count(unit_ids: Collection[int] | None = None, *, period: Any) -> int:
    """Consultations served in ``period`` (local dates, inclusive) by the units ``unit_ids`` (all
    units when None; pass a unit's subtree to include the units under it), withdrawn ones not counted."""
    if unit_ids is not None and not unit_ids:
        return 0
    return db.session.scalar(_counted(select(func.count(Consultation.id)), period, unit_ids)) or 0


def consultation_counts_by_unit(unit_ids: Collection[int] | None = None, *, period: Any) -> dict[int, int]:
    """{unit id: consultations in ``period``} for the units that served any."""
    rows = db.session.execute(_counted(select(Consultation.unit_id, func.count(Consultation.id)), period, unit_ids)
                              .group_by(Consultation.unit_id)).all()
    return {unit_id: count for unit_id, count in rows}


@dataclass(frozen=True)
class ConsultationTally:
    total: int
    converted: int  # became a formal request
    by_channel: dict[str, int]
    by_resolution: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "converted": self.converted, "by_channel": dict(self.by_channel),
                "by_resolution": dict(self.by_resolution)}


def consultation_tally(unit_ids: Collection[int] | None = None, *, period: Any) -> ConsultationTally:
    """The period's consultations by channel and by resolution, and how many became requests."""
    if unit_ids is not None and not unit_ids:
        return ConsultationTally(0, 0, {}, {})
    rows = db.session.execute(_counted(
        select(Consultation.channel, Consultation.resolution, Consultation.request_id.is_not(None),
               func.count(Consultation.id)), period, unit_ids)
        .group_by(Consultation.channel, Consultation.resolution, Consultation.request_id.is_not(None))).all()
    by_channel: dict[str, int] = {}
    by_resolution: dict[str, int] = {}
    total = converted = 0
    for channel, resolution, is_converted, count in rows:
        total += count
        converted += count if is_converted else 0
        by_channel[channel] = by_channel.get(channel, 0) + count
        by_resolution[resolution] = by_resolution.get(resolution, 0) + count
    return ConsultationTally(total, converted, by_channel, by_resolution)


# --- the desk's pages --------------------------------------------------------------------------

@dataclass(frozen=True)
class ListFilter:
    start: date
    end: date
    unit_id: int | None = None
    channel: str | None = None
    resolution: str | None = None
    withdrawn: bool = False  # list the withdrawn ones instead of the counted ones


@dataclass(frozen=True)
class ListResult:
    rows: list[Consultation]
    total: int  # all that match, of which ``rows`` shows the newest LIST_LIMIT


def desk_consultations(user: User, chosen: ListFilter) -> ListResult:
    """The desk's list: every unit's for PPID Utama and the desk officers, the officer's own unit's
    for PPID Pembantu; newest first."""
    where = [Consultation.occurred_on >= chosen.start, Consultation.occurred_on <= chosen.end,
             Consultation.withdrawn_at.is_not(None) if chosen.withdrawn else Consultation.withdrawn_at.is_(None)]
    if not logs_for_every_unit(user):
        if user.unit_id is None:
            return ListResult([], 0)
        where.append(Consultation.unit_id == user.unit_id)
    if chosen.unit_id is not None:
        where.append(Consultation.unit_id == chosen.unit_id)
    if chosen.channel:
        where.append(Consultation.channel == chosen.channel)
    if chosen.resolution:
        where.append(Consultation.resolution == chosen.resolution)
    total = db.session.scalar(select(func.count(Consultation.id)).where(*where)) or 0
    rows = list(db.session.scalars(
        select(Consultation).options(selectinload(Consultation.unit), selectinload(Consultation.request),
                                     selectinload(Consultation.officer))
        .where(*where).order_by(Consultation.occurred_at.desc(), Consultation.id.desc()).limit(LIST_LIMIT)))
    return ListResult(rows, total)


def consultation_get(consultation_id: int) -> Consultation | None:
    """One consultation by id; the caller checks who may see it."""
    return db.session.get(Consultation, consultation_id)


def consultation_history(consultation: Consultation) -> list[Event]:
    return list(reversed(events_for(SUBJECT, consultation.id)))


def consultation_of_request(request_id: int) -> Consultation | None:
    """The consultation a request was registered from, if any."""
    return db.session.scalar(select(Consultation).where(Consultation.request_id == request_id))


def units_for(user: User) -> list[Unit]:
    """The active units ``user`` may log for: every one, or the officer's own."""
    query = select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)
    if not logs_for_every_unit(user):
        query = query.where(Unit.id == user.unit_id)
    return list(db.session.scalars(query))


def filter_units(user: User) -> list[Unit]:
    """The units the list may be filtered by (inactive ones too: they have a history)."""
    query = select(Unit).order_by(Unit.name)
    if not logs_for_every_unit(user):
        query = query.where(Unit.id == user.unit_id)
    return list(db.session.scalars(query))
