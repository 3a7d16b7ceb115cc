"""`bench/seed_load.py`: a bulk, deterministic, consistent request log."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select

from bench import seed_load as seed_load_script
from ppid_desk.extensions import db


def _load(app, capsys, clock, n=300, seed=1):
    """Run the bench script's entry point on the test app, as `bench/seed_load.py` would."""
    clock.travel_to(datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    seed_load_script.main(["--requests", str(n), "--years", "2", "--seed", str(seed)], app=app)
    assert f"{n} requests" in capsys.readouterr().out.splitlines()[-1]


def _snapshot():
    from ppid_desk.audit.models import Event
    from ppid_desk.requests.models import InformationRequest

    requests = db.session.execute(select(
        InformationRequest.number, InformationRequest.status, InformationRequest.outcome,
        InformationRequest.channel, InformationRequest.receipt_date, InformationRequest.due_date,
        InformationRequest.notice_at).order_by(InformationRequest.id)).all()
    events = db.session.execute(select(Event.kind, Event.hash).order_by(Event.id)).all()
    return requests, events


def test_seed_load_counts_variety_numbers_and_cache(app, runner, capsys, clock):
    from ppid_desk.objections.models import Objection
    from ppid_desk.requests.models import InformationRequest, RegistrationCounter
    from ppid_desk.routing.models import RoutingTask

    _load(app, capsys, clock)
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 300
    rows = db.session.execute(select(InformationRequest.status, InformationRequest.outcome,
                                     InformationRequest.channel, InformationRequest.extended_due,
                                     InformationRequest.year, InformationRequest.seq,
                                     InformationRequest.number)).all()
    statuses = Counter(r.status for r in rows)
    outcomes = Counter(r.outcome for r in rows)
    assert {"closed", "registered"} <= set(statuses) and len(statuses) >= 4
    assert {"granted_full", "refused", "not_held"} <= set(outcomes)
    assert 0.55 < Counter(r.channel for r in rows)["online"] / 300 < 0.85
    assert any(r.extended_due for r in rows)
    assert db.session.scalar(select(func.count()).select_from(RoutingTask)) > 200
    assert db.session.scalar(select(func.count()).select_from(Objection)) >= 1
    assert len({r.number for r in rows}) == 300
    by_year = Counter(r.year for r in rows)
    for year, count in by_year.items():
        seqs = sorted(r.seq for r in rows if r.year == year)
        assert seqs == list(range(1, count + 1))
        assert db.session.get(RegistrationCounter, ("permohonan", year)).last_value == count

    check = runner.invoke(args=["ppid", "rebuild-cache", "--check"])
    assert check.exit_code == 0, check.output[:2000]


def test_real_registration_after_load_gets_next_number(app, runner, capsys, clock, file_request):
    from ppid_desk.requests.models import RegistrationCounter

    _load(app, capsys, clock, n=120)
    before = db.session.get(RegistrationCounter, ("permohonan", 2026)).last_value
    item = file_request()
    assert item.seq == before + 1 and item.number.startswith(f"{before + 1:04d}/")


def test_deterministic_with_the_same_seed(app, runner, capsys, clock):
    from ppid_desk.audit.models import Event
    from ppid_desk.requests.models import InformationRequest

    _load(app, capsys, clock, n=80, seed=7)
    first = _snapshot()
    for model in (Event,):
        db.session.execute(model.__table__.delete())
    db.session.commit()
    from ppid_desk.models import (
        ConsequenceTest,
        Dispute,
        Objection,
        RegistrationCounter,
        RoutingTask,
        WrittenNotice,
    )
    for model in (Dispute, Objection, ConsequenceTest, WrittenNotice, RoutingTask, InformationRequest,
                  RegistrationCounter):
        db.session.execute(model.__table__.delete())
    db.session.commit()
    _load(app, capsys, clock, n=80, seed=7)
    second = _snapshot()
    assert first[0] == second[0]
    assert [kind for kind, _ in first[1]] == [kind for kind, _ in second[1]]



def test_event_chains_are_intact(app, runner, capsys, clock):
    """Every subject's events verify with audit.services' own chain check."""
    from ppid_desk.audit.models import Event
    from ppid_desk.audit.services import chain_is_intact

    _load(app, capsys, clock, n=150, seed=3)
    chains: dict = {}
    for event in db.session.scalars(select(Event).order_by(Event.id)):
        chains.setdefault((event.subject_type, event.subject_id), []).append(event)
    assert {kind for kind, _ in chains} == {"request", "objection"}
    assert len([key for key in chains if key[0] == "request"]) == 150
    assert all(chain_is_intact(events) for events in chains.values())
