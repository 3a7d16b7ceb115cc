"""The monev metric set of DESIGN §6, computed in SQL over the cached columns, events and
routing/objection rows: a fixed number of aggregate queries, whatever the cohort size.

Definitions (shares are fractions 0–1, None when the denominator is 0; durations in working days):

* Cohort: requests whose ``receipt_date`` is in [start, end], excluding ``submitted`` (never
  registered) and the administrative ends ``withdrawn`` and ``not_completed`` (closed after the
  completion period: never late, never a breach); with a unit, only requests holding a non-cancelled routing task
  to that unit or (``subunits``, the default) to any unit under it. ``outcomes`` alone also
  counts the withdrawn and not-completed requests of the period.
* Every condition is a predicate of ``monev.predicates`` (the desk queue's drill-down filters use
  the same ones), over plain dates the funnel caches: ``notice_on``/``delivered_on``/``routed_on``
  are the body-local days of the notice, the delivery and the first routing.
  A request is "counted" for an on-time share when it has a notice or its due date
  has passed by ``today``; an open request not yet due is not counted. On time = notice day ≤ due.
* ``on_time_10``: due = ``notice_due`` (10 WD). ``on_time_legal``: due = ``legal_due``, which is
  ``extended_due`` when the extension was valid, else ``notice_due``. An extension is valid unless
  the day it was granted (``extended_on``) is after ``notice_due`` (day unknown: assumed valid).
* ``breach``: counted − on time (legal), i.e. late notices plus open requests past the legal due;
  its share is exactly 1 − on_time_legal.
* ``overdue_open``: requests of the cohort open now (OPEN_STATUSES) with ``due_date`` < today
  (the current due as officers see it, a late extension included).
* Durations: ``ordinal(day of event) − ordinal(receipt_date)`` via ``workday_ordinal``, looked
  up once per distinct (from, to) pair; the database returns each series' histogram and the
  median (mean of the two middle values), mean (2 decimals) and p90 (nearest rank ⌈0.9·n⌉) are
  read off it.
* ``refusal_quality``: refusals whose ``pasal17_basis`` is filled AND whose notice carries a
  consequence test, ÷ refusals. ``refusal_basis``: refusals AND partial grants (whose withheld
  part rests on Pasal 17 too) per Pasal 17 letter; ``refusal_basis_partial``: the partial grants
  among them, per letter; ``partial_with_basis``: partial grants carrying a letter.
* ``accessibility``: cohort requests that stated accessibility needs, and per need (a request
  may state several); read live from the requests (a partial index holds the few that have any).
* Objections: those filed on cohort requests. ``objection_on_time``: responded (or settled) on or
  before ``response_due``, ÷ (responded + open past due), withdrawn excluded. ``objection_upheld``:
  decisions in the applicant's favour (overturned fully or partly) ÷ decisions on the merits
  (settlements count as decisions not in favour; an objection found inadmissible, "tidak dapat
  diterima", was not examined on its merits and is counted apart as ``inadmissible``, never as
  upheld). ``objection_decisions``: objections per Atasan decision (responded or settled). ``disputes``: disputes ÷ objections, with counts per outcome text; after
  the KI: its decisions by content, cases at the PTUN/PN and the MA (pending: no decision yet), the
  final decisions, and compliance with those in the applicant's favour (``_disputes_after_ki``).
* ``routing``: WD from registration (receipt_date) to the request's first routing (to any unit,
  also when one unit is selected), and from each task's routing to its answer; per unit: tasks, answered, answered by the internal due.
  A task's routing and answer days are the body-local days of ``routed_at`` and ``answered_at``
  (``local_day``), stored on the task as ``routed_on`` and ``answered_on``; a unit's per-request
  figures count each request once, through the unit's newest live task (a live task with a newer
  live one of the same unit on the same request is ``superseded``). The three facts are kept by
  ``monev.task_facts`` from exactly these definitions.
* ``late_delivery``: notices that promised a day the information would be provided by
  (``provide_by``); of them, delivered by it, delivered after it (late delivery, ground g) and
  still undelivered with the day passed (live); read live like ``accessibility``, not tallied.
* ``answered_from_published``: cohort requests answered by pointing to an item of the Daftar
  Informasi Publik (delivery "already published", ``predicates.answered_from_published``), ÷ the
  cohort's delivered requests (``wd_to_delivery``'s count); per unit holding a live task. Read live
  like ``accessibility`` (driven by the few deliveries that name an item), not tallied.
* ``fees``: notices with ``fee_amount`` > 0 ÷ notices; median of the positive fees.
* ``index`` (internal, NOT the official SAQ score): 100 × (0.8 × on_time_legal + 0.2 ×
  refusal_quality), refusal_quality taken as 1 with no refusals; None when nothing is counted.
"""

from __future__ import annotations

import itertools
import json
from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Date,
    Integer,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import aliased

