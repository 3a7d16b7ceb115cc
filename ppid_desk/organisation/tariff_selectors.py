"""Reads on the fee tariff: every line (administration), the lines in effect on a day (the
notice form, the public page, the home page) and the lines announced for a later day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from ..extensions import db
from .tariff_models import TariffKind, TariffLine

KIND_ORDER = {kind.value: index for index, kind in enumerate(TariffKind)}


def _sorted(lines: Iterable[TariffLine]) -> list[TariffLine]:
    return sorted(lines, key=lambda line: (KIND_ORDER.get(line.kind, 99), line.name.casefold(),
                                           line.effective_from, line.id))


def same_item(line: TariffLine) -> tuple[str, str]:
    """Lines with this key price the same thing; the latest in effect replaces the others."""
    return line.kind, " ".join(line.name.split()).casefold()


def tariff_lines_all() -> list[TariffLine]:
    """Every line, active or not (the administrator's list)."""
    return _sorted(db.session.scalars(select(TariffLine)))


def tariff_line_get(line_id: int) -> TariffLine | None:
    return db.session.get(TariffLine, line_id)


def tariff_in_effect(day: date) -> list[TariffLine]:
    """The active lines in effect on ``day``: effective on or before it and not replaced by a
    later line for the same item that is also in effect."""
    lines = db.session.scalars(select(TariffLine).where(TariffLine.active.is_(True),
                                                        TariffLine.effective_from <= day))
    latest: dict[tuple[str, str], TariffLine] = {}
    for line in lines:
        key = same_item(line)
        kept = latest.get(key)
        if kept is None or (line.effective_from, line.id) > (kept.effective_from, kept.id):
            latest[key] = line
    return _sorted(latest.values())


def tariff_upcoming(day: date) -> list[TariffLine]:
    """Active lines that take effect after ``day`` (announced on the public page)."""
    return _sorted(db.session.scalars(select(TariffLine).where(TariffLine.active.is_(True),
                                                               TariffLine.effective_from > day)))


def tariff_history(limit: int = 50) -> list:
    """The latest changes to the tariff, newest first (the administration page's history)."""
    from ..audit.models import Event
    from .tariff_services import SUBJECT

    return list(db.session.scalars(select(Event).where(Event.subject_type == SUBJECT)
                                   .order_by(Event.id.desc()).limit(limit)))
