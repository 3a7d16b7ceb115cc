"""Accessibility in a real browser (issue 6, item 12).

The request form is filled and sent with the keyboard only, with a visible focus indicator at
every stop; errors are announced; 320 px needs no horizontal scroll. That every page passes
axe-core is checked by the one site walk, tests/browser/test_site_walk.py, with the CSP.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journey import DESKTOP, TIMEOUT_MS
from tests.browser.site_tour import seed_site, sign_in, submit_empty
from tests.helpers import png_bytes

pytestmark = pytest.mark.browser

FOCUS_STYLE = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {id: el.id, tag: el.tagName.toLowerCase(), type: el.type || "", outline, shadow: style.boxShadow !== "none"};
}"""


def context_factory(browser, live_server, viewport=None):
    def _open():
        context = browser.new_context(base_url=live_server, viewport=viewport or DESKTOP, locale="id-ID",
                                      timezone_id="Asia/Jakarta", bypass_csp=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context
    contexts: list = []
    return _open, contexts


# --- the request form by keyboard ---------------------------------------------------------------

def tab_to(page: Page, element_id: str, seen: list[dict], limit: int = 12) -> None:
    """Press Tab until ``element_id`` has focus; every stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE)
        seen.append(state)
        assert state["outline"] or state["shadow"], f"no visible focus on {state}"
        if state["id"] == element_id:
            return
    raise AssertionError(f"#{element_id} not reached by Tab; focus went {[s['id'] or s['tag'] for s in seen[-limit:]]}")


def space_opens_the_file_chooser(page):
    """Space on the focused file input opens the file chooser. On a loaded machine Chromium now and
    then drops the chooser event of the first key press (seen on two of many full runs, never
    alone), so the key is pressed once more, still from the keyboard, before the test fails."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in (1, 2):
        try:
            with page.expect_file_chooser(timeout=5_000 * attempt) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            assert page.evaluate("() => document.activeElement.id") == "identity_document"


def test_the_request_form_is_filled_and_sent_with_the_keyboard_only(new_page, app, tmp_path):
    ktp = tmp_path / "ktp.png"
    ktp.write_bytes(png_bytes(3, 3))
    page = new_page()
    page.goto("/permohonan/baru")
    page.locator("h1").click()  # start reading from the heading, as a keyboard user after the skip link
    seen: list[dict] = []
    keys = page.keyboard

    tab_to(page, "applicant_kind-0", seen)
    keys.press("ArrowDown")  # arrows move within the radio group and select
    expect(page.locator("#applicant_kind-1")).to_be_checked()
    keys.press("ArrowUp")
    expect(page.locator("#applicant_kind-0")).to_be_checked()
    expect(page.locator("#nik")).to_be_visible()
    for field, text in {
        "name": "Budi Santoso", "nik": "3201011505900001", "address": "Jl. Melati No. 5",
        "occupation": "Wiraswasta", "phone": "081234567890", "email": "budi@example.id",
        "rincian": "Dokumen anggaran Dinas Pendidikan tahun 2025.", "tujuan": "Pengawasan anggaran",
    }.items():
        tab_to(page, field, seen)
        keys.type(text)
        if field == "nik":  # the "represented" checkbox sits between NIK and the next field
            tab_to(page, "represented", seen)
        if field == "email":  # the accessibility needs: checkboxes ticked with Space, then their note
            tab_to(page, "accessibility_needs-2", seen)
            keys.press("Space")
            expect(page.locator("#accessibility_needs-2")).to_be_checked()
    tab_to(page, "access_method-0", seen)
    keys.press("ArrowDown")
    keys.press("ArrowDown")
    expect(page.locator("#access_method-2")).to_be_checked()  # salinan softcopy
    tab_to(page, "copy_delivery-0", seen)
    keys.press("ArrowUp")  # wraps to the last option, e-mail
    expect(page.locator("#copy_delivery-4")).to_be_checked()
    tab_to(page, "identity_document", seen)
    chooser = space_opens_the_file_chooser(page)
    chooser.set_files(ktp)
    tab_to(page, "declaration", seen)
    keys.press("Space")
    expect(page.locator("#declaration")).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Kirim permohonan"
    assert page.evaluate(FOCUS_STYLE)["outline"]
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        keys.press("Enter")
    page.wait_for_load_state()
    assert answer.value.status == 303
    expect(page).to_have_url(re.compile(r"/permohonan/\d+/tanda-bukti$"))
    # One Tab stop per field, in reading order (a radio group is one stop; hidden sections none).
    order = [s["id"] for s in seen]
    assert order[order.index("applicant_kind-0"):] == [
        "applicant_kind-0", "name", "nik", "represented", "representative_name", "address", "occupation",
        "phone", "email", *(f"accessibility_needs-{i}" for i in range(5)), "accessibility_note",
        "rincian", "tujuan", "access_method-0", "copy_delivery-0", "identity_document",
        "declaration"], order


def test_errors_are_announced_and_tied_to_their_fields(new_page, app):
    page = new_page()
    page.goto("/permohonan/baru")
    submit_empty(page)
    summary = page.locator(".error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()  # read out first; its links lead to the fields
    links = summary.get_by_role("link")
    assert links.count() >= 5
    for index in range(links.count()):
        target = links.nth(index).get_attribute("href").lstrip("#")
        field = page.locator(f"#{target}")
        expect(field).to_have_count(1)
        describedby = (field.get_attribute("aria-describedby") or "").split()
        assert f"{target}-error" in describedby, (target, describedby)
        expect(page.locator(f"#{target}-error")).not_to_be_empty()
        if field.evaluate("el => el.tagName") != "FIELDSET":
            expect(field).to_have_attribute("aria-invalid", "true")
        else:  # a radio group: the group is described by the message, each radio is marked
            expect(field.locator("input").first).to_have_attribute("aria-invalid", "true")
    # Following a link of the summary moves focus to the field.
    links.first.press("Enter")
    expect(page.locator(f"#{links.first.get_attribute('href').lstrip('#')}")).to_be_in_viewport()


# --- 320 px -----------------------------------------------------------------------------------

NARROW = {"width": 320, "height": 640}


def test_no_horizontal_scroll_at_320_px(app, browser, live_server):
    ids = seed_site(app)
    public = ["/", "/permohonan/baru", "/lacak", "/masuk", "/daftar", "/statistik",
              f"/lacak/{ids['guest_token']}", f"/permohonan/{ids['guest']}/tanda-bukti"]
    desk = ["/meja/", f"/meja/permohonan/{ids['routed']}", f"/meja/permohonan/{ids['registered']}"]
    open_context, contexts = context_factory(browser, live_server, NARROW)
    too_wide = []
    try:
        page = open_context().new_page()
        for path in public:
            page.goto(path)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > NARROW["width"]:
                too_wide.append((path, width))
        page.goto("/permohonan/baru")
        submit_empty(page)
        if page.evaluate("() => document.documentElement.scrollWidth") > NARROW["width"]:
            too_wide.append(("/permohonan/baru (errors)", page.evaluate("() => document.documentElement.scrollWidth")))
        officer = open_context().new_page()
        sign_in(officer, f"ppid.utama@{ids['demo_domain']}")
        for path in desk:
            officer.goto(path)
            width = officer.evaluate("() => document.documentElement.scrollWidth")
            if width > NARROW["width"]:
                too_wide.append((path, width))
    finally:
        for context in contexts:
            context.close()
    assert not too_wide, too_wide
