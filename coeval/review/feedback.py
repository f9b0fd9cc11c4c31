"""Feedback to the group: what you told us, what changed since last time, and "You said, we
did", in plain language. One accessible HTML page (self-contained, no scripts) and the same
words as plain text for email and print.

Everything comes from the quarterly review's data, so the disclosure rules are the same: a
public version hides figures based on too few people, and quotes appear only with consent to
publish and with personal details removed (internal versions also show only consented quotes).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from coeval.config import Workbook
from coeval.exceptions import CoevalError
from coeval.files import write_atomic
from coeval.frameworks import Framework
from coeval.html import SECTION_CSS, page
from coeval.ids import path_part
from coeval.practice.actions import STATUS_WORDS
from coeval.practice.evidence import evidence_words, shown_text
from coeval.review.data import ReviewData
from coeval.review.inputs import ReviewInputs
from coeval.store import Store
from coeval.text import escape, plural, printable
from coeval.vocabulary import DONE, IN_PROGRESS, INTERNAL, NOT_POSSIBLE, OPEN

QUOTES_SHOWN = 6


@dataclass
class Part:
    """One part of the feedback: a heading, paragraphs and bullet points."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (words, where from)


@dataclass
class Feedback:
    title: str
    intro: str
    parts: list[Part]

    def html(self) -> str:
        body = [f"<h1>{escape(self.title)}</h1>", f"<p>{escape(self.intro)}</p>"]
        for part in self.parts:
            body.append(f"<h2>{escape(part.heading)}</h2>")
            body += [f"<p>{escape(p)}</p>" for p in part.paragraphs]
            if part.bullets:
                body.append(
                    "<ul>" + "".join(f"<li>{escape(b)}</li>" for b in part.bullets) + "</ul>"
                )
            for words, source in part.quotes:
                body.append(
                    f"<blockquote><p>{escape(words)}</p><footer>{escape(source)}</footer>"
                    "</blockquote>"
                )
        return page(self.title, "\n".join(body), css=SECTION_CSS)

    def text(self) -> str:
        title = printable(self.title)
        lines = [title, "=" * min(len(title), 72), "", *_wrap(self.intro)]
        for part in self.parts:
            lines += ["", printable(part.heading), "-" * min(len(part.heading), 72)]
            for paragraph in part.paragraphs:
                lines += [*_wrap(paragraph), ""]
            for bullet in part.bullets:
                lines += _wrap(bullet, "  * ", "    ")
            for words, source in part.quotes:
                lines += [*_wrap(f"“{words}”", "  ", "  "), f"    ({printable(source)})", ""]
        return "\n".join(lines).rstrip() + "\n"


