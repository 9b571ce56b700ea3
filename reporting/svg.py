"""Geometry for the dashboard's inline SVG charts (no JavaScript): points and bars scaled into a view box."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


def _scale(values: list[Decimal], top: Decimal) -> list[float]:
    return [float(v / top) if top else 0.0 for v in values]


def sparkline(values: list[float], *, ceiling: float, width: int = 100, height: int = 24) -> str:
    """Polyline points for a cumulative series against a ceiling (the OTJ minimum); floats, as it is only drawn."""
    if not values:
        return ""
    top = max(ceiling, max(values), 1.0)
    step = width / max(len(values) - 1, 1)
    inner = height - 4
    return " ".join(
        f"{n * step:.1f},{height - 2 - value / top * inner:.1f}" for n, value in enumerate(values)
    )


@dataclass
class LineChart:
    width: int
    height: int
    confirmed: str
    expected: str
    top: Decimal
    ticks: list[tuple[str, str]]


def line_chart(
    confirmed: list[Decimal],
    expected: list[Decimal],
    labels: list[str],
    *,
    width: int = 600,
    height: int = 200,
) -> LineChart:
    top = max([*confirmed, *expected, Decimal(1)])
    inner = height - 30
    step = (width - 40) / max(len(confirmed) - 1, 1)

    def points(values: list[Decimal]) -> str:
        return " ".join(
            f"{40 + n * step:.1f},{10 + inner - share * inner:.1f}"
            for n, share in enumerate(_scale(values, top))
        )

    every = max(1, len(labels) // 6)
    ticks = [(f"{40 + n * step:.1f}", label) for n, label in enumerate(labels) if n % every == 0]
    return LineChart(width, height, points(confirmed), points(expected), top, ticks)


@dataclass
class Bar:
    """One bar; coordinates are already formatted for the SVG (one decimal place)."""

    label: str
    value: int
    x: str
    y: str
    width: str
    height: str


def bars(items: list[tuple[str, int]], *, width: int = 600, height: int = 160) -> list[Bar]:
    """Vertical bars, one per (label, value), scaled to the largest value."""
    if not items:
        return []
    top = max(max(value for _, value in items), 1)
    slot = width / len(items)
    inner = height - 30
    return [
        Bar(
            label,
            value,
            f"{n * slot + slot * 0.15:.1f}",
            f"{10 + inner - inner * value / top:.1f}",
            f"{slot * 0.7:.1f}",
            f"{inner * value / top:.1f}",
        )
        for n, (label, value) in enumerate(items)
    ]
