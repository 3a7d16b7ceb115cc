"""Daily tallies: the monev aggregates of *settled* requests, summed once per receipt day.

A request with a written notice (``notice_on`` set) contributes to every aggregate in a way that
no longer depends on today's date, so a day's settled requests can be summed once and kept. The
metric engine then reads a few rows per day from ``monev_tally`` / ``monev_tally_duration`` and
aggregates only the unsettled requests (open or withdrawn without notice) live: a year of a
large body's traffic answers from thousands of tally rows instead of a scan of every request.

One unit (and, by default, the units under it) reads tallies the same way. A unit's cohort is
the requests holding a live routing task to one of its units, so its breakdowns cannot be the
sum of per-unit rows (a request two of its units hold would count twice). The tallies therefore
also keep, per day, the body's breakdown, histograms and register counts per *set of units
holding the request* (``MonevUnitSet``: "3", "3,7"; kind "scope" rows, ``scope`` in the other
two tables): a unit's run sums the sets that include one of its units (``unit_scope_params``),
so each request counts once, exactly as the live ``held_by_unit`` does, whatever the unit tree
(its per-unit figures and the "answer" series are kept per unit, as before). Which units hold a
request is read from its tasks when its day is re-summed; a routing change goes through the
funnel and dirties the day like any other change.

Freshness:

* Every change through the request funnel marks its receipt day dirty (``tally_mark_dirty``,
  same transaction). Bulk writers that bypass the funnel (seed-load) forget days with
  ``tallies_forget``; a calendar change forgets the days whose working-day durations count a
  changed day (``tallies_forget_crossing``: a lazy import of next year forgets none). Both also bump the version the
  public aggregate pages are cached under (``monev.public_cache``).
* Reads never write: the metric engine lists the period's days that are dirty or were never
  tallied (``untallied_days``, read once per run), reads the tally rows of the other days and
  aggregates live the settled requests of the listed days (``metrics.UNTALLIED``), so a page
  shows current numbers without refreshing anything.
* ``tallies_ensure(start, end)`` (the sweep, through ``signals.upkeep_due``; the CLI) re-sums
  the days of the period that were never tallied or are dirty. It first marks them clean and only then re-sums them, so a change committed meanwhile
  leaves its day dirty for the next refresh: never lost. On PostgreSQL the tally tables are
  locked for the refresh so two refreshers never insert the same rows.
* The sweep keeps this and last year fresh, so dashboards rarely aggregate settled requests live.

The tallies are built from the metric engine's statements (``metrics.main_aggregates``,
``unit_aggregates``, ``task_aggregates``, ``duration_pairs``), restricted to settled requests and
kept per day; the live path counts the same predicates over the same stored task facts
(``monev.task_facts``), its per-unit figures, task counts and "answer" series in one pass
(``metrics.unit_task_pass``). Tests assert that both paths give identical metrics.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union,
    update,
)

from ..extensions import db
from ..organisation.models import Unit
from ..requests.models import InformationRequest
from ..routing.models import RoutingTask
from ..rows import conflict_insert, dialect_insert
from ..workcalendar.selectors import body_today
from . import predicates as P
from . import statements as S
from .models import MonevTally, MonevTallyDay, MonevTallyDuration, MonevTallyRegister, MonevUnitSet
from .ordinals import ordinals_ensure
from .public_cache import figures_changed
from .register_quality import MANDATORY_COLUMNS, mask_counts, register_counts

REGISTER_KEYS = ("_rows", "_complete", *MANDATORY_COLUMNS)  # register_counts' columns, in order
TALLY_SUMS = ("total", "ot10", "legal", "extended", "valid_ext", "refused", "refusal_ok", "with_fee")


def _summed_aggregates() -> list:
    """The engine's AGGREGATES, in order, summed from tally rows (a settled request is counted
    for both on-time shares, has a notice, and is never overdue)."""
    from .metrics import AGGREGATES

    T = MonevTally  # noqa: N806
    total = func.sum(T.total)
    derived = {"ot10_den": total, "legal_den": total, "noticed": total, "overdue": literal(0)}
    return [derived[name] if name in derived else func.sum(getattr(T, name)) for name in AGGREGATES]


def _dirty(insert) -> Any:  # on the table: every change to a request runs it
    return insert(MonevTallyDay.__table__).values(day=bindparam("day"), dirty=True).on_conflict_do_update(
        index_elements=["day"], set_={"dirty": True})


def tally_mark_dirty(day: date, *, connection=None, session=None) -> None:
    """A request received on ``day`` changed: its tallies must be re-summed (flush only). From
    inside a flush, pass the flush's ``connection`` and ``session``."""
    session = session if session is not None else db.session()
    stmt = dialect_insert(_dirty, connection or session.get_bind())
    (connection if connection is not None else session).execute(stmt, {"day": day})
    figures_changed(session)  # and the cached public figures (monev.public_cache)


