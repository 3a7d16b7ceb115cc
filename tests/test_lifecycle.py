"""The event funnel: cached columns of every request can be rebuilt from the log and agree."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ppid_desk.extensions import db
from ppid_desk.requests.lifecycle import (
    StaleRequest,
    cached_columns,
    ensure_version,
    rebuild_cached_columns,
    replayed_columns,
    request_event,
)
from ppid_desk.requests.models import InformationRequest


def test_every_demo_request_rebuilds_from_its_events(app, runner):
    assert runner.invoke(args=["ppid", "seed-demo"]).exit_code == 0
    items = db.session.scalars(select(InformationRequest)).all()
    assert len(items) > 5 and len({i.status for i in items}) >= 4
    for item in items:
        assert replayed_columns(item) == cached_columns(item), item.number
    result = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert result.exit_code == 0 and "agree" in result.output


def test_a_drifted_column_is_found_and_repaired(app, runner):
    runner.invoke(args=["ppid", "seed-demo"])
    item = db.session.scalars(select(InformationRequest).where(InformationRequest.status == "registered")).first()
    good = item.status
    db.session.execute(db.update(InformationRequest).where(InformationRequest.id == item.id)
                       .values(status="closed", version=InformationRequest.version + 1))
    db.session.commit()
    check = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert check.exit_code == 1 and item.number in check.output and "status" in check.output
    assert runner.invoke(args=["ppid", "rebuild-cache"]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(InformationRequest, item.id).status == good


def test_funnel_keeps_due_date_in_step_and_refuses_other_columns(app, runner):
    runner.invoke(args=["ppid", "seed-demo"])
    item = db.session.scalars(select(InformationRequest)).first()
    request_event(actor=None, item=item, kind="extended", changes={"extended_due": date(2030, 1, 2)})
    assert item.due_date == date(2030, 1, 2)
    with pytest.raises(ValueError):
        request_event(actor=None, item=item, kind="x", changes={"rincian": "no"})
    assert rebuild_cached_columns(item) == {}


def test_stale_version_is_refused(app, runner):
    runner.invoke(args=["ppid", "seed-demo"])
    item = db.session.scalars(select(InformationRequest)).first()
    ensure_version(item, item.version)
    with pytest.raises(StaleRequest):
        ensure_version(item, item.version - 1)
