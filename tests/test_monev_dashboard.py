"""Monev supervisor dashboard (issue 5, item 3): GET /meja/monev.

Reuses the hand-built log of tests/test_monev_metrics.py (July–September 2026, "today" 30 Sep)
and checks the page shows exactly what ``monev_metrics`` computes, for the body and one unit.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import date

import pytest

from ppid_desk.monev.dashboard_periods import period_of, read_period
from ppid_desk.monev.dashboard_views import (
    days_text,
    pct,
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
    assert "Indeks layanan dari catatan layanan, bukan predikat monev Komisi Informasi" in page
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
    # the block swapped holds the picker too, so a bad range comes back with its message
    assert partial.lstrip().startswith('<div id="dashboard-body" class="monev">') and "<html" not in partial
    assert '<form class="monev-filter' in partial and "<h1" not in partial
    full = _text(client.get(URL + Q3))
    assert "<html" in full and 'hx-push-url="true"' in full and 'hx-target="#dashboard-body"' in full
    assert full.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 5
    for ident in ("chart-trend", "chart-outcomes", "chart-wd", "chart-pasal17", "chart-accessibility"):
        assert f'aria-labelledby="{ident}-title {ident}-desc"' in full
    assert "style=" not in full.split('<div id="dashboard-body" class="monev">')[1]
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
    assert full.count('<rect class="bar"', full.index("chart-trend"), full.index("chart-outcomes")) == 3


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
    assert read_period({}, today).period == period_of("tahun", 2026)
    assert read_period({"periode": "bulan", "tahun": "2026", "bulan": "2"}, today).period.end == date(2026, 2, 28)
    assert read_period({"periode": "semester", "tahun": "2025", "semester": "2"}, today).period.start == date(2025, 7, 1)
    custom = read_period({"periode": "kustom", "dari": "2026-03-05", "sampai": "2026-01-01"}, today)
    assert custom.period == period_of("tahun", 2026) and custom.field_errors["sampai"]
    assert read_period({"periode": "triwulan", "tahun": "2026", "triwulan": "9"}, today).errors
    months = trend_months(period_of("tahun", 2026), today)
    assert months[0] == (date(2026, 1, 1), date(2026, 1, 31)) and months[-1] == (date(2026, 5, 1), date(2026, 5, 31))
    long = read_period({"periode": "kustom", "dari": "2020-01-15", "sampai": "2026-12-31"}, today).period
    assert len(trend_months(long, today)) == 12


# --- issue 14, item 3: the period picker, tiles with their counts, sortable league, charts --------

def _field(page: str, name: str) -> str:
    """The custom range's field block of ``name`` (label, hint, error, input)."""
    match = re.search(rf'<div class="field[^"]*">\s*<label for="{name}">.*?</div>', page, re.S)
    assert match, name
    return match.group(0)


@pytest.mark.parametrize(("today", "preset", "start", "end"), [
    (date(2026, 5, 17), "bulan-ini", date(2026, 5, 1), date(2026, 5, 31)),
    (date(2028, 2, 15), "bulan-ini", date(2028, 2, 1), date(2028, 2, 29)),  # leap year
    (date(2026, 12, 31), "bulan-ini", date(2026, 12, 1), date(2026, 12, 31)),
    (date(2026, 3, 31), "triwulan-ini", date(2026, 1, 1), date(2026, 3, 31)),  # last day of Q1
    (date(2026, 4, 1), "triwulan-ini", date(2026, 4, 1), date(2026, 6, 30)),  # first day of Q2
    (date(2026, 9, 30), "triwulan-ini", date(2026, 7, 1), date(2026, 9, 30)),
    (date(2026, 10, 1), "triwulan-ini", date(2026, 10, 1), date(2026, 12, 31)),
    (date(2026, 6, 30), "semester-ini", date(2026, 1, 1), date(2026, 6, 30)),  # last day of S1
    (date(2026, 7, 1), "semester-ini", date(2026, 7, 1), date(2026, 12, 31)),  # first day of S2
    (date(2026, 1, 1), "tahun-ini", date(2026, 1, 1), date(2026, 12, 31)),
    (date(2026, 1, 1), "tahun-lalu", date(2025, 1, 1), date(2025, 12, 31)),
    (date(2026, 12, 31), "tahun-lalu", date(2025, 1, 1), date(2025, 12, 31)),
])
def test_presets_resolve_to_their_dates(app, today, preset, start, end):
    with app.test_request_context():
        pick = read_period({"periode": preset}, today)
    assert (pick.period.start, pick.period.end) == (start, end)
    assert pick.choice == preset and not pick.has_errors