def tallies_forget(start: date | None = None, end: date | None = None) -> None:
    """Forget the tallies of [start, end] (all when not given); they are re-summed on next use."""
    stmt = delete(MonevTallyDay)
    if start is not None:
        stmt = stmt.where(MonevTallyDay.day >= start)
    if end is not None:
        stmt = stmt.where(MonevTallyDay.day <= end)
    db.session.execute(stmt, execution_options={"synchronize_session": False})
    figures_changed()


def tallies_forget_crossing(first: date, last: date) -> int:
    """The working calendar changed on days ``first``..``last``: forget the tallies of exactly the
    receipt days whose working-day durations may count one of them; return how many (flush only).

    A duration counts the working days in (from, to], from ≥ the receipt day; only the days from
    ``first`` to ``last`` changed, so a receipt day's tallies are affected only if it is not after
    ``last`` and it is itself in the span, or one of its requests has an event day (notice,
    delivery, first routing, a unit's answer) on or after ``first``. The other tallies hold the
    same numbers under the new calendar and are kept (issue 17: a lazy import of next year used to
    discard them all). The on-time shares read the stored due dates, which a calendar change
    recounts through the funnel: those requests' days are marked dirty there.
    """
    R, RT = InformationRequest, RoutingTask  # noqa: N806
    # A unit's answer is a timestamp: the UTC day before ``first`` covers every zone (a few extra
    # days forgotten at worst, never one too few).
    answered_from = datetime.combine(first - timedelta(days=1), time.min, tzinfo=UTC)
    affected = union(
        select(R.receipt_date).where(R.receipt_date <= last, or_(
            R.receipt_date >= first, R.notice_on >= first, R.delivered_on >= first, R.routed_on >= first)),
        select(R.receipt_date).join(RT, RT.request_id == R.id)
        .where(R.receipt_date <= last, RT.answered_at >= answered_from),
    )
    forgotten = db.session.execute(
        delete(MonevTallyDay).where(MonevTallyDay.day <= last, MonevTallyDay.day.in_(affected))
        .returning(MonevTallyDay.day), execution_options={"synchronize_session": False}).all()
    figures_changed()  # the figures read live (unsettled requests) may change too
    return len(forgotten)


def _stale_ranges(start: date, end: date) -> list[tuple[date, date]]:
    fresh = set(db.session.scalars(select(MonevTallyDay.day).where(
        MonevTallyDay.day >= start, MonevTallyDay.day <= end, MonevTallyDay.dirty.is_(False))))
    ranges: list[tuple[date, date]] = []
    day = start
    while day <= end:
        if day not in fresh:
            if ranges and ranges[-1][1] == day - timedelta(days=1):
                ranges[-1] = (ranges[-1][0], day)
            else:
                ranges.append((day, day))
        day += timedelta(days=1)
    return ranges


def tallies_ensure(start: date, end: date) -> int:
    """Re-sum every day of [start, end] that is untallied or dirty; return how many (flush only)."""
    ranges = _stale_ranges(start, end)
    if not ranges:
        return 0
    # Durations join working-day ordinals up to the latest event, which is at most today.
    ordinals_ensure(start, max(end, body_today()))
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("LOCK TABLE monev_tally, monev_tally_duration IN EXCLUSIVE MODE"))
        ranges = _stale_ranges(start, end)  # again: another process may have refreshed meanwhile
    refreshed = 0
    for first, last in ranges:
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        refreshed += len(days)
        # 1. clean marks first: a change committed after this statement re-dirties its day.
        upsert = conflict_insert()(MonevTallyDay)
        db.session.execute(upsert.on_conflict_do_update(index_elements=["day"], set_={"dirty": False}),
                           [{"day": day, "dirty": False} for day in days])
        # 2. then re-sum from the requests as they are now.
        for model in (MonevTally, MonevTallyDuration, MonevTallyRegister):
            db.session.execute(delete(model).where(model.day.between(first, last)),
                               execution_options={"synchronize_session": False})
        _insert_tallies(first, last)
    db.session.flush()
    return refreshed


