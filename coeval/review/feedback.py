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
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from coeval.config import Workbook
from coeval.exceptions import CoevalError
from coeval.files import write_atomic
from coeval.frameworks import Framework
from coeval.html import SECTION_CSS, page
from coeval.i18n import ENGLISH, ENGLISH_CODE, Words, words
from coeval.ids import path_part
from coeval.practice.actions import STATUS_WORDS, TOLD_WORDS, told_words
from coeval.practice.evidence import evidence_words, shown_text
from coeval.review.data import ReviewData
from coeval.review.inputs import ReviewInputs
from coeval.store import Store
from coeval.text import escape, printable
from coeval.vocabulary import DONE, FINISHED, IN_PROGRESS, INTERNAL, NOT_POSSIBLE, OPEN

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
    lang: str = "en-GB"  # the page's language
    draft: str = ""  # the draft translation label, when the words are a draft

    def html(self) -> str:
        body = [f"<h1>{escape(self.title)}</h1>", f"<p>{escape(self.intro)}</p>"]
        if self.draft:
            body.insert(0, f'<p class="draft"><strong>{escape(self.draft)}</strong></p>')
        for part in self.parts:
            body.append(f"<h2>{escape(part.heading)}</h2>")
            body += [f"<p>{escape(p)}</p>" for p in part.paragraphs]
            if part.bullets:
                body.append(
                    "<ul>" + "".join(f"<li>{escape(b)}</li>" for b in part.bullets) + "</ul>"
                )
            for said, source in part.quotes:
                body.append(
                    f"<blockquote><p>{escape(said)}</p><footer>{escape(source)}</footer>"
                    "</blockquote>"
                )
        return page(self.title, "\n".join(body), lang=self.lang, css=SECTION_CSS)

    def text(self) -> str:
        title = printable(self.title)
        lines = [*_wrap(self.draft), ""] if self.draft else []
        lines += [title, "=" * min(len(title), 72), "", *_wrap(self.intro)]
        for part in self.parts:
            lines += ["", printable(part.heading), "-" * min(len(part.heading), 72)]
            for paragraph in part.paragraphs:
                lines += [*_wrap(paragraph), ""]
            for bullet in part.bullets:
                lines += _wrap(bullet, "  * ", "    ")
            for said, source in part.quotes:
                lines += [*_wrap(f"“{said}”", "  ", "  "), f"    ({printable(source)})", ""]
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


def _day(said: Words, when: date, year: bool = True) -> str:
    """A date in the feedback's words ("4 March 2026"; in English, "4 March" without the
    year where the sentence gives it later)."""
    if said.english:
        return f"{when:%-d %B %Y}" if year else f"{when:%-d %B}"
    return said.date(when)


def build_feedback(data: ReviewData, words: Words = ENGLISH) -> Feedback:
    """The feedback in ``words`` (the interface's words in one language); the framework's
    titles and scale are in that language too where its file has words in it."""
    _ = words.gettext
    project, period = data.project.name, data.period.label
    title = _("You said, we did: {project}, {period}", project=project, period=period)
    intro = _(
        "Thank you to everyone who took part in {project} between {start} and {end}. This "
        "is what you told us, what has changed since last time, and what we have done about it.",
        project=project,
        start=_day(words, data.period.start, year=False),
        end=_day(words, data.period.end),
    )
    language = None if words.english else words.language
    fws = {fw.id: fw.worded(language) for fw in data.frameworks}
    parts = [_said(data, words, fws), _changed(data, words, fws), _did(data, words)]
    return Feedback(title, intro, parts, words.html_lang, words.draft_label)


