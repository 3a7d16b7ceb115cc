"""The Daftar Informasi Publik of a year in the layout of Perki 1/2021 (its annex): one row per
item with its summary, the unit and the official responsible, when and where it was made, its
format and retention, and its category — as XLSX and as a PDF on the letterhead. This is what a
body uploads as E-Monev evidence and publishes as "setiap saat" information (Pasal 11(1)(a)).

The list of a year holds the items published by the end of that year that are published now
(withdrawn items left the list; their history stays on the desk)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..web.spreadsheets import Sheet, xlsx_bytes
from ..web.urls import public_url
from .labels import CATEGORY_LABELS, FORMAT_LABELS
from .models import InformationItem, ItemCategory, ItemStatus

PDF_WEIGHTS = (3, 40, 16, 16, 16, 9, 10, 9)  # the PDF's usual column widths, in the order of ``headers``
CATEGORY_ORDER = {ItemCategory.BERKALA: 0, ItemCategory.SERTA_MERTA: 1, ItemCategory.SETIAP_SAAT: 2}


def dip_items(year: int) -> list[InformationItem]:
    items = db.session.scalars(
        select(InformationItem).options(joinedload(InformationItem.unit))
        .where(InformationItem.status == ItemStatus.PUBLISHED, InformationItem.published_on <= date(year, 12, 31)))
    return sorted(items, key=lambda item: (CATEGORY_ORDER.get(item.category, 9), item.unit.name, item.title))


def headers() -> list[str]:
    return [_("No."), _("Ringkasan isi informasi"), _("Pejabat atau unit yang menguasai informasi"),
            _("Penanggung jawab pembuatan atau penerbitan informasi"), _("Waktu dan tempat pembuatan informasi"),
            _("Bentuk informasi yang tersedia"), _("Jangka waktu penyimpanan atau retensi arsip"),
            _("Jenis informasi")]


def _summary(item: InformationItem) -> str:
    return f"{item.title}. {item.summary}"


def rows(items: list[InformationItem]) -> list[list]:
    return [[number, _summary(item), item.unit.name, item.official, f"{item.made_when}, {item.made_where}",
             str(FORMAT_LABELS.get(item.format, item.format)), item.retention,
             str(CATEGORY_LABELS.get(item.category, item.category))]
            for number, item in enumerate(items, start=1)]


def title(year: int) -> str:
    return _("Daftar Informasi Publik Tahun %(year)d", year=year)


def dip_xlsx(year: int) -> bytes:
    items = dip_items(year)
    table = [row + [public_url("dip.item_page", item_id=item.id), item.published_on, item.reviewed_on]
             for row, item in zip(rows(items), items, strict=True)]
    sheet = Sheet(title=_("DIP %(year)d", year=year),
                  header=headers() + [_("Tautan"), _("Diumumkan"), _("Terakhir ditinjau")], rows=table,
                  widths=(5, 60, 28, 28, 26, 14, 18, 14, 40, 12, 12),
                  wrap=(False, True, True, True, True, False, True, False, False), bold_header=True)
    return xlsx_bytes([sheet], title=title(year))


def dip_pdf(year: int) -> bytes:
    from ..monev.register_pdf import register_pdf

    items = dip_items(year)
    cells = [[str(value) for value in row] for row in rows(items)]
    return register_pdf(title=title(year), headers=headers(), cells=cells, weights=PDF_WEIGHTS,
                        period=(date(year, 1, 1), date(year, 12, 31)), unit_name=None, paper="A4")
