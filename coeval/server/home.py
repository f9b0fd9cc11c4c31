"""The page `coeval serve` opens on: each quarter (newest first), its projects by name with
their headline figures, each linking to its live Voila page, and the portfolio.

The figures are those `coeval run` recorded in each quarter's ``manifest.json`` (the same
summaries, and the same words, as the quarter's static index page, coeval.index), so they
follow the disclosure rules of the pages they link to. No scripts, nothing from elsewhere.

This module runs in the Voila server process (coeval.server.app serves the page), not in
kernels; `coeval serve` also uses :func:`quarters` to choose which pages to start ahead.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from coeval.periods import parse_period
from coeval.text import escape

TITLE = "Dashboards"
_TITLE_TAG = re.compile(r"<title>(.*?)</title>", re.S)


def quarters(root: Path) -> list[tuple[str, dict[str, Any]]]:
    """Each quarter folder under ``root`` that `coeval run` wrote (it holds a manifest), with
    its manifest, newest first."""
    found = []
    for folder in root.iterdir() if root.is_dir() else []:
        manifest_path = folder / "manifest.json"
        if folder.name.startswith(".") or not manifest_path.is_file():
            continue
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found.append((folder.name, manifest))
    return sorted(found, key=lambda item: _when(item), reverse=True)


def _when(item: tuple[str, dict[str, Any]]) -> tuple[Any, str]:
    try:
        return (parse_period(str(item[1].get("period") or item[0])).start.isoformat(), item[0])
    except Exception:  # a folder name that is not a quarter: last, by name
        return ("", item[0])


def project_name(folder: Path, pid: str, entry: dict[str, Any]) -> str:
    """A project's name as its page shows it: the static page's title (coeval run writes it
    from the project's name, as this audience may read it); its id if there is none."""
    if entry.get("name"):
        return str(entry["name"])
    page = folder / str(entry.get("html") or "")
    try:
        with page.open(encoding="utf-8") as handle:
            found = _TITLE_TAG.search(handle.read(4096))
    except OSError:
        found = None
    return html.unescape(found.group(1)).strip() if found else pid


def home_page(root: Path, base_url: str = "/") -> str:
    """The whole page, for the dashboards under ``root``."""
    from coeval.html import SECTION_CSS, page
    from coeval.index import INDEX_CSS

    found = quarters(root)
    if not found:
        body = (
            f"<h1>{TITLE}</h1><p>There are no quarterly reviews here yet. Make them with "
            "<code>coeval run --period QUARTER</code>, then reload this page.</p>"
        )
        return page(TITLE, body, css=SECTION_CSS + INDEX_CSS)
    contents = "".join(
        f'<li><a href="#q-{escape(name)}">{escape(_label(name, m))}</a></li>' for name, m in found
    )
    sections = "".join(_quarter(root, name, m, base_url) for name, m in found)
    body = (
        f'<header class="coeval-header"><h1>{TITLE}</h1><p>The quarterly reviews, newest '
        "quarter first. Each project's name opens its dashboard, worked out afresh from the "
        'latest answers.</p></header><nav aria-label="Quarters"><h2 class="coeval-contents">'
        f"Quarters</h2><ul>{contents}</ul></nav>{sections}"
    )
    return page(TITLE, body, css=SECTION_CSS + INDEX_CSS)


def _label(name: str, manifest: dict[str, Any]) -> str:
    return str(manifest.get("period") or name)


def _link(base_url: str, *parts: str) -> str:
    return escape(base_url.rstrip("/") + "/voila/render/" + "/".join(quote(p) for p in parts))


def _quarter(root: Path, name: str, manifest: dict[str, Any], base_url: str) -> str:
    from coeval.index import _headline

    folder = root / name
    label = escape(_label(name, manifest))
    rows = []
    projects = manifest.get("projects") or {}
    named = sorted((project_name(folder, pid, e), pid, e) for pid, e in projects.items())
    for shown, _pid, entry in named:
        notebook = str(entry.get("notebook") or "")
        if entry.get("status") != "ok" or not (folder / notebook).is_file():
            rows.append(
                f'<tr><th scope="row">{escape(shown)}</th><td colspan="3">This quarter\'s '
                "review could not be made; staff have been told why.</td></tr>"
            )
            continue
        summary = entry.get("summary") or {}
        items = "".join(f"<li>{escape(_headline(fw))}</li>" for fw in summary.get("frameworks", []))
        rows.append(
            f'<tr><th scope="row"><a href="{_link(base_url, name, notebook)}">{escape(shown)}'
            f"</a></th><td>{f'<ul>{items}</ul>' if items else 'No scores this quarter'}</td>"
            f'<td class="num">{_count(summary.get("open_actions"))}</td>'
            f'<td class="num">{_count(summary.get("overdue_actions"))}</td></tr>'
        )
    if not rows:
        rows.append('<tr><td colspan="4">No project has a review this quarter yet.</td></tr>')
    portfolio = manifest.get("portfolio") or {}
    link = ""
    if portfolio.get("status") == "ok" and (folder / str(portfolio.get("notebook"))).is_file():
        href = _link(base_url, name, str(portfolio["notebook"]))
        link = f'<p><a href="{href}">All projects side by side (portfolio), {label}</a></p>'
    return (
        f'<section aria-labelledby="q-{escape(name)}"><h2 id="q-{escape(name)}">Quarter '
        f"{label}</h2>{link}"
        f'<table class="coeval-index"><caption>Projects in {label}: headline scores, and '
        'open and overdue actions</caption><thead><tr><th scope="col">Project</th>'
        '<th scope="col">Headlines this quarter</th><th scope="col">Open actions</th>'
        f'<th scope="col">Overdue actions</th></tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table></section>"
    )


def _count(value: Any) -> str:
    return "" if value is None else escape(str(value))
