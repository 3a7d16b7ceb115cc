"""The Indeks Kepuasan Masyarakat (IKM) of PermenPANRB 14/2017, pure (no Flask, no database).

The regulation's formula: each of the nine elements (unsur) gets its mean score (nilai rata-rata
per unsur, 1–4) over the respondents; the weighted mean of these with equal weights
(bobot nilai rata-rata tertimbang = 1/9 each) is the IKM (nilai indeks, 1–4); × 25 gives the
converted index (nilai IKM konversi, 25–100). The conversion table of the regulation's Lampiran:

=============  ====================  =======================  ======  ==============
nilai persepsi nilai interval (1–4)  nilai interval konversi  mutu    kinerja unit
=============  ====================  =======================  ======  ==============
1              1,00 – 2,5996         25,00 – 64,99            D       Tidak Baik
2              2,60 – 3,064          65,00 – 76,60            C       Kurang Baik
3              3,0644 – 3,532        76,61 – 88,30            B       Baik
4              3,5324 – 4,00         88,31 – 100,00           A       Sangat Baik
=============  ====================  =======================  ======  ==============

The band is read from the converted value rounded to two decimals (half up), as the table gives
it; the table's 1–4 intervals have small gaps (2,5996–2,60; 3,064–3,0644), the converted ones do
not once rounded, so the converted value decides. All arithmetic is in ``Decimal``: a mean such
as 3.5324 must not become 88.30999… on its way to the band.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ELEMENT_KEYS: tuple[str, ...] = (
    "u1_requirements", "u2_procedure", "u3_time", "u4_cost", "u5_product", "u6_competence", "u7_behaviour",
    "u8_complaints", "u9_facilities",
)
SCALE = (1, 2, 3, 4)
CONVERSION = Decimal(25)
# (lowest converted value, band), highest first.
BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("88.31"), "A"), (Decimal("76.61"), "B"), (Decimal("65.00"), "C"), (Decimal("25.00"), "D"),
)
CENT = Decimal("0.01")


def band_of(converted: Decimal | float | None) -> str | None:
    """The service-quality band (A–D) of a converted IKM (25–100); None for no value."""
    if converted is None:
        return None
    value = Decimal(str(converted)).quantize(CENT, rounding=ROUND_HALF_UP)
    for lowest, band in BANDS:
        if value >= lowest:
            return band
    return "D"


@dataclass(frozen=True)
class Index:
    """The IKM of a set of responses. ``means`` per element and ``ikm`` (1–4) are exact
    ``Decimal`` quotients; ``converted`` is ``ikm`` × 25 rounded to two decimals."""

    respondents: int
    means: dict[str, Decimal | None]
    ikm: Decimal | None
    converted: Decimal | None
    band: str | None


def index_from_sums(respondents: int, sums: Mapping[str, int]) -> Index:
    """The IKM from the number of respondents and each element's sum of scores (every response
    answers every element: the form refuses a missing one)."""
    if respondents <= 0:
        return Index(0, dict.fromkeys(ELEMENT_KEYS), None, None, None)
    means = {key: Decimal(int(sums[key])) / Decimal(respondents) for key in ELEMENT_KEYS}
    ikm = sum(means.values(), Decimal(0)) / Decimal(len(ELEMENT_KEYS))
    converted = (ikm * CONVERSION).quantize(CENT, rounding=ROUND_HALF_UP)
    return Index(respondents, means, ikm, converted, band_of(converted))


def index_of(responses: Iterable[Mapping[str, int]]) -> Index:
    """The IKM of individual responses ({element key: 1–4}); for tests and small sets."""
    rows = list(responses)
    sums = {key: sum(int(row[key]) for row in rows) for key in ELEMENT_KEYS}
    return index_from_sums(len(rows), sums)
