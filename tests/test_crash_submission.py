"""A server process killed in the middle of a citizen's submission leaves no half-written request
and, after the sweep, no orphaned file (issue 6, item 10).

The real app runs under gunicorn with ``PPID_FAULT_INJECT=<point>`` (ppid_desk/faults.py), which
SIGKILLs the worker at that point of ``POST /permohonan/baru``."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from ppid_desk.attachments.models import Attachment
from ppid_desk.attachments.services import attachment_read
from ppid_desk.audit.models import Event
from ppid_desk.extensions import db
from ppid_desk.requests.models import Applicant, InformationRequest, RegistrationCounter
from tests.helpers import (
    TOKEN_RE,
    app_tracebacks,
    free_port,
    png_bytes,
    request_form,
    stop_server,
    wait_until_up,
)
from tests.helpers import start_server as numbering_server

KTP = png_bytes(3, 3)


def start_server(app, port: int, instance: Path, point: str) -> subprocess.Popen:
    """The real app, one worker, one thread, killed at ``point`` of the submission."""
    return numbering_server(app, port, instance, threads=1, PPID_FAULT_INJECT=point)


def submit(base: str) -> requests.Response | None:
    """File one request with a KTP scan; None when the server died before answering."""
    session = requests.Session()
    form = session.get(f"{base}/permohonan/baru", timeout=30).text
    token = next(g for g in TOKEN_RE.search(form).groups() if g)
    data = {k: v for k, v in request_form().items() if k != "identity_document"}
    try:
        return session.post(f"{base}/permohonan/baru", data={**data, "csrf_token": token}, timeout=60,
                            allow_redirects=False, files={"identity_document": ("ktp.png", KTP, "image/png")})
    except requests.ConnectionError:
        return None


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def stored_names() -> set[str]:
    return set(db.session.scalars(select(Attachment.stored_name)))


@pytest.fixture
def uploads(app, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder


def crash_at(app, tmp_path: Path, point: str) -> requests.Response | None:
    port = free_port()
    server = start_server(app, port, tmp_path, point)
    try:
        wait_until_up(port, server)
        return submit(f"http://127.0.0.1:{port}")
    finally:
        stop_server(server)
        db.session.remove()
        log = server.stderr.read().decode()
    assert app_tracebacks(log) == [], log[-4000:]


def sweep_after_staging_window(runner, clock) -> None:
    # Not yet: a file this young may belong to a transaction still running in another process.
    assert runner.invoke(args=["ppid", "sweep"]).exit_code == 0
    hours = runner.app.config["UPLOAD_STAGING_HOURS"]
    clock.advance(timedelta(hours=hours + 1))
    result = runner.invoke(args=["ppid", "sweep"])
    assert result.exit_code == 0, result.output


@pytest.mark.concurrency
@pytest.mark.parametrize("point", ["upload_written", "before_commit"])
def test_a_kill_before_the_commit_leaves_nothing_behind(app, tmp_path, uploads, runner, clock, client, point):
    assert crash_at(app, tmp_path, point) is None  # the worker died without answering

    for model in (InformationRequest, Applicant, Attachment, Event):
        assert count(model) == 0, model
    assert db.session.scalar(select(func.coalesce(func.max(RegistrationCounter.last_value), 0))) == 0
    orphans = files_in(uploads)
    assert len(orphans) == 1 and not any(name.endswith(".part") for name in orphans)

    # A young file survives the sweep (its transaction might still commit), an old one does not.
    assert runner.invoke(args=["ppid", "sweep"]).exit_code == 0
    assert files_in(uploads) == orphans
    sweep_after_staging_window(runner, clock)
    assert files_in(uploads) == stored_names() == set()

    # The number the dead transaction took was given back: the next request gets 0001.
    response = client.post("/permohonan/baru", data=request_form(), content_type="multipart/form-data")
    assert response.status_code == 303
    assert db.session.scalars(select(InformationRequest.seq)).all() == [1]
    assert files_in(uploads) == stored_names() and len(stored_names()) == 1


@pytest.mark.concurrency
def test_a_kill_after_the_commit_keeps_the_whole_request(app, tmp_path, uploads, runner, clock, client):
    assert crash_at(app, tmp_path, "after_commit") is None

    item = db.session.scalars(select(InformationRequest)).one()
    assert item.seq == 1 and item.number.startswith("0001/PPID/")
    assert item.applicant is not None and item.applicant.nik == "3201011505900001"
    assert db.session.scalars(select(Event.kind).where(Event.subject_type == "request", Event.subject_id == item.id).order_by(Event.id)).all()[:1] == ["registered"]
    document = db.session.scalars(select(Attachment)).one()
    assert document.request_id == item.id and document.staged_token is None
    assert attachment_read(document) == KTP
    assert db.session.scalar(select(RegistrationCounter.last_value)) == 1

    sweep_after_staging_window(runner, clock)
    assert files_in(uploads) == stored_names() == {document.stored_name}

    response = client.post("/permohonan/baru", data=request_form(), content_type="multipart/form-data")
    assert response.status_code == 303
    assert sorted(db.session.scalars(select(InformationRequest.seq))) == [1, 2]
    assert files_in(uploads) == stored_names() and len(stored_names()) == 2
