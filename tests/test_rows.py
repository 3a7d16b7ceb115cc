"""Rows inserted without the unit of work (``ppid_desk.rows``, issue 17) and the event chain's
heads kept for the transaction (``audit.services``): what a filing now writes without a flush
must still be a row like any other, and the chain must still verify."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

from sqlalchemy import event, func, inspect, select

from ppid_desk.audit.models import Event, SubjectKey
from ppid_desk.audit.personal import SEALED, is_sealed, removed, seal, subject_keys_destroy, unseal
from ppid_desk.audit.selectors import events_for
from ppid_desk.audit.services import chain_is_intact, event_log
from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage, OutboxStatus
from ppid_desk.requests.lifecycle import request_event
from ppid_desk.rows import row_insert
from tests.helpers import ROOT


def test_a_row_inserted_now_is_persistent_with_its_defaults_and_is_not_written_twice(app, count_queries):
    before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    with count_queries() as statements:
        message = row_insert(OutboxMessage, recipient="warga@example.id", subject="Uji")
    assert [s.split()[0] for s in statements] == ["INSERT"]
    assert message.id is not None and message in db.session and not db.session.new
    # The Python defaults a flush would have given, set on the instance, not read back.
    assert message.status == OutboxStatus.PENDING and message.attempts == 0 and message.created_at is not None
    assert message.body is None
    with count_queries() as statements:
        db.session.flush()
    assert statements == []  # nothing pending: the row is not inserted a second time
    db.session.commit()

    db.session.expire_all()
    stored = db.session.get(OutboxMessage, message.id)
    assert (stored.recipient, stored.subject, stored.status, stored.attempts) == \
        ("warga@example.id", "Uji", "pending", 0)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == before + 1


def test_a_row_inserted_now_goes_when_its_transaction_rolls_back(app):
    message = row_insert(OutboxMessage, recipient="warga@example.id", subject="Uji")
    message_id = message.id
    db.session.rollback()
    # As a flushed row: out of the session, transient, its values kept (a form still shows an
    # upload it had accepted), and its id free for the next row without a clash.
    assert message not in db.session and inspect(message).transient
    assert (message.recipient, message.subject, message.attempts) == ("warga@example.id", "Uji", 0)
    assert db.session.get(OutboxMessage, message_id) is None
    again = row_insert(OutboxMessage, recipient="lain@example.id", subject="Lagi")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, again.id).recipient == "lain@example.id"


def test_a_savepoint_rolled_back_takes_only_its_own_rows(app):
    kept = row_insert(OutboxMessage, recipient="tetap@example.id", subject="Tetap")
    with db.session.begin_nested() as savepoint:
        undone = row_insert(OutboxMessage, recipient="batal@example.id", subject="Batal")
        savepoint.rollback()
    assert kept in db.session and undone not in db.session
    db.session.commit()
    recipients = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert "tetap@example.id" in recipients and "batal@example.id" not in recipients


def test_a_changed_row_inserted_now_is_updated_by_the_next_flush(app):
    message = row_insert(OutboxMessage, recipient="warga@example.id", subject="Uji")
    message.attempts = 3
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).attempts == 3


def test_two_events_of_one_subject_in_one_transaction_chain_without_reading_the_head(app, file_request,
                                                                                      count_queries):
    item = file_request()
    db.session.commit()
    first = request_event(actor=None, item=item, kind="note_added", data={"n": 1})
    with count_queries() as statements:
        second = request_event(actor=None, item=item, kind="note_added", data={"n": 2})
    assert not [s for s in statements if "FROM event" in s]  # the head is the event just written
    assert second.prev_hash == first.hash
    db.session.commit()
    assert chain_is_intact(events_for("request", item.id))


def test_an_event_rolled_back_with_its_savepoint_is_never_chained_to(app, file_request):
    item = file_request()
    db.session.commit()
    kept = request_event(actor=None, item=item, kind="note_added", data={"n": 1})
    with db.session.begin_nested() as savepoint:
        request_event(actor=None, item=item, kind="note_added", data={"n": 2})
        savepoint.rollback()
    after = request_event(actor=None, item=item, kind="note_added", data={"n": 3})
    assert after.prev_hash == kept.hash
    db.session.commit()
    events = events_for("request", item.id)
    assert [e.data.get("n") for e in events if e.kind == "note_added"] == [1, 3]
    assert chain_is_intact(events)


def test_a_rolled_back_transaction_leaves_no_head_behind(app, file_request):
    item = file_request()
    db.session.commit()
    head = events_for("request", item.id)[-1].hash
    event_log(actor=None, actor_label="Sistem", subject_type="request", subject_id=item.id, kind="note_added",
              data={"n": 1})
    db.session.rollback()
    again = event_log(actor=None, actor_label="Sistem", subject_type="request", subject_id=item.id,
                      kind="note_added", data={"n": 2})
    assert again.prev_hash == head
    db.session.commit()
    assert chain_is_intact(events_for("request", item.id))


def test_an_event_still_writes_the_callers_pending_changes_first(app, file_request):
    item = file_request()
    db.session.commit()
    item.rincian = "Rincian yang diubah sebelum peristiwanya"
    writes: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        words = statement.split()
        if words[0] == "UPDATE":
            writes.append(f"UPDATE {words[1]}")
        elif words[0] == "INSERT":
            writes.append(f"INSERT {words[2]}")

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        request_event(actor=None, item=item, kind="note_added", data={})
    finally:
        event.remove(engine, "before_cursor_execute", note)
    # The caller's change is in the database before its event is (monev may add its own update).
    assert writes[0] == "UPDATE information_request" and "INSERT event" in writes
    assert writes.index("INSERT event") > writes.index("UPDATE information_request")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(type(item), item.id).rincian == "Rincian yang diubah sebelum peristiwanya"
    assert db.session.scalar(select(func.count()).select_from(Event).where(Event.subject_id == item.id,
                                                                            Event.kind == "note_added")) == 1


# A fresh process whose first use of the ORM is ``row_insert``: a gunicorn worker whose first
# request is a filing (its form page came from the page cache, so nothing had queried yet).
FIRST_USE = textwrap.dedent("""
    import sys
    from sqlalchemy import inspect
    from ppid_desk import create_app
    from ppid_desk.extensions import db
    from ppid_desk.notifications.models import OutboxMessage
    from ppid_desk.rows import row_insert

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1], "SECRET_KEY": "s" * 48,
                      "DATA_KEY": "rbe2O1vPTR9ncbzUHx1vPSDC6u6N5AzaQFSqU3zPvDU=", "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.metadata.create_all(db.engine)
        print("configured" if inspect(OutboxMessage).configured else "unconfigured")
        row_insert(OutboxMessage, recipient="pertama@example.id", subject="Pertama")
        db.session.commit()
