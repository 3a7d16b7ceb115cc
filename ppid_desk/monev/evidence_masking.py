"""Masking for the E-Monev evidence pack (issue 16 item 7): what leaves the body for the Komisi
Informasi's portal carries no personal data beyond what the evidence needs (UU 27/2022).

* Registers keep every statutory column in the legal order (the verifier checks that the register
  has them) but the applicant's and the representative's address and contact read "disamarkan",
  and names are reduced to initials; the NIK is never part of a register row.
* Every other cell of a row (the request's wording, reasons, notes) is cleaned of the row's own
  personal values should an applicant have typed them there (a phone number in the rincian).
* A written notice keeps its number, dates and items a–g; the addressee is reduced to initials.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from flask_babel import gettext as _

from .register_columns import DASH, OBJECTION_COLUMNS, REQUEST_COLUMNS, Column, html_cell

MIN_VALUE = 4  # shorter values (a two-letter name part) are not searched for in free text


def masked_text() -> str:
    return _("disamarkan")


def initials(name: str | None) -> str:
    """``Budi Santoso`` → ``B. S.``: enough to tell rows apart, not to name the person."""
    words = re.findall(r"[^\W\d_]+", name or "")
    return " ".join(f"{word[0].upper()}." for word in words) or DASH


class Redactor:
    """Replaces known personal values (the row's own NIK, phone, e-mail, address, name) in text."""

    def __init__(self, values: Iterable[str | None]) -> None:
        found = sorted({value.strip() for value in values if value and len(value.strip()) >= MIN_VALUE},
                       key=len, reverse=True)
        digits = {re.sub(r"\D", "", value) for value in found}
        found += sorted((d for d in digits if len(d) >= 8 and d not in found), key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(value) for value in found), re.I) if found else None

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(f"[{masked_text()}]", text)


def _personal_values(applicant) -> list[str | None]:
    return [applicant.nik, applicant.legal_approval_number, applicant.phone, applicant.email, applicant.address,
            applicant.name, applicant.representative_name]


# The columns masked, by their (Indonesian) header: "name" reduces to initials, "hide" removes.
REQUEST_MASKS = {"Nama pemohon": "name", "Alamat": "hide", "Kontak (telepon/e-mail)": "hide"}
OBJECTION_MASKS = {"Nama pemohon": "name", "Alamat pemohon": "hide", "Kontak pemohon (telepon/e-mail)": "hide",
                   "Nama kuasa": "name", "Alamat kuasa": "hide", "Kontak kuasa (telepon/e-mail)": "hide"}


def _masks(columns: Sequence[Column], by_header: dict[str, str]) -> list[str | None]:
    """Each column's mask (called under the Indonesian locale: headers are matched as printed)."""
    masks = [by_header.get(str(column.header)) for column in columns]
    if len([m for m in masks if m]) != len(by_header):  # never print a register unmasked
        raise RuntimeError("a masked register column was renamed: update evidence_masking")
    return masks


def _cells(columns: Sequence[Column], masks: list[str | None], row, redact: Redactor) -> list[str]:
    cells = []
    for column, mask in zip(columns, masks, strict=True):
        value = html_cell(column.value(row))
        if mask == "hide":
            cells.append(masked_text() if value != DASH else DASH)
        elif mask == "name":
            cells.append(initials(value) if value != DASH else DASH)
        else:
            cells.append(redact(value))
    return cells


def masked_request_cells(rows: Sequence) -> list[list[str]]:
    """The register permohonan's rows (``RequestRow``) as masked cell texts."""
    masks = _masks(REQUEST_COLUMNS, REQUEST_MASKS)
    return [_cells(REQUEST_COLUMNS, masks, row, Redactor(_personal_values(row.item.applicant))) for row in rows]


def masked_objection_cells(rows: Sequence) -> list[list[str]]:
    """The register keberatan's rows (``ObjectionRow``) as masked cell texts."""
    masks = _masks(OBJECTION_COLUMNS, OBJECTION_MASKS)
    out = []
    for row in rows:
        objection = row.objection
        values = _personal_values(objection.request.applicant) + [
            objection.representative_name, objection.representative_address, objection.representative_contact]
        out.append(_cells(OBJECTION_COLUMNS, masks, row, Redactor(values)))
    return out


def masked_letter(letter, applicant):
    """A written notice's letter (``notices.selectors.Letter``) with the addressee reduced to
    initials, no address or e-mail, and the applicant's values cleaned from every text."""
    from dataclasses import replace

    redact = Redactor(_personal_values(applicant))
    return replace(
        letter, applicant_name=initials(letter.applicant_name),
        applicant_address=_("(alamat dan kontak pemohon disamarkan: contoh untuk bukti E-Monev)"),
        applicant_email="", rincian=redact(letter.rincian),
        rows=[(label, redact(value)) for label, value in letter.rows],
        consequence=[(label, redact(value)) for label, value in letter.consequence])
