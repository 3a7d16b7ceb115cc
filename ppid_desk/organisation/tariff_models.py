"""The fee tariff (tarif biaya): what a copy, a medium and postage cost, as set by decree and
published (UU KIP: fees are only the cost of copies and delivery). Data an administrator edits;
each line carries the decree (SK) that set it and the day it takes effect."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db


class TariffKind(StrEnum):
    """What a tariff line prices, and so what one unit of it is."""

    COPY = "copy"  # a page of copy, by paper format and colour: per sheet
    MEDIUM = "medium"  # a medium the information is put on (CD/DVD, flashdisk): per piece
    POSTAGE = "postage"  # sending it by post or courier, by zone: per parcel


class TariffLine(db.Model):
    """One rate of the tariff, e.g. "A4 hitam-putih, Rp500 per lembar, SK … tanggal …, berlaku
    mulai …". A later line with the same kind and name replaces it from its own effective date."""

    __tablename__ = "tariff_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    price: Mapped[int] = mapped_column(Integer)  # rupiah per unit
    decree_number: Mapped[str] = mapped_column(String(200))  # the SK that set the rate
    decree_date: Mapped[date] = mapped_column(Date)
    effective_from: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
