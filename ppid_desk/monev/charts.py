"""Server-rendered horizontal bar charts: pure data for the Jinja macro in templates/monev/_charts.html.

The macro draws an inline ``<svg role="img">`` with a ``<title>``/``<desc>`` and geometry from
here (presentation attributes only — no CSS, so the CSP holds) and a plain table of the same
numbers: readable without JavaScript, in print and by screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LABEL_WIDTH = 190
BAR_SPACE = 300
VALUE_WIDTH = 80
ROW_HEIGHT = 26
BAR_HEIGHT = 18
PADDING = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str  # the value as shown (formatted number, percentage, "—")
    href: str | None = None
    y: int = 0
    width: float = 0.0


@dataclass(frozen=True)
class BarChart:
    ident: str
    title: str
    description: str
    bars: list[Bar] = field(default_factory=list)
    value_heading: str = ""
    width: int = LABEL_WIDTH + BAR_SPACE + VALUE_WIDTH
    height: int = 0
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    row_height: int = ROW_HEIGHT

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def bar_chart(*, ident: str, title: str, description: str, bars: list[Bar], value_heading: str,
              max_value: float | None = None) -> BarChart:
    """Lay the bars out: one row each, widths proportional to ``max_value`` (default: the largest)."""
    top = max_value if max_value is not None else max((bar.value for bar in bars), default=0)
    placed = [
        Bar(bar.label, bar.value, bar.display, bar.href, y=PADDING + index * ROW_HEIGHT,
            width=round(BAR_SPACE * bar.value / top, 1) if top and bar.value > 0 else 0.0)
        for index, bar in enumerate(bars)
    ]
    return BarChart(ident=ident, title=title, description=description, bars=placed,
                    value_heading=value_heading, height=2 * PADDING + max(len(bars), 1) * ROW_HEIGHT)


WD_BUCKETS = (("0–5", 0, 5), ("6–10", 6, 10), ("11–17", 11, 17), (">17", 18, None))
