"""The shared A4 document (web/letter_pdf.py): what every page of every letter carries."""

from __future__ import annotations

from datetime import date

from ppid_desk.web.letter_pdf import LetterPDF
from tests.helpers import pdf_text


def two_page_letter(number: str) -> bytes:
    pdf = LetterPDF()
    pdf.alias_nb_pages()
    pdf.begin(number=number, issued_on=date(2026, 12, 3), body_name="Pemerintah Kota Contoh",
              body_address="Jl. Merdeka No. 1", office="PPID Utama", heading="SURAT UJI",
              subject="Uji", addressee=("Ani", "Jl. Mawar 1", ""), running_head=f"Surat {number}")
    for index in range(70):
        pdf.para(f"Paragraf {index}: isi surat yang cukup panjang untuk mengisi halaman.")
    assert pdf.page_no() == 2
    return bytes(pdf.output())


def test_every_page_carries_the_document_number_and_its_page(app):
    with app.test_request_context():
        text = pdf_text(two_page_letter("0042/PPID/XII/2026"))
    # "Nomor: ..." under the heading, the running head of page 2, and the footer of both pages.
    assert text.count("0042/PPID/XII/2026") == 4, text
    flat = "".join(text.split())  # lines wrap, and the page total is drawn as its own string
    assert "Halaman1dari2" in flat and "Halaman2dari2" in flat
