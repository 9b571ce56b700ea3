"""Small, accessible SVG charts drawn on the server: line charts, bar charts and sparklines.

Every builder returns finished, escaped SVG markup (a ``SafeString`` to drop into a template) that works without
JavaScript or inline styles (so a strict Content-Security-Policy holds): ``role="img"`` with a ``<title>`` and a
``<desc>`` that say in words what the chart shows, and text labels on the axes and bars. Colours and line styles
come from CSS classes (``chart-<key>`` in ``static/css/site.css``), so the charts follow the site's palette.

The builders take values in their own units (hours, counts) and do the scaling into the view box here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal


@dataclass(frozen=True)
class Series:
    """One line: its name (for the CSS class ``chart-<key>``) and its (x, y) points; a ``None`` y is left out."""

    key: str
    points: Sequence[tuple[Number, Number | None]]


@dataclass(frozen=True)
class Tick:
    """A labelled position on an axis, in the axis's own units."""

    at: Number
    label: str


@dataclass(frozen=True)
class Frame:
    """The view box and the plot area inside it (margins for the axis labels)."""

    width: int = 600
    height: int = 200
    left: int = 40
    right: int = 12
    top: int = 10
    bottom: int = 24

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def baseline(self) -> int:
        return self.height - self.bottom


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and (for the CSS class ``chart-<key>``) its kind."""

    label: str
    value: int
    key: str = "bar"


@dataclass(frozen=True)
class Scale:
    """Maps data units onto the plot area of a frame."""

    frame: Frame
    x_max: float
    y_max: float
    x_min: float = 0.0

    def x(self, value: Number) -> float:
        span = (self.x_max - self.x_min) or 1.0
        return self.frame.left + self.frame.plot_width * (float(value) - self.x_min) / span

    def y(self, value: Number) -> float:
        return self.frame.top + self.frame.plot_height * (1 - float(value) / (self.y_max or 1.0))


def _n(value: float) -> str:
    return f"{value:.1f}"


def _svg(
    chart_id: str, title: str, description: str, frame: Frame, body: Sequence[str], css: str = "chart-svg"
) -> SafeString:
    """The outer ``<svg>`` with its accessible name (title) and description, around already-built elements."""
    head = (
        f'<svg class="{css}" viewBox="0 0 {frame.width} {frame.height}" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every value above is escaped or a number


def _text(x: float, y: float, label: str, *, anchor: str = "middle", extra: str = "") -> str:
    return f'<text class="chart-text" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{extra}>{escape(label)}</text>'


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[Series],
    x_ticks: Sequence[Tick] = (),
    y_ticks: Sequence[Tick] = (),
    references: Sequence[Series] = (),
    x_max: Number | None = None,
    y_max: Number | None = None,
    frame: Frame = Frame(),
) -> SafeString:
    """Lines on a grid: ``y_ticks`` draw labelled grid lines, ``x_ticks`` labels under the plot, ``references``
    horizontal lines across it (each a one-point series, e.g. a minimum). The axes run from zero to the largest
    value (or ``x_max``/``y_max``)."""
    xs = [float(x) for s in series for x, _ in s.points]
    ys = [float(y) for s in [*series, *references] for _, y in s.points if y is not None]
    scale = Scale(
        frame,
        x_max=float(x_max if x_max is not None else max(xs, default=1.0)),
        y_max=float(y_max if y_max is not None else max([*ys, 1.0])),
    )
    body = [
        f'<line class="chart-axis" x1="{frame.left}" y1="{frame.baseline}" '
        f'x2="{frame.width - frame.right}" y2="{frame.baseline}"/>',
        f'<line class="chart-axis" x1="{frame.left}" y1="{frame.top}" x2="{frame.left}" y2="{frame.baseline}"/>',
    ]
    for tick in y_ticks:
        y = scale.y(tick.at)
        body.append(
            f'<line class="chart-grid" x1="{frame.left}" x2="{frame.width - frame.right}" '
            f'y1="{_n(y)}" y2="{_n(y)}"/>'
        )
        body.append(_text(frame.left - 4, y, tick.label, anchor="end", extra=' dominant-baseline="middle"'))
    for tick in x_ticks:
        body.append(_text(scale.x(tick.at), frame.height - 8, tick.label))
    for reference in references:
        for _, value in reference.points:
            if value is not None:
                level = _n(scale.y(value))
                body.append(
                    f'<line class="chart-reference chart-{escape(reference.key)}" x1="{frame.left}" '
                    f'x2="{frame.width - frame.right}" y1="{level}" y2="{level}"/>'
                )
    for line in series:
        points = " ".join(f"{_n(scale.x(x))},{_n(scale.y(y))}" for x, y in line.points if y is not None)
        if points:
            body.append(f'<polyline class="chart-series chart-{escape(line.key)}" points="{points}"/>')
    return _svg(chart_id, title, description, frame, body)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    label_chars: int = 14,
    frame: Frame = Frame(height=180, left=0, right=0, top=10, bottom=20),
) -> SafeString:
    """Vertical bars scaled to the largest value, each labelled underneath and with its value above it."""
    top = max([bar.value for bar in bars] + [1])
    slot = frame.plot_width / max(len(bars), 1)
    body = []
    for n, bar in enumerate(bars):
        height = frame.plot_height * bar.value / top
        x, y = frame.left + n * slot + slot * 0.15, frame.baseline - height
        label = bar.label if len(bar.label) <= label_chars else bar.label[: label_chars - 1] + "\u2026"
        body.append(
            f'<rect class="chart-bar chart-{escape(bar.key)}" x="{_n(x)}" y="{_n(y)}" '
            f'width="{_n(slot * 0.7)}" height="{_n(height)}"/>'
        )
        body.append(_text(x, frame.height - 5, label, anchor="start"))
        if bar.value:
            body.append(_text(x, y, str(bar.value), anchor="start", extra=' dy="-2"'))
    return _svg(chart_id, title, description, frame, body)


def sparkline(values: Sequence[Number], *, ceiling: Number, label: str) -> SafeString:
    """A word-sized line of a cumulative series against a ceiling (e.g. hours against the minimum); empty for
    no values. ``label`` is its accessible name."""
    if not values:
        return mark_safe("")
    frame = Frame(width=100, height=24, left=0, right=0, top=2, bottom=2)
    top = max(float(ceiling), *(float(v) for v in values), 1.0)
    scale = Scale(frame, float(max(len(values) - 1, 1)), top)
    points = " ".join(f"{_n(scale.x(n))},{_n(scale.y(v))}" for n, v in enumerate(values))
    return mark_safe(  # noqa: S308 - the label is escaped, the rest are numbers
        f'<svg class="spark" viewBox="0 0 {frame.width} {frame.height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
        f'<polyline class="chart-series chart-confirmed" points="{points}"/></svg>'
    )


__all__ = ["Bar", "Frame", "Series", "Tick", "bar_chart", "line_chart", "sparkline"]
