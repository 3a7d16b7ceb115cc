"""The public aggregate pages are cached, and the cache is correct (issue "Close what an attacker
found", item 12; ppid_desk/monev/public_cache.py).

Anonymous visitors could make /statistik and the published annual report run the monev metric
set on every request. Now the figures are computed once per (figures version, day); the version
is bumped by the commit of every change of what they are made of. These tests count the SQL an
answer runs (the metric queries read ``information_request`` / ``monev_tally``) and check that
a change, a new day or a calendar change shows at once.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from ppid_desk.extensions import db
from ppid_desk.monev import public_cache
from ppid_desk.monev.models import AnnualReport, MonevFiguresVersion

URL = "/statistik"
TODAY = datetime(2026, 9, 30, 3, 0, tzinfo=UTC)  # a Wednesday, 10.00 WIB


def metric_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if re.search(r"\b(information_request|monev_tally\w*|objection)\b", s)]


def received_this_year(client) -> int:
    page = htmllib.unescape(client.get(URL).get_data(as_text=True))
    return int(page.split("Permohonan diterima</th><td class=\"num\">")[1].split("</td>")[0])


def version() -> tuple[str, int] | None:
    db.session.rollback()  # read what is committed now
    row = db.session.execute(select(MonevFiguresVersion.epoch, MonevFiguresVersion.counter)).one_or_none()
    return None if row is None else (row.epoch, row.counter)


@pytest.fixture
def body(app, clock, file_request):
    from ppid_desk.monev.ordinals import ordinals_ensure

    clock.travel_to(TODAY)
    for day in (7, 8, 9):
        file_request(received_at=datetime(2026, 9, day, 3, 0, tzinfo=UTC), email=f"p{day}@example.id")
    # The working calendar of the years the figures span is imported on first need, which is a
    # calendar change (the version moves): do it before the tests count.
    ordinals_ensure(date(2025, 1, 1), date(2026, 12, 31))
    db.session.commit()
    return file_request


def test_the_second_request_runs_no_metric_query(app, client, body, count_queries):
    with count_queries() as first:
        assert client.get(URL).status_code == 200
    assert len(metric_statements(first)) > 5  # the metric set ran
    for fmt in ("", "?format=json", "?format=csv"):
        with count_queries() as again:
            assert client.get(URL + fmt).status_code == 200
        assert metric_statements(again) == [], fmt
        assert len(again) <= 3, again  # the version, the published reports; nothing else
    with count_queries() as other_visitor:
        app.test_client().get(URL, headers={"HX-Request": "true"})
    assert metric_statements(other_visitor) == []


def test_a_new_request_shows_at_once(app, client, body):
    assert received_this_year(client) == 3
    body(received_at=datetime(2026, 9, 30, 2, 0, tzinfo=UTC), email="baru@example.id")  # funnel, committed
    assert received_this_year(client) == 4
    assert client.get(URL + "?format=json").get_json()["years"][0]["received"] == 4


def test_a_change_through_the_form_shows_at_once(app, client, body):
    from tests.helpers import request_form

    assert received_this_year(client) == 3
    assert app.test_client().post("/permohonan/baru", data=request_form(),
                                  content_type="multipart/form-data").status_code == 303
    assert received_this_year(client) == 4


def test_a_new_day_recomputes(app, client, body, clock, count_queries):
    client.get(URL)
    clock.travel_to(datetime(2026, 10, 1, 3, 0, tzinfo=UTC))
    with count_queries() as next_day:
        client.get(URL)
    assert metric_statements(next_day)


def test_a_calendar_change_bumps_the_version(app, body):
    from ppid_desk.monev.ordinals import ordinals_invalidate

    public_cache.figures_version()
    db.session.commit()
    before = version()
    ordinals_invalidate()  # what every holiday edit calls (tallies forgotten)
    db.session.commit()
    after = version()
    assert after[0] == before[0] and after[1] == before[1] + 1


def test_the_version_moves_only_with_committed_changes(app, body):
    from ppid_desk.monev.tallies import tally_mark_dirty

    public_cache.figures_version()
    db.session.commit()
    before = version()
    tally_mark_dirty(date(2026, 9, 7))
    db.session.rollback()  # nothing changed
    db.session.commit()
    assert version() == before
    tally_mark_dirty(date(2026, 9, 7))
    tally_mark_dirty(date(2026, 9, 8))
    db.session.commit()  # one transaction, one bump
    assert version()[1] == before[1] + 1


def test_a_recreated_database_never_matches_older_entries(app, body):
    epoch, _counter = public_cache.figures_version()
    db.session.commit()
    db.session.execute(MonevFiguresVersion.__table__.delete())
    db.session.commit()
    assert public_cache.figures_version()[0] != epoch


def test_published_annual_report_is_cached_too(app, body, count_queries, monkeypatch):
    from ppid_desk.monev import annual_pdf

    db.session.add(AnnualReport(year=2025, published=True, policy="Kebijakan.", facilities="Sarana.",
                                obstacles="Kendala.", recommendations="Rekomendasi."))
    db.session.commit()
    layouts = []
    real_pdf = annual_pdf.annual_pdf
    monkeypatch.setattr(annual_pdf, "annual_pdf", lambda **kw: layouts.append(kw) or real_pdf(**kw))
    anonymous = app.test_client()
    with count_queries() as first:
        assert anonymous.get("/laporan-tahunan/2025").status_code == 200
    assert metric_statements(first)
    with count_queries() as again:
        assert anonymous.get("/laporan-tahunan/2025").status_code == 200
        pdf = anonymous.get("/laporan-tahunan/2025.pdf")
        assert anonymous.get("/laporan-tahunan/2025.pdf").data == pdf.data
    assert metric_statements(again) == [] and pdf.data.startswith(b"%PDF")
    assert len(layouts) == 1  # the second PDF came from the cache
    # The narrative is read live: an edit shows at once, in the PDF as well (its save time is in the key).
    report = db.session.get(AnnualReport, 2025)
    report.policy = "Kebijakan baru yang diubah."
    report.updated_at = datetime(2026, 9, 30, 4, 0, tzinfo=UTC)
    db.session.commit()
    assert "Kebijakan baru yang diubah." in anonymous.get("/laporan-tahunan/2025").get_data(as_text=True)
    assert anonymous.get("/laporan-tahunan/2025.pdf").data != pdf.data
    assert len(layouts) == 2 and layouts[-1]["sections"][0][1] == "Kebijakan baru yang diubah."


def test_the_cache_is_bounded(app, body):
    for n in range(public_cache.MAX_ENTRIES * 3):
        public_cache.cached("bound-test", (n,), date(2026, 9, 30), lambda n=n: n)
    assert len(public_cache._entries) <= public_cache.MAX_ENTRIES
