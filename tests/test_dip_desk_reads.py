"""The desk's Daftar Informasi Publik page reads the published items once: PPID Utama's stale list
and the per-unit freshness come from one pass (``dip.freshness.overview``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from ppid_desk.extensions import db
from tests.factories import make_dip_item


def test_ppid_utama_s_desk_list_scans_the_published_items_once(app, clock, make_unit, make_user, officer_client,
                                                                 count_queries):
    clock.travel_to(datetime(2027, 6, 1, 3, 0, tzinfo=UTC))
    from ppid_desk.accounts.models import User

    units = [make_unit("BPKAD", "Badan Keuangan"), make_unit("DISDIK", "Dinas Pendidikan")]
    utama_client = officer_client("ppid_utama")
    utama = db.session.scalar(select(User).where(User.email == utama_client.user_email))
    for n, unit in enumerate(units):
        officer = make_user(email=f"unit{n}@pemda.example.id", roles=("pembantu",), unit=unit)
        make_dip_item(unit, officer=officer, approver=utama, title=f"Laporan lama {n}", today=date(2026, 3, 2))
        make_dip_item(unit, officer=officer, approver=utama, title=f"Laporan baru {n}", today=date(2027, 5, 1))
    with count_queries() as statements:
        page = utama_client.get("/meja/dip")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Laporan lama 0" in html and "Laporan lama 1" in html  # stale: not reviewed for a year
    item_reads = [s for s in statements if s.lstrip().startswith("SELECT information_item.id")]
    assert len(item_reads) == 2  # the desk's list, and one freshness pass (was: stale list + unit counts)


def test_the_overview_matches_its_two_views(app, clock, make_unit, make_user):
    from ppid_desk.dip import freshness

    unit = make_unit("BPKAD", "Badan Keuangan")
    officer = make_user(email="unit@pemda.example.id", roles=("pembantu",), unit=unit)
    utama = make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    old = make_dip_item(unit, officer=officer, approver=utama, title="Lama", today=date(2026, 3, 2))
    make_dip_item(unit, officer=officer, approver=utama, title="Baru", today=date(2027, 5, 1))
    make_dip_item(unit, officer=officer, title="Draf", status="draft")
    today = date(2027, 6, 1)
    overview = freshness.overview(today)
    assert [entry.item.id for entry in overview.stale] == [old.id]
    assert overview.stale[0].due == date(2027, 3, 2)
    assert [(row.unit_name, row.published, row.stale, row.current) for row in overview.by_unit] == [
        ("Badan Keuangan", 2, 1, 1)]
    assert [e.item.id for e in freshness.stale_items(today, unit_id=unit.id)] == [old.id]
    assert freshness.freshness_by_unit(today) == overview.by_unit
