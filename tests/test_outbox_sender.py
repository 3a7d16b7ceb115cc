"""The outbox sender (`flask ppid outbox [--loop]`): it sends what waits in the outbox, beside
the web workers, the sweep and another sender, and never sends one message twice (claims)."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from ppid_desk.dbtypes import utcnow
from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage, OutboxStatus
from ppid_desk.notifications.services import OUTBOX_CLAIM, outbox_claim, outbox_send_due
from tests.helpers import ROOT, Mailbox, free_port


class SteadyMailbox(Mailbox):
    """An SMTP server that takes a little while per message, so that senders overlap."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def steady_smtp(app, monkeypatch):
    mailbox = SteadyMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    yield mailbox
    controller.stop()


def queue(count: int) -> list[int]:
    messages = [OutboxMessage(recipient=f"warga{n}@example.id", subject=f"Pesan {n}", body="Isi pesan.")
                for n in range(count)]
    db.session.add_all(messages)
    db.session.commit()
    return [message.id for message in messages]


def sent() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status == OutboxStatus.SENT))


def test_a_claimed_message_is_not_claimed_again_until_the_claim_lapses(app):
    ids = queue(2)
    candidates = select(OutboxMessage.id)
    now = utcnow()
    assert outbox_claim(candidates, now=now) == ids
    assert outbox_claim(candidates, now=now) == []  # another sender, at the same time: nothing
    assert outbox_claim(candidates, now=now + OUTBOX_CLAIM - timedelta(seconds=1)) == []
    # A sender that died mid-batch: its claims lapse and the messages are tried again.
    assert outbox_claim(candidates, now=now + OUTBOX_CLAIM) == ids


def test_the_sender_sends_what_waits_and_leaves_no_claim(app, steady_smtp):
    queue(3)
    result = outbox_send_due()
    assert (result.sent, result.not_sent) == (3, 0)
    assert sorted(m["To"] for m in steady_smtp.messages) == [f"warga{n}@example.id" for n in range(3)]
    db.session.expire_all()
    assert db.session.scalars(select(OutboxMessage.claimed_until)).all() == [None] * 3
    assert outbox_send_due().sent == 0  # sent once


def test_the_sender_skips_a_message_another_sender_holds(app, steady_smtp):
    [held, free] = queue(2)
    outbox_claim(select(OutboxMessage.id).where(OutboxMessage.id == held), now=utcnow())
    assert outbox_send_due().sent == 1
    assert [m["Subject"] for m in steady_smtp.messages] == ["Pesan 1"]


def start_sender(app, smtp_port: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "PPID_SECRET_KEY": secrets.token_hex(32),
        "PPID_MAIL_SERVER": "127.0.0.1",
        "PPID_MAIL_PORT": str(smtp_port),
    })
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "ppid_desk", "ppid", "outbox", "--loop", "--interval", "0.1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.concurrency
def test_two_senders_at_once_send_every_message_exactly_once(app, steady_smtp):
    count = 40  # at 20 ms each, a batch takes ~0.8 s: the other sender polls ~8 times meanwhile
    senders = [start_sender(app, app.config["MAIL_PORT"]) for _ in range(2)]
    try:
        for sender in senders:  # both polling before anything is queued
            assert sender.stdout.readline().startswith("outbox: sender started"), sender.stderr.read()
        queue(count)
        deadline = time.monotonic() + 60
        while sent() < count and time.monotonic() < deadline:
            for sender in senders:
                assert sender.poll() is None, sender.stderr.read()
            time.sleep(0.1)
    finally:
        outputs = []
        for sender in senders:
            sender.send_signal(signal.SIGTERM)  # finishes the batch in hand, then stops
            outputs.append(sender.communicate(timeout=60))
    assert sent() == count
    assert [sender.returncode for sender in senders] == [0, 0], outputs
    recipients = sorted(m["To"] for m in steady_smtp.messages)
    assert recipients == sorted(f"warga{n}@example.id" for n in range(count)), outputs
    for _out, err in outputs:
        assert "Traceback" not in err, err
