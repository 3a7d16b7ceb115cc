"""The home page's "most viewed" information (issue 15 item 9): a catalogue item's page counts its
view by a POST that htmx fires when the page loads (GET views never write), once per item, browser
session and day, never for an unknown or unpublished item, rate limited; the home page lists the
published items viewed most over the last 90 days beside the newest ones."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ppid_desk.dip.models import ItemViewDay
from ppid_desk.extensions import db
from tests.factories import make_dip_item

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB


@pytest.fixture
def catalogue(app, clock, make_unit, make_user):
    clock.travel_to(MONDAY)
    unit = make_unit("BPKAD", "Badan Keuangan")
    officer = make_user(email="unit@pemda.example.id", roles=("pembantu",), unit=unit)
    utama = make_user(email="utama@pemda.example.id", roles=("ppid_utama",))

    def item(title: str, status: str = "published"):
        return make_dip_item(unit, officer=officer, approver=utama, title=title, status=status).id

    return {"lra": item("Laporan Realisasi Anggaran 2025"), "dpa": item("Dokumen Pelaksanaan Anggaran 2026"),
            "renstra": item("Rencana Strategis 2025-2029"), "draft": item("Draf Laporan Kinerja", "draft"),
            "withdrawn": item("Laporan Lama", "withdrawn")}


def views() -> dict[tuple[int, date], int]:
    db.session.expire_all()
    return {(row.item_id, row.day): row.views for row in db.session.scalars(select(ItemViewDay))}


def view(client, item_id: int):
    return client.post(f"/informasi/{item_id}/dilihat", headers={"HX-Request": "true"})


def test_the_item_page_asks_htmx_to_count_the_view_on_load_and_its_get_writes_nothing(
        app, client, catalogue, count_queries):
    item_id = catalogue["lra"]
    with count_queries() as statements:
        page = client.get(f"/informasi/{item_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    form = re.search(r'<form method="post" action="/informasi/(\d+)/dilihat" hx-post="([^"]+)" '
                     r'hx-trigger="load" hx-swap="none"[^>]*hidden>', html)
    assert form is not None and form.group(1) == str(item_id) and form.group(2) == f"/informasi/{item_id}/dilihat"
    writes = [s for s in statements if s.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == [] and views() == {}


def test_a_view_is_counted_once_per_session_and_day(app, client, catalogue, clock):
    lra, dpa, today = catalogue["lra"], catalogue["dpa"], date(2026, 3, 2)
    response = view(client, lra)
    assert response.status_code == 204 and response.get_data() == b""
    assert views() == {(lra, today): 1}
    assert view(client, lra).status_code == 204  # reloading the page: the same session, not again
    assert view(client, dpa).status_code == 204
    assert views() == {(lra, today): 1, (dpa, today): 1}

    other = app.test_client()  # another visitor: another session
    assert view(other, lra).status_code == 204
    assert views() == {(lra, today): 2, (dpa, today): 1}

    clock.travel_to(MONDAY + timedelta(days=1))  # the next day the same session counts again
    assert view(client, lra).status_code == 204
    assert views() == {(lra, today): 2, (dpa, today): 1, (lra, today + timedelta(days=1)): 1}


@pytest.mark.parametrize("which", ["unknown", "draft", "withdrawn"])
def test_an_unknown_or_unpublished_item_is_404_and_nothing_is_written(app, client, catalogue, which):
    item_id = 999_999 if which == "unknown" else catalogue[which]
    for htmx in (False, True):
        response = client.post(f"/informasi/{item_id}/dilihat", headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code == 404
    assert views() == {}
    assert client.post("/informasi/bukan-angka/dilihat").status_code == 404


def test_the_post_needs_the_csrf_token(app, client, catalogue):
    app.config.update(WTF_CSRF_ENABLED=True)
    try:
        assert view(client, catalogue["lra"]).status_code == 400
        assert views() == {}
        page = client.get(f"/informasi/{catalogue['lra']}").get_data(as_text=True)
        token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)  # what htmx sends from <body>
        response = client.post(f"/informasi/{catalogue['lra']}/dilihat",
                               headers={"HX-Request": "true", "X-CSRFToken": token})
        assert response.status_code == 204 and sum(views().values()) == 1
    finally:
        app.config.update(WTF_CSRF_ENABLED=False)


def test_the_counter_is_rate_limited_per_address(app, catalogue, rate_limits, monkeypatch):
    monkeypatch.setitem(app.config, "DIP_VIEW_RATE_LIMIT", "2 per minute")
    answers = [view(app.test_client(), catalogue["lra"]).status_code for _ in range(3)]  # a fresh session each
    assert answers == [204, 204, 429]
    assert sum(views().values()) == 2


def test_concurrent_counts_of_one_item_and_day_add_up(app, catalogue):
    """The upsert itself (SQLite and PostgreSQL): a second insert of the same day adds one."""
    from ppid_desk.dip.models import InformationItem
    from ppid_desk.dip.services import item_view_count

    item = db.session.get(InformationItem, catalogue["dpa"])
    for _ in range(3):
        item_view_count(item=item, day=date(2026, 3, 2))
    item_view_count(item=item, day=date(2026, 3, 3))
    db.session.commit()
    assert views() == {(item.id, date(2026, 3, 2)): 3, (item.id, date(2026, 3, 3)): 1}
    assert db.session.scalar(select(func.count()).select_from(ItemViewDay)) == 2


def _home_lists(client) -> tuple[list[str], list[str]]:
    html = client.get("/").get_data(as_text=True)

    def titles(ident: str) -> list[str]:
        found = re.search(rf'<ul class="document-list" id="{ident}">(.*?)</ul>', html, re.S)
        return re.findall(r'<a href="/informasi/\d+">([^<]+)</a>', found.group(1)) if found else []

    return titles("latest-information"), titles("most-viewed-information")


def test_the_home_page_shows_the_most_viewed_of_the_last_90_days_beside_the_newest(app, catalogue, clock):
    from ppid_desk.dip.models import InformationItem
    from ppid_desk.dip.services import item_view_count

    def count(key: str, day: date, n: int) -> None:
        item = db.session.get(InformationItem, catalogue[key])
        for _ in range(n):
            item_view_count(item=item, day=day)

    clock.travel_to(datetime(2026, 7, 1, 3, 0, tzinfo=UTC))  # today 1 July 2026: the window is 3 April – 1 July
    count("renstra", date(2026, 4, 2), 50)  # 90 days ago: outside
    count("renstra", date(2026, 4, 3), 1)  # 89 days ago: inside
    count("dpa", date(2026, 6, 30), 3)
    count("lra", date(2026, 7, 1), 2)
    db.session.commit()
    latest, popular = _home_lists(app.test_client())
    assert popular == ["Dokumen Pelaksanaan Anggaran 2026", "Laporan Realisasi Anggaran 2025", "Rencana Strategis 2025-2029"]
    assert len(latest) == 3 and "Laporan Lama" not in latest  # the newest list is unchanged beside it

    # Only published items: withdrawing the most viewed takes it off the list.
    from ppid_desk.accounts.models import User
    from ppid_desk.dip.services import item_withdraw

    utama = db.session.scalar(select(User).where(User.email == "utama@pemda.example.id"))
    item_withdraw(actor=utama, item=db.session.get(InformationItem, catalogue["dpa"]), reason="Diperbarui.")
    db.session.commit()
    assert _home_lists(app.test_client())[1] == ["Laporan Realisasi Anggaran 2025", "Rencana Strategis 2025-2029"]


def test_without_views_the_home_page_shows_only_the_newest(app, client, catalogue):
    latest, popular = _home_lists(client)
    assert latest and popular == []
    assert "Paling banyak dilihat" not in client.get("/").get_data(as_text=True)
