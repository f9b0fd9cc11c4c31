"""Altair chart builders. They return charts and never display them; :func:`to_svg` draws a
chart as an SVG string with no network (vl-convert), for Voila, JupyterLab and static HTML.

Every chart is read alongside a text summary and a data table. Colour is never the only cue:
bars carry their values as text, and the two voices differ in shape as well as colour. The
colours have at least 4.5:1 contrast against white.
"""

from __future__ import annotations

import functools
import json
import re
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import altair as alt
import pandas as pd

from coeval.text import escape
from coeval.vocabulary import LIVED_EXPERIENCE, WORKFORCE

LIVED_COLOUR = "#8c2d04"  # dark orange-brown
WORK_COLOUR = "#08519c"  # dark blue
BAR_COLOUR = "#08519c"
TEXT_COLOUR = "#1a1a1a"
FONT = "Arial, Helvetica, sans-serif"
WIDTH = 520

VOICE_LABELS = {LIVED_EXPERIENCE: "Lived experience", WORKFORCE: "Workforce"}
LINE_LENGTH = 28  # a label longer than this is written on several lines, never cut


def literal(value: object) -> str:
    """``value`` as a literal in a Vega expression: JSON, which quotes every apostrophe,
    quotation mark, backslash and non-ASCII letter safely."""
    return json.dumps(value, ensure_ascii=True)


def wrapped(labels: Iterable[object], width: int = LINE_LENGTH) -> str:
    """A Vega label expression that writes each long label on several lines, broken
    between words (never inside one)."""
    lines = {
        str(label): textwrap.wrap(str(label), width, break_long_words=False) or [str(label)]
        for label in labels
    }
    long = {label: parts for label, parts in lines.items() if len(parts) > 1}
    if not long:
        return "datum.label"
    return f"{literal(long)}[datum.label] || datum.label"


def _axis(labels: Iterable[object], **extra: Any) -> alt.Axis:
    return alt.Axis(labelExpr=wrapped(labels), labelLimit=0, **extra)


def _finish(chart: alt.TopLevelMixin, description: str) -> alt.TopLevelMixin:
    # padding: browsers may draw the labels a little wider than vl-convert measured them
    finished = chart.properties(
        description=description, padding={"left": 40, "right": 40, "top": 6, "bottom": 6}
    )
    # set on this fresh copy: each configure_* call would copy the whole chart again
    finished.config = _style()  # type: ignore[attr-defined]
    return finished


@functools.cache
def _style() -> alt.Config:
    """Every chart's fonts and colours (built once; charts never change it)."""
    return alt.Config(
        font=FONT,
        background="white",
        axis=alt.AxisConfig(
            labelColor=TEXT_COLOUR,
            titleColor=TEXT_COLOUR,
            domainColor="#595959",
            tickColor="#595959",
            gridColor="#d9d9d9",
            labelFontSize=12,
            titleFontSize=12,
            labelLimit=0,  # never cut a label: long ones are wrapped (see wrapped)
        ),
        legend=alt.LegendConfig(
            columnPadding=18,
            symbolSize=90,
            labelColor=TEXT_COLOUR,
            titleColor=TEXT_COLOUR,
            labelFontSize=12,
            titleFontSize=12,
            labelLimit=0,
            orient="bottom",
        ),
        view=alt.ViewConfig(stroke=None),
        header=alt.HeaderConfig(
            labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR, labelFontSize=12, labelLimit=0
        ),
    )


def percent_bars(
    frame: pd.DataFrame,
    label: str,
    value: str,
    description: str,
    title: str = "Score (% of the top of the scale)",
) -> alt.TopLevelMixin:
    """Horizontal bars on 0-100 with each value written at the end of its bar."""
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{label}:N", sort=None, title=None, axis=_axis(frame[label])),
        x=alt.X(f"{value}:Q", scale=alt.Scale(domain=[0, 100]), title=title),
    )
    bars = base.mark_bar(color=BAR_COLOUR, height={"band": 0.7})
    text = base.mark_text(align="left", dx=4, color=TEXT_COLOUR, fontSize=12).encode(
        text=alt.Text(f"{value}:Q", format=".0f")
    )
    return _finish((bars + text).properties(width=WIDTH - 260), description)


