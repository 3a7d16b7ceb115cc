"""The statutory registers' rows (register permohonan, register keberatan; KIP §4) for a period
and unit: a page of 50 or the whole register, for the pages and the CSV/XLSX downloads.

Rows load without per-row queries: the page (joined with the applicant), then one IN query per
related table (notices, deliveries, routing tasks with units, extension events, officers,
disputes).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from ..accounts.models import User
from ..audit.models import Event, SubjectKey
from ..audit.personal import SEALED, is_sealed
from ..extensions import db
from ..notices.models import Delivery, WrittenNotice
from ..objections.models import Dispute, Objection
from ..organisation.models import Unit
from ..organisation.unit_forms import SUBUNIT_PARAM
from ..organisation.unit_selectors import unit_scope_ids
from ..requests.models import InformationRequest, RequestStatus
from ..requests.withdrawal import withdrawal_from
from ..routing.models import RoutingTask, TaskStatus
from .predicates import held_by_unit
from .register_columns import ObjectionRow, RequestRow

PER_PAGE = 50


@dataclass(frozen=True)
class RegisterFilters:
    start: date
    end: date
    unit: Unit | None = None
    subunits: bool = True  # the unit and every unit under it (monev counts alike)

    def args(self) -> dict[str, str]:
        args = {"dari": self.start.isoformat(), "sampai": self.end.isoformat()}
        if self.unit is not None:
            args["unit"] = self.unit.code
            if not self.subunits:
                args[SUBUNIT_PARAM] = "0"
        return args

    def filename(self, register: str, extension: str) -> str:
        unit = f"-{self.unit.code.lower()}" if self.unit is not None else ""
        return f"register-{register}-{self.start.isoformat()}_{self.end.isoformat()}{unit}.{extension}"


def _handled_by(filters: RegisterFilters):
    """The request has a routing task (not cancelled) for the unit (or a unit under it)."""
    return held_by_unit(unit_scope_ids(filters.unit.id, subunits=filters.subunits))


# --- selectors --------------------------------------------------------------------------------

@dataclass
class RegisterPage:
    rows: list
    total: int
    page: int
    pages: int


def _request_conditions(filters: RegisterFilters) -> list:
    conditions = [InformationRequest.receipt_date >= filters.start, InformationRequest.receipt_date <= filters.end]
    if filters.unit is not None:
        conditions.append(_handled_by(filters))
    return conditions


def _user_names(ids: set[int | None]) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def _request_rows(items: Sequence[InformationRequest]) -> list[RequestRow]:
    if not items:
        return []
    ids = [item.id for item in items]
    notices = {n.request_id: n for n in db.session.scalars(
        select(WrittenNotice).where(WrittenNotice.request_id.in_(ids)))}
    deliveries: dict[int, Delivery] = {}
    for delivery in db.session.scalars(
            select(Delivery).where(Delivery.request_id.in_(ids)).order_by(Delivery.delivered_at, Delivery.id)):
        deliveries[delivery.request_id] = delivery  # the latest wins
    units: dict[int, list[str]] = defaultdict(list)
    for request_id, name in db.session.execute(
            select(RoutingTask.request_id, Unit.name).join(Unit, Unit.id == RoutingTask.unit_id)
            .where(RoutingTask.request_id.in_(ids), RoutingTask.status != TaskStatus.CANCELLED)
            .order_by(RoutingTask.request_id, RoutingTask.routed_at, RoutingTask.id)):
        if name not in units[request_id]:
            units[request_id].append(name)
    extended = dict(db.session.execute(
        select(Event.subject_id, func.max(Event.at))
        .where(Event.subject_type == "request", Event.kind == "extended", Event.subject_id.in_(ids))
        .group_by(Event.subject_id)).all())
    names = _user_names({n.issued_by_id for n in notices.values()} | {i.registered_by_id for i in items})
    withdrawals = _withdrawals([item for item in items if item.status == RequestStatus.WITHDRAWN])
    rows = []
    for item in items:
        notice = notices.get(item.id)
        officer_id = notice.issued_by_id if notice is not None else item.registered_by_id
        rows.append(RequestRow(item=item, notice=notice, delivery=deliveries.get(item.id),
                               units=units.get(item.id, []), extended_at=extended.get(item.id),
                               officer=names.get(officer_id), withdrawal=withdrawals.get(item.id)))
    return rows


def _withdrawals(items: Sequence[InformationRequest]) -> dict:
    """How each withdrawn request was withdrawn (its latest ``withdrawn`` event), in two queries:
    the events, and the applicants' keys that open the sealed reasons."""
    if not items:
        return {}
    data = {event.subject_id: event.data for event in db.session.scalars(
        select(Event).where(Event.subject_type == "request", Event.kind == "withdrawn",
                            Event.subject_id.in_([item.id for item in items])).order_by(Event.id))}
    keys = {value["reason"][SEALED] for value in data.values() if is_sealed(value.get("reason"))}
    if keys:  # into the session's identity map: unsealing each reason needs no query of its own
        list(db.session.scalars(select(SubjectKey).where(SubjectKey.id.in_(keys))))
    return {item.id: withdrawal_from(data.get(item.id, {}), item.closed_at) for item in items}


