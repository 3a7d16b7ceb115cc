"""The metrics of the desk's own data that may answer a question (the question's ``source``,
issue 16 item 4), as plain data: the key a questionnaire names, a label, and the kinds of question
each can answer. ``definition`` checks a questionnaire's ``source`` against this list;
``system_answers`` computes each one for a unit (and the units under it) and the round's year.

A number source answers a number question (its scale scores it); ``register.masked`` answers a
yes/no question ("the register is kept": yes when it has rows) or an evidence question (its masked
PDF is the evidence); ``consultations.total`` may also answer a yes/no question (yes when the unit
recorded any consultation)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class SourceSpec:
    key: str
    label: object  # a lazy string (translated when shown)
    kinds: tuple[str, ...]
    unit: str = ""  # what the number counts, as printed after it ("%", "hari kerja")


SOURCES: dict[str, SourceSpec] = {spec.key: spec for spec in (
    SourceSpec("requests.on_time_share", _l("Permohonan diberi pemberitahuan tertulis dalam batas waktu (10 + 7 "
                                            "hari kerja)"), ("number",), "%"),
    SourceSpec("requests.median_days", _l("Median hari kerja sampai pemberitahuan tertulis"), ("number",),
               "hari kerja"),
    SourceSpec("requests.total", _l("Jumlah permohonan informasi"), ("number",)),
    SourceSpec("objections.total", _l("Jumlah keberatan"), ("number",)),
    SourceSpec("register.masked", _l("Register permohonan informasi (disamarkan)"), ("yes_no", "evidence")),
    SourceSpec("dip.freshness", _l("Informasi DIP yang mutakhir (ditinjau dalam masa tinjauannya)"), ("number",),
               "%"),
    SourceSpec("consultations.total", _l("Jumlah konsultasi dan layanan informasi non-formal"),
               ("number", "yes_no")),
    SourceSpec("survey.ikm", _l("Indeks kepuasan masyarakat (IKM, 25–100)"), ("number",)),
)}
