"""Accessibility needs on a request (issue 13, item 10): optional checkboxes (and a note) on the
online form and the desk form, stored on the request and read back as committed, shown
prominently to the officers handling it (the desk and the PPID Pembantu unit, which still does not
see who asked), counted in monev (dashboard and annual report) but never listed in a register,
and removed by the retention purge with the applicant's data.

Dates: Mon 2 March 2026, 10.00 WIB (the desk form's receipt is Tue 3 March, 06.00 WIB).
"""

from __future__ import annotations

import html as htmllib
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ppid_desk.extensions import db
from ppid_desk.monev.annual_selectors import annual_figures
from ppid_desk.monev.metrics import monev_metrics
from ppid_desk.operations.retention import PurgeReport, request_personal_data_purge
from ppid_desk.requests.models import InformationRequest
from ppid_desk.routing.services import request_route
from tests.helpers import desk_request_form, errors_of, fresh, png_bytes, request_form

MON = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
NOTE = "Mohon juru bahasa isyarat saat mengambil salinan."


def requests_count() -> int:
    return db.session.scalar(select(func.count()).select_from(InformationRequest))


def only_request() -> InformationRequest:
    db.session.expire_all()
    return db.session.scalar(select(InformationRequest))


def submit(client, **overrides):
    data = request_form(**overrides)
    data["identity_document"] = (io.BytesIO(png_bytes()), "ktp.png")
    return client.post("/permohonan/baru", data=data, content_type="multipart/form-data")


# --- the two forms ----------------------------------------------------------------------------

def test_the_online_form_round_trips_the_needs(app, client, clock):
    clock.travel_to(MON)
    form = client.get("/permohonan/baru").get_data(as_text=True)
    assert 'name="accessibility_needs" value="deaf"' in form and 'name="accessibility_note"' in form
    response = submit(client, accessibility_needs=["other", "deaf"], accessibility_note=NOTE)
    assert response.status_code == 303
    item = only_request()
    assert (item.accessibility_needs, item.accessibility_note) == ("deaf,other", NOTE)
    assert item.accessibility_list == ["deaf", "other"]
    receipt = htmllib.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Kebutuhan aksesibilitas" in receipt and "Tuli / gangguan pendengaran; Kebutuhan lain" in receipt


def test_no_need_stated_stores_nothing(app, client, clock):
    clock.travel_to(MON)
    assert submit(client).status_code == 303
    item = only_request()
    assert (item.accessibility_needs, item.accessibility_note) == (None, None)


@pytest.mark.parametrize("overrides, field", [
    ({"accessibility_needs": ["other"]}, "accessibility_note"),  # "other" says what in the note
    ({"accessibility_needs": ["deaf", "telepati"]}, "accessibility_needs"),
    ({"accessibility_needs": ["blind"], "accessibility_note": "x" * 501}, "accessibility_note"),
])
def test_bad_needs_are_shown_next_to_the_field_and_nothing_is_saved(app, client, clock, overrides, field):
    clock.travel_to(MON)
    response = submit(client, **overrides)
    assert response.status_code == 422 and errors_of(response) == [field]
    text = response.get_data(as_text=True)
    for need in overrides["accessibility_needs"]:  # the ticks are kept
        if need != "telepati":
            assert f'name="accessibility_needs" value="{need}" checked' in text
    assert requests_count() == 0


def test_the_desk_form_round_trips_the_needs(app, clock, officer_client):
    clock.travel_to(MON + timedelta(days=1))
    client = officer_client("petugas")
    assert 'name="accessibility_needs" value="wheelchair"' in client.get("/meja/permohonan/baru").get_data(
        as_text=True)
    bad = client.post("/meja/permohonan/baru", data=desk_request_form(accessibility_needs=["other"]))
    assert bad.status_code == 422 and errors_of(bad) == ["accessibility_note"] and requests_count() == 0
    response = client.post("/meja/permohonan/baru", data=desk_request_form(
        accessibility_needs=["blind", "assisted_filing"], accessibility_note="Surat dalam huruf besar."))
    assert response.status_code == 303
    item = only_request()
    assert (item.accessibility_needs, item.accessibility_note) == ("blind,assisted_filing", "Surat dalam huruf besar.")
    page = htmllib.unescape(client.get(f"/meja/permohonan/{item.id}").get_data(as_text=True))
    box = re.search(r'<section class="notice notice-accessibility" id="aksesibilitas".*?</section>', page, re.S)
    assert box, "the needs stand out on the request page"
    assert "Netra / penglihatan terbatas" in box.group(0) and "Perlu dibantu mengisi atau membaca" in box.group(0)
    assert "Surat dalam huruf besar." in box.group(0)
    # The box comes before the panels where officers act.
    assert page.index('id="aksesibilitas"') < page.index("<h2>Isi permohonan</h2>")


# --- who sees it --------------------------------------------------------------------------------

