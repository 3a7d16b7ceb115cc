"""Monev supervisor dashboard (issue 5, item 3): GET /meja/monev.

Reuses the hand-built log of tests/test_monev_metrics.py (July–September 2026, "today" 30 Sep)
and checks the page shows exactly what ``monev_metrics`` computes, for the body and one unit.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import date

import pytest

from ppid_desk.monev.dashboard_views import (
    days_text,
    parse_period,
    pct,
    period_of,
    trend_months,
    wd_to_notice_buckets,
)
from ppid_desk.monev.metrics import monev_metrics

URL = "/meja/monev"
Q3 = "?periode=triwulan&tahun=2026&triwulan=3"
TODAY = date(2026, 9, 30)


def _text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def _tile(page: str, label: str) -> str:
    match = re.search(re.escape(label) + r'</span>\s*<a class="tile-value" href="[^"]*">([^<]+)</a>', page)
    assert match, label
    return match.group(1)


def test_tiles_equal_the_metric_engine(app, log, officer_client):  # noqa: F811
    page = _text(officer_client("pengawas").get(URL + Q3))
    with app.test_request_context():
        m = monev_metrics(start=date(2026, 7, 1), end=date(2026, 9, 30), unit_code=None, today=TODAY)
        assert _tile(page, "Permohonan diterima") == str(m["received"]["total"]) == "8"
        assert _tile(page, "Tepat waktu ≤ 10 hari kerja") == pct(m["on_time_10"]["share"])
        assert _tile(page, "Tepat waktu dalam batas hukum") == pct(m["on_time_legal"]["share"])
        assert _tile(page, "Terlambat sekarang") == str(m["overdue_open"]["count"])
        assert _tile(page, "Median hari kerja sampai pemberitahuan") == days_text(m["wd_to_notice"]["median"])
        assert _tile(page, "Keberatan") == str(m["objection_rate"]["count"]) == "2"
        # league table: U1 and U2 with their index and band
        for code, index in m["index"]["by_unit"].items():
            row = re.search(rf"\({code}\)</th>(.*?)</tr>", page, re.S).group(1)
            assert (index["band"] or "—") in row and days_text(index["score"]) in row
    assert "Indeks internal, bukan nilai SAQ resmi" in page
    assert "/meja/?monev=diterima&dari=2026-07-01&sampai=2026-09-30" in page
    assert "/meja/?monev=terlambat_sekarang&dari=2026-07-01&sampai=2026-09-30" in page
    assert "Laporan tahunan 2026 wajib disampaikan paling lambat 31 Maret 2027" in page
    assert "tinggal 182 hari lagi." in page


def test_unit_picker_changes_the_numbers(app, log, officer_client):  # noqa: F811
    client = officer_client("ppid_utama")
    page = _text(client.get(URL + Q3 + "&unit=U1"))
    with app.test_request_context():
        m = monev_metrics(start=date(2026, 7, 1), end=date(2026, 9, 30), unit_code="U1", today=TODAY)
    assert _tile(page, "Permohonan diterima") == str(m["received"]["total"]) == "2"
    assert _tile(page, "Terlambat sekarang") == str(m["overdue_open"]["count"]) == "1"
    assert 'href="/meja/?monev=terlambat_sekarang&amp;dari=2026-07-01&amp;sampai=2026-09-30&amp;unit=U1"' in client.get(URL + Q3 + "&unit=U1").get_data(as_text=True)
    assert '<option value="U1" selected>' in page
    # an unknown unit falls back to the whole body, with a message
    page = _text(client.get(URL + Q3 + "&unit=NOPE"))
    assert "Unit tidak dikenal" in page and _tile(page, "Permohonan diterima") == "8"


def test_htmx_partial_and_charts(app, log, officer_client):  # noqa: F811
    client = officer_client("atasan")
    partial = _text(client.get(URL + Q3, headers={"HX-Request": "true"}))
    assert partial.lstrip().startswith('<div id="dashboard-body">') and "<html" not in partial
    assert "<form" not in partial
    full = _text(client.get(URL + Q3))
    assert "<html" in full and 'hx-push-url="true"' in full and 'hx-target="#dashboard-body"' in full
    assert full.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 5
    for ident in ("chart-trend", "chart-outcomes", "chart-wd", "chart-pasal17", "chart-accessibility"):
        assert f'aria-labelledby="{ident}-title {ident}-desc"' in full
    assert "style=" not in full.split('<div id="dashboard-body">')[1]
    assert "Pasal 17 huruf c: 1" in full  # G refused on letter c, in the SVG description
    assert "Pasal 17 huruf h: 2" in full  # F refused and B granted in part on letter h (issue 13)
    assert "Ditolak: 2" in full  # F and G
    # WD-to-notice buckets agree with the engine's count and are shown
    with app.test_request_context():
        m = monev_metrics(start=date(2026, 7, 1), end=date(2026, 9, 30), unit_code=None, today=TODAY)
        buckets = wd_to_notice_buckets(m["wd_to_notice"]["histogram"])
    assert sum(buckets.values()) == m["wd_to_notice"]["count"] == 6
    assert buckets == {"0–5": 2, "6–10": 1, "11–17": 3, ">17": 0}  # A 4, G 2 | F 6 | B 15, C 14, D 12
    assert "0–5 hari kerja: 2" in full and "11–17 hari kerja: 3" in full
    # the trend has one bar per month (Jul, Aug, Sep), each the month's own on-time share
    assert full.count('<rect x="190"', full.index("chart-trend"), full.index("chart-outcomes")) == 3


@pytest.mark.parametrize("role", ["pemohon", "pembantu", "petugas"])
def test_access_refused_for_other_roles(officer_client, role):
    assert officer_client(role).get(URL).status_code == 403


def test_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    htmx = client.get(URL, headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and "HX-Redirect" in htmx.headers


def test_default_is_this_year_and_periods_parse(app, officer_client, clock):
    page = _text(officer_client("admin").get(URL))
    assert "Monev" in page and "Permohonan diterima" in page
    today = date(2026, 5, 17)
    assert parse_period({}, today)[0] == period_of("tahun", 2026)
    assert parse_period({"periode": "bulan", "tahun": "2026", "bulan": "2"}, today)[0].end == date(2026, 2, 28)
    assert parse_period({"periode": "semester", "tahun": "2025", "semester": "2"}, today)[0].start == date(2025, 7, 1)
    custom, errors = parse_period({"periode": "kustom", "dari": "2026-03-05", "sampai": "2026-01-01"}, today)
    assert custom == period_of("tahun", 2026) and errors
    assert parse_period({"periode": "triwulan", "tahun": "2026", "triwulan": "9"}, today)[1]
    months = trend_months(period_of("tahun", 2026), today)
    assert months[0] == (date(2026, 1, 1), date(2026, 1, 31)) and months[-1] == (date(2026, 5, 1), date(2026, 5, 31))
    long = parse_period({"periode": "kustom", "dari": "2020-01-15", "sampai": "2026-12-31"}, today)[0]
    assert len(trend_months(long, today)) == 12
