"""Reading and writing a questionnaire as data: the JSON document a version stores (and a JSON
file holds), and the one-sheet XLSX layout. Both are checked by ``instrument_from_dict``, which
gives every problem as a message naming where it is (the XLSX row, or the category and question).

JSON layout (``format`` ``ppid-desk-kuesioner/1``)::

    {"format": "ppid-desk-kuesioner/1", "code": "…", "title": "…", "description": "…",
     "bands": [{"label": "Informatif", "min": 90}, …],
     "categories": [{"key": "…", "title": "…", "weight": 40, "questions": [
        {"key": "JI01", "kind": "yes_no", "text": "…", "score": 10, "evidence": "required",
         "help": "…", "source": ""},
        {"key": "JI02", "kind": "single_choice", "text": "…",
         "options": [{"key": "a", "label": "…", "score": 10}, …]},
        {"key": "JI03", "kind": "number", "text": "…", "unit": "hari",
         "scale": [{"min": 0, "max": 10, "score": 10}, {"min": 11, "max": null, "score": 0}]}]}]}

XLSX layout: one sheet, one row per thing, the kind of row in column ``baris`` (see ``COLUMNS``):
``kuesioner`` (kode, teks = title, keterangan = description), ``predikat`` (teks = band, min),
``kategori`` (kode, teks, bobot), ``pertanyaan`` (kategori, kode, jenis, teks, skor, bukti,
sumber, satuan, keterangan = help), then under a question its ``opsi`` rows (kode, teks, skor) or
``skala`` rows (min, maks, skor).
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _

from .instrument import (
    EVIDENCE_MODES,
    KINDS,
    Band,
    Category,
    Instrument,
    Option,
    Question,
    ScaleBand,
)
from .sources import SOURCES

FORMAT = "ppid-desk-kuesioner/1"
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_QUESTIONS = 500
MAX_TEXT = 2000
COLUMNS = ("baris", "kategori", "kode", "jenis", "teks", "skor", "bobot", "min", "maks", "bukti", "sumber",
           "satuan", "keterangan")
KIND_NAMES = {"yes_no": "ya_tidak", "single_choice": "pilihan_tunggal", "multiple_choice": "pilihan_ganda",
              "number": "angka", "text": "teks", "evidence": "unggah_bukti"}
KINDS_BY_NAME = {name: kind for kind, name in KIND_NAMES.items()} | {kind: kind for kind in KINDS}
EVIDENCE_NAMES = {"": "", "optional": "boleh", "required": "wajib"}
EVIDENCE_BY_NAME = {name: mode for mode, name in EVIDENCE_NAMES.items()} | {m: m for m in EVIDENCE_MODES}


class DefinitionError(Exception):
    """The questionnaire cannot be used; ``messages`` says every problem found and where."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _where(item: dict, fallback: str) -> str:
    return _("Baris %(row)d", row=item["_row"]) if isinstance(item.get("_row"), int) else fallback


