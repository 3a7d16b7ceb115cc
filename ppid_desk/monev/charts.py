"""Server-rendered charts: pure geometry for the Jinja macro in templates/monev/_charts.html.

Two shapes: horizontal bars for categories (``bar_chart``) and columns for a monthly trend
(``column_chart``). Each has a value axis with round ticks, grid lines and an axis title, the
category labels on the other axis, and the value written at each bar. The macro draws an inline
``<svg role="img">`` with ``<title>``/``<desc>`` (presentation attributes only — no inline CSS, so
the CSP holds) followed by a plain table of the same numbers: readable without JavaScript, in
print and by screen readers.

The geometry is in SVG user units; the SVG scales to its container (``viewBox``), so sizes are
chosen to stay legible on a 360 px phone (scaled to ~0.6) and on A4 landscape.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

WIDTH = 440  # horizontal bars
COLUMN_WIDTH = 520  # the monthly trend (up to 12 columns)
FONT = 15  # category labels and values
SMALL = 13  # ticks and axis titles
# Horizontal bars
LABEL_WIDTH = 190
VALUE_SPACE = 44
ROW_HEIGHT = 34
BAR_HEIGHT = 22
TOP = 8
AXIS_SPACE = 52  # below the plot: tick labels and the axis title
LABEL_CHARS = 20  # per line of a category label (two lines at most; at 15 px about 170 px)
# Columns
COLUMN_HEIGHT = 320
COLUMN_LEFT = 56
COLUMN_TOP = 28
COLUMN_BOTTOM = 70


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str  # the value as shown (formatted number, percentage, "—")
    href: str | None = None
    detail: str = ""  # the count behind a percentage ("3 dari 6"), for the data table


@dataclass(frozen=True)
class Tick:
    at: float  # x (bars) or y (columns) of the tick in user units
    label: str


@dataclass(frozen=True)
class PlacedBar:
    bar: Bar
    x: float
    y: float
    width: float
    height: float
    label_lines: tuple[str, ...]
    label_x: float  # anchor of the category label
    label_y: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class Chart:
    kind: str  # "bars" (horizontal) or "columns"
    ident: str
    title: str
    description: str
    value_heading: str
    axis_title: str
    bars: list[PlacedBar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    plot: tuple[float, float, float, float] = (0, 0, 0, 0)  # left, top, right, bottom
    axis_title_at: tuple[float, float] = (0, 0)
    detail_heading: str = ""
    font: int = FONT
    small: int = SMALL

    @property
    def empty(self) -> bool:
        return not any(placed.bar.value for placed in self.bars)

    @property
    def has_detail(self) -> bool:
        return any(placed.bar.detail for placed in self.bars)


def nice_ticks(top: float, most: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``: steps of 1, 2 or 5 × 10^k, at most ``most``
    intervals (0–1 for an empty chart)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1:  # counts are whole numbers
        step = 1
    count = math.ceil(top / step - 1e-9)
    return [i * step for i in range(count + 1)]


def wrap_label(text: str, width: int = LABEL_CHARS, lines: int = 2) -> tuple[str, ...]:
    """A category label broken at spaces into at most ``lines`` lines of about ``width``
    characters, the last one shortened with an ellipsis when the label is longer."""
    words, out, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1:])]
    return tuple(part if len(part) <= width else part[: width - 1].rstrip() + "…" for part in out)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def bar_chart(*, ident: str, title: str, description: str, bars: list[Bar], value_heading: str,
              axis_title: str, max_value: float | None = None,
              tick_format: Callable[[float], str] = _fmt, detail_heading: str = "") -> Chart:
    """Horizontal bars, one row each; the value axis runs along the bottom from 0 to a round top."""
    ticks = nice_ticks(max_value if max_value is not None else max((b.value for b in bars), default=0))
    left, right = LABEL_WIDTH, WIDTH - VALUE_SPACE
    bottom = TOP + max(len(bars), 1) * ROW_HEIGHT
    span = right - left
    placed = []
    for index, bar in enumerate(bars):
        y = TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        width = round(span * bar.value / ticks[-1], 1) if bar.value > 0 else 0.0
        lines = wrap_label(bar.label)
        middle = y + BAR_HEIGHT / 2
        first = middle + 5 - (len(lines) - 1) * (FONT / 2 + 1)
        placed.append(PlacedBar(bar, left, y, width, BAR_HEIGHT, lines, left - 8, first,
                                left + width + 6, middle + 5))
    return Chart(
        kind="bars", ident=ident, title=title, description=description, value_heading=value_heading,
        axis_title=axis_title, bars=placed,
        ticks=[Tick(round(left + span * t / ticks[-1], 1), tick_format(t)) for t in ticks],
        height=bottom + AXIS_SPACE, plot=(left, TOP, right, bottom),
        axis_title_at=(left + span / 2, bottom + AXIS_SPACE - 8), detail_heading=detail_heading)


def column_chart(*, ident: str, title: str, description: str, bars: list[Bar], value_heading: str,
                 axis_title: str, max_value: float | None = None,
                 tick_format: Callable[[float], str] = _fmt, detail_heading: str = "") -> Chart:
    """Vertical columns (a month each), the value axis on the left from 0 to a round top. A
    category label may carry a second line after a newline ("Sep\\n2026")."""
    ticks = nice_ticks(max_value if max_value is not None else max((b.value for b in bars), default=0))
    left, right = COLUMN_LEFT, COLUMN_WIDTH - 8
    top, bottom = COLUMN_TOP, COLUMN_HEIGHT - COLUMN_BOTTOM
    slot = (right - left) / max(len(bars), 1)
    column = min(slot * 0.6, 48)
    placed = []
    for index, bar in enumerate(bars):
        height = round((bottom - top) * bar.value / ticks[-1], 1) if bar.value > 0 else 0.0
        centre = left + slot * index + slot / 2
        placed.append(PlacedBar(bar, round(centre - column / 2, 1), bottom - height, round(column, 1), height,
                                tuple(bar.label.split("\n")), round(centre, 1), bottom + 18,
                                round(centre, 1), bottom - height - 6))
    return Chart(
        kind="columns", ident=ident, title=title, description=description, value_heading=value_heading,
        axis_title=axis_title, bars=placed,
        ticks=[Tick(round(bottom - (bottom - top) * t / ticks[-1], 1), tick_format(t)) for t in ticks],
        width=COLUMN_WIDTH, height=COLUMN_HEIGHT, plot=(left, top, right, bottom),
        axis_title_at=((left + right) / 2, COLUMN_HEIGHT - 8), detail_heading=detail_heading)


WD_BUCKETS = (("0–5", 0, 5), ("6–10", 6, 10), ("11–17", 11, 17), (">17", 18, None))
