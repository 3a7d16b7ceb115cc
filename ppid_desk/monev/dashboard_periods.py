"""The dashboard's period picker: presets (this month … last year), a custom range, and the
older explicit periods (``periode=triwulan&tahun=2026&triwulan=3``) that links elsewhere still use.

Pure date logic plus the messages of a bad pick; no database. ``read_period`` never raises: a bad
pick falls back to this year, keeps what was typed and says what is wrong next to the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..web import formatting
from ..web.forms import parse_int
from ..workcalendar.forms import parse_day

EXPLICIT_KINDS = ("bulan", "triwulan", "semester", "tahun")
CUSTOM = "kustom"
PRESETS = {  # value of ``periode`` → (label, kind, offset in years)
    "bulan-ini": (_l("Bulan ini"), "bulan", 0),
    "triwulan-ini": (_l("Triwulan ini"), "triwulan", 0),
    "semester-ini": (_l("Semester ini"), "semester", 0),
    "tahun-ini": (_l("Tahun ini"), "tahun", 0),
    "tahun-lalu": (_l("Tahun lalu"), "tahun", -1),
}
DEFAULT_PRESET = "tahun-ini"
MONTHS_IN = {"bulan": 1, "triwulan": 3, "semester": 6, "tahun": 12}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
YEAR_MIN, YEAR_MAX = 2000, 2100


@dataclass(frozen=True)
class Period:
    kind: str  # bulan, triwulan, semester, tahun or kustom
    year: int
    number: int  # month, quarter or semester (1 for a year or a custom range)
    start: date
    end: date

    def args(self) -> dict[str, str]:
        """Query arguments that name exactly this period (explicit, so a link never drifts)."""
        if self.kind == CUSTOM:
            return {"periode": CUSTOM, "dari": self.start.isoformat(), "sampai": self.end.isoformat()}
        args = {"periode": self.kind, "tahun": str(self.year)}
        if self.kind != "tahun":
            args[self.kind] = str(self.number)
        return args

    @property
    def title(self) -> str:
        """``Triwulan III 2026``, ``September 2026``, ``Tahun 2026`` or the custom range's days."""
        if self.kind == "bulan":
            return formatting.month_year(self.start)
        if self.kind == "triwulan":
            return _("Triwulan %(n)s %(year)d", n=ROMAN[self.number], year=self.year)
        if self.kind == "semester":
            return _("Semester %(n)s %(year)d", n=ROMAN[self.number], year=self.year)
        if self.kind == "tahun":
            return _("Tahun %(year)d", year=self.year)
        return _("%(start)s – %(end)s", start=formatting.long_date(self.start), end=formatting.long_date(self.end))

    def step(self, by: int) -> Period | None:
        """The period ``by`` steps before (−) or after (+) this one, of the same kind; None for a
        custom range or outside the years the picker accepts."""
        if self.kind == CUSTOM:
            return None
        per_year = 12 // MONTHS_IN[self.kind]
        index = self.year * per_year + (self.number - 1) + by
        year, number = divmod(index, per_year)
        if not YEAR_MIN <= year <= YEAR_MAX:
            return None
        return period_of(self.kind, year, number + 1)


def month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def period_of(kind: str, year: int, number: int = 1) -> Period:
    """The period of a month (1–12), quarter (1–4), semester (1–2) or year."""
    months = MONTHS_IN[kind]
    first = (number - 1) * months + 1 if kind != "tahun" else 1
    return Period(kind, year, number, date(year, first, 1), month_end(year, first + months - 1))


def preset_period(preset: str, today: date) -> Period:
    """The period a preset names on ``today``: the month, quarter, semester or year it falls in,
    or the year before."""
    _label, kind, years = PRESETS[preset]
    number = 1 if kind == "tahun" else (today.month - 1) // MONTHS_IN[kind] + 1
    return period_of(kind, today.year + years, number)


def preset_of(period: Period, today: date) -> str | None:
    """The preset that names ``period`` today, if any (the picker shows it as chosen)."""
    return next((name for name in PRESETS if preset_period(name, today) == period), None)


