"""The app factory, configuration layers, health check, security headers, event chain."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from ppid_desk import create_app
from ppid_desk.audit.models import Event
from ppid_desk.audit.selectors import events_for
from ppid_desk.audit.services import chain_is_intact
from ppid_desk.config import from_environment, normalise_database_url
from ppid_desk.extensions import db
from ppid_desk.requests.models import InformationRequest
from tests.helpers import request_form

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["schema_revision"]


def test_healthz_reports_a_broken_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PPID_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/none/x.db"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "unavailable"


def test_configuration_layers(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text('BODY_NAME = "Kabupaten Uji"\nNOTICE_WD = 12\n')
    monkeypatch.setenv("PPID_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PPID_NOTICE_WD", "11")
    monkeypatch.setenv("PPID_SECRET_KEY", secrets.token_urlsafe(48))  # not debug/testing: a real secret
    monkeypatch.setenv("PPID_CUTI_BERSAMA_NON_WORKING", "false")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/ppid")
    app = create_app()
    assert app.instance_path == str(tmp_path)
    assert app.config["BODY_NAME"] == "Kabupaten Uji"  # instance/config.py
    assert app.config["NOTICE_WD"] == 11  # environment beats the instance file
    assert app.config["CUTI_BERSAMA_NON_WORKING"] is False
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/ppid"
    assert create_app({"NOTICE_WD": 9}).config["NOTICE_WD"] == 9  # test_config wins


def test_environment_coercion():
    overrides = from_environment({"LANGUAGES": []}, {"PPID_LANGUAGES": '["id"]', "PPID_MAIL_PORT": "2525",
                                                     "PPID_RECEIPT_CUTOFF": "16:00", "HOME": "/x"})
    assert overrides == {"LANGUAGES": ["id"], "MAIL_PORT": 2525, "RECEIPT_CUTOFF": "16:00"}
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_factory_does_not_create_tables(tmp_path, monkeypatch):
    monkeypatch.setenv("PPID_INSTANCE_PATH", str(tmp_path))
    create_app({"TESTING": True})
    assert not (tmp_path / "ppid_desk.sqlite3").exists() or (tmp_path / "ppid_desk.sqlite3").stat().st_size == 0
    assert "create_all" not in (ROOT / "ppid_desk" / "__init__.py").read_text()


def test_sla_package_imports_no_flask():
    code = ("import sys, ppid_desk.sla; "
            "bad = [m for m in sys.modules if m.split('.')[0] in {'flask', 'sqlalchemy', 'flask_sqlalchemy'}]; "
            "print(bad)")
    # Import the sla package alone, without ppid_desk/__init__ pulling Flask in.
    out = subprocess.run([sys.executable, "-c", "import importlib.util, sys, types;"
                          "pkg = types.ModuleType('ppid_desk'); pkg.__path__ = ['ppid_desk']; sys.modules['ppid_desk'] = pkg;"
                          + code.replace("import sys, ppid_desk.sla; ", "import ppid_desk.sla; ")],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_security_headers_and_csp_without_unsafe_inline(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    html = response.get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_csrf_is_enforced_on_post(client, app):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/permohonan/baru", data=request_form(), content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.scalar(select(InformationRequest)) is None


def test_event_chain_detects_tampering(client):
    client.post("/permohonan/baru", data=request_form(), content_type="multipart/form-data")
    item = db.session.scalar(select(InformationRequest))
    from ppid_desk.audit.services import event_log

    event_log(actor=None, subject_type="request", subject_id=item.id, kind="note", data={"x": 1})
    db.session.commit()
    events = events_for("request", item.id)
    assert [e.kind for e in events] == ["registered", "email_queued", "note"]
    assert events[1].prev_hash == events[0].hash and chain_is_intact(events)
    db.session.execute(db.update(Event).where(Event.id == events[0].id).values(data={"number": "forged"}))
    db.session.commit()
    db.session.expire_all()
    assert not chain_is_intact(events_for("request", item.id))


def test_unknown_page_and_method(client):
    assert client.get("/tidak-ada").status_code == 404
    assert client.delete("/permohonan/baru").status_code == 405


def test_language_switch_offered_only_with_a_catalogue(client, app, monkeypatch):
    # The settings change while the app runs, which no deployment does: no kept page (render_cache).
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 0)
    assert "English" in client.get("/").get_data(as_text=True)  # English is offered by default
    monkeypatch.setitem(app.config, "LANGUAGES", ["id"])
    assert "English" not in client.get("/").get_data(as_text=True)
    monkeypatch.setitem(app.config, "LANGUAGES", ["id", "en"])
    response = client.get("/bahasa/en?next=/lacak")
    assert response.status_code == 303 and response.headers["Location"] == "/lacak"
    assert client.get("/bahasa/en?next=//evil.example").headers["Location"] == "/"
    with client.session_transaction() as session:
        assert session["lang"] == "en"


def test_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from ppid_desk.dip.search import not_in_models

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": not_in_models})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
