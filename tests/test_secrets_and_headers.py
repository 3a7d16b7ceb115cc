"""What an attacker found on a production-like server (issue "Close what an attacker found",
items 1 and 11): no start with a public session secret, headers (HSTS, no-store on personal
pages, no Server banner), private instance files, and names without text-direction controls."""

from __future__ import annotations

import os
import re
import secrets
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select, text

from ppid_desk import create_app
from ppid_desk.config import DEFAULTS, MIN_SECRET_BYTES, SECRET_FILE, SecretKeyError
from ppid_desk.extensions import db
from ppid_desk.privacy import KEY_FILE, DataKeyError, data_key_init
from tests.helpers import free_port, request_form, stop_server, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
REAL_SECRET = secrets.token_urlsafe(48)
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200e", "\u200f", "\u061c"]
BIDI_MESSAGE = "karakter tersembunyi pengatur arah teks"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def fresh_app(instance: Path, monkeypatch, **config):
    """An app on its own instance folder and SQLite database, configured as in production."""
    monkeypatch.setenv("PPID_INSTANCE_PATH", str(instance))
    for name in ("PPID_SECRET_KEY", "PPID_DATA_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return create_app({"TESTING": False, "DEBUG": False, "SQLALCHEMY_DATABASE_URI": None, **config})


# --- item 1: no production start with a development secret ---------------------------------------

@pytest.mark.parametrize("secret", [DEFAULTS["SECRET_KEY"], "", "x" * (MIN_SECRET_BYTES - 1),
                                    "change-me: python -c 'import secrets; print(secrets.token_urlsafe(48))'"],
                         ids=["default", "empty", "short", "old-example"])
def test_production_refuses_to_start_with_a_public_or_weak_secret(tmp_path, monkeypatch, secret):
    instance = tmp_path / "instance"
    with pytest.raises(SecretKeyError) as error:
        fresh_app(instance, monkeypatch, SECRET_KEY=secret)
    message = str(error.value)
    assert "PPID_SECRET_KEY" in message and "secrets.token_urlsafe" in message and "instance/config.py" in message
    # Refused before anything was made: no data key, no database file.
    assert not (instance / KEY_FILE).exists() and not (instance / "ppid_desk.sqlite3").exists()


def test_production_starts_with_a_real_secret_and_development_with_any(tmp_path, monkeypatch):
    key = "k" * MIN_SECRET_BYTES
    app = fresh_app(tmp_path / "a", monkeypatch, SECRET_KEY=key, DATA_KEY=_data_key())
    assert app.config["SECRET_KEY"] == key
    for flag in ("TESTING", "DEBUG"):  # the suite and `flask --debug run` keep the default
        dev = fresh_app(tmp_path / flag, monkeypatch, **{flag: True})
        assert dev.config["SECRET_KEY"] == DEFAULTS["SECRET_KEY"]


def test_the_default_secret_no_longer_counts_as_development_for_the_data_key(tmp_path, monkeypatch):
    app = fresh_app(tmp_path / "dev", monkeypatch, TESTING=True)
    app.config.update(TESTING=False, DATA_KEY="", SECRET_KEY=DEFAULTS["SECRET_KEY"])
    (Path(app.instance_path) / KEY_FILE).unlink()
    with pytest.raises(DataKeyError):
        data_key_init(app)
    assert not (Path(app.instance_path) / KEY_FILE).exists()


def test_the_instance_secret_file_is_read_and_configuration_beats_it(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / SECRET_FILE).write_text(REAL_SECRET + "\n")
    assert fresh_app(instance, monkeypatch, DATA_KEY=_data_key()).config["SECRET_KEY"] == REAL_SECRET
    other = secrets.token_urlsafe(48)
    monkeypatch.setenv("PPID_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("PPID_SECRET_KEY", other)
    assert create_app({"DATA_KEY": _data_key(), "SQLALCHEMY_DATABASE_URI": None}).config["SECRET_KEY"] == other


def test_make_run_writes_its_secrets_once_private_and_the_app_starts_with_them(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if k not in ("PPID_SECRET_KEY", "PPID_DATA_KEY", "DATABASE_URL")}
    env["PPID_INSTANCE_PATH"] = str(instance)

    def write_secrets() -> None:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "instance_secrets.py")], env=env, cwd=ROOT,
                       check=True, capture_output=True)

    write_secrets()
    secret, data_key = (instance / SECRET_FILE).read_text(), (instance / KEY_FILE).read_text()
    assert len(secret.strip()) >= MIN_SECRET_BYTES and secret.strip() not in (DEFAULTS["SECRET_KEY"], "")
    assert mode(instance) == 0o700 and mode(instance / SECRET_FILE) == mode(instance / KEY_FILE) == 0o600
    write_secrets()  # once: a second run keeps both (sessions and encrypted data stay valid)
    assert (instance / SECRET_FILE).read_text() == secret and (instance / KEY_FILE).read_text() == data_key
    app = fresh_app(instance, monkeypatch)  # production settings: only the files configure it
    assert app.config["SECRET_KEY"] == secret.strip() and app.config["DATA_KEY"] == data_key.strip()
    # `make run` goes through them: the Makefile's db step and the demo script write them first.
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^db: .*\bsecrets\b", makefile, re.M) and "scripts/instance_secrets.py" in makefile
    assert "scripts/instance_secrets.py" in (ROOT / "scripts" / "run_demo.sh").read_text()


