"""Filing a request (issue 17, item 1): what it costs in the database, as counts (never a time),
and the receipt e-mail it queues, which the outbox sender renders, not the filing.

The receipt is queued with the values its template reads, taken when the request is filed
(``requests.services.receipt_snapshot``); the sender renders and stores the text. The text is
the one the filing itself used to render, for receipts on weekends, holidays and cuti bersama.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from flask import render_template
from flask_babel import force_locale
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.notifications.services import outbox_enqueue_snapshot
from ppid_desk.organisation.profile_selectors import body_profile
from ppid_desk.requests.models import Applicant, InformationRequest
from ppid_desk.requests.services import RECEIPT_TEMPLATE
from ppid_desk.web.urls import public_url
from ppid_desk.workcalendar.selectors import clock_rules, working_calendar
from tests import factories
from tests.helpers import request_form, send_outbox, templates_rendered


def submit(client, **overrides):
    return client.post("/permohonan/baru", data=request_form(**overrides), content_type="multipart/form-data")


@contextmanager
def flushes():
    seen: list[int] = []

    def on_flush(session, _context, _instances):
        seen.append(1)

    event.listen(Session, "before_flush", on_flush)
    try:
        yield seen
    finally:
        event.remove(Session, "before_flush", on_flush)


def receipt_as_the_filing_rendered_it(item: InformationRequest) -> str:
    """The receipt as ``request_send_receipt`` rendered it inside the filing before issue 17."""
    explanation = working_calendar().explain(item.receipt_date, clock_rules().notice_wd, stored=item.notice_due)
    with force_locale("id"):
        return render_template(RECEIPT_TEMPLATE, request=item, explanation=explanation,
                               tracking_url=public_url("requests.track_token", token=item.tracking_token),
                               body_name=body_profile().name)


def test_a_filing_costs_sixteen_statements_and_no_flush(app, client, count_queries):
    assert submit(client).status_code == 303  # the first filing of this worker holds next year's calendar
    with count_queries() as statements, flushes() as flushed, templates_rendered(app) as rendered:
        assert submit(client, email="siti@example.id").status_code == 303
    counter = [s for s in statements if "registration_counter" in s]
    assert len(counter) == 1 and "ON CONFLICT" in counter[0] and "RETURNING" in counter[0]  # one upsert
    assert not [s for s in statements if "FROM calendar_year" in s]  # imported years held in memory
    # The request is inserted whole (legal_due with the other clocks) and never read back after
    # the commit; the one read is whether a historical import already holds the number.
    assert not [s for s in statements if s.lstrip().startswith("UPDATE information_request")]
    assert len([s for s in statements if "FROM information_request" in s]) == 1
    # No flush: the staged upload, the applicant, the request, the events, the applicant's key and
    # the e-mail are inserted by one statement each (rows.row_insert), the upload claimed by one.
    assert not flushed
    # The profile is not read again after another worker's filing, only its stamp. The request
    # and the applicant are new: no chain head is read (the registration starts the request's
    # chain, the e-mail's event follows it) and no key is looked up before one is made.
    assert not [s for s in statements if "FROM service_hours" in s]
    assert not [s for s in statements if "FROM event" in s]
    assert not [s for s in statements if "FROM subject_key" in s]
    assert len([s for s in statements if s.lstrip().startswith("INSERT INTO subject_key")]) == 1
    assert len(statements) <= 16, "\n".join(statements)
    assert "email/request_registered.txt" not in rendered  # the sender renders the receipt


RECEIPTS = [
    # (what, received at (UTC), overrides of the applicant and the request, a line the text holds)
    ("a Wednesday before Christmas and its cuti bersama", datetime(2026, 12, 23, 3, 0, tzinfo=UTC), {},
     "tidak dihitung (libur nasional: Hari Raya Natal)"),
    ("a Saturday before Independence Day", datetime(2026, 8, 15, 2, 0, tzinfo=UTC), {},
     "tidak dihitung (libur nasional: Hari Kemerdekaan Republik Indonesia)"),
    ("a Friday evening, no NIK, seeing in person", datetime(2026, 3, 13, 11, 30, tzinfo=UTC),
     {"nik": None, "access_method": "melihat", "copy_delivery": None},
     "tidak dihitung (akhir pekan; libur nasional: Hari Raya Idul Fitri)"),
    ("the eve of Nyepi and Idul Fitri", datetime(2026, 3, 18, 1, 0, tzinfo=UTC), {"copy_delivery": "pos"},
     "tidak dihitung (cuti bersama: Cuti Bersama Hari Raya Idul Fitri)"),
]


@pytest.mark.parametrize(("what", "received_at", "overrides", "line"), RECEIPTS, ids=[r[0] for r in RECEIPTS])
def test_the_sender_renders_the_receipt_the_filing_used_to_render(app, mailbox, what, received_at, overrides, line):
    item = factories.register_request(received_at=received_at, **overrides)
    expected = receipt_as_the_filing_rendered_it(item)
    assert line in expected and ("NIK:" in expected) == ("nik" not in overrides)
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.request_id == item.id))
    assert message.body is None and message.template == RECEIPT_TEMPLATE  # waits for the sender
    assert "3201011505900001" not in json.dumps(message.context)  # the NIK only masked, as in the text

    [sent] = mailbox.to("budi@example.id")
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert message.status == "sent" and message.body == expected  # the text kept, as before
    assert message.context is None  # its values are not kept twice
    assert sent.get_content().replace("\r\n", "\n").rstrip("\n") == expected.rstrip("\n")
    assert item.number in sent["Subject"]


def test_the_receipt_says_what_was_true_when_the_request_was_filed(app, mailbox):
    item = factories.register_request(received_at=datetime(2026, 12, 23, 3, 0, tzinfo=UTC))
    expected = receipt_as_the_filing_rendered_it(item)
    # Changed before the sender runs (a late sender, or a retry hours later): the receipt stays.
    db.session.execute(update(Applicant).where(Applicant.id == item.applicant_id).values(name="Nama Lain"))
    db.session.commit()
    [sent] = mailbox.to("budi@example.id")
    assert "Budi Santoso" in sent.get_content() and "Nama Lain" not in sent.get_content()
    assert sent.get_content().replace("\r\n", "\n").rstrip("\n") == expected.rstrip("\n")


def test_a_message_that_cannot_be_rendered_is_retried_and_stops_no_other(app, mailbox):
    item = factories.register_request()
    with app.app_context():
        broken = outbox_enqueue_snapshot(recipient="lain@example.id", subject="Uji", template="email/tidak-ada.txt",
                                         snapshot={"x": 1})
        db.session.commit()
        broken_id = broken.id
    result = send_outbox(app)
    assert (result.sent, result.retrying) == (1, 1)
    assert [m["To"] for m in mailbox.received] == ["budi@example.id"]
    db.session.expire_all()
    broken = db.session.get(OutboxMessage, broken_id)
    assert broken.status == "pending" and broken.attempts == 1 and "tidak-ada" in broken.last_error
    assert broken.body is None and broken.context == {"x": 1}  # kept for the next attempt
    assert db.session.scalar(select(OutboxMessage.status).where(OutboxMessage.request_id == item.id)) == "sent"


def test_the_purge_drops_the_values_of_a_receipt_not_rendered_yet(app):
    from ppid_desk.operations.retention import PURGED, PurgeReport, request_personal_data_purge

    item = factories.register_request()
    request_personal_data_purge(db.session.get(InformationRequest, item.id), report=PurgeReport())
    db.session.commit()
    db.session.expire_all()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.request_id == item.id))
    assert (message.body, message.context, message.recipient, message.status) == (PURGED, None, PURGED, "failed")


def test_the_commit_waits_for_the_fsync_of_the_upload(app, client, monkeypatch):
    """The identity upload is made durable beside the filing's other work, and the commit of
    the row naming it waits for that fsync; a failed fsync fails the filing (nothing half kept)."""
    import os
    import threading

    from ppid_desk.attachments import storage as storage_module
    from ppid_desk.attachments.models import Attachment

    synced: list[str] = []
    commits: list[list[str]] = []
    real_fsync = os.fsync
    release = threading.Event()

    def slow_fsync(descriptor):
        release.wait(5)  # held until the request has done the rest of its work
        real_fsync(descriptor)
        synced.append(threading.current_thread().name)

    def on_commit(session):
        commits.append(list(synced))
        release.set()

    monkeypatch.setattr(storage_module.os, "fsync", slow_fsync)
    event.listen(Session, "before_commit", on_commit, insert=True)  # before the wait for the fsync
    try:
        assert submit(client).status_code == 303
    finally:
        event.remove(Session, "before_commit", on_commit)
    assert commits[0] == [] and synced and synced[0].startswith("upload-fsync")  # overlapped, then waited
    assert db.session.scalar(select(Attachment.request_id)) is not None

    def failing_fsync(descriptor):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(storage_module.os, "fsync", failing_fsync)
    before = db.session.scalar(select(func.count()).select_from(InformationRequest))
    assert submit(client, email="siti@example.id").status_code == 500
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == before
