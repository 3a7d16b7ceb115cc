"""Tamper-evident event log (issue 6, item 7): `flask ppid audit verify` finds an edited event,
a deleted event in the middle of a chain and a changed order; an intact log exits 0."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.operations.audit_verify import audit_log_verify
from ppid_desk.requests.lifecycle import request_event


@pytest.fixture
def chains(app, file_request):
    """Two requests, each with a chain of four events (registered + three notes)."""
    items = [file_request(email=f"p{i}@example.id") for i in range(2)]
    for item in items:
        for n in range(3):
            request_event(actor=None, item=item, kind="note_added", data={"n": n, "text": "Catatan ✓"})
    db.session.commit()
    return [[e.id for e in events_for("request", item.id)] for item in items]


def verify(runner):
    return runner.invoke(args=["ppid", "audit", "verify"])


def test_an_intact_log_exits_0(chains, runner):
    result = verify(runner)
    assert result.exit_code == 0, result.output
    total = sum(len(ids) for ids in chains)
    assert f"event log intact: 2 subject(s), {total} event(s)" in result.output


def test_an_edited_event_is_detected(chains, runner):
    target = chains[0][2]
    # Edit the data in SQL, leaving the hashes alone.
    data = db.session.execute(text("SELECT data FROM event WHERE id = :id"), {"id": target}).scalar()
    db.session.execute(text("UPDATE event SET data = :d WHERE id = :id"),
                       {"d": str(data).replace("Catatan", "Diubah") if isinstance(data, str)
                        else '{"n": 1, "text": "Diubah"}', "id": target})
    db.session.commit()
    result = verify(runner)
    assert result.exit_code == 1
    assert f"edited at event {target} (note_added)" in result.output
    assert "1 broken chain(s)" in result.output


def test_an_edited_actor_or_time_is_detected(chains, runner):
    db.session.execute(text("UPDATE event SET actor_label = 'Orang lain' WHERE id = :id"), {"id": chains[1][0]})
    db.session.commit()
    result = verify(runner)
    assert result.exit_code == 1 and f"edited at event {chains[1][0]}" in result.output


def test_a_deleted_middle_event_is_detected(chains, runner):
    db.session.execute(text("DELETE FROM event WHERE id = :id"), {"id": chains[1][1]})
    db.session.commit()
    result = verify(runner)
    assert result.exit_code == 1
    assert f"broken link at event {chains[1][2]}" in result.output


def test_reordered_events_are_detected(chains, runner):
    first, second = chains[0][1], chains[0][2]
    db.session.execute(text("UPDATE event SET id = -1 WHERE id = :a"), {"a": first})
    db.session.execute(text("UPDATE event SET id = :a WHERE id = :b"), {"a": first, "b": second})
    db.session.execute(text("UPDATE event SET id = :b WHERE id = -1"), {"b": second})
    db.session.commit()
    result = audit_log_verify(batch=3)
    assert (result.subjects, result.events) == (2, sum(len(ids) for ids in chains))
    assert [(b.event_id, b.problem) for b in result.broken] == [(first, "broken link")]


def test_every_broken_chain_is_reported(chains, runner):
    for ids in chains:
        db.session.execute(text("DELETE FROM event WHERE id = :id"), {"id": ids[1]})
    db.session.commit()
    result = verify(runner)
    total = sum(len(ids) for ids in chains) - 2
    assert result.exit_code == 1 and f"2 broken chain(s) among 2 subject(s), {total} event(s)" in result.output


def anchor_of(output: str) -> str:
    return output.rsplit("anchor: ", 1)[1].strip()


def test_a_kept_anchor_detects_a_deleted_last_event(chains, runner, file_request):
    anchor = anchor_of(verify(runner).output)
    # The log grows after the anchor: it still matches.
    file_request(email="later@example.id")
    result = runner.invoke(args=["ppid", "audit", "verify", "--anchor", anchor])
    assert result.exit_code == 0, result.output
    assert "1 anchor(s) match" in result.output
    # Deleting the last event of a chain leaves a valid (shorter) chain, but not the anchor.
    db.session.execute(text("DELETE FROM event WHERE id = :id"), {"id": chains[0][-1]})
    db.session.commit()
    assert verify(runner).exit_code == 0
    result = runner.invoke(args=["ppid", "audit", "verify", "--anchor", anchor])
    assert result.exit_code == 1
    assert f"anchor {anchor} does not match" in result.output


def test_a_malformed_anchor_is_refused(chains, runner):
    result = runner.invoke(args=["ppid", "audit", "verify", "--anchor", "12:abc"])
    assert result.exit_code == 2 and "ID:DIGEST" in result.output