def _insert_tallies(first: date, last: date) -> None:
    from . import metrics as M  # noqa: N812 (the live statements the tallies are made of)

    today = date.max  # settled requests' aggregates do not depend on today
    cohort = [*P.in_period(first, last), *M.settled_terms(True)]
    sums = list(TALLY_SUMS)
    zeros = {"answered": literal(0), "answered_on_time": literal(0)}

    main = M.main_aggregates([*P.in_period(first, last, withdrawn=True), *M.settled_terms(True)], today).subquery()
    columns = ["day", "kind", "unit_id", "status", "channel", "outcome", "pasal17_basis", *sums,
               "answered", "answered_on_time"]
    db.session.execute(insert(MonevTally).from_select(columns, select(
        main.c.receipt_date, literal("body"), literal(0), main.c.status, main.c.channel,
        func.coalesce(main.c.outcome, ""), func.coalesce(main.c.pasal17_basis, ""),
        *[main.c[name] for name in sums], *zeros.values())))

    units = M.unit_aggregates(cohort, today, None, by_day=True).subquery()
    db.session.execute(insert(MonevTally).from_select(columns, select(
        units.c.receipt_date, literal("unit"), units.c.unit_id, literal(""), literal(""), literal(""), literal(""),
        *[units.c[name] for name in sums], *zeros.values())))

    tasks = M.task_aggregates(cohort, None, by_day=True).subquery()
    task_cols = list(tasks.c)
    db.session.execute(insert(MonevTally).from_select(columns, select(
        task_cols[0], literal("task"), task_cols[1], literal(""), literal(""), literal(""), literal(""),
        task_cols[2], *[literal(0)] * (len(sums) - 1), task_cols[3], task_cols[4])))

    durations = M.duration_values(M.duration_pairs(first, last, None, True), by_day=True).subquery()
    db.session.execute(insert(MonevTallyDuration).from_select(
        ["day", "scope", "series", "value", "n"], select(durations.c.d, literal(0), *list(durations.c)[1:])))
    masks: dict[tuple, list[tuple[int, int]]] = {}
    for day, mask, n in db.session.execute(register_counts(first, last, None, True, by_day=True)):
        masks.setdefault((day, 0), []).append((mask, n))
    fees = M.fee_values(first, last, None, True, by_day=True).subquery()
    fee_cols = list(fees.c)
    db.session.execute(insert(MonevTallyDuration).from_select(
        ["day", "scope", "series", "value", "n"],
        select(fee_cols[0], literal(0), literal("fee"), fee_cols[1], fee_cols[2])))
    _insert_scope_tallies(first, last, masks)
    register_rows = [{"day": day, "scope": scope, "column": column, "n": int(n)}
                     for (day, scope), pairs in masks.items()
                     for column, n in zip(REGISTER_KEYS, mask_counts(pairs), strict=True) if n]
    if register_rows:
        db.session.execute(insert(MonevTallyRegister), register_rows)


def unit_set_ids(raw_keys) -> dict[str, int]:
    """{``metrics.holding_units`` text (any order, "7,3"): its ``MonevUnitSet`` id}, adding the
    sets not seen before (flush only)."""
    canonical = {raw: ",".join(str(u) for u in sorted({int(x) for x in raw.split(",")}))
                 for raw in raw_keys if raw}
    wanted = sorted(set(canonical.values()))
    if not wanted:
        return {}

    def known() -> dict[str, int]:
        return dict(db.session.execute(select(MonevUnitSet.units, MonevUnitSet.id)
                                       .where(MonevUnitSet.units.in_(wanted))).all())

    found = known()
    missing = [units for units in wanted if units not in found]
    if missing:
        db.session.execute(conflict_insert()(MonevUnitSet).on_conflict_do_nothing(index_elements=["units"]),
                           [{"units": units} for units in missing])
        found = known()
    return {raw: found[units] for raw, units in canonical.items()}


