"""The monev dashboard in a real browser (issue 14, item 3): at 360 and 1280 px nothing is wider
than its container; the custom range opens only when chosen, without JavaScript; the league
table sorts by a header link; and it prints on one A4 landscape page. Screenshots and the PDF go
to test-artifacts/ (monev-*.png, monev-print.pdf) to be looked at."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journey import log_in

pytestmark = pytest.mark.browser

Q3 = "/meja/monev?periode=triwulan&tahun=2026&triwulan=3"
PHONE = {"width": 360, "height": 780}

# Every element whose box sticks out of its parent's box, unless an ancestor on the way scrolls or
# clips sideways (a table in its own scrolling container may be wider than the page).
OVERFLOW_JS = """
() => {
  const scrolls = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  const found = [];
  for (const el of document.querySelectorAll('main *')) {
    const parent = el.parentElement;
    if (!parent || el.closest('svg') !== null && el.tagName.toLowerCase() !== 'svg') continue;
    const box = el.getBoundingClientRect(), outer = parent.getBoundingClientRect();
    if (box.width === 0 || getComputedStyle(el).position === 'absolute') continue;
    let clipped = false;
    for (let up = parent; up && up !== document.body; up = up.parentElement) { if (scrolls(up)) { clipped = true; break; } }
    if (clipped) continue;
    if (box.right > outer.right + 1 || box.left < outer.left - 1) {
      found.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} ${Math.round(box.width)} > ${Math.round(outer.width)}`);
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth) found.push('page ' + document.documentElement.scrollWidth);
  return found;
}
"""


def _open(new_page, *, js: bool = True, viewport: dict | None = None, path: str = Q3) -> Page:
    page = new_page(js=js, viewport=viewport)
    log_in(page, "utama@pemda.example.id")
    page.goto(path)
    return page


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}], ids=["360", "1280"])
def test_no_element_wider_than_its_container(new_page, log, artifacts, viewport):
    page = _open(new_page, viewport=viewport)
    expect(page.locator(".tile").first).to_be_visible()
    assert page.evaluate(OVERFLOW_JS) == []
    # every chart is drawn at a readable size: at least 300 px wide on a phone, 450 on a desktop
    for box in page.locator(".monev-chart svg").all():
        assert box.bounding_box()["width"] >= (300 if viewport is PHONE else 450)
    page.screenshot(path=str(artifacts / f"monev-dashboard-{viewport['width']}.png"), full_page=True)
    for part in ("form.monev-filter", ".monev-tiles", "#league", "#chart-trend", "#chart-outcomes"):
        name = part.strip("#.").replace("form.", "")
        page.locator(part).screenshot(path=str(artifacts / f"monev-dashboard-{viewport['width']}-{name}.png"))


def test_custom_range_opens_only_when_chosen_without_javascript(new_page, log, artifacts):
    page = _open(new_page, js=False)
    custom = page.locator("#rentang")
    expect(custom).to_be_hidden()
    page.locator("#periode").select_option("kustom")
    expect(custom).to_be_visible()
    page.locator("#dari").fill("2026-08-01")
    page.locator("#sampai").fill("2026-07-01")
    page.get_by_role("button", name="Tampilkan").click()
    # the message sits next to the field, the typed days stay, the range stays open
    expect(page.locator("#rentang .field-invalid #sampai-error")).to_contain_text("setelah tanggal awal")
    expect(page.locator("#dari")).to_have_value("2026-08-01")
    expect(page.locator("#sampai")).to_have_value("2026-07-01")
    expect(custom).to_be_visible()
    page.locator("#periode").select_option("bulan-ini")
    expect(custom).to_be_hidden()
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#monev-period-title")).to_contain_text("September 2026")
    page.screenshot(path=str(artifacts / "monev-dashboard-nojs.png"), full_page=False)


def test_league_sorts_by_header_and_picker_swaps_with_htmx(new_page, log):
    page = _open(new_page)
    names = page.locator(".league-table tbody th[scope=row]")
    expect(names).to_have_text(["Unit Satu (U1)", "Unit Dua (U2)"])  # index, highest first
    page.locator(".league-table thead").get_by_role("link", name="Unit", exact=True).click()
    expect(names).to_have_text(["Unit Dua (U2)", "Unit Satu (U1)"])  # A–Z by name
    assert "urut=unit" in page.url and "arah=naik" in page.url
    # the period changes through htmx and keeps the sort
    page.locator("#periode").select_option("tahun-ini")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#monev-period-title")).to_contain_text("Tahun 2026")
    assert "urut=unit" in page.url and "periode=tahun-ini" in page.url
    expect(names).to_have_text(["Unit Dua (U2)", "Unit Satu (U1)"])


def test_prints_on_one_a4_landscape_page(new_page, log, artifacts):
    page = _open(new_page)
    pdf = artifacts / "monev-print.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    width, height = (float(part) for part in size.split(":")[1].split("pts")[0].split(" x "))
    assert round(width) == 842 and round(height) == 595  # A4 landscape in points
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(pdf), str(artifacts / "monev-print")],
                   check=True)
