"""English mode leaves no Indonesian text or formatting on the citizen's pages (issue 14 item 5):
English dates day first ("16 March 2026"), Rupiah as "IDR 10,000", the opening hours and weekday
names, status labels and the next step in English; Indonesian mode keeps "16 Maret 2026" and "Rp10.000"."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ppid_desk.extensions import db
from ppid_desk.notices.services import notice_issue
from tests.factories import grant
from tests.helpers import guest_client

MONDAY = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
INDONESIAN = re.compile(r"\b(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|Januari|Februari|Maret|Mei|Juni|Juli|"
                        r"Agustus|Oktober|Desember|istirahat|paling lambat|Selesai|Terdaftar|hari kerja)\b|Rp\d|IDR\d")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_status_page_with_a_fee_in_both_languages(app, clock, file_request, make_user):
    officer = make_user(email="utama@pemda.example.id", roles=("ppid_utama",), name="Rina Utama")
    clock.travel_to(MONDAY)
    item = file_request(access_method="salinan_hardcopy", copy_delivery="pos")
    notice_issue(actor=officer, item=item, draft=grant(fee=10000), notify=False)
    db.session.commit()
    client = guest_client(app, item)
    indonesian = visible_text(client.get(f"/permohonan/{item.id}").get_data(as_text=True))
    assert "Rp10.000" in indonesian and "2 Maret 2026" in indonesian and "Senin–Jumat 08.00–16.00" in indonesian
    client.get("/bahasa/en?next=/")
    for url in (f"/permohonan/{item.id}", f"/permohonan/{item.id}/tanda-bukti", "/", "/lacak"):
        english = visible_text(client.get(url).get_data(as_text=True))
        assert INDONESIAN.findall(english) == [], url
        assert "Opening hours: Monday–Friday" in english, url
    page = visible_text(client.get(f"/permohonan/{item.id}").get_data(as_text=True))
    assert "IDR 10,000" in page and "2 March 2026" in page
    assert "The information will be provided by" in page

