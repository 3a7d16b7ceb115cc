"""Binds extensions, blueprints, the CLI and web glue to an app."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from ..extensions import babel, csrf, db, limiter, login_manager, migrate
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


def init_app(app: Flask) -> None:
    from ..migrations_path import MIGRATIONS_DIR

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    limiter.init_app(app)

    from .. import cli
    from ..accounts import officer_views
    from ..accounts import views as account_views

    # Modules that add their pages to the desk and public blueprints (import before registering).
    from ..desk import intake, queue  # noqa: F401
    from ..desk import views as desk_views
    from ..desk.nav import desk_nav
    from ..monev import annual, dashboard, importer, public, registers  # noqa: F401
    from ..notices import views as notice_views  # noqa: F401
    from ..objections import atasan_views, dispute_views, filing_views  # noqa: F401
    from ..requests import views as request_views
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
    app.register_blueprint(officer_views.bp)
    app.register_blueprint(request_views.bp)
    app.register_blueprint(desk_views.bp)
    app.register_blueprint(cli.bp)
    app.jinja_env.globals["desk_nav"] = desk_nav

    # Import every model module so that Alembic and relationships see the full schema.
    from .. import models  # noqa: F401