def _insert_scope_tallies(first: date, last: date, masks: dict) -> None:
    """The tallies of unit scopes: the settled requests of [first, last] per set of units holding
    them (``MonevUnitSet``), from the same statements grouped by ``metrics.holding_units`` too;
    the raw texts are sorted into sets here, and the groups of one set summed. Requests no unit
    holds belong to no unit scope. ``masks`` receives the register's (mask, rows) per (day, set)."""
    from . import metrics as M  # noqa: N812

    today = date.max
    main = db.session.execute(M.main_aggregates(
        [*P.in_period(first, last, withdrawn=True), *M.settled_terms(True)], today, by_units=True)).mappings().all()
    durations = db.session.execute(M.duration_values(
        M.duration_pairs(first, last, None, True, by_units=True), by_day=True, by_units=True)).all()
    fees = db.session.execute(M.fee_values(first, last, None, True, by_day=True, by_units=True)).all()
    register = db.session.execute(register_counts(first, last, None, True, by_day=True, by_units=True)).all()
    ids = unit_set_ids({row["units"] for row in main} | {row[0] for row in (*durations, *fees, *register)})

    sums: dict[tuple, list[int]] = {}
    for row in main:
        if not row["units"]:
            continue
        key = (row["receipt_date"], ids[row["units"]], row["status"], row["channel"], row["outcome"] or "",
               row["pasal17_basis"] or "")
        acc = sums.setdefault(key, [0] * len(TALLY_SUMS))
        for index, name in enumerate(TALLY_SUMS):
            acc[index] += int(row[name])
    if sums:
        db.session.execute(insert(MonevTally), [
            {"day": day, "kind": "scope", "unit_id": scope, "status": status, "channel": channel,
             "outcome": outcome, "pasal17_basis": letters, **dict(zip(TALLY_SUMS, values, strict=True)),
             "answered": 0, "answered_on_time": 0}
            for (day, scope, status, channel, outcome, letters), values in sums.items()])
    histogram: dict[tuple, int] = {}
    for raw, day, series, value, n in [*durations, *((raw, day, "fee", fee, n) for raw, day, fee, n in fees)]:
        if raw:
            key = (day, ids[raw], series, int(value))
            histogram[key] = histogram.get(key, 0) + int(n)
    if histogram:
        db.session.execute(insert(MonevTallyDuration), [
            {"day": day, "scope": scope, "series": series, "value": value, "n": n}
            for (day, scope, series, value), n in histogram.items()])
    for raw, day, mask, n in register:
        if raw:
            masks.setdefault((day, ids[raw]), []).append((mask, n))


def unit_scope_params(units: list[int]) -> dict:
    """The bound values of a unit run's tally reads: the sets holding one of ``units`` and the
    one-unit sets of ``units`` (whose "answer" histograms are those units' tasks)."""
    scope = set(units)
    sets, singles = [], []
    for set_id, members in db.session.execute(select(MonevUnitSet.id, MonevUnitSet.units)):
        ids = {int(x) for x in members.split(",")}
        if ids & scope:
            sets.append(set_id)
            if len(ids) == 1:
                singles.append(set_id)
    return {"unit_sets": sorted(sets), "unit_singles": sorted(singles)}