def request_register(filters: RegisterFilters, *, page: int | None = None) -> RegisterPage:
    """The register permohonan, oldest first; one page of ``PER_PAGE`` or (``page=None``) all of it."""
    conditions = _request_conditions(filters)
    query = (select(InformationRequest).join(InformationRequest.applicant)
             .options(contains_eager(InformationRequest.applicant)).where(*conditions)
             .order_by(InformationRequest.receipt_date, InformationRequest.year, InformationRequest.seq))
    if page is None:
        items = list(db.session.scalars(query))
        return RegisterPage(_request_rows(items), len(items), 1, 1)
    total = db.session.scalar(select(func.count()).select_from(InformationRequest).where(*conditions)) or 0
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(page, 1), pages)
    items = list(db.session.scalars(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE))) if total else []
    return RegisterPage(_request_rows(items), total, page, pages)


def _objection_rows(objections: Sequence[Objection]) -> list[ObjectionRow]:
    if not objections:
        return []
    names = _user_names({o.responded_by_id for o in objections})
    disputes = {objection_id: (level, number, filed) for objection_id, level, number, filed in db.session.execute(
        select(Dispute.objection_id, Dispute.level, Dispute.ki_number, Dispute.filed_date)
        .where(Dispute.objection_id.in_([o.id for o in objections])))}
    return [ObjectionRow(objection=o, atasan=names.get(o.responded_by_id), dispute=disputes.get(o.id))
            for o in objections]


def objection_register(filters: RegisterFilters, *, page: int | None = None) -> RegisterPage:
    """The register keberatan by filing date; the unit filter follows the objection's request."""
    conditions = [Objection.filed_date >= filters.start, Objection.filed_date <= filters.end]
    if filters.unit is not None:
        conditions.append(_handled_by(filters))
    joined = (select(Objection).join(Objection.request).join(InformationRequest.applicant)
              .options(contains_eager(Objection.request).contains_eager(InformationRequest.applicant))
              .where(*conditions).order_by(Objection.filed_date, Objection.year, Objection.seq))
    if page is None:
        objections = list(db.session.scalars(joined))
        return RegisterPage(_objection_rows(objections), len(objections), 1, 1)
    total = db.session.scalar(
        select(func.count()).select_from(Objection)
        .join(InformationRequest, InformationRequest.id == Objection.request_id).where(*conditions)) or 0
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(page, 1), pages)
    objections = list(db.session.scalars(joined.limit(PER_PAGE).offset((page - 1) * PER_PAGE))) if total else []
    return RegisterPage(_objection_rows(objections), total, page, pages)
