"""Satisfaction survey responses (survei kepuasan masyarakat, SKM) — anonymous to the desk.

Two tables that share nothing a reader could join on:

* ``survey_response``: the nine scores (1–4), the optional suggestion, the unit that handled the
  request and the month it was answered in (what the index needs). No request, applicant, user,
  date or time; its key is random, so row order says nothing about who answered when.
* ``survey_ticket``: one row per request that was answered: an HMAC of the request (keyed with a
  key derived from the data key), which only the application can recompute for a given request.
  It enforces "one response per request" (its primary key) and holds nothing else.

Nothing links a ticket to a response: no column, no shared key, no timestamp. No event is written
on the request when its survey is answered.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .ikm import ELEMENT_KEYS


class SurveyResponse(db.Model):
    __tablename__ = "survey_response"
    __table_args__ = (
        *(CheckConstraint(f"{key} BETWEEN 1 AND 4", name=f"{key}_scale") for key in ELEMENT_KEYS),
        CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
        Index("ix_survey_response_period", "year", "month", "unit_id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random (secrets.token_hex)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # None: no unit known
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(SmallInteger)
    u1_requirements: Mapped[int] = mapped_column(SmallInteger)
    u2_procedure: Mapped[int] = mapped_column(SmallInteger)
    u3_time: Mapped[int] = mapped_column(SmallInteger)
    u4_cost: Mapped[int] = mapped_column(SmallInteger)
    u5_product: Mapped[int] = mapped_column(SmallInteger)
    u6_competence: Mapped[int] = mapped_column(SmallInteger)
    u7_behaviour: Mapped[int] = mapped_column(SmallInteger)
    u8_complaints: Mapped[int] = mapped_column(SmallInteger)
    u9_facilities: Mapped[int] = mapped_column(SmallInteger)
    suggestion: Mapped[str | None] = mapped_column(Text)


class SurveyTicket(db.Model):
    """A request's survey was answered: the HMAC of the request, nothing else."""

    __tablename__ = "survey_ticket"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
