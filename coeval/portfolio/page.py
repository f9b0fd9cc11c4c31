"""The portfolio: every active project for one quarter, side by side."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd

from coeval import charts, scoring
from coeval.config import Workbook
from coeval.disclosure import SUPPRESSED, Audience
from coeval.html import Header, Section, fmt, rows_where, shown_numbers, table_html
from coeval.periods import parse_period
from coeval.portfolio.practice import load_practice, practice_section


class Portfolio:
    """Scores for every active project in one quarter, with the sections of its page."""

    def __init__(self, workbook: Workbook, period: str, audience: str = "internal"):
        settings = workbook.settings
        self.period = parse_period(period, settings.period_scheme)
        self.audience = Audience.of(audience, settings.disclosure)
        known = workbook.frameworks()
        with workbook.store() as store:
            self.projects = [self.audience.project(p) for p in store.projects() if p.active]
            labels = [self.period.label, self.period.previous().label]
            ratings = store.ratings(period=labels)
            self.practice_rows = load_practice(store, self.projects, self.period)
        used = sorted({f for p in self.projects for f in p.frameworks if f in known})
        self.frameworks = {f: known[f] for f in used}
        cat = scoring.catalogue(self.frameworks.values())
        ratings = ratings[ratings["project"].isin([p.id for p in self.projects])]
        self.result = scoring.score(ratings, cat, settings.voices)
        current = scoring.latest(ratings)
        current = current[(current["role"] != "group") & ~current["dont_know"]]
        self.people = current.groupby(["project", "period", "framework"])["rater"].nunique()
        self.names = {p.id: p.name for p in self.projects}
        self.groups = settings.groups

    @classmethod
    def load(cls, workbook: str | Workbook, period: str, audience: str = "internal") -> Portfolio:
        book = workbook if isinstance(workbook, Workbook) else Workbook.open(workbook)
        return cls(book, period, audience)

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
        contents += [
            (f"compare-{f}", f"Side by side: {fw.title}")
            for f, fw in self.frameworks.items()
            if self._now(self.result.sections).query("framework == @f")["project"].nunique() >= 2
        ]
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
                n = self._people(project.id, framework)
                row = scores.get((project.id, framework))
                rows.append(
                    {
                        "Project": project.name,
                        "Framework": self.frameworks[framework].title,
                        "Score (%)": self.audience.figure(row["score"], n) if row else None,
                        "Change (points)": _nan_none(self.audience.figure(row["change"], n))
                        if row
                        else None,
                        "Items scored (%)": row["coverage"] * 100 if row else 0.0,
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

    def multiples(self) -> list[Section]:
        parts = []
        sections = self._now(self.result.sections)
        for fw_id, fw in self.frameworks.items():
            chosen = sections[sections["framework"] == fw_id]
            if chosen["project"].nunique() < 2:
                continue
            titles = {s.id: s.title for s in fw.sections}
            shown = rows_where(
                chosen, (self.audience.shows(self._people(p, fw_id)) for p in chosen["project"])
            )
            data = pd.DataFrame(
                {
                    "project": shown["project"].map(self.names),
                    "section": shown["section"].map(titles),
                    "score": shown["score"],
                }
            )
            chart = charts.small_multiples(
                data, "project", "section", "score", f"Section scores per project, {fw.title}"
            )
            table = data.pivot_table(
                index="section", columns="project", values="score", aggfunc="first", sort=False
            ).reset_index()
            table = table.rename(columns={"section": "Section"})
            parts.append(
                Section(
                    f"compare-{fw_id}",
                    f"Side by side: {fw.title}",
                    [
                        f"{data['project'].nunique()} projects use {fw.title}; each small "
                        "chart shows one project's sections on the same scale."
                    ],
                    charts.to_svg(
                        chart, f"Small bar charts: section scores per project, {fw.title}"
                    ),
                    "One small chart per project, each section as a percentage.",
                    [
                        table_html(
                            table,
                            f"Section scores (%) per project, {fw.title}",
                            numeric=[c for c in table.columns if c != "Section"],
                        )
                    ],
                )
            )
        return parts

    def movers(self) -> Section:
        now = self._now(self.result.frameworks)
        rows = []
        for r in now.to_dict("records"):
            project, framework = str(r["project"]), str(r["framework"])
            n = self._people(project, framework)
            before = self._people(project, framework, self.period.previous().label)
            if pd.isna(r["change"]) or not (self.audience.shows(n) and self.audience.shows(before)):
                continue
            rows.append(
                {
                    "Project": self.names[project],
                    "Framework": self.frameworks[framework].title,
                    "Change (points)": float(r["change"]),
                }
            )
        frame = pd.DataFrame(rows, columns=["Project", "Framework", "Change (points)"])
        frame = frame.reindex(frame["Change (points)"].abs().sort_values(ascending=False).index)
        summary = []
        if len(frame):
            top = frame.iloc[0]
            word = "rose" if top["Change (points)"] > 0 else "fell"
            summary.append(
                f"The biggest change: {top['Project']} {word} "
                f"{fmt(abs(top['Change (points)']), 0)} points on "
                f"{top['Framework']}."
            )
        else:
            summary.append("No project has scores in both this quarter and the last.")
        svg = ""
        if len(frame):
            data = frame.head(10).assign(label=lambda f: f["Project"] + " – " + f["Framework"])
            chart = charts.signed_bars(
                data, "label", "Change (points)", "Change since last quarter", "Change (points)"
            )
            svg = charts.to_svg(chart, "Bar chart: biggest changes since last quarter")
        return Section(
            "movers",
            "Biggest movers since last quarter",
            summary,
            svg,
            "Change in framework score since last quarter, in percentage points.",
            [
                table_html(
                    frame, "Change since last quarter, largest first", numeric=["Change (points)"]
                )
            ],
        )

    def voices(self) -> Section:
        items = self._now(self.result.items)
        both = items[items["gap"].notna()]
        least = (
            self.audience.rules.public_min_people
            if self.audience.public
            else self.audience.rules.internal_min_raters
        )
        both = both[(both["lived_experience_n"] >= least) & (both["workforce_n"] >= least)]
        frame = (
            both.assign(abs_gap=both["gap"].abs())
            .groupby("project")
            .agg(items=("item", "size"), mean_gap=("gap", "mean"), widest=("abs_gap", "max"))
            .reset_index()
            .sort_values("mean_gap", key=abs, ascending=False)
        )
        table = pd.DataFrame(
            {
                "Project": frame["project"].map(self.names),
                "Items compared": frame["items"],
                "Average gap": frame["mean_gap"],
                "Widest gap": frame["widest"],
            }
        )
        summary = []
        if len(table):
            top = table.iloc[0]
            side = "lower" if top["Average gap"] < 0 else "higher"
            summary.append(
                f"The voices disagree most in {top['Project']}: on average people "
                f"with lived experience rate items {fmt(abs(top['Average gap']), 1)} "
                f"levels {side} than the workforce."
            )
        else:
            summary.append(f"No project has at least {least} raters from both voices on an item.")
        svg = ""
        if len(table):
            chart = charts.signed_bars(
                table,
                "Project",
                "Average gap",
                "Average voice gap per project",
                "Average gap (lived experience minus workforce)",
            )
            svg = charts.to_svg(chart, "Bar chart: average voice gap per project")
        return Section(
            "voices",
            "Where the voices disagree most",
            summary,
            svg,
            "The average gap between lived experience and workforce per project; "
            "negative means people with lived experience rate lower.",
            [
                table_html(
                    table,
                    "Voice gaps per project (on the 0 to 4 scale)",
                    numeric=["Items compared", "Average gap", "Widest gap"],
                )
            ],
        )


def _nan_none(value: Any) -> Any:
    return None if isinstance(value, float) and pd.isna(value) else value
