"""Monev drill-down (issue 5, item 3: "every number links to the list of requests behind it") and
``register_complete`` (DESIGN §6), over the hand-built log of tests/test_monev_metrics.py
(July–September 2026, "today" 30 Sep).

For every bucket of ``predicates.BUCKETS`` the desk queue, filtered by ``monev``/``dari``/``sampai``
(and a unit), lists exactly as many requests as the matching ``monev_metrics`` number.
"""

from __future__ import annotations

import csv
import html as htmllib
import io
import re
from datetime import UTC, date, datetime

import pytest

from ppid_desk.extensions import db
from ppid_desk.monev.charts import WD_BUCKETS
from ppid_desk.monev.dashboard_views import wd_to_notice_buckets
from ppid_desk.monev.metrics import monev_metrics
from ppid_desk.monev.predicates import BUCKETS, wd_bucket_name
from ppid_desk.monev.register_quality import MANDATORY_COLUMNS, register_completeness
from ppid_desk.notices.models import PASAL_17_LETTERS
from ppid_desk.organisation.models import Unit
from ppid_desk.requests.labels import OUTCOME_LABELS
from ppid_desk.requests.lifecycle import request_event
from ppid_desk.requests.models import AccessibilityNeed, Outcome

START, END, TODAY = date(2026, 7, 1), date(2026, 9, 30), date(2026, 9, 30)
PERIOD = "dari=2026-07-01&sampai=2026-09-30"


def expected_counts(m: dict) -> dict[str, int]:
    """The monev number behind each bucket."""
    wd = wd_to_notice_buckets(m["wd_to_notice"]["histogram"])
    return {
        "diterima": m["received"]["total"],
        "tepat_10": m["on_time_10"]["on_time"],
        "terlambat_10": m["on_time_10"]["counted"] - m["on_time_10"]["on_time"],
        "tepat_hukum": m["on_time_legal"]["on_time"],
        "pelanggaran": m["breach"]["count"],
        "diperpanjang": m["extended"]["count"],
        "perpanjangan_sah": m["extended"]["valid"],
        "perpanjangan_terlambat": m["extended"]["count"] - m["extended"]["valid"],
        "terlambat_sekarang": m["overdue_open"]["count"],
        "ditolak": m["refusal_quality"]["refusals"],
        "penolakan_lengkap": m["refusal_quality"]["complete"],
        "penolakan_tidak_lengkap": m["refusal_quality"]["refusals"] - m["refusal_quality"]["complete"],
        "berbiaya": m["fees"]["with_fee"],
        "dari_informasi_publik": m["answered_from_published"]["count"],
        "belum_diputus": m["outcomes"]["pending"],
        **{f"hasil_{o.value}": m["outcomes"][o.value] for o in Outcome},
        "diberi_pemberitahuan": m["wd_to_notice"]["count"],
        **{f"pasal17_{letter}": m["refusal_basis"].get(letter, 0) for letter in PASAL_17_LETTERS},
        **{wd_bucket_name(low, high): wd[label] for label, low, high in WD_BUCKETS},
        "dijanjikan": m["late_delivery"]["promised"],
        "disampaikan_sesuai_janji": m["late_delivery"]["on_time"],
        "disampaikan_terlambat": m["late_delivery"]["late"],
        "janji_lewat": m["late_delivery"]["passed_open"],
        "aksesibilitas": m["accessibility"]["requests"],
        **{f"aksesibilitas_{need.value}": m["accessibility"]["by_need"][need.value] for need in AccessibilityNeed},
    }


def listed(client, query: str) -> int:
    page = htmllib.unescape(client.get("/meja/?" + query).get_data(as_text=True))
    match = re.search(r'<p class="queue-count" role="status"><strong>(\d+) permohonan</strong>', page)
    assert match, query
    return int(match.group(1))


@pytest.mark.parametrize("unit", [None, "U1"])
def test_every_bucket_lists_exactly_its_monev_number(app, log, officer_client, unit):  # noqa: F811
    client = officer_client("pengawas")
    with app.test_request_context():
        expected = expected_counts(monev_metrics(start=START, end=END, unit_code=unit, today=TODAY))
    assert set(expected) == set(BUCKETS)  # a new bucket needs its number here
    unit_arg = f"&unit={unit}" if unit else ""
    got = {name: listed(client, f"monev={name}&{PERIOD}{unit_arg}") for name in BUCKETS}
    assert got == expected
    if unit is None:  # the log exercises the buckets: not all zero
        # pasal17_h: F refused and B granted in part, both under letters b and h
        assert (got["diterima"], got["tepat_hukum"], got["hasil_withdrawn"], got["pasal17_h"],
                got["hk_11_17"], got["terlambat_sekarang"]) == (8, 4, 1, 2, 3, 1)


