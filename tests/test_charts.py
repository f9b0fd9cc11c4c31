"""Every chart builder draws offline to an SVG image with an accessible name."""

from __future__ import annotations

import pandas as pd
import pytest

from coeval import charts

LEVELS = list(enumerate(["Not yet", "Starting", "Developing", "Established", "Embedded"]))
EXAMPLES = {
    "percent_bars": lambda: charts.percent_bars(
        pd.DataFrame({"s": ["A", "B"], "v": [40.0, 80.0]}), "s", "v", "d"
    ),
    "signed_bars": lambda: charts.signed_bars(
        pd.DataFrame({"s": ["A", "B"], "v": [-5.0, 12.0]}), "s", "v", "d", "Change"
    ),
    "level_dots": lambda: charts.level_dots(
        pd.DataFrame({"s": ["A", "B"], "v": [1.5, 3.2]}), "s", "v", LEVELS, "d"
    ),
    "voices": lambda: charts.voices(
        pd.DataFrame(
            {"s": ["A", "A"], "voice": ["lived_experience", "workforce"], "mean": [2.0, 3.5]}
        ),
        "s",
        0,
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


HARD = 'Carers\' "voice" & café: better outcomes for people facing health inequalities'
HARD_LEVELS = [(1, 'Isn\'t "happening"'), (2, "Some & more"), (3, "Très bien")]


def _texts(svg: str) -> str:
    """Every word drawn in an SVG, lines joined with spaces."""
    import html
    import re

    return " ".join(html.unescape(t) for t in re.findall(r">([^<>]+)</(?:text|tspan)>", svg))


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_labels_with_quotes_ampersands_accents_are_drawn_whole(name: str) -> None:
    """Every builder, given labels with apostrophes, quotation marks, ampersands and accented
    letters, draws them; a long label is written on several lines, never cut mid-word."""
    drawn = _texts(charts.to_svg(_hard(name), "Chart"))
    for word in HARD.split():
        assert word in drawn, (word, drawn)
    assert "\u2026" not in drawn  # no label cut short with an ellipsis
    if name == "level_dots":
        assert all(word in drawn for _value, word in HARD_LEVELS)


def _hard(name: str):
    frame_of = {
        "percent_bars": lambda: charts.percent_bars(
            pd.DataFrame({"s": [HARD, "B"], "v": [40.0, 80.0]}), "s", "v", "d"
        ),
        "signed_bars": lambda: charts.signed_bars(
            pd.DataFrame({"s": [HARD, "B"], "v": [-5.0, 12.0]}), "s", "v", "d", "Change"
        ),
        "level_dots": lambda: charts.level_dots(
            pd.DataFrame({"s": [HARD, "B"], "v": [1.5, 3.0]}), "s", "v", HARD_LEVELS, "d"
        ),
        "voices": lambda: charts.voices(
            pd.DataFrame(
                {"s": [HARD, HARD], "voice": ["lived_experience", "workforce"], "mean": [2.0, 3.5]}
            ),
            "s",
            1,
            5,
            "d",
        ),
        "grouped_percent": lambda: charts.grouped_percent(
            pd.DataFrame(
                {"t": [HARD, HARD], "k": ["I statements", "We statements"], "v": [50.0, 70.0]}
            ),
            "t",
            "k",
            "v",
            "d",
        ),
        "trend": lambda: charts.trend(
            pd.DataFrame(
                {"period": ["2026Q2", "2026Q3"], "f": [HARD, HARD], "score": [50.0, 60.0]}
            ),
            "f",
            "d",
        ),
        "count_bars": lambda: charts.count_bars(
            pd.DataFrame({"s": [HARD, "Done"], "n": [2, 5]}), "s", "n", "d"
        ),
        "small_multiples": lambda: charts.small_multiples(
            pd.DataFrame(
                {
                    "p": [HARD, HARD, "Q", "Q"],
                    "s": [HARD, "b", HARD, "b"],
                    "v": [10.0, 90.0, 40.0, 60.0],
                }
            ),
            "p",
            "s",
            "v",
            "d",
        ),
    }
    return frame_of[name]()
