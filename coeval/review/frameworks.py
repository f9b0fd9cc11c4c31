"""The sections a framework gets from how its file says it is presented: principles on the
scale's words, I and We statement pairs per theme, or a placement (one step of several).
Nothing here knows any framework by name: a workbook's own framework gets exactly the sections
the built-in ones get."""

from __future__ import annotations

from typing import Any

import pandas as pd

from coeval import charts
from coeval.frameworks import Framework
from coeval.frameworks.model import PLACEMENT, PRINCIPLES, STATEMENTS
from coeval.html import Section, fmt, points, shown_numbers, table_html
from coeval.report import level_word, placement_score
from coeval.review.data import ReviewBase
from coeval.text import plural
from coeval.vocabulary import CONSENSUS


class Sections(list[Section]):
    """Several sections shown one after another (one per framework of a kind)."""

    def _repr_html_(self) -> str:
        return "".join(section.html() for section in self)

    def __repr__(self) -> str:
        return "\n".join(section.heading for section in self)


def section_id(fw: Framework, frameworks: list[Framework]) -> str:
    """A framework's own section's id: the first principles framework's is ``principles``;
    every other is named after its framework, so ids stay unique on the page."""
    first = next((f for f in frameworks if f.presentation == PRINCIPLES), None)
    return "principles" if fw is first else fw.id


def section_heading(fw: Framework) -> str:
    if fw.presentation == STATEMENTS:
        return f"{fw.title}: I and We statements"
    if fw.presentation == PLACEMENT:
        return f"{fw.title}: where we are"
    return fw.title


def plan_id(fw: Framework) -> str:
    return f"{fw.id}-plan"


def plan_heading(fw: Framework) -> str:
    return f"{fw.short} action plan"


