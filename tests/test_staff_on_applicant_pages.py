"""Staff use staff pages: an officer opening one of the applicant's URLs (the objection receipt, the
dispute file, the notice, the response letter, a delivered file) is sent to the desk's page, and
nothing an officer does is logged as the applicant's, not even with a tracking link's grant."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from ppid_desk.audit.models import Event
from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.objections.models import Dispute
from tests.access_matrix import (
    ADMIN,
    ATASAN,
    CIT_A,
    PENGAWAS,
    PETUGAS,
    UTAMA,
    build_world,
    stub_pdfs,
)

STAFF = (PETUGAS, UTAMA, ATASAN, PENGAWAS, ADMIN)
# What the applicant downloads, logged on the request as the applicant's.
APPLICANT_DOWNLOADS = ("notice_downloaded", "information_downloaded", "objection_response_downloaded",
                       "dispute_file_downloaded")


@pytest.fixture
def world(app, clock, make_unit, officer_client, file_request, monkeypatch):
    stub_pdfs(monkeypatch)
    return build_world(app, clock, make_unit, officer_client, file_request)


def applicant_and_desk_urls(ids: dict) -> list[tuple[str, str]]:
    item, objection = ids["item"], ids["objection"]
    return [
        (f"/permohonan/{item}/keberatan/{objection}", f"/meja/keberatan/{objection}/tanda-terima"),
        (f"/permohonan/{item}/berkas-sengketa.zip", f"/meja/permohonan/{item}/berkas-sengketa.zip"),
        (f"/permohonan/{item}/keberatan/{objection}/tanggapan.pdf", f"/meja/keberatan/{objection}/tanggapan.pdf"),
        (f"/permohonan/{item}/pemberitahuan.pdf", f"/meja/permohonan/{item}/pemberitahuan.pdf"),
        (f"/permohonan/{item}/informasi/{ids['information']}",
         f"/meja/permohonan/{item}/informasi/{ids['information']}"),
    ]


def event_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Event))


def test_staff_are_sent_to_the_desk_page(world):
    for role in STAFF:
        for applicant_url, desk_url in applicant_and_desk_urls(world.ids):
            for headers in ({}, {"HX-Request": "true"}):
                before = event_count()
                response = world.clients[role].get(applicant_url, headers=headers)
                assert response.status_code == 303, (role, applicant_url, response.status_code)
                assert response.headers["Location"].endswith(desk_url), (role, applicant_url)
                assert event_count() == before  # served nothing, logged nothing
    # the applicant still gets them, logged as the applicant
    applicant = world.clients[CIT_A]
    for applicant_url, _desk_url in applicant_and_desk_urls(world.ids):
        assert applicant.get(applicant_url).status_code == 200, applicant_url


def test_no_staff_download_is_logged_as_the_applicants(world):
    """Follow every redirect as each officer: the desk logs officers; the applicant's own kinds (the
    notice "downloaded by the applicant", the dispute file "by applicant") name only the applicant."""
    staff_ids = {world.clients[role].user_email for role in STAFF}
    for role in STAFF:
        for applicant_url, _desk_url in applicant_and_desk_urls(world.ids):
            world.clients[role].get(applicant_url, follow_redirects=True)
    world.clients[CIT_A].get(f"/permohonan/{world.ids['item']}/pemberitahuan.pdf")
    from ppid_desk.accounts.models import User

    emails = dict(db.session.execute(select(User.id, User.email)).all())
    events = events_for("request", world.ids["item"])
    by_staff = [e for e in events if emails.get(e.actor_id) in staff_ids]
    assert {e.kind for e in by_staff} >= {"dispute_file_downloaded", "information_downloaded"}
    for event in by_staff:
        assert event.kind != "notice_downloaded", event.data  # labelled "diunduh pemohon"
        assert event.data.get("by") != "applicant", (event.kind, event.data)
        if event.kind in APPLICANT_DOWNLOADS:
            assert event.data.get("by") == "officer", (event.kind, event.data)
    assert [e.kind for e in events if e.kind == "notice_downloaded"] == ["notice_downloaded"]


def test_staff_holding_a_tracking_grant_do_not_act_as_the_applicant(world):
    """An officer who opened the applicant's tracking link may read, but records nothing as them."""
    ids = world.ids
    officer = world.clients[PETUGAS]
    assert officer.get(f"/lacak/{ids['other_token']}").status_code == 303
    page = officer.get(f"/permohonan/{ids['other']}").get_data(as_text=True)
    assert "Saya sudah mengajukan sengketa" not in page and "Ajukan keberatan" not in page
    before = event_count()
    response = officer.post(f"/permohonan/{ids['other']}/keberatan/{ids['other_objection']}/sengketa",
                            data={"level": "pusat", "filed_date": "2026-04-03"})
    assert response.status_code == 403
    assert officer.get(f"/permohonan/{ids['other']}/keberatan").status_code == 403
    assert officer.post(f"/permohonan/{ids['other']}/lengkapi", data={"completion_text": "x"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Dispute).where(
        Dispute.objection_id == ids["other_objection"])) == 0
    assert event_count() == before


def test_an_officer_who_is_the_applicant_is_served_as_the_applicant(app, clock, file_request, officer_client):
    from ppid_desk.accounts.models import User
    from tests.factories import make_objection

    clock.travel_to(datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    officer = officer_client("petugas")
    me = db.session.scalar(select(User).where(User.email == officer.user_email))
    item = file_request(owner=me, email=me.email)
    objection = make_objection(item)
    receipt = officer.get(f"/permohonan/{item.id}/keberatan/{objection.id}")
    assert receipt.status_code == 200 and objection.number in receipt.get_data(as_text=True)