def _said(data: ReviewData, words: Words, fws: Mapping[str, Framework]) -> Part:
    part = Part(words.gettext("What you told us"))
    for fw in data.frameworks:
        doc, worded = data.docs[fw.id], fws[fw.id]
        people = data.people[fw.id].get("", 0)
        items = [i for s in doc["sections"] for i in s["items"] if i["score"] is not None]
        if not items or not data.audience.shows(people):
            continue
        count = data.audience.count(people)
        if fw.is_placement:
            part.paragraphs.append(
                words.ngettext(
                    "{n} person placed the work on {framework}: {step}.",
                    "{n} people placed the work on {framework}: {step}.",
                    count,
                    framework=worded.title,
                    step=worded.step(items[0]["score"]),
                )
            )
            continue
        low = min(items, key=lambda i: i["score"])
        high = max(items, key=lambda i: i["score"])
        part.paragraphs.append(
            words.ngettext(
                "{n} person rated the work against {framework}. You rated “{high}” highest "
                "({high_level}) and “{low}” lowest ({low_level}).",
                "{n} people rated the work against {framework}. You rated “{high}” highest "
                "({high_level}) and “{low}” lowest ({low_level}).",
                count,
                framework=worded.title,
                high=_item_title(worded, high),
                high_level=worded.label(round(high["score"])),
                low=_item_title(worded, low),
                low_level=worded.label(round(low["score"])),
            )
        )
    for row in data.evidence.to_dict("records"):
        said = shown_text(str(row["text"]), bool(row["consent_to_publish"]), data.names)
        if said is not None and len(part.quotes) < QUOTES_SHOWN:
            part.quotes.append((said, evidence_words(row["method"])))
    if not part.paragraphs and not part.quotes:
        part.paragraphs.append(
            words.gettext("We did not hear from enough people this quarter to report here.")
        )
    return part


def _item_title(fw: Framework, item: Mapping[str, Any]) -> str:
    """An item's title in the framework's words (as the score document has it otherwise)."""
    found = item.get("id")
    return fw.item(found).title if isinstance(found, str) and fw.has_item(found) else item["title"]


def _changed(data: ReviewData, words: Words, fws: Mapping[str, Framework]) -> Part:
    part = Part(words.gettext("What has changed since last time"))
    for fw in data.frameworks:
        doc = data.docs[fw.id]
        change, people = doc.get("change_since_previous"), data.people[fw.id].get("", 0)
        if not data.audience.shows(people):
            continue
        if fw.is_placement:
            part.paragraphs += _moved(data, fws[fw.id], words)
            continue
        if change is None or doc.get("score") is None:
            continue
        part.paragraphs.append(_change_words(words, fws[fw.id].title, change))
    plan = data.actions
    finished = plan[(plan["reviewed"] == data.period.label) & plan["status"].isin([DONE])]
    if len(finished):
        part.paragraphs.append(
            words.ngettext(
                "{n} action finished this quarter.",
                "{n} actions finished this quarter.",
                len(finished),
            )
        )
    if not part.paragraphs:
        part.paragraphs.append(
            words.gettext("This is the first quarter we can compare, so there is no change yet.")
        )
    return part


def _change_words(words: Words, title: str, change: float) -> str:
    """How an overall rating changed since last quarter, in percentage points."""
    size = abs(round(change))
    if size < 1:
        return words.gettext(
            "Your overall rating for {framework} stayed about the same since last quarter.",
            framework=title,
        )
    if change > 0:
        return words.ngettext(
            "Your overall rating for {framework} went up by {n} percentage point since last "
            "quarter.",
            "Your overall rating for {framework} went up by {n} percentage points since last "
            "quarter.",
            size,
            framework=title,
        )
    return words.ngettext(
        "Your overall rating for {framework} went down by {n} percentage point since last quarter.",
        "Your overall rating for {framework} went down by {n} percentage points since last "
        "quarter.",
        size,
        framework=title,
    )


def _moved(data: ReviewData, fw: Framework, words: Words) -> list[str]:
    """How a placement moved since last quarter, in steps (never a percentage)."""
    steps = data.trend[data.trend["framework"] == fw.id]["step"].tolist()
    if len(steps) < 2 or pd.isna(steps[-1]) or pd.isna(steps[-2]):
        return []
    now, before = fw.step(steps[-1]), fw.step(steps[-2])
    if now == before:
        said = words.gettext(
            "You placed the work at the same step of {framework} as last quarter: {now}.",
            framework=fw.title,
            now=now,
        )
    else:
        said = words.gettext(
            "You placed the work on {framework} at {now}; last quarter it was {before}.",
            framework=fw.title,
            now=now,
            before=before,
        )
    return [said]


