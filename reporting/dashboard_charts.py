"""The cohort dashboard's three charts, drawn by ``core.charts``: OTJ delivered against expected, reviews due, and
the cohort's journey. Each says in its title and description what a sighted reader sees."""

from __future__ import annotations

from django.utils.safestring import SafeString

from core import charts
from reporting.selectors import Charts

TICK_LABELS = 6  # month labels under the OTJ chart, at most


def dashboard_charts(chart: Charts) -> dict[str, SafeString]:
    """The charts' SVG for the template: ``otj_chart``, ``review_chart`` and ``journey_chart``."""
    return {
        "otj_chart": otj_chart(chart),
        "review_chart": review_chart(chart),
        "journey_chart": journey_chart(chart),
    }


def otj_chart(chart: Charts) -> SafeString:
    confirmed, expected = chart.otj_confirmed, chart.otj_expected
    top = max([*confirmed, *expected, 1])
    every = max(1, len(chart.otj_edges) // TICK_LABELS)
    delivered = f"{confirmed[-1]:.0f}" if confirmed else "0"
    due = f"{expected[-1]:.0f}" if expected else "0"
    return charts.line_chart(
        chart_id="otj-chart",
        title=f"Confirmed off-the-job hours across the cohort: {delivered} h delivered against {due} h expected "
        "to date",
        description="Solid line: confirmed hours delivered, every 4 weeks. Dotted line: hours expected by then.",
        series=[
            charts.Series("expected", list(enumerate(expected))),
            charts.Series("confirmed", list(enumerate(confirmed))),
        ],
        x_ticks=[charts.Tick(n, f"{edge:%b %y}") for n, edge in enumerate(chart.otj_edges) if n % every == 0],
        y_ticks=[charts.Tick(0, "0"), charts.Tick(top, f"{top:.0f} h")],
        x_max=max(len(confirmed) - 1, 1),
        y_max=top,
        frame=charts.Frame(width=600, height=200, left=40, right=4, top=10, bottom=20),
    )


def review_chart(chart: Charts) -> SafeString:
    bars = [charts.Bar("Overdue", chart.reviews_overdue, "overdue")] + [
        charts.Bar(f"{week:%-d %b}", count, "due") for week, count in chart.reviews_by_week
    ]
    weeks = "; ".join(f"week of {week:%-d %b}: {count}" for week, count in chart.reviews_by_week)
    return charts.bar_chart(
        chart_id="reviews-chart",
        title=f"Reviews: {chart.reviews_overdue} overdue",
        description=f"Reviews due by week over the next 12 weeks: {weeks}." if weeks else "No reviews due.",
        bars=bars,
    )


def journey_chart(chart: Charts) -> SafeString:
    stages = "; ".join(f"{label}: {count}" for _status, label, count in chart.journey)
    return charts.bar_chart(
        chart_id="journey-chart",
        title="The cohort's journey",
        description=f"How many apprentices are at each stage: {stages}.",
        bars=[charts.Bar(label, count, "journey") for _status, label, count in chart.journey],
    )