from ..dbtypes import utcnow
from ..errors import DomainError
from ..extensions import db
from ..objections.dispute_selectors import final_decision
from ..objections.lifecycle import objection_clock_running
from ..objections.models import Dispute, Objection, ObjectionDecision, ObjectionStatus
from ..organisation.models import Unit
from ..organisation.profile_selectors import body_timezone
from ..organisation.unit_selectors import unit_scope_ids
from ..requests.models import AccessibilityNeed, InformationRequest, Outcome
from ..routing.models import RoutingTask, TaskStatus
from ..sla import ClockState
from ..workcalendar.clock_sql import clock_state_condition
from ..workcalendar.selectors import clock_rules, working_calendar
from . import predicates as P
from . import statements as S
from .models import WorkdayOrdinal
from .register_quality import completeness, mask_counts, register_counts

# The service index (indeks layanan) is the desk's own figure from its log, not the KI's evaluation:
# its grades use neutral words, never the KI's qualifications (Informatif … Tidak Informatif), which
# belong to the SAQ (and to the internal monev's questionnaires, evaluation/).
# (lower bound, grade): the first grade whose bound the index reaches.
INDEX_BANDS = ((90.0, "Sangat baik"), (80.0, "Baik"), (60.0, "Cukup"), (40.0, "Kurang"), (0.0, "Sangat kurang"))
# The grades shown on screen, in the visitor's language (the metrics keep the Indonesian name:
# exports and reports are Indonesian).
BAND_LABELS = {"Sangat baik": _l("Sangat baik"), "Baik": _l("Baik"), "Cukup": _l("Cukup"),
               "Kurang": _l("Kurang"), "Sangat kurang": _l("Sangat kurang")}
INDEX_WEIGHTS = {"on_time_legal": 0.8, "refusal_quality": 0.2}
# The outcomes whose notice withholds information under Pasal 17 (in full or in part): both count in
# ``refusal_basis`` (the "refusals by Pasal 17 letter" of the dashboard and the annual report).
EXEMPTING_OUTCOMES = frozenset({Outcome.REFUSED.value, Outcome.GRANTED_PARTIAL.value})

R = InformationRequest
RT = RoutingTask


def _share(num, den) -> float | None:
    return None if not den else num / den