def test_drilldown_shows_every_status_and_a_badge_with_a_clear_link(log, officer_client):  # noqa: F811
    client = officer_client("pengawas")
    page = htmllib.unescape(client.get(f"/meja/?monev=hasil_granted_full&{PERIOD}&unit=U1").get_data(as_text=True))
    assert log["A"].number in page  # closed/delivered: the default "open only" status filter is not applied
    assert "Monev: Hasil: Diberikan seluruhnya" in page
    assert "diterima 1 Juli 2026 – 30 September 2026" in page and "Unit Satu (U1)" in page
    assert 'href="/meja/?unit=U1">Hapus saringan monev' in page
    assert 'type="date" value="2026-07-01"' in page and 'name="monev" value="hasil_granted_full"' in page
    # with htmx: only the rows, still with the badge
    rows = client.get(f"/meja/?monev=ditolak&{PERIOD}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert rows.lstrip().startswith('<div id="queue-rows">') and "Monev: Ditolak" in rows
    assert log["F"].number in rows and log["G"].number in rows and log["A"].number not in rows
    # pagination and an explicit status choice keep the drill-down
    narrowed = htmllib.unescape(client.get(f"/meja/?monev=diterima&{PERIOD}&status=closed").get_data(as_text=True))
    assert "Monev: Diterima" in narrowed and log["E"].number not in narrowed


def test_a_unit_officer_drilldown_stays_in_its_unit(log, officer_client):  # noqa: F811
    u2 = db.session.scalar(db.select(Unit).where(Unit.code == "U2"))
    client = officer_client("pembantu", unit=u2)
    assert listed(client, f"monev=diterima&{PERIOD}") == 1  # H only, of the eight
    assert listed(client, f"monev=diterima&{PERIOD}&unit=U1") == 1  # the unit filter is not theirs to use


def test_period_alone_filters_by_receipt_date(log, file_request, officer_client):  # noqa: F811
    client = officer_client("pengawas")
    assert listed(client, "status=semua&dari=2026-07-01&sampai=2026-09-30") == 9  # W included: every status
    assert listed(client, "status=semua&dari=2026-09-01&sampai=2026-09-30") == 1  # H
    assert listed(client, "dari=2026-07-01&sampai=2026-07-31") == 1  # the default "open only": E


@pytest.mark.parametrize(("query", "message"), [
    ("monev=diterima&dari=2026-13-01&sampai=2026-09-30", "isi tanggal dengan format TTTT-BB-HH"),
    ("monev=diterima&dari=2026-09-30&sampai=2026-07-01", "tanggal akhir harus sama dengan atau sesudah"),
    ("monev=tidak_ada&" + PERIOD, "Kelompok monev \"tidak_ada\" tidak dikenal"),
    ("monev=diterima", "isi tanggal awal dan akhir periode"),
])
def test_bad_drilldown_filters_are_explained_never_a_500(log, officer_client, query, message):  # noqa: F811
    client = officer_client("pengawas")
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/meja/?" + query, headers=headers)
        assert response.status_code == 200  # like the queue's other unknown filters: ignored, with a message
        page = htmllib.unescape(response.get_data(as_text=True))
        assert message in page and "Monev:" not in page


def test_every_dashboard_link_opens_a_page(log, officer_client):  # noqa: F811
    client = officer_client("pengawas")
    for query in ("?periode=triwulan&tahun=2026&triwulan=3", "?periode=triwulan&tahun=2026&triwulan=3&unit=U1"):
        page = client.get("/meja/monev" + query).get_data(as_text=True)
        body = page[page.index('id="dashboard-body"'):]
        links = {htmllib.unescape(href) for href in re.findall(r'href="([^"]+)"', body)}
        drilldowns = [link for link in links if "monev=" in link]
        assert len(drilldowns) >= 15, drilldowns
        assert not any("monev=" in link and "dari=" not in link for link in links)
        for link in links:
            response = client.get(link)
            assert response.status_code == 200, link
            text = htmllib.unescape(response.get_data(as_text=True))
            if "monev=" in link:
                assert "Monev:" in text and "tidak dikenal" not in text, link
        assert "saringan terdekat" not in page  # the old "approximate links" remark is gone


def test_bucket_labels_use_the_indonesian_outcome_labels(app):
    with app.test_request_context():
        for outcome, text in OUTCOME_LABELS.items():
            assert str(BUCKETS[f"hasil_{outcome.value}"].label) == f"Hasil: {text}"


# --- register_complete -------------------------------------------------------------------------

def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 3, 0, tzinfo=UTC)


