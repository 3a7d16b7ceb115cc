"""The baselines of `make bench` (bench/run.py): a bare Flask app on the same SQLite settings.

Served by gunicorn beside PPID Desk in the same run, with the same worker count, so the ratios
in the table say what the project costs over Flask, Jinja and SQLite themselves:

- ``GET /select``: one SQLite ``SELECT`` (a row by primary key) and a small Jinja page;
- ``POST /insert``: the same multipart form the filing bench sends (parsed by Werkzeug), one
  ``INSERT`` and a commit.

The database is WAL with ``synchronous=NORMAL`` and a 30 s busy timeout, like the app's
(``ppid_desk/web/setup.py``); one connection per worker process. ``BARE_DATABASE`` names the file.

    gunicorn --workers 2 --bind 127.0.0.1:8001 'bench.bare_app:create_app()'
"""

from __future__ import annotations

import os
import sqlite3

from flask import Flask, redirect, render_template, request
from jinja2 import DictLoader

PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<ul>{% for n in range(10) %}<li>{{ row.name }} {{ n }}</li>{% endfor %}</ul>
<p>{{ row.id }}</p></main></body></html>
"""


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)  # explicit BEGIN/COMMIT below
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def prepare(path: str) -> None:
    """Create the two tables and one row to read."""
    conn = _connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    conn.execute("CREATE TABLE IF NOT EXISTS filing (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "email TEXT NOT NULL, rincian TEXT NOT NULL, upload_size INTEGER NOT NULL)")
    conn.execute("INSERT OR IGNORE INTO item (id, name) VALUES (1, 'Dokumen anggaran')")
    conn.close()


def create_app() -> Flask:
    app = Flask(__name__)
    app.jinja_loader = DictLoader({"page.html": PAGE})  # compiled once, as a template file is
    path = os.environ["BARE_DATABASE"]
    app.config["MAX_CONTENT_LENGTH"] = 12 * 1024 * 1024

    def conn() -> sqlite3.Connection:
        if "db" not in app.extensions:
            app.extensions["db"] = _connect(path)
        return app.extensions["db"]

    @app.get("/select")
    def select():
        row = conn().execute("SELECT id, name FROM item WHERE id = ?", (1,)).fetchone()
        return render_template("page.html", title="Baseline", row=row)

    @app.post("/insert")
    def insert():
        upload = request.files.get("identity_document")
        size = len(upload.read()) if upload else 0
        db = conn()
        db.execute("BEGIN")
        db.execute("INSERT INTO filing (name, email, rincian, upload_size) VALUES (?, ?, ?, ?)",
                   (request.form.get("name", ""), request.form.get("email", ""),
                    request.form.get("rincian", ""), size))
        db.execute("COMMIT")
        return redirect("/select", code=303)

    return app
