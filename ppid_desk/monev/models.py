"""Monitoring and evaluation (monev): tables that let metrics be computed in SQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db
from ..requests.models import InformationRequest

# Monev's own index on the request table, declared here (it serves only monev) and attached to
# the table by its columns: the requests whose notice promised a day (``provide_by``). The
# late-delivery figures read only these entries, the promised day and the delivery day being in
# the index itself, instead of every request row of the period (issue 17 item 3).
_R = InformationRequest.__table__
Index("ix_information_request_promised", _R.c.receipt_date, _R.c.status, _R.c.provide_by, _R.c.delivered_on,
      sqlite_where=text("provide_by IS NOT NULL"), postgresql_where=text("provide_by IS NOT NULL"))


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
    # Its submission to the Komisi Informasi (Perki 1/2021 Pasal 56: by 31 March), recorded by PPID
    # Utama with the proof (an attachment with ``annual_report_year``): the day, how, to whom.
    submitted_on: Mapped[date | None] = mapped_column(Date)
    submitted_via: Mapped[str | None] = mapped_column(String(16))
    submitted_to: Mapped[str | None] = mapped_column(String(200))
    submission_note: Mapped[str | None] = mapped_column(Text)
    submission_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submission_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class MonevTally(db.Model):
    """Pre-aggregated monev counts of one receipt day's *settled* requests (those with a notice).

    A settled request's contribution to every aggregate no longer depends on today's date, so
    its day can be summed once and re-summed only when one of its requests changes (see
    ``monev.tallies``). ``kind``: "body" rows keep the breakdown (status, channel, outcome,
    Pasal 17 letters) with ``unit_id`` 0; "unit" rows are one unit's requests; "task" rows count
    that unit's routing tasks; "scope" rows keep the body's breakdown for the requests held by one
    set of units (``unit_id`` is a ``MonevUnitSet``): a unit's run sums the sets that include one
    of its units, so a request held by two of them is counted once. Absent keys are stored as ""
    (key columns cannot be NULL).
    """

    __tablename__ = "monev_tally"

    # Key order: a run reads one kind (and unit or set) over a range of days.
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(24), primary_key=True)
    pasal17_basis: Mapped[str] = mapped_column(String(32), primary_key=True)
    total: Mapped[int] = mapped_column(Integer)
    ot10: Mapped[int] = mapped_column(Integer)
    legal: Mapped[int] = mapped_column(Integer)
    extended: Mapped[int] = mapped_column(Integer)
    valid_ext: Mapped[int] = mapped_column(Integer)
    refused: Mapped[int] = mapped_column(Integer)
    refusal_ok: Mapped[int] = mapped_column(Integer)
    with_fee: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)
    answered_on_time: Mapped[int] = mapped_column(Integer)


class MonevTallyDuration(db.Model):
    """Histogram of one receipt day's settled requests: working days per series (notice, delivery,
    routing, answer) and fee amounts ("fee"). ``scope`` 0: the whole body; else a
    ``MonevUnitSet``: the requests that set of units holds (the "answer" series: the tasks of the
    one unit of a one-unit set)."""

    __tablename__ = "monev_tally_duration"

    scope: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, default=0)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    series: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer)


class MonevTallyRegister(db.Model):
    """One receipt day's settled register rows: how many ("_rows"), how many complete
    ("_complete") and how many miss each mandatory column (``register_quality``); ``scope`` as in
    ``MonevTallyDuration``."""

    __tablename__ = "monev_tally_register"

    scope: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, default=0)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    column: Mapped[str] = mapped_column(String(32), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class MonevUnitSet(db.Model):
    """A set of units that hold requests together (each by a live routing task), as the tallies of
    unit scopes key them: ``units`` is their ids, sorted and comma-separated ("3" or "3,7")."""

    __tablename__ = "monev_unit_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    units: Mapped[str] = mapped_column(Text, unique=True)


class MonevTallyDay(db.Model):
    """A receipt day whose tallies were computed; ``dirty`` once one of its requests changed.

    A day without a row has never been tallied. The request funnel marks a day dirty in the
    same transaction as the change; a refresh first marks its days clean and only then
    re-sums them, so a change committed meanwhile leaves its day dirty (never lost).
    """

    __tablename__ = "monev_tally_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    dirty: Mapped[bool] = mapped_column(default=False)


class MonevFiguresVersion(db.Model):
    """One row (id 1): the version of what monev figures are made of (the request log and the
    working calendar): a random ``epoch`` chosen when the row is created, and a ``counter`` that
    every transaction changing those inputs bumps as it commits (``monev.public_cache``). Public
    aggregate pages are cached under it."""

    __tablename__ = "monev_figures_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    epoch: Mapped[str] = mapped_column(String(32))
    counter: Mapped[int] = mapped_column(Integer)
