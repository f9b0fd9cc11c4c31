"""The last sections of a quarterly review: how the scores are worked out, and the words used.
Both are written from the frameworks the page shows: their scales, and how each is presented."""

from __future__ import annotations

from coeval.disclosure import SUPPRESSED
from coeval.frameworks import Framework
from coeval.frameworks.model import PLACEMENT, PRINCIPLES, STATEMENTS
from coeval.html import Section
from coeval.review.data import ReviewBase
from coeval.text import escape


class AboutSections(ReviewBase):
    def method(self) -> Section:
        return Section(
            "method", "How the scores are worked out", method_sentences(self.data.frameworks)
        )

    def glossary(self) -> Section:
        terms = glossary(self.data.frameworks) | {
            SUPPRESSED: "A figure not shown because it is based on too few people to protect "
            "their privacy."
        }
        items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in terms.items())
        return Section("glossary", "Words used on this page", extra=f"<dl>{items}</dl>")


def method_sentences(frameworks: list[Framework]) -> list[str]:
    scales: dict[tuple[tuple[int, str], ...], list[str]] = {}
    for fw in frameworks:
        scales.setdefault(tuple((lv.value, lv.label) for lv in fw.scale), []).append(fw.short)
    answers = [
        f"{' and '.join(names)}: {len(scale)} steps, "
        + ", ".join(f"{value} {label}" for value, label in scale)
        for scale, names in scales.items()
    ]
    out = [
        "Each person answers on the framework's own scale ("
        + "; ".join(answers)
        + "), or Don't know. Don't know is counted but never scored.",
        "If someone answers the same question again in the quarter, their latest answer counts.",
        "Each item's score is the average of two averages: one for people with lived "
        "experience (carers, people who use services, family members) and one for the "
        "workforce (volunteers, staff, partners, commissioners). So both voices count "
        "equally, however many of each are in the room. Where the group agreed one answer "
        "together (a consensus), that answer is the score.",
    ]
    scored = [fw for fw in frameworks if fw.presentation != PLACEMENT]
    if scored:
        fw = scored[0]
        low, high = fw.scale_min, fw.scale_max
        example = low + (high - low) * 0.75
        out.append(
            "A section's score is the average of its items, shown as a percentage of the way "
            f"from the bottom of the scale to the top (on the {low} to {high} scale, "
            f"{example:g} is 75%). A framework's score is the average of its sections. "
            "Frameworks on different scales are never averaged together."
        )
    if any(fw.presentation == PLACEMENT for fw in frameworks):
        out.append(
            "A placement (one step of several, such as the steps of co-production) is the "
            "average of the steps people chose, or the step the group agreed, shown as the "
            "nearest step and its name, never as a percentage."
        )
    return out


def glossary(frameworks: list[Framework]) -> dict[str, str]:
    kinds = {fw.presentation for fw in frameworks}
    terms = {
        "Co-production": "People who use services, carers and staff working together as equals."
    }
    if PRINCIPLES in kinds:
        terms["Principle"] = (
            "One of a framework's principles of co-production; each is a section here."
        )
    if STATEMENTS in kinds:
        terms |= {
            "Theme": "One part of a framework of I and We statements; each is a section here.",
            "I statement": "What good care and support looks like to the person receiving it.",
            "We statement": "What an organisation does to make the I statements real.",
            "I minus We": "The I statements' score minus the We statements' score. Negative "
            "means the organisation rates itself above what people experience.",
        }
    if PLACEMENT in kinds:
        terms["Step"] = "Where a project is placed among a framework's steps (a placement)."
    return terms | {
        "Lived experience": "Carers, people who use services and family members.",
        "Workforce": "Volunteers, staff, partner organisations and commissioners.",
        "Gap": "The lived-experience average minus the workforce average for one item.",
        "Consensus": "One answer the group agreed together, used instead of individual answers.",
        "Don't know": "An answer that is counted but never scored.",
        "Raters": "The number of people who gave a score (not counting Don't know).",
        "Confidence": "Low when fewer than 5 people gave scores.",
        "Change": "The difference from last quarter's score, in percentage points.",
        "Percentage points": "The difference between two percentages (60% to 70% is 10 points).",
    }