@pytest.mark.parametrize(("kind", "year", "number", "by", "expected"), [
    ("triwulan", 2026, 1, -1, (date(2025, 10, 1), date(2025, 12, 31))),
    ("triwulan", 2026, 4, 1, (date(2027, 1, 1), date(2027, 3, 31))),
    ("bulan", 2026, 12, 1, (date(2027, 1, 1), date(2027, 1, 31))),
    ("semester", 2026, 1, -1, (date(2025, 7, 1), date(2025, 12, 31))),
    ("tahun", 2026, 1, -1, (date(2025, 1, 1), date(2025, 12, 31))),
])
def test_the_period_steps_cross_year_ends(kind, year, number, by, expected):
    step = period_of(kind, year, number).step(by)
    assert (step.start, step.end) == expected and step.kind == kind


def test_picker_is_one_control_with_presets(log, officer_client):  # noqa: F811
    client = officer_client("pengawas")
    page = _text(client.get(URL + Q3))  # "today" is 30 Sep 2026: Q3 is this quarter
    select = re.search(r'<select class="input" id="periode" name="periode".*?</select>', page, re.S).group(0)
    values = re.findall(r'<option value="([^"]+)"', select)
    assert values == ["bulan-ini", "triwulan-ini", "semester-ini", "tahun-ini", "tahun-lalu", "kustom"]
    assert '<option value="triwulan-ini" selected>Triwulan ini — Triwulan III 2026</option>' in select
    assert '<option value="tahun-lalu">Tahun lalu — Tahun 2025</option>' in select
    assert 'name="bulan"' not in page and 'name="tahun"' not in page  # no more stacked fields
    # an explicit period that no preset names is the chosen option, carried by hidden fields
    page = _text(client.get(URL + "?periode=triwulan&tahun=2026&triwulan=2"))
    assert '<option value="triwulan" selected>Triwulan II 2026</option>' in page
    assert '<input type="hidden" name="tahun" value="2026">' in page
    assert '<input type="hidden" name="triwulan" value="2">' in page
    assert 'rel="prev">‹ Triwulan I 2026</a>' in page and 'rel="next">Triwulan III 2026 ›</a>' in page
    # a preset shows its period's numbers (the quarter: 8 requests; September: none)
    assert _tile(_text(client.get(URL + "?periode=triwulan-ini")), "Permohonan diterima") == "8"
    assert _tile(_text(client.get(URL + "?periode=bulan-ini")), "Permohonan diterima") == "1"  # H
    page = _text(client.get(URL + "?periode=kustom&dari=2026-07-01&sampai=2026-07-31"))
    assert _tile(page, "Permohonan diterima") == "7" and "1 Juli 2026 – 31 Juli 2026" in page


