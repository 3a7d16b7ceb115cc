"""More than one server (issue 17, item 5): two app servers, each with its own instance folder
(the same session secret and data key), on one database, with the uploads in an S3-compatible
bucket (the local S3 server the suite starts). A citizen files on one with an identity document;
the officer downloads that document and delivers on the other; both run the sweep at the same
moment, and exactly one reminder e-mail goes out."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from sqlalchemy import select

from ppid_desk.attachments.models import Attachment
from ppid_desk.attachments.storage import upload_storage
from ppid_desk.extensions import db
from ppid_desk.requests.models import Applicant, InformationRequest
from ppid_desk.sla.clocks import notice_due
from ppid_desk.workcalendar.selectors import body_today, clock_rules, working_calendar
from tests.helpers import (
    PASSWORD,
    ROOT,
    TOKEN_RE,
    Mailbox,
    app_tracebacks,
    free_port,
    notice_form,
    pdf_bytes,
    png_bytes,
    request_form,
    server_environment,
    start_server,
    stop_server,
    wait_until_up,
)

REMINDER = "Pengingat: batas waktu permohonan"


class SlowMailbox(Mailbox):
    """An SMTP server that takes 1.5 seconds per message: the sweep that sends holds its lock that
    long, so a sweep started at the same moment on the other server meets it."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(1.5)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp():
    mailbox = SlowMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, mailbox
    controller.stop()


class Server:
    def __init__(self, app, folder: Path, env: dict[str, str]) -> None:
        self.instance = folder
        folder.mkdir()
        self.env = {**env, "PPID_UPLOAD_FOLDER": str(folder / "uploads")}  # its own disk
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = start_server(app, self.port, folder, **self.env)

    def sweep(self, app, smtp_port: int) -> subprocess.Popen:
        env = server_environment(app, self.instance, **self.env, PPID_MAIL_PORT=str(smtp_port))
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "ppid_desk", "ppid", "sweep"],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def token_of(page: str) -> str:
    return next(g for g in TOKEN_RE.search(page).groups() if g)


def due_soon_receipt() -> datetime:
    """A receipt (10.00 WIB) whose notice falls due one or two working days from today."""
    calendar, rules, today = working_calendar(), clock_rules(), body_today()
    for back in range(1, 40):
        day = today - timedelta(days=back)
        if calendar.is_working_day(day) and calendar.working_days_between(
                today, notice_due(day, calendar, rules)) in (1, 2):
            return datetime.combine(day, time(3, 0), tzinfo=UTC)
    raise AssertionError("no receipt day found")


