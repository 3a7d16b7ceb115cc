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
    """Make SQLite wait for a writer instead of failing, enforce foreign keys, and use WAL.

    Write-ahead logging lets the officers' pages read while a submission writes (gunicorn runs
    several worker processes on one database file); it is a no-op for ``:memory:`` databases.
    """
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
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
    from ..accounts import officer_views
    from ..accounts import settings_views as account_settings_views
    from ..accounts import views as account_views

    # Modules that add their pages to the desk and public blueprints (import before registering).
    from ..desk import intake, queue  # noqa: F401
    from ..desk import views as desk_views
    from ..desk.nav import desk_nav
    from ..monev import annual, dashboard, importer, public, registers  # noqa: F401
    from ..notices import views as notice_views  # noqa: F401
    from ..objections import atasan_views, dispute_views, filing_views  # noqa: F401
    from ..organisation import (
        profile_views,  # noqa: F401
        unit_views,
    )
    from ..requests import views as request_views
    from ..requests import withdrawal_views  # noqa: F401
    from ..routing import views as routing_views  # noqa: F401
    from ..web import pages
    from ..workcalendar import views as calendar_views  # noqa: F401
    from . import errors, formatting, htmx, security

    security.init_app(app)
    errors.init_app(app)
    htmx.init_app(app)
    formatting.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(account_settings_views.bp)
    app.register_blueprint(officer_views.bp)
    app.register_blueprint(request_views.bp)
    app.register_blueprint(desk_views.bp)
    app.register_blueprint(unit_views.bp)
    app.register_blueprint(cli.bp)
    app.jinja_env.globals["desk_nav"] = desk_nav

    # monev listens to the lower layers' signals (ppid_desk.signals) and feeds the desk's drill-downs.
    from ..monev.listeners import connect as monev_connect

    monev_connect()
    from ..workcalendar.errors import init_app as calendar_errors_init

    calendar_errors_init(app)

    # Import every model module so that Alembic and relationships see the full schema.
    from .. import models  # noqa: F401
