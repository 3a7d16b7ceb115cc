"""Every desk URL refuses anonymous visitors, citizens and the wrong unit (HTTP and HTMX).

The URLs are discovered from the app's URL map, so a new desk page is covered the day it is
added: its arguments are filled with real objects (a request routed to another unit, its
task, its identity document).
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from ppid_desk.extensions import db
from ppid_desk.requests.models import InformationRequest
from tests.helpers import png_bytes

SAFE_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture
def world(app, file_request, make_unit, make_user):
    """A request routed to unit A, with a task and an identity document."""
    from werkzeug.datastructures import FileStorage

    from ppid_desk.attachments.services import attachment_claim, attachment_stage
    from ppid_desk.dbtypes import utcnow
    from ppid_desk.routing.models import RoutingTask

    utama = make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    unit_a = make_unit("UNITA", "Dinas A")
    unit_b = make_unit("UNITB", "Dinas B")
    item = file_request()
    with app.test_request_context():
        document = attachment_stage(field="identity_document", purpose="identity_document",
                                    storage=FileStorage(io.BytesIO(png_bytes()), "ktp.png"))
    attachment_claim(document, request_id=item.id)
    task = RoutingTask(request_id=item.id, unit_id=unit_a.id, instruction="Siapkan", internal_due=item.notice_due,
                       routed_at=utcnow(), routed_by_id=utama.id)
    db.session.add(task)
    db.session.commit()
    return {"item": item, "task": task, "document": document, "unit_a": unit_a, "unit_b": unit_b}


def desk_urls(app, world) -> list[tuple[str, str, bool]]:
    """(method, url, is_object_url) for every desk rule (every page under /meja, whichever domain's
    blueprint holds it), arguments filled from ``world``."""
    values = {"request_id": world["item"].id, "task_id": world["task"].id,
              "attachment_id": world["document"].id, "holiday_id": 1, "year": 2026}
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/meja/"):
            continue
        args = {name: values.get(name, 1) for name in rule.arguments}
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **args)
        for method in sorted(rule.methods - SAFE_METHODS):
            urls.append((method, url, bool(rule.arguments & {"request_id", "task_id", "attachment_id"})))
    return urls


def test_the_desk_has_pages_to_protect(app, world):
    assert len(desk_urls(app, world)) >= 1


def test_anonymous_visitors_go_to_the_login_page(app, world):
    client = app.test_client()
    status_before = world["item"].status
    for method, url, _object in desk_urls(app, world):
        plain = client.open(url, method=method)
        assert plain.status_code == 302 and "/masuk" in plain.headers["Location"], (method, url)
        htmx = client.open(url, method=method, headers={"HX-Request": "true"})
        assert htmx.status_code == 401 and "/masuk" in htmx.headers["HX-Redirect"], (method, url)
    db.session.expire_all()
    assert db.session.get(InformationRequest, world["item"].id).status == status_before


def test_citizens_are_refused_everywhere(app, world, officer_client):
    citizen = officer_client("pemohon")
    for method, url, _object in desk_urls(app, world):
        for headers in ({}, {"HX-Request": "true"}):
            response = citizen.open(url, method=method, headers=headers)
            assert response.status_code in (403, 404), (method, url, response.status_code)


def test_another_units_officer_cannot_reach_the_request(app, world, officer_client):
    outsider = officer_client("pembantu", unit=world["unit_b"])
    for method, url, is_object_url in desk_urls(app, world):
        if not is_object_url:
            continue
        for headers in ({}, {"HX-Request": "true"}):
            response = outsider.open(url, method=method, headers=headers)
            assert response.status_code in (403, 404), (method, url, response.status_code)
    assert db.session.scalar(select(InformationRequest.status)) == world["item"].status