def _text(item: dict, name: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = item.get(name)
    if value is None:
        value = ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = f"{value:g}"
    if not isinstance(value, str):
        raise ValueError(_("%(field)s harus berupa teks", field=name))
    value = value.strip()
    if required and not value:
        raise ValueError(_("%(field)s wajib diisi", field=name))
    if len(value) > limit:
        raise ValueError(_("%(field)s lebih dari %(n)d karakter", field=name, n=limit))
    return value


def _num(item: dict, name: str, *, required: bool = True, low: float | None = 0) -> float | None:
    value = item.get(name)
    if value in (None, ""):
        if required:
            raise ValueError(_("%(field)s wajib diisi (angka)", field=name))
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            raise ValueError(_("%(field)s harus berupa angka", field=name)) from None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or abs(value) > 1e9:
        raise ValueError(_("%(field)s harus berupa angka", field=name))
    if low is not None and value < low:
        raise ValueError(_("%(field)s tidak boleh kurang dari %(low)g", field=name, low=low))
    return float(value)


def _key(item: dict, name: str = "key") -> str:
    value = _text(item, name, limit=64)
    if not KEY.match(value):
        raise ValueError(_("kode \"%(key)s\" hanya boleh berisi huruf, angka, titik, garis bawah dan tanda hubung",
                           key=value[:64]))
    return value


def _list(item: dict, name: str) -> list:
    value = item.get(name) or []
    if not isinstance(value, list):
        raise ValueError(_("%(field)s harus berupa daftar", field=name))
    return value


def _question(raw: Any, where: str, errors: list[str]) -> Question | None:
    if not isinstance(raw, dict):
        errors.append(_("%(where)s: pertanyaan harus berupa objek", where=where))
        return None
    where = _where(raw, where)
    try:
        key = _key(raw)
        kind = KINDS_BY_NAME.get(str(raw.get("kind") or "").strip())
        if kind is None:
            raise ValueError(_("jenis pertanyaan \"%(kind)s\" tidak dikenal (pilih: %(kinds)s)",
                               kind=str(raw.get("kind") or "")[:40], kinds=", ".join(KIND_NAMES.values())))
        text = _text(raw, "text")
        evidence = EVIDENCE_BY_NAME.get(str(raw.get("evidence") or "").strip())
        if evidence is None:
            raise ValueError(_("bukti harus kosong, \"boleh\" atau \"wajib\""))
        points = _num(raw, "score", required=kind in ("yes_no", "multiple_choice", "evidence")) or 0.0
        options: list[Option] = []
        scale: list[ScaleBand] = []
        if kind in ("single_choice", "multiple_choice"):
            for index, option in enumerate(_list(raw, "options"), start=1):
                if not isinstance(option, dict):
                    raise ValueError(_("opsi %(n)d harus berupa objek", n=index))
                try:
                    options.append(Option(_key(option), _text(option, "label", limit=500), _num(option, "score")))
                except ValueError as error:
                    errors.append(f"{_where(option, where)}: " + _("opsi %(n)d: %(error)s", n=index, error=error))
            if len(options) < 2 and len(options) == len(_list(raw, "options")):
                raise ValueError(_("pertanyaan pilihan memerlukan paling sedikit dua opsi"))
            if len({option.key for option in options}) != len(options):
                raise ValueError(_("kode opsi harus berbeda satu sama lain"))
        if kind == "number":
            for index, band in enumerate(_list(raw, "scale"), start=1):
                if not isinstance(band, dict):
                    raise ValueError(_("skala %(n)d harus berupa objek", n=index))
                try:
                    low, high = _num(band, "min", required=False, low=None), _num(band, "max", required=False, low=None)
                    if low is not None and high is not None and low > high:
                        raise ValueError(_("min lebih besar dari maks"))
                    scale.append(ScaleBand(low, high, _num(band, "score")))
                except ValueError as error:
                    errors.append(f"{_where(band, where)}: " + _("skala %(n)d: %(error)s", n=index, error=error))
            if not scale and not _list(raw, "scale"):
                raise ValueError(_("pertanyaan angka memerlukan skala penilaian"))
        source = _text(raw, "source", required=False, limit=64)
        if source and source not in SOURCES:
            raise ValueError(_("sumber \"%(source)s\" tidak dikenal (pilih: %(sources)s)", source=source,
                               sources=", ".join(SOURCES)))
        if source and kind not in SOURCES[source].kinds:
            raise ValueError(_("sumber \"%(source)s\" tidak dapat menjawab pertanyaan jenis %(kind)s (hanya: "
                               "%(kinds)s)", source=source, kind=KIND_NAMES[kind],
                               kinds=", ".join(KIND_NAMES[k] for k in SOURCES[source].kinds)))
        return Question(key=key, kind=kind, text=text, score=points, options=tuple(options), scale=tuple(scale),
                        evidence=evidence, source=source,
                        help=_text(raw, "help", required=False), unit=_text(raw, "unit", required=False, limit=40))
    except ValueError as error:
        errors.append(f"{where}: {error}")
        return None


def instrument_from_dict(data: Any) -> Instrument:
    """Check a questionnaire document and read it; raises ``DefinitionError`` with every problem."""
    if not isinstance(data, dict):
        raise DefinitionError([_("Berkas tidak berisi kuesioner (objek JSON dengan kode, judul dan kategori).")])
    errors: list[str] = []
    head = _where(data, _("Kuesioner"))
    code = title = description = ""
    try:
        code = _key(data, "code")
        title = _text(data, "title", limit=300)
        description = _text(data, "description", required=False)
    except ValueError as error:
        errors.append(f"{head}: {error}")
    bands: list[Band] = []
    raw_bands = data.get("bands")
    if raw_bands:
        if not isinstance(raw_bands, list):
            errors.append(_("Predikat harus berupa daftar."))
            raw_bands = []
        for index, raw in enumerate(raw_bands, start=1):
            where = _where(raw, _("Predikat %(n)d", n=index)) if isinstance(raw, dict) else _("Predikat %(n)d", n=index)
            try:
                if not isinstance(raw, dict):
                    raise ValueError(_("harus berupa objek"))
                low = _num(raw, "min")
                if low > 100:
                    raise ValueError(_("min tidak boleh lebih dari 100"))
                bands.append(Band(_text(raw, "label", limit=80), low))
            except ValueError as error:
                errors.append(f"{where}: {error}")
        if bands and min(band.low for band in bands) > 0:
            errors.append(_("Predikat: salah satu predikat harus mulai dari 0, agar setiap nilai mendapat predikat."))
        if len({band.low for band in bands}) != len(bands):
            errors.append(_("Predikat: batas bawah setiap predikat harus berbeda."))
    categories: list[Category] = []
    raw_categories = data.get("categories")
    if not isinstance(raw_categories, list) or not raw_categories:
        errors.append(_("Kuesioner memerlukan paling sedikit satu kategori."))
        raw_categories = []
    keys: set[str] = set()
    count = 0
    for c_index, raw in enumerate(raw_categories, start=1):
        where = _("Kategori %(n)d", n=c_index)
        if not isinstance(raw, dict):
            errors.append(_("%(where)s: kategori harus berupa objek", where=where))
            continue
        where = _where(raw, where)
        try:
            key, name, weight = _key(raw), _text(raw, "title", limit=300), _num(raw, "weight")
            raw_questions = _list(raw, "questions")
        except ValueError as error:
            errors.append(f"{where}: {error}")
            continue
        if not raw_questions:
            errors.append(_("%(where)s (%(key)s): kategori tanpa pertanyaan", where=where, key=key))
        questions = []
        for q_index, raw_question in enumerate(raw_questions, start=1):
            question = _question(raw_question, _("Kategori %(key)s, pertanyaan %(n)d", key=key, n=q_index), errors)
            if question is None:
                continue
            if question.key in keys:
                errors.append(_("%(where)s: kode pertanyaan \"%(key)s\" sudah dipakai",
                                where=_where(raw_question, key), key=question.key))
                continue
            keys.add(question.key)
            questions.append(question)
        count += len(raw_questions)
        if key in {category.key for category in categories}:
            errors.append(_("%(where)s: kode kategori \"%(key)s\" sudah dipakai", where=where, key=key))
        categories.append(Category(key, name, weight, tuple(questions)))
    if count > MAX_QUESTIONS:
        errors.append(_("Kuesioner memuat lebih dari %(n)d pertanyaan.", n=MAX_QUESTIONS))
    if categories and not any(category.weight > 0 for category in categories):
        errors.append(_("Paling sedikit satu kategori harus berbobot lebih dari 0."))
    if errors:
        raise DefinitionError(errors[:50])
    instrument = Instrument(code, title, description, tuple(categories))
    return Instrument(code, title, description, tuple(categories), tuple(bands)) if bands else instrument


def _drop_none(values: dict) -> dict:
    return {key: value for key, value in values.items() if value not in (None, "", [], ())}


def _plain(number: float | None) -> int | float | None:
    return int(number) if number is not None and float(number).is_integer() else number


def instrument_to_dict(instrument: Instrument) -> dict[str, Any]:
    """The JSON document of a questionnaire (what a version stores and an export holds)."""
    def question(q: Question) -> dict:
        return _drop_none({
            "key": q.key, "kind": q.kind, "text": q.text,
            "score": _plain(q.score) if q.kind in ("yes_no", "multiple_choice", "evidence") else None,
            "options": [{"key": o.key, "label": o.label, "score": _plain(o.score)} for o in q.options],
            "scale": [{"min": _plain(b.low), "max": _plain(b.high), "score": _plain(b.score)} for b in q.scale],
            "evidence": q.evidence, "source": q.source, "help": q.help, "unit": q.unit})

    return {"format": FORMAT, "code": instrument.code, "title": instrument.title,
            "description": instrument.description,
            "bands": [{"label": band.label, "min": _plain(band.low)} for band in instrument.bands],
            "categories": [{"key": c.key, "title": c.title, "weight": _plain(c.weight),
                            "questions": [question(q) for q in c.questions]} for c in instrument.categories]}


def instrument_rows(instrument: Instrument) -> list[list[Any]]:
    """The XLSX rows (below the header ``COLUMNS``) of a questionnaire."""
    def row(**cells) -> list[Any]:
        return [cells.get(column) for column in COLUMNS]

    rows = [row(baris="kuesioner", kode=instrument.code, teks=instrument.title, keterangan=instrument.description)]
    rows += [row(baris="predikat", teks=band.label, min=_plain(band.low)) for band in instrument.bands]
    for category in instrument.categories:
        rows.append(row(baris="kategori", kode=category.key, teks=category.title, bobot=_plain(category.weight)))
        for q in category.questions:
            rows.append(row(baris="pertanyaan", kategori=category.key, kode=q.key, jenis=KIND_NAMES[q.kind], teks=q.text,
                            skor=_plain(q.score) if q.kind in ("yes_no", "multiple_choice", "evidence") else None,
                            bukti=EVIDENCE_NAMES[q.evidence], sumber=q.source, satuan=q.unit, keterangan=q.help))
            rows += [row(baris="opsi", kode=o.key, teks=o.label, skor=_plain(o.score)) for o in q.options]
            rows += [row(baris="skala", min=_plain(b.low), maks=_plain(b.high), skor=_plain(b.score)) for b in q.scale]
    return rows


def dict_from_rows(rows: list[list[Any]]) -> dict[str, Any]:
    """The questionnaire document of an XLSX's rows (header first); rows carry ``_row`` so the
    checks name them. Raises ``DefinitionError`` for rows that fit nowhere."""
    if not rows:
        raise DefinitionError([_("Berkas kosong.")])
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    missing = [column for column in ("baris", "kode", "teks") if column not in header]
    if missing:
        raise DefinitionError([_("Baris 1: kolom %(columns)s tidak ada. Gunakan berkas ekspor kuesioner sebagai "
                                 "templat.", columns=", ".join(missing))])
    index = {name: header.index(name) for name in COLUMNS if name in header}
    data: dict[str, Any] = {"categories": [], "bands": []}
    errors: list[str] = []
    categories: dict[str, dict] = {}
    question: dict | None = None
    for number, values in enumerate(rows[1:], start=2):
        cells = {name: (values[i] if i < len(values) else None) for name, i in index.items()}
        cells = {name: value.strip() if isinstance(value, str) else value for name, value in cells.items()}
        kind = str(cells.get("baris") or "").strip().lower()
        if not kind and all(value in (None, "") for value in cells.values()):
            continue
        if kind == "kuesioner":
            data.update(code=cells.get("kode"), title=cells.get("teks"), description=cells.get("keterangan"),
                        _row=number)
        elif kind == "predikat":
            data["bands"].append({"label": cells.get("teks"), "min": cells.get("min"), "_row": number})
        elif kind == "kategori":
            category = {"key": cells.get("kode"), "title": cells.get("teks"), "weight": cells.get("bobot"),
                        "questions": [], "_row": number}
            data["categories"].append(category)
            categories[str(cells.get("kode"))] = category
            question = None
        elif kind == "pertanyaan":
            category = categories.get(str(cells.get("kategori") or ""))
            if category is None:
                errors.append(_("Baris %(row)d: kategori \"%(key)s\" belum ada di baris di atasnya",
                                row=number, key=str(cells.get("kategori") or "")[:64]))
                question = None
                continue
            question = {"key": cells.get("kode"), "kind": cells.get("jenis"), "text": cells.get("teks"),
                        "score": cells.get("skor"), "evidence": cells.get("bukti") or "",
                        "source": cells.get("sumber") or "", "unit": cells.get("satuan") or "",
                        "help": cells.get("keterangan") or "", "options": [], "scale": [], "_row": number}
            category["questions"].append(question)
        elif kind in ("opsi", "skala"):
            if question is None:
                errors.append(_("Baris %(row)d: baris %(kind)s harus berada di bawah pertanyaannya",
                                row=number, kind=kind))
                continue
            if kind == "opsi":
                question["options"].append({"key": cells.get("kode"), "label": cells.get("teks"),
                                            "score": cells.get("skor"), "_row": number})
            else:
                question["scale"].append({"min": cells.get("min"), "max": cells.get("maks"),
                                          "score": cells.get("skor"), "_row": number})
        else:
            errors.append(_("Baris %(row)d: jenis baris \"%(kind)s\" tidak dikenal (kuesioner, predikat, kategori, "
                            "pertanyaan, opsi, skala)", row=number, kind=kind[:40]))
    if errors:
        raise DefinitionError(errors[:50])
    if not data["bands"]:
        del data["bands"]
    return data
