"""Unit administration (issue "Ready for a real office", item 4): the tree at /meja/unit, create,
edit (rename, move with a cycle check), deactivate/reactivate, every change an audit event; who may
use the pages; a deactivated unit leaves routing but keeps its history and its monev numbers; a
PPID Pelaksana's officer issues the written notice for requests routed to its unit."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from ppid_desk.audit.models import Event
from ppid_desk.audit.services import chain_is_intact
from ppid_desk.extensions import db
from ppid_desk.organisation.models import Unit
from ppid_desk.routing.models import RoutingTask
from tests.helpers import issue_with_preview

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10.00 WIB
ROLES = ("pemohon", "petugas", "ppid_utama", "pembantu", "atasan", "pengawas", "admin")


def unit(code: str) -> Unit | None:
    db.session.expire_all()
    return db.session.scalar(select(Unit).where(Unit.code == code))


def unit_events(unit_id: int) -> list[Event]:
    db.session.expire_all()
    return list(db.session.scalars(select(Event).where(Event.subject_type == "unit", Event.subject_id == unit_id)
                                   .order_by(Event.id)))


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Event).where(Event.subject_type == "unit"))


def text_of(response) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def field_error(response, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', response.get_data(as_text=True), re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>|\s+", " ", match.group(1))).strip() if match else ""


def form(**overrides) -> dict:
    data = {"code": "DISDIK", "name": "Dinas Pendidikan", "kind": "pembantu", "parent": "", "head_name": "",
            "head_position": "", "email": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def admin(officer_client):
    return officer_client("admin", name="Hendra Admin")


@pytest.fixture
def tree(make_unit):
    """PPID Utama › Kecamatan Sukamaju › Kelurahan Sukamaju › RW 01, and Dinas Pendidikan."""
    utama = make_unit("UTAMA", "PPID Utama Kota Contoh", kind="utama")
    kec = make_unit("KEC-SKM", "Kecamatan Sukamaju", parent=utama)
    kel = make_unit("KEL-SKM", "Kelurahan Sukamaju", parent=kec)
    rw = make_unit("KEL-SKM-RW01", "RW 01 Kelurahan Sukamaju", parent=kel)
    disdik = make_unit("DISDIK", "Dinas Pendidikan", parent=utama)
    return {"utama": utama, "kec": kec, "kel": kel, "rw": rw, "disdik": disdik}


# --- who may use the pages -----------------------------------------------------------------------

def test_only_the_administrator_opens_or_changes_units(app, officer_client, tree):
    rw = tree["rw"]
    pages = ["/meja/unit", "/meja/unit/baru", f"/meja/unit/{rw.id}", "/meja/unit/impor", "/meja/unit/templat.csv"]
    anonymous = app.test_client()
    for url in pages:
        assert anonymous.get(url).status_code == 302 and "/masuk" in anonymous.get(url).headers["Location"]
    before = event_count()
    for role in ROLES:
        client = officer_client(role)
        for url in pages:
            assert client.get(url).status_code == (200 if role == "admin" else 403), (role, url)
        if role == "admin":
            continue
        for url, data in (("/meja/unit/baru", form(code="BARU")), (f"/meja/unit/{rw.id}", form(code="X", name="Y")),
                          (f"/meja/unit/{rw.id}/nonaktifkan", {})):
            assert client.post(url, data=data).status_code == 403, (role, url)
    assert unit("BARU") is None and unit("KEL-SKM-RW01").active and event_count() == before
    # the picker's search serves every desk role (it is how they pick units), not citizens
    for role in ROLES:
        expected = 403 if role == "pemohon" else 200
        assert officer_client(role).get("/meja/unit/cari?q=rw").status_code == expected, role


def test_the_tree_is_indented_and_searchable(admin, tree):
    page = admin.get("/meja/unit").get_data(as_text=True)
    order = [page.index(f'id="unit-{tree[key].id}"') for key in ("utama", "disdik", "kec", "kel", "rw")]
    assert order == sorted(order)  # parents before children, siblings by code
    assert f'class="unit-depth-3"><a href="/meja/unit/{tree["rw"].id}">RW 01 Kelurahan Sukamaju' in page
    found = admin.get("/meja/unit?q=rw01")
    assert "RW 01 Kelurahan Sukamaju" in found.get_data(as_text=True)
    assert "Dinas Pendidikan" not in found.get_data(as_text=True)  # not an ancestor of a match
    assert "Kecamatan Sukamaju" in found.get_data(as_text=True)  # an ancestor: the tree still reads
    rows = admin.get("/meja/unit?q=rw01", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert rows.lstrip().startswith('<div id="unit-rows">') and "<html" not in rows


# --- create and edit -----------------------------------------------------------------------------

def test_create_a_unit_with_every_field_logs_it(admin, tree):
    response = admin.post("/meja/unit/baru", data=form(
        code="KEL-SKM-RW02", name="  RW 02   Kelurahan Sukamaju ", parent="kel-skm", head_name="Ujang Sutisna",
        head_position="Ketua RW 02", email="RW02@Sukamaju.example.id", issues_notices="y"))
    assert response.status_code == 303
    created = unit("KEL-SKM-RW02")
    assert (created.name, created.parent_id, created.kind, created.head_name, created.head_position, created.email,
            created.issues_notices, created.active) == (
        "RW 02 Kelurahan Sukamaju", tree["kel"].id, "pembantu", "Ujang Sutisna", "Ketua RW 02",
        "rw02@sukamaju.example.id", True, True)
    [event] = unit_events(created.id)
    assert event.kind == "unit_created" and event.data["before"] is None
    assert event.data["after"]["parent"] == "KEL-SKM" and event.data["after"]["issues_notices"] is True
    assert event.actor_label == "Hendra Admin"
    page = text_of(admin.get(response.headers["Location"]))
    assert "PPID Utama Kota Contoh › Kecamatan Sukamaju › Kelurahan Sukamaju › RW 02 Kelurahan Sukamaju" in page
    assert "Unit dibuat" in page
    # an empty parent: directly under PPID Utama
    assert admin.post("/meja/unit/baru", data=form(code="DINKES", name="Dinas Kesehatan")).status_code == 303
    assert unit("DINKES").parent_id == tree["utama"].id


@pytest.mark.parametrize(("field", "value", "message"), [
    ("code", "", "Tulis kode unit."),
    ("code", "KEL SKM 2", "tanpa spasi"),
    ("code", "disdik", "Kode DISDIK sudah dipakai unit Dinas Pendidikan."),
    ("code", "X" * 33, "Paling banyak 32 karakter."),
    ("name", "", "Tulis nama unit."),
    ("name", "N" * 201, "Paling banyak 200 karakter."),
    ("kind", "dinas", "Pilih salah satu pilihan yang tersedia."),
    ("kind", "utama", "Sudah ada PPID Utama (PPID Utama Kota Contoh)."),
    ("parent", "TIDAK-ADA", "Tidak ada unit dengan kode TIDAK-ADA."),
    ("email", "bukan-email", "Tulis alamat e-mail yang benar"),
    ("head_name", "K" * 201, "Paling banyak 200 karakter."),
])
def test_bad_input_is_explained_at_its_field_and_kept(admin, tree, field, value, message):
    data = form(**{"code": "BARU-1", "name": "Unit Baru", "head_position": "Sekretaris", field: value})
    before = (db.session.scalar(select(func.count()).select_from(Unit)), event_count())
    response = admin.post("/meja/unit/baru", data=data)
    assert response.status_code == 422
    assert message in field_error(response, field)
    page = response.get_data(as_text=True)
    assert f'href="#{field}"' in page  # the error summary links to the field
    if field not in ("kind", "parent"):
        assert f'value="{htmllib.escape(value)}"' in page or value == ""
    assert 'value="Sekretaris"' in page  # the other typed values are kept too
    assert (db.session.scalar(select(func.count()).select_from(Unit)), event_count()) == before


def test_an_unknown_parent_code_stays_in_the_text_field_of_a_large_tree(app, admin, tree, monkeypatch):
    monkeypatch.setitem(app.config, "UNIT_SELECT_MAX", 2)  # "many" units: the code is typed
    response = admin.post("/meja/unit/baru", data=form(code="BARU", name="Unit Baru", parent="KEL-SKX"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'name="parent" value="KEL-SKX"' in page and 'hx-get="/meja/unit/cari?untuk=induk&amp;kolom=parent"' in page
    assert "Tidak ada unit dengan kode KEL-SKX." in field_error(response, "parent")
    assert admin.post("/meja/unit/baru", data=form(code="BARU", name="Unit Baru", parent="kel-skm")).status_code == 303
    assert unit("BARU").parent_id == tree["kel"].id


def test_rename_and_move_are_logged_with_before_and_after(admin, tree):
    kel = tree["kel"]
    response = admin.post(f"/meja/unit/{kel.id}", data=form(code="KEL-SKM", name="Kelurahan Sukamaju Baru",
                                                           parent="DISDIK"))
    assert response.status_code == 303
    moved = unit("KEL-SKM")
    assert (moved.name, moved.parent_id) == ("Kelurahan Sukamaju Baru", tree["disdik"].id)
    [event] = unit_events(kel.id)
    assert event.kind == "unit_updated"
    assert event.data["before"] == {"name": "Kelurahan Sukamaju", "parent": "KEC-SKM"}
    assert event.data["after"] == {"name": "Kelurahan Sukamaju Baru", "parent": "DISDIK"}
    assert unit("KEL-SKM-RW01").parent_id == kel.id  # its sub-units moved with it
    # a move alone is a "moved" event; saving the same values again logs nothing
    assert admin.post(f"/meja/unit/{kel.id}", data=form(code="KEL-SKM", name="Kelurahan Sukamaju Baru",
                                                        parent="KEC-SKM")).status_code == 303
    assert admin.post(f"/meja/unit/{kel.id}", data=form(code="KEL-SKM", name="Kelurahan Sukamaju Baru",
                                                        parent="KEC-SKM")).status_code == 303
    events = unit_events(kel.id)
    assert [e.kind for e in events] == ["unit_updated", "unit_moved"]
    assert events[1].data["before"] == {"parent": "DISDIK"} and events[1].data["after"] == {"parent": "KEC-SKM"}
    assert chain_is_intact(events)
    page = text_of(admin.get(f"/meja/unit/{kel.id}"))
    assert "Unit dipindah ke unit induk lain" in page and "Unit induk: DISDIK → KEC-SKM" in page


@pytest.mark.parametrize("target", ["kec", "rw", "kel-self"])
def test_a_move_that_makes_a_cycle_is_refused(admin, tree, target):
    kec = tree["kec"]
    parent = {"kec": "KEL-SKM-RW01", "rw": "KEL-SKM", "kel-self": "KEC-SKM"}[target]
    before = event_count()
    response = admin.post(f"/meja/unit/{kec.id}", data=form(code="KEC-SKM", name="Kecamatan Sukamaju", parent=parent))
    assert response.status_code == 422
    assert "tidak dapat dipindah ke bawah dirinya sendiri atau ke bawah sub-unitnya" in field_error(response, "parent")
    assert f'<option value="{parent}" selected>' not in response.get_data(as_text=True)  # the subtree is not offered
    assert unit("KEC-SKM").parent_id == tree["utama"].id and event_count() == before


def test_ppid_utama_stays_the_root(admin, tree):
    utama = tree["utama"]
    response = admin.post(f"/meja/unit/{utama.id}", data=form(code="UTAMA", name="PPID Utama", kind="pembantu"))
    assert response.status_code == 422 and "Jenis PPID Utama tidak dapat diubah." in field_error(response, "kind")
    assert admin.post(f"/meja/unit/{utama.id}/nonaktifkan").status_code == 303
    assert unit("UTAMA").active
    assert "PPID Utama tidak dapat dinonaktifkan." in text_of(admin.get(f"/meja/unit/{utama.id}"))


# --- deactivation ---------------------------------------------------------------------------------

def route(item, target: Unit, by) -> RoutingTask:
    from ppid_desk.routing.services import request_route

    [task] = request_route(actor=by, item=item, unit_ids=[target.id], instruction="Siapkan data.",
                           internal_due=item.notice_due)
    db.session.commit()
    return task


def test_a_deactivated_unit_leaves_routing_but_keeps_its_history_and_metrics(
        app, clock, admin, tree, file_request, make_user, officer_client, monkeypatch):
    from ppid_desk.monev.metrics import monev_metrics

    clock.travel_to(MONDAY)
    utama_user = make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    item = file_request()
    route(item, tree["rw"], utama_user)
    other = file_request(email="lain@example.id")
    rw = tree["rw"]
    assert admin.post(f"/meja/unit/{rw.id}/nonaktifkan").status_code == 303
    assert not unit("KEL-SKM-RW01").active
    assert [e.kind for e in unit_events(rw.id)] == ["unit_deactivated"]
    notice = text_of(admin.get(f"/meja/unit/{rw.id}"))
    assert "Unit RW 01 Kelurahan Sukamaju dinonaktifkan" in notice and "masih memegang 1 tugas terbuka" in notice

    utama = officer_client("ppid_utama")
    page = utama.get(f"/meja/permohonan/{other.id}").get_data(as_text=True)
    assert f'name="units" value="{tree["kel"].id}"' in page
    assert f'name="units" value="{rw.id}"' not in page  # not offered
    refused = utama.post(f"/meja/permohonan/{other.id}/disposisi", data={
        "units": [rw.id], "instruction": "Siapkan.", "internal_due": "2026-03-10", "version": other.version})
    assert refused.status_code == 422 and "Pilih unit PPID Pembantu dari daftar." in refused.get_data(as_text=True)
    monkeypatch.setitem(app.config, "UNIT_SELECT_MAX", 1)  # many units: the code typed is refused too
    typed = utama.post(f"/meja/permohonan/{other.id}/disposisi", data={
        "unit_codes": "KEL-SKM-RW01", "instruction": "Siapkan.", "internal_due": "2026-03-10",
        "version": other.version})
    assert typed.status_code == 422
    assert "Tidak ada unit PPID Pembantu aktif dengan kode KEL-SKM-RW01." in typed.get_data(as_text=True)
    assert 'name="unit_codes" value="KEL-SKM-RW01"' in typed.get_data(as_text=True)  # kept to correct
    assert utama.get("/meja/unit/cari?q=RW01&untuk=disposisi").get_data(as_text=True).count("data-unit-option") == 0
    assert "(nonaktif)" in utama.get("/meja/unit/cari?q=RW01&untuk=saring", headers={"HX-Request": "true"}).get_data(
        as_text=True)

    # history and numbers stay: the queue filter, monev, and the task itself
    assert f"{item.number}</strong>" in utama.get("/meja/?unit=KEL-SKM-RW01").get_data(as_text=True)
    with app.test_request_context():
        metrics = monev_metrics(start=date(2026, 3, 1), end=date(2026, 3, 31), unit_code="KEL-SKM-RW01",
                                today=date(2026, 3, 2))
    assert metrics["received"]["total"] == 1
    assert db.session.scalar(select(func.count()).select_from(RoutingTask).where(RoutingTask.unit_id == rw.id)) == 1

    assert admin.post(f"/meja/unit/{rw.id}/aktifkan").status_code == 303
    assert unit("KEL-SKM-RW01").active
    assert [e.kind for e in unit_events(rw.id)] == ["unit_deactivated", "unit_reactivated"]
    assert chain_is_intact(unit_events(rw.id))


def test_a_unit_under_an_inactive_parent_is_reactivated_only_after_it(admin, tree):
    kel, rw = tree["kel"], tree["rw"]
    for target in (rw, kel):
        assert admin.post(f"/meja/unit/{target.id}/nonaktifkan").status_code == 303
    admin.post(f"/meja/unit/{rw.id}/aktifkan")
    assert not unit("KEL-SKM-RW01").active
    assert "Aktifkan unit induk lebih dulu" in text_of(admin.get(f"/meja/unit/{rw.id}"))
    # and an inactive unit is not offered as a new parent
    response = admin.post("/meja/unit/baru", data=form(code="RW09", name="RW 09", parent="KEL-SKM"))
    assert response.status_code == 422 and "nonaktif" in field_error(response, "parent")


# --- the picker's search -----------------------------------------------------------------------------

def test_the_search_answers_htmx_with_buttons_and_a_plain_visit_with_a_page(admin, tree):
    fragment = admin.get("/meja/unit/cari?untuk=saring&kolom=unit&unit=sukamaju rw",
                         headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and fragment.count("data-unit-option") == 1
    assert 'data-unit-code="KEL-SKM-RW01"' in fragment
    assert "PPID Utama Kota Contoh › Kecamatan Sukamaju › Kelurahan Sukamaju" in fragment
    page = admin.get("/meja/unit/cari?q=sukamaju")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    assert "data-unit-option" not in page.get_data(as_text=True) and "KEL-SKM-RW01" in page.get_data(as_text=True)
    assert "tidak ada unit yang cocok" in text_of(admin.get("/meja/unit/cari?q=%25%25")).lower()


# --- a PPID Pelaksana issues its own written notices --------------------------------------------------

NOTICE = {"outcome": "granted_full", "held": "yes", "materials": "Data penduduk RW 01 (PDF).",
          "delivery_form": "Salinan PDF.", "fee_amount": "0", "provide_by": "2026-03-16"}  # the notice due


def test_an_officer_of_a_pelaksana_unit_issues_the_notice_for_its_requests(
        clock, tree, file_request, make_user, officer_client):
    from ppid_desk.notices.models import WrittenNotice
    from ppid_desk.requests.models import InformationRequest

    clock.travel_to(MONDAY)
    kec, disdik = tree["kec"], tree["disdik"]
    kec.issues_notices = True
    db.session.commit()
    utama = make_user(email="utama@pemda.example.id", roles=("ppid_utama",))
    ours, theirs, plain = file_request(), file_request(email="b@example.id"), file_request(email="c@example.id")
    route(ours, kec, utama)
    route(theirs, disdik, utama)
    route(plain, disdik, utama)
    pelaksana = officer_client("pembantu", unit=kec)
    pembantu = officer_client("pembantu", unit=disdik)

    def issue(client, item):
        item = db.session.get(InformationRequest, item.id)
        return issue_with_preview(client, f"/meja/permohonan/{item.id}/pemberitahuan", {**NOTICE, "version": item.version})

    assert f'action="/meja/permohonan/{ours.id}/pemberitahuan"' in pelaksana.get(
        f"/meja/permohonan/{ours.id}").get_data(as_text=True)
    assert issue(pelaksana, theirs).status_code == 404  # not routed to its unit: not even visible
    assert issue(pembantu, plain).status_code == 403  # a unit without the flag: PPID Utama issues
    assert f'action="/meja/permohonan/{plain.id}/pemberitahuan"' not in pembantu.get(
        f"/meja/permohonan/{plain.id}").get_data(as_text=True)
    assert issue(pelaksana, ours).status_code == 303
    db.session.expire_all()
    notice = db.session.scalar(select(WrittenNotice).where(WrittenNotice.request_id == ours.id))
    assert notice is not None and notice.issued_by.email == pelaksana.user_email
    assert db.session.scalar(select(func.count()).select_from(WrittenNotice)) == 1
