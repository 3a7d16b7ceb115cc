"""Every test-client request and CLI invocation runs in its own application context and database
session (tests/conftest.py), so a test sees only what a view committed (issue 12, item 1).

The first two tests replace one view's ``commit()`` with a no-op and check that the work is then
missing: under the old fixture, which shared the test's session with the views, both passed
with the commit removed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
import pytest
from flask import g, request
from sqlalchemy import func, select

from ppid_desk.extensions import db
from ppid_desk.objections.models import Objection, ObjectionStatus
from ppid_desk.requests.models import InformationRequest
from tests.factories import file_objection, register_request
from tests.helpers import request_form

NOW = datetime(2026, 7, 6, 3, 0, tzinfo=UTC)  # Mon 10:00 WIB


@pytest.mark.parametrize("committed", [True, False], ids=["view-commits", "commit-removed"])
def test_the_atasans_response_is_saved_only_when_the_view_commits(app, clock, officer_client, monkeypatch,
                                                                committed):
    clock.travel_to(NOW)
    objection = file_objection(register_request(received_at=NOW))
    if not committed:
        monkeypatch.setattr("ppid_desk.objections.response_views.commit", lambda: None)
    response = officer_client("atasan").post(
        f"/meja/keberatan/{objection.id}/tanggapan",
        data={"version": str(objection.version), "decision": "settled",
              "settlement": "PPID menyerahkan salinan DPA dalam 5 hari kerja."})
    assert response.status_code == 303  # the view believes it succeeded either way
    saved = db.session.get(Objection, objection.id)
    if committed:
        assert saved.status == ObjectionStatus.SETTLED and saved.response_number
    else:
        assert saved.status == ObjectionStatus.REGISTERED and saved.response_number is None


@pytest.mark.parametrize("committed", [True, False], ids=["view-commits", "commit-removed"])
def test_a_submitted_request_is_registered_only_when_the_view_commits(client, clock, monkeypatch, committed):
    clock.travel_to(NOW)
    if not committed:
        monkeypatch.setattr("ppid_desk.requests.views.commit", lambda: None)
    response = client.post("/permohonan/baru", data=request_form())
    assert response.status_code == 303
    count = db.session.scalar(select(func.count()).select_from(InformationRequest))
    assert count == (1 if committed else 0)


def test_a_test_must_commit_its_setup_before_a_request(app, client, runner):
    from ppid_desk.organisation.models import Unit

    db.session.add(Unit(code="X", name="Belum disimpan", kind="pembantu"))
    with pytest.raises(RuntimeError, match="commit your setup"):
        client.get("/")
    db.session.flush()  # flushed is not committed either
    with pytest.raises(RuntimeError, match="commit your setup"):
        runner.invoke(args=["ppid", "--help"])
    db.session.rollback()
    assert client.get("/").status_code == 200


def test_each_request_and_cli_call_gets_its_own_context_and_session(app, client, runner):
    seen = []

    @click.command()
    def probe():
        seen.append((id(db.session()), getattr(g, "mark", None)))
        g.mark = "set by the command"

    g.mark = "set by the test"
    runner.invoke(probe)
    runner.invoke(probe)
    assert seen[0][0] != id(db.session()) and seen[0][1] is None and seen[1][1] is None
    assert g.mark == "set by the test"


def test_with_client_keeps_the_last_requests_context(client):
    with client:
        client.get("/lacak")
        assert request.path == "/lacak"
    assert client.get("/").status_code == 200


def test_a_signed_in_client_does_not_sign_in_another(officer_client, client):
    officer_client("ppid")  # its requests ran first, Flask-Login caches the user in `g`
    response = client.get("/meja/")
    assert response.status_code in (302, 303) and "/masuk" in response.headers["Location"]
