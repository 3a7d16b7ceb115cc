"""PPID Desk: the public information request desk of one Indonesian public body."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory: configuration, extensions, blueprints, CLI."""
    instance_path = os.environ.get("PPID_INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from . import config

    app.config.from_mapping(config.DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config.from_environment(app.config))
    if test_config:
        app.config.update(test_config)
    # No production start with a public or weak session secret (before anything is created).
    config.secret_key_init(app)
    # The instance folder holds secrets, the SQLite database and the uploads: owner only.
    _private_folder(app.instance_path)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
            app.instance_path, "ppid_desk.sqlite3"
        )
    _private_sqlite_file(app)
    app.config.setdefault("UPLOAD_FOLDER", os.path.join(app.instance_path, "uploads"))
    _private_folder(app.config["UPLOAD_FOLDER"])
    from .attachments.storage import storage_config_check

    storage_config_check(app.config)  # S3 without a bucket: refuse to start, not at the first upload
    # Settings resolved from the complete configuration: Secure cookies in production, and the
    # data key (the app refuses to start without one outside development).
    config.apply_cookie_policy(app)
    from .privacy import data_key_init

    data_key_init(app)

    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_prefix=hops)

    from .web import setup

    setup.init_app(app)
    return app


def _private_folder(path: str) -> None:
    """Create ``path`` (mode 0700) when it is missing; an existing folder keeps its mode."""
    os.makedirs(path, mode=0o700, exist_ok=True)


def _private_sqlite_file(app: Flask) -> None:
    """Create a missing SQLite database file empty and 0600 before SQLite does (0644 under the
    usual umask); SQLite gives its -wal and -shm files the database file's mode."""
    from sqlalchemy.engine import make_url

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    name = url.database or ""
    if url.get_backend_name() != "sqlite" or name in ("", ":memory:") or name.startswith("file:"):
        return
    path = name if os.path.isabs(name) else os.path.join(app.instance_path, name)
    if os.path.isdir(os.path.dirname(path)):
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
