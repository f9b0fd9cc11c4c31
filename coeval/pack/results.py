"""Last quarter's results in words, for a pack: for each framework, how many answered and
the overall score, the questions rated highest and lowest, the biggest change from the
quarter before, and where lived experience and the workforce see things differently.

The numbers are the quarterly review's own (:class:`coeval.review.data.ReviewData`), under
the same disclosure rules as the feedback to the group: nothing based on too few people for
the audience, and a voice's figures only when enough people of that voice answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coeval.config import Workbook
from coeval.disclosure import Audience
from coeval.frameworks import Framework
from coeval.periods import Period
from coeval.review.data import ReviewData
from coeval.review.inputs import ReviewInputs
from coeval.store import Store
from coeval.text import plural
from coeval.vocabulary import LIVED_EXPERIENCE, WORKFORCE

#: Voices "differ" on a question when their average answers are a whole step apart or more.
VOICE_GAP = 1.0
VOICES_SHOWN = 3


@dataclass(frozen=True)
class ResultPart:
    """One framework's results: a heading, sentences, and the questions the voices differ on."""

    heading: str
    paragraphs: tuple[str, ...]
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Results:
    period: str  # last quarter's label
    intro: str
    parts: tuple[ResultPart, ...]

    @property
    def empty(self) -> bool:
        return not self.parts


def last_quarter(
    workbook: Workbook, store: Store, project: str, period: Period, shown: Audience
) -> Results:
    """The results of the quarter before ``period``, compared with the quarter before that."""
    last, before = period.previous(), period.previous().previous()
    data = ReviewData.build(ReviewInputs.read(workbook, store, project, last.label), shown.name)
    parts = tuple(p for fw in data.frameworks if (p := _part(data, fw, before)) is not None)
    if not parts:
        intro = (
            f"There are no results for {last.label}: no answers were recorded for that "
            "quarter, so there is nothing to report from it."
        )
    else:
        intro = (
            f"These are the results from {last.label} ({last.start:%-d %B} to "
            f"{last.end:%-d %B %Y}), compared with {before.label} where we can."
        )
    return Results(last.label, intro, parts)


def _part(data: ReviewData, fw: Framework, before: Period) -> ResultPart | None:
    doc = data.docs[fw.id]
    items = [i for s in doc["sections"] for i in s["items"] if i["score"] is not None]
    if not items:
        return None
    people = data.people[fw.id].get("", 0)
    if not data.audience.shows(people):
        least = data.audience.rules.public_min_people
        return ResultPart(
            fw.title, (f"Fewer than {least} people answered, so these results are not shown.",)
        )
    answered = plural(data.audience.count(people), "person", "people")
    if fw.is_placement:
        return ResultPart(fw.title, (f"{answered} answered.", *_placement(data, fw)))
    overall = f"{answered} answered. The overall score was {doc['score']:.0f}%"
    change = doc.get("change_since_previous")
    overall += f" ({_moved(doc['score'], change, before)})." if change is not None else "."
    lowest, highest = fw.scale[0].label, fw.scale[-1].label
    overall += f" 0% would mean “{lowest}” for every question, 100% “{highest}”."
    voices, bullets = _voices(data, fw, items)
    paragraphs = (overall, *_high_low(fw, items), _change(data, fw, doc, before), voices)
    return ResultPart(fw.title, paragraphs, bullets)


def _score(fw: Framework, item: dict[str, Any]) -> str:
    return (
        f"{fw.label(round(item['score']))} ({item['score']:.1f} on a scale from "
        f"{fw.scale_min} to {fw.scale_max})"
    )


def _high_low(fw: Framework, items: list[dict[str, Any]]) -> tuple[str, ...]:
    high = max(items, key=lambda i: i["score"])
    low = min(items, key=lambda i: i["score"])
    if len(items) == 1:
        return (f"“{high['title']}” was rated {_score(fw, high)}.",)
    return (
        f"Rated highest: “{high['title']}”, {_score(fw, high)}.",
        f"Rated lowest: “{low['title']}”, {_score(fw, low)}.",
    )


def _change(data: ReviewData, fw: Framework, doc: dict[str, Any], before: Period) -> str:
    """The theme whose score moved most since the quarter before."""
    moved = [
        s
        for s in doc["sections"]
        if s["change_since_previous"] is not None
        and s["score"] is not None
        and data.audience.shows(data.people[fw.id].get(s["id"], 0))
    ]
    if not moved and doc.get("change_since_previous") is not None:
        return f"No theme rated in {before.label} was rated again, so no theme can be compared."
    if not moved:
        return f"There are no results from {before.label} to compare with."
    most = max(moved, key=lambda s: abs(s["change_since_previous"]))
    now, change = most["score"], most["change_since_previous"]
    if round(now) == round(now - change):
        return f"Every theme scored about the same as in {before.label}."
    return (
        f"The biggest change since {before.label} was in “{most['title']}”: "
        f"{_moved(now, change)}, from {now - change:.0f}% to {now:.0f}%."
    )


def _moved(now: float, change: float, before: Period | None = None) -> str:
    """A change in percentage points as people say it, "up 3 points (since 2026Q1)",
    counted between the two scores as they are shown (whole numbers)."""
    size = round(now) - round(now - change)
    since = f" since {before.label}" if before is not None else ""
    if size == 0:
        return f"about the same as in {before.label}" if before is not None else "about the same"
    return f"{'up' if size > 0 else 'down'} {plural(abs(size), 'point')}{since}"


def _voices(
    data: ReviewData, fw: Framework, items: list[dict[str, Any]]
) -> tuple[str, tuple[str, ...]]:
    """Where lived experience and the workforce answered a step or more apart."""
    both = [
        i
        for i in items
        if i["gap"] is not None
        and all(
            i["voices"][v]["n"] > 0 and data.audience.shows_voice(i["voices"][v]["n"])
            for v in (LIVED_EXPERIENCE, WORKFORCE)
        )
    ]
    if not both:
        return (
            "Too few people of each voice (lived experience and workforce) answered the same "
            "questions to compare them.",
            (),
        )
    apart = sorted((i for i in both if abs(i["gap"]) >= VOICE_GAP), key=lambda i: -abs(i["gap"]))
    if not apart:
        return (
            "People with lived experience and the workforce rated every question within "
            "one step of each other.",
            (),
        )
    lines = tuple(
        f"“{i['title']}”: people with lived experience gave it "
        f"{i['voices'][LIVED_EXPERIENCE]['mean']:.1f} on average, the workforce "
        f"{i['voices'][WORKFORCE]['mean']:.1f}."
        for i in apart[:VOICES_SHOWN]
    )
    said = (
        f"Where people with lived experience and the workforce differ most (a step or more "
        f"apart, on the scale from {fw.scale_min} to {fw.scale_max}):"
    )
    return said, lines


def _placement(data: ReviewData, fw: Framework) -> list[str]:
    """Where the group placed the work, and how that moved (in steps, never a percentage)."""
    steps = [s for s in data.trend[data.trend["framework"] == fw.id]["step"].tolist()]
    now = steps[-1] if steps else None
    if now is None or now != now:
        return []
    lines = [f"You placed the work at {fw.step(now)}."]
    if len(steps) > 1 and steps[-2] is not None and steps[-2] == steps[-2]:
        earlier = fw.step(steps[-2])
        lines.append(
            "That is the same step as the quarter before."
            if earlier == fw.step(now)
            else f"The quarter before, it was {earlier}."
        )
    return lines
