"""Registration numbers (nomor pendaftaran): gapless per year, safe across server processes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from .models import RegistrationCounter

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def next_sequence(series: str, year: int) -> int:
    """Take the next number of ``series`` in ``year`` inside the caller's transaction.

    The counter row is incremented with UPDATE … RETURNING, which holds a row lock (PostgreSQL)
    or the database write lock (SQLite) until the transaction ends: a concurrent registration
    waits, and a rolled-back one gives its number back, so numbers stay gapless.
    """
    table = RegistrationCounter.__table__
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert
    db.session.execute(
        insert(table).values(series=series, year=year, last_value=0).on_conflict_do_nothing()
    )
    return db.session.execute(
        update(table)
        .where(table.c.series == series, table.c.year == year)
        .values(last_value=table.c.last_value + 1)
        .returning(table.c.last_value)
    ).scalar_one()


def format_number(pattern: str, *, seq: int, on: date) -> str:
    """Render a number pattern; default ``{seq4}/PPID/{month_roman}/{year}`` → ``0007/PPID/XI/2026``."""
    return pattern.format(
        seq=seq, seq4=f"{seq:04d}", month=f"{on.month:02d}",
        month_roman=ROMAN_MONTHS[on.month - 1], year=on.year,
    )
