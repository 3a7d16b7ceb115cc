"""Binds extensions, blueprints, the CLI and web glue to an app."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from ..extensions import babel, csrf, db, limiter, login_manager, migrate
from .forms import MAX_ID
from .language import select_locale


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """Make SQLite wait for a writer instead of failing, enforce foreign keys, and use WAL with
    ``synchronous=NORMAL``.

    Write-ahead logging lets the officers' pages read while a submission writes (gunicorn runs
    several worker processes on one database file); it is a no-op for ``:memory:`` databases.
    ``synchronous=NORMAL`` is SQLite's recommended setting in WAL mode: a commit no longer waits
    for the disk (fsync happens at checkpoints), which made it most of a filing's time. What it
    risks: after a power loss or an operating-system crash (not a crash of the app), the last
    transactions committed before it may be rolled back; the database is never corrupted.
    (docs/operations.md, "SQLite durability").
    """
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` for every route: 1 to MAX_ID (999,999,999) in ASCII digits, no leading zero.

    Ids are PostgreSQL ``integer`` (int4) columns: a larger number handed to the database raises
    ("integer out of range") where SQLite just finds nothing, and "²" passes ``\\d`` but not
    ``int()``. Anything else does not match the route, so the visitor gets a 404, not a 500. The
    limit is in the pattern itself: a number that matched the pattern and then failed a ``max``
    check would answer 405 on paths that another method's rule shares."""

    regex = rf"[1-9][0-9]{{0,{len(str(MAX_ID)) - 1}}}"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def domains() -> tuple:
    """Every domain, each registering its own blueprint, navigation, panels and template globals
    from its ``init_app(app)``. Objections, monev and survey come before desk and requests while
    their pages still hang on those two blueprints (a blueprint takes no new route once registered)."""
    from .. import (
        accounts,
        consultations,
        desk,
        dip,
        evaluation,
        exemptions,
        monev,
        notices,
        objections,
        organisation,
        requests,
        routing,
        survey,
        workcalendar,
    )
    from . import pages

    return (pages, accounts, organisation, workcalendar, objections, monev, survey, requests, desk, routing,
            notices, exemptions, dip, consultations, evaluation)


def init_app(app: Flask) -> None:
    from ..migrations_path import MIGRATIONS_DIR

    # Before any blueprint adds a rule: every <int:…> segment is range-checked.
    app.url_map.converters["int"] = BoundedIntegerConverter

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    limiter.init_app(app)

    from .. import cli
    from . import assets, errors, formatting, htmx, render_cache, security

    assets.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    htmx.init_app(app)
    render_cache.init_app(app)
    formatting.init_app(app)
    for domain in domains():
        domain.init_app(app)
    app.register_blueprint(cli.bp)

    # Import every model module so that Alembic and relationships see the full schema.
    from .. import models  # noqa: F401
    from ..operations import (
        data_version,  # noqa: F401  (the listeners that replace its token)
        sqlite_writers,  # noqa: F401  (SQLite's writers wait in line)
    )
