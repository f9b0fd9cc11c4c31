"""The portfolio: every active project for one quarter, side by side."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd

from coeval import scoring
from coeval.config import Workbook
from coeval.disclosure import SUPPRESSED, Audience
from coeval.html import Header, Section, fmt, shown_numbers, table_html
from coeval.portfolio.compare import CompareSections
from coeval.portfolio.inputs import PortfolioInputs
from coeval.portfolio.practice import load_practice, practice_section
from coeval.store import Store
from coeval.vocabulary import GROUP_ROLE, INTERNAL


class Portfolio(CompareSections):
    """Scores for every active project in one quarter, with the sections of its page."""

    def __init__(self, inputs: PortfolioInputs, audience: str = INTERNAL):
        settings = inputs.settings
        self.period = inputs.period
        self.audience = Audience.of(audience, settings.disclosure)
        self.projects = [self.audience.project(p) for p in inputs.projects]
        self.practice_rows = load_practice(inputs, self.projects)
        self.frameworks = {fw.id: fw for fw in inputs.frameworks}
        cat = scoring.catalogue(inputs.frameworks)
        self.result = scoring.score(inputs.ratings, cat, settings.voices)
        current = scoring.latest(inputs.ratings)
        current = current[(current["role"] != GROUP_ROLE) & ~current["dont_know"]]
        self.people = current.groupby(["project", "period", "framework"])["rater"].nunique()
        self.names = {p.id: p.name for p in self.projects}
        self.groups = settings.groups

    @classmethod
    def load(cls, workbook: str | Workbook, period: str, audience: str = INTERNAL) -> Portfolio:
        book = workbook if isinstance(workbook, Workbook) else Workbook.open(workbook)
        with Store.open(book.db_url) as store:
            inputs = PortfolioInputs.read(book, store, period)
        return cls(inputs, audience)

    @property
    def title(self) -> str:
        return f"Portfolio: all projects, {self.period.label}"

    def _people(self, project: str, framework: str, period: str | None = None) -> int:
        key = (project, period or self.period.label, framework)
        return int(self.people.get(key, 0))

    def _now(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["period"] == self.period.label]

    def sections(self) -> list[Any]:
        return [
            self.header(),
            self.overview(),
            *self.multiples(),
            *self.placements(),
            self.movers(),
            self.voices(),
            self.practice(),
        ]

    def practice(self) -> Section:
        """Engagement reach and gaps, evidence, action plans and consultations, by project."""
        return practice_section(self.practice_rows, self.groups, self.audience, self.period)

    def header(self) -> Header:
        lines = [
            f"{len(self.projects)} active projects. Quarter: {self.period.label}.",
            f"Made on {datetime.now(UTC):%-d %B %Y}.",
        ]
        note = ""
        if self.audience.public:
            note = (
                f"Public version: figures based on fewer than "
                f"{self.audience.rules.public_min_people} people are shown as {SUPPRESSED}."
            )
        contents = [("overview", "All projects this quarter")]
        contents += [(f"compare-{fw.id}", f"Side by side: {fw.title}") for fw in self._compared()]
        if self._placed():
            contents.append(("placements", "Where projects are: placements"))
        contents += [
            ("movers", "Biggest movers since last quarter"),
            ("voices", "Where the voices disagree most"),
            ("practice", "Engagement, evidence and actions"),
        ]
        return Header(self.title, lines, note, contents)

    def overview(self) -> Section:
        rows = []
        scores = {
            (r["project"], r["framework"]): r
            for r in self._now(self.result.frameworks).to_dict("records")
        }
        for project in self.projects:
            for framework in project.frameworks:
                if framework not in self.frameworks:
                    continue
                fw, n = self.frameworks[framework], self._people(project.id, framework)
                row = None if fw.is_placement else scores.get((project.id, framework))
                rows.append(
                    {
                        "Project": project.name,
                        "Framework": fw.title,
                        "Score (%)": self.audience.figure(row["score"], n) if row else None,
                        "Change (points)": _nan_none(self.audience.figure(row["change"], n))
                        if row
                        else None,
                        "Where we are (placements)": self._where(project.id, fw),
                        "Items scored (%)": row["coverage"] * 100 if row else None,
                        "Raters": self.audience.count(n),
                    }
                )
        frame = pd.DataFrame(rows)
        scored = shown_numbers(frame, "Score (%)")
        summary = [
            f"{scored['Project'].nunique()} of {len(self.projects)} projects have scores "
            f"that can be shown for {self.period.label}."
        ]
        if len(scored):
            best = scored.sort_values("Score (%)", ascending=False, kind="stable").iloc[0]
            summary.append(
                f"The highest score is {best['Project']} on {best['Framework']} "
                f"({fmt(best['Score (%)'], 0)}%)."
            )
        return Section(
            "overview",
            "All projects this quarter",
            summary,
            tables=[
                table_html(
                    frame,
                    "Every project's framework scores",
                    numeric=["Score (%)", "Change (points)", "Items scored (%)", "Raters"],
                )
            ],
        )


def _nan_none(value: Any) -> Any:
    return None if isinstance(value, float) and pd.isna(value) else value
