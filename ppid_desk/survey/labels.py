"""The survey's wording: the nine service elements (unsur pelayanan) of PermenPANRB 14/2017,
each with its question and its four answers (1 = worst … 4 = best), and the service-quality bands.

The questions and answers follow the customary wording of the regulation's sample questionnaire
(Lampiran), worded for an information service; the order of the elements is that of the
regulation's list (persyaratan … sarana dan prasarana).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Element:
    key: str
    name: object  # lazy string: the element's short name
    question: object
    answers: tuple  # four lazy strings, for the values 1, 2, 3, 4


ELEMENTS: tuple[Element, ...] = (
    Element("u1_requirements", _l("Persyaratan"),
            _l("Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
            (_l("Tidak sesuai"), _l("Kurang sesuai"), _l("Sesuai"), _l("Sangat sesuai"))),
    Element("u2_procedure", _l("Sistem, mekanisme, dan prosedur"),
            _l("Bagaimana pendapat Anda tentang kemudahan prosedur pelayanan?"),
            (_l("Tidak mudah"), _l("Kurang mudah"), _l("Mudah"), _l("Sangat mudah"))),
    Element("u3_time", _l("Waktu penyelesaian"),
            _l("Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?"),
            (_l("Tidak cepat"), _l("Kurang cepat"), _l("Cepat"), _l("Sangat cepat"))),
    Element("u4_cost", _l("Biaya/tarif"),
            _l("Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?"),
            (_l("Sangat mahal"), _l("Cukup mahal"), _l("Murah"), _l("Gratis"))),
    Element("u5_product", _l("Produk spesifikasi jenis pelayanan"),
            _l("Bagaimana pendapat Anda tentang kesesuaian hasil pelayanan (informasi atau pemberitahuan yang "
               "Anda terima) dengan standar pelayanan?"),
            (_l("Tidak sesuai"), _l("Kurang sesuai"), _l("Sesuai"), _l("Sangat sesuai"))),
    Element("u6_competence", _l("Kompetensi pelaksana"),
            _l("Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?"),
            (_l("Tidak kompeten"), _l("Kurang kompeten"), _l("Kompeten"), _l("Sangat kompeten"))),
    Element("u7_behaviour", _l("Perilaku pelaksana"),
            _l("Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"),
            (_l("Tidak sopan dan ramah"), _l("Kurang sopan dan ramah"), _l("Sopan dan ramah"),
             _l("Sangat sopan dan ramah"))),
    Element("u8_complaints", _l("Penanganan pengaduan, saran, dan masukan"),
            _l("Bagaimana pendapat Anda tentang penanganan pengaduan, saran, dan masukan pengguna layanan?"),
            (_l("Tidak ada"), _l("Ada tetapi tidak berfungsi"), _l("Berfungsi kurang maksimal"),
             _l("Dikelola dengan baik"))),
    Element("u9_facilities", _l("Sarana dan prasarana"),
            _l("Bagaimana pendapat Anda tentang kualitas sarana dan prasarana pelayanan (termasuk layanan daring)?"),
            (_l("Buruk"), _l("Cukup"), _l("Baik"), _l("Sangat baik"))),
)

ELEMENT_NAMES = {element.key: element.name for element in ELEMENTS}

# Mutu pelayanan (PermenPANRB 14/2017, Lampiran): the letter and the kinerja unit pelayanan.
BAND_LABELS = {
    "A": _l("A (Sangat Baik)"),
    "B": _l("B (Baik)"),
    "C": _l("C (Kurang Baik)"),
    "D": _l("D (Tidak Baik)"),
}


def ikm_text(value) -> str:
    """An index or a mean with exactly two decimals in the reader's language ("82,22"), as the
    regulation's table writes them; an em dash for none."""
    from babel import numbers

    from ..web.language import active_locale

    if value is None:
        return "—"
    return numbers.format_decimal(value, format="#,##0.00", locale=active_locale())


def band_label(band: str | None) -> str:
    return str(BAND_LABELS[band]) if band in BAND_LABELS else "—"
