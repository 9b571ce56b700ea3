"""core.charts: accessible SVG with a title, a description and text labels, user text escaped, no script."""

import re
from decimal import Decimal

import pytest

from core import charts

pytestmark = pytest.mark.db_agnostic


def points(svg: str, css: str) -> list[tuple[float, float]]:
    found = re.search(rf'class="chart-series {css}" points="([^"]*)"', svg)
    assert found, css
    return [tuple(map(float, pair.split(","))) for pair in found.group(1).split()]


def test_a_line_chart_is_an_image_with_a_title_a_description_and_labels():
    svg = charts.line_chart(
        chart_id="otj",
        title="Hours <by> week",
        description="12 confirmed & 3 pending",
        series=[charts.Series("confirmed", [(0, 0), (1, Decimal("6")), (2, None)])],
        x_ticks=[charts.Tick(0, "Week 0")],
        y_ticks=[charts.Tick(0, "0"), charts.Tick(50, "50")],
        references=[charts.Series("minimum", [(0, 40)])],
        x_max=2,
        y_max=50,
        frame=charts.Frame(width=100, height=60, left=0, right=0, top=0, bottom=10),
    )

    assert svg.startswith('<svg class="chart-svg"') and 'role="img"' in svg
    assert 'aria-labelledby="otj-title"' in svg and 'aria-describedby="otj-desc"' in svg
    assert '<title id="otj-title">Hours &lt;by&gt; week</title>' in svg
    assert '<desc id="otj-desc">12 confirmed &amp; 3 pending</desc>' in svg
    assert ">Week 0</text>" in svg and ">50</text>" in svg
    assert "<script" not in svg and "style=" not in svg
    assert points(svg, "chart-confirmed") == [(0.0, 50.0), (50.0, 44.0)]  # the unknown week is left out
    assert 'class="chart-reference chart-minimum"' in svg and 'y1="10.0"' in svg


def test_bars_are_scaled_to_the_largest_value_and_labelled():
    svg = charts.bar_chart(
        chart_id="journey",
        title="Journey",
        description="Active: 3; On a break: 0",
        bars=[charts.Bar("Active", 3, "journey"), charts.Bar("On a break in learning", 0, "journey")],
        label_chars=10,
    )

    assert svg.count("<rect") == 2 and 'height="150.0"' in svg and 'height="0.0"' in svg
    assert ">Active</text>" in svg and ">On a brea\u2026</text>" in svg
    assert ">3</text>" in svg and ">0</text>" not in svg  # no value label on an empty bar


def test_a_sparkline_has_an_accessible_name_and_is_empty_without_values():
    svg = charts.sparkline([0, 5, 10], ceiling=20, label='Confirmed "hours"')

    assert 'class="spark"' in svg and 'role="img"' in svg
    assert 'aria-label="Confirmed &quot;hours&quot;"' in svg
    assert points(svg, "chart-confirmed")[-1] == (100.0, 12.0)
    assert charts.sparkline([], ceiling=20, label="x") == ""
