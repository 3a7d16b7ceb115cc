"""The extension letter (Pasal 22(8)) and the withdrawal confirmation are numbered A4 letters on
the letterhead (issue 13 item 4): their PDF and printable page state the number, the items and
the dates; an applicant without e-mail gets them printed at the desk, which records the hand-over
with the one form of every letter (proof for post and courier), and the extension letter's receipt
is the request's ``extension_received_on``."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from ppid_desk.audit.selectors import events_for
from ppid_desk.extensions import db
from ppid_desk.requests.models import OfficialLetter
from ppid_desk.web import letter_pdf
from tests.helpers import MONDAY, extend_confirmed, fresh, pdf_text, png_bytes

REASON = "Informasi masih dikumpulkan dari tiga unit kerja dan perlu dihitamkan sebagian."
EXTENDED_AT = datetime(2026, 3, 4, 3, 0, tzinfo=UTC)  # Wednesday 4 March 2026, 10.00 WIB
WITHDRAWAL_REASON = "Informasi sudah saya peroleh dari situs web dinas."


def letters_of(item) -> list[OfficialLetter]:
    db.session.expire_all()
    return list(db.session.scalars(select(OfficialLetter).where(OfficialLetter.request_id == item.id)
                                   .order_by(OfficialLetter.id)))


def kinds(item) -> list[str]:
    return [event.kind for event in events_for("request", item.id)]


def core_font_pdf(monkeypatch, client, url: str) -> str:
    """The PDF's text, drawn with a core font so that it can be read back."""
    monkeypatch.setattr(letter_pdf, "FONT_CANDIDATES", ())
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf", response.status_code
    return " ".join(pdf_text(response.get_data()).split())


@pytest.fixture
def walk_in(app, clock, file_request, officer_client):
    """A walk-in applicant without e-mail; the PPID Utama extends by 7 WD, the letter sent by post."""
    clock.travel_to(MONDAY)
    item = file_request(email="", channel="walk_in", received_at=MONDAY, notify=False)
    utama = officer_client("ppid_utama", name="Rina Utama")
    clock.travel_to(EXTENDED_AT)
    response = extend_confirmed(utama, f"/meja/permohonan/{item.id}/perpanjangan",
                          {"version": str(item.version), "reason": REASON, "working_days": "7",
                                "sent_via": "post"})
    assert response.status_code == 303
    return fresh(item), utama


# --- the extension letter ------------------------------------------------------------------------

