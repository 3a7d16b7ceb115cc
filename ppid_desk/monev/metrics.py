"""The monev metric set of DESIGN §6, computed in SQL over the cached columns, events and
routing/objection rows: a fixed number of aggregate queries, whatever the cohort size.

Definitions (shares are fractions 0–1, None when the denominator is 0; durations in working days):

* Cohort: requests whose ``receipt_date`` is in [start, end], excluding ``submitted`` (never
  registered) and ``withdrawn``; with a unit, only requests holding a non-cancelled routing task
  to that unit. ``outcomes`` alone also counts the withdrawn requests of the period.
* Notice date: the local date (body time zone, a fixed UTC offset: WIB/WITA/WIT have no DST) of
  ``notice_at``. A request is "counted" for an on-time share when it has a notice or its due date
  has passed by ``today``; an open request not yet due is not counted. On time = notice date ≤ due.
* ``on_time_10``: due = ``notice_due`` (10 WD). ``on_time_legal``: due = ``extended_due`` when the
  extension was valid, else ``notice_due``. An extension is valid unless its "extended" event's
  local date is after ``notice_due`` (no event, e.g. an imported register row: assumed valid).
* ``breach``: counted − on time (legal), i.e. late notices plus open requests past the legal due;
  its share is exactly 1 − on_time_legal.
* ``overdue_open``: requests of the cohort open now (OPEN_STATUSES) with ``due_date`` < today
  (the current due as officers see it, a late extension included).
* Durations: ``ordinal(local day of event) − ordinal(receipt_date)`` via ``workday_ordinal``;
  median (mean of the two middle values), mean (2 decimals) and p90 (nearest rank ⌈0.9·n⌉) are
  computed in SQL with window functions (SQLite ≥ 3.25 and PostgreSQL).
* ``refusal_quality``: refusals whose ``pasal17_basis`` is filled AND whose notice carries a
  consequence test, ÷ refusals. ``refusal_basis``: refusals per Pasal 17 letter.
* Objections: those filed on cohort requests. ``objection_on_time``: responded (or settled) on or
  before ``response_due``, ÷ (responded + open past due), withdrawn excluded. ``objection_upheld``:
  decisions in the applicant's favour (overturned fully or partly) ÷ decisions (settlements count
  as decisions not in favour). ``disputes``: disputes ÷ objections, with counts per outcome text.
* ``routing``: WD from registration (receipt_date) to the first routing, and from each task's
  routing to its answer; per unit: tasks, answered, answered by the internal due.
* ``fees``: notices with ``fee_amount`` > 0 ÷ notices; median of the positive fees.
* ``index`` (internal, NOT the official SAQ score): 100 × (0.8 × on_time_legal + 0.2 ×
  refusal_quality), refusal_quality taken as 1 with no refusals; None when nothing is counted.
"""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import (
    Date,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from ..audit.models import Event
from ..dbtypes import utcnow
from ..errors import DomainError
from ..extensions import db
from ..notices.models import ConsequenceTest, WrittenNotice
from ..objections.models import Dispute, Objection, ObjectionDecision, ObjectionStatus
from ..organisation.models import Unit
from ..requests.models import OPEN_STATUSES, InformationRequest, Outcome, RequestStatus
from ..routing.models import RoutingTask, TaskStatus
from .models import WorkdayOrdinal
from .ordinals import ordinals_ensure

# (lower bound, label): the first band whose bound the index reaches.
INDEX_BANDS = ((90.0, "Informatif"), (80.0, "Menuju Informatif"), (60.0, "Cukup Informatif"),
               (40.0, "Kurang Informatif"), (0.0, "Tidak Informatif"))
INDEX_WEIGHTS = {"on_time_legal": 0.8, "refusal_quality": 0.2}

R = InformationRequest
RT = RoutingTask


def _share(num, den) -> float | None:
    return None if not den else num / den


def local_day(column):
    """The body-local calendar date of a UTC timestamp column, in SQL."""
    zone = current_app.config["BODY_TIMEZONE"]
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone(zone, column), Date)
    minutes = int(utcnow().astimezone(ZoneInfo(zone)).utcoffset().total_seconds() // 60)  # no DST in Indonesia
    return func.date(column, f"{minutes:+d} minutes")


def _ordinal(day_expr):
    wo = aliased(WorkdayOrdinal)
    return select(wo.ordinal).where(wo.day == day_expr).scalar_subquery()


def band(score: float | None) -> str | None:
    if score is None:
        return None
    return next(label for bound, label in INDEX_BANDS if score >= bound)


def _index(on_time_legal: float | None, refusal_quality: float | None) -> dict:
    if on_time_legal is None:
        return {"score": None, "band": None}
    quality = 1.0 if refusal_quality is None else refusal_quality
    score = round(100 * (INDEX_WEIGHTS["on_time_legal"] * on_time_legal
                         + INDEX_WEIGHTS["refusal_quality"] * quality), 1)
    return {"score": score, "band": band(score)}


def _stats(row) -> dict:
    if row is None:
        return {"count": 0, "median": None, "mean": None, "p90": None}
    _, count, mean, median, p90 = row
    return {"count": count, "mean": round(float(mean), 2),
            "median": float(median) if median is not None else None,
            "p90": int(p90) if p90 is not None else None}


def _histogram_stats(kind: str, histogram: list[tuple[int, int]]) -> tuple:
    """(kind, count, mean, median, p90) of a series given as sorted (value, frequency) pairs.

    Exactly the definitions of the module docstring: median = mean of the values at ranks
    (n+1)//2 and (n+2)//2, p90 = the value at rank ⌈0.9·n⌉ = (9n+9)//10 (1-based ranks).
    """
    n = sum(freq for _, freq in histogram)
    wanted = {(n + 1) // 2, (n + 2) // 2, (9 * n + 9) // 10}
    at_rank, seen = {}, 0
    for value, freq in histogram:
        for rank in [r for r in wanted if seen < r <= seen + freq]:
            at_rank[rank] = value
        seen += freq
    mean = sum(value * freq for value, freq in histogram) / n
    median = (at_rank[(n + 1) // 2] + at_rank[(n + 2) // 2]) / 2
    return kind, n, mean, median, at_rank[(9 * n + 9) // 10]


def _in_period(start: date, end: date, unit_id: int | None, excluded: list[str], item=R) -> list:
    """WHERE terms selecting the requests of the period (``item`` may be an alias of R)."""
    terms = [item.receipt_date >= start, item.receipt_date <= end, item.status.notin_(excluded)]
    if unit_id is not None:
        terms.append(item.id.in_(_unit_requests(unit_id)))
    return terms


COHORT_EXCLUDED = [RequestStatus.SUBMITTED.value, RequestStatus.WITHDRAWN.value]


def _flags() -> dict:
    """Per-request flag expressions over R (correlated subqueries only on the rows that need them)."""
    # The "extended" event is looked up only for extended requests, and the consequence test only
    # for refusals: CASE evaluates lazily (SQLite and PostgreSQL), an AND need not.
    extended_on = local_day(
        select(func.min(Event.at)).where(Event.subject_type == "request", Event.subject_id == R.id,
                                         Event.kind == "extended").scalar_subquery())
    valid_ext = case((R.extended_due.is_(None), 0),
                     (func.coalesce(extended_on, R.notice_due) <= R.notice_due, 1), else_=0)
    has_test = (select(ConsequenceTest.id).join(WrittenNotice, WrittenNotice.id == ConsequenceTest.notice_id)
                .where(WrittenNotice.request_id == R.id).exists())
    refusal_ok = case((R.outcome != Outcome.REFUSED.value, 0), (func.coalesce(R.pasal17_basis, "") == "", 0),
                      (has_test, 1), else_=0)
    return {"valid_ext": valid_ext, "refusal_ok": refusal_ok}


def _cohort(start: date, end: date, unit_id: int | None):
    """The cohort with the per-request flags every aggregate uses (one subquery, no loop)."""
    flags = _flags()
    valid_ext = flags["valid_ext"]
    stmt = select(
        R.id.label("id"), R.channel.label("channel"), R.receipt_date.label("receipt_date"),
        R.notice_due.label("notice_due"), R.due_date.label("due_date"), R.status.label("status"),
        R.outcome.label("outcome"), R.fee_amount.label("fee_amount"), R.pasal17_basis.label("pasal17_basis"),
        R.notice_at.label("notice_at"), R.delivered_at.label("delivered_at"),
        local_day(R.notice_at).label("notice_day"),
        R.extended_due.label("extended_due"),
        valid_ext.label("valid_ext"),
        case((R.extended_due.isnot(None), 1), else_=0).label("extended"),
        flags["refusal_ok"].label("refusal_ok"),
    ).where(*_in_period(start, end, unit_id, [RequestStatus.SUBMITTED.value]))
    return stmt.subquery("cohort")


def _unit_requests(unit_id: int):
    return select(RT.request_id).where(RT.unit_id == unit_id, RT.status != TaskStatus.CANCELLED.value)


def _aggregates(c, today: date) -> list:
    noticed = c.c.notice_at.isnot(None)
    legal_due = case((c.c.valid_ext == 1, c.c.extended_due), else_=c.c.notice_due)

    def count_if(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    return [
        func.count().label("total"),
        count_if(and_(noticed, c.c.notice_day <= c.c.notice_due)).label("ot10"),
        count_if(or_(noticed, c.c.notice_due < today)).label("ot10_den"),
        count_if(and_(noticed, c.c.notice_day <= legal_due)).label("legal"),
        count_if(or_(noticed, legal_due < today)).label("legal_den"),
        func.coalesce(func.sum(c.c.extended), 0).label("extended"),
        func.coalesce(func.sum(c.c.valid_ext), 0).label("valid_ext"),
        count_if(and_(c.c.status.in_([s.value for s in OPEN_STATUSES]), c.c.due_date < today)).label("overdue"),
        count_if(c.c.outcome == Outcome.REFUSED.value).label("refused"),
        func.coalesce(func.sum(c.c.refusal_ok), 0).label("refusal_ok"),
        count_if(noticed).label("noticed"),
        count_if(and_(noticed, c.c.fee_amount > 0)).label("with_fee"),
    ]


AGGREGATES = ("total", "ot10", "ot10_den", "legal", "legal_den", "extended", "valid_ext", "overdue", "refused",
              "refusal_ok", "noticed", "with_fee")


class _Row:
    def __init__(self, **values):
        self.__dict__.update(values)


def _durations(start: date, end: date, unit_id: int | None, today: date):
    """One query: the frequency of every (series, value); count, mean, median and p90 in Python."""
    cohort = _in_period(start, end, unit_id, COHORT_EXCLUDED)
    receipt = _ordinal(R.receipt_date)
    first_routed = (select(RT.request_id.label("request_id"), R.receipt_date.label("receipt_date"),
                           func.min(RT.routed_at).label("at"))
                    .join(R, R.id == RT.request_id).where(*cohort))
    tasks = select(RT.answered_at.label("answered_at"), RT.routed_at.label("routed_at")).join(
        R, R.id == RT.request_id).where(RT.answered_at.isnot(None), *cohort)
    if unit_id is not None:
        first_routed = first_routed.where(RT.unit_id == unit_id)
        tasks = tasks.where(RT.unit_id == unit_id)
    first_routed = first_routed.group_by(RT.request_id, R.receipt_date).subquery()
    tasks = tasks.subquery()
    series = union_all(
        select(literal("notice").label("kind"), (_ordinal(local_day(R.notice_at)) - receipt).label("v"))
        .where(R.notice_at.isnot(None), *cohort),
        select(literal("delivery"), _ordinal(local_day(R.delivered_at)) - receipt)
        .where(R.delivered_at.isnot(None), *cohort),
        select(literal("routing"), _ordinal(local_day(first_routed.c.at)) - _ordinal(first_routed.c.receipt_date))
        .select_from(first_routed),
        select(literal("answer"), _ordinal(local_day(tasks.c.answered_at)) - _ordinal(local_day(tasks.c.routed_at)))
        .select_from(tasks),
        select(literal("fee"), R.fee_amount).where(R.notice_at.isnot(None), R.fee_amount > 0, *cohort),
    ).subquery("series")
    stmt = (select(series.c.kind, series.c.v, func.count()).where(series.c.v.isnot(None))
            .group_by(series.c.kind, series.c.v).order_by(series.c.kind, series.c.v))
    histograms: dict[str, list] = {}
    for kind, value, freq in db.session.execute(stmt):
        histograms.setdefault(kind, []).append((value, freq))
    return {kind: _histogram_stats(kind, histogram) for kind, histogram in histograms.items()}


def monev_metrics(*, start: date, end: date, unit_code: str | None, today: date) -> dict:
    """Every metric of DESIGN §6 for requests registered in [start, end] (optionally one unit)."""
    if end < start:
        raise DomainError("end before start")
    unit_id = None
    if unit_code:
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == unit_code))
        if unit_id is None:
            raise DomainError(f"unknown unit {unit_code}")
    ordinals_ensure(start, max(end, today))
    c = _cohort(start, end, unit_id)

    # One pass over the period (withdrawn included) grouped finely enough to derive the body
    # aggregates, the channels, the outcomes and the Pasal 17 letters in Python.
    totals = dict.fromkeys(AGGREGATES, 0)
    by_channel: dict[str, int] = {}
    outcomes = {o.value: 0 for o in Outcome} | {"pending": 0}
    basis: dict[str, int] = {}
    for row in db.session.execute(
            select(c.c.channel, c.c.status, c.c.outcome, c.c.pasal17_basis, *_aggregates(c, today))
            .group_by(c.c.channel, c.c.status, c.c.outcome, c.c.pasal17_basis)):
        key = Outcome.WITHDRAWN.value if row.status == RequestStatus.WITHDRAWN.value else (row.outcome or "pending")
        outcomes[key] = outcomes.get(key, 0) + row.total
        if row.status == RequestStatus.WITHDRAWN.value:
            continue
        for name in AGGREGATES:
            totals[name] += getattr(row, name)
        by_channel[row.channel] = by_channel.get(row.channel, 0) + row.total
        if row.outcome == Outcome.REFUSED.value and row.pasal17_basis is not None:
            for letter in filter(None, (part.strip() for part in row.pasal17_basis.split(","))):
                basis[letter] = basis.get(letter, 0) + row.total
    body = _Row(**totals)

    units = select(RT.request_id.label("request_id"), RT.unit_id.label("unit_id")).distinct().where(
        RT.status != TaskStatus.CANCELLED.value)
    if unit_id is not None:
        units = units.where(RT.unit_id == unit_id)
    units = units.subquery("units")
    per_unit = {row.code: row for row in db.session.execute(
        select(Unit.code.label("code"), *_aggregates(c, today))
        .select_from(c).join(units, units.c.request_id == c.c.id).join(Unit, Unit.id == units.c.unit_id)
        .where(c.c.status != RequestStatus.WITHDRAWN.value)
        .group_by(Unit.code).order_by(Unit.code))}

    durations = _durations(start, end, unit_id, today)
    objections = _objections(start, end, unit_id, today)
    routing_units = _routing_units(start, end, unit_id)
    on_time_legal = _share(body.legal, body.legal_den)
    refusal_quality = _share(body.refusal_ok, body.refused)
    fee_stats = _stats(durations.get("fee"))
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat(), "unit": unit_code, "today": today.isoformat()},
        "received": {"total": body.total, "by_channel": by_channel,
                     "by_unit": {code: row.total for code, row in per_unit.items()}},
        "on_time_10": {"share": _share(body.ot10, body.ot10_den), "on_time": body.ot10, "counted": body.ot10_den},
        "on_time_legal": {"share": on_time_legal, "on_time": body.legal, "counted": body.legal_den},
        "extended": {"share": _share(body.extended, body.total), "count": body.extended,
                     "valid": body.valid_ext, "valid_share": _share(body.valid_ext, body.extended)},
        "overdue_open": {"count": body.overdue, "by_unit": {code: row.overdue for code, row in per_unit.items()}},
        "breach": {"share": None if on_time_legal is None else _share(body.legal_den - body.legal, body.legal_den),
                   "count": body.legal_den - body.legal},
        "wd_to_notice": _stats(durations.get("notice")),
        "wd_to_delivery": _stats(durations.get("delivery")),
        "outcomes": outcomes,
        "refusal_quality": {"share": refusal_quality, "refusals": body.refused, "complete": body.refusal_ok},
        "refusal_basis": dict(sorted(basis.items())),
        "objection_rate": {"rate": _share(objections["count"], body.total), "count": objections["count"],
                           "by_ground": objections["by_ground"]},
        "objection_on_time": objections["on_time"],
        "objection_upheld": objections["upheld"],
        "disputes": objections["disputes"],
        "routing": {"to_first_routing": _stats(durations.get("routing")),
                    "to_answer": _stats(durations.get("answer")), "by_unit": routing_units},
        "fees": {"share": _share(body.with_fee, body.noticed), "with_fee": body.with_fee, "counted": body.noticed,
                 "median": fee_stats["median"]},
        "index": {"body": _index(on_time_legal, refusal_quality),
                  "by_unit": {code: _index(_share(row.legal, row.legal_den), _share(row.refusal_ok, row.refused))
                              for code, row in per_unit.items()},
                  "weights": INDEX_WEIGHTS, "internal": True},
    }


def _objections(start: date, end: date, unit_id: int | None, today: date) -> dict:
    """Objections filed on cohort requests: driven by the (few) objections, each joined to its request."""
    Obj = Objection  # noqa: N806
    responded_day = local_day(Obj.responded_at)
    overturned = [ObjectionDecision.OVERTURNED_FULL.value, ObjectionDecision.OVERTURNED_PARTIAL.value]
    in_cohort = (select(Obj.id).join(R, R.id == Obj.request_id)
                 .where(*_in_period(start, end, unit_id, COHORT_EXCLUDED)))

    def count_if(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    grounds_text = cast(Obj.grounds, Text)
    total = on_time = counted = decided = favour = 0
    by_ground: dict[str, int] = {}
    for grounds, n, n_on_time, n_counted, n_decided, n_favour in db.session.execute(select(
            grounds_text, func.count(),
            count_if(and_(Obj.responded_at.isnot(None), responded_day <= Obj.response_due)),
            count_if(and_(Obj.status != ObjectionStatus.WITHDRAWN.value,
                          or_(Obj.responded_at.isnot(None), Obj.response_due < today))),
            count_if(Obj.decision.isnot(None)),
            count_if(Obj.decision.in_(overturned)),
    ).where(Obj.id.in_(in_cohort)).group_by(grounds_text)):
        total, on_time, counted = total + n, on_time + n_on_time, counted + n_counted
        decided, favour = decided + n_decided, favour + n_favour
        for letter in json.loads(grounds or "[]"):
            by_ground[letter] = by_ground.get(letter, 0) + n
    dispute_rows = {outcome or "pending": n for outcome, n in db.session.execute(
        select(Dispute.outcome, func.count()).where(Dispute.objection_id.in_(in_cohort)).group_by(Dispute.outcome))}
    disputes = sum(dispute_rows.values())
    return {
        "count": total, "by_ground": dict(sorted(by_ground.items())),
        "on_time": {"share": _share(on_time, counted), "on_time": on_time, "counted": counted},
        "upheld": {"share": _share(favour, decided), "overturned": favour, "decided": decided},
        "disputes": {"rate": _share(disputes, total), "count": disputes, "outcomes": dispute_rows},
    }


def _routing_units(start: date, end: date, unit_id: int | None) -> dict:
    answered_day = local_day(RT.answered_at)
    stmt = (select(Unit.code, func.count(),
                   func.coalesce(func.sum(case((RT.answered_at.isnot(None), 1), else_=0)), 0),
                   func.coalesce(func.sum(case((and_(RT.answered_at.isnot(None), answered_day <= RT.internal_due), 1),
                                               else_=0)), 0))
            .join(Unit, Unit.id == RT.unit_id).join(R, R.id == RT.request_id)
            .where(*_in_period(start, end, unit_id, COHORT_EXCLUDED), RT.status != TaskStatus.CANCELLED.value)
            .group_by(Unit.code).order_by(Unit.code))
    if unit_id is not None:
        stmt = stmt.where(RT.unit_id == unit_id)
    return {code: {"tasks": tasks, "answered": answered, "answered_on_time": on_time,
                   "on_time_share": _share(on_time, answered)}
            for code, tasks, answered, on_time in db.session.execute(stmt)}
