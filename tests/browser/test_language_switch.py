"""The language switch in a real browser, with and without JavaScript (issue 6, item 11)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_switch_to_english_and_back(js, new_page, artifacts):
    page = new_page(js=js)
    page.goto("/lacak")
    expect(page.locator("html")).to_have_attribute("lang", "id")

    header = page.locator("header")
    header.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/lacak$"))  # back on the same page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(header.get_by_role("link", name="Track a request")).to_be_visible()

    # Remembered: other pages and a new tab in the same browser are English too.
    header.get_by_role("link", name="Make a request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make an information request")
    other = page.context.new_page()
    other.goto("/")
    expect(other.get_by_role("heading", level=1)).to_have_text("You have the right to know")
    other.screenshot(path=str(artifacts / f"home-english-{'js' if js else 'nojs'}.png"), full_page=False)

    other.locator("header").get_by_role("link", name="Bahasa Indonesia").click()
    expect(other.locator("html")).to_have_attribute("lang", "id")
    expect(other.get_by_role("heading", level=1)).to_have_text("Anda berhak tahu")