def test_register_completeness_exact_values(app, log, clock, make_user):  # noqa: F811
    with app.test_request_context():
        assert register_completeness(START, END, None) == {
            "share": 1.0, "complete": 8, "rows": 8, "missing_by_column": dict.fromkeys(MANDATORY_COLUMNS, 0)}
        # A: no telephone and no e-mail; B: a blank address; E: a notice without an outcome (nor its row).
        log["A"].applicant.phone, log["A"].applicant.email = "", ""
        log["B"].applicant.address = "  "
        officer = make_user(email="petugas2@pemda.example.id", roles=("ppid_utama",))
        request_event(actor=officer, item=log["E"], kind="notice_issued", at=at(9, 30),
                      changes={"status": "closed", "notice_at": at(9, 30), "closed_at": at(9, 30)}, data={})
        db.session.commit()
        missing = dict.fromkeys(MANDATORY_COLUMNS, 0) | {"contact": 1, "address": 1, "decision": 1, "held": 1}
        assert register_completeness(START, END, None) == {
            "share": 5 / 8, "complete": 5, "rows": 8, "missing_by_column": missing}
        u1 = db.session.scalar(db.select(Unit.id).where(Unit.code == "U1"))
        assert register_completeness(START, END, u1) == {  # A and E
            "share": 0.0, "complete": 0, "rows": 2,
            "missing_by_column": dict.fromkeys(MANDATORY_COLUMNS, 0) | {"contact": 1, "decision": 1, "held": 1}}
        m = monev_metrics(start=START, end=END, unit_code=None, today=TODAY)
        assert m["register_complete"]["complete"] == 5 and m["register_complete"]["rows"] == m["received"]["total"]


def test_dashboard_shows_register_completeness_linking_to_the_register(log, officer_client):  # noqa: F811
    page = htmllib.unescape(officer_client("pengawas").get("/meja/monev?periode=triwulan&tahun=2026&triwulan=3")
                            .get_data(as_text=True))
    # the tile: the share, the rows behind it, what it counts (issue 14, item 3)
    assert re.search(r'Register lengkap</span>\s*<a class="tile-value" href="/meja/register/permohonan\?dari=2026-07-01'
                     r'&sampai=2026-09-30">100,0%</a>\s*<span class="tile-detail">8 dari 8</span>\s*'
                     r'<span class="tile-hint">baris yang mengisi setiap kolom wajib</span>', page)


def test_register_csv_rows_and_decisions_agree_with_the_metrics(app, log, officer_client):  # noqa: F811
    response = officer_client("pengawas").get(f"/meja/register/permohonan?{PERIOD}&format=csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    with app.test_request_context():
        m = monev_metrics(start=START, end=END, unit_code=None, today=TODAY)
        labels = {o.value: str(text) for o, text in OUTCOME_LABELS.items()}
    # The register lists every request received in the period, the withdrawn one (W) too; the
    # cohort of ``received`` leaves it out. (No request of the log is left unregistered.)
    assert len(rows) == m["received"]["total"] + m["outcomes"]["withdrawn"] == 9
    decisions = [row["Keputusan dan alasan penolakan"] for row in rows]
    for key, count in m["outcomes"].items():
        if key == "pending":
            assert sum(d.startswith("Belum diputuskan") for d in decisions) == count == 2
        else:
            assert sum(d.split(";")[0] == labels[key] for d in decisions) == count, key
    # Every refusal of the log names its Pasal 17 letters in the decision column (B, a partial grant, too).
    refusals = [d for d in decisions if d.split(";")[0] == labels["refused"]]
    assert len(refusals) == m["refusal_quality"]["refusals"] and all("Pasal 17 huruf" in d for d in refusals)
