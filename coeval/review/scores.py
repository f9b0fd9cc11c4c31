"""The score sections of a quarterly review: headline, principles, Making It Real, voices
and trend."""

from __future__ import annotations

from typing import Any

import pandas as pd

from coeval import charts
from coeval.config import LIVED_EXPERIENCE, WORKFORCE
from coeval.disclosure import SUPPRESSED
from coeval.frameworks import Framework
from coeval.html import Section, fmt, plural, shown_numbers, table_html
from coeval.report import level_word
from coeval.review.data import LOW_CONFIDENCE, ReviewBase, _people_word


class ScoreSections(ReviewBase):
    def headline(self) -> Section:
        rows, sentences = [], []
        for fw in self.data.frameworks:
            doc = self.data.docs[fw.id]
            people = self.data.people[fw.id]
            n = people[""]
            score = self._figure(doc["score"], n)
            change = self._figure(doc["change_since_previous"], n)
            confidence = (
                "Low (fewer than 5 raters)"
                if 0 < n < LOW_CONFIDENCE
                else ("" if n else "No scores")
            )
            rows.append(
                {
                    "Framework": fw.title,
                    "Section": "Whole framework",
                    "Score (%)": score,
                    "Change (points)": change,
                    "Raters": self._count(n),
                    "Confidence": confidence,
                }
            )
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
            sentences.append(self._headline_sentence(fw, doc, score, change, n))
        frame = pd.DataFrame(rows)
        first = self.data.frameworks[0]
        bars = frame[(frame["Framework"] == first.title) & (frame["Section"] != "Whole framework")]
        bars = shown_numbers(bars, "Score (%)")
        svg = ""
        if len(bars):
            chart = charts.percent_bars(
                bars.rename(columns={"Score (%)": "score"}),
                "Section",
                "score",
                f"Section scores for {first.title}",
            )
            svg = charts.to_svg(chart, f"Bar chart: section scores, {first.title}")
        return Section(
            "headline",
            "Headline scores",
            sentences,
            svg,
            f"Each section of {first.title} as a percentage of the top of the scale. "
            "The same figures are in the table below.",
            [
                table_html(
                    frame,
                    "Scores this quarter, with the change since last quarter",
                    numeric=["Score (%)", "Change (points)", "Raters"],
                )
            ],
        )

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
            direction = "up" if change > 0 else "down" if change < 0 else "no change"
            text += (
                f", {direction} {fmt(abs(change), 0)} points since last quarter"
                if direction != "no change"
                else ", the same as last quarter"
            )
        text += f", from {_people_word(self._count(n))}."
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

    def principles(self) -> Section | None:
        fw = next((f for f in self.data.frameworks if f.id == "healthwatch-six"), None)
        if fw is None:
            return None
        doc = self.data.docs[fw.id]
        words = [lv.label for lv in fw.scale]
        rows = []
        for section in doc["sections"]:
            for item in section["items"]:
                shown = self._figure(item["score"], item["n_raters"])
                rows.append(
                    {
                        "Principle": item["title"],
                        "Score (0 to 4)": shown,
                        "Level": level_word(doc["scale"], shown)
                        if isinstance(shown, float)
                        else "",
                        "Raters": self._count(item["n_raters"]),
                        "Don't know": self._count(item["dont_know"]),
                        "How decided": item["method"] or "",
                    }
                )
        frame = pd.DataFrame(rows)
        plotted = shown_numbers(frame, "Score (0 to 4)")
        summary = []
        if len(plotted):
            established = int((plotted["Score (0 to 4)"] >= 2.5).sum())
            low = plotted.sort_values("Score (0 to 4)", kind="stable").iloc[0]
            summary.append(
                f"{established} of the {len(plotted)} principles scored are at "
                "Established or above."
            )
            summary.append(
                f"The principle furthest from embedded is \u201c{low['Principle']}\u201d, "
                f"at {low['Level']} ({fmt(low['Score (0 to 4)'])})."
            )
        else:
            summary.append("No principle has a score that can be shown this quarter.")
        svg = ""
        if len(plotted):
            chart = charts.level_dots(
                plotted,
                "Principle",
                "Score (0 to 4)",
                words,
                "Each principle on the scale from Not yet to Embedded",
            )
            svg = charts.to_svg(
                chart, "Chart: the six principles on the scale from Not yet to Embedded"
            )
        return Section(
            "principles",
            "The six co-production principles",
            summary,
            svg,
            "Each principle's score placed on the scale: Not yet, Starting, "
            "Developing, Established, Embedded.",
            [
                table_html(
                    frame,
                    "The six principles this quarter",
                    numeric=["Score (0 to 4)", "Raters", "Don't know"],
                )
            ],
        )

    def making_it_real(self) -> Section | None:
        fw = next((f for f in self.data.frameworks if f.id == "making-it-real"), None)
        if fw is None:
            return None
        doc = self.data.docs[fw.id]
        rows, bars = [], []
        for section in doc["sections"]:
            kinds: dict[str, list[float]] = {"i_statement": [], "we_statement": []}
            counts: dict[str, int] = {"i_statement": 0, "we_statement": 0}
            for item in section["items"]:
                if item["score"] is not None:
                    kinds[item["kind"]].append(item["score"] / 4 * 100)
                    counts[item["kind"]] = max(counts[item["kind"]], item["n_raters"])
            people = self.data.people[fw.id].get(section["id"], 0)
            i_pct = (
                sum(kinds["i_statement"]) / len(kinds["i_statement"])
                if kinds["i_statement"]
                else None
            )
            we_pct = (
                sum(kinds["we_statement"]) / len(kinds["we_statement"])
                if kinds["we_statement"]
                else None
            )
            i_shown, we_shown = self._figure(i_pct, people), self._figure(we_pct, people)
            gap = self._figure(section["i_minus_we"], people)
            rows.append(
                {
                    "Theme": section["title"],
                    "I statements (%)": i_shown,
                    "We statements (%)": we_shown,
                    "I minus We (points)": gap,
                }
            )
            for kind, value in (("I statements", i_shown), ("We statements", we_shown)):
                if isinstance(value, float):
                    bars.append({"theme": section["title"], "kind": kind, "score": value})
        frame = pd.DataFrame(rows)
        gaps = shown_numbers(frame, "I minus We (points)")
        summary = []
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
                    f"The widest gap is in {widest['Theme']}: "
                    f"{fmt(widest['I minus We (points)'], 0, sign=True)} points."
                )
        not_rated = [
            r["Theme"]
            for r in rows
            if r["I statements (%)"] is None and r["We statements (%)"] is None
        ]
        if not_rated:
            summary.append(f"Not rated this quarter: {', '.join(not_rated)}.")
        svg = ""
        if bars:
            chart = charts.grouped_percent(
                pd.DataFrame(bars), "theme", "kind", "score", "I and We statement scores per theme"
            )
            svg = charts.to_svg(chart, "Bar chart: I and We statement scores per theme")
        return Section(
            "making-it-real",
            "Making It Real: I and We statements",
            summary,
            svg,
            "For each theme, the average of its I statements (what people "
            "experience) and of its We statements (what the organisation does).",
            [
                table_html(
                    frame,
                    "Making It Real themes this quarter",
                    numeric=["I statements (%)", "We statements (%)", "I minus We (points)"],
                )
            ],
        )

    def voices(self) -> Section:
        rows = []
        for fw in self.data.frameworks:
            doc = self.data.docs[fw.id]
            top = doc["scale"][-1]["value"]
            for section in doc["sections"]:
                for item in section["items"]:
                    lived, work = self._voice(item, LIVED_EXPERIENCE), self._voice(item, WORKFORCE)
                    if item["gap"] is None:
                        continue
                    shown = isinstance(lived, float) and isinstance(work, float)
                    rows.append(
                        {
                            "Item": item["title"],
                            "Framework": fw.title,
                            "Lived experience": lived,
                            "Workforce": work,
                            "Gap": item["gap"] if shown else SUPPRESSED,
                            "_top": top,
                            "_abs": abs(item["gap"]) if shown else -1.0,
                        }
                    )
        frame = pd.DataFrame(
            rows,
            columns=["Item", "Framework", "Lived experience", "Workforce", "Gap", "_top", "_abs"],
        )
        frame = frame.sort_values("_abs", ascending=False, kind="stable")
        summary = []
        compared = frame[frame["_abs"] >= 0]
        if len(compared):
            first = compared.iloc[0]
            summary.append(_gap_sentence(first["Item"], first["Gap"]))
            lower = int((compared["Gap"] < 0).sum())
            summary.append(
                f"On {lower} of the {len(compared)} items both voices rated, people with "
                "lived experience gave lower scores than the workforce."
            )
        else:
            summary.append("No item has enough raters from both voices to compare them.")
        hidden = int((frame["_abs"] < 0).sum())
        if hidden:
            least = (
                self.audience.rules.public_min_people
                if self.audience.public
                else self.audience.rules.internal_min_raters
            )
            summary.append(
                f"{plural(hidden, 'item')} {'is' if hidden == 1 else 'are'} shown as "
                f"{SUPPRESSED}: one voice had fewer "
                f"than {least} raters."
            )
        svg = ""
        top_rows = compared.head(10)
        if len(top_rows):
            long = pd.concat(
                [
                    top_rows[["Item"]].assign(
                        voice="lived_experience", mean=top_rows["Lived experience"]
                    ),
                    top_rows[["Item"]].assign(voice="workforce", mean=top_rows["Workforce"]),
                ]
            )
            chart = charts.voices(
                long,
                "Item",
                int(top_rows["_top"].max()),
                "Lived experience and workforce averages per item",
            )
            svg = charts.to_svg(
                chart, "Chart: lived experience against workforce, largest gaps first"
            )
        table = frame.drop(columns=["_top", "_abs"])
        table["Gap"] = [fmt(g, sign=True) if isinstance(g, float) else g for g in table["Gap"]]
        return Section(
            "voices",
            "Lived experience and workforce",
            summary,
            svg,
            "Circles show the lived-experience average, squares the workforce "
            "average; the largest gaps come first.",
            [
                table_html(
                    table,
                    "Each voice's average per item, largest gaps first "
                    "(gap = lived experience minus workforce)",
                    numeric=["Lived experience", "Workforce", "Gap"],
                )
            ],
        )

    def trend(self) -> Section:
        frame = self.data.trend.copy()
        frame["shown"] = [
            self._figure(s, int(n)) if s is not None else None
            for s, n in zip(frame["score"], frame["people"], strict=True)
        ]
        plotted = shown_numbers(frame, "shown")
        summary = []
        for name, rows in plotted.groupby("framework", sort=False):
            if len(rows) >= 2:
                first, last = rows.iloc[0], rows.iloc[-1]
                change = last["shown"] - first["shown"]
                word = "rose" if change > 0 else "fell" if change < 0 else "stayed"
                summary.append(
                    f"{name} {word} from {fmt(first['shown'], 0)}% in "
                    f"{first['period']} to {fmt(last['shown'], 0)}% in "
                    f"{last['period']}."
                )
        if not summary:
            summary.append("There are not yet two quarters with scores to compare.")
        svg = ""
        if len(plotted):
            chart = charts.trend(
                plotted.rename(columns={"shown": "score_shown"})
                .drop(columns="score")
                .rename(columns={"score_shown": "score"}),
                "framework",
                "Framework scores over the last four quarters",
            )
            svg = charts.to_svg(chart, "Line chart: framework scores over the last four quarters")
        table = frame.pivot_table(
            index="period",
            columns="framework",
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


def _gap_sentence(item: str, gap: float) -> str:
    size = abs(gap)
    if size >= 0.95:
        amount = "a full level" if size < 1.5 else f"{size:.1f} levels"
    elif size >= 0.45:
        amount = "about half a level"
    else:
        amount = "a little"
    if gap < 0:
        return (
            f"People with lived experience rated \u201c{item}\u201d {amount} lower than "
            "the workforce did."
        )
    if gap > 0:
        return (
            f"People with lived experience rated \u201c{item}\u201d {amount} higher than "
            "the workforce did."
        )
    return f"Both voices gave \u201c{item}\u201d the same average score."
