"""Server-drawn bar charts: the geometry of an SVG, computed here, drawn by a template.

Each row is a label on its own line with one bar per series beneath it, so that long
labels stay readable on a narrow phone; the drawing scales with its `viewBox`. The chart
is an image with a title and a description; the table beside it holds the figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 400
LABEL_HEIGHT = 18
BAR_HEIGHT = 12
BAR_GAP = 3
ROW_GAP = 10
LEGEND_HEIGHT = 24
VALUE_ROOM = 64  # room kept right of the longest bar for its value
MAX_LABEL = 58  # characters of a label drawn in full


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    series: int


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    kind: str  # "label", "value", "legend" or "highlight"


@dataclass(frozen=True)
class ChartRow:
    """One group of bars: its label, a value per series and how each value reads."""

    label: str
    values: tuple[float, ...]
    texts: tuple[str, ...]
    highlight: bool = False


@dataclass
class Chart:
    """A drawn chart: its identifiers for `aria-labelledby`, size and shapes."""

    key: str
    title: str
    description: str
    height: float = 0
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    width: int = WIDTH
    has_data: bool = False  # some value above zero: worth drawing


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(
    key: str, title: str, description: str, series: list[str], rows: list[ChartRow]
) -> Chart:
    """Horizontal bars, one group per row and one bar per series, on a common scale."""
    chart = Chart(key, title, description)
    y = 0.0
    if len(series) > 1:
        x = 0.0
        for number, name in enumerate(series):
            chart.rects.append(Rect(x, 4, 12, 12, number))
            chart.texts.append(Text(x + 17, 15, name, "legend"))
            x += 17 + 7.5 * len(name) + 16
        y = LEGEND_HEIGHT
    largest = max((v for row in rows for v in row.values), default=0)
    chart.has_data = largest > 0
    scale = (WIDTH - VALUE_ROOM) / (largest or 1)
    for row in rows:
        chart.texts.append(
            Text(0, y + 13, _short(row.label), "highlight" if row.highlight else "label")
        )
        y += LABEL_HEIGHT
        for number, (value, text) in enumerate(zip(row.values, row.texts, strict=True)):
            length = max(value * scale, 1.5)  # a zero still shows as a hairline
            chart.rects.append(Rect(0, y, round(length, 1), BAR_HEIGHT, number))
            chart.texts.append(Text(round(length + 5, 1), y + BAR_HEIGHT - 2, text, "value"))
            y += BAR_HEIGHT + BAR_GAP
        y += ROW_GAP
    chart.height = y
    return chart
