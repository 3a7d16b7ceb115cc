"""Objection numbers stay unique and gapless under concurrent filings to two processes (issue 4)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select

from ppid_desk.audit.models import Event
from ppid_desk.dbtypes import utcnow
from ppid_desk.extensions import db
from ppid_desk.objections.models import Objection
from tests.helpers import TOKEN_RE, free_port, start_server, stop_server, wait_until_up

OBJECTIONS = 24
NUMBER_RE = re.compile(r"^\d{4}/KEB/PPID/[IVX]+/\d{4}$")


def _applicant_session(base: str, tracking_token: str, request_id: int) -> tuple[requests.Session, str]:
    """A guest holding the request's tracking link, with the objection form's CSRF token."""
    session = requests.Session()
    granted = session.get(f"{base}/lacak/{tracking_token}", timeout=30, allow_redirects=False)
    assert granted.status_code == 303, granted.status_code
    form = session.get(f"{base}/permohonan/{request_id}/keberatan", timeout=30)
    assert form.status_code == 200, form.status_code
    return session, next(g for g in TOKEN_RE.search(form.text).groups() if g)


def _file_objection(base: str, session: requests.Session, token: str, request_id: int, i: int) -> int:
    response = session.post(
        f"{base}/permohonan/{request_id}/keberatan", timeout=60, allow_redirects=False,
        data={"csrf_token": token, "grounds": ["c", "d"],
              "case_summary": f"Permohonan nomor {i} tidak ditanggapi sesuai yang diminta.",
              "intended_use": "Pengawasan anggaran", "representative_name": ""})
    return response.status_code


@pytest.mark.concurrency
def test_concurrent_objections_to_two_processes_get_numbers_1_to_n(app, file_request, tmp_path):
    # Received two months ago and never answered: the objection is offered (its notice is overdue).
    received = utcnow() - timedelta(days=60)
    items = [file_request(email=f"pemohon{i}@example.id", name=f"Pemohon {i}", received_at=received)
             for i in range(OBJECTIONS)]
    targets = [(item.id, item.tracking_token) for item in items]
    ports = [free_port(), free_port()]
    servers = [start_server(app, port, tmp_path) for port in ports]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_up(port, server)
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        # Sessions and forms first, so that only the submissions race.
        with ThreadPoolExecutor(max_workers=8) as pool:
            prepared = list(pool.map(lambda i: _applicant_session(bases[i % 2], targets[i][1], targets[i][0]),
                                     range(OBJECTIONS)))
        with ThreadPoolExecutor(max_workers=OBJECTIONS) as pool:
            statuses = list(pool.map(
                lambda i: _file_objection(bases[i % 2], *prepared[i], targets[i][0], i), range(OBJECTIONS)))
    finally:
        for server in servers:
            stop_server(server, timeout=60)
    assert statuses == [303] * OBJECTIONS
    db.session.remove()
    objections = db.session.scalars(select(Objection)).all()
    assert sorted(o.seq for o in objections) == list(range(1, OBJECTIONS + 1))
    numbers = {o.number for o in objections}
    assert len(numbers) == OBJECTIONS and all(NUMBER_RE.match(n) for n in numbers), numbers
    # One objection per request, each with its filing event on the request's timeline.
    assert sorted(o.request_id for o in objections) == sorted(request_id for request_id, _ in targets)
    for subject, kind in (("request", "objection_filed"), ("objection", "filed")):
        logged = select(func.count()).select_from(Event).where(Event.subject_type == subject, Event.kind == kind)
        assert db.session.scalar(logged) == OBJECTIONS, (subject, kind)
