"""Flask extensions, created unbound; ``create_app`` binds them (no app import here)."""

import click
import flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Stable constraint names so Alembic migrations behave the same on SQLite and PostgreSQL.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class SharedLimiter(Limiter):
    """Flask-Limiter that warns at start-up when its counters are not shared between workers.

    With ``memory://`` each gunicorn worker keeps its own counts (N workers let a client through
    N times the limit) and a restart forgets them; production points ``RATELIMIT_STORAGE_URI``
    at the Redis every worker shares. Development and tests run in one process: no warning.
    Login lock-outs do not depend on this storage (they live in the database). CLI commands
    (sweep, outbox sender, …) serve no requests: no warning in their logs.
    """

    def init_app(self, app: flask.Flask) -> None:
        super().init_app(app)
        uri = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
        command = click.get_current_context(silent=True)
        serving = command is None or command.info_name == "run"
        if self.enabled and serving and uri.startswith("memory://") and not (app.debug or app.testing):
            app.logger.warning(
                "Rate limits are per process: RATELIMIT_STORAGE_URI is memory://, so each worker "
                "counts on its own and a restart forgets the counts. Set PPID_RATELIMIT_STORAGE_URI="
                "redis://… (shared by all workers) in production; see docs/operations.md.")


limiter = SharedLimiter(key_func=get_remote_address)
