"""The written notice's fee, itemised (item g of Pasal 22(7)): one row per line of the fee.

Each line keeps what it said when the notice was issued (description, unit, unit price), so
the letter printed again later says the same even after the tariff changed. A line taken from
the tariff points to it; a line without one is a manual line (outside the tariff), which needs
the notice's written reason (``WrittenNotice.fee_reason``)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class NoticeFeeLine(db.Model):
    __tablename__ = "notice_fee_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("written_notice.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, … in the letter's order
    tariff_line_id: Mapped[int | None] = mapped_column(ForeignKey("tariff_line.id"))  # None: manual
    kind: Mapped[str | None] = mapped_column(String(16))  # organisation.tariff_models.TariffKind
    description: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40))  # "lembar", "buah", "kiriman", or as typed
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)  # rupiah
    subtotal: Mapped[int] = mapped_column(Integer)  # quantity × unit price
    decree: Mapped[str | None] = mapped_column(String(300))  # the tariff's SK and its date, as issued
