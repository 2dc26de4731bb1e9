"""Bar charts drawn on the server as SVG: no JavaScript, no inline styles (the CSP forbids them).

Geometry is computed here and written as presentation attributes (x, y, width, height); colours and fonts
come from classes in static/css/admin-galeri.css. Each chart is an ``<svg role="img">`` labelled by its
``<title>`` and ``<desc>``, and the page repeats its numbers in a table, which is what screen readers and
people copying figures use.
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.text import Truncator

WIDTH = 640
# Horizontal bars: labels on the left, the value after the bar.
LABEL_WIDTH = 230
VALUE_WIDTH = 80
ROW_HEIGHT = 26
BAR_HEIGHT = 18
# Columns (months): values above, labels below.
COLUMN_CHART_HEIGHT = 240
COLUMN_TOP = 22
COLUMN_BOTTOM = 44
LABEL_MAX_CHARS = 32


def format_number(value: float | int, decimals: int = 0) -> str:
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@dataclass
class Bar:
    label: str
    value: float
    display: str
    short_label: str = ""
    sublabel: str = ""
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    label_x: float = 0
    label_y: float = 0
    value_x: float = 0
    value_y: float = 0
    sublabel_y: float = 0


@dataclass
class Chart:
    id: str
    title: str
    description: str
    kind: str  # "bars" (horizontal) or "columns" (vertical, e.g. months)
    bars: list[Bar]
    unit: str = ""
    width: int = WIDTH
    height: int = 0
    label_width: int = LABEL_WIDTH
    baseline_y: float = 0
    table_headers: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def _scale(value: float, maximum: float, length: float) -> float:
    return round(value / maximum * length, 1) if maximum > 0 else 0.0


def bar_chart(
    *,
    id: str,
    title: str,
    description: str,
    rows: list[tuple[str, float]],
    maximum: float | None = None,
    decimals: int = 0,
    suffix: str = "",
) -> Chart:
    """Horizontal bars, one per (label, value) row, longest scaled to the full width (or to ``maximum``)."""
    top = max([value for _, value in rows] + [maximum or 0])
    length = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * ROW_HEIGHT + 4
        width = _scale(value, top, length)
        bars.append(
            Bar(
                label=label,
                short_label=Truncator(label).chars(LABEL_MAX_CHARS),
                value=value,
                display=format_number(value, decimals) + suffix,
                x=LABEL_WIDTH,
                y=y,
                width=width,
                height=BAR_HEIGHT,
                label_x=LABEL_WIDTH - 8,
                label_y=y + BAR_HEIGHT - 4,
                value_x=LABEL_WIDTH + width + 6,
                value_y=y + BAR_HEIGHT - 4,
            )
        )
    return Chart(
        id=id,
        title=title,
        description=description,
        kind="bars",
        bars=bars,
        height=len(rows) * ROW_HEIGHT + 8,
    )


def column_chart(
    *, id: str, title: str, description: str, rows: list[tuple[str, str, float]], decimals: int = 0
) -> Chart:
    """Vertical columns, one per (label, sublabel, value) row, e.g. ("Jun", "2026", 12)."""
    top = max([value for _, _, value in rows] + [0])
    plot_height = COLUMN_CHART_HEIGHT - COLUMN_TOP - COLUMN_BOTTOM
    slot = (WIDTH - 20) / max(len(rows), 1)
    column_width = round(slot * 0.6, 1)
    baseline = COLUMN_TOP + plot_height
    bars = []
    for index, (label, sublabel, value) in enumerate(rows):
        height = _scale(value, top, plot_height)
        centre = 10 + slot * index + slot / 2
        bars.append(
            Bar(
                label=f"{label} {sublabel}".strip(),
                short_label=label,
                sublabel=sublabel,
                value=value,
                display=format_number(value, decimals),
                x=round(centre - column_width / 2, 1),
                y=round(baseline - height, 1),
                width=column_width,
                height=height,
                label_x=round(centre, 1),
                label_y=baseline + 16,
                sublabel_y=baseline + 32,
                value_x=round(centre, 1),
                value_y=round(baseline - height - 5, 1),
            )
        )
    return Chart(
        id=id,
        title=title,
        description=description,
        kind="columns",
        bars=bars,
        height=COLUMN_CHART_HEIGHT,
        baseline_y=baseline,
    )
