"""A province-size unit tree (issue "Ready for a real office", item 6): 700 units — PPID Utama,
40 dinas, 44 kecamatan, 267 kelurahan and their RWs — built by import. The picker's search finds
the right unit in a constant number of queries, routing uses the picker instead of 700 boxes, and
the queue and monev filter a unit with everything under it: the count for a kecamatan is the sum
over its subtree (the requests it holds, each once)."""

from __future__ import annotations

import csv
import html as htmllib
import io
import random
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from ppid_desk.extensions import db
from ppid_desk.organisation.models import Unit

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
DINAS, KECAMATAN, KELURAHAN, TOTAL = 40, 44, 267, 700


def province_rows() -> list[tuple[str, str, str, str]]:
    """(code, name, parent_code, kind) of 700 units; kecamatan 7 is Sukamaju, whose third
    kelurahan is Cibeunying with RW 01 and RW 02."""
    rows = [("UTAMA", "PPID Utama Provinsi Contoh", "", "utama")]
    rows += [(f"DINAS-{n:02d}", f"Dinas {n:02d}", "", "pembantu") for n in range(1, DINAS + 1)]
    kelurahan: list[tuple[str, str]] = []
    for k in range(1, KECAMATAN + 1):
        kec = f"KEC-{k:02d}"
        rows.append((kec, "Kecamatan Sukamaju" if k == 7 else f"Kecamatan {k:02d}", "", "pembantu"))
        for n in range(1, 7 + (k <= KELURAHAN - 6 * KECAMATAN)):  # 6 each, 7 for the first three
            code = f"KEL-{k:02d}-{n:02d}"
            name = "Kelurahan Cibeunying" if (k, n) == (7, 3) else f"Kelurahan {k:02d}-{n:02d}"
            rows.append((code, name, kec, "pembantu"))
            kelurahan.append((code, name))
    assert len(kelurahan) == KELURAHAN
    rw_left = TOTAL - len(rows)
    for index in range(rw_left):  # one RW in every kelurahan, a second in the first ones
        code, name = kelurahan[index % KELURAHAN]
        number = 1 + index // KELURAHAN
        rows.append((f"{code}-RW{number:02d}", f"RW {number:02d} {name}", code, "pembantu"))
    assert len(rows) == TOTAL
    return rows


