"""The published fee tariff (tarif biaya) and the written notice's itemised fee (item g of Pasal
22(7) UU KIP): the administrator's page, the public page and the home page, the notice form that
prices lines from the tariff, refuses any fee for viewing (melihat …) and for a softcopy sent by
e-mail, and asks a written reason for any amount outside the tariff, and the letter (HTML, PDF,
e-mail, the applicant's page) that prints the lines, the total and the reason."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from datetime import date

import pytest
from sqlalchemy import func, select

from ppid_desk.audit.models import Event
from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.notices.fee_models import NoticeFeeLine
from ppid_desk.notices.models import WrittenNotice
from ppid_desk.organisation.tariff_models import TariffLine
from ppid_desk.organisation.tariff_services import TariffDraft, tariff_line_create
from ppid_desk.web import letter_pdf as letter_pdf_module
from tests.helpers import MONDAY, errors_of, fresh, issue, notice_form

SK = "Keputusan Kepala Dinas Kominfo Nomor 500.12/118/2025"


def line_form(**overrides) -> dict:
    data = {"kind": "copy", "name": "A4 hitam-putih", "price": "500", "decree_number": SK,
            "decree_date": "2025-12-15", "effective_from": "2026-01-01"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def add_line(kind: str, name: str, price: int, *, effective_from=date(2026, 1, 1), decree_date=date(2025, 12, 15),
             decree_number=SK) -> TariffLine:
    line = tariff_line_create(actor=None, draft=TariffDraft(kind=kind, name=name, price=price,
                                                            decree_number=decree_number, decree_date=decree_date,
                                                            effective_from=effective_from))
    db.session.commit()
    return line


def pdf_text(content: bytes) -> str:
    """The text drawn on a PDF's pages with the core fonts (fpdf2 writes ``(text) Tj``)."""
    shown = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            page = zlib.decompress(stream)
        except zlib.error:
            continue
        for text in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", page):
            shown.append(re.sub(rb"\\(.)", rb"\1", text).decode("latin-1"))
    return "\n".join(shown)


def counts() -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(TariffLine)),
            db.session.scalar(select(func.count()).select_from(Event).where(Event.subject_type == "tariff_line")))


@pytest.fixture
def admin(officer_client):
    return officer_client("admin", name="Ani Admin")


@pytest.fixture
def utama(officer_client):
    return officer_client("ppid_utama", name="Rina Utama")


# --- the administrator's page -------------------------------------------------------------------

