"""Checks on the Nomor Induk Kependudukan (NIK), the 16-digit Indonesian identity number.

Layout: PP KK CC DDMMYY SSSS — province, regency/city, district, date of birth (day + 40 for
women), serial. The checks catch typing errors; they cannot prove a NIK exists.
"""

from __future__ import annotations

import re

# Province codes (kode wilayah, Kemendagri), Papua's new provinces included.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
     61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96}
)


def normalise_nik(raw: str) -> str:
    """Drop the spaces, dots and dashes people type between digit groups."""
    return re.sub(r"[\s.\-]", "", raw or "")


def nik_problem(nik: str) -> str | None:
    """Return a short reason key if the NIK cannot be right, else None."""
    if not (nik.isascii() and nik.isdigit()):  # "١٢" and "१२" are digits to Python too
        return "digits"
    if len(nik) != 16:
        return "length"
    if int(nik[:2]) not in PROVINCE_CODES:
        return "province"
    if nik[2:4] == "00" or nik[4:6] == "00":
        return "region"
    day, month = int(nik[6:8]), int(nik[8:10])
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return "birthdate"
    if nik[12:] == "0000":
        return "serial"
    return None
