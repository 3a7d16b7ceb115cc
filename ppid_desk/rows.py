"""One row inserted now, without the unit of work (issue 17: the filing's cost).

``row_insert(Model, **values)`` writes one row with a Core INSERT built once per model and returns
it as a persistent instance of ``Model`` (its id set, every column loaded), as if the session had
flushed it and read it back, at a fraction of the cost of ``session.add()`` and a flush. It suits
rows a write adds whole: the filing's applicant and request, its staged upload, events, subject
keys, outbox messages. A later change to the instance is written by the next flush as usual.

What it does not do, unlike a flush: it does not write the session's other pending changes first
(a caller that needs them in the database before this row flushes), it fires no mapper events (a
model with ``before_insert`` or ``after_insert`` listeners is refused; this module's
``before_insert``/``after_insert`` are the hooks it runs), it runs no ``@validates`` (the models
have none) and it sets a relationship only when given as ``loaded`` (as a query loads it). A column left out gets its Python default, as a flush would give it; one with only a
server default is read back on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import event, insert, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, configure_mappers, make_transient, make_transient_to_detached

from .extensions import db

Model = TypeVar("Model")


@dataclass(frozen=True)
class _Plan:
    statement: Any
    attributes: dict[str, str]  # column key → the mapped attribute's name
    defaults: tuple[tuple[str, Any], ...]  # (column key, its ColumnDefault) for the columns with one
    unset: tuple[str, ...]  # columns without a default, None unless given (no server default either)
    primary_key: tuple[str, ...]


_PLANS: dict[type, _Plan] = {}
_BEFORE: dict[type, list[Callable[[Any], None]]] = {}
_AFTER: dict[type, list[Callable[[Any], None]]] = {}


def before_insert(model: type) -> Callable:
    """Register ``hook(instance)``: run by ``row_insert`` before the INSERT, with the instance
    holding its values and ``loaded`` relationships; what it sets is inserted with them."""
    def register(hook: Callable[[Any], None]) -> Callable[[Any], None]:
        _BEFORE.setdefault(model, []).append(hook)
        return hook
    return register


def after_insert(model: type) -> Callable:
    """Register ``hook(instance)``: run by ``row_insert`` once the row is in the database and the
    instance in the session (it may write more, by statements of its own)."""
    def register(hook: Callable[[Any], None]) -> Callable[[Any], None]:
        _AFTER.setdefault(model, []).append(hook)
        return hook
    return register


def _plan(model: type) -> _Plan:
    plan = _PLANS.get(model)
    if plan is None:
        # A query or a flush configures the mappers first; an instance made here without either
        # would have no attribute implementations yet (a fresh worker's first request can be a
        # filing whose form page came from the page cache: no ORM use before this).
        configure_mappers()
        mapper = inspect(model)
        if mapper.dispatch.before_insert or mapper.dispatch.after_insert:
            # A flush would run them; this would not. Such a model is added and flushed instead.
            raise TypeError(f"{model.__name__} has insert listeners: add it to the session and flush")
        table = model.__table__
        columns = [c for c in table.columns if not c.primary_key]
        plan = _PLANS[model] = _Plan(
            statement=insert(table),
            attributes={c.key: mapper.get_property_by_column(c).key for c in table.columns},
            defaults=tuple((c.key, c.default) for c in columns if c.default is not None),
            unset=tuple(c.key for c in columns if c.default is None and c.server_default is None),
            primary_key=tuple(c.key for c in table.primary_key.columns),
        )
    return plan


def conflict_insert(bind=None) -> Callable:
    """The database's own ``insert`` (SQLite's or PostgreSQL's), which has ``on_conflict_do_update``
    and ``on_conflict_do_nothing``. ``bind``: a connection inside a flush."""
    return postgresql.insert if (bind or db.session.get_bind()).dialect.name == "postgresql" else sqlite.insert


_UPSERTS: dict[tuple[Callable, str], Any] = {}


def dialect_insert(build: Callable[[Callable], Any], bind=None) -> Any:
    """``build(insert)``, built once per database dialect: ``insert`` is that dialect's INSERT
    (``on_conflict_do_update`` / ``do_nothing``), for the upserts a write runs every time (the
    registration counter, the tally day marked dirty, the figures version). ``build`` is a
    module-level function: it is the key. ``bind``: a connection inside a flush."""
    dialect = (bind or db.session.get_bind()).dialect.name
    statement = _UPSERTS.get((build, dialect))
    if statement is None:
        statement = _UPSERTS[(build, dialect)] = build(conflict_insert(bind))
    return statement


def row_insert(model: type[Model], *, loaded: dict[str, Any] | None = None, **values: Any) -> Model:
    """Insert one row of ``model`` now and return it, persistent in the session (see the module).
    ``values`` are by column key; ``loaded``: relationships by name, set as a query loads them
    (no read, no write)."""
    plan = _plan(model)
    row = dict(values)
    for key, default in plan.defaults:
        if key not in row:
            # SQLAlchemy wraps a callable default to take an execution context.
            row[key] = default.arg if default.is_scalar else default.arg(None)
    for key in plan.unset:
        row.setdefault(key, None)
    # The instance as a query would load it: values in its __dict__, no attribute history.
    instance = inspect(model).class_manager.new_instance()
    attributes = plan.attributes
    instance.__dict__.update({attributes[key]: value for key, value in row.items()})
    instance.__dict__.update(loaded or {})
    hooks = _BEFORE.get(model)
    if hooks:
        for hook in hooks:
            hook(instance)
        row = {key: instance.__dict__[attributes[key]] for key in row}
    result = db.session.execute(plan.statement, row)
    instance.__dict__.update({attributes[key]: value
                              for key, value in zip(plan.primary_key, result.inserted_primary_key, strict=True)})
    make_transient_to_detached(instance)
    session = db.session()
    session.add(instance)
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_INSERTED, []).append((transaction, instance))
    for hook in _AFTER.get(model, ()):
        hook(instance)
    return instance


# What a rollback does to the rows a flush inserted, done here for these: when their transaction
# (or a savepoint around them) rolls back, they leave the session and become transient again with
# their values as they were, so a rolled-back row is neither read back nor mistaken for the next
# row given the same id, and a form can still show the upload it had accepted.
_INSERTED = "rows_inserted"
_VALUES = "rows_inserted_values"


@event.listens_for(Session, "after_rollback")
def _values_before_expiry(session: Session) -> None:
    """Runs before the rollback expires what the session holds: keep what these rows held."""
    inserted = session.info.get(_INSERTED)
    if inserted:
        session.info[_VALUES] = {id(instance): {k: v for k, v in instance.__dict__.items() if not k.startswith("_sa_")}
                                 for _transaction, instance in inserted}


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction) -> None:
    inserted = session.info.get(_INSERTED)
    values = session.info.pop(_VALUES, {})
    if not inserted:
        return
    kept = []
    for transaction, instance in inserted:
        undone = transaction
        while undone is not None and undone is not previous_transaction:
            undone = undone.parent
        if undone is None:
            kept.append((transaction, instance))
        elif instance in session:
            session.expunge(instance)
            make_transient(instance)
            instance.__dict__.update(values.get(id(instance), {}))
    session.info[_INSERTED] = kept


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(_INSERTED, None)


# What a transaction knows of rows it wrote itself, so that it need not read them back: the head
# of an event chain it appended to, the key it made for an applicant, that a row it inserted has
# no events or key yet. Dropped when any transaction or savepoint ends, committed or rolled back
# (never at a flush's inner transaction): another transaction may write the same chain or key
# once this one is over, and what a rolled-back savepoint wrote is gone.
_MEMOS = "rows_transaction_memos"


def transaction_memo(name: str) -> dict:
    """The dict called ``name`` kept for the session's current transaction (see above)."""
    memos = db.session.info.get(_MEMOS)
    if memos is None:
        memos = db.session.info[_MEMOS] = {}
    memo = memos.get(name)
    if memo is None:
        memo = memos[name] = {}
    return memo


@event.listens_for(Session, "after_transaction_end")
def _forget_memos(session: Session, transaction) -> None:
    if transaction.parent is None or transaction.nested:  # not the inner transaction of a flush
        session.info.pop(_MEMOS, None)