def signed_bars(
    frame: pd.DataFrame,
    label: str,
    value: str,
    description: str,
    title: str,
    domain: tuple[float, float] | None = None,
) -> alt.TopLevelMixin:
    """Bars either side of zero, each with its signed value written beside it."""
    scale = alt.Scale(domain=list(domain)) if domain else alt.Undefined
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{label}:N", sort=None, title=None, axis=_axis(frame[label])),
        x=alt.X(f"{value}:Q", title=title, scale=scale),
    )
    bars = base.mark_bar(color=BAR_COLOUR, height={"band": 0.7})
    text = base.mark_text(align="left", dx=4, color=TEXT_COLOUR, fontSize=12).encode(
        text=alt.Text(f"{value}:Q", format="+.1f")
    )
    rule = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color="#595959").encode(x="zero:Q")
    return _finish((bars + text + rule).properties(width=WIDTH - 260), description)


def level_dots(
    frame: pd.DataFrame,
    label: str,
    value: str,
    levels: Sequence[tuple[int, str]],
    description: str,
) -> alt.TopLevelMixin:
    """Each item's score as a dot on the scale, the axis labelled with the scale's words.
    ``levels`` are the scale's (value, word) pairs, lowest first."""
    bottom, top = levels[0][0], levels[-1][0]
    words = literal({str(v): word for v, word in levels})
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{label}:N", sort=None, title=None, axis=_axis(frame[label])),
        x=alt.X(
            f"{value}:Q",
            scale=alt.Scale(domain=[bottom, top]),
            axis=alt.Axis(
                values=[v for v, _word in levels],
                labelExpr=f"{words}[datum.value] || ''",
                labelAngle=0,
                labelOverlap=False,
                labelFontSize=11,
            ),
            title=None,
        ),
    )
    dots = base.mark_point(filled=True, size=120, color=BAR_COLOUR, shape="diamond")
    text = base.mark_text(align="left", dx=9, color=TEXT_COLOUR, fontSize=12).encode(
        text=alt.Text(f"{value}:Q", format=".1f")
    )
    return _finish((dots + text).properties(width=WIDTH - 140), description)


def voices(
    frame: pd.DataFrame, label: str, bottom: int, top: int, description: str
) -> alt.TopLevelMixin:
    """Lived experience against workforce per item, on one scale (``bottom`` to ``top``):
    two marks of different shape and colour joined by a line. ``frame`` has columns label,
    voice, mean."""
    legend = alt.Legend(title="Voice")
    shapes = alt.Scale(domain=list(VOICE_LABELS.values()), range=["circle", "square"])
    colours = alt.Scale(domain=list(VOICE_LABELS.values()), range=[LIVED_COLOUR, WORK_COLOUR])
    data = frame.assign(voice=frame["voice"].map(VOICE_LABELS))
    y = alt.Y(f"{label}:N", sort=None, title=None, axis=_axis(frame[label]))
    x = alt.X(
        "mean:Q",
        scale=alt.Scale(domain=[bottom, top]),
        title=f"Average score ({bottom} to {top})",
    )
    line = alt.Chart(data).mark_line(color="#737373").encode(y=y, x=x, detail=f"{label}:N")
    marks = (
        alt.Chart(data)
        .mark_point(filled=True, size=110, opacity=1)
        .encode(
            y=y,
            x=x,
            shape=alt.Shape("voice:N", scale=shapes, legend=legend),
            color=alt.Color("voice:N", scale=colours, legend=legend),
        )
    )
    return _finish((line + marks).properties(width=WIDTH - 260), description)


def grouped_percent(
    frame: pd.DataFrame, label: str, group: str, value: str, description: str
) -> alt.TopLevelMixin:
    """Pairs of bars per label (for example I and We statements per theme); each bar names its
    group in its text, so colour is not needed to tell them apart."""
    data = frame.assign(
        text=frame[group] + " " + frame[value].round(0).astype(int).astype(str) + "%"
    )
    base = alt.Chart(data).encode(
        y=alt.Y(f"{label}:N", sort=None, title=None, axis=_axis(data[label])),
        yOffset=alt.YOffset(f"{group}:N"),
        x=alt.X(
            f"{value}:Q",
            scale=alt.Scale(domain=[0, 115]),
            axis=alt.Axis(values=[0, 25, 50, 75, 100]),
            title="Score (% of the top of the scale)",
        ),
    )
    bars = base.mark_bar(height={"band": 0.8}).encode(
        color=alt.Color(
            f"{group}:N",
            scale=alt.Scale(range=[WORK_COLOUR, LIVED_COLOUR]),
            legend=alt.Legend(title=None),
        )
    )
    text = base.mark_text(align="left", dx=4, color=TEXT_COLOUR, fontSize=11).encode(text="text:N")
    return _finish((bars + text).properties(width=WIDTH - 240), description)