def test_a_bad_custom_range_says_why_next_to_the_field_and_keeps_what_was_typed(log, officer_client):  # noqa: F811
    client = officer_client("pengawas")
    page = _text(client.get(URL + "?periode=kustom&dari=2026-08-01&sampai=2026-07-01"))
    to = _field(page, "sampai")
    assert 'field-invalid' in to and "Tanggal akhir harus sama dengan atau setelah tanggal awal." in to
    assert 'value="2026-07-01"' in to and 'aria-invalid="true"' in to
    assert 'value="2026-08-01"' in _field(page, "dari") and "field-invalid" not in _field(page, "dari")
    assert '<option value="kustom" selected>' in page  # the range stays open
    assert '<a href="#sampai">Tanggal akhir harus' in page  # the error summary links to the field
    assert "angka di bawah ini untuk tahun ini" in page and "Tahun 2026" in page
    # a day no date input can hold comes back as typed, in a text field; an empty one is asked for
    page = _text(client.get(URL + "?periode=kustom&dari=31/02/2026&sampai="))
    since = _field(page, "dari")
    assert 'type="text" value="31/02/2026"' in since and "Tulis tanggal yang benar" in since
    assert "Isi tanggal akhir." in _field(page, "sampai")
    # day-first typing is understood
    page = _text(client.get(URL + "?periode=kustom&dari=01/07/2026&sampai=30/09/2026"))
    assert "field-invalid" not in _field(page, "dari") and _tile(page, "Permohonan diterima") == "8"


def _tile_detail(page: str, label: str) -> str:
    match = re.search(re.escape(label) + r'</span>\s*<a class="tile-value"[^>]*>[^<]+</a>\s*'
                      r'<span class="tile-detail">([^<]+)</span>', page)
    assert match, label
    return match.group(1)


def test_tiles_show_the_count_behind_every_percentage(app, log, officer_client):  # noqa: F811
    page = _text(officer_client("pengawas").get(URL + Q3))
    # A, F, G on time within 10 WD of A–G counted; B's valid extension makes it 4 of 7 (legal)
    assert _tile(page, "Tepat waktu ≤ 10 hari kerja") == "42,9%"
    assert _tile_detail(page, "Tepat waktu ≤ 10 hari kerja") == "3 dari 7"
    assert _tile(page, "Tepat waktu dalam batas hukum") == "57,1%"
    assert _tile_detail(page, "Tepat waktu dalam batas hukum") == "4 dari 7"
    assert _tile_detail(page, "Keberatan") == "25,0% · 2 dari 8 permohonan"
    assert _tile_detail(page, "Median hari kerja sampai pemberitahuan") == "dari 6 pemberitahuan"
    with app.test_request_context():
        m = monev_metrics(start=date(2026, 7, 1), end=date(2026, 9, 30), unit_code=None, today=TODAY)
    completeness = m["register_complete"]
    assert _tile(page, "Register lengkap") == pct(completeness["share"])
    assert _tile_detail(page, "Register lengkap") == f"{completeness['complete']} dari {completeness['rows']}"
    assert _tile(page, "Indeks layanan") == "55,7"
    # the service index has its own neutral grades: the KI's band names are the questionnaires' only
    assert _tile_detail(page, "Indeks layanan") == "Kurang"
    assert "Informatif" not in page
    late = m["late_delivery"]
    assert _tile(page, "Disampaikan setelah tanggal yang dijanjikan") == str(late["late"])
    assert _tile_detail(page, "Disampaikan setelah tanggal yang dijanjikan") == (
        f"{late['late']} dari {late['on_time'] + late['late']}")
    published = m["answered_from_published"]  # none of the log's deliveries points to the catalogue
    assert _tile(page, "Dijawab dengan informasi yang sudah diumumkan") == "0"
    assert _tile_detail(page, "Dijawab dengan informasi yang sudah diumumkan") == f"0 dari {published['delivered']}"
    assert page.count('<li class="tile">') == 10


def _league_codes(page: str) -> list[str]:
    table = page[page.index('class="table league-table"'):]
    return re.findall(r'<th scope="row">[^<]*\((\w+)\)</th>', table[: table.index("</table>")])


