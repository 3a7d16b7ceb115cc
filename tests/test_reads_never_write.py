"""Reading never writes: no GET (or HEAD) page commits, for any role, on a lived-in installation.

The check runs at run time: a listener on every SQLAlchemy session records each commit made while
a GET request is being handled, and the test walks every GET route of the app with real ids, as
every demo role and as a visitor. The one exception is stated here, with its reason:

* ``ACCESS_LOG``: opening or downloading a document that carries personal data logs who read it
  (``notice_downloaded``, ``document_viewed``, ``dispute_file_downloaded`` …). That write is the
  read's accountability, so it is allowed, and it writes the event log only
  (``requests.lifecycle.request_access_logged``: no funnel, no cache, no listener).
* ``TOKEN_LINKS``: the links e-mailed to confirm an address (``/daftar/verifikasi/<token>``,
  ``/akun/email/<token>``) are the confirmation itself: a signed one-shot token, idempotent, sent
  to the address it proves. Turning them into a page with a button would add a step the applicant
  sees, which issue 12 rules out; they are not walked here (they need a token) and are listed so
  that the exception stays visible. (``/lacak/<token>`` writes the session only.)
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from flask import has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ppid_desk.accounts.models import User
from ppid_desk.attachments.models import Attachment
from ppid_desk.demo import DEMO_PASSWORD, USERS, demo_seed
from ppid_desk.exemptions.models import ExemptionDecision
from ppid_desk.extensions import db
from ppid_desk.objections.models import Dispute, Objection
from ppid_desk.organisation.models import Unit
from ppid_desk.requests.models import InformationRequest
from ppid_desk.routing.models import RoutingTask
from ppid_desk.workcalendar.models import Holiday
from ppid_desk.workcalendar.services import calendar_years_ensure

# Endpoints whose GET may commit an access-log entry (and nothing but that): see the docstring.
ACCESS_LOG = frozenset({
    "requests.dispute_file", "objections.dispute_file",  # the dispute file (ZIP) of a request
    "requests.notice_pdf", "requests.download_information", "notices.download_information",
    "desk.download_attachment", "routing.task_document", "objections.objection_document",
    "requests.objection_response_pdf",
})
TOKEN_LINKS = frozenset({"accounts.verify_email", "accounts.email_confirm"})
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\s+(?:INTO\s+|FROM\s+)?\"?(\w+)", re.IGNORECASE)
SKIPPED_ENDPOINTS = {"static"}


def _ids() -> dict[str, list[int]]:
    """Real ids for every kind of ``<int:…>`` route argument (a few of each)."""
    def first(model, n=4):
        return list(db.session.scalars(select(model.id).order_by(model.id.desc()).limit(n)))

    return {"request_id": first(InformationRequest, 3), "objection_id": first(Objection, 2),
            "dispute_id": first(Dispute, 2), "task_id": first(RoutingTask, 2), "unit_id": first(Unit, 2),
            "user_id": first(User, 2), "holiday_id": first(Holiday, 1), "attachment_id": first(Attachment, 3),
            "decision_id": first(ExemptionDecision, 3)}


def get_urls(app) -> tuple[list[tuple[str, str]], list[str]]:
    """(endpoint, url) for every GET route the ids can fill; the endpoints that could not be filled."""
    ids = _ids()
    urls, unfilled = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        arguments = sorted(rule.arguments)
        if not arguments:
            urls.append((rule.endpoint, rule.rule))
            continue
        if any(name not in ids or not ids[name] for name in arguments):
            unfilled.append(rule.endpoint)
            continue
        count = max(len(ids[name]) for name in arguments)
        for i in range(count):
            values = {name: ids[name][min(i, len(ids[name]) - 1)] for name in arguments}
            with app.test_request_context():
                from flask import url_for

                urls.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return urls, unfilled


@pytest.fixture
def recorder(app):
    """{(method, endpoint): [tables written]} for every commit made while handling a request."""
    commits: dict[tuple[str, str], set[str]] = defaultdict(set)
    pending: dict[int, set[str]] = defaultdict(set)

    def before_execute(conn, cursor, statement, parameters, context, executemany):
        match = WRITE.match(statement)
        if match and has_request_context():
            pending[id(conn)].add(match.group(2).lower())

    def after_commit(session):
        if has_request_context():
            tables = set().union(*pending.values()) if pending else set()
            commits[(request.method, request.endpoint or request.path)] |= tables or {"(nothing)"}
        pending.clear()

    def after_rollback(session):
        pending.clear()

    event.listen(db.engine, "before_cursor_execute", before_execute)
    event.listen(Session, "after_commit", after_commit)
    event.listen(Session, "after_rollback", after_rollback)
    yield commits
    event.remove(Session, "after_rollback", after_rollback)
    event.remove(Session, "after_commit", after_commit)
    event.remove(db.engine, "before_cursor_execute", before_execute)


@pytest.fixture
def lived_in(app):
    """The demo body: every role, requests in every state, objections, a dispute."""
    from ppid_desk.dbtypes import utcnow
    from ppid_desk.workcalendar.selectors import local_date

    year = local_date(utcnow()).year
    calendar_years_ensure(year - 1, year, year + 1)  # as `ppid init` and the sweep do
    demo_seed()
    db.session.commit()


def _walk(client, urls, *, head: bool) -> dict[str, int]:
    statuses: dict[str, int] = {}
    for _endpoint, url in urls:
        statuses[url] = client.get(url).status_code
        assert statuses[url] != 500, url
        if head:  # HEAD runs the GET view: once (as a visitor) is enough
            client.head(url)
    return statuses


def test_the_stated_exceptions_are_get_routes_of_the_app(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert endpoints >= ACCESS_LOG | TOKEN_LINKS


def test_the_recorder_sees_a_commit_made_by_a_get(app, recorder):
    """The check itself can fail: a GET that commits is recorded with the tables it wrote."""
    from ppid_desk.web.pages import bp as pages_bp

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint.startswith(pages_bp.name + ".")
                and "GET" in r.methods and not r.arguments)

    def committing_view():
        db.session.add(Holiday(day=__import__("datetime").date(2030, 1, 2), kind="local_closure",
                               name="uji", source="admin", active=True))
        db.session.commit()
        return "ok"

    original = app.view_functions[rule.endpoint]
    app.view_functions[rule.endpoint] = committing_view
    try:
        app.test_client().get(rule.rule)
    finally:
        app.view_functions[rule.endpoint] = original
    # A calendar change replaces its version token, and every committed write the data's.
    assert recorder[("GET", rule.endpoint)] == {"holiday", "calendar_version", "data_version"}


# Every role once (the four PPID Pembantu demo officers differ by unit only: one of them).
ROLES = [None, *dict.fromkeys(spec.local_part if not spec.local_part.startswith("pembantu.")
                              else "pembantu.disdik" for spec in USERS)]


@pytest.mark.parametrize("who", ROLES)
def test_no_get_page_commits_for_any_role(app, lived_in, recorder, who):
    from ppid_desk.demo import DEMO_DOMAIN

    urls, unfilled = get_urls(app)
    assert len(urls) > 60 and "desk.queue" in {e for e, _ in urls}
    client = app.test_client()
    if who is not None:
        response = client.post("/masuk", data={"email": f"{who}@{DEMO_DOMAIN}", "password": DEMO_PASSWORD})
        assert response.status_code in (302, 303), who
    recorder.clear()
    statuses = _walk(client, urls, head=who is None)
    assert any(code == 200 for code in statuses.values())
    get_commits = {endpoint: tables for (method, endpoint), tables in recorder.items()
                   if method in ("GET", "HEAD")}
    unexpected = {endpoint: tables for endpoint, tables in get_commits.items() if endpoint not in ACCESS_LOG}
    assert unexpected == {}
    for endpoint, tables in get_commits.items():  # the stated exception writes the access log only
        assert tables <= {"event", "subject_key", "data_version"}, (endpoint, tables)  # (and so replaces the token)


def test_a_page_that_needs_a_year_never_imported_says_so_and_imports_nothing(app, empty_calendar, clock, file_request,
                                                                            officer_client):
    from datetime import UTC, datetime

    from ppid_desk.workcalendar.models import CalendarYear

    clock.travel_to(datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    item = file_request()  # a write path: imports the years its deadline reaches
    imported = set(db.session.scalars(select(CalendarYear.year)))
    assert imported == {2026, 2027}  # the filing year and the next
    clock.travel_to(datetime(2029, 3, 1, 3, 0, tzinfo=UTC))  # nobody ran the sweep since
    response = officer_client("ppid_utama").get(f"/meja/permohonan/{item.id}")
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "Kalender kerja tahun 2028 belum diimpor" in text and "flask ppid calendar import 2028" in text
    db.session.rollback()
    assert set(db.session.scalars(select(CalendarYear.year))) == imported