def _month(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def untallied_days(start: date, end: date) -> list[date]:
    """The days of [start, end] whose tallies may not be read: dirty, or never summed. A run reads
    the tallies of every other day and aggregates these days' settled requests live."""
    clean = set(db.session.scalars(_read_statements()["clean_days"], S.period_params(start, end)))
    return [start + timedelta(days=i) for i in range((end - start).days + 1)
            if start + timedelta(days=i) not in clean]


def _in(kind: str) -> list:
    return [MonevTally.day >= S.START, MonevTally.day <= S.END, MonevTally.kind == kind,
            MonevTally.day.notin_(S.UNTALLIED_DAYS)]


def _scoped(model) -> list:
    return [model.day >= S.START, model.day <= S.END, model.day.notin_(S.UNTALLIED_DAYS)]


def _read_statements() -> dict:
    """The tally reads, built once per process (``monev.statements``): bound to START and END."""
    def build() -> dict:
        T, D, G = MonevTally, MonevTallyDuration, MonevTallyRegister  # noqa: N806
        month = _month(T.day)
        in_unit_sets = [T.unit_id.in_(S.UNIT_SETS)]
        return {
            "main": select(month, T.status, T.channel, T.outcome, T.pasal17_basis, *_summed_aggregates())
            .where(*_in("body")).group_by(month, T.status, T.channel, T.outcome, T.pasal17_basis),
            "units": select(Unit.code, *_summed_aggregates()).join(Unit, Unit.id == T.unit_id)
            .where(*_in("unit")).group_by(Unit.code),
            "tasks": select(Unit.code, func.sum(T.total), func.sum(T.answered), func.sum(T.answered_on_time))
            .join(Unit, Unit.id == T.unit_id).where(*_in("task")).group_by(Unit.code),
            "histograms": select(D.series, D.value, func.sum(D.n))
            .where(*_scoped(D), D.scope == 0).group_by(D.series, D.value),
            "register": select(G.column, func.sum(G.n)).where(*_scoped(G), G.scope == 0).group_by(G.column),
            # One unit (and the units under it): the sets holding one of them, each request once;
            # its units' own rows; the "answer" series of its units' tasks.
            "scoped main": select(month, T.status, T.channel, T.outcome, T.pasal17_basis, *_summed_aggregates())
            .where(*_in("scope"), *in_unit_sets).group_by(month, T.status, T.channel, T.outcome, T.pasal17_basis),
            "scoped units": select(Unit.code, *_summed_aggregates()).join(Unit, Unit.id == T.unit_id)
            .where(*_in("unit"), T.unit_id.in_(S.UNITS)).group_by(Unit.code),
            "scoped tasks": select(Unit.code, func.sum(T.total), func.sum(T.answered), func.sum(T.answered_on_time))
            .join(Unit, Unit.id == T.unit_id).where(*_in("task"), T.unit_id.in_(S.UNITS)).group_by(Unit.code),
            "scoped histograms": select(D.series, D.value, func.sum(D.n))
            .where(*_scoped(D), or_(and_(D.series != "answer", D.scope.in_(S.UNIT_SETS)),
                                    and_(D.series == "answer", D.scope.in_(S.UNIT_SINGLES))))
            .group_by(D.series, D.value),
            "scoped register": select(G.column, func.sum(G.n)).where(*_scoped(G), G.scope.in_(S.UNIT_SETS))
            .group_by(G.column),
            "clean_days": select(MonevTallyDay.day).where(MonevTallyDay.day >= S.START, MonevTallyDay.day <= S.END,
                                                          MonevTallyDay.dirty.is_(False)),
        }

    return S.built_once("tallies", (), build)


def _statement(name: str, params: dict):
    """The read ``name``, or its unit variant when ``params`` hold a unit scope."""
    return _read_statements()[f"scoped {name}" if "units" in params else name]


def tally_main_rows(params: dict):
    """(month, status, channel, outcome, letters, *AGGREGATES) for the settled requests of the
    period (``params``: the period and its ``untallied_days``, which are left out; with a unit
    scope, its ``units`` and ``unit_scope_params``)."""
    for month_key, status, channel, outcome, letters, *values in db.session.execute(
            _statement("main", params), params):
        yield month_key, status, channel, outcome or None, letters or None, *(int(v) for v in values)


def tally_unit_rows(params: dict) -> dict[str, list[int]]:
    """{unit code: AGGREGATES} for the settled requests of the period."""
    return {code: [int(v) for v in values] for code, *values in db.session.execute(
        _statement("units", params), params)}


def tally_task_rows(params: dict) -> dict[str, list[int]]:
    """{unit code: [tasks, answered, answered on time]} for tasks of the period's settled requests."""
    return {code: [int(a), int(b), int(c)] for code, a, b, c in db.session.execute(
        _statement("tasks", params), params)}


def tally_histograms(params: dict) -> dict[str, dict[int, int]]:
    histograms: dict[str, dict[int, int]] = {}
    for series, value, n in db.session.execute(_statement("histograms", params), params):
        histograms.setdefault(series, {})[int(value)] = int(n)
    return histograms


def tally_register_counts(params: dict) -> list[int]:
    """(rows, complete, *missing per mandatory column) of the period's settled register rows."""
    sums = dict(db.session.execute(_statement("register", params), params).all())
    return [int(sums.get(key, 0)) for key in REGISTER_KEYS]


def tallies_mark_all_dirty() -> None:
    """Every tallied day becomes dirty (e.g. after a bulk repair of cached columns)."""
    db.session.execute(update(MonevTallyDay).values(dirty=True), execution_options={"synchronize_session": False})
    figures_changed()