@pytest.mark.parametrize(("query", "codes"), [
    ("", ["U1", "U2"]),  # the index, highest first; U2 has none
    ("&urut=indeks&arah=naik", ["U1", "U2"]),  # a unit without an index stays last
    ("&urut=unit&arah=naik", ["U2", "U1"]),  # by name: Unit Dua, Unit Satu
    ("&urut=unit&arah=turun", ["U1", "U2"]),
    ("&urut=diterima", ["U1", "U2"]),  # 2, 1: a first click sorts a number high first
    ("&urut=diterima&arah=naik", ["U2", "U1"]),
    ("&urut=terlambat&arah=naik", ["U2", "U1"]),  # 0, 1
    ("&urut=jawaban&arah=naik", ["U1", "U2"]),  # U2 answered nothing: last either way
    ("&urut=ngawur&arah=kemana", ["U1", "U2"]),  # unknown: the default
])
def test_league_table_sorts(log, officer_client, query, codes):  # noqa: F811
    page = _text(officer_client("pengawas").get(URL + Q3 + query))
    assert _league_codes(page) == codes


def test_sort_links_keep_the_period_and_unit_and_reverse_the_active_column(log, officer_client):  # noqa: F811
    client = officer_client("pengawas")
    page = client.get(URL + Q3 + "&urut=unit&arah=naik").get_data(as_text=True)
    assert 'aria-sort="ascending"' in page
    base = "/meja/monev?periode=triwulan&amp;tahun=2026&amp;triwulan=3"
    assert f'href="{base}&amp;urut=unit&amp;arah=turun#league">Unit' in page  # the active one reverses
    assert f'href="{base}&amp;urut=diterima&amp;arah=turun#league">Diterima' in page
    # the picker carries the sort, so a new period keeps it
    assert '<input type="hidden" name="urut" value="unit"><input type="hidden" name="arah" value="naik">' in page
    page = client.get(URL + Q3 + "&unit=U1&subunit=0").get_data(as_text=True)
    assert f'href="{base}&amp;unit=U1&amp;subunit=0&amp;urut=unit&amp;arah=naik#league"' in page
    assert 'aria-sort="descending"' in page  # the default sort is marked too


def test_charts_have_axes_labels_and_a_data_table(log, officer_client):  # noqa: F811
    page = _text(officer_client("pengawas").get(URL + Q3))

    def figure(ident: str) -> str:
        return re.search(rf'<figure class="monev-chart[^"]*" id="{ident}">.*?</figure>', page, re.S).group(0)

    trend = figure("chart-trend")
    for tick in ("0%", "20%", "40%", "60%", "80%", "100%"):
        assert f'text-anchor="end">{tick}</text>' in trend
    assert "Bulan penerimaan; sumbu tegak: persentase tepat waktu</text>" in trend
    assert '<tspan x="' in trend and ">Jul</tspan>" in trend and ">2026</tspan>" in trend and ">Sep</tspan>" in trend
    assert '<g class="axis axis-category"' in trend
    # its data table gives the month's share and the count behind it
    assert re.search(r'<th scope="row">Jul 2026</th>\s*<td class="numeric"><a [^>]*>57,1%</a></td>\s*'
                     r'<td class="numeric">4 dari 7</td>', trend)
    outcomes = figure("chart-outcomes")
    for tick in ("0", "1", "2"):
        assert f'text-anchor="middle">{tick}</text>' in outcomes
    assert "Jumlah permohonan</text>" in outcomes and ">Ditolak</tspan>" in outcomes
    assert "<table class=\"table monev-data-table\">" in outcomes
    assert re.search(r'<th scope="row">Ditolak</th>\s*<td class="numeric"><a [^>]*>2</a></td>', outcomes)
    wd = figure("chart-wd")
    assert "Jumlah pemberitahuan</text>" in wd and ">11–17 hari kerja</tspan>" in wd
    for ident in ("chart-trend", "chart-outcomes", "chart-wd", "chart-pasal17", "chart-accessibility"):
        assert "<table" in figure(ident) and "Tabel data:" in figure(ident)
