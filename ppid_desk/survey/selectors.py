"""Reads of the satisfaction survey: whether a request's applicant is offered it, whether it was
answered, and the index (IKM) per unit and period — what monev, the annual report and the public
statistics show, and what the monev rounds take as a system answer."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..organisation.models import Unit
from ..requests.models import InformationRequest
from ..requests.next_step import NextStep, next_step
from .ikm import ELEMENT_KEYS, Index, index_from_sums
from .models import SurveyResponse, SurveyTicket

# The steps after which nothing more is due from the body on the request: the information was
# delivered, or the final written notice says it will not be (refused, not held), or the request
# was closed after its notice. Not offered: withdrawn or closed as not completed (no service was
# given), a notice "not yet documented" or granted but not yet delivered (the service goes on).
SERVICE_ENDED = frozenset({NextStep.DONE_DELIVERED, NextStep.DONE_REFUSED, NextStep.DONE})


def ticket_digest(item: InformationRequest) -> str:
    """The one-way keyed token of a request (HMAC-SHA256 under a key derived from the data key):
    the application can tell whether a request's survey was answered; a reader of the table
    cannot tell which request a row stands for."""
    key = hashlib.sha256(b"ppid-desk survey ticket\x00" + str(current_app.config["DATA_KEY"]).encode()).digest()
    return hmac.new(key, f"{item.id}:{item.number}".encode(), hashlib.sha256).hexdigest()


def survey_answered(item: InformationRequest) -> bool:
    return db.session.get(SurveyTicket, ticket_digest(item)) is not None


def service_ended(item: InformationRequest, today: date) -> bool:
    """The service on ``item`` has ended (delivered, or a final written notice)."""
    step = next_step(item, today).kind
    return step in SERVICE_ENDED and item.notice_at is not None


def survey_offered(item: InformationRequest, today: date) -> bool:
    """The applicant may answer the survey now: the service ended and it was not answered yet."""
    return service_ended(item, today) and not survey_answered(item)


def min_respondents() -> int:
    """Fewer respondents than this: the figures of a unit and period are not shown (a response of
    a small unit in a quiet month could be told apart). Setting ``SURVEY_MIN_RESPONDENTS``."""
    return int(current_app.config["SURVEY_MIN_RESPONDENTS"])


# --- the index ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SatisfactionIndex:
    """The IKM of one scope (all units, or some) and period.

    ``means`` per element (1–4), ``ikm`` (1–4), ``converted`` (25–100), ``band`` (A–D): see
    ``survey.ikm``. ``shown`` is False below the minimum number of respondents: pages then
    show the count only."""

    respondents: int
    means: dict[str, Decimal | None]
    ikm: Decimal | None
    converted: Decimal | None
    band: str | None
    shown: bool

    @classmethod
    def of(cls, index: Index, minimum: int) -> SatisfactionIndex:
        return cls(index.respondents, index.means, index.ikm, index.converted, index.band,
                   index.respondents > 0 and index.respondents >= minimum)


def _bounds(period=None, start: date | None = None, end: date | None = None) -> tuple[date, date]:
    if period is not None:
        start, end = (period if isinstance(period, tuple) else (period.start, period.end))
    if start is None or end is None:
        raise TypeError("satisfaction_index needs a period (with .start and .end) or start and end")
    return start, end


def month_terms(start: date, end: date) -> list:
    """Responses of the months the period touches: a response keeps its month only (anonymity),
    so a period is counted in whole months — exact for months, quarters, semesters and years."""
    first = start.year * 12 + start.month - 1
    last = end.year * 12 + end.month - 1
    serial = SurveyResponse.year * 12 + SurveyResponse.month - 1
    return [serial >= first, serial <= last]


def _sums(terms: list, group_by=None):
    columns = [func.count(), *(func.coalesce(func.sum(getattr(SurveyResponse, key)), 0) for key in ELEMENT_KEYS)]
    stmt = select(*([group_by] if group_by is not None else []), *columns).where(*terms)
    return stmt.group_by(group_by) if group_by is not None else stmt


def satisfaction_index(unit_ids: Collection[int] | None = None, period=None, *, start: date | None = None,
                       end: date | None = None) -> SatisfactionIndex:
    """Respondents, per-element means, IKM and band of the responses about ``unit_ids`` (None:
    every response, also those with no unit) in ``period`` (anything with ``start`` and ``end``,
    e.g. monev's ``Period``, or a (start, end) pair; or ``start``/``end``), counted in whole months."""
    first, last = _bounds(period, start, end)
    terms = month_terms(first, last)
    if unit_ids is not None:
        terms.append(SurveyResponse.unit_id.in_(list(unit_ids)))
    count, *sums = db.session.execute(_sums(terms)).one()
    index = index_from_sums(int(count), dict(zip(ELEMENT_KEYS, (int(s) for s in sums), strict=True)))
    return SatisfactionIndex.of(index, min_respondents())


@dataclass(frozen=True)
class UnitIndex:
    unit_id: int | None
    code: str | None
    name: str | None
    index: SatisfactionIndex


def satisfaction_by_unit(period=None, *, start: date | None = None, end: date | None = None) -> list[UnitIndex]:
    """The index of each unit that has responses in the period (by unit name; responses with no
    unit last), each judged against the minimum on its own."""
    first, last = _bounds(period, start, end)
    rows = db.session.execute(_sums(month_terms(first, last), group_by=SurveyResponse.unit_id)).all()
    units = {unit.id: unit for unit in db.session.scalars(
        select(Unit).where(Unit.id.in_([row[0] for row in rows if row[0] is not None])))}
    minimum = min_respondents()
    result = []
    for unit_id, count, *sums in rows:
        index = index_from_sums(int(count), dict(zip(ELEMENT_KEYS, (int(s) for s in sums), strict=True)))
        unit = units.get(unit_id)
        result.append(UnitIndex(unit_id, unit.code if unit else None, unit.name if unit else None,
                                SatisfactionIndex.of(index, minimum)))
    return sorted(result, key=lambda row: (row.name is None, (row.name or "").casefold()))


def suggestions(period=None, *, start: date | None = None, end: date | None = None,
                unit_ids: Collection[int] | None = None) -> list[str]:
    """The suggestions written in the period, in alphabetical order (never in the order they
    came: that would tell who wrote which), only where the scope has enough respondents."""
    first, last = _bounds(period, start, end)
    terms = month_terms(first, last)
    if unit_ids is not None:
        terms.append(SurveyResponse.unit_id.in_(list(unit_ids)))
    if satisfaction_index(unit_ids, start=first, end=last).shown is False:
        return []
    return sorted(db.session.scalars(select(SurveyResponse.suggestion).where(
        *terms, SurveyResponse.suggestion.is_not(None))), key=str.casefold)


__all__ = ["SERVICE_ENDED", "SatisfactionIndex", "UnitIndex", "min_respondents", "satisfaction_by_unit",
           "satisfaction_index", "service_ended", "suggestions", "survey_answered", "survey_offered",
           "ticket_digest"]
