"""Drill-downs the desk queue filters by (``?monev=…``), registered by the layers above the desk.

The queue lists "the requests behind a number" without knowing where the number comes from:
``monev`` registers its buckets here at start-up (``monev.listeners.connect``), so the desk never
imports ``monev`` (which reads the desk's modules).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.sql.elements import ColumnElement


@dataclass(frozen=True)
class Drilldown:
    """A named set of requests: its label, and its WHERE terms over a period (start, end, today)."""

    label: object  # lazy string
    terms: Callable[[date, date, date], list[ColumnElement[bool]]]


_DRILLDOWNS: dict[str, Drilldown] = {}


def drilldowns_register(entries: Mapping[str, Drilldown]) -> None:
    _DRILLDOWNS.update(entries)


def drilldown(name: str) -> Drilldown | None:
    return _DRILLDOWNS.get(name)