def test_admin_adds_edits_deactivates_and_reactivates_a_line_each_change_audited(app, clock, admin):
    clock.travel_to(MONDAY)
    response = admin.post("/meja/admin/tarif", data=line_form())
    assert response.status_code == 303 and response.location.endswith("/meja/admin/tarif")
    line = db.session.scalar(select(TariffLine))
    assert (line.kind, line.name, line.price, line.decree_number, line.decree_date, line.effective_from, line.active) \
        == ("copy", "A4 hitam-putih", 500, SK, date(2025, 12, 15), date(2026, 1, 1), True)
    page = admin.get("/meja/admin/tarif").get_data(as_text=True)
    assert "A4 hitam-putih" in page and "Rp500" in page and "Berlaku" in page and "Ani Admin" in page

    edit = admin.get(f"/meja/admin/tarif/{line.id}").get_data(as_text=True)
    assert 'value="500"' in edit and f'name="version" value="{line.version}"' in edit
    response = admin.post(f"/meja/admin/tarif/{line.id}", data=line_form(price="Rp 750", version=str(line.version)))
    assert response.status_code == 303
    assert fresh(line).price == 750
    response = admin.post(f"/meja/admin/tarif/{line.id}/nonaktifkan")
    assert response.status_code == 303 and fresh(line).active is False
    assert "A4 hitam-putih" not in app.test_client().get("/tarif").get_data(as_text=True)
    assert admin.post(f"/meja/admin/tarif/{line.id}/aktifkan").status_code == 303 and fresh(line).active is True

    db.session.expire_all()
    events = events_for("tariff_line", line.id)
    assert [e.kind for e in events] == ["tariff_line_created", "tariff_line_updated", "tariff_line_deactivated",
                                        "tariff_line_reactivated"]
    assert events[0].data["after"]["price"] == 500 and events[0].data["after"]["effective_from"] == "2026-01-01"
    assert events[1].data == {"changed": ["price"], "before": {"price": 500}, "after": {"price": 750}}
    assert events[2].data["before"] == {"active": True} and events[2].data["after"] == {"active": False}
    history = admin.get("/meja/admin/tarif").get_data(as_text=True)
    assert "Tarif diubah" in history and "500 → 750" in history


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"name": ""}, "name", "Tulis nama tarif"),
    ({"price": ""}, "price", "Tulis harga"),
    ({"price": "lima ratus"}, "price", "angka saja"),
    ({"price": "0"}, "price", "paling sedikit Rp1"),
    ({"kind": "gratis"}, "kind", "Pilih salah satu"),
    ({"decree_number": ""}, "decree_number", "nomor surat keputusan"),
    ({"decree_date": "31/02/2026"}, "decree_date", "tanggal yang benar"),
    ({"effective_from": ""}, "effective_from", "mulai berlaku"),
    ({"effective_from": "2025-12-01"}, "effective_from", "sebelum SK"),
    ({"effective_from": "1999-12-31", "decree_date": "1999-12-01"}, "effective_from", "antara tahun 2000"),
])
def test_bad_input_gives_a_field_message_and_saves_nothing(app, admin, overrides, field, message):
    before = counts()
    response = admin.post("/meja/admin/tarif", data=line_form(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and field in errors_of(response) and message in html
    kept = line_form(**overrides).get("name")
    if kept:
        assert f'value="{kept}"' in html  # what was typed stays
    assert counts() == before


def test_a_second_line_for_the_same_item_and_day_is_refused_and_an_edit_keeps_nothing_half_done(app, admin):
    line = add_line("copy", "A4 hitam-putih", 500)
    response = admin.post("/meja/admin/tarif", data=line_form(name="  a4   HITAM-putih "))
    assert response.status_code == 422 and errors_of(response) == ["name"]
    before = counts()
    response = admin.post(f"/meja/admin/tarif/{line.id}", data=line_form(price="-5", version=str(line.version)))
    assert response.status_code == 422 and errors_of(response) == ["price"]
    assert fresh(line).price == 500 and counts() == before
    stale = admin.post(f"/meja/admin/tarif/{line.id}", data=line_form(price="600", version="99"))
    assert stale.status_code == 409 and 'value="600"' in stale.get_data(as_text=True)
    assert fresh(line).price == 500 and counts() == before


@pytest.mark.parametrize("role", ["petugas", "ppid_utama", "atasan", "pengawas", "pembantu", "pemohon"])
def test_only_the_administrator_may_manage_the_tariff(app, officer_client, role):
    line = add_line("copy", "A4 hitam-putih", 500)
    client = officer_client(role)
    before = counts()
    assert client.get("/meja/admin/tarif").status_code == 403
    assert client.get(f"/meja/admin/tarif/{line.id}").status_code == 403
    assert client.post("/meja/admin/tarif", data=line_form(name="A3")).status_code == 403
    assert client.post(f"/meja/admin/tarif/{line.id}", data=line_form(price="1")).status_code == 403
    assert client.post(f"/meja/admin/tarif/{line.id}/nonaktifkan").status_code == 403
    assert counts() == before and fresh(line).active and fresh(line).price == 500
    anonymous = app.test_client().get("/meja/admin/tarif")
    assert anonymous.status_code == 302 and "/masuk" in anonymous.location


# --- published: the public page and the home page ----------------------------------------------

def test_a_guest_sees_the_tariff_in_effect_with_its_decree_on_the_public_and_home_pages(app, clock):
    clock.travel_to(MONDAY)  # 2 March 2026
    add_line("copy", "A4 hitam-putih", 500)
    add_line("copy", "A4 hitam-putih", 700, effective_from=date(2026, 2, 1), decree_number="SK 2/2026",
             decree_date=date(2026, 1, 20))  # replaces the 500 from 1 February
    add_line("postage", "Luar provinsi", 45000, effective_from=date(2026, 7, 1), decree_number="SK 9/2026",
             decree_date=date(2026, 2, 20))  # announced, not yet in effect
    gone = add_line("medium", "Disket", 3000)
    gone.active = False
    db.session.commit()
    guest = app.test_client()
    public = guest.get("/tarif")
    html = public.get_data(as_text=True)
    assert public.status_code == 200
    in_effect = html.split('id="tariff-upcoming"')[0]
    assert "Rp700" in in_effect and "Rp500" not in in_effect and "SK 2/2026" in in_effect
    assert "20 Januari 2026" in in_effect and "Disket" not in html
    assert "Tarif yang akan berlaku" in html and "Luar provinsi" in html.split('id="tariff-upcoming"')[1]
    assert "no-store" not in public.headers.get("Cache-Control", "")  # a guest's public page stays cacheable
    home = guest.get("/").get_data(as_text=True)
    assert 'id="home-tariff"' in home and "A4 hitam-putih" in home and "Rp700" in home and "SK 2/2026" in home
    assert "Luar provinsi" not in home and 'href="/tarif"' in home


def test_without_a_tariff_the_public_pages_say_so(app):
    assert "Belum ada tarif" in app.test_client().get("/tarif").get_data(as_text=True)
    assert 'id="home-tariff-none"' in app.test_client().get("/").get_data(as_text=True)


# --- the written notice's fee -------------------------------------------------------------------

@pytest.fixture
def tariff(app, clock):
    clock.travel_to(MONDAY)
    return {"bw": add_line("copy", "A4 hitam-putih", 500), "cd": add_line("medium", "CD/DVD", 10000),
            "city": add_line("postage", "Dalam kota", 15000)}


def test_the_notice_prices_its_lines_from_the_tariff_and_the_letter_prints_them(app, tariff, utama, file_request,
                                                                               mailbox):
    item = file_request(access_method="salinan_hardcopy", copy_delivery="pos")
    form = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert f'name="fee_qty_{tariff["bw"].id}"' in form and "Rp500" in form and "Dalam kota" in form
    mailbox.clear()
    response = issue(utama, item, fee_amount="", payment_method="Transfer ke rekening Kas Daerah",
                     **{f"fee_qty_{tariff['bw'].id}": "24", f"fee_qty_{tariff['city'].id}": "1",
                                        f"fee_qty_{tariff['cd'].id}": "0"})
    assert response.status_code == 303
    notice = db.session.scalar(select(WrittenNotice))
    lines = db.session.scalars(select(NoticeFeeLine).order_by(NoticeFeeLine.position)).all()
    assert [(x.description, x.quantity, x.unit, x.unit_price, x.subtotal, x.tariff_line_id) for x in lines] == [
        ("A4 hitam-putih", 24, "lembar", 500, 12000, tariff["bw"].id),
        ("Dalam kota", 1, "kiriman", 15000, 15000, tariff["city"].id)]
    assert lines[0].decree == f"{SK}, tanggal 15 Desember 2025"
    assert (notice.fee_amount, notice.fee_reason, fresh(item).fee_amount) == (27000, None, 27000)
    event = [e for e in events_for("request", item.id) if e.kind == "notice_issued"][0]
    assert event.data["fee_lines"] == [["A4 hitam-putih", 24, 500, 12000], ["Dalam kota", 1, 15000, 15000]]

    letter = utama.get(f"/meja/permohonan/{item.id}/pemberitahuan").get_data(as_text=True)
    statement = letter.split('id="fee-statement"')[1]
    assert "Rp27.000" in letter and "Rincian biaya" in statement and "Rp12.000" in statement
    assert "24 lembar" in statement and f"{SK}, tanggal 15 Desember 2025" in statement
    assert "Alasan biaya di luar tarif" not in statement and "Transfer ke rekening Kas Daerah" in statement
    body = mailbox.wait_for(1)[0].get_content()
    assert "1. A4 hitam-putih: 24 lembar x Rp500 = Rp12.000" in body and "Jumlah rincian: Rp27.000" in body
    # A later change of the tariff does not change a letter already issued.
    tariff["bw"].price = 900
    db.session.commit()
    assert "Rp12.000" in utama.get(f"/meja/permohonan/{item.id}/pemberitahuan").get_data(as_text=True)


def test_the_form_computes_the_lines_and_the_total_before_anything_is_issued(app, tariff, utama, file_request):
    item = file_request(access_method="salinan_hardcopy", copy_delivery="pos")
    bw, city = f"fee_qty_{tariff['bw'].id}", f"fee_qty_{tariff['city'].id}"
    def calculate(item, **fields):
        return utama.post(f"/meja/permohonan/{item.id}/pemberitahuan?hitung=1", data=notice_form(item, **fields))

    form = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert f'formaction="/meja/permohonan/{item.id}/pemberitahuan?hitung=1"' in form
    response = calculate(item, fee_amount="", payment_method="Tunai", **{bw: "10", city: "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'name="{bw}"' in html and 'value="10"' in html
    preview = html.split('id="fee-preview"')[1].split('id="fee_amount"')[0]
    assert "Rp5.000" in preview and "Rp15.000" in preview and 'id="fee-preview-total">Rp20.000<' in preview
    assert "di luar tarif" not in preview
    response = calculate(fresh(item), fee_amount="18000", payment_method="Tunai", **{bw: "10", city: "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and errors_of(response) == ["fee_reason"]
    assert 'id="fee-preview-total">Rp18.000<' in html and "di luar tarif" in html
    assert db.session.scalar(select(func.count()).select_from(WrittenNotice)) == 0
    assert fresh(item).notice_at is None


@pytest.mark.parametrize(("access_method", "copy_delivery", "message"), [
    ("melihat", None, "melihat, membaca, mendengarkan atau mencatat"),
    ("salinan_softcopy", "email", "dikirim lewat e-mail tidak dipungut biaya"),
    ("salinan_hardcopy", "email", "dikirim lewat e-mail tidak dipungut biaya"),
])
def test_no_fee_for_viewing_nor_for_a_copy_sent_by_e_mail(app, tariff, utama, file_request, access_method,
                                                          copy_delivery, message):
    item = file_request(access_method=access_method, copy_delivery=copy_delivery)
    form = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="fee-none"' in form and message in form
    for fee in ({f"fee_qty_{tariff['cd'].id}": "1"}, {"fee_amount": "5000", "fee_reason": "Biaya penggandaan."}):
        response = issue(utama, fresh(item), payment_method="Tunai", **fee)
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and "fee_amount" in errors_of(response) and message in html
        assert 'value="1"' in html or 'value="5000"' in html  # what was typed stays
    assert db.session.scalar(select(func.count()).select_from(WrittenNotice)) == 0
    assert db.session.scalar(select(func.count()).select_from(NoticeFeeLine)) == 0
    assert issue(utama, fresh(item)).status_code == 303  # without a fee it is issued
    letter = utama.get(f"/meja/permohonan/{item.id}/pemberitahuan").get_data(as_text=True)
    assert "Tanpa biaya." in letter and message in letter


def test_lines_must_fit_what_the_applicant_asked_for(app, tariff, utama, file_request):
    softcopy_by_post = file_request(access_method="salinan_softcopy", copy_delivery="pos")
    response = issue(utama, softcopy_by_post, payment_method="Tunai", **{f"fee_qty_{tariff['bw'].id}": "10"})
    assert response.status_code == 422 and errors_of(response) == [f"fee_qty_{tariff['bw'].id}"]
    assert "tidak ada biaya penggandaan per lembar" in response.get_data(as_text=True)
    picked_up = file_request(access_method="salinan_hardcopy", copy_delivery="ambil_langsung", email="c@example.id")
    response = issue(utama, picked_up, payment_method="Tunai", **{f"fee_qty_{tariff['city'].id}": "1"})
    assert response.status_code == 422 and errors_of(response) == [f"fee_qty_{tariff['city'].id}"]
    response = issue(utama, fresh(picked_up), payment_method="Tunai", **{f"fee_qty_{tariff['bw'].id}": "dua"})
    assert response.status_code == 422 and errors_of(response) == [f"fee_qty_{tariff['bw'].id}"]
    assert "angka bulat" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(WrittenNotice)) == 0


def test_an_amount_outside_the_tariff_needs_a_reason_shown_to_the_applicant(app, tariff, utama, file_request, mailbox):
    item = file_request(access_method="salinan_hardcopy", copy_delivery="pos")
    bw = f"fee_qty_{tariff['bw'].id}"
    # a total that differs from the lines
    response = issue(utama, item, payment_method="Tunai", fee_amount="10.000", **{bw: "24"})
    assert response.status_code == 422 and errors_of(response) == ["fee_reason"]
    # a manual line, each of its fields checked
    response = issue(utama, fresh(item), payment_method="Tunai", fee_manual1_description="Penjilidan",
                     fee_manual1_quantity="", fee_manual1_price="5000", **{bw: "24"})
    assert response.status_code == 422 and set(errors_of(response)) == {"fee_manual1_quantity", "fee_reason"}
    assert db.session.scalar(select(func.count()).select_from(WrittenNotice)) == 0
    reason = "Dokumen harus dijilid agar tidak tercecer saat dikirim."
    mailbox.clear()
    response = issue(utama, fresh(item), payment_method="Tunai", fee_manual1_description="Penjilidan", fee_amount="",
                     fee_manual1_quantity="1", fee_manual1_price="5.000", fee_reason=reason, **{bw: "24"})
    assert response.status_code == 303
    notice = db.session.scalar(select(WrittenNotice))
    lines = db.session.scalars(select(NoticeFeeLine).order_by(NoticeFeeLine.position)).all()
    assert [(x.description, x.subtotal, x.tariff_line_id) for x in lines] == [
        ("A4 hitam-putih", 12000, tariff["bw"].id), ("Penjilidan", 5000, None)]
    assert (notice.fee_amount, notice.fee_reason) == (17000, reason)
    body = mailbox.wait_for(1)[0].get_content()
    assert reason in body
    applicant = app.test_client()
    applicant.get(f"/lacak/{item.tracking_token}")
    page = applicant.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert reason in page and "Penjilidan" in page and "Rp17.000" in page
    assert reason in utama.get(f"/meja/permohonan/{item.id}/pemberitahuan").get_data(as_text=True)


def test_a_tariff_changed_while_the_form_was_open_drops_nothing_silently(app, tariff, utama, file_request):
    item = file_request(access_method="salinan_hardcopy", copy_delivery="pos")
    old = tariff["bw"].id
    tariff["bw"].active = False
    db.session.commit()
    response = issue(utama, item, payment_method="Tunai", **{f"fee_qty_{old}": "24"})
    assert response.status_code == 422 and "fee_amount" in errors_of(response)
    assert "Tarif berubah" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(WrittenNotice)) == 0


def test_the_pdf_letter_prints_the_lines_the_total_and_the_reason(app, tariff, utama, file_request, monkeypatch,
                                                                  artifacts):
    item = file_request(access_method="salinan_hardcopy", copy_delivery="kurir")
    assert issue(utama, item, payment_method="Transfer ke rekening Kas Daerah 0012345678",
                 fee_amount="25.000", fee_reason="Ongkos kurir dibulatkan sesuai tagihan jasa pengiriman.",
                 **{f"fee_qty_{tariff['bw'].id}": "24", f"fee_qty_{tariff['city'].id}": "1"}).status_code == 303
    monkeypatch.setattr(letter_pdf_module, "FONT_CANDIDATES", ())  # core fonts: the text is readable back
    content = utama.get(f"/meja/permohonan/{item.id}/pemberitahuan.pdf").get_data()
    text = pdf_text(content)
    for expected in ("Rincian biaya (butir g)", "A4 hitam-putih", "24 lembar", "Rp500", "Rp12.000", "Dalam kota",
                     "Rp15.000", "Jumlah rincian", "Rp27.000", "Biaya yang dikenakan", "Rp25.000",
                     "Alasan biaya di luar tarif: Ongkos kurir dibulatkan", "0012345678", SK):
        assert expected in text, expected
    monkeypatch.undo()
    content = utama.get(f"/meja/permohonan/{item.id}/pemberitahuan.pdf").get_data()  # the Unicode font
    path = artifacts / "notice-fee-lines.pdf"
    path.write_bytes(content)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(artifacts / "notice-fee-lines")], check=True)
        assert list(artifacts.glob("notice-fee-lines*.png"))