@pytest.mark.concurrency
def test_two_servers_share_documents_and_remind_once(app, tmp_path, s3_settings, make_user, file_request,
                                                     mailbox, slow_smtp, monkeypatch):
    for key, value in s3_settings.items():  # this test's own reads go to the same bucket
        monkeypatch.setitem(app.config, key, value)
    make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    waiting = file_request(received_at=due_soon_receipt(), email="lama@example.id", name="Sari Dewi",
                           notify=False).number
    env = {f"PPID_{key}": value for key, value in s3_settings.items()}
    one, two = Server(app, tmp_path / "one", env), Server(app, tmp_path / "two", env)
    try:
        for server in (one, two):
            wait_until_up(server.port, server.process)

        # A citizen files on the first server, with a KTP scan.
        citizen = requests.Session()
        form = request_form(email="warga@example.id")
        form.pop("identity_document")
        form["csrf_token"] = token_of(citizen.get(f"{one.base}/permohonan/baru", timeout=30).text)
        filed = citizen.post(f"{one.base}/permohonan/baru", data=form, timeout=60, allow_redirects=False,
                             files={"identity_document": ("ktp.png", png_bytes(), "image/png")})
        assert filed.status_code == 303, filed.text[:500]
        db.session.remove()
        item = db.session.scalar(select(InformationRequest).join(Applicant)
                                 .where(Applicant.email == "warga@example.id"))
        scan = db.session.scalar(select(Attachment).where(Attachment.request_id == item.id))
        assert scan.stored_name in {f.name for f in upload_storage().files()}  # in the bucket
        assert [p for server in (one, two) for p in (server.instance / "uploads").glob("*")] == []  # on no disk

        # The officer, on the second server, opens the scan and delivers the information.
        officer = requests.Session()
        page = officer.get(f"{two.base}/masuk", timeout=30).text
        login = officer.post(f"{two.base}/masuk", timeout=60, allow_redirects=False, data={
            "csrf_token": token_of(page), "email": "utama@pemda.example.id", "password": PASSWORD})
        assert login.status_code == 303, login.text[:500]
        desk = f"{two.base}/meja/permohonan/{item.id}"
        token = token_of(officer.get(desk, timeout=30).text)
        download = officer.get(f"{desk}/dokumen/{scan.id}", timeout=30)
        assert download.status_code == 200 and download.content == png_bytes()

        notice = {**notice_form(item), "csrf_token": token}
        preview = officer.post(f"{desk}/pemberitahuan?pratinjau=1", data=notice, timeout=60)
        digest = re.search(r'name="preview_digest" value="([0-9a-f]+)"', preview.text)
        assert preview.status_code == 200 and digest, preview.text[:500]
        issued = officer.post(f"{desk}/pemberitahuan", data={**notice, "preview_digest": digest[1]},
                              timeout=60, allow_redirects=False)
        assert issued.status_code == 303, issued.text[:500]
        db.session.remove()
        item = db.session.get(InformationRequest, item.id)
        delivered = officer.post(f"{desk}/penyampaian", timeout=60, allow_redirects=False,
                                 data={"csrf_token": token, "version": str(item.version), "method": "file"},
                                 files={"files": ("dpa-2025.pdf", pdf_bytes(), "application/pdf")})
        assert delivered.status_code == 303, delivered.text[:500]
        db.session.remove()
        item = db.session.get(InformationRequest, item.id)
        assert item.status == "delivered"
        information = db.session.scalar(select(Attachment).where(Attachment.request_id == item.id,
                                                                 Attachment.purpose == "information"))
        # ... and the citizen downloads it from the first server.
        citizen.get(f"{one.base}/lacak/{item.tracking_token}", timeout=30)
        got = citizen.get(f"{one.base}/permohonan/{item.id}/informasi/{information.id}", timeout=30)
        assert got.status_code == 200 and got.content == pdf_bytes()

        # Both servers run the sweep at the same moment: one reminder about the waiting request.
        smtp_port, slow_mailbox = slow_smtp
        mailbox.clear()
        sweeps = [server.sweep(app, smtp_port) for server in (one, two)]
        outputs = [sweep.communicate(timeout=120) for sweep in sweeps]
    finally:
        logs = [server.process.stderr for server in (one, two)]
        for server in (one, two):
            stop_server(server.process)
    for log in logs:
        assert app_tracebacks(log.read().decode()) == []
    assert [sweep.returncode for sweep in sweeps] == [0, 0], outputs
    said = [out.strip().splitlines()[-1] for out, _err in outputs]
    reminded = [line for line in said if line.startswith("reminders: 1,")]
    others = [line for line in said if line not in reminded]
    # The other one met the lock (or, on a machine that started it seconds late, found the
    # reminder already sent): either way it sent nothing.
    assert len(reminded) == 1 and len(others) == 1, outputs
    assert others[0].endswith("; skipped") or others[0].startswith("reminders: 0,"), outputs
    reminders = [m for m in slow_mailbox.messages if m["Subject"].strip().startswith(REMINDER)]
    assert len(reminders) == 1 and reminders[0]["To"] == "utama@pemda.example.id"
    assert waiting in reminders[0]["Subject"]
    # Whatever else the sweep sent (e-mails still waiting in the outbox), it sent once.
    sent = [(m["To"], m["Subject"]) for m in slow_mailbox.messages + mailbox.messages]
    assert len(sent) == len(set(sent)), sent
