"""Public service statistics (issue 5, item 7): GET /statistik, as HTML, CSV and JSON, no login.

Reuses the log of tests/test_monev_metrics.py (2026, "today" 30 Sep 2026) plus one request of 2025.
"""

from __future__ import annotations

import csv
import html as htmllib
import io
import json
from datetime import UTC, date, datetime

import pytest

from ppid_desk.extensions import db
from ppid_desk.monev.dashboard_views import days_text, pct
from ppid_desk.monev.metrics import monev_metrics
from ppid_desk.monev.models import AnnualReport

URL = "/statistik"
PERSONAL = ("Budi Santoso", "3201011505900001", "@example.id", "Jl. Melati", "081234567890")


@pytest.fixture
def two_years(log, file_request, clock):  # noqa: F811
    file_request(received_at=datetime(2025, 11, 3, 3, 0, tzinfo=UTC), email="lama@example.id")
    clock.travel_to(datetime(2026, 9, 30, 3, 0, tzinfo=UTC))
    return log


def test_public_page_without_login_matches_the_engine(app, client, two_years):
    response = client.get(URL)
    assert response.status_code == 200
    page = htmllib.unescape(response.get_data(as_text=True))
    with app.test_request_context():
        this = monev_metrics(start=date(2026, 1, 1), end=date(2026, 12, 31), unit_code=None, today=date(2026, 9, 30))
        last = monev_metrics(start=date(2025, 1, 1), end=date(2025, 12, 31), unit_code=None, today=date(2026, 9, 30))
        row = page.split("Permohonan diterima</th>")[1].split("</tr>")[0]
        assert row == f"<td class=\"num\">{this['received']['total']}</td><td class=\"num\">{last['received']['total']}</td>" == "<td class=\"num\">8</td><td class=\"num\">1</td>"  # W (withdrawn) is not counted
        legal = page.split("(termasuk perpanjangan)</th>")[1].split("</tr>")[0]
        assert pct(this["on_time_legal"]["share"]) in legal
        median = page.split("sampai pemberitahuan tertulis</th>")[1].split("</tr>")[0]
        assert f"<td class=\"num\">{days_text(this['wd_to_notice']['median'])}</td>" in median
    assert "Hasil: Ditolak</th><td class=\"num\">2</td><td class=\"num\">0</td>" in page
    assert "Keberatan</th><td class=\"num\">2</td><td class=\"num\">0</td>" in page
    assert "Belum ada laporan tahunan yang diterbitkan." in page
    for secret in PERSONAL:
        assert secret not in page
    assert client.get(URL, headers={"HX-Request": "true"}).status_code == 200


def test_csv_and_json_agree_with_the_html_and_hold_no_personal_data(app, client, two_years):
    data = client.get(URL + "?format=json")
    assert data.status_code == 200 and data.mimetype == "application/json"
    body = data.get_json()
    years = {fig["year"]: fig for fig in body["years"]}
    assert set(years) == {2025, 2026}
    assert years[2026]["received"] == 8 and years[2025]["received"] == 1
    assert years[2026]["outcomes"]["refused"] == 2 and years[2026]["objections"] == 2
    html = htmllib.unescape(client.get(URL).get_data(as_text=True))
    with app.test_request_context():
        assert pct(years[2026]["on_time_legal_share"]) in html and pct(years[2026]["on_time_10_share"]) in html

    export = client.get(URL + "?format=csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    csv_values = {(int(r["tahun"]), r["indikator"]): r["nilai"] for r in rows}
    for year, fig in years.items():
        for key in ("received", "objections", "disputes", "on_time_legal_share", "median_wd_to_notice"):
            expected = "" if fig[key] is None else str(fig[key])
            assert csv_values[(year, key)] == expected, (year, key)
        for key, count in fig["outcomes"].items():
            assert csv_values[(year, f"outcome_{key}")] == str(count)
    for text in (export.get_data(as_text=True), json.dumps(body)):
        for secret in PERSONAL:
            assert secret not in text


def test_published_reports_linked_only_when_published(app, client):
    db.session.add_all([AnnualReport(year=2025, published=True), AnnualReport(year=2024, published=False)])
    db.session.commit()
    page = client.get(URL).get_data(as_text=True)
    assert "Laporan tahun 2025" in page and "Laporan tahun 2024" not in page
