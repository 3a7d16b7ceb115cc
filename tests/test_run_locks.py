"""The sweep and the outbox sender may be scheduled on every server (issue 17, item 5): one run
holds the lock, another skips and says so, and exits 0. On PostgreSQL an advisory lock, on SQLite
an flock beside the database file; the outbox claim skips rows another sender has locked."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from sqlalchemy import select, text

from ppid_desk.dbtypes import utcnow
from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage, OutboxStatus
from ppid_desk.notifications.services import outbox_claim
from ppid_desk.operations.locks import OUTBOX, SWEEP, lock_key, run_lock


def test_one_holder_at_a_time_per_name(app):
    with run_lock(SWEEP) as first:
        assert first is True
        with run_lock(SWEEP) as second:  # another connection / open file: as another server would
            assert second is False
        with run_lock(OUTBOX) as other:  # another name is another lock
            assert other is True
    with run_lock(SWEEP) as again:  # released at the end of the block
        assert again is True


def test_a_lock_is_released_when_the_run_fails(app):
    with pytest.raises(RuntimeError), run_lock(SWEEP):
        raise RuntimeError("the run broke")
    with run_lock(SWEEP) as held:
        assert held is True


def test_the_key_is_stable_and_fits_a_bigint():
    assert lock_key(SWEEP) == lock_key("sweep") != lock_key(OUTBOX)
    assert -(2 ** 63) <= lock_key(SWEEP) < 2 ** 63


def queue(count: int) -> list[int]:
    messages = [OutboxMessage(recipient=f"warga{n}@example.id", subject=f"Pesan {n}", body="Isi.")
                for n in range(count)]
    db.session.add_all(messages)
    db.session.commit()
    return [m.id for m in messages]


def test_a_sweep_while_another_holds_the_lock_skips_says_so_and_exits_0(app, runner, mailbox, caplog):
    queue(1)
    with run_lock(SWEEP), caplog.at_level(logging.INFO, logger=app.logger.name):
        result = runner.invoke(args=["ppid", "sweep"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sweep: another run holds the lock (on this or another server); skipped"
    assert "skipped" in caplog.text  # in the application's log too
    assert mailbox.received == []  # the skipped run did nothing, not even the outbox retry (no sender pass here)
    result = runner.invoke(args=["ppid", "sweep"])  # once free, it runs
    assert result.exit_code == 0 and "outbox: 1 sent" in result.output
    assert len(mailbox.wait_for(1)) == 1


def test_an_outbox_pass_while_another_holds_the_lock_skips(app, runner, mailbox):
    [message_id] = queue(1)
    with run_lock(OUTBOX):
        result = runner.invoke(args=["ppid", "outbox"])
    assert result.exit_code == 0, result.output
    assert "another sender holds the lock" in result.output and "skipped" in result.output
    assert db.session.get(OutboxMessage, message_id).status == OutboxStatus.PENDING
    result = runner.invoke(args=["ppid", "outbox"])
    assert result.exit_code == 0 and "outbox: 1 sent" in result.output, result.output


def test_the_claim_skips_rows_another_sender_has_locked_instead_of_waiting(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time: there are no row locks to skip")
    held, free = queue(2)
    locked = threading.Event()
    release = threading.Event()
    engine = db.engine

    def other_sender() -> None:  # holds one row's lock, as a sender in the middle of its claim
        with engine.connect() as conn:
            conn.execute(text("SELECT id FROM outbox_message WHERE id = :id FOR UPDATE"), {"id": held})
            locked.set()
            release.wait(30)
            conn.rollback()

    thread = threading.Thread(target=other_sender)
    thread.start()
    try:
        assert locked.wait(30)
        started = time.monotonic()
        claimed = outbox_claim(select(OutboxMessage.id), now=utcnow())
        assert time.monotonic() - started < 5  # did not wait for the other transaction
        assert claimed == [free]
    finally:
        release.set()
        thread.join(30)
    assert outbox_claim(select(OutboxMessage.id), now=utcnow()) == [held]  # free again: claimable
