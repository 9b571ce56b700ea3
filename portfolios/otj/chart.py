"""The OTJ progress chart as SVG geometry: cumulative confirmed and pending hours against expected and minimum."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 28


def chart(series: list[dict[str, Any]], required: Decimal) -> dict[str, Any]:
    """Polyline points and axis ticks for the template; no JavaScript needed, readable as a table too."""
    weeks = max(len(series) - 1, 1)
    top = max([required] + [p["with_pending"] or Decimal(0) for p in series]) or Decimal(1)
    top = top * Decimal("1.05")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(week: int) -> float:
        return round(LEFT + plot_w * week / weeks, 1)

    def y(hours: Decimal) -> float:
        return round(TOP + plot_h * float(1 - hours / top), 1)

    def line(key: str) -> str:
        return " ".join(f"{x(p['week'])},{y(p[key])}" for p in series if p[key] is not None)

    step = max(int(top / 4 / 50) * 50, 50)
    ticks = [{"y": y(Decimal(value)), "label": value} for value in range(0, int(top) + 1, step)]
    year_ticks = [{"x": x(w), "label": f"Week {w}"} for w in range(0, weeks + 1, 26)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "confirmed": line("confirmed"),
        "with_pending": line("with_pending"),
        "expected": line("expected"),
        "minimum_y": y(required),
        "ticks": ticks,
        "week_ticks": year_ticks,
    }