""")


def test_a_row_inserted_before_any_query_of_the_process_is_written(tmp_path):
    database = tmp_path / "first.sqlite3"
    done = subprocess.run([sys.executable, "-c", FIRST_USE, str(database)], cwd=ROOT, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", "PPID_INSTANCE_PATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["unconfigured"]  # the mappers were not configured by anything before
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT recipient, status FROM outbox_message").fetchall() == \
            [("pertama@example.id", "pending")]


def test_a_new_request_starts_its_chain_and_its_applicants_key_without_reading_either(app, file_request,
                                                                                      count_queries):
    with count_queries() as statements:
        item = file_request(email="sinta@example.id")  # registered and its receipt queued, committed
    assert not [s for s in statements if "FROM event" in s or "FROM subject_key" in s]
    db.session.expire_all()
    events = events_for("request", item.id)
    assert [e.kind for e in events] == ["registered", "email_queued"]
    assert events[0].prev_hash is None and events[1].prev_hash == events[0].hash
    assert chain_is_intact(events)
    # The receipt's address is sealed with the applicant's one key, made by this filing.
    keys = db.session.scalars(select(SubjectKey).where(SubjectKey.applicant_id == item.applicant_id)).all()
    sealed = [value for value in events[1].data.values() if is_sealed(value)]
    assert len(keys) == 1 and sealed and all(value[SEALED] == keys[0].id for value in sealed)
    assert "sinta@example.id" in [unseal(value) for value in sealed]


def test_a_subjects_key_is_made_once_per_transaction_and_a_new_one_after_it_was_destroyed(app, file_request,
                                                                                     count_queries):
    item = file_request(notify=False)  # no sealed value yet: no key
    applicant_id = item.applicant_id
    first = seal(applicant_id, "siti@example.id")
    with count_queries() as statements:
        second = seal(applicant_id, "0812 0000 1111")
    assert statements == [] and second[SEALED] == first[SEALED]  # the key this transaction made
    subject_keys_destroy(applicant_id)
    third = seal(applicant_id, "siti@example.id")  # a new key (on SQLite it may take the old id)
    db.session.commit()
    db.session.expire_all()
    assert unseal(first) == removed() and unseal(third) == "siti@example.id"
    new_key = db.session.scalars(select(SubjectKey).where(SubjectKey.applicant_id == applicant_id)).one()
    assert new_key.id == third[SEALED]
