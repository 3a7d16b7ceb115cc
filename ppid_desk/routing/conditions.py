"""SQL conditions on a request's routing: which unit holds it (shared by the queues and monev)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import exists
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from ..requests.models import InformationRequest
from .models import RoutingTask, TaskStatus


def unit_is(column, units: int | Collection[int]) -> ColumnElement[bool]:
    """``column`` is the unit, or one of the units (a subtree); ``units`` may be an expanding
    bound parameter (a statement built once and run for any unit: ``monev.statements``)."""
    if isinstance(units, BindParameter):
        return column.in_(units)
    if isinstance(units, int):
        return column == units
    ids = sorted(units)
    return column == ids[0] if len(ids) == 1 else column.in_(ids)


def held_by_unit(unit_id: int | Collection[int]) -> ColumnElement[bool]:
    """The request has a (non-cancelled) routing task to the unit (or to one of the units)."""
    task = aliased(RoutingTask)  # an alias: never correlated with a routing_task of the outer query
    return exists().where(task.request_id == InformationRequest.id, unit_is(task.unit_id, unit_id),
                          task.status != TaskStatus.CANCELLED.value)
