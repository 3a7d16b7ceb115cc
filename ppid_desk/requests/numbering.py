"""Registration numbers (nomor pendaftaran): gapless per year, safe across server processes."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam

from ..extensions import db
from ..rows import dialect_insert
from .models import RegistrationCounter

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def next_sequence(series: str, year: int) -> int:
    """Take the next number of ``series`` in ``year`` inside the caller's transaction.

    One statement: INSERT … ON CONFLICT (series, year) DO UPDATE SET last_value = last_value + 1
    RETURNING last_value. It creates the year's counter at 1 or increments it, and holds a row
    lock (PostgreSQL; a concurrent insert of the same key waits for it, then increments) or the
    database write lock (SQLite) until the transaction ends: a concurrent registration waits,
    and a rolled-back one gives its number back, so numbers stay gapless.
    """
    return db.session.execute(dialect_insert(_take), {"series": series, "year": year}).scalar_one()


def _take(insert) -> Any:
    table = RegistrationCounter.__table__
    statement = insert(table).values(series=bindparam("series"), year=bindparam("year"), last_value=1)
    return (statement.on_conflict_do_update(index_elements=[table.c.series, table.c.year],
                                            set_={"last_value": table.c.last_value + 1})
            .returning(table.c.last_value))


def format_number(pattern: str, *, seq: int, on: date) -> str:
    """Render a number pattern; default ``{seq4}/PPID/{month_roman}/{year}`` → ``0007/PPID/XI/2026``."""
    return pattern.format(
        seq=seq, seq4=f"{seq:04d}", month=f"{on.month:02d}",
        month_roman=ROMAN_MONTHS[on.month - 1], year=on.year,
    )
