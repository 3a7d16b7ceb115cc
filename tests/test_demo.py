"""Demo data: `flask ppid seed-demo` (idempotent) and `flask ppid demo-logins`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from ppid_desk.accounts.models import Role, User, UserRole
from ppid_desk.audit.models import Event
from ppid_desk.audit.selectors import events_for
from ppid_desk.audit.services import chain_is_intact
from ppid_desk.dbtypes import utcnow
from ppid_desk.demo import DEMO_DOMAIN, DEMO_PASSWORD, USERS, demo_seed
from ppid_desk.extensions import db
from ppid_desk.notifications.models import OutboxMessage
from ppid_desk.notifications.services import outbox_send_due
from ppid_desk.organisation.models import Unit, UnitKind
from ppid_desk.requests.models import Applicant, InformationRequest, RegistrationCounter
from ppid_desk.sla import ClockState, read_clock
from ppid_desk.workcalendar.models import CalendarYear, Holiday
from ppid_desk.workcalendar.selectors import working_calendar

COUNTED = (Unit, User, UserRole, Applicant, InformationRequest, RegistrationCounter, Event,
           OutboxMessage, Holiday, CalendarYear)


def counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in COUNTED}


def snapshot() -> dict:
    """Everything a second run could change in place."""
    return {
        "units": sorted((u.code, u.name, u.kind, u.parent_id, u.active) for u in db.session.scalars(select(Unit))),
        "users": sorted((u.email, u.name, u.password_hash, u.unit_id, tuple(sorted(u.roles)), u.active)
                        for u in db.session.scalars(select(User))),
        "requests": sorted((r.number, r.status, r.version, r.received_at, r.notice_due, r.notice_at,
                            r.delivered_at, r.outcome, r.user_id)
                           for r in db.session.scalars(select(InformationRequest))),
    }


@pytest.fixture
def seeded(app):
    demo_seed()
    db.session.commit()
    return app


def demo_requests() -> list[InformationRequest]:
    return list(db.session.scalars(
        select(InformationRequest).join(Applicant).where(Applicant.email.like(f"%@{DEMO_DOMAIN}"))
        .order_by(InformationRequest.received_at)
    ))


def user(local_part: str) -> User:
    return db.session.scalar(select(User).where(User.email == f"{local_part}@{DEMO_DOMAIN}"))


def test_seeding_twice_creates_and_changes_nothing(seeded):
    before_counts, before = counts(), snapshot()
    assert before_counts["InformationRequest"] >= 8

    report = demo_seed()
    db.session.commit()
    db.session.expire_all()

    assert "nothing created" in report
    assert counts() == before_counts
    assert snapshot() == before


def test_body_has_utama_and_pembantu_units(seeded):
    utama = db.session.scalar(select(Unit).where(Unit.code == "UTAMA"))
    assert utama.kind == UnitKind.UTAMA
    assert utama.name == "PPID Utama — Dinas Komunikasi dan Informatika"
    assert utama.parent_id is None
    pembantu = list(db.session.scalars(select(Unit).where(Unit.kind == UnitKind.PEMBANTU)))
    assert len(pembantu) >= 3
    assert all(u.active and u.head_name and u.head_position and u.email for u in pembantu)
    by_id = {u.id: u for u in pembantu}
    for unit in pembantu:  # a tree under PPID Utama, one kelurahan under its kecamatan
        parent = unit.parent_id
        while parent in by_id:
            parent = by_id[parent].parent_id
        assert parent == utama.id, unit.code
    kelurahan = next(u for u in pembantu if u.code == "KEL-SUKAMAJU")
    assert by_id[kelurahan.parent_id].code == "KEC-SUKAMAJU" and by_id[kelurahan.parent_id].issues_notices


def test_every_role_has_a_verified_demo_user(seeded):
    users = list(db.session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}"))))
    assert {role for u in users for role in u.roles} == {str(r) for r in Role}
    assert all(u.email_verified_at is not None and u.active for u in users)
    pembantu = [u for u in users if u.has_role(Role.PEMBANTU)]
    assert pembantu and all(u.unit is not None and u.unit.kind == UnitKind.PEMBANTU for u in pembantu)
    assert user("petugas").unit.code == user("ppid.utama").unit.code == "UTAMA"


def test_demo_users_share_the_documented_password(seeded):
    users = [user(spec.email.split("@")[0]) for spec in USERS]
    checked: dict[str, bool] = {}  # scrypt is slow: check each distinct hash once
    for demo_user in users:
        if demo_user.password_hash not in checked:
            checked[demo_user.password_hash] = demo_user.check_password(DEMO_PASSWORD)
        assert checked[demo_user.password_hash], demo_user.email
    assert not users[0].check_password("salah-" + DEMO_PASSWORD)


def test_demo_users_can_log_in(seeded, client):
    for spec in USERS:
        response = client.post("/masuk", data={"email": spec.email, "password": DEMO_PASSWORD})
        assert response.status_code in (302, 303), spec.email
        with client.session_transaction() as session:
            assert session.get("_user_id") == user(spec.email.split("@")[0]).get_id(), spec.email
        client.post("/keluar")
    client.post("/masuk", data={"email": f"warga@{DEMO_DOMAIN}", "password": DEMO_PASSWORD})
    assert client.get("/permohonan-saya").status_code == 200


def test_requests_are_varied_and_registered_for_real(seeded):
    items = demo_requests()
    assert {"registered", "routed", "notice_issued", "delivered", "closed"} <= {r.status for r in items}
    assert {"online", "walk_in", "letter", "email"} <= {r.channel for r in items}
    # A walk-in applicant with an accessibility need, so the desk's notice of it can be seen.
    assert any(r.accessibility_needs and r.channel == "walk_in" for r in items)

    citizen, petugas = user("warga"), user("petugas")
    own = [r for r in items if r.user_id == citizen.id]
    guests = [r for r in items if r.user_id is None]
    assert len(own) >= 2 and len(guests) >= 2
    for item in items:
        events = events_for("request", item.id)
        assert events[0].kind == "registered" and events[0].data["number"] == item.number
        assert chain_is_intact(events)
        assert [e.at for e in events] == sorted(e.at for e in events)
        if item.user_id == citizen.id:
            assert events[0].actor_id == citizen.id
        elif item.channel != "online":
            assert events[0].actor_id == petugas.id  # registered at the desk
        else:
            assert events[0].actor_id is None  # a guest filing online
        # Each status is reached by an event of the same name; "answered" by a unit's answer; a
        # notice that the information is not held closes the request at once.
        reached_by = {"answered": "task_answered"}.get(item.status, item.status)
        if item.status == "closed" and item.outcome == "not_held":
            reached_by = "notice_issued"
        assert {e.kind for e in events[1:]} >= ({reached_by} - {"registered"})
        if item.status in ("notice_issued", "delivered", "closed"):
            assert item.notice_at is not None and item.outcome
        if item.status == "delivered":
            assert item.delivered_at is not None and item.delivered_at >= item.notice_at
        assert item.received_at <= utcnow()


def test_numbers_are_gapless_per_year_and_one_is_from_last_year(seeded):
    items = demo_requests()
    today = utcnow().astimezone(ZoneInfo("Asia/Jakarta")).date()
    by_year: dict[int, list[int]] = {}
    for item in items:
        by_year.setdefault(item.year, []).append(item.seq)
        assert item.number.endswith(f"/{item.year}")
    for seqs in by_year.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
    assert today.year - 1 in by_year


def test_clocks_show_overdue_due_soon_and_on_track_today(seeded):
    calendar = working_calendar()
    today = utcnow().astimezone(ZoneInfo("Asia/Jakarta")).date()
    states = {read_clock(r.current_due, today, calendar).state for r in demo_requests() if r.is_open}
    assert ClockState.OVERDUE in states
    assert ClockState.ON_TRACK in states
    assert states & {ClockState.DUE_SOON, ClockState.DUE_TODAY}


def test_no_demo_email_is_left_to_send(seeded, mailbox):
    assert not db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient.like(f"%@{DEMO_DOMAIN}"))).all()
    result = outbox_send_due()
    assert result.sent + result.not_sent == 0
    assert mailbox.messages == []


def test_cli_seed_demo_and_demo_logins(runner):
    empty = runner.invoke(args=["ppid", "demo-logins"])
    assert empty.exit_code != 0
    assert "seed-demo" in empty.output

    first = runner.invoke(args=["ppid", "seed-demo"])
    assert first.exit_code == 0, first.output
    assert "created" in first.output and DEMO_PASSWORD in first.output
    after_first = counts()
    second = runner.invoke(args=["ppid", "seed-demo"])
    assert second.exit_code == 0, second.output
    assert "nothing created" in second.output
    assert counts() == after_first

    logins = runner.invoke(args=["ppid", "demo-logins"])
    assert logins.exit_code == 0, logins.output
    lines = logins.output.strip().splitlines()
    assert len(lines) == len(USERS)
    for spec, line in zip(USERS, lines, strict=True):
        role, email, unit = line.split(maxsplit=2)
        assert (role, email) == (str(spec.roles[0]), spec.email)
        assert unit == (user(spec.email.split("@")[0]).unit.name if spec.unit else "—")
    assert any("Dinas Kesehatan" in line and line.startswith("pembantu") for line in lines)


def test_the_demo_catalogue_holds_an_answer_published_from_a_delivered_request(seeded, client):
    from ppid_desk.dip.models import InformationItem

    answer = db.session.scalar(select(InformationItem).where(InformationItem.source_request_id.is_not(None)))
    request = db.session.get(InformationRequest, answer.source_request_id)
    assert (answer.status, answer.category, request.status) == ("published", "setiap_saat", "delivered")
    assert client.get(f"/informasi/{answer.id}").status_code == 200
    summary = client.get(f"/informasi/{answer.id}/permohonan").get_data(as_text=True)
    assert request.number in summary and request.applicant.name not in summary


def test_the_demo_has_an_internal_monev_round_open_and_consultations_logged(seeded):
    from ppid_desk.consultations.models import Consultation
    from ppid_desk.evaluation.models import EvaluationRound, Questionnaire

    assert {q.code for q in db.session.scalars(select(Questionnaire))} == {"saq-ki", "monev-internal"}
    (evaluation,) = db.session.scalars(select(EvaluationRound)).all()
    assert evaluation.version.questionnaire.code == "monev-internal"
    assert {p.unit.code for p in evaluation.participants} == {"DISDIK", "DINKES", "DPUPR", "KEC-SUKAMAJU"}
    assert evaluation.opens_on <= evaluation.closes_on
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 3
    demo_seed()  # a second run adds neither
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(EvaluationRound)) == 1
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 3