def trend(frame: pd.DataFrame, series: str, description: str) -> alt.TopLevelMixin:
    """Scores over quarters, one line per series, each point labelled with its value.
    ``frame`` has columns period, series, score."""
    base = alt.Chart(frame).encode(
        x=alt.X("period:O", title="Quarter", sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (%)"),
    )
    legend = alt.Legend(title=None, labelExpr=wrapped(frame[series]), labelLimit=0)
    line = base.mark_line(point=False, color=BAR_COLOUR).encode(
        detail=f"{series}:N", strokeDash=alt.StrokeDash(f"{series}:N", legend=None)
    )
    points = base.mark_point(filled=True, size=80, color=BAR_COLOUR, opacity=1).encode(
        shape=alt.Shape(f"{series}:N", legend=legend)
    )
    text = base.mark_text(dy=-12, color=TEXT_COLOUR, fontSize=11).encode(
        text=alt.Text("score:Q", format=".0f")
    )
    return _finish((line + points + text).properties(width=WIDTH - 120, height=220), description)


def count_bars(
    frame: pd.DataFrame, label: str, value: str, description: str, title: str = "Number"
) -> alt.TopLevelMixin:
    """Horizontal bars of counts, each with its count written beside it."""
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{label}:N", sort=None, title=None, axis=_axis(frame[label])),
        x=alt.X(
            f"{value}:Q", title=title, axis=alt.Axis(values=_whole_ticks(frame[value]), format="d")
        ),
    )
    bars = base.mark_bar(color=BAR_COLOUR, height={"band": 0.7})
    text = base.mark_text(align="left", dx=4, color=TEXT_COLOUR, fontSize=12).encode(
        text=alt.Text(f"{value}:Q", format="d")
    )
    return _finish((bars + text).properties(width=WIDTH - 260), description)


def _whole_ticks(values: pd.Series) -> list[int]:
    """Axis ticks on whole numbers only, about five of them."""
    top = int(max(values.max(), 1)) if len(values) else 1
    step = max(1, -(-top // 5))
    return list(range(0, top + step, step))


def small_multiples(
    frame: pd.DataFrame, panel: str, label: str, value: str, description: str, columns: int = 3
) -> alt.TopLevelMixin:
    """One small bar chart per panel (for example per project), all on the same 0-100 scale."""
    base = alt.Chart().encode(
        y=alt.Y(f"{label}:N", sort=None, title=None, axis=_axis(frame[label], labelFontSize=11)),
        x=alt.X(
            f"{value}:Q",
            scale=alt.Scale(domain=[0, 100]),
            title="Score (%)",
            axis=alt.Axis(values=[0, 50, 100]),
        ),
    )
    bars = base.mark_bar(color=BAR_COLOUR, height={"band": 0.7})
    text = base.mark_text(align="left", dx=3, color=TEXT_COLOUR, fontSize=10).encode(
        text=alt.Text(f"{value}:Q", format=".0f")
    )
    layered = alt.layer(bars, text, data=frame).properties(width=140)
    header = alt.Header(labelExpr=wrapped(frame[panel], 24), labelLimit=0)
    facet = alt.Facet(f"{panel}:N", title=None, sort=None, header=header)
    chart = layered.facet(facet=facet, columns=columns)
    return _finish(chart, description)


# -- drawing --------------------------------------------------------------------------------

_converter = None


def to_svg(chart: alt.TopLevelMixin, label: str) -> str:
    """Draw ``chart`` as SVG with no network; the SVG is an image whose accessible name is
    ``label`` (keep it short: the summary and the table carry the detail)."""
    global _converter
    if _converter is None:
        import vl_convert

        _converter = vl_convert
    svg: str = _converter.vegalite_to_svg(chart.to_dict(validate=False))
    # Vega marks every group and mark with ARIA roles, so a screen reader would read each bar
    # and tick; the chart is one image here, described by its summary and its data table.
    svg = re.sub(r'\s(?:role|aria-[a-z]+)="[^"]*"', "", svg)
    attributes = f'role="img" aria-label="{escape(label, quote=True)}" focusable="false"'
    return re.sub(r"<svg\b", f"<svg {attributes}", svg, count=1)