def province_csv() -> str:
    rows = province_rows()
    random.Random(7).shuffle(rows)  # children before parents, in no order at all
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "name", "parent_code", "kind"])
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def province(runner, tmp_path):
    path = tmp_path / "provinsi.csv"
    path.write_text(province_csv(), encoding="utf-8")
    result = runner.invoke(args=["ppid", "units", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{TOTAL} created" in result.output
    db.session.expire_all()
    return {u.code: u for u in db.session.scalars(select(Unit))}


def test_the_import_builds_the_tree_and_lists_it_back(province, runner):
    from ppid_desk.organisation.unit_selectors import unit_subtree_ids

    assert len(province) == TOTAL
    listed = runner.invoke(args=["ppid", "units", "list", "--csv"]).output
    expected = sorted((code, name, parent, kind) for code, name, parent, kind in province_rows())
    assert list(csv.reader(io.StringIO(listed)))[1:] == [list(row) for row in expected]
    kec = province["KEC-07"]
    expected_subtree = {u.id for u in province.values() if u.code == "KEC-07" or u.code.startswith("KEL-07-")}
    assert set(unit_subtree_ids(kec.id)) == expected_subtree and len(expected_subtree) == 1 + 6 + 6 + 6
    assert len(unit_subtree_ids(province["UTAMA"].id)) == TOTAL
    assert unit_subtree_ids(province["KEL-07-03-RW02"].id) == [province["KEL-07-03-RW02"].id]


def test_the_picker_finds_the_right_unit_in_a_constant_number_of_queries(province, officer_client,
                                                                         count_queries):
    client = officer_client("ppid_utama")
    client.get("/meja/unit/cari?q=warm", headers={"HX-Request": "true"})
    searches = {
        "KEL-07-03-RW02": "KEL-07-03-RW02",  # an exact code comes first
        "cibeunying rw 02": "KEL-07-03-RW02",  # a name and its parent's name
        "sukamaju cibeunying": "KEL-07-03",  # a name and its parent's name
        "kecamatan sukamaju": "KEC-07",
        "rw": None,  # many matches: at most 20
    }
    counts = set()
    for text, first in searches.items():
        with count_queries() as statements:
            fragment = client.get(f"/meja/unit/cari?untuk=disposisi&q={text}", headers={"HX-Request": "true"})
        counts.add(len(statements))
        codes = re.findall(r'data-unit-code="([^"]+)"', fragment.get_data(as_text=True))
        if first is None:
            assert len(codes) == 20 and "ketik lebih lengkap" in fragment.get_data(as_text=True)
        else:
            assert codes[0] == first, (text, codes)
    assert len(counts) == 1, counts  # the same queries whatever the text and the matches
    page = htmllib.unescape(client.get("/meja/unit/cari?untuk=disposisi&q=cibeunying rw 02",
                                       headers={"HX-Request": "true"}).get_data(as_text=True))
    assert "PPID Utama Provinsi Contoh › Kecamatan Sukamaju › Kelurahan Cibeunying" in page


def test_routing_uses_the_picker_and_resolves_typed_codes(province, clock, file_request, officer_client):
    from ppid_desk.requests.models import InformationRequest
    from ppid_desk.routing.models import RoutingTask

    clock.travel_to(MONDAY)
    item = file_request()
    utama = officer_client("ppid_utama")
    page = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert page.count('type="checkbox" id="route-units-') == 0  # no box per unit
    assert 'name="unit_codes"' in page and 'hx-get="/meja/unit/cari?untuk=disposisi&amp;kolom=unit_codes"' in page
    assert 'hx-trigger="keyup changed delay:300ms"' in page

    def route(**data):
        version = db.session.get(InformationRequest, item.id).version
        return utama.post(f"/meja/permohonan/{item.id}/disposisi", data={
            "instruction": "Siapkan data.", "internal_due": "2026-03-10", "version": version, **data})

    refused = route(unit_codes="KEL-07-03, KEL-99-01", instruction="Instruksi yang diketik")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Tidak ada unit PPID Pembantu aktif dengan kode KEL-99-01." in html
    assert 'name="unit_codes" value="KEL-99-01"' in html  # the unknown code stays to be corrected
    kel = province["KEL-07-03"]
    assert f'id="route-units-{kel.id}" name="units" value="{kel.id}" checked' in html  # the known one is ticked
    assert "Instruksi yang diketik" in html
    assert route(units=[kel.id], unit_codes="kel-07-03-rw02").status_code == 303  # a box and a typed code
    db.session.expire_all()
    units = set(db.session.scalars(select(RoutingTask.unit_id).where(RoutingTask.request_id == item.id)))
    assert units == {kel.id, province["KEL-07-03-RW02"].id}

    # reassigning one task: the code typed into the picker's text field
    task = db.session.scalar(select(RoutingTask).where(RoutingTask.request_id == item.id,
                                                       RoutingTask.unit_id == kel.id))
    page = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert f'name="alih{task.id}-unit_code"' in page and f'name="alih{task.id}-unit_id"' not in page

    def reassign(code: str):
        version = db.session.get(InformationRequest, item.id).version
        prefix = f"alih{task.id}-"
        return utama.post(f"/meja/tugas/{task.id}/alihkan", data={
            prefix + "unit_code": code, prefix + "instruction": "Mohon tangani.", prefix + "internal_due": "2026-03-10",
            prefix + "version": version, prefix + "task_version": task.version})

    unknown = reassign("KEL-07-99")
    assert unknown.status_code == 422
    assert "Tidak ada unit PPID Pembantu aktif dengan kode KEL-07-99." in unknown.get_data(as_text=True)
    assert f'name="alih{task.id}-unit_code" value="KEL-07-99"' in unknown.get_data(as_text=True)
    assert reassign("kel-07-04").status_code == 303
    db.session.expire_all()
    live = set(db.session.scalars(select(RoutingTask.unit_id).where(RoutingTask.request_id == item.id,
                                                                     RoutingTask.status == "open")))
    assert live == {province["KEL-07-04"].id, province["KEL-07-03-RW02"].id}


def test_queue_and_monev_count_a_kecamatan_with_everything_under_it(
        app, province, clock, file_request, make_user, officer_client, runner):
    from ppid_desk.monev.metrics import monev_metrics
    from ppid_desk.routing.services import request_route

    clock.travel_to(MONDAY)
    utama = make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    holders = {"KEC-07": 1, "KEL-07-03": 2, "KEL-07-03-RW02": 1, "KEL-07-01": 1, "KEC-08": 1, "DINAS-01": 1}
    for n, code in enumerate(code for code, count in holders.items() for _ in range(count)):
        item = file_request(email=f"p{n}@example.id")
        request_route(actor=utama, item=item, unit_ids=[province[code].id], instruction="Siapkan.",
                      internal_due=item.notice_due)
        db.session.commit()
    client = officer_client("pengawas")

    def listed(query: str) -> int:
        page = htmllib.unescape(client.get("/meja/?status=semua&" + query).get_data(as_text=True))
        return int(re.search(r'<p class="queue-count" role="status"><strong>(\d+) permohonan', page).group(1))

    subtree = [code for code in province if code == "KEC-07" or code.startswith("KEL-07-")]
    own = {code: listed(f"unit={code}&subunit=0") for code in subtree}
    assert sum(own.values()) == 5 == listed("unit=KEC-07")  # the default: with its sub-units
    assert listed("unit=KEC-07&subunit=0&subunit=1") == 5  # the form's ticked box
    assert listed("unit=KEC-07&subunit=0") == 1  # the unticked box: the kecamatan alone
    assert listed("unit=kel-07-03") == 3 and listed("unit=UTAMA") == 7

    def metrics(code: str, subunits: bool = True) -> dict:
        with app.test_request_context():
            return monev_metrics(start=MARCH[0], end=MARCH[1], unit_code=code, today=date(2026, 3, 2),
                                 subunits=subunits)

    kec = metrics("KEC-07")
    assert kec["received"]["total"] == 5 == sum(metrics(code, False)["received"]["total"] for code in subtree)
    assert kec["received"]["by_unit"] == {"KEC-07": 1, "KEL-07-01": 1, "KEL-07-03": 2, "KEL-07-03-RW02": 1}
    assert metrics("KEC-07", False)["received"]["total"] == 1
    cli = ["ppid", "monev", "--from", "2026-03-01", "--to", "2026-03-31", "--unit", "KEC-07"]
    assert "Received: 5" in runner.invoke(args=cli).output
    assert "Received: 1" in runner.invoke(args=[*cli, "--without-subunits"]).output
    # the drill-down lists exactly the number (with and without the sub-units)
    period = "dari=2026-03-01&sampai=2026-03-31"
    assert listed(f"monev=diterima&{period}&unit=KEC-07") == 5
    assert listed(f"monev=diterima&{period}&unit=KEC-07&subunit=0") == 1
    dashboard = htmllib.unescape(client.get("/meja/monev?periode=bulan&tahun=2026&bulan=3&unit=KEC-07")
                                 .get_data(as_text=True))
    assert "Kecamatan Sukamaju dan sub-unitnya" in dashboard
    assert 'href="/meja/?monev=diterima&dari=2026-03-01&sampai=2026-03-31&unit=KEC-07">5</a>' in dashboard
    # a league row counts the unit's own tasks, and links to them alone
    assert 'href="/meja/?monev=diterima&dari=2026-03-01&sampai=2026-03-31&unit=KEL-07-03&subunit=0">2</a>' in dashboard

    # a request held by two units of the subtree counts once
    item = file_request(email="both@example.id")
    request_route(actor=utama, item=item, unit_ids=[province["KEL-07-01"].id, province["KEL-07-03-RW02"].id],
                  instruction="Siapkan.", internal_due=item.notice_due)
    db.session.commit()
    assert listed("unit=KEC-07") == 6 and metrics("KEC-07")["received"]["total"] == 6
    assert sum(listed(f"unit={code}&subunit=0") for code in subtree) == 7  # the shared one twice


def test_the_admin_tree_page_of_a_province_costs_the_same_queries(province, officer_client, count_queries, make_unit):
    admin = officer_client("admin")
    admin.get("/meja/unit")
    with count_queries() as large:
        page = admin.get("/meja/unit")
    assert page.get_data(as_text=True).count('<tr id="unit-') == TOTAL
    with count_queries() as searched:
        found = admin.get("/meja/unit?q=cibeunying")
    assert found.get_data(as_text=True).count('<tr id="unit-') == 1 + 1 + 1 + 2  # root, kecamatan, kelurahan, RWs
    assert len(large) == len(searched)
    assert db.session.scalar(select(func.count()).select_from(Unit)) == TOTAL


def test_a_page_with_two_unit_pickers_reads_the_units_once_and_offers_the_same(app, make_unit, count_queries,
                                                                                 monkeypatch):
    """``picker_options_for`` (the queue's filter and bulk-routing pickers) offers exactly what
    ``picker_options`` offers for each purpose: inactive units to a filter only, PPID Pembantu
    units only for routing; one query while few, the text field for a filter when many."""
    from ppid_desk.organisation.unit_selectors import Purpose, picker_options, picker_options_for

    utama = make_unit(code="UTAMA", name="PPID Utama", kind="utama")
    make_unit(code="DISDIK", parent=utama)
    make_unit(code="KEC", name="Kecamatan", parent=utama)
    closed = make_unit(code="LAMA", name="Dinas Lama", parent=utama)
    closed.active = False
    db.session.commit()

    def offered(options):
        return options.small, [(hit.code, hit.depth, hit.path) for hit in options.choices]

    purposes = (Purpose.FILTER, Purpose.ROUTE, Purpose.PARENT)
    with app.test_request_context():
        with count_queries() as statements:
            together = picker_options_for(*purposes)
        assert len(statements) == 1
        for purpose in purposes:
            assert offered(together[purpose]) == offered(picker_options(purpose)), purpose
        assert sorted(hit.code for hit in together[Purpose.ROUTE].choices) == ["DISDIK", "KEC"]
        assert "LAMA" in [hit.code for hit in together[Purpose.FILTER].choices]

        monkeypatch.setitem(app.config, "UNIT_SELECT_MAX", 2)  # more units than a select shows
        many = picker_options_for(*purposes)
        for purpose in purposes:
            assert offered(many[purpose]) == offered(picker_options(purpose)), purpose
        assert not many[Purpose.FILTER].small and not many[Purpose.PARENT].small
        assert picker_options_for() == {}