class FrameworkSections(ReviewBase):
    def _of(self, presentation: str) -> list[Framework]:
        return [fw for fw in self.data.frameworks if fw.presentation == presentation]

    def principles(self) -> Sections:
        """Each principles framework: every principle placed on the scale's words."""
        return Sections(self._principles(fw) for fw in self._of(PRINCIPLES))

    def statements(self) -> Sections:
        """Each I and We statements framework: the two kinds side by side per theme."""
        return Sections(self._statements(fw) for fw in self._of(STATEMENTS))

    def placements(self) -> Sections:
        """Each placement framework: the step the group chose, and how people placed it."""
        return Sections(self._placement(fw) for fw in self._of(PLACEMENT))

    def _principles(self, fw: Framework) -> Section:
        doc = self.data.docs[fw.id]
        score_column = f"Score ({fw.scale_min} to {fw.scale_max})"
        rows = []
        for section in doc["sections"]:
            for item in section["items"]:
                shown = self._figure(item["score"], item["n_raters"])
                rows.append(
                    {
                        "Principle": item["title"],
                        score_column: shown,
                        "Level": level_word(doc["scale"], shown)
                        if isinstance(shown, float)
                        else "",
                        "Raters": self._count(item["n_raters"]),
                        "Don't know": self._count(item["dont_know"]),
                        "How decided": item["method"] or "",
                    }
                )
        frame = pd.DataFrame(rows)
        plotted = shown_numbers(frame, score_column)
        words = [level.label for level in fw.scale]
        summary = self._principles_summary(fw, plotted, score_column)
        svg = ""
        if len(plotted):
            chart = charts.level_dots(
                plotted,
                "Principle",
                score_column,
                [(level.value, level.label) for level in fw.scale],
                f"Each principle on the scale from {words[0]} to {words[-1]}",
            )
            svg = charts.to_svg(
                chart, f"Chart: {fw.short} on the scale from {words[0]} to {words[-1]}"
            )
        return Section(
            section_id(fw, self.data.frameworks),
            section_heading(fw),
            summary,
            svg,
            f"Each principle's score placed on the scale: {', '.join(words)}.",
            [
                table_html(
                    frame,
                    f"{fw.title} this quarter",
                    numeric=[score_column, "Raters", "Don't know"],
                )
            ],
        )

    def _principles_summary(self, fw: Framework, plotted: pd.DataFrame, column: str) -> list[str]:
        if not len(plotted):
            return ["No principle has a score that can be shown this quarter."]
        # "at the second-highest word or above": Established on the 0-to-4 scale
        levels = sorted(level.value for level in fw.scale)
        good = levels[-2] - 0.5
        reached = int((plotted[column] >= good).sum())
        low = plotted.sort_values(column, kind="stable").iloc[0]
        return [
            f"{reached} of the {len(plotted)} principles scored are at "
            f"{fw.label(levels[-2])} or above.",
            f"The principle furthest from {fw.label(levels[-1])} is "
            f"\u201c{low['Principle']}\u201d, at {low['Level']} ({fmt(low[column])}).",
        ]

    def _statements(self, fw: Framework) -> Section:
        doc = self.data.docs[fw.id]
        shorts = {s.id: s.short for s in fw.sections}
        rows, bars = [], []
        for section in doc["sections"]:
            i_pct, we_pct = _kind_means(fw, section)
            people = self.data.people[fw.id].get(section["id"], 0)
            i_shown, we_shown = self._figure(i_pct, people), self._figure(we_pct, people)
            rows.append(
                {
                    "Theme": section["title"],
                    "I statements (%)": i_shown,
                    "We statements (%)": we_shown,
                    "I minus We (points)": self._figure(section["i_minus_we"], people),
                }
            )
            for kind, value in (("I statements", i_shown), ("We statements", we_shown)):
                if isinstance(value, float):
                    bars.append({"theme": shorts[section["id"]], "kind": kind, "score": value})
        frame = pd.DataFrame(rows)
        svg = ""
        if bars:
            chart = charts.grouped_percent(
                pd.DataFrame(bars), "theme", "kind", "score", "I and We statement scores per theme"
            )
            svg = charts.to_svg(chart, f"Bar chart: {fw.short}, I and We statements per theme")
        return Section(
            section_id(fw, self.data.frameworks),
            section_heading(fw),
            _statements_summary(frame),
            svg,
            "For each theme, the average of its I statements (what people "
            "experience) and of its We statements (what the organisation does).",
            [
                table_html(
                    frame,
                    f"{fw.short} themes this quarter",
                    numeric=["I statements (%)", "We statements (%)", "I minus We (points)"],
                )
            ],
        )

    def _placement(self, fw: Framework) -> Section:
        doc = self.data.docs[fw.id]
        n = self.data.people[fw.id][""]
        step = placement_score(doc)
        (item,) = [i for s in doc["sections"] for i in s["items"]]
        shown = step is not None and self.audience.shows(n)
        if step is None:
            summary = [f"No one placed the project on {fw.title} this quarter."]
        elif not shown:
            summary = ["Too few people gave a placement to show it in this version."]
        else:
            people = plural(self._count(n), "person", "people")
            how = (
                "agreed together by the group"
                if item["method"] == CONSENSUS
                else (f"the average of {people}")
            )
            summary = [f"Where the project is now: {fw.step(step)} ({how})."]
        rows = [
            {
                "Step": f"{position} of {len(fw.scale)}",
                "Where": level.label,
                "What it means": level.help,
                "People who chose it": self._count(item["distribution"].get(str(level.value), 0))
                if shown
                else "*",
            }
            for position, level in enumerate(sorted(fw.scale, key=lambda lv: lv.value), 1)
        ]
        return Section(
            section_id(fw, self.data.frameworks),
            section_heading(fw),
            summary,
            tables=[
                table_html(
                    pd.DataFrame(rows), f"{fw.title}: each step", numeric=["People who chose it"]
                )
            ],
        )


def _kind_means(fw: Framework, section: dict[str, Any]) -> tuple[float | None, float | None]:
    """A theme's I statements and We statements, each as a percentage of the scale."""
    found: dict[str, list[float]] = {"i_statement": [], "we_statement": []}
    for item in section["items"]:
        if item["score"] is not None and item["kind"] in found:
            found[item["kind"]].append(fw.percent(item["score"]))
    means = [sum(v) / len(v) if v else None for v in found.values()]
    return means[0], means[1]


def _statements_summary(frame: pd.DataFrame) -> list[str]:
    summary = []
    gaps = shown_numbers(frame, "I minus We (points)")
    if len(gaps):
        below = int((gaps["I minus We (points)"] < 0).sum())
        widest = gaps.sort_values("I minus We (points)", kind="stable").iloc[0]
        summary.append(
            f"In {below} of the {len(gaps)} themes rated, people's experience "
            "(I statements) scored below what the organisation says it does "
            "(We statements)."
        )
        if widest["I minus We (points)"] < 0:
            summary.append(
                f"The widest gap is in {widest['Theme']}: {points(widest['I minus We (points)'])}."
            )
    not_rated = [
        theme
        for theme, i, we in zip(
            frame["Theme"], frame["I statements (%)"], frame["We statements (%)"], strict=True
        )
        if i is None and we is None
    ]
    if not_rated:
        summary.append(f"Not rated this quarter: {', '.join(not_rated)}.")
    return summary
