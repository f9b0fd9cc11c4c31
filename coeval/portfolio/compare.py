"""The portfolio's comparisons: projects side by side on one framework, where each project is
on a placement, the biggest movers, and where the voices disagree. Like is compared with like:
percentages only among frameworks scored as percentages, steps only as steps, and voice gaps
only within one framework's own scale."""

from __future__ import annotations

import pandas as pd

from coeval import charts
from coeval.disclosure import SUPPRESSED, Audience
from coeval.frames import rows_where
from coeval.frameworks import Framework
from coeval.html import Section, change_words, fmt, table_html
from coeval.periods import Period
from coeval.review.frameworks import Sections
from coeval.scoring import Scores
from coeval.text import plural


class CompareSections:
    """Mixed into :class:`coeval.portfolio.Portfolio`, which sets these."""

    audience: Audience
    period: Period
    result: Scores
    frameworks: dict[str, Framework]
    names: dict[str, str]

    def _people(self, project: str, framework: str, period: str | None = None) -> int:
        raise NotImplementedError

    def _now(self, frame: pd.DataFrame) -> pd.DataFrame:
        raise NotImplementedError

    # -- which frameworks ---------------------------------------------------------------------

    def _shown_sections(self, fw: Framework) -> pd.DataFrame:
        """This quarter's section scores on ``fw`` that may be shown, projects with none left
        out (so no small chart is drawn empty)."""
        sections = self._now(self.result.sections)
        chosen = sections[(sections["framework"] == fw.id) & sections["score"].notna()]
        return rows_where(
            chosen, (self.audience.shows(self._people(p, fw.id)) for p in chosen["project"])
        )

    def _compared(self) -> list[Framework]:
        """Frameworks scored as percentages that two or more projects can be shown on."""
        return [
            fw
            for fw in self.frameworks.values()
            if not fw.is_placement and self._shown_sections(fw)["project"].nunique() >= 2
        ]

    def _placed(self) -> list[Framework]:
        return [fw for fw in self.frameworks.values() if fw.is_placement]

    def _step(self, project: str, fw: Framework, period: str) -> float | None:
        items = self.result.items
        found = items[
            (items["project"] == project)
            & (items["framework"] == fw.id)
            & (items["period"] == period)
            & items["score"].notna()
        ]
        return float(found["score"].iloc[0]) if len(found) else None

    def _where(self, project: str, fw: Framework) -> str:
        """A placement as a reader sees it ("Co-design, step 6 of 7"), or ""."""
        if not fw.is_placement:
            return ""
        step = self._step(project, fw, self.period.label)
        if step is None:
            return ""
        return fw.step(step) if self.audience.shows(self._people(project, fw.id)) else SUPPRESSED

    # -- sections -----------------------------------------------------------------------------

    def multiples(self) -> list[Section]:
        return [self._side_by_side(fw) for fw in self._compared()]

    def _side_by_side(self, fw: Framework) -> Section:
        shown = self._shown_sections(fw)
        titles = {s.id: s.title for s in fw.sections}
        shorts = {s.id: s.short for s in fw.sections}
        data = pd.DataFrame(
            {
                "project": shown["project"].map(self.names),
                "section": shown["section"].map(shorts),
                "score": shown["score"],
            }
        )
        chart = charts.small_multiples(
            data, "project", "section", "score", f"Section scores per project, {fw.title}"
        )
        table = (
            data.assign(section=shown["section"].map(titles))
            .pivot_table(
                index="section", columns="project", values="score", aggfunc="first", sort=False
            )
            .reset_index()
            .rename(columns={"section": "Section"})
        )
        return Section(
            f"compare-{fw.id}",
            f"Side by side: {fw.title}",
            [
                f"{data['project'].nunique()} projects use {fw.title}; each small chart shows "
                "one project's sections on the same scale."
            ],
            charts.to_svg(chart, f"Small bar charts: section scores per project, {fw.title}"),
            "One small chart per project, each section as a percentage.",
            [
                table_html(
                    table,
                    f"Section scores (%) per project, {fw.title}",
                    numeric=[c for c in table.columns if c != "Section"],
                )
            ],
        )

    def placements(self) -> Sections:
        """Where each project is on each placement framework, in steps."""
        placed = self._placed()
        if not placed:
            return Sections()
        rows, moved = [], []
        before_label = self.period.previous().label
        for fw in placed:
            for project_id, name in self.names.items():
                now = self._where(project_id, fw)
                if not now:
                    continue
                before = self._step(project_id, fw, before_label)
                step = self._step(project_id, fw, self.period.label)
                change = ""
                if now != SUPPRESSED and before is not None and step is not None:
                    change = change_words(step - before, "step", "since last quarter")
                    moved.append(f"{name}: {now}, {change}.")
                rows.append(
                    {"Project": name, "Framework": fw.title, "Where we are": now, "Change": change}
                )
        summary = [f"{plural(len(rows), 'project')} placed this quarter.", *moved[:5]]
        return Sections(
            [
                Section(
                    "placements",
                    "Where projects are: placements",
                    summary,
                    tables=[
                        table_html(
                            pd.DataFrame(
                                rows, columns=["Project", "Framework", "Where we are", "Change"]
                            ),
                            "Each project's step this quarter",
                        )
                    ],
                )
            ]
        )

    def movers(self) -> Section:
        now = self._now(self.result.frameworks)
        rows = []
        for r in now.to_dict("records"):
            project, framework = str(r["project"]), str(r["framework"])
            if self.frameworks[framework].is_placement:
                continue  # steps, not percentages: see the placements section
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
            summary.append(
                f"The biggest change: {top['Project']} went "
                f"{change_words(top['Change (points)'], 'point', 'on ' + top['Framework'])}."
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
        """The average voice gap per project on each framework: gaps are in steps of that
        framework's own scale, so frameworks on different scales are never averaged."""
        table = self._gaps()
        least = (
            self.audience.rules.public_min_people
            if self.audience.public
            else self.audience.rules.internal_min_raters
        )
        summary = []
        if len(table):
            top = table.iloc[0]
            side = "lower" if top["Average gap"] < 0 else "higher"
            summary.append(
                f"The voices disagree most in {top['Project']} on {top['Framework']}: on "
                f"average people with lived experience rate items "
                f"{fmt(abs(top['Average gap']), 1)} steps {side} than the workforce."
            )
        else:
            summary.append(f"No project has at least {least} raters from both voices on an item.")
        svg = ""
        if len(table):
            scale = table.iloc[0]["Scale"]
            same = table[table["Scale"] == scale]
            chart = charts.signed_bars(
                same.assign(label=same["Project"] + " – " + same["Framework"]),
                "label",
                "Average gap",
                "Average voice gap per project",
                f"Average gap, steps of the {scale} scale (lived experience minus workforce)",
            )
            svg = charts.to_svg(chart, "Bar chart: average voice gap per project")
        return Section(
            "voices",
            "Where the voices disagree most",
            summary,
            svg,
            "The average gap between lived experience and workforce per project, on one "
            "framework's scale at a time; negative means people with lived experience rate lower.",
            [
                table_html(
                    table,
                    "Voice gaps per project and framework, in steps of each framework's scale",
                    numeric=["Items compared", "Average gap", "Widest gap"],
                )
            ],
        )

    def _gaps(self) -> pd.DataFrame:
        items = self._now(self.result.items)
        least = (
            self.audience.rules.public_min_people
            if self.audience.public
            else self.audience.rules.internal_min_raters
        )
        both = items[items["gap"].notna()]
        both = both[(both["lived_experience_n"] >= least) & (both["workforce_n"] >= least)]
        frame = (
            both.assign(abs_gap=both["gap"].abs())
            .groupby(["project", "framework"])
            .agg(items=("item", "size"), mean_gap=("gap", "mean"), widest=("abs_gap", "max"))
            .reset_index()
            .sort_values("mean_gap", key=abs, ascending=False, kind="stable")
        )
        fws = frame["framework"].map(self.frameworks)
        return pd.DataFrame(
            {
                "Project": frame["project"].map(self.names),
                "Framework": [fw.short for fw in fws],
                "Scale": [f"{fw.scale_min} to {fw.scale_max}" for fw in fws],
                "Items compared": frame["items"],
                "Average gap": frame["mean_gap"],
                "Widest gap": frame["widest"],
            }
        )
