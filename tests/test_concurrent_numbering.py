"""Registration numbers stay unique and gapless under concurrent submissions to two processes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from ppid_desk.attachments.models import Attachment
from ppid_desk.audit.models import Event
from ppid_desk.extensions import db
from ppid_desk.requests.models import Applicant, InformationRequest
from tests.helpers import TOKEN_RE, free_port, png_bytes, start_server, stop_server, wait_until_up

SUBMISSIONS = 24


def file_request(base: str, i: int) -> int:
    session = requests.Session()
    form = session.get(f"{base}/permohonan/baru", timeout=30).text
    token = next(g for g in TOKEN_RE.search(form).groups() if g)
    response = session.post(
        f"{base}/permohonan/baru", timeout=60, allow_redirects=False,
        data={
            "csrf_token": token, "applicant_kind": "perorangan", "name": f"Pemohon {i}",
            "nik": "3201011505900001", "address": "Jl. Uji No. 1", "occupation": "Guru",
            "phone": "081234567890", "email": f"pemohon{i}@example.id",
            "rincian": f"Rincian informasi nomor {i} yang cukup panjang", "tujuan": "Penelitian",
            "access_method": "melihat", "declaration": "y",
        },
        files={"identity_document": (f"ktp{i}.png", png_bytes(), "image/png")},
    )
    return response.status_code


@pytest.mark.concurrency
def test_concurrent_submissions_to_two_processes_get_numbers_1_to_n(app, tmp_path):
    ports = [free_port(), free_port()]
    servers = [start_server(app, port, tmp_path) for port in ports]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_up(port, server)
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
            statuses = list(pool.map(lambda i: file_request(bases[i % 2], i), range(SUBMISSIONS)))
    finally:
        for server in servers:
            stop_server(server, timeout=60)
    assert statuses == [303] * SUBMISSIONS
    db.session.remove()
    seqs = sorted(db.session.scalars(select(InformationRequest.seq)))
    assert seqs == list(range(1, SUBMISSIONS + 1))
    numbers = db.session.scalars(select(InformationRequest.number)).all()
    assert len(set(numbers)) == SUBMISSIONS
    # Each registration wrote its applicant, document and event together.
    for model in (Applicant, Attachment):
        assert db.session.scalar(select(func.count()).select_from(model)) == SUBMISSIONS
    registered = select(func.count()).select_from(Event).where(Event.kind == "registered")
    assert db.session.scalar(registered) == SUBMISSIONS