def local_day_key() -> tuple[str, int | None]:
    """(zone, UTC offset in minutes on SQLite): what ``local_day``'s SQL depends on."""
    zone = body_timezone()
    if db.session.get_bind().dialect.name == "postgresql":
        return zone, None
    return zone, int(utcnow().astimezone(ZoneInfo(zone)).utcoffset().total_seconds() // 60)  # no DST in Indonesia


def local_day(column):
    """The body-local calendar date of a UTC timestamp column, in SQL."""
    zone, minutes = local_day_key()
    if minutes is None:
        return cast(func.timezone(zone, column), Date)
    return func.date(column, f"{minutes:+d} minutes")


def band(score: float | None) -> str | None:
    if score is None:
        return None
    return next(label for bound, label in INDEX_BANDS if score >= bound)


def band_label(name: str | None) -> str | None:
    """A band's name for the screen, translated (None stays None)."""
    return str(BAND_LABELS.get(name, name)) if name else None


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


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _aggregates(today: date) -> list:
    """The per-request counts every breakdown needs, each a predicate of ``predicates`` (over R)."""
    return [
        func.count().label("total"),
        _count_if(P.on_time_10(today)).label("ot10"),
        _count_if(P.counted_10(today)).label("ot10_den"),
        _count_if(P.on_time_legal(today)).label("legal"),
        _count_if(P.counted_legal(today)).label("legal_den"),
        _count_if(P.extended(today)).label("extended"),
        _count_if(P.extension_valid(today)).label("valid_ext"),
        _count_if(P.overdue_open(today)).label("overdue"),
        _count_if(P.refused(today)).label("refused"),
        # The consequence-test lookup runs for refusals only: CASE evaluates lazily.
        func.coalesce(func.sum(case((R.outcome != Outcome.REFUSED.value, 0),
                                    (P.refusal_complete(today), 1), else_=0)), 0).label("refusal_ok"),
        _count_if(P.noticed()).label("noticed"),
        _count_if(P.with_fee(today)).label("with_fee"),
    ]


AGGREGATES = ("total", "ot10", "ot10_den", "legal", "legal_den", "extended", "valid_ext", "overdue", "refused",
              "refusal_ok", "noticed", "with_fee")
# What the per-unit figures show (requests received, overdue, the index's two shares): the live
# run counts only these per unit (each is a predicate evaluated for every task of the period).
UNIT_AGGREGATES = ("total", "legal", "legal_den", "overdue", "refused", "refusal_ok")


def _aggregates_of(today: date, names: tuple[str, ...]) -> list:
    by_name = {aggregate.name: aggregate for aggregate in _aggregates(today)}
    return [by_name[name] for name in names]


class _Row:
    def __init__(self, **values):
        self.__dict__.update(values)


# The requests the engine aggregates live beside the tallies: every unsettled one, and the
# settled ones of receipt days whose tallies are dirty or missing (pages never refresh tallies).
UNTALLIED = "untallied"


def settled_terms(settled: bool | str | None) -> list:
    """Terms keeping all requests (None), only settled ones (with a notice), only unsettled ones
    (False), or those the tallies do not hold (``UNTALLIED``)."""
    if settled is None:
        return []
    if settled == UNTALLIED:
        # The few requests the tallies do not hold, looked up by key, rather than a test per
        # request of the period: the unsettled ones (their partial index) and the settled ones of
        # the days listed once per run (``tallies.untallied_days``).
        return [R.id.in_(union_all(
            _unsettled_ids(), select(R.id).where(R.notice_on.isnot(None), R.receipt_date.in_(S.UNTALLIED_DAYS))))]
    return [R.notice_on.isnot(None)] if settled else [R.notice_on.is_(None)]


def _unsettled_ids():
    """The ids of the period's requests without a notice, read from their partial index.

    SQLite without planner statistics (no ``ANALYZE`` run on the file) guesses both indexes that
    start with ``receipt_date`` equally selective and takes the covering one of every request
    (``ix_information_request_monev``): a scan of a third of a million entries on a body of a
    million requests, about 100 ms for each of the metric set's statements, to find ten thousand.
    So on SQLite the partial index is named (``INDEXED BY``, which SQLAlchemy's hints do not render
    for SQLite); PostgreSQL plans from the statistics autovacuum keeps."""
    if db.session.get_bind().dialect.name != "sqlite":
        return select(R.id).where(R.notice_on.is_(None), R.receipt_date >= S.START, R.receipt_date <= S.END)
    receipt_date = literal_column("receipt_date", Date)
    return (select(literal_column("id", Integer))
            .select_from(text("information_request INDEXED BY ix_information_request_unsettled"))
            .where(text("notice_on IS NULL"), receipt_date >= S.START, receipt_date <= S.END))


def holding_units():
    """The units holding the request (R) by a live routing task, as one text in no particular
    order (e.g. "7,3"; NULL when none): the tallies of unit scopes group by it and sort it in
    Python (``tallies.unit_set_ids``)."""
    task = aliased(RT)
    if db.session.get_bind().dialect.name == "postgresql":
        units = func.string_agg(cast(task.unit_id, Text), literal(","))
    else:
        units = func.group_concat(task.unit_id, literal(","))
    return (select(units).where(task.request_id == R.id, task.status != TaskStatus.CANCELLED.value)
            .correlate(R).scalar_subquery())


def duration_pairs(start: date, end: date, unit_id: P.UnitScope, settled: bool | None, *,
                   by_units: bool = False, answers: bool = True):
    """(kind, receipt day, from day, to day, n) for every duration series, grouped by day pair;
    ``by_units`` (the tallies of unit scopes) adds a key "k" first: the request's ``holding_units``
    for its own days' series, the task's unit for "answer". ``answers=False`` leaves the "answer"
    series out (the live metric run reads it from its one pass over the tasks, ``unit_task_pass``)."""
    cohort = [*P.in_period(start, end, unit_id), *settled_terms(settled)]
    own_key = [holding_units().label("k")] if by_units else []
    # The cohort is read once for the three series of the request's own days (notice, delivery,
    # first routing): grouped by all three, then each series summed from those groups. Reading it
    # once per series cost three passes over the period (and, for a unit, three lookups of every
    # request's routing tasks).
    settled_days = [R.notice_on, R.delivered_on] if settled is not False else []
    own_days = (select(*own_key, R.receipt_date.label("d"), *settled_days, R.routed_on, func.count().label("n"))
                .where(*cohort).group_by(*own_key, R.receipt_date, *settled_days, R.routed_on).cte("own_days"))
    own_k = [own_days.c.k] if by_units else []

    def pairs(kind: str, day):
        day = own_days.c[day.key]
        return (select(*own_k, literal(kind).label("kind"), own_days.c.d.label("d"), own_days.c.d.label("a"),
                       day.label("b"), cast(func.sum(own_days.c.n), Integer).label("n"))
                .where(day.isnot(None)).group_by(*own_k, own_days.c.d, day))

    task_unit = [cast(RT.unit_id, Text).label("k")] if by_units else []
    tasks = select(*task_unit, R.receipt_date.label("receipt_date"), RT.answered_on.label("answered_on"),
                   RT.routed_on.label("routed_on")).join(R, R.id == RT.request_id).where(
        RT.answered_on.isnot(None), *cohort)
    if unit_id is not None:
        tasks = tasks.where(P.unit_is(RT.unit_id, unit_id))
    tasks = tasks.subquery()
    routed_from, answered_day = tasks.c.routed_on, tasks.c.answered_on
    # Unsettled requests (no notice) have neither a notice nor a delivery day.
    settled_series = [pairs("notice", R.notice_on), pairs("delivery", R.delivered_on)] if settled is not False else []
    answer_series = [
        select(*([tasks.c.k] if by_units else []), literal("answer"), tasks.c.receipt_date, routed_from,
               answered_day, func.count())
        .group_by(*([tasks.c.k] if by_units else []), tasks.c.receipt_date, routed_from, answered_day),
    ] if answers else []
    return union_all(*settled_series, pairs("routing", R.routed_on), *answer_series).subquery("pairs")


def duration_values(pairs, *, by_day: bool, by_units: bool = False):
    """Working days per pair via ``workday_ordinal`` (looked up once per distinct pair)."""
    o_from, o_to = aliased(WorkdayOrdinal), aliased(WorkdayOrdinal)
    value = (o_to.ordinal - o_from.ordinal).label("v")
    keys = [pairs.c.d, pairs.c.kind, value] if by_day else [pairs.c.kind, value]
    if by_units:
        keys = [pairs.c.k, *keys]
    return (select(*keys, func.sum(pairs.c.n).label("n"))
            .join(o_from, o_from.day == pairs.c.a).join(o_to, o_to.day == pairs.c.b)
            .group_by(*keys))


def fee_values(start: date, end: date, unit_id: P.UnitScope, settled: bool | None, *, by_day: bool,
               by_units: bool = False):
    keys = [R.receipt_date, R.fee_amount] if by_day else [R.fee_amount]
    if by_units:
        keys = [holding_units(), *keys]
    # A fee is set by the notice: of the requests the tallies do not hold, only the settled ones of
    # the untallied days can have one (the unsettled ones are not even looked up).
    terms = ([R.notice_on.isnot(None), R.receipt_date.in_(S.UNTALLIED_DAYS)] if settled == UNTALLIED
             else settled_terms(settled))
    return (select(*keys, func.count()).where(P.with_fee(date.max), *P.in_period(start, end, unit_id), *terms)
            .group_by(*keys))


def _durations(statements: dict, params: dict, settled: bool | str | None) -> dict[str, dict[int, int]]:
    """The frequency of every (series, working days), and of every fee amount ("fee")."""
    histograms: dict[str, dict[int, int]] = {}
    for kind, v, freq in db.session.execute(statements["durations"], params):
        histograms.setdefault(kind, {})[int(v)] = int(freq)
    histograms["fee"] = {} if settled is False else {  # a fee is set by the notice
        int(v): int(n) for v, n in db.session.execute(statements["fees"], params)}
    return histograms


def _merge_counts(target: dict, more: dict) -> None:
    for key, values in more.items():
        if key in target:
            target[key] = [x + y for x, y in zip(target[key], values, strict=True)]
        else:
            target[key] = list(values)


def unit_aggregates(terms: list, today: date, unit_id: P.UnitScope, *, by_day: bool = False):
    """Each cohort request once per unit holding a live task (the newest such task: the live one
    not ``superseded``), aggregated."""
    keys = [R.receipt_date, RT.unit_id] if by_day else [Unit.code]
    stmt = (select(*keys, *_aggregates(today))
            .select_from(R).join(RT, and_(RT.request_id == R.id, RT.status != TaskStatus.CANCELLED.value))
            .where(*terms, RT.superseded.is_(False),
                   *([P.unit_is(RT.unit_id, unit_id)] if unit_id is not None else []))
            .group_by(*keys))
    return stmt if by_day else stmt.join(Unit, Unit.id == RT.unit_id)


def task_aggregates(terms: list, unit_id: P.UnitScope, *, by_day: bool = False):
    """Per unit: its live tasks on cohort requests, answered, answered by the internal due."""
    keys = [R.receipt_date, RT.unit_id] if by_day else [Unit.code]
    stmt = (select(*keys, func.count(), _count_if(RT.answered_on.isnot(None)),
                   _count_if(and_(RT.answered_on.isnot(None), RT.answered_on <= RT.internal_due)))
            .select_from(RT).join(R, R.id == RT.request_id)
            .where(*terms, RT.status != TaskStatus.CANCELLED.value,
                   *([P.unit_is(RT.unit_id, unit_id)] if unit_id is not None else []))
            .group_by(*keys))
    return stmt if by_day else stmt.join(Unit, Unit.id == RT.unit_id)


# A routing task's part in ``unit_task_pass``: cancelled (only its answer, if any, counts), live,
# or live and the newest live task of its unit for its request (its request counts for the unit).
TASK_CANCELLED, TASK_LIVE, TASK_NEWEST = 0, 1, 2


def unit_task_pass(terms: list, today: date, unit_id: P.UnitScope):
    """The live run's one pass over the cohort's routing tasks, each joined to its request, for
    what ``unit_aggregates``, ``task_aggregates`` and the "answer" series of ``duration_pairs``
    (which the tallies still run apart, per day) count, by the same predicates: per unit, task
    state (``TASK_*``) and working days from routing to answer (None: unanswered, or a day
    outside the ordinals): tasks, answered, answered by the internal due, then
    ``UNIT_AGGREGATES`` over their requests (read for ``TASK_NEWEST``: each request once per unit).

    Three passes (each joining the period's tasks to their requests and sorting them by unit)
    cost about 2 s of a cold run on a million requests. This one reads the tasks' stored facts
    (``monev.task_facts``) from their covering index; the days of routing and answer are grouped
    first, then numbered once per distinct pair."""
    live = RT.status != TaskStatus.CANCELLED.value
    state = case((~live, TASK_CANCELLED), (RT.superseded, TASK_LIVE), else_=TASK_NEWEST).label("state")
    answered = RT.answered_on.isnot(None)
    routed_day = case((answered, RT.routed_on)).label("a")
    groups = (select(RT.unit_id.label("unit_id"), state, routed_day, RT.answered_on.label("b"),
                     func.count().label("n"), _count_if(answered).label("answered"),
                     _count_if(RT.answered_on <= RT.internal_due).label("on_time"),
                     *_aggregates_of(today, UNIT_AGGREGATES[1:]))
              .select_from(R).join(RT, RT.request_id == R.id)
              # Every live task, and the cancelled ones that were answered (the "answer" series
              # counts every answer, as the tallies' ``duration_pairs`` does).
              .where(*terms, or_(live, answered),
                     *([P.unit_is(RT.unit_id, unit_id)] if unit_id is not None else []))
              .group_by(RT.unit_id, state, routed_day, RT.answered_on)
              .subquery("task_groups"))
    o_from, o_to = aliased(WorkdayOrdinal), aliased(WorkdayOrdinal)
    value = (o_to.ordinal - o_from.ordinal).label("v")
    sums = [func.sum(groups.c[name]) for name in ("n", "answered", "on_time", *UNIT_AGGREGATES[1:])]
    return (select(Unit.code, groups.c.state, value, *sums)
            .select_from(groups).join(Unit, Unit.id == groups.c.unit_id)
            .outerjoin(o_from, o_from.day == groups.c.a).outerjoin(o_to, o_to.day == groups.c.b)
            .group_by(Unit.code, groups.c.state, value))


def unit_task_values(rows) -> tuple[dict, dict, dict[int, int]]:
    """``unit_task_pass``'s rows as (per unit ``UNIT_AGGREGATES``, per unit (tasks, answered,
    answered on time), the "answer" histogram)."""
    unit_values: dict[str, list[int]] = {}
    task_values: dict[str, list[int]] = {}
    answers: dict[int, int] = {}
    for code, state, v, n, answered, on_time, *values in rows:
        n, answered, on_time = int(n), int(answered), int(on_time)
        if v is not None and answered:
            answers[int(v)] = answers.get(int(v), 0) + answered
        if state == TASK_CANCELLED:
            continue
        _merge_counts(task_values, {code: [n, answered, on_time]})
        if state == TASK_NEWEST:
            _merge_counts(unit_values, {code: [n, *(int(x) for x in values)]})
    return unit_values, task_values, answers


def _month(day):
    """A date column's month as text, "2025-03", in SQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(day, "YYYY-MM")
    return func.substr(day, 1, 7)


def main_aggregates(terms: list, today: date, *, by_units: bool = False, month: bool = False):
    """The period's requests grouped in the covering index's own order (no sort); ``by_units``
    (the tallies of unit scopes) groups by the request's ``holding_units`` first. ``month``
    returns each group's month as text instead of its day (still grouped by day, in the index's
    order): the run sums its groups by month, and tens of thousands of dates are not converted."""
    keys = [R.receipt_date, R.status, R.channel, R.outcome, R.pasal17_basis]
    if by_units:
        keys = [holding_units().label("units"), *keys]
    columns = [_month(R.receipt_date), *keys[1:]] if month else keys
    return select(*columns, *_aggregates(today)).where(*terms).group_by(*keys)


def _stats_of(histogram: dict[int, int] | None) -> dict:
    return _stats(_histogram_stats("", sorted(histogram.items())) if histogram else None)


def metric_statements(scoped: bool, settled: bool | str | None) -> dict:
    """Every statement of a metric run, built once per variant (``monev.statements``): the whole
    body or a unit scope (``UNITS``), and which requests are aggregated live (``settled``)."""
    def build() -> dict:
        units = S.UNITS if scoped else None
        cohort = [*P.in_period(S.START, S.END, units), *settled_terms(settled)]
        statements = {
            "main": main_aggregates([*P.in_period(S.START, S.END, units, withdrawn=True), *settled_terms(settled)],
                                    S.TODAY, month=True),
            "unit_tasks": unit_task_pass(cohort, S.TODAY, units),
            "durations": duration_values(duration_pairs(S.START, S.END, units, settled, answers=False), by_day=False),
            "fees": fee_values(S.START, S.END, units, settled, by_day=False),
            "register": register_counts(S.START, S.END, units, settled),
            **_accessibility_statements(units), **_published_statements(units), **_late_delivery_statements(units),
            **_objection_statements(units),
        }
        return statements

    return S.built_once("metrics", (scoped, settled), build)


def monev_metrics(*, start: date, end: date, unit_code: str | None, today: date,
                  subunits: bool = True) -> dict:
    """Every metric of DESIGN §6 for requests registered in [start, end], optionally of one unit
    and (``subunits``) every unit under it: requests holding a live task to any of them."""
    if end < start:
        raise DomainError("end before start")
    unit_id: P.UnitScope = None
    if unit_code:
        found = db.session.scalar(select(Unit.id).where(Unit.code == unit_code))
        if found is None:
            raise DomainError(f"unknown unit {unit_code}")
        unit_id = unit_scope_ids(found, subunits=subunits)
    # Reads only: the working-day ordinals are built when the calendar changes (monev.ordinals).
    # Settled requests (with a notice) of clean days come from the daily tallies (re-summed by the
    # sweep): the whole body's, or one unit's (its units' sets); the others are aggregated live.
    use_tallies = current_app.config["MONEV_TALLIES"]
    settled: bool | str | None = None
    tally = None
    if use_tallies:
        from . import tallies as tally

        settled = UNTALLIED
    untallied = tally.untallied_days(start, end) if tally else None
    if untallied is not None and len(untallied) == (end - start).days + 1:
        # Not one day of the period tallied (after seed-load, an import, a calendar change): all
        # live, which reads the period in one range instead of looking every request up by key.
        settled, tally, untallied = None, None, None
    statements = metric_statements(unit_id is not None, settled)
    params = S.period_params(start, end, today, unit_id, untallied)
    if tally and unit_id is not None:
        params |= tally.unit_scope_params(params["units"])

    # One range scan of the covering index over the period (administrative ends included): the body
    # aggregates, the months, channels, outcomes and Pasal 17 letters are summed from its groups.
    ends, partial = P.ADMINISTRATIVE_END_VALUES, Outcome.GRANTED_PARTIAL.value
    by_channel: dict[str, int] = {}
    outcomes = {o.value: 0 for o in Outcome} | {"pending": 0}
    basis: dict[str, int] = {}
    basis_partial: dict[str, int] = {}
    partial_with_basis = 0
    months: dict[str, list[int]] = {}
    rows = db.session.execute(statements["main"], params)
    for month, status, channel, outcome, letters, *values in (
            itertools.chain(rows, tally.tally_main_rows(params)) if tally else rows):
        total = values[0]
        key = status if status in ends else (outcome or "pending")
        outcomes[key] = outcomes.get(key, 0) + total
        if status in ends:
            continue
        sums = months.get(month)
        if sums is None:
            months[month] = list(values)
        else:
            for i, value in enumerate(values):
                sums[i] += value
        by_channel[channel] = by_channel.get(channel, 0) + total
        if outcome in EXEMPTING_OUTCOMES and letters:
            partial_with_basis += total if outcome == partial else 0
            for letter in filter(None, (part.strip() for part in letters.split(","))):
                basis[letter] = basis.get(letter, 0) + total
                if outcome == partial:
                    basis_partial[letter] = basis_partial.get(letter, 0) + total
    by_month = {month: _Row(**dict(zip(AGGREGATES, sums, strict=True))) for month, sums in sorted(months.items())}
    body = _Row(**{name: sum(getattr(m, name) for m in by_month.values()) for name in AGGREGATES})

    unit_values, task_values, answers = unit_task_values(db.session.execute(statements["unit_tasks"], params))
    histograms = _durations(statements, params, settled)
    if answers:
        histograms["answer"] = answers
    if tally:
        shown = [AGGREGATES.index(name) for name in UNIT_AGGREGATES]
        _merge_counts(unit_values, {code: [values[i] for i in shown]
                                    for code, values in tally.tally_unit_rows(params).items()})
        _merge_counts(task_values, tally.tally_task_rows(params))
        for series, counts in tally.tally_histograms(params).items():
            merged = histograms.setdefault(series, {})
            for v, n in counts.items():
                merged[v] = merged.get(v, 0) + n
    per_unit = {code: _Row(**dict(zip(UNIT_AGGREGATES, values, strict=True)))
                for code, values in sorted(unit_values.items())}
    routing_units = {code: {"tasks": tasks, "answered": answered, "answered_on_time": on_time,
                            "on_time_share": _share(on_time, answered)}
                     for code, (tasks, answered, on_time) in sorted(task_values.items())}
    objections = _objections(statements, params, today)
    register = mask_counts(db.session.execute(statements["register"], params))
    if tally:
        register = [x + y for x, y in zip(register, tally.tally_register_counts(params), strict=True)]
    register_complete = completeness(register)
    on_time_legal = _share(body.legal, body.legal_den)
    refusal_quality = _share(body.refusal_ok, body.refused)
    fee_stats = _stats_of(histograms.get("fee"))
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat(), "unit": unit_code,
                   "subunits": bool(unit_code) and subunits, "today": today.isoformat()},
        "received": {"total": body.total, "by_channel": dict(sorted(by_channel.items())),
                     "by_unit": {code: row.total for code, row in per_unit.items()}},
        "on_time_10": {"share": _share(body.ot10, body.ot10_den), "on_time": body.ot10, "counted": body.ot10_den},
        "on_time_legal": {"share": on_time_legal, "on_time": body.legal, "counted": body.legal_den,
                          "by_month": {month: {"share": _share(m.legal, m.legal_den), "on_time": m.legal,
                                                "counted": m.legal_den} for month, m in by_month.items()}},
        "extended": {"share": _share(body.extended, body.total), "count": body.extended,
                     "valid": body.valid_ext, "valid_share": _share(body.valid_ext, body.extended)},
        "overdue_open": {"count": body.overdue, "by_unit": {code: row.overdue for code, row in per_unit.items()}},
        "breach": {"share": None if on_time_legal is None else _share(body.legal_den - body.legal, body.legal_den),
                   "count": body.legal_den - body.legal},
        "wd_to_notice": _stats_of(histograms.get("notice"))
        | {"histogram": {str(v): n for v, n in sorted(histograms.get("notice", {}).items())}},
        "wd_to_delivery": _stats_of(histograms.get("delivery")),
        "outcomes": outcomes,
        "refusal_quality": {"share": refusal_quality, "refusals": body.refused, "complete": body.refusal_ok},
        "refusal_basis": dict(sorted(basis.items())),
        "refusal_basis_partial": dict(sorted(basis_partial.items())),
        "partial_with_basis": partial_with_basis,
        "accessibility": _accessibility(statements, params),
        "late_delivery": _late_delivery(statements, params),
        "answered_from_published": _from_published(statements, params, histograms.get("delivery")),
        "objection_rate": {"rate": _share(objections["count"], body.total), "count": objections["count"],
                           "by_ground": objections["by_ground"]},
        "objection_on_time": objections["on_time"],
        "objection_upheld": objections["upheld"],
        "objection_decisions": objections["decisions"],
        "disputes": objections["disputes"],
        "routing": {"to_first_routing": _stats_of(histograms.get("routing")),
                    "to_answer": _stats_of(histograms.get("answer")), "by_unit": routing_units},
        "fees": {"share": _share(body.with_fee, body.noticed), "with_fee": body.with_fee, "counted": body.noticed,
                 "median": fee_stats["median"]},
        "register_complete": register_complete,
        "index": {"body": _index(on_time_legal, refusal_quality),
                  "by_unit": {code: _index(_share(row.legal, row.legal_den), _share(row.refusal_ok, row.refused))
                              for code, row in per_unit.items()},
                  "weights": INDEX_WEIGHTS, "internal": True},
    }


def _accessibility_statements(units) -> dict:
    return {"accessibility": select(R.accessibility_needs, func.count())
            .where(*P.in_period(S.START, S.END, units), R.accessibility_needs.isnot(None))
            .group_by(R.accessibility_needs)}


def _accessibility(statements: dict, params: dict) -> dict:
    """{"requests": n, "by_need": {need: n}} over the cohort: one grouped query, driven by the
    partial index of the requests that stated any need."""
    requests, by_need = 0, {need.value: 0 for need in AccessibilityNeed}
    for needs, n in db.session.execute(statements["accessibility"], params):
        requests += n
        for need in filter(None, needs.split(",")):
            by_need[need] = by_need.get(need, 0) + n
    return {"requests": requests, "by_need": by_need}


def _published_statements(units) -> dict:
    terms = [*P.in_period(S.START, S.END, units), P.answered_from_published(S.TODAY)]
    return {
        "published": select(func.count()).select_from(R).where(*terms),
        "published_by_unit": select(Unit.code, func.count(func.distinct(R.id))).select_from(R)
        .join(RT, and_(RT.request_id == R.id, RT.status != TaskStatus.CANCELLED.value))
        .join(Unit, Unit.id == RT.unit_id)
        .where(*terms, *([P.unit_is(RT.unit_id, units)] if units is not None else []))
        .group_by(Unit.code),
    }


def _from_published(statements: dict, params: dict, delivered: dict[int, int] | None) -> dict:
    """{"count", "delivered", "share", "by_unit": {code: n}}: cohort requests answered from the
    Daftar Informasi Publik, of the cohort's delivered requests; per unit as the league counts
    (each request once per unit holding a live task). Two small queries driven by the deliveries
    that name an item."""
    count = db.session.scalar(statements["published"], params) or 0
    by_unit = {code: int(n) for code, n in db.session.execute(statements["published_by_unit"], params)}
    delivered_count = sum((delivered or {}).values())
    return {"count": count, "delivered": delivered_count, "share": _share(count, delivered_count),
            "by_unit": dict(sorted(by_unit.items()))}


def _late_delivery_statements(units) -> dict:
    today = S.TODAY
    return {"late_delivery": select(
        _count_if(P.promised(today)), _count_if(P.delivered_by_promise(today)),
        _count_if(P.delivered_after_promise(today)), _count_if(P.promise_passed_open(today)))
        .where(*P.in_period(S.START, S.END, units), R.provide_by.isnot(None))}


def _late_delivery(statements: dict, params: dict) -> dict:
    """The delivery the written notice promised by a day (``provide_by``), over the cohort: how
    many notices promised one, delivered by it, delivered after it (late: ground g) and not
    delivered with the day passed (live). One aggregate query; its share is late ÷ delivered."""
    promised, on_time, late, passed = db.session.execute(statements["late_delivery"], params).one()
    promised, on_time, late, passed = (int(v or 0) for v in (promised, on_time, late, passed))
    return {"promised": promised, "on_time": on_time, "late": late, "passed_open": passed,
            "late_share": _share(late, on_time + late)}


def _objection_statements(units) -> dict:
    """Objections filed on cohort requests: driven by the (few) objections, each joined to its request."""
    Obj = Objection  # noqa: N806
    responded_day = local_day(Obj.responded_at)
    overturned = [ObjectionDecision.OVERTURNED_FULL.value, ObjectionDecision.OVERTURNED_PARTIAL.value]
    # Driven by the objections' own copy of the receipt date (ix_objection_monev); each request
    # is then looked up by its key for the cohort's status (and unit) conditions.
    in_cohort = (select(Obj.id).join(R, R.id == Obj.request_id)
                 .where(Obj.request_receipt_date >= S.START, Obj.request_receipt_date <= S.END,
                        R.status.notin_(P.COHORT_EXCLUDED),
                        *([P.held_by_unit(units)] if units is not None else [])))
    grounds_text = cast(Obj.grounds, Text)
    return {
        # Grouped by grounds, decision and the dispute's outcome (an objection has at most one
        # dispute): the counts per ground, per decision and of disputes per outcome in one pass.
        "objections": select(
            grounds_text, Obj.decision, Dispute.outcome, func.count(), func.count(Dispute.id),
            _count_if(and_(Obj.responded_at.isnot(None), responded_day <= Obj.response_due)),
            _count_if(and_(Obj.status != ObjectionStatus.WITHDRAWN.value,
                           or_(Obj.responded_at.isnot(None),
                               clock_state_condition(ClockState.OVERDUE, running=objection_clock_running(),
                                                     due=Obj.response_due, today=S.TODAY)))),
            _count_if(and_(Obj.decision.isnot(None), Obj.decision != ObjectionDecision.INADMISSIBLE.value)),
            _count_if(Obj.decision.in_(overturned)),
        ).select_from(Obj).outerjoin(Dispute, Dispute.objection_id == Obj.id)
        .where(Obj.id.in_(in_cohort)).group_by(grounds_text, Obj.decision, Dispute.outcome),
        # Only the disputes with something after the KI to count: a KI decision's content, or a
        # court case (the others add nothing to ``_disputes_after_ki``: no KI decision, no court
        # case, no final decision). Thousands of ORM rows fewer on a large body.
        # Tested per dispute (correlated), not as a list of the cohort's objections: the few
        # candidates are then looked up by key instead of the period's objections being listed.
        "disputes": select(Dispute).where(or_(Dispute.ki_decision.isnot(None), Dispute.court_cases.any()),
                                          in_cohort.where(Obj.id == Dispute.objection_id).exists()),
    }


def _objections(statements: dict, params: dict, today: date) -> dict:
    """Objections filed on cohort requests (``_objection_statements``)."""
    total = on_time = counted = decided = favour = 0
    by_ground: dict[str, int] = {}
    by_decision = {d.value: 0 for d in ObjectionDecision}
    dispute_rows: dict[str, int] = {}
    for grounds, decision, outcome, n, n_disputes, n_on_time, n_counted, n_decided, n_favour in db.session.execute(
            statements["objections"], params):
        total, on_time, counted = total + n, on_time + n_on_time, counted + n_counted
        decided, favour = decided + n_decided, favour + n_favour
        for letter in json.loads(grounds or "[]"):
            by_ground[letter] = by_ground.get(letter, 0) + n
        if decision is not None:
            by_decision[decision] = by_decision.get(decision, 0) + n
        if n_disputes:
            dispute_rows[outcome or "pending"] = dispute_rows.get(outcome or "pending", 0) + n_disputes
    disputes = sum(dispute_rows.values())
    after_ki = _disputes_after_ki(list(db.session.scalars(statements["disputes"], params)), today)
    return {
        "count": total, "by_ground": dict(sorted(by_ground.items())),
        "on_time": {"share": _share(on_time, counted), "on_time": on_time, "counted": counted},
        "upheld": {"share": _share(favour, decided), "overturned": favour, "decided": decided,
                   "inadmissible": by_decision[ObjectionDecision.INADMISSIBLE.value]},
        "decisions": by_decision,
        "disputes": {"rate": _share(disputes, total), "count": disputes, "outcomes": dict(sorted(dispute_rows.items())), **after_ki},
    }


def _disputes_after_ki(rows: list[Dispute], today: date) -> dict:
    """The disputes' course after the KI: the KI's decisions by content, the cases at the PTUN/PN
    and at the MA, the final decisions and the body's compliance with those in the applicant's
    favour. Disputes are few: their rows (with their court cases) are read in a fixed number of
    queries and their final decision derived in Python (it depends on windows and ``today``)."""
    calendar, rules = (working_calendar(), clock_rules()) if rows else (None, None)
    ki_decisions: dict[str, int] = {}
    court = {"first": 0, "cassation": 0, "pending": 0, "by_appellant": {}}
    compliance = {"final": 0, "requires_action": 0, "complied": 0, "not_complied": 0, "unrecorded": 0}
    for dispute in rows:
        if dispute.ki_decision:
            ki_decisions[dispute.ki_decision] = ki_decisions.get(dispute.ki_decision, 0) + 1
        for court_case in dispute.court_cases:
            court[court_case.tier] = court.get(court_case.tier, 0) + 1
            court["pending"] += court_case.decision_date is None
            key = f"{court_case.tier}_{court_case.appellant}"
            court["by_appellant"][key] = court["by_appellant"].get(key, 0) + 1
        final = final_decision(dispute, calendar, today, rules)
        if final is None:
            continue
        compliance["final"] += 1
        if final.requires_action:
            compliance["requires_action"] += 1
            state = dispute.compliance or "unrecorded"
            compliance[state] = compliance.get(state, 0) + 1
    return {"ki_decisions": dict(sorted(ki_decisions.items())), "court": court, "compliance": compliance}
