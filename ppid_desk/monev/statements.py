"""The monev statements, built once per process and run with bound parameters.

Building a SQLAlchemy construct the size of the metric set's (a dozen aggregates of CASE
expressions, correlated EXISTS, unions) costs far more Python than its SQL costs the database on a
body of ordinary size (issue 17: about 25 of 30 ms on the demo data). So every statement the
metric engine and the tally reader run is built once, with the values that change between calls
as bound parameters (``START``, ``END``, ``TODAY`` and, for one unit and the units under it, the
expanding ``UNITS``), and kept here under what shapes its SQL: the dialect, the body's time zone
(``metrics.local_day``) and the caller's variant (whole body or one unit, which requests).

A kept statement also keeps its cache key (SQLAlchemy memoises it on the construct), so a run
neither builds nor traverses an expression tree: it looks the compiled SQL up and binds values.

The parameters have no values of their own: a call that forgot one fails ("a value is required
for bind parameter"), it never runs with the previous call's value.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Date, bindparam

from ..extensions import db

START = bindparam("start", type_=Date)
END = bindparam("end", type_=Date)
TODAY = bindparam("today", type_=Date)
UNITS = bindparam("units", expanding=True)  # a unit's id and those of the units under it
# The receipt days of the period whose tallies may not be read (dirty or never summed): their
# settled requests are aggregated live (``metrics.UNTALLIED``). One list for the whole run, so the
# live statements and the tally reads split the period the same way.
UNTALLIED_DAYS = bindparam("untallied_days", expanding=True, type_=Date)
# A unit run's tally reads: the unit sets that include one of its units, and its units' one-unit sets.
UNIT_SETS = bindparam("unit_sets", expanding=True)
UNIT_SINGLES = bindparam("unit_singles", expanding=True)

_built: dict[tuple, Any] = {}
_lock = threading.Lock()
builds = 0  # statements built in this process (tests check a second run builds none)


def shape_key() -> tuple:
    """What the SQL of a monev statement depends on besides its variant: the dialect and (for
    the body-local day of a timestamp) the body's time zone and, on SQLite, its UTC offset."""
    from .metrics import local_day_key

    return (db.session.get_bind().dialect.name, *local_day_key())


def built_once(name: str, variant: tuple, build: Callable[[], Any]) -> Any:
    """The statement ``name`` of ``variant``, built by ``build()`` the first time it is asked for."""
    global builds
    key = (name, variant, shape_key())
    found = _built.get(key)
    if found is None:
        found = build()
        with _lock:
            found = _built.setdefault(key, found)
            builds += 1
    return found


def statements_clear() -> None:
    """Forget every built statement (tests)."""
    with _lock:
        _built.clear()


def period_params(start, end, today=None, units=None, untallied_days=None) -> dict:
    """The bound values of a call: the period, today (when the statements compare with it), the
    unit scope (a sorted list of ids) when the statements are a unit's, and the days the tallies
    do not hold when the run reads them."""
    params: dict = {"start": start, "end": end}
    if untallied_days is not None:
        params["untallied_days"] = list(untallied_days)
    if today is not None:
        params["today"] = today
    if units is not None:
        params["units"] = sorted(units) if not isinstance(units, int) else [units]
    return params