@dataclass
class PeriodPick:
    """What the picker read: the period shown, the preset or kind chosen, what was typed into the
    custom range, and messages (``field_errors`` next to ``dari``/``sampai``, ``errors`` above)."""

    period: Period
    choice: str  # a preset, "kustom", or an explicit kind that no preset names today
    typed: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    field_errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.field_errors)


def _custom(args, today: date) -> PeriodPick:
    typed = {name: (args.get(name) or "").strip()[:40] for name in ("dari", "sampai")}
    days: dict[str, date | None] = {}
    field_errors: dict[str, list[str]] = {}
    empty = {"dari": _l("Isi tanggal awal."), "sampai": _l("Isi tanggal akhir.")}
    for name, text in typed.items():
        days[name] = parse_day(text) if text else None
        if not text:
            field_errors[name] = [str(empty[name])]
        elif days[name] is None:
            field_errors[name] = [_("Tulis tanggal yang benar, misalnya 2026-07-01 atau 01/07/2026.")]
        elif not YEAR_MIN <= days[name].year <= YEAR_MAX:
            field_errors[name] = [_("Pilih tanggal antara tahun %(low)d dan %(high)d.", low=YEAR_MIN, high=YEAR_MAX)]
    start, end = days["dari"], days["sampai"]
    if not field_errors and end < start:
        field_errors["sampai"] = [_("Tanggal akhir harus sama dengan atau setelah tanggal awal.")]
    if field_errors:
        return PeriodPick(period_of("tahun", today.year), CUSTOM, typed,
                          [_("Rentang tanggal belum benar; angka di bawah ini untuk tahun ini.")], field_errors)
    return PeriodPick(Period(CUSTOM, start.year, 1, start, end), CUSTOM, typed)


def read_period(args, today: date) -> PeriodPick:
    """The period from the GET arguments ``periode`` (a preset, ``kustom`` with ``dari``/``sampai``,
    or an explicit kind with ``tahun`` and ``bulan``/``triwulan``/``semester``)."""
    choice = (args.get("periode") or DEFAULT_PRESET).strip()
    fallback = preset_period(DEFAULT_PRESET, today)
    if choice in PRESETS:
        period = preset_period(choice, today)
        return PeriodPick(period, choice)
    if choice == CUSTOM:
        return _custom(args, today)
    if choice not in EXPLICIT_KINDS:
        return PeriodPick(fallback, DEFAULT_PRESET, errors=[_("Jenis periode tidak dikenal; ditampilkan tahun ini.")])
    errors: list[str] = []
    year = parse_int(args.get("tahun"), YEAR_MIN, YEAR_MAX)
    if year is None:
        if args.get("tahun"):
            errors.append(_("Tahun tidak valid; ditampilkan tahun ini."))
        year = today.year
    if choice == "tahun":
        period = period_of(choice, year)
    else:
        high = 12 // MONTHS_IN[choice]
        number = parse_int(args.get(choice), 1, high)
        if number is None:
            label = {"bulan": _("bulan"), "triwulan": _("triwulan"), "semester": _("semester")}[choice]
            errors.append(_("Pilih %(period)s yang valid; ditampilkan tahun %(year)d.", period=label, year=year))
            period = period_of("tahun", year)
        else:
            period = period_of(choice, year, number)
    return PeriodPick(period, preset_of(period, today) or period.kind, errors=errors)


def picker_options(pick: PeriodPick, today: date) -> list[tuple[str, str]]:
    """The options of the one period control: each preset with the period it names today, the
    explicit period being shown when no preset names it, and the custom range."""
    options = [(name, f"{label} — {preset_period(name, today).title}") for name, (label, _k, _y) in PRESETS.items()]
    if pick.choice in EXPLICIT_KINDS:
        options.insert(0, (pick.choice, pick.period.title))
    options.append((CUSTOM, _("Rentang tanggal lain…")))
    return options


def month_label(day: date) -> str:
    """A month's short label on the trend chart's axis (``Sep 2026``)."""
    return format_date(day, format="MMM y")
