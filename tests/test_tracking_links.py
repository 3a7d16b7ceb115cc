"""Tracking links can be revoked by the applicant and expire with the retention period (issue
"Close what an attacker found", item 11; ppid_desk/requests/tracking.py).

A tracking link (``/lacak/<token>``) opens the request without a login. Leaked (a forwarded
e-mail, a shared computer) it used to work for ever and could not be stopped. Now the applicant
revokes it from the request page (a confirmed POST), optionally with a fresh link by e-mail;
every browser that opened the old link loses the request; and a link expires with the request's
personal data. A revoked, expired or unknown link says so, offers the look-up by number and
e-mail, and shows nothing of the request.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from ppid_desk.audit.models import Event
from ppid_desk.extensions import db
from ppid_desk.requests.models import InformationRequest, RevokedTrackingLink
from tests.factories import grant
from tests.helpers import request_form

REVOKE = "/permohonan/{}/tautan-lacak/cabut"


def file(client) -> InformationRequest:
    assert client.post("/permohonan/baru", data=request_form(), content_type="multipart/form-data").status_code == 303
    return db.session.scalar(select(InformationRequest).order_by(InformationRequest.id.desc()).limit(1))


def fresh(item_id: int) -> InformationRequest:
    db.session.expire_all()
    return db.session.get(InformationRequest, item_id)


def link_of(message) -> str:
    return re.search(r"https?://[^/\s]+(/lacak/\S+)", message.get_content()).group(1)


def opened(client, link: str, item_id: int) -> bool:
    """Open the link in this browser; True when the request is now shown to it."""
    client.get(link)
    return client.get(f"/permohonan/{item_id}").status_code == 200


def assert_says_nothing_about(page: str, item: InformationRequest) -> None:
    for secret in (item.number, item.applicant.name, item.applicant.email, "Jl. Melati", "Dokumen pelaksanaan"):
        assert secret not in page


MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB


@pytest.fixture
def guest(app, mailbox, clock):
    """A guest filed a request; the receipt e-mail carries the tracking link."""
    clock.travel_to(MONDAY)
    client = app.test_client()
    item = file(client)
    link = link_of(mailbox.wait_for(1)[0])
    mailbox.clear()
    return client, item, link


def test_the_applicant_revokes_the_link_and_every_browser_loses_it(app, guest, mailbox):
    client, item, link = guest
    elsewhere = app.test_client()  # a browser the link leaked to, which opened it earlier
    assert opened(elsewhere, link, item.id)
    owner = app.test_client()
    assert opened(owner, link, item.id)
    page = owner.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert "Cabut tautan pelacakan" in page

    response = owner.post(REVOKE.format(item.id), data={"confirm": "y"})
    assert response.status_code == 303 and response.headers["Location"] == "/lacak"
    # The old link says so (410), offers the look-up, shows nothing of the request.
    answer = app.test_client().get(link)
    assert answer.status_code == 410
    body = answer.get_data(as_text=True)
    assert "sudah dicabut" in body and 'action="/lacak"' in body
    assert_says_nothing_about(body, item)
    # Every grant given under the old link ended, the revoker's own included; nobody else did anything.
    for browser in (elsewhere, owner, client):
        assert browser.get(f"/permohonan/{item.id}").status_code == 404
    assert mailbox.messages == []
    # The look-up by number and e-mail opens it again.
    lookup = owner.post("/lacak", data={"number": item.number, "email": "budi@example.id"})
    assert lookup.status_code == 303 and owner.get(f"/permohonan/{item.id}").status_code == 200
    # Recorded on the timeline (the applicant sees it), never with a token; only a hash is kept.
    db.session.expire_all()
    event = db.session.scalar(select(Event).where(Event.kind == "tracking_link_revoked"))
    assert event.subject_id == item.id and event.data == {"new_link_sent": False}
    old_token = link.rsplit("/", 1)[1]
    assert old_token not in str(event.data) and fresh(item.id).tracking_token != old_token
    assert db.session.scalar(select(func.count()).select_from(RevokedTrackingLink)) == 1
    assert old_token not in db.session.scalar(select(RevokedTrackingLink.token_sha256))
    assert "Tautan pelacakan dicabut oleh pemohon" in owner.get(f"/permohonan/{item.id}").get_data(as_text=True)


def test_a_fresh_link_by_email_when_asked(app, guest, mailbox):
    client, item, link = guest
    response = client.post(REVOKE.format(item.id), data={"confirm": "y", "send_new_link": "y"})
    assert response.status_code == 303
    [message] = mailbox.wait_for(1)
    assert message["To"] == "budi@example.id" and item.number in message["Subject"]
    new_link = link_of(message)
    assert new_link != link and new_link == f"/lacak/{fresh(item.id).tracking_token}"
    assert app.test_client().get(link).status_code == 410
    assert opened(app.test_client(), new_link, item.id)


def test_revoking_needs_the_confirmation(app, guest):
    client, item, link = guest
    response = client.post(REVOKE.format(item.id), data={"send_new_link": "y"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Centang pernyataan ini untuk mencabut tautan." in page and 'id="tracking-panel"' in page
    assert 'name="send_new_link" value="y" checked' in page  # what was ticked is kept
    assert fresh(item.id).tracking_token == link.rsplit("/", 1)[1]  # nothing changed
    assert opened(app.test_client(), link, item.id)


def test_a_logged_in_owner_keeps_the_request(app, client, make_user, login, mailbox):
    user = make_user()
    login()
    item = file(client)
    response = client.post(REVOKE.format(item.id), data={"confirm": "y"})
    assert response.status_code == 303 and response.headers["Location"] == f"/permohonan/{item.id}"
    assert client.get(f"/permohonan/{item.id}").status_code == 200
    assert fresh(item.id).user_id == user.id


def test_only_the_applicant_may_revoke(app, guest, officer_client):
    _client, item, link = guest
    token = link.rsplit("/", 1)[1]
    assert app.test_client().post(REVOKE.format(item.id), data={"confirm": "y"}).status_code == 404
    officer = officer_client("ppid_utama")
    assert officer.post(REVOKE.format(item.id), data={"confirm": "y"}).status_code == 403
    assert fresh(item.id).tracking_token == token


def test_the_link_expires_with_the_retention_period(app, guest, clock, make_user, monkeypatch):
    from ppid_desk.notices.services import notice_issue

    _client, item, link = guest
    officer = make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    notice_issue(actor=officer, item=fresh(item.id), draft=grant(), notify=False)  # on 2 March
    db.session.commit()
    monkeypatch.setitem(app.config, "PERSONAL_DATA_RETENTION_DAYS", 30)
    # Retention counts from the end of the objection window (30 working days after the notice).
    clock.travel_to(datetime(2026, 5, 4, 3, 0, tzinfo=UTC))
    assert opened(app.test_client(), link, item.id)
    clock.travel_to(datetime(2026, 7, 1, 3, 0, tzinfo=UTC))
    answer = app.test_client().get(link)
    assert answer.status_code == 410
    body = answer.get_data(as_text=True)
    assert "kedaluwarsa" in body and 'action="/lacak"' in body
    assert_says_nothing_about(body, item)


def test_a_purged_request_has_no_working_link(app, guest):
    _client, item, link = guest
    item = fresh(item.id)
    item.applicant.purged_at = datetime(2026, 1, 1, tzinfo=UTC)
    db.session.commit()
    answer = app.test_client().get(link)
    assert answer.status_code == 410 and "kedaluwarsa" in answer.get_data(as_text=True)


@pytest.mark.parametrize("token", ["bukan-token", "x" * 500, "%00", "ä¸€%F0%9F%98%80", "a.b~c_-%20d"])
def test_an_unknown_link_says_so_never_a_500(app, token):
    answer = app.test_client().get(f"/lacak/{token}")
    assert answer.status_code == 404
    body = answer.get_data(as_text=True)
    assert "tidak dikenal" in body and 'action="/lacak"' in body