def _wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(
        printable(text),
        72,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def build_feedback(data: ReviewData) -> Feedback:
    project, period = data.project.name, data.period.label
    title = f"You said, we did: {project}, {period}"
    intro = (
        f"Thank you to everyone who took part in {project} between "
        f"{data.period.start:%-d %B} and {data.period.end:%-d %B %Y}. This is what you told "
        "us, what has changed since last time, and what we have done about it."
    )
    return Feedback(title, intro, [_said(data), _changed(data), _did(data)])


def _said(data: ReviewData) -> Part:
    part = Part("What you told us")
    for fw in data.frameworks:
        doc = data.docs[fw.id]
        people = data.people[fw.id].get("", 0)
        items = [i for s in doc["sections"] for i in s["items"] if i["score"] is not None]
        if not items or not data.audience.shows(people):
            continue
        if fw.is_placement:
            part.paragraphs.append(
                f"{plural(data.audience.count(people), 'person', 'people')} placed the work on "
                f"{fw.title}: {fw.step(items[0]['score'])}."
            )
            continue
        low = min(items, key=lambda i: i["score"])
        high = max(items, key=lambda i: i["score"])
        part.paragraphs.append(
            f"{plural(data.audience.count(people), 'person', 'people')} rated the work "
            f"against {fw.title}. "
            f"You rated “{high['title']}” highest ({fw.label(round(high['score']))}) and "
            f"“{low['title']}” lowest ({fw.label(round(low['score']))})."
        )
    ev = data.evidence
    for row in ev.to_dict("records"):
        words = shown_text(str(row["text"]), bool(row["consent_to_publish"]), data.names)
        if words is not None and len(part.quotes) < QUOTES_SHOWN:
            part.quotes.append((words, evidence_words(row["method"])))
    if not part.paragraphs and not part.quotes:
        part.paragraphs.append("We did not hear from enough people this quarter to report here.")
    return part


def _changed(data: ReviewData) -> Part:
    part = Part("What has changed since last time")
    for fw in data.frameworks:
        doc = data.docs[fw.id]
        change, people = doc.get("change_since_previous"), data.people[fw.id].get("", 0)
        if not data.audience.shows(people):
            continue
        if fw.is_placement:
            part.paragraphs += _moved(data, fw)
            continue
        if change is None or doc.get("score") is None:
            continue
        size = abs(round(change))
        if size < 1:
            said = "stayed about the same"
        else:
            said = f"went {'up' if change > 0 else 'down'} by {plural(size, 'percentage point')}"
        part.paragraphs.append(f"Your overall rating for {fw.title} {said} since last quarter.")
    plan = data.actions
    finished = plan[(plan["reviewed"] == data.period.label) & plan["status"].isin([DONE])]
    if len(finished):
        part.paragraphs.append(f"{plural(len(finished), 'action')} finished this quarter.")
    if not part.paragraphs:
        part.paragraphs.append(
            "This is the first quarter we can compare, so there is no change yet."
        )
    return part


def _moved(data: ReviewData, fw: Framework) -> list[str]:
    """How a placement moved since last quarter, in steps (never a percentage)."""
    steps = data.trend[data.trend["framework"] == fw.id]["step"].tolist()
    if len(steps) < 2 or pd.isna(steps[-1]) or pd.isna(steps[-2]):
        return []
    now, before = fw.step(steps[-1]), fw.step(steps[-2])
    if now == before:
        return [f"You placed the work at the same step of {fw.title} as last quarter: {now}."]
    return [f"You placed the work on {fw.title} at {now}; last quarter it was {before}."]


def _did(data: ReviewData) -> Part:
    part = Part("You said, we did")
    plan = data.actions
    if plan.empty:
        part.paragraphs.append("No actions have been agreed yet.")
        return part
    order = [DONE, IN_PROGRESS, OPEN, NOT_POSSIBLE]
    for status in order:
        for row in plan[plan["status"] == status].to_dict("records"):
            part.bullets.append(_action_line(row))
    return part


def _action_line(row: Mapping[Any, Any]) -> str:
    said, did = row["said"].rstrip("."), row["action"].rstrip(".")
    status = row["status"]
    if status == DONE:
        outcome = f" {row['outcome']}" if row["outcome"] else ""
        return f"You said: {said}. We did: {did}.{outcome}"
    if status == NOT_POSSIBLE:
        return f"You said: {said}. We could not: {did}, because {_lower(row['reason'])}"
    due = f" by {row['due_on']:%-d %B %Y}" if row["due_on"] else ""
    late = " This is later than we promised." if row["overdue"] else ""
    return f"You said: {said}. We will: {did}{due} ({STATUS_WORDS[status].lower()}).{late}"


def _lower(text: str | None) -> str:
    text = (text or "no reason was recorded").strip()
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def write_feedback(
    workbook: Workbook, project: str, period: str, out: Path, audience: str = INTERNAL
) -> tuple[Path, Path]:
    """Write ``<project>-<period>-feedback.html`` and ``.txt`` into ``out``."""
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise CoevalError(f"--out {out} is a file; give a folder")
    with Store.open(workbook.db_url) as store:
        inputs = ReviewInputs.read(workbook, store, project, period)
    data = ReviewData.build(inputs, audience)
    feedback = build_feedback(data)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{path_part(project)}-{data.period.label.replace('/', '-').replace(' ', '-')}-feedback"
    written = []
    for suffix, content in ((".html", feedback.html()), (".txt", feedback.text())):
        target = out / f"{stem}{suffix}"
        written.append(write_atomic(target, content))
    return written[0], written[1]
