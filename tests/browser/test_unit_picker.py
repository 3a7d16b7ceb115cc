"""The unit picker in a real browser (issue "Ready for a real office", item 6): with many units,
PPID Utama routes by typing part of a name and picking from the search-as-you-type list (htmx and
static/js/app.js), and filters the queue the same way; without JavaScript the code is typed and
resolved on submit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ppid_desk.extensions import db
from ppid_desk.routing.models import RoutingTask
from tests.browser.journey import log_in

pytestmark = pytest.mark.browser

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


@pytest.fixture
def many_units(app, make_unit, monkeypatch):
    """A small tree that counts as "many" (the picker is a text field from 4 units up)."""
    monkeypatch.setitem(app.config, "UNIT_SELECT_MAX", 3)
    utama = make_unit("UTAMA", "PPID Utama Kota Contoh", kind="utama")
    kec = make_unit("KEC-SKM", "Kecamatan Sukamaju", parent=utama)
    kel = make_unit("KEL-CBY", "Kelurahan Cibeunying", parent=kec)
    units = {"kec": kec, "kel": kel}
    for n in (1, 2):
        units[f"rw{n}"] = make_unit(f"KEL-CBY-RW0{n}", f"RW 0{n} Kelurahan Cibeunying", parent=kel)
    make_unit("DISDIK", "Dinas Pendidikan", parent=utama)
    return units


def tasks_of(item_id: int) -> set[str]:
    db.session.remove()  # the live server committed in its own thread: read afresh
    return {task.unit.code for task in db.session.scalars(select(RoutingTask).where(RoutingTask.request_id == item_id))}


def test_route_and_filter_by_picking_from_the_search(new_page, clock, many_units, make_user, file_request):
    clock.travel_to(MONDAY)
    make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    item = file_request()
    page = new_page()
    log_in(page, "utama@pemda.example.id", "rahasia-panjang-1")
    page.goto(f"/meja/permohonan/{item.id}")
    # Not yet checked for completeness (the step due next): routing is among the collapsed actions.
    page.locator("#request-actions summary", has_text="Disposisi ke unit").click()
    codes = page.locator("#route-unit_codes")
    codes.press_sequentially("cibeunying rw 02", delay=20)
    option = page.locator("#route-unit_codes-hasil [data-unit-option]")
    expect(option).to_have_count(1)
    expect(option).to_contain_text("PPID Utama Kota Contoh › Kecamatan Sukamaju › Kelurahan Cibeunying")
    option.click()
    expect(page.get_by_label("RW 02 Kelurahan Cibeunying (KEL-CBY-RW02)")).to_be_checked()
    expect(codes).to_have_value("")
    codes.press_sequentially("KEC-SKM", delay=20)  # and one more, left as a typed code
    expect(page.locator("#route-unit_codes-hasil [data-unit-option]").first).to_contain_text("Kecamatan Sukamaju")
    page.locator("#route-instruction").fill("Siapkan data penduduk RW 02.")
    page.get_by_role("button", name="Teruskan ke unit").click()
    expect(page.locator(".notice-success")).to_contain_text("Permohonan diteruskan ke")
    assert tasks_of(item.id) == {"KEL-CBY-RW02", "KEC-SKM"}

    page.goto("/meja/")
    page.locator("summary", has_text="Saringan lain").click()
    unit = page.locator("#unit")
    unit.press_sequentially("rw 01", delay=20)
    page.locator("#unit-hasil [data-unit-option]").first.click()
    expect(unit).to_have_value("KEL-CBY-RW01")
    expect(page.locator(".queue-count")).to_contain_text("0 permohonan")  # the rows swapped, no reload
    unit.fill("KEL-CBY")
    unit.dispatch_event("change")
    expect(page.locator(".queue-count")).to_contain_text("1 permohonan")  # the RW 02 below it counts


def test_without_javascript_the_code_is_typed(new_page, clock, many_units, make_user, file_request):
    clock.travel_to(MONDAY)
    make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    item = file_request()
    page = new_page(js=False)
    log_in(page, "utama@pemda.example.id", "rahasia-panjang-1")
    page.goto(f"/meja/permohonan/{item.id}")
    page.locator("#request-actions summary", has_text="Disposisi ke unit").click()  # <details>: no JS needed
    page.locator("#route-unit_codes").fill("kel-cby-rw01, NOPE")
    page.locator("#route-instruction").fill("Siapkan data.")
    page.get_by_role("button", name="Teruskan ke unit").click()
    expect(page.locator("#route-unit_codes-error")).to_contain_text("kode NOPE")
    expect(page.get_by_label("RW 01 Kelurahan Cibeunying (KEL-CBY-RW01)")).to_be_checked()
    expect(page.locator("#route-unit_codes")).to_have_value("NOPE")
    page.locator("#route-unit_codes").fill("")
    page.get_by_role("button", name="Teruskan ke unit").click()
    expect(page.locator(".notice-success")).to_contain_text("Permohonan diteruskan ke RW 01 Kelurahan Cibeunying")
    assert tasks_of(item.id) == {"KEL-CBY-RW01"}