# --- the real server: refuses the default, no banner, HSTS ----------------------------------------

def _server_env(app, instance: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PPID_SECRET_KEY"}
    env.update({"PPID_INSTANCE_PATH": str(instance), "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                "PPID_RATELIMIT_ENABLED": "false", "PPID_DATA_KEY": app.config["DATA_KEY"], **extra})
    return env


def _gunicorn(port: int, env: dict) -> subprocess.Popen:
    """gunicorn as scripts/run_demo.sh starts it (its configuration module included)."""
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:ppid_desk.gunicorn_conf",
                             "--workers", "1", "--bind", f"127.0.0.1:{port}", "ppid_desk:create_app()"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_the_server_does_not_start_with_the_default_secret(app, tmp_path):
    server = _gunicorn(free_port(), _server_env(app, tmp_path))
    try:
        _out, err = server.communicate(timeout=60)
    finally:
        server.kill()
    assert server.returncode != 0
    assert "SECRET_KEY is the built-in development default" in err.decode()


def test_the_server_sends_no_banner_and_hsts_behind_https(app, tmp_path):
    port = free_port()
    server = _gunicorn(port, _server_env(app, tmp_path, PPID_SECRET_KEY=REAL_SECRET,
                                         PPID_PUBLIC_BASE_URL="https://ppid.contoh.go.id"))
    try:
        wait_until_up(port, server)
        response = requests.get(f"http://127.0.0.1:{port}/", timeout=30)
    finally:
        stop_server(server)
    assert response.status_code == 200
    assert "Server" not in response.headers, response.headers
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "-c python:ppid_desk.gunicorn_conf" in (ROOT / "scripts" / "run_demo.sh").read_text()


def _production(app, **overrides):
    return create_app({"SECRET_KEY": REAL_SECRET, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "TESTING": False, "DEBUG": False, "RATELIMIT_ENABLED": False,
                       "PUBLIC_BASE_URL": "https://ppid.contoh.go.id", **overrides})


@pytest.mark.parametrize(("overrides", "env", "sent"), [
    ({}, None, True),
    ({"PUBLIC_BASE_URL": "http://127.0.0.1:5000"}, None, False),
    ({"TESTING": True}, None, False),
    ({"DEBUG": True}, None, False),
    ({"TESTING": True}, "true", True),
    ({}, "false", False),
], ids=["https", "http", "testing", "debug", "forced-on", "forced-off"])
def test_hsts_in_production_behind_https(app, monkeypatch, overrides, env, sent):
    if env is not None:
        monkeypatch.setenv("PPID_HSTS", env)
    response = _production(app, **overrides).test_client().get("/")
    assert ("Strict-Transport-Security" in response.headers) is sent


# --- personal pages are not cached --------------------------------------------------------------

def no_store(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


def test_public_pages_and_static_files_stay_cacheable(client):
    assert not no_store(client.get("/"))
    static = client.get("/static/css/app.css")
    assert static.status_code == 200 and not no_store(static)


def test_signed_in_pages_are_not_stored(client, make_user, login):
    make_user()
    assert login().status_code == 303
    for url in ("/", "/permohonan-saya", "/permohonan/baru"):
        response = client.get(url)
        assert response.status_code == 200 and no_store(response), url


def test_a_tracking_grant_holders_pages_are_not_stored(app, file_request):
    item = file_request()
    guest = app.test_client()
    assert guest.get(f"/lacak/{item.tracking_token}").status_code == 303
    for url in (f"/permohonan/{item.id}", f"/permohonan/{item.id}/tanda-bukti", "/"):
        response = guest.get(url)
        assert response.status_code == 200 and no_store(response), url


def test_staff_pages_and_downloads_are_not_stored(app, officer_client, file_request):
    item = file_request()
    petugas = officer_client("petugas")
    for url in ("/meja/", f"/meja/permohonan/{item.id}"):
        response = petugas.get(url)
        assert response.status_code == 200 and no_store(response), url
    xlsx = officer_client("pengawas").get("/meja/monev/laporan-tahunan/2025.xlsx")
    assert xlsx.status_code == 200 and no_store(xlsx)
    # Anonymous visitors sent to the login page from the desk: not stored either, whichever
    # domain's blueprint holds the desk page.
    for url in ("/meja/", "/meja/keberatan", "/meja/monev", "/meja/register/permohonan"):
        response = app.test_client().get(url)
        assert response.status_code in (302, 303) and no_store(response), url


# --- private instance files ---------------------------------------------------------------------

def test_the_instance_folder_database_and_uploads_are_private(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    app = fresh_app(instance, monkeypatch, TESTING=True)
    database = instance / "ppid_desk.sqlite3"
    assert mode(instance) == 0o700 and mode(instance / "uploads") == 0o700
    assert mode(database) == 0o600 and mode(instance / KEY_FILE) == 0o600
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE probe (x INTEGER)"))
            conn.execute(text("INSERT INTO probe VALUES (1)"))
            wal = instance / "ppid_desk.sqlite3-wal"
            assert wal.exists() and mode(wal) == 0o600
        db.engine.dispose()
    assert mode(database) == 0o600


# --- names without text-direction controls -------------------------------------------------------

def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize("char", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_the_request_form_refuses_a_name_with_a_direction_control(client, char):
    from ppid_desk.requests.models import InformationRequest

    response = client.post("/permohonan/baru", data=request_form(name=f"Budi{char}ydnA Santoso"),
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and BIDI_MESSAGE in field_error(html, "name")
    assert "Jl. Melati No. 5" in html  # what was typed is kept
    assert db.session.scalar(select(InformationRequest.id)) is None


def test_every_form_that_takes_a_persons_name_refuses_them(app, client, officer_client, file_request, clock):
    from tests.helpers import MONDAY, desk_request_form, guest_client, objection_form

    name = "Andi\u202eakuS"
    represented = client.post("/permohonan/baru", content_type="multipart/form-data",
                              data=request_form(represented="y", representative_name=name))
    assert represented.status_code == 422 and BIDI_MESSAGE in field_error(represented.get_data(as_text=True),
                                                                          "representative_name")
    desk = officer_client("petugas")
    intake = desk.post("/meja/permohonan/baru", data=desk_request_form(name=name), content_type="multipart/form-data")
    assert intake.status_code == 422 and BIDI_MESSAGE in field_error(intake.get_data(as_text=True), "name")
    register = app.test_client().post("/daftar", data={
        "name": name, "email": "ani@example.id", "password": "kalimat rahasia ani",
        "password_confirm": "kalimat rahasia ani", "privacy": "y"})
    assert register.status_code == 422 and BIDI_MESSAGE in field_error(register.get_data(as_text=True), "name")
    clock.travel_to(MONDAY)
    item = file_request()
    clock.advance(timedelta(days=15))  # past the notice due without a notice: the objection is offered
    objection = guest_client(app, item).post(f"/permohonan/{item.id}/keberatan",
                                             data=objection_form(representative_name=name))
    assert objection.status_code == 422 and BIDI_MESSAGE in field_error(objection.get_data(as_text=True),
                                                                        "representative_name")
    # A name with accents and Arabic script (no controls) is fine.
    from ppid_desk.web.forms import BIDI_CONTROLS

    assert not BIDI_CONTROLS.search("Siti Nurhaliza بنت أحمد, Bérénice")


def _data_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()