def test_the_extension_letter_is_numbered_with_its_reasons_and_dates(walk_in, monkeypatch):
    item, utama = walk_in
    [letter] = letters_of(item)
    assert (letter.kind, letter.number, letter.issued_on) == ("extension", "0001/PPID-PJ/III/2026", date(2026, 3, 4))
    assert (letter.sent_via, letter.received_on) == ("post", None)  # by post: received when the desk records it
    assert item.extended_due == date(2026, 4, 1) and item.extension_received_on is None
    [event] = [e for e in events_for("request", item.id) if e.kind == "extended"]
    assert event.data["letter"] == letter.number

    text = core_font_pdf(monkeypatch, utama, f"/meja/permohonan/{item.id}/surat-resmi/{letter.id}.pdf")
    for expected in ("PEMBERITAHUAN PERPANJANGAN JANGKA WAKTU", "Nomor: 0001/PPID-PJ/III/2026", "4 Maret 2026",
                     item.number, "Pasal 22 ayat (8)", "1. Alasan perpanjangan", REASON,
                     "2. Batas semula", "16 Maret 2026 (10 hari kerja", "3. Lama perpanjangan", "7 hari kerja",
                     "Hari Suci Nyepi", "4. Batas baru pemberitahuan tertulis", "1 April 2026",
                     "huruf c", "Budi Santoso", "Jl. Melati No. 5", "PPID Utama", "Rina Utama"):
        assert expected in text, expected
    assert text.index("1. Alasan") < text.index("2. Batas semula") < text.index("3. Lama") < text.index("4. Batas baru")

    page = utama.get(f"/meja/permohonan/{item.id}/surat-resmi/{letter.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for expected in ("0001/PPID-PJ/III/2026", REASON, "1 April 2026", "Hari Suci Nyepi", "Rina Utama"):
        assert expected in html, expected
    # With htmx only the letter itself is sent (no page around it), saying the same.
    partial = utama.get(f"/meja/permohonan/{item.id}/surat-resmi/{letter.id}", headers={"HX-Request": "true"})
    fragment = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in fragment and 'id="official-letter"' in fragment
    assert "0001/PPID-PJ/III/2026" in fragment and REASON in fragment

    desk = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert 'id="official-letters-panel"' in desk and "Cetak surat" in desk
    assert f'id="official-handover-{letter.id}"' in desk  # by post, not yet received: the hand-over form


def test_the_hand_over_of_the_extension_letter_by_post_needs_its_proof(walk_in, clock, runner):
    item, utama = walk_in
    [letter] = letters_of(item)
    url = f"/meja/permohonan/{item.id}/surat-resmi/{letter.id}/penyerahan"
    prefix = f"official{letter.id}-"
    clock.travel_to(datetime(2026, 3, 6, 3, 0, tzinfo=UTC))  # Friday 6 March
    before, version = kinds(item), item.version

    def post(**fields):
        data = {prefix + name: value for name, value in fields.items()}
        return utama.post(url, data=data, content_type="multipart/form-data")

    cases = [
        (post(method="post", received_on="05-03-2026"), "Unggah Bukti diterima"),
        (post(method="post", received_on="03-03-2026", proof=(io.BytesIO(png_bytes()), "resi.png")),
         "sebelum surat diterbitkan"),
        (post(method="courier", received_on="09-03-2026"), "di masa depan"),
        (post(method="in_person", received_on="31-02-2026"), "Tanggal"),
        (post(received_on="05-03-2026"), "Pilih cara surat diserahkan"),
        (post(method="email", received_on="05-03-2026"), "tidak mempunyai alamat e-mail"),
    ]
    for response, message in cases:
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and message in html, message
        assert 'class="field-error"' in html  # next to the field
    assert 'value="2026-03-05"' in cases[0][0].get_data(as_text=True)  # what was typed is kept (ISO for the date input)
    assert kinds(item) == before and fresh(item).version == version  # nothing written
    assert letters_of(item)[0].received_on is None

    done = post(method="post", received_on="05-03-2026", proof=(io.BytesIO(png_bytes()), "resi.png"))
    assert done.status_code == 303
    [letter] = letters_of(item)
    item = fresh(item)
    assert (letter.sent_via, letter.received_on) == ("post", date(2026, 3, 5)) and letter.proof_id is not None
    assert (item.extension_sent_via, item.extension_received_on) == ("post", date(2026, 3, 5))
    event = events_for("request", item.id)[-1]
    assert event.kind == "letter_handed_over"
    assert event.data["letter"] == letter.number and event.data["proof"] == letter.proof_id
    assert event.data["after"]["extension_received_on"] == "2026-03-05"
    desk = utama.get(f"/meja/permohonan/{item.id}").get_data(as_text=True)
    assert f'id="official-letter-{letter.id}-received"' in desk and f'id="official-handover-{letter.id}"' not in desk
    assert runner.invoke(args=["ppid", "rebuild-cache", "--check"]).exit_code == 0  # the funnel replays it
    again = post(method="in_person", received_on="06-03-2026")
    assert again.status_code == 303 and fresh(item).extension_received_on == date(2026, 3, 5)  # recorded once


def test_an_applicant_with_email_gets_the_extension_letter_linked(app, clock, file_request, officer_client, mailbox,
                                                                  monkeypatch):
    clock.travel_to(MONDAY)
    item = file_request(notify=False)
    utama = officer_client("ppid_utama", name="Rina Utama")
    clock.travel_to(EXTENDED_AT)
    assert extend_confirmed(utama, f"/meja/permohonan/{item.id}/perpanjangan",
                            {"version": str(item.version), "reason": REASON, "working_days": "7"}).status_code == 303
    [letter] = letters_of(item)
    assert (letter.sent_via, letter.received_on) == ("email", date(2026, 3, 4))  # received the day it is sent
    body = mailbox.wait_for(1)[0].get_content()
    assert letter.number in body and f"/permohonan/{item.id}/surat-resmi/{letter.id}.pdf" in body
    assert fresh(item).extension_received_on == date(2026, 3, 4)

    guest = app.test_client()
    guest.get(f"/lacak/{item.tracking_token}")
    page = guest.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert f'href="/permohonan/{item.id}/surat-resmi/{letter.id}.pdf"' in page
    text = core_font_pdf(monkeypatch, guest, f"/permohonan/{item.id}/surat-resmi/{letter.id}.pdf")
    assert letter.number in text and REASON in text and "1 April 2026" in text
    assert "official_letter_downloaded" in kinds(item)
    stranger = app.test_client()
    assert stranger.get(f"/permohonan/{item.id}/surat-resmi/{letter.id}.pdf").status_code in (302, 404)


# --- the withdrawal confirmation -----------------------------------------------------------------

def test_a_withdrawal_recorded_at_the_desk_gets_a_numbered_confirmation(app, clock, file_request, officer_client,
                                                                         monkeypatch):
    clock.travel_to(MONDAY)
    item = file_request(email="", channel="letter", received_at=MONDAY, notify=False)
    desk = officer_client("petugas", name="Dewi Petugas")
    clock.travel_to(datetime(2026, 3, 4, 3, 0, tzinfo=UTC))
    response = desk.post(f"/meja/permohonan/{item.id}/pencabutan",
                         data={"version": str(item.version), "channel": "letter", "received_date": "2026-03-03",
                               "received_time": "14.30", "reason": WITHDRAWAL_REASON})
    assert response.status_code == 303
    [letter] = letters_of(item)
    assert (letter.kind, letter.number, letter.issued_on) == ("withdrawal", "0001/PPID-CB/III/2026", date(2026, 3, 4))
    assert letter.sent_via is None and letter.received_on is None  # no e-mail: printed at the desk
    assert WITHDRAWAL_REASON not in str(letter.content)  # sealed with the applicant's key

    text = core_font_pdf(monkeypatch, desk, f"/meja/permohonan/{item.id}/surat-resmi/{letter.id}.pdf")
    for expected in ("KONFIRMASI PENCABUTAN PERMOHONAN INFORMASI PUBLIK", "Nomor: 0001/PPID-CB/III/2026",
                     "4 Maret 2026", "1. Permohonan", item.number, "2 Maret 2026", "2. Pencabutan diterima",
                     "3 Maret 2026 14.30", "surat", "3. Alasan pencabutan", WITHDRAWAL_REASON,
                     "4. Akibat pencabutan", "berhenti", "tidak memproses permohonan ini lebih lanjut",
                     "permohonan baru"):
        assert expected in text, expected

    url = f"/meja/permohonan/{item.id}/surat-resmi/{letter.id}/penyerahan"
    prefix = f"official{letter.id}-"
    bad = desk.post(url, data={prefix + "method": "in_person", prefix + "received_on": "2026-03-02"},
                    content_type="multipart/form-data")
    assert bad.status_code == 422 and "sebelum surat diterbitkan" in bad.get_data(as_text=True)
    good = desk.post(url, data={prefix + "method": "in_person", prefix + "received_on": "2026-03-04"},
                     content_type="multipart/form-data")
    assert good.status_code == 303
    [letter] = letters_of(item)
    assert (letter.sent_via, letter.received_on, letter.proof_id) == ("in_person", date(2026, 3, 4), None)
    assert fresh(item).extension_received_on is None  # only the extension letter feeds that column


def test_an_online_withdrawal_e_mails_the_confirmation(app, clock, file_request, mailbox, monkeypatch):
    clock.travel_to(MONDAY)
    item = file_request(notify=False)
    guest = app.test_client()
    guest.get(f"/lacak/{item.tracking_token}")
    assert guest.post(f"/permohonan/{item.id}/cabut",
                      data={"version": str(item.version), "reason": ""}).status_code == 303
    [letter] = letters_of(item)
    assert (letter.kind, letter.sent_via, letter.received_on) == ("withdrawal", "email", date(2026, 3, 2))
    assert letter.issued_by_id is None  # a guest applicant
    body = mailbox.wait_for(1)[0].get_content()
    assert letter.number in body and f"/surat-resmi/{letter.id}.pdf" in body
    page = guest.get(f"/permohonan/{item.id}").get_data(as_text=True)
    assert f'href="/permohonan/{item.id}/surat-resmi/{letter.id}.pdf"' in page
    text = core_font_pdf(monkeypatch, guest, f"/permohonan/{item.id}/surat-resmi/{letter.id}.pdf")
    assert letter.number in text and "halaman permohonan daring" in text and "Tidak disebutkan" in text
