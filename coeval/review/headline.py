"""The headline and trend sections of a quarterly review: each framework's score (or, for a
placement, its step), the change since last quarter, and the last four quarters."""

from __future__ import annotations

from typing import Any

import pandas as pd

from coeval import charts
from coeval.disclosure import SUPPRESSED
from coeval.frameworks import Framework
from coeval.html import Section, change_words, fmt, shown_numbers, table_html
from coeval.report import placement_score
from coeval.review.data import LOW_CONFIDENCE, ReviewBase
from coeval.text import plural
from coeval.vocabulary import FINISHED


class HeadlineSections(ReviewBase):
    def headline(self) -> Section:
        rows, sentences = [], []
        for fw in self.data.frameworks:
            if fw.is_placement:
                sentences.append(self._placement_sentence(fw))
                continue
            rows += self._headline_rows(fw)
            doc, n = self.data.docs[fw.id], self.data.people[fw.id][""]
            score = self._figure(doc["score"], n)
            change = self._figure(doc["change_since_previous"], n)
            sentences.append(self._headline_sentence(fw, doc, score, change, n))
        columns = ["Framework", "Section", "Score (%)", "Change (points)", "Raters", "Confidence"]
        frame = pd.DataFrame(rows, columns=columns)
        tables = []
        if len(frame):
            tables.append(
                table_html(
                    frame,
                    "Scores this quarter, with the change since last quarter",
                    numeric=["Score (%)", "Change (points)", "Raters"],
                )
            )
        if self.data.placements():
            tables.append(self._steps_table())
        svg, caption = self._headline_chart(frame)
        return Section("headline", "Headline scores", sentences, svg, caption, tables)

    def _headline_rows(self, fw: Framework) -> list[dict[str, Any]]:
        doc, people = self.data.docs[fw.id], self.data.people[fw.id]
        n = people[""]
        rows = [
            {
                "Framework": fw.title,
                "Section": "Whole framework",
                "Score (%)": self._figure(doc["score"], n),
                "Change (points)": self._figure(doc["change_since_previous"], n),
                "Raters": self._count(n),
                "Confidence": "Low (fewer than 5 raters)"
                if 0 < n < LOW_CONFIDENCE
                else ("" if n else "No scores"),
            }
        ]
        for section in doc["sections"]:
            m = people.get(section["id"], 0)
            rows.append(
                {
                    "Framework": fw.title,
                    "Section": section["title"],
                    "Score (%)": self._figure(section["score"], m),
                    "Change (points)": self._figure(section["change_since_previous"], m),
                    "Raters": self._count(m),
                    "Confidence": "Low" if 0 < m < LOW_CONFIDENCE else "",
                }
            )
        return rows

    def _headline_chart(self, frame: pd.DataFrame) -> tuple[str, str]:
        scored = self.data.scored()
        if not scored:
            return "", ""
        first = scored[0]
        shorts = {s.title: s.short for s in first.sections}
        bars = frame[(frame["Framework"] == first.title) & (frame["Section"] != "Whole framework")]
        bars = shown_numbers(bars, "Score (%)")
        if not len(bars):
            return "", ""
        plotted = bars.assign(Section=bars["Section"].map(shorts)).rename(
            columns={"Score (%)": "score"}
        )
        chart = charts.percent_bars(
            plotted, "Section", "score", f"Section scores for {first.title}"
        )
        svg = charts.to_svg(chart, f"Bar chart: section scores, {first.title}")
        caption = (
            f"Each section of {first.title} as a percentage of the way from the bottom of its "
            "scale to the top. The same figures, with each section's full name, are in the "
            "table below."
        )
        return svg, caption

    def _headline_sentence(
        self, fw: Framework, doc: dict[str, Any], score: Any, change: Any, n: int
    ) -> str:
        if doc["score"] is None:
            return f"{fw.title}: no scores this quarter."
        if score == SUPPRESSED:
            return (
                f"{fw.title}: fewer than {self.audience.rules.public_min_people} people gave "
                "scores, so the score is not shown."
            )
        text = f"{fw.title}: {fmt(score, 0)}% this quarter"
        if isinstance(change, float):
            text += ", " + change_words(change, "point", "since last quarter")
        text += f", from {plural(self._count(n), 'person', 'people')}."
        shown = [
            s
            for s in doc["sections"]
            if s["score"] is not None
            and self.audience.shows(self.data.people[fw.id].get(s["id"], 0))
        ]
        if len(shown) > 1:
            best = max(shown, key=lambda s: s["score"])
            worst = min(shown, key=lambda s: s["score"])
            text += (
                f" Highest: {best['title']} ({fmt(best['score'], 0)}%). "
                f"Lowest: {worst['title']} ({fmt(worst['score'], 0)}%)."
            )
        if 0 < n < LOW_CONFIDENCE:
            text += " Fewer than 5 people gave scores, so treat this with caution."
        return text

    def _placement_sentence(self, fw: Framework) -> str:
        """ "<framework title>: Co-design, step 6 of 7, up 1 step since last
        quarter, from 12 people." A placement is never a percentage."""
        n = self.data.people[fw.id][""]
        step = placement_score(self.data.docs[fw.id])
        if step is None:
            return f"{fw.title}: no placement this quarter."
        if not self.audience.shows(n):
            return (
                f"{fw.title}: fewer than {self.audience.rules.public_min_people} people gave "
                "a placement, so it is not shown."
            )
        text = f"{fw.title}: {fw.step(step)}"
        before = self._steps(fw)
        if len(before) >= 2 and before[-2] is not None:
            text += ", " + change_words(step - before[-2], "step", "since last quarter")
        return text + f", from {plural(self._count(n), 'person', 'people')}."

    def _steps(self, fw: Framework) -> list[float | None]:
        """A placement's step in each quarter of the trend, oldest first."""
        rows = self.data.trend[self.data.trend["framework"] == fw.id]
        return [None if pd.isna(s) else float(s) for s in rows["step"]]

    def _steps_table(self) -> str:
        rows = []
        for fw in self.data.placements():
            trend = self.data.trend[self.data.trend["framework"] == fw.id]
            for period, step, n in zip(
                trend["period"], trend["step"], trend["people"], strict=True
            ):
                shown = not pd.isna(step) and self.audience.shows(int(n))
                rows.append(
                    {
                        "Framework": fw.title,
                        "Quarter": period,
                        "Where we are": fw.step(step)
                        if shown
                        else ("" if pd.isna(step) else SUPPRESSED),
                        "People": self._count(int(n)),
                    }
                )
        return table_html(
            pd.DataFrame(rows), "Placements over the last four quarters", numeric=["People"]
        )

    def index_summary(self) -> dict[str, Any]:
        """What the quarter's index page says of this project: each framework's headline
        (score or step), its change since last quarter and how many people gave it, and the
        open and overdue actions; every figure as this page's audience may see it."""
        rows = [self._index_row(fw) for fw in self.data.frameworks]
        plan = self.data.actions
        return {
            "frameworks": rows,
            "open_actions": int((~plan["status"].isin(FINISHED)).sum()),
            "overdue_actions": int(plan["overdue"].sum()),
        }

    def _index_row(self, fw: Framework) -> dict[str, Any]:
        doc, n = self.data.docs[fw.id], self.data.people[fw.id][""]
        row: dict[str, Any] = {"framework": fw.title, "people": self._count(n), "change": ""}
        if fw.is_placement:
            step, steps = placement_score(doc), self._steps(fw)
            if step is None:
                return row | {"headline": "No placement this quarter"}
            if not self.audience.shows(n):
                return row | {"headline": SUPPRESSED}
            if len(steps) >= 2 and steps[-2] is not None:
                row["change"] = change_words(step - steps[-2], "step", "since last quarter")
            return row | {"headline": fw.step(step)}
        if doc["score"] is None:
            return row | {"headline": "No scores this quarter"}
        score = self._figure(doc["score"], n)
        change = self._figure(doc["change_since_previous"], n)
        if isinstance(change, float):
            row["change"] = change_words(change, "point", "since last quarter")
        return row | {"headline": f"{fmt(score, 0)}%" if isinstance(score, float) else score}

    def trend(self) -> Section:
        frame = self.data.trend
        frame = frame[frame["framework"].isin([fw.id for fw in self.data.scored()])].copy()
        frame["shown"] = [
            self._figure(s, int(n)) if not pd.isna(s) else None
            for s, n in zip(frame["score"], frame["people"], strict=True)
        ]
        plotted = shown_numbers(frame, "shown")
        summary = []
        for name, rows in plotted.groupby("title", sort=False):
            if len(rows) >= 2:
                first, last = rows.iloc[0], rows.iloc[-1]
                change = last["shown"] - first["shown"]
                word = "rose" if change > 0 else "fell" if change < 0 else "stayed"
                summary.append(
                    f"{name} {word} from {fmt(first['shown'], 0)}% in "
                    f"{first['period']} to {fmt(last['shown'], 0)}% in {last['period']}."
                )
        if not summary:
            summary.append("There are not yet two quarters with scores to compare.")
        if self.data.placements():
            summary.append("Placements (one step of several) are in the headline section's table.")
        svg = ""
        if len(plotted):
            chart = charts.trend(
                plotted[["period", "title", "shown"]].rename(columns={"shown": "score"}),
                "title",
                "Framework scores over the last four quarters",
            )
            svg = charts.to_svg(chart, "Line chart: framework scores over the last four quarters")
        table = frame.pivot_table(
            index="period",
            columns="title",
            values="shown",
            aggfunc="first",
            sort=False,
            dropna=False,
        )
        table = table.reset_index().rename(columns={"period": "Quarter"})
        return Section(
            "trend",
            "Over the last four quarters",
            summary,
            svg,
            "Each framework's score per quarter; each line has its own marker shape.",
            [
                table_html(
                    table,
                    "Framework scores (%) per quarter",
                    numeric=[c for c in table.columns if c != "Quarter"],
                )
            ],
        )
