""""Answered from published information" (issue 15 item 8) counted wherever monev counts outcomes:
the metric (cohort: requests registered in the period) per body and per unit, the dashboard's
tile, league column and drill-down (the requests behind the number), the register permohonan's
delivery column and the annual report (page, XLSX figures, PDF)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from ppid_desk.extensions import db
from tests.factories import grant, make_dip_item, make_unit, make_user, register_request
from tests.helpers import pdf_text


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 3, 0, tzinfo=UTC)  # 10.00 WIB


Q3 = {"start": date(2026, 7, 1), "end": date(2026, 9, 30)}


@pytest.fixture
def answered(app, clock):
    """Q3 2026: P1 (routed to U1) and P2 (routed to U2) answered by pointing to the published DPA,
    P3 (U1) delivered in person, P4 granted but not yet delivered; O (received in October, outside
    Q3) answered from the catalogue too."""
    from ppid_desk.notices.services import DeliveryDraft, delivery_record, notice_issue
    from ppid_desk.routing.services import request_route, task_answer

    clock.travel_to(at(7, 6))
    u1, u2 = make_unit(code="U1", name="Unit Satu"), make_unit(code="U2", name="Unit Dua")
    utama = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    officer = make_user(email="u1@pemda.example.id", roles=("pembantu",), unit=u1)
    dpa = make_dip_item(u1, officer=officer, approver=utama, title="Dokumen Pelaksanaan Anggaran 2026",
                        today=date(2026, 7, 6))

    def handled(key: str, month: int, day: int, unit, method: str | None):
        clock.travel_to(at(month, day))
        item = register_request(received_at=at(month, day), email=f"{key.lower()}@example.id")
        [task] = request_route(actor=utama, item=item, unit_ids=[unit.id], instruction="Periksa.",
                               internal_due=date(2026, month, day + 3), notify=False, at=at(month, day))
        task_answer(actor=utama, item=item, task=task, answer_text="Terlampir.", at=at(month, day))
        notice_issue(actor=utama, item=item, draft=grant(), notify=False, at=at(month, day + 1))
        if method:
            delivery_record(actor=utama, item=item, notify=False, at=at(month, day + 2), draft=DeliveryDraft(
                method=method, published_item_id=dpa.id if method == "published" else None))
        db.session.commit()
        return item

    requests = {"P1": handled("P1", 7, 7, u1, "published"), "P2": handled("P2", 7, 14, u2, "published"),
                "P3": handled("P3", 8, 4, u1, "in_person"), "P4": handled("P4", 8, 11, u1, None),
                "O": handled("O", 10, 6, u2, "published")}
    clock.travel_to(at(11, 2))
    return {"dpa": dpa, **{key: item.id for key, item in requests.items()}}


def test_the_metric_counts_the_cohort_per_body_and_unit(app, answered):
    from ppid_desk.monev.metrics import monev_metrics

    m = monev_metrics(**Q3, unit_code=None, today=date(2026, 11, 2))
    assert m["answered_from_published"] == {"count": 2, "delivered": 3, "share": 2 / 3,
                                            "by_unit": {"U1": 1, "U2": 1}}
    one_unit = monev_metrics(**Q3, unit_code="U1", today=date(2026, 11, 2))["answered_from_published"]
    assert one_unit == {"count": 1, "delivered": 2, "share": 0.5, "by_unit": {"U1": 1}}
    october = monev_metrics(start=date(2026, 10, 1), end=date(2026, 10, 31), unit_code=None,
                            today=date(2026, 11, 2))["answered_from_published"]
    assert october["count"] == 1 and october["by_unit"] == {"U2": 1}


def test_the_metric_is_the_same_from_the_daily_tallies(app, answered):
    """Settled requests of clean days come from the tallies; the count is read live beside them."""
    from ppid_desk.monev.metrics import monev_metrics
    from ppid_desk.monev.tallies import tallies_ensure

    live = monev_metrics(**Q3, unit_code=None, today=date(2026, 11, 2))
    tallies_ensure(Q3["start"], Q3["end"])
    db.session.commit()
    assert monev_metrics(**Q3, unit_code=None, today=date(2026, 11, 2))["answered_from_published"] == \
        live["answered_from_published"]


def _numbers(html: str) -> set[str]:
    return set(re.findall(r'<td class="numeric"><a href="[^"]*monev=dari_informasi_publik[^"]*">(\d+)</a>', html))


def test_the_dashboard_links_each_number_to_the_requests_behind_it(app, answered, officer_client):
    from html import unescape

    from ppid_desk.requests.models import InformationRequest

    client = officer_client("pengawas")
    html = client.get("/meja/monev?periode=triwulan&tahun=2026&triwulan=3").get_data(as_text=True)
    tile = re.search(r'Dijawab dengan informasi yang sudah diumumkan</span>\s*<a class="tile-value" href="([^"]+)">'
                     r'(\d+)</a>\s*<span class="tile-detail">([^<]+)</span>', html)
    assert tile is not None and tile.group(2) == "2" and tile.group(3) == "2 dari 3"
    league = html[html.index('class="table league-table"'):]
    league = league[:league.index("</table>")]
    assert "Dijawab dari informasi publik" in league
    rows = dict(re.findall(r'\((U\d)\)</th>.*?monev=dari_informasi_publik[^"]*">(\d+)</a>', league, re.S))
    assert rows == {"U1": "1", "U2": "1"}
    assert re.search(r'id="dip-answers">[^<]*<strong><a href="[^"]+">2</a>', html)

    numbers = {db.session.get(InformationRequest, answered[key]).number for key in ("P1", "P2", "P3", "P4")}
    queue = client.get(unescape(tile.group(1))).get_data(as_text=True)
    shown = {number for number in numbers if number in queue}
    assert shown == {db.session.get(InformationRequest, answered[key]).number for key in ("P1", "P2")}
    u1 = re.search(r'href="([^"]*monev=dari_informasi_publik[^"]*unit=U1[^"]*)"', league).group(1)
    queue = client.get(unescape(u1)).get_data(as_text=True)
    assert {number for number in numbers if number in queue} == {db.session.get(InformationRequest,
                                                                                 answered["P1"]).number}


def test_the_register_names_the_catalogue_item(app, answered, officer_client):
    from ppid_desk.requests.models import InformationRequest

    client = officer_client("pengawas")
    html = client.get("/meja/register/permohonan?dari=2026-07-01&sampai=2026-09-30").get_data(as_text=True)
    dpa = answered["dpa"].id
    assert html.count(f"sudah diumumkan di Daftar Informasi Publik, nomor {dpa}") == 2
    p3 = db.session.get(InformationRequest, answered["P3"])
    assert p3.number in html and "Langsung" in html  # the other deliveries keep their method


def test_the_annual_report_has_the_line_in_its_page_and_pdf(app, answered, officer_client):
    client = officer_client("ppid_utama")
    label = ("Dijawab dengan informasi yang sudah diumumkan di Daftar Informasi Publik (sudah terhitung dalam "
             "hasil di atas)")
    page = client.get("/meja/monev/laporan-tahunan/2026").get_data(as_text=True)
    row = re.search(re.escape(label) + r"</(?:th|td)>\s*<td[^>]*>([^<]+)</td>", page)
    assert row is not None and row.group(1).strip() == "3"  # P1, P2 and O: the whole year
    pdf = client.get("/meja/monev/laporan-tahunan/2026.pdf")
    assert pdf.status_code == 200
    text = " ".join(pdf_text(pdf.get_data()).split())
    assert "Dijawab dengan informasi yang sudah diumumkan di Daftar Informasi Publik (sudah" in text
