"""Writes on the fee tariff: check a line as the administrator typed it, add or change it, take
it out of use or back; every change is an event with its before and after (hash-chained, like
the body profile's). Flush, never commit; the view commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.models import User
from ..audit.services import event_log
from ..dbtypes import utcnow
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from .tariff_models import TariffKind, TariffLine

SUBJECT = "tariff_line"
NAME_MAX, DECREE_MAX = 120, 200
PRICE_MAX = 100_000_000  # rupiah; more for one page, one medium or one parcel is a typing mistake
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
AUDITED = ("kind", "name", "price", "decree_number", "decree_date", "effective_from", "active")


class StaleTariff(DomainError):
    """Another administrator changed the line since this form was opened."""


@dataclass(frozen=True)
class TariffDraft:
    """A tariff line as typed; ``price`` and the dates are None when missing or unreadable
    (the form has already put its message on the field)."""

    kind: str
    name: str
    price: int | None
    decree_number: str
    decree_date: date | None
    effective_from: date | None


def tariff_problems(draft: TariffDraft, *, line_id: int | None = None) -> dict[str, str]:
    """Every problem of a draft, by form field."""
    problems: dict[str, str] = {}
    if draft.kind not in {kind.value for kind in TariffKind}:
        problems["kind"] = _("Pilih jenis tarif.")
    name = " ".join((draft.name or "").split())
    if not name:
        problems["name"] = _("Tulis nama tarif, misalnya A4 hitam-putih, CD/DVD, atau Dalam kota.")
    elif len(name) > NAME_MAX:
        problems["name"] = _("Paling banyak %(max)d karakter.", max=NAME_MAX)
    if draft.price is None:
        problems["price"] = _("Tulis harga dalam rupiah, contoh 500 atau 15.000.")
    elif not 1 <= draft.price <= PRICE_MAX:
        problems["price"] = _("Harga paling sedikit Rp1 dan paling banyak Rp100.000.000.")
    if not (draft.decree_number or "").strip():
        problems["decree_number"] = _("Tulis nomor surat keputusan (SK) yang menetapkan tarif ini.")
    elif len(draft.decree_number.strip()) > DECREE_MAX:
        problems["decree_number"] = _("Paling banyak %(max)d karakter.", max=DECREE_MAX)
    for field, day, missing in (("decree_date", draft.decree_date, _("Tulis tanggal SK.")),
                                ("effective_from", draft.effective_from,
                                 _("Tulis tanggal tarif mulai berlaku."))):
        if day is None:
            problems[field] = missing
        elif not FIRST_DAY <= day <= LAST_DAY:
            problems[field] = _("Tulis tanggal antara tahun 2000 dan 2100.")
    if "decree_date" not in problems and "effective_from" not in problems \
            and draft.effective_from < draft.decree_date:
        problems["effective_from"] = _("Tarif tidak dapat berlaku sebelum SK yang menetapkannya ditandatangani.")
    if not problems:
        duplicate = db.session.scalar(select(TariffLine.id).where(
            TariffLine.kind == draft.kind, func.lower(TariffLine.name) == name.lower(),
            TariffLine.effective_from == draft.effective_from, TariffLine.active.is_(True),
            TariffLine.id != (line_id or 0)).limit(1))
        if duplicate is not None:
            problems["name"] = _("Tarif dengan jenis, nama dan tanggal berlaku yang sama sudah ada. Ubah tarif "
                                 "itu, atau pilih tanggal berlaku lain untuk tarif baru.")
    return problems


def _values(line: TariffLine) -> dict[str, Any]:
    return {name: (value.isoformat() if isinstance(value, date) else value)
            for name in AUDITED for value in [getattr(line, name)]}


def _apply(line: TariffLine, draft: TariffDraft) -> None:
    line.kind = draft.kind
    line.name = " ".join(draft.name.split())
    line.price = draft.price
    line.decree_number = " ".join(draft.decree_number.split())
    line.decree_date = draft.decree_date
    line.effective_from = draft.effective_from


def tariff_line_create(*, actor: User | None, draft: TariffDraft) -> TariffLine:
    """Add a line to the tariff; a line for an item already priced replaces it from its date."""
    problems = tariff_problems(draft)
    if problems:
        raise ValidationFailed(problems)
    now = utcnow()
    line = TariffLine(active=True, created_at=now, updated_at=now)
    _apply(line, draft)
    db.session.add(line)
    db.session.flush()
    event_log(actor=actor, subject_type=SUBJECT, subject_id=line.id, kind="tariff_line_created",
              data={"after": _values(line)})
    return line


def _check_version(line: TariffLine, expected_version: int | None) -> None:
    if expected_version is not None and line.version != expected_version:
        raise StaleTariff(_("Tarif ini baru saja diubah oleh administrator lain. Periksa isian terbaru; "
                            "perubahan Anda belum disimpan."))


def tariff_line_update(*, actor: User | None, line: TariffLine, draft: TariffDraft,
                       expected_version: int | None = None) -> list[str]:
    """Change a line; returns the names of the fields that changed (none: no event). Notices
    already issued keep the price they were issued with (their fee lines are copies)."""
    _check_version(line, expected_version)
    problems = tariff_problems(draft, line_id=line.id)
    if problems:
        raise ValidationFailed(problems)
    before = _values(line)
    _apply(line, draft)
    after = _values(line)
    changed = [name for name in AUDITED if before[name] != after[name]]
    if not changed:
        return []
    line.updated_at = utcnow()
    db.session.flush()
    event_log(actor=actor, subject_type=SUBJECT, subject_id=line.id, kind="tariff_line_updated",
              data={"changed": changed, "before": {k: before[k] for k in changed},
                    "after": {k: after[k] for k in changed}})
    return changed


def tariff_line_set_active(*, actor: User | None, line: TariffLine, active: bool,
                           expected_version: int | None = None) -> bool:
    """Take a line out of use (it no longer applies to new notices nor shows on the public
    page) or back into use; False when it already was so."""
    _check_version(line, expected_version)
    if line.active == active:
        return False
    if active:
        draft = TariffDraft(kind=line.kind, name=line.name, price=line.price, decree_number=line.decree_number,
                            decree_date=line.decree_date, effective_from=line.effective_from)
        problems = tariff_problems(draft, line_id=line.id)
        if problems:
            raise DomainError(next(iter(problems.values())))
    line.active = active
    line.updated_at = utcnow()
    db.session.flush()
    event_log(actor=actor, subject_type=SUBJECT, subject_id=line.id,
              kind="tariff_line_reactivated" if active else "tariff_line_deactivated",
              data={"changed": ["active"], "before": {"active": not active}, "after": {"active": active}})
    return True