def _did(data: ReviewData, words: Words) -> Part:
    part = Part(words.gettext("You said, we did"))
    plan = data.actions
    if plan.empty:
        part.paragraphs.append(words.gettext("No actions have been agreed yet."))
        return part
    order = [DONE, IN_PROGRESS, OPEN, NOT_POSSIBLE]
    for status in order:
        for row in plan[plan["status"] == status].to_dict("records"):
            part.bullets.append(_action_line(row, words))
    finished = plan[plan["status"].isin(FINISHED)]
    if len(finished):
        part.paragraphs.append(_told_back(len(finished), int(finished["told_back"].sum()), words))
    return part


def _told_back(finished: int, told: int, words: Words) -> str:
    """Whether the group had been told the finished actions' outcomes before this feedback."""
    if told == 0:
        return words.ngettext(
            "We had not told the group the outcome of this finished action before: this "
            "feedback is the first time.",
            "We had not told the group the outcome of these {n} finished actions before: this "
            "feedback is the first time.",
            finished,
        )
    if told == finished:
        return words.ngettext(
            "We had already told the group the outcome of this finished action; it says below how.",
            "We had already told the group the outcome of all {n} finished actions; each one "
            "below says how.",
            finished,
        )
    return words.ngettext(
        "We had already told the group the outcome of {told} of {n} finished action; "
        "each one below says how. For the others, this feedback is the first time we "
        "have told you.",
        "We had already told the group the outcome of {told} of {n} finished actions; "
        "each one below says how. For the others, this feedback is the first time we "
        "have told you.",
        finished,
        told=told,
    )


def _action_line(row: Mapping[Any, Any], words: Words = ENGLISH) -> str:
    """One action as sentences: what was said, what we did (or could not, or will do), and
    how the group was told."""
    _ = words.gettext
    said, did = row["said"].rstrip("."), row["action"].rstrip(".")
    status = row["status"]
    told = [_("We told you {how}.", how=_told(how, words)) for how in row["told"]] or [
        _("We have not told the group this before.")
    ]
    sentences = [_("You said: {said}.", said=said)]
    if status == DONE:
        outcome = [f"{row['outcome'].rstrip('.')}."] if row["outcome"] else []
        sentences += [_("We did: {action}.", action=did), *outcome, *told]
    elif status == NOT_POSSIBLE:
        reason = _lower(row["reason"], words).rstrip(".")
        sentences += [_("We could not: {action}, because {reason}.", action=did, reason=reason)]
        sentences += told
    else:
        state = _(STATUS_WORDS[status]).lower()
        if row["due_on"]:
            sentences.append(
                _(
                    "We will: {action} by {date} ({status}).",
                    action=did,
                    date=_day(words, row["due_on"]),
                    status=state,
                )
            )
        else:
            sentences.append(_("We will: {action} ({status}).", action=did, status=state))
        if row["overdue"]:
            sentences.append(_("This is later than we promised."))
    return " ".join(sentences)


def _told(told: tuple[str, date], words: Words) -> str:
    """How and when the group was told an outcome ("at a meeting on 3 Oct 2026")."""
    how, day = told
    if words.english:
        return told_words(how, day)
    way = words.gettext(TOLD_WORDS[how])
    return words.gettext("{how} on {date}", how=way, date=words.date(day))


def _lower(text: str | None, words: Words = ENGLISH) -> str:
    text = (text or words.gettext("no reason was recorded")).strip()
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def write_feedback(
    workbook: Workbook,
    project: str,
    period: str,
    out: Path,
    audience: str = INTERNAL,
    language: str | None = None,
) -> tuple[Path, Path]:
    """Write ``<project>-<period>-feedback.html`` and ``.txt`` into ``out``, in ``language``
    (default: the workbook's; ``-<language>`` ends the names in another language)."""
    language = language or workbook.language
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise CoevalError(f"--out {out} is a file; give a folder")
    with Store.open(workbook.db_url) as store:
        inputs = ReviewInputs.read(workbook, store, project, period)
    data = ReviewData.build(inputs, audience)
    feedback = build_feedback(data, words(language))
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{path_part(project)}-{data.period.label.replace('/', '-').replace(' ', '-')}-feedback"
    stem += f"-{path_part(language)}" if language != ENGLISH_CODE else ""
    written = []
    for suffix, content in ((".html", feedback.html()), (".txt", feedback.text())):
        target = out / f"{stem}{suffix}"
        written.append(write_atomic(target, content))
    return written[0], written[1]
