"""A quarter's index page: every project at a glance, with a link to its review.

For each project: each framework's headline (its score, or for a placement its step), the
change since last quarter and how many people gave it, the open and overdue actions, and
whether this quarter's review was made. The figures come from each review's own summary
(carried in its notebook, see :meth:`coeval.review.QuarterlyReview.index_summary`), so they
follow the same disclosure rules as the page they link to. Self-contained: no scripts, no
network.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coeval.html import SECTION_CSS, page
from coeval.text import escape
from coeval.vocabulary import PUBLIC


def index_page(
    period: str, audience: str, manifest: Mapping[str, Any], names: Mapping[str, str]
) -> str:
    entries = sorted(manifest["projects"].items(), key=lambda kv: names.get(kv[0], kv[0]))
    rows = "".join(_row(names.get(pid, pid), entry) for pid, entry in entries)
    if not rows:
        rows = '<tr><td colspan="5">No project has a review this quarter yet.</td></tr>'
    portfolio = manifest.get("portfolio")
    link = (
        f'<p><a href="{escape(portfolio["html"])}">All projects side by side (portfolio)</a></p>'
        if portfolio and portfolio.get("status") == "ok"
        else ""
    )
    kind = "Public version" if audience == PUBLIC else "For the group and staff"
    made = sum(1 for _pid, entry in entries if entry["status"] == "ok")
    body = (
        f'<header class="coeval-header"><h1>Quarterly reviews, {escape(period)}</h1>'
        f"<p>{kind}. {made} of {len(entries)} project reviews made.</p></header>{link}"
        '<table class="coeval-index"><caption>Every project this quarter: its headline '
        "scores, its actions, and a link to its review</caption><thead><tr>"
        '<th scope="col">Project</th><th scope="col">Headlines this quarter</th>'
        '<th scope="col">Open actions</th><th scope="col">Overdue actions</th>'
        f'<th scope="col">Review</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    return page(f"Quarterly reviews, {period}", body, css=SECTION_CSS + INDEX_CSS)


def _row(name: str, entry: Mapping[str, Any]) -> str:
    if entry["status"] != "ok":
        return (
            f'<tr><th scope="row">{escape(name)}</th><td colspan="3">This quarter\'s review '
            "could not be made; staff have been told why.</td><td>Not made</td></tr>"
        )
    summary = entry.get("summary") or {}
    items = "".join(f"<li>{escape(_headline(fw))}</li>" for fw in summary.get("frameworks", []))
    headlines = f"<ul>{items}</ul>" if items else "No scores this quarter"
    link = f'<a href="{escape(entry["html"])}">{escape(name)}</a>'
    return (
        f'<tr><th scope="row">{link}</th><td>{headlines}</td>'
        f'<td class="num">{_count(summary.get("open_actions"))}</td>'
        f'<td class="num">{_count(summary.get("overdue_actions"))}</td><td>Made</td></tr>'
    )


def _headline(row: Mapping[str, Any]) -> str:
    """ "Six principles: 62%, up 4 points since last quarter, from 12 people"."""
    parts = [f"{row['framework']}: {row['headline']}"]
    if row.get("change"):
        parts.append(str(row["change"]))
    people = row.get("people")
    if people not in (None, "", 0):
        parts.append(f"from {'1 person' if people == 1 else f'{people} people'}")
    return ", ".join(parts)


def _count(value: Any) -> str:
    return "" if value is None else escape(str(value))


INDEX_CSS = """
table.coeval-index { border-collapse: collapse; width: 100%; margin: 1rem 0; }
.coeval-index caption { text-align: left; font-weight: bold; padding: 0.4rem 0; }
.coeval-index th, .coeval-index td { border: 1px solid #737373; padding: 0.4rem 0.6rem;
  text-align: left; vertical-align: top; }
.coeval-index td.num { text-align: right; }
.coeval-index ul { margin: 0; padding-left: 1.1rem; }
"""
