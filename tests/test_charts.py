"""Every chart builder draws offline to an SVG image with an accessible name."""

from __future__ import annotations

import pandas as pd
import pytest

from coeval import charts

WORDS = ["Not yet", "Starting", "Developing", "Established", "Embedded"]
EXAMPLES = {
    "percent_bars": lambda: charts.percent_bars(
        pd.DataFrame({"s": ["A", "B"], "v": [40.0, 80.0]}), "s", "v", "d"
    ),
    "signed_bars": lambda: charts.signed_bars(
        pd.DataFrame({"s": ["A", "B"], "v": [-5.0, 12.0]}), "s", "v", "d", "Change"
    ),
    "level_dots": lambda: charts.level_dots(
        pd.DataFrame({"s": ["A", "B"], "v": [1.5, 3.2]}), "s", "v", WORDS, "d"
    ),
    "voices": lambda: charts.voices(
        pd.DataFrame(
            {"s": ["A", "A"], "voice": ["lived_experience", "workforce"], "mean": [2.0, 3.5]}
        ),
        "s",
        4,
        "d",
    ),
    "grouped_percent": lambda: charts.grouped_percent(
        pd.DataFrame({"t": ["A", "A"], "k": ["I statements", "We statements"], "v": [50.0, 70.0]}),
        "t",
        "k",
        "v",
        "d",
    ),
    "trend": lambda: charts.trend(
        pd.DataFrame({"period": ["2026Q2", "2026Q3"], "f": ["X", "X"], "score": [50.0, 60.0]}),
        "f",
        "d",
    ),
    "count_bars": lambda: charts.count_bars(
        pd.DataFrame({"s": ["Open", "Done"], "n": [2, 5]}), "s", "n", "d"
    ),
    "small_multiples": lambda: charts.small_multiples(
        pd.DataFrame(
            {"p": ["P", "P", "Q", "Q"], "s": ["a", "b", "a", "b"], "v": [10.0, 90.0, 40.0, 60.0]}
        ),
        "p",
        "s",
        "v",
        "d",
    ),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_builder_draws_an_accessible_svg(name: str) -> None:
    svg = charts.to_svg(EXAMPLES[name](), f"Chart: {name} & more")
    assert svg.startswith('<svg role="img" aria-label="Chart: ' + name + ' &amp; more"')
    assert svg.count('role="') == 1  # Vega's per-mark roles are removed
    assert "http://" not in svg.replace("http://www.w3.org", "")
    assert "<text" in svg  # values are written on the chart, not only coloured


def test_builders_return_charts_and_never_display() -> None:
    chart = EXAMPLES["percent_bars"]()
    assert hasattr(chart, "to_dict") and chart.to_dict()["description"] == "d"
