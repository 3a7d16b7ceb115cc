"""The citizen's status page in a real browser at 1280 and 360 px (issue 14 item 6): the next
step is the first thing under the heading, the objection is offered where a ground exists, and
the page reads (tests/browser/layout.py). Screenshots go to test-artifacts/pages/."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.browser.journey import DESKTOP
from tests.browser.layout import PHONE, layout_problems
from tests.helpers import ARTIFACTS

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # due Mon 16 March 2026


def test_the_status_page_leads_with_the_next_step_at_both_widths(app, clock, file_request, new_page):
    clock.travel_to(MONDAY)
    item = file_request()
    clock.travel_to(datetime.combine(date(2026, 3, 17), datetime.min.time(), UTC) + timedelta(hours=3))
    (ARTIFACTS / "pages").mkdir(parents=True, exist_ok=True)
    for size in (DESKTOP, PHONE):
        page = new_page(viewport=size)
        page.goto(f"/lacak/{item.tracking_token}")
        box = page.locator("#next-step")
        assert "padahal batasnya 16 Maret 2026" in box.inner_text()
        # the first thing under the heading, above the status list, within the first screen
        heading = page.locator("h1").bounding_box()
        top = box.bounding_box()
        assert heading["y"] < top["y"] < page.locator(".summary-list").first.bounding_box()["y"]
        assert top["y"] + top["height"] <= size["height"]
        assert box.get_by_role("link", name="Ajukan keberatan kepada Atasan PPID").is_visible()
        assert layout_problems(page) == []
        page.screenshot(path=ARTIFACTS / "pages" / f"status-page-{size['width']}.png", full_page=True)
        # the link leads to the objection form
        box.get_by_role("link").click()
        page.wait_for_url(f"**/permohonan/{item.id}/keberatan")
