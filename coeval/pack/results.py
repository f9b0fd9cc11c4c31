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
from coeval.i18n import ENGLISH, Words
from coeval.periods import Period
from coeval.review.data import ReviewData
from coeval.review.inputs import ReviewInputs
from coeval.store import Store
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
    workbook: Workbook,
    store: Store,
    project: str,
    period: Period,
    shown: Audience,
    said: Words = ENGLISH,
) -> Results:
    """The results of the quarter before ``period``, compared with the quarter before that."""
    _ = said.gettext
    last, before = period.previous(), period.previous().previous()
    data = ReviewData.build(ReviewInputs.read(workbook, store, project, last.label), shown.name)
    parts = tuple(p for fw in data.frameworks if (p := _part(data, fw, before, said)) is not None)
    if not parts:
        intro = _(
            "There are no results for {period}: no answers were recorded for that quarter, "
            "so there is nothing to report from it.",
            period=last.label,
        )
    else:
        start = said.date(last.start).rsplit(" ", 1)[0]  # the day and month
        intro = _(
            "These are the results from {period} ({start} to {end}), compared with "
            "{before} where we can.",
            period=last.label,
            start=start,
            end=said.date(last.end),
            before=before.label,
        )
    return Results(last.label, intro, parts)


def _part(data: ReviewData, fw: Framework, before: Period, said: Words) -> ResultPart | None:
    _ = said.gettext
    doc = data.docs[fw.id]
    items = [i for s in doc["sections"] for i in s["items"] if i["score"] is not None]
    if not items:
        return None
    people = data.people[fw.id].get("", 0)
    if not data.audience.shows(people):
        least = data.audience.rules.public_min_people
        return ResultPart(
            fw.title,
            (_("Fewer than {n} people answered, so these results are not shown.", n=least),),
        )
    answered = said.ngettext(
        "{n} person answered.", "{n} people answered.", data.audience.count(people)
    )
    if fw.is_placement:
        return ResultPart(fw.title, (answered, *_placement(data, fw, said)))
    overall = answered + " " + _("The overall score was {score}%", score=f"{doc['score']:.0f}")
    change = doc.get("change_since_previous")
    moved = _moved(doc["score"], change, said, before) if change is not None else ""
    overall += f" ({moved})." if change is not None else "."
    lowest, highest = fw.scale[0].label, fw.scale[-1].label
    overall += " " + _(
        "0% would mean “{lowest}” for every question, 100% “{highest}”.",
        lowest=lowest,
        highest=highest,
    )
    voices, bullets = _voices(data, fw, items, said)
    paragraphs = (
        overall,
        *_high_low(fw, items, said),
        _change(data, fw, doc, before, said),
        voices,
    )
    return ResultPart(fw.title, paragraphs, bullets)


def _score(fw: Framework, item: dict[str, Any], said: Words) -> str:
    return said.gettext(
        "{word} ({score} on a scale from {low} to {high})",
        word=fw.label(round(item["score"])),
        score=f"{item['score']:.1f}",
        low=fw.scale_min,
        high=fw.scale_max,
    )


def _high_low(fw: Framework, items: list[dict[str, Any]], said: Words) -> tuple[str, ...]:
    _ = said.gettext
    high = max(items, key=lambda i: i["score"])
    low = min(items, key=lambda i: i["score"])
    if len(items) == 1:
        return (
            _("“{title}” was rated {score}.", title=high["title"], score=_score(fw, high, said)),
        )
    return (
        _("Rated highest: “{title}”, {score}.", title=high["title"], score=_score(fw, high, said)),
        _("Rated lowest: “{title}”, {score}.", title=low["title"], score=_score(fw, low, said)),
    )


def _change(
    data: ReviewData, fw: Framework, doc: dict[str, Any], before: Period, said: Words
) -> str:
    """The theme whose score moved most since the quarter before."""
    moved = [
        s
        for s in doc["sections"]
        if s["change_since_previous"] is not None
        and s["score"] is not None
        and data.audience.shows(data.people[fw.id].get(s["id"], 0))
    ]
    _ = said.gettext
    quarter = before.label
    if not moved and doc.get("change_since_previous") is not None:
        return _(
            "No theme rated in {period} was rated again, so no theme can be compared.",
            period=quarter,
        )
    if not moved:
        return _("There are no results from {period} to compare with.", period=quarter)
    most = max(moved, key=lambda s: abs(s["change_since_previous"]))
    now, change = most["score"], most["change_since_previous"]
    if round(now) == round(now - change):
        return _("Every theme scored about the same as in {period}.", period=quarter)
    return _(
        "The biggest change since {period} was in “{title}”: {moved}, from {then}% to {now}%.",
        period=quarter,
        title=most["title"],
        moved=_moved(now, change, said),
        then=f"{now - change:.0f}",
        now=f"{now:.0f}",
    )


def _moved(now: float, change: float, said: Words, before: Period | None = None) -> str:
    """A change in percentage points as people say it, "up 3 points (since 2026Q1)",
    counted between the two scores as they are shown (whole numbers)."""
    _ = said.gettext
    size = round(now) - round(now - change)
    if size == 0:
        if before is None:
            return _("about the same")
        return _("about the same as in {period}", period=before.label)
    if before is None:
        if size > 0:
            return said.ngettext("up {n} point", "up {n} points", abs(size))
        return said.ngettext("down {n} point", "down {n} points", abs(size))
    if size > 0:
        return said.ngettext(
            "up {n} point since {period}",
            "up {n} points since {period}",
            abs(size),
            period=before.label,
        )
    return said.ngettext(
        "down {n} point since {period}",
        "down {n} points since {period}",
        abs(size),
        period=before.label,
    )


def _voices(
    data: ReviewData, fw: Framework, items: list[dict[str, Any]], said: Words
) -> tuple[str, tuple[str, ...]]:
    _ = said.gettext
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
            _(
                "Too few people of each voice (lived experience and workforce) answered the "
                "same questions to compare them."
            ),
            (),
        )
    apart = sorted((i for i in both if abs(i["gap"]) >= VOICE_GAP), key=lambda i: -abs(i["gap"]))
    if not apart:
        return (
            _(
                "People with lived experience and the workforce rated every question within "
                "one step of each other."
            ),
            (),
        )
    lines = tuple(
        _(
            "“{title}”: people with lived experience gave it {lived} on average, the "
            "workforce {workforce}.",
            title=i["title"],
            lived=f"{i['voices'][LIVED_EXPERIENCE]['mean']:.1f}",
            workforce=f"{i['voices'][WORKFORCE]['mean']:.1f}",
        )
        for i in apart[:VOICES_SHOWN]
    )
    lead = _(
        "Where people with lived experience and the workforce differ most (a step or more "
        "apart, on the scale from {low} to {high}):",
        low=fw.scale_min,
        high=fw.scale_max,
    )
    return lead, lines


def _placement(data: ReviewData, fw: Framework, said: Words) -> list[str]:
    """Where the group placed the work, and how that moved (in steps, never a percentage)."""
    steps = [s for s in data.trend[data.trend["framework"] == fw.id]["step"].tolist()]
    now = steps[-1] if steps else None
    if now is None or now != now:
        return []
    _ = said.gettext
    lines = [_("You placed the work at {step}.", step=fw.step(now))]
    if len(steps) > 1 and steps[-2] is not None and steps[-2] == steps[-2]:
        earlier = fw.step(steps[-2])
        lines.append(
            _("That is the same step as the quarter before.")
            if earlier == fw.step(now)
            else _("The quarter before, it was {step}.", step=earlier)
        )
    return lines
