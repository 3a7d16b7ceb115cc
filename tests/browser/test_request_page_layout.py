"""The officer's request page as a case (issue 14 item 1), measured in Chromium.

Requests in five states (new, accepted, routed, notice issued with a grant, refused with an
objection filed) are opened by a desk officer and by PPID Utama at 1280 px and at 360 px. At
1280 px the actions stand to the right of the request; the step due next is open and first in
that column and every other action is collapsed; the request comes before the records and the
history. At 360 px it is one column in the same order. The layout rules of item 2
(tests/browser/layout.py) hold at both widths. A full-page screenshot of each is left in
test-artifacts/request-page/ to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ppid_desk.extensions import db
from tests.browser.journey import DESKTOP, log_in, wib
from tests.browser.layout import PHONE, layout_problems
from tests.factories import (
    TEST,
    clock_at,
    file_objection,
    grant,
    make_unit,
    make_user,
    register_request,
)
from tests.helpers import ARTIFACTS

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "request-page"

BOX = """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top + window.scrollY, bottom: r.bottom + window.scrollY}; }"""


def seed() -> dict[str, int]:
    """Five requests, each left in one state through the services; {state: request id}."""
    from ppid_desk.desk.intake_services import request_accept
    from ppid_desk.notices.services import NoticeDraft, notice_issue
    from ppid_desk.routing.services import request_route

    utama = make_user("utama@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    make_user("petugas@pemda.example.id", roles=("petugas",), name="Dewi Petugas")
    unit = make_unit()
    ids = {}
    with clock_at(wib(2, 10)):
        for state in ("new", "accepted", "routed", "granted", "objection"):
            ids[state] = register_request(received_at=wib(2, 9), email=f"{state}@example.id", notify=False).id
    with clock_at(wib(3, 10)):
        for state in ("accepted", "routed", "granted"):
            request_accept(actor=utama, item=_item(ids[state]))
        routed = _item(ids["routed"])
        request_route(actor=utama, item=routed, unit_ids=[unit.id], instruction="Siapkan DPA 2025.",
                      internal_due=routed.notice_due, notify=False)
        db.session.commit()
    with clock_at(wib(5, 10)):
        notice_issue(actor=utama, item=_item(ids["granted"]), draft=grant(), sent_via="email", notify=False)
        notice_issue(actor=utama, item=_item(ids["objection"]),
                     draft=NoticeDraft(outcome="refused", held=True, consequence=TEST), sent_via="email", notify=False)
        db.session.commit()
    with clock_at(wib(9, 10)):
        file_objection(_item(ids["objection"]), grounds=["a"], filed_at=wib(9, 10))
    return ids


def _item(request_id: int):
    from ppid_desk.requests.models import InformationRequest

    return db.session.get(InformationRequest, request_id)


# state: (the step due next, whether each role can take it: petugas, PPID Utama)
EXPECTED = {
    "new": ("intake", True, True),
    "accepted": ("routing", False, True),
    "routed": ("units", False, False),
    "granted": ("delivery", True, True),
    "objection": ("objection", True, True),
}


def box(page: Page, selector: str) -> dict:
    return page.evaluate(BOX, selector)


def check_case(page: Page, state: str, acting: bool, step: str, *, wide: bool) -> None:
    summary, side, record = box(page, "#request-summary"), box(page, "#request-actions"), box(page, "#request-record")
    timeline = box(page, "#timeline")
    assert summary["bottom"] <= timeline["top"], "the request comes before the history"
    if wide:
        assert side["left"] >= summary["right"], f"{state}: the actions stand to the right of the request"
        assert side["top"] < summary["bottom"], f"{state}: ... beside it, not under it"
        assert record["left"] == summary["left"] and record["top"] >= summary["bottom"]
    else:
        assert abs(side["left"] - summary["left"]) < 1 and side["top"] >= summary["bottom"] - 1, \
            f"{state}: one column, the actions under the request"
        assert record["top"] >= side["bottom"] - 1, f"{state}: the records under the actions"
    first = page.locator("#request-actions > :not(h2)").first
    expect(first).to_have_attribute("id", "next-action")
    next_action = page.locator("#next-action")
    expect(next_action).to_be_visible()
    if acting:
        expect(next_action).to_have_attribute("data-action", "delivery" if step == "close" else step)
        expect(next_action.locator(".panel").first).to_be_visible()
        expect(next_action.locator("details.case-action")).to_have_count(0)
    else:
        expect(next_action).to_have_attribute("data-step", step)
        expect(next_action.locator(".panel")).to_have_count(0)
    for details in page.locator("#request-actions details.case-action").all():
        expect(details).not_to_have_attribute("open", "")
        expect(details.locator(":scope > summary")).to_be_visible()
    assert layout_problems(page) == [], state


def test_the_request_page_reads_as_a_case_at_both_widths(app, new_page, clock):
    clock.travel_to(wib(10, 9))
    ids = seed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for role, email in (("petugas", "petugas@pemda.example.id"), ("utama", "utama@pemda.example.id")):
        page = new_page(viewport=DESKTOP)
        log_in(page, email)
        for state, (step, petugas_acts, utama_acts) in EXPECTED.items():
            acting = petugas_acts if role == "petugas" else utama_acts
            page.set_viewport_size(DESKTOP)
            page.goto(f"/meja/permohonan/{ids[state]}")
            check_case(page, state, acting, step, wide=True)
            page.screenshot(path=str(SHOTS / f"{state}-{role}-1280.png"), full_page=True)
            page.set_viewport_size(PHONE)
            check_case(page, state, acting, step, wide=False)
            page.screenshot(path=str(SHOTS / f"{state}-{role}-360.png"), full_page=True)
    # The desk officer is told who routes, instead of an empty routing panel.
    page = new_page()
    log_in(page, "petugas@pemda.example.id")
    page.goto(f"/meja/permohonan/{ids['accepted']}")
    expect(page.locator("#next-action-owner")).to_have_text("Disposisi ke unit dilakukan oleh PPID Utama.")
    expect(page.locator("#disposisi, #disposisi-baru")).to_have_count(0)
