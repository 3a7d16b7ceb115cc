"""Monitoring and evaluation (monev): tables that let metrics be computed in SQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db


class WorkdayOrdinal(db.Model):
    """Each calendar date with the number of working days up to and including it.

    WD(a, b) — working days in (a, b] — becomes ``ordinal(b) - ordinal(a)``: a join, not a loop.
    Rebuilt from the Holiday table whenever the calendar changes.
    """

    __tablename__ = "workday_ordinal"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    working: Mapped[bool] = mapped_column()


class AnnualReport(db.Model):
    """The narrative sections of the laporan layanan informasi publik (Perki 1/2021), per year."""

    __tablename__ = "annual_report"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    policy: Mapped[str | None] = mapped_column(Text)  # kebijakan pelayanan
    facilities: Mapped[str | None] = mapped_column(Text)  # sarana, prasarana, SDM, anggaran
    obstacles: Mapped[str | None] = mapped_column(Text)  # kendala
    recommendations: Mapped[str | None] = mapped_column(Text)  # rekomendasi dan tindak lanjut
    published: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