@pytest.fixture
def needy(app, clock, file_request, make_unit, make_user):
    clock.travel_to(MON)
    unit = make_unit("DISDIK", "Dinas Pendidikan")
    utama = make_user(email="rina@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    item = file_request(received_at=MON, name="Sri Tunarungu", email="sri@example.id",
                        accessibility_needs=("deaf",), accessibility_note=NOTE)
    [task] = request_route(actor=utama, item=item, unit_ids=[unit.id], instruction="Siapkan data.",
                           internal_due=item.notice_due, notify=False)
    db.session.commit()
    return {"item": fresh(item), "task": task, "unit": unit}


def test_the_unit_sees_the_need_but_not_who_asked(needy, officer_client):
    pembantu = officer_client("pembantu", unit=needy["unit"])
    for url in (f"/meja/tugas/{needy['task'].id}", f"/meja/permohonan/{needy['item'].id}"):
        page = htmllib.unescape(pembantu.get(url).get_data(as_text=True))
        assert 'id="aksesibilitas"' in page and "Tuli / gangguan pendengaran" in page and NOTE in page, url
        assert "Sri Tunarungu" not in page and "sri@example.id" not in page, url


def test_the_registers_and_the_public_statistics_never_list_the_need(needy, officer_client, client):
    desk = officer_client("pengawas")
    for kind in ("permohonan", "keberatan"):
        for fmt in ("", "?format=csv"):
            text = desk.get(f"/meja/register/{kind}{fmt}").get_data(as_text=True)
            assert kind == "keberatan" or "Sri Tunarungu" in text  # the register lists the request
            assert "Tuli" not in text and NOTE not in text and "aksesibilitas" not in text.lower(), (kind, fmt)
    public = client.get("/statistik").get_data(as_text=True)
    assert "aksesibilitas" not in public.lower() and NOTE not in public


# --- monev -------------------------------------------------------------------------------------

@pytest.fixture
def counted(app, clock, file_request):
    """Four requests of March 2026 (three state needs, one of them two) and one of December 2025."""
    clock.travel_to(MON)
    file_request(received_at=MON, email="a@example.id", accessibility_needs=("deaf", "other"),
                 accessibility_note="Penerjemah.")
    file_request(received_at=MON, email="b@example.id", accessibility_needs=("deaf",))
    file_request(received_at=MON, email="c@example.id", accessibility_needs=("wheelchair",))
    file_request(received_at=MON, email="d@example.id")
    file_request(received_at=datetime(2025, 12, 30, 3, 0, tzinfo=UTC), email="lama@example.id",
                 accessibility_needs=("blind",))  # another year
    clock.travel_to(datetime(2026, 4, 1, 3, 0, tzinfo=UTC))


def test_monev_counts_the_needs_on_the_dashboard_and_in_the_annual_report(counted, app, officer_client):
    m = monev_metrics(start=date(2026, 1, 1), end=date(2026, 12, 31), unit_code=None, today=date(2026, 4, 1))
    assert m["accessibility"] == {"requests": 3, "by_need": {"deaf": 2, "blind": 0, "wheelchair": 1,
                                                             "assisted_filing": 0, "other": 1}}
    client = officer_client("pengawas")
    page = htmllib.unescape(client.get("/meja/monev?periode=triwulan&tahun=2026&triwulan=1").get_data(as_text=True))
    chart = re.search(r'id="chart-accessibility".*?</figure>', page, re.S)
    assert chart, "the dashboard has an accessibility chart"
    assert "Dengan kebutuhan apa pun: 3." in chart.group(0)
    assert "/meja/?monev=aksesibilitas_deaf&dari=2026-01-01&sampai=2026-03-31" in chart.group(0)
    listed = htmllib.unescape(client.get("/meja/?monev=aksesibilitas_deaf&dari=2026-01-01&sampai=2026-12-31")
                              .get_data(as_text=True))
    assert re.search(r'<p class="queue-count" role="status"><strong>2 permohonan</strong>', listed)

    with app.test_request_context():
        rows = {row.label: row.value for table in annual_figures(m) for row in table.rows}
    assert rows["Pemohon dengan kebutuhan aksesibilitas"] == 3
    assert rows["Kebutuhan aksesibilitas: Tuli / gangguan pendengaran"] == 2
    assert rows["Kebutuhan aksesibilitas: Kursi roda / alat bantu gerak"] == 1
    assert rows["Kebutuhan aksesibilitas: Netra / penglihatan terbatas"] == 0
    report = htmllib.unescape(client.get("/meja/monev/laporan-tahunan/2026").get_data(as_text=True))
    assert '<th scope="row">Pemohon dengan kebutuhan aksesibilitas</th><td class="numeric">3</td>' in report


def test_the_purge_removes_the_needs_with_the_applicant(needy, app):
    item = needy["item"]
    request_personal_data_purge(item, report=PurgeReport())
    db.session.commit()
    item = fresh(item)
    assert (item.accessibility_needs, item.accessibility_note) == (None, None)
    assert item.applicant.name == "[dihapus]"

