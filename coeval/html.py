"""The pieces a dashboard page is made of, as accessible HTML, and the static page itself.

A review notebook displays :class:`Section` objects; each is a heading, a plain-language
summary worked out from the data, a chart (inline SVG) and the data as a table. The same HTML
shows in Voila and JupyterLab, and :func:`static_page` gathers a run notebook's outputs into
one self-contained file that loads nothing from anywhere else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

from coeval.frames import rows_where
from coeval.text import escape

PAGE_CSS = """
:root { color-scheme: light; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 1.05rem; line-height: 1.5;
  color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem; }
"""

#: Styles for coeval's own parts; shown with the page header, so Voila gets them too.
SECTION_CSS = """
h1 { font-size: 1.8rem; margin: 0.5rem 0; }
h2 { font-size: 1.4rem; margin-top: 2.2rem; border-top: 2px solid #08519c; padding-top: 0.6rem; }
h3 { font-size: 1.15rem; }
h2.coeval-contents { font-size: 1.1rem; border-top: none; margin-top: 1rem; padding-top: 0; }
nav ul { columns: 2; max-width: 44rem; }
a { color: #08519c; }
a:focus, summary:focus { outline: 3px solid #1a1a1a; outline-offset: 2px; }
.coeval-meta { color: #404040; }
.coeval-summary p, .coeval-summary li { max-width: 44rem; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #404040; font-size: 0.95rem; }
table { border-collapse: collapse; margin: 0.8rem 0 1.2rem; font-size: 0.95rem; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border: 1px solid #8c8c8c; padding: 0.3rem 0.55rem; text-align: left;
  vertical-align: top; }
th { background: #eef3f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.coeval-note { background: #fff8e6; border-left: 4px solid #8c2d04; padding: 0.4rem 0.8rem; }
blockquote { border-left: 4px solid #08519c; margin: 0.8rem 0; padding: 0.2rem 0.9rem; }
blockquote footer { color: #404040; font-size: 0.9rem; }
dl dt { font-weight: bold; margin-top: 0.5rem; }
dl dd { margin-left: 1.2rem; }
@media print { h2 { break-before: auto; } figure, table { break-inside: avoid; } }
"""


def shown_numbers(frame: pd.DataFrame, column: str, kind: type = float) -> pd.DataFrame:
    """The rows whose ``column`` holds a number that may be shown (not ``*``, not missing)."""
    return rows_where(
        frame, (isinstance(v, kind) and not isinstance(v, bool) and v == v for v in frame[column])
    )


def fmt(value: Any, decimals: int = 1, sign: bool = False, unit: str = "") -> str:
    """A number as it is shown: rounded, "*" where suppressed, "–" where there is none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and not sign:
        return f"{value}{unit}"
    text = f"{value:+.{decimals}f}" if sign else f"{value:.{decimals}f}"
    return text.replace("-", "−") + unit


def change_words(change: float, unit: str, since: str = "since last quarter") -> str:
    """A change as a person says it: "up 1 point since last quarter", "down 3 steps ...",
    or "the same as last quarter" when it rounds to nothing."""
    shown = fmt(abs(float(change)), 0)
    if shown == "0":
        return "about the same as last quarter" if change else "the same as last quarter"
    direction = "up" if change > 0 else "down"
    return f"{direction} {shown} {unit if shown == '1' else unit + 's'} {since}"


def points(value: float) -> str:
    """A signed number of percentage points: "+1 point", "−12 points"."""
    shown = fmt(value, 0, sign=True)
    return f"{shown} {'point' if shown.lstrip('+−') == '1' else 'points'}"


def table_html(frame: pd.DataFrame, caption: str, numeric: Sequence[str] = ()) -> str:
    """An accessible HTML table: a caption, column headers with scope, numbers aligned."""
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            text = escape(value if isinstance(value, str) else fmt(value))
            css = ' class="num"' if column in numeric else ""
            cells.append(f"<td{css}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{len(frame.columns)}">Nothing to show.</td></tr>')
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


@dataclass
class Section:
    """One part of a dashboard: heading, summary sentences, then a chart and its table."""

    id: str
    heading: str
    summary: list[str] = field(default_factory=list)
    svg: str = ""
    caption: str = ""
    tables: list[str] = field(default_factory=list)
    extra: str = ""
    level: int = 2

    def html(self) -> str:
        parts = [
            f'<section class="coeval-section" id="{escape(self.id)}" '
            f'aria-labelledby="{escape(self.id)}-h">',
            f'<h{self.level} id="{escape(self.id)}-h">{escape(self.heading)}</h{self.level}>',
        ]
        if self.summary:
            items = "".join(f"<p>{escape(s)}</p>" for s in self.summary)
            parts.append(f'<div class="coeval-summary">{items}</div>')
        if self.svg:
            parts.append(
                f"<figure>{self.svg}<figcaption>{escape(self.caption)}</figcaption></figure>"
            )
        parts += self.tables
        if self.extra:
            parts.append(self.extra)
        parts.append("</section>")
        return "".join(parts)

    def _repr_html_(self) -> str:
        return self.html()


#: The output type a page's header carries its summary in (read by coeval run, never shown).
SUMMARY_TYPE = "application/vnd.coeval.summary+json"


@dataclass
class Header:
    """The top of a page: its one h1 and what it covers."""

    title: str
    lines: list[str]
    note: str = ""
    contents: list[tuple[str, str]] = field(default_factory=list)  # (section id, heading)
    summary: dict[str, Any] | None = None  # for the quarter's index page (see coeval.run)

    def html(self) -> str:
        meta = "".join(f'<p class="coeval-meta">{escape(line)}</p>' for line in self.lines)
        note = f'<p class="coeval-note">{escape(self.note)}</p>' if self.note else ""
        nav = ""
        if self.contents:
            links = "".join(
                f'<li><a href="#{escape(i)}">{escape(h)}</a></li>' for i, h in self.contents
            )
            nav = (
                '<nav aria-label="Contents"><h2 class="coeval-contents">Contents</h2>'
                f"<ul>{links}</ul></nav>"
            )
        return (
            f"<style>{SECTION_CSS}</style>"
            f'<header class="coeval-header"><h1>{escape(self.title)}</h1>{meta}{note}</header>{nav}'
        )

    def _repr_mimebundle_(self, **_kwargs: Any) -> dict[str, Any]:
        bundle: dict[str, Any] = {"text/html": self.html()}
        if self.summary is not None:
            bundle[SUMMARY_TYPE] = self.summary
        return bundle


def page(title: str, body: str, lang: str = "en-GB", css: str = "") -> str:
    """A whole, self-contained HTML page."""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{PAGE_CSS}{css}</style>\n</head>\n<body>\n"
        f"<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def static_page(notebook: Path) -> str:
    """One self-contained HTML file from a run review notebook: every HTML output, in order.

    Nothing else is carried over (no code, no scripts, no widgets), so the page needs no
    network and no JavaScript. A notebook with an error output is refused.
    """
    return _page_of(nbformat.read(notebook, as_version=4), notebook)


def publish_notebook(notebook: Path, title: str) -> tuple[str, dict[str, Any] | None]:
    """For a notebook that ran: record its page title in it, and return its static page
    (see :func:`static_page`) and the summary its header carries for the index page. The
    notebook is read once and written once."""
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata.setdefault("coeval", {})["title"] = title
    nbformat.write(nb, notebook)
    summary = next(
        (
            dict(found)
            for cell in nb.cells
            for output in cell.get("outputs", [])
            if isinstance(found := output.get("data", {}).get(SUMMARY_TYPE), dict)
        ),
        None,
    )
    return _page_of(nb, notebook), summary


def _page_of(nb: Any, notebook: Path) -> str:
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise ValueError(f"{notebook} has an error output; it is not published")
            data = output.get("data", {})
            if "text/html" in data:
                html = data["text/html"]
                parts.append("".join(html) if isinstance(html, list) else html)
    title = nb.metadata.get("coeval", {}).get("title") or notebook.stem
    return page(title, "\n".join(parts))
