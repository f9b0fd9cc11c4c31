"""The quarterly review of one project: its data, gathered once, and each dashboard section.

A section is a heading, a plain-language summary worked out from the data, a chart and the
same data as a table. Every number passes through the audience's disclosure rules
(coeval.disclosure) before it is shown, charted or summarised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from coeval import charts, scoring
from coeval.config import LIVED_EXPERIENCE, WORKFORCE, Workbook
from coeval.dashboard import Header, Section, fmt, rows_where, shown_numbers, table_html
from coeval.disclosure import SUPPRESSED, Audience, redact
from coeval.frameworks import Framework
from coeval.periods import Period, parse_period
from coeval.report import build_document, level_word
from coeval.store import Project, Store

LOW_CONFIDENCE = 5  # fewer raters than this: the score is marked as low confidence
TREND_QUARTERS = 4
STATUS_WORDS = {
    "open": "Open",
    "in_progress": "In progress",
    "done": "Done",
    "not_possible": "Not possible",
}


def _people_word(n: int | str) -> str:
    return "1 person" if n == 1 else f"{n} people"


@dataclass
class ReviewData:
    """Everything one project's quarterly review shows, read from the store once."""

    project: Project
    period: Period
    audience: Audience
    frameworks: list[Framework]
    docs: dict[str, dict[str, Any]]  # framework id -> score document for this period
    people: dict[str, dict[str, int]]  # framework id -> section id (and "" overall) -> raters
    trend: pd.DataFrame  # period, framework, score, people
    actions: pd.DataFrame
    activities: pd.DataFrame
    reach: pd.DataFrame
    evidence: pd.DataFrame
    names: tuple[str, ...]

    @classmethod
    def load(
        cls,
        workbook: Workbook,
        store: Store,
        project: str,
        period: str,
        frameworks: list[str] | None,
        audience: str,
    ) -> ReviewData:
        settings = workbook.settings
        proj = store.project(project)
        known = workbook.frameworks()
        chosen = frameworks or list(proj.frameworks)
        this = parse_period(period, settings.period_scheme)
        periods = [this]
        for _ in range(TREND_QUARTERS - 1):
            periods.insert(0, periods[0].previous())
        labels = [p.label for p in periods]
        ratings = store.ratings(project=project, period=[*labels, periods[0].previous().label])
        fws = sorted((known[f] for f in chosen), key=_framework_order)
        cat = scoring.catalogue(fws)
        result = scoring.score(ratings, cat, settings.voices)
        docs = {
            fw.id: build_document(
                fw, project, this.label, ratings[ratings["framework"] == fw.id], result
            )
            for fw in fws
        }
        people, trend_rows = {}, []
        scored = scoring.latest(ratings)
        scored = scored[(scored["role"] != "group") & ~scored["dont_know"]]
        scored = scored.merge(cat[["framework", "item", "section"]], on=["framework", "item"])
        for fw in fws:
            mine = scored[scored["framework"] == fw.id]
            now = mine[mine["period"] == this.label]
            per_section = now.groupby("section")["rater"].nunique()
            counts = {str(k): int(v) for k, v in per_section.items()}
            counts[""] = int(now["rater"].nunique())
            people[fw.id] = counts
            for label in labels:
                row = result.frameworks[
                    (result.frameworks["framework"] == fw.id)
                    & (result.frameworks["period"] == label)
                ]
                n = int(mine.loc[mine["period"] == label, "rater"].nunique())
                score = float(row["score"].iloc[0]) if len(row) else None
                trend_rows.append(
                    {"period": label, "framework": fw.title, "score": score, "people": n}
                )
        actions = store.table("actions")
        actions = actions[(actions["project_id"] == project)]
        actions = rows_where(
            actions, (parse_period(p).start <= this.start for p in actions["period"])
        )
        activities = store.table("activities")
        activities = activities[
            (activities["project_id"] == project) & (activities["period"] == this.label)
        ]
        reach = store.table("activity_reach")
        reach = reach[reach["activity_id"].isin(activities["id"])]
        evidence = store.table("evidence")
        evidence = evidence[
            (evidence["project_id"] == project) & (evidence["period"] == this.label)
        ]
        return cls(
            proj,
            this,
            Audience.of(audience, settings.disclosure),
            fws,
            docs,
            people,
            pd.DataFrame(trend_rows),
            actions,
            activities,
            reach,
            evidence,
            settings.disclosure.redact_names,
        )


class QuarterlyReview:
    """The sections of a project's quarterly review, ready to display."""

    def __init__(self, data: ReviewData):
        self.data = data
        self.audience = data.audience

    @classmethod
    def load(
        cls,
        workbook: str | Workbook,
        project: str,
        period: str,
        frameworks: list[str] | None = None,
        audience: str = "internal",
    ) -> QuarterlyReview:
        book = workbook if isinstance(workbook, Workbook) else Workbook.open(workbook)
        with book.store() as store:
            return cls(ReviewData.load(book, store, project, period, frameworks, audience))

    @property
    def title(self) -> str:
        return f"Quarterly review: {self.data.project.name}, {self.data.period.label}"

    # -- helpers ----------------------------------------------------------------------------

    def _figure(self, value: Any, people: int) -> Any:
        return self.audience.figure(value, people)

    def _voice(self, item: dict[str, Any], voice: str) -> Any:
        found = item["voices"][voice]
        return found["mean"] if self.audience.shows_voice(found["n"]) else SUPPRESSED

    def _count(self, n: int) -> Any:
        return self.audience.count(int(n))

    def sections(self) -> list[Any]:
        """Every part of the page, in order."""
        parts: list[Any] = [self.header(), self.headline()]
        parts += [
            self.principles(),
            self.making_it_real(),
            self.voices(),
            self.trend(),
            self.actions(),
            self.reach(),
            self.evidence(),
            self.method(),
            self.glossary(),
        ]
        return [p for p in parts if p is not None]

    # -- sections -----------------------------------------------------------------------------

    def header(self) -> Header:
        d = self.data
        lines = [
            f"Project: {d.project.name}. Quarter: {d.period.label} "
            f"({d.period.start:%-d %B %Y} to {d.period.end:%-d %B %Y}).",
            f"Made on {datetime.now(UTC):%-d %B %Y}.",
        ]
        note = ""
        if self.audience.public:
            rules = self.audience.rules
            note = (
                f"Public version: figures based on fewer than {rules.public_min_people} "
                f"people are shown as {SUPPRESSED}, counts of people are rounded to the "
                f"nearest {rules.public_round_to}, and only comments people agreed to "
                "publish appear, with personal details removed."
            )
        ids = {f.id for f in self.data.frameworks}
        contents = [("headline", "Headline scores")]
        if "healthwatch-six" in ids:
            contents.append(("principles", "The six co-production principles"))
        if "making-it-real" in ids:
            contents.append(("making-it-real", "Making It Real: I and We statements"))
        contents += [
            ("voices", "Lived experience and workforce"),
            ("trend", "Over the last four quarters"),
            ("actions", "You said, we did"),
            ("reach", "Who we reached"),
            ("evidence", "What people told us"),
            ("method", "How the scores are worked out"),
            ("glossary", "Words used on this page"),
        ]
        return Header(self.title, lines, note, contents)

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
                f"{hidden} items are compared as {SUPPRESSED}: one voice had fewer "
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

    def actions(self) -> Section:
        a = self.data.actions.copy()
        end = self.data.period.end
        a["overdue"] = a["status"].isin(["open", "in_progress"]) & a["due_on"].map(
            lambda d: d is not None and d < end
        )
        counts = a["status"].map(STATUS_WORDS).value_counts()
        summary = []
        if len(a):
            parts = [f"{n} {str(word).lower()}" for word, n in counts.items()]
            summary.append(f"{len(a)} actions so far: {', '.join(parts)}.")
            overdue = int(a["overdue"].sum())
            if overdue:
                summary.append(f"{overdue} open actions are past their due date.")
            impossible = a[a["status"] == "not_possible"]
            if len(impossible):
                summary.append(
                    "Where an action was not possible, the reason is given below, as "
                    "it was fed back to the group."
                )
        else:
            summary.append("No actions have been recorded yet.")
        table = pd.DataFrame(
            {
                "You said": a["said"],
                "We will": a["action"],
                "Who (role)": a["owner_role"].str.replace("_", " "),
                "Due": a["due_on"].map(lambda d: f"{d:%-d %b %Y}" if d is not None else ""),
                "Status": [
                    STATUS_WORDS[s] + (" (overdue)" if o else "")
                    for s, o in zip(a["status"], a["overdue"], strict=True)
                ],
                "Reason or outcome": [
                    r or o or "" for r, o in zip(a["reason"], a["outcome"], strict=True)
                ],
                "Raised": a["period"],
            }
        )
        bars = counts.rename_axis("Status").reset_index(name="Actions")
        svg = ""
        if len(bars):
            chart = charts.count_bars(
                bars, "Status", "Actions", "Actions by status", title="Actions"
            )
            svg = charts.to_svg(chart, "Bar chart: actions by status")
        return Section(
            "actions",
            "You said, we did",
            summary,
            svg,
            "How many actions are open, in progress, done or not possible.",
            [table_html(table, "Actions agreed with the group")],
        )

    def reach(self) -> Section:
        acts, reach = self.data.activities, self.data.reach
        summary = []
        if len(acts):
            total = self._count(int(acts["participants"].sum()))
            new = self._count(int(acts["new_participants"].sum()))
            summary.append(
                f"{len(acts)} engagement activities this quarter reached "
                f"{_people_word(total)}, {new} of them new."
            )
        else:
            summary.append("No engagement activities were recorded this quarter.")
        by_method = (
            acts.groupby("method")
            .agg(activities=("id", "size"), people=("participants", "sum"))
            .reset_index()
        )
        by_role = reach.groupby("role")["count"].sum().reset_index()
        table_method = pd.DataFrame(
            {
                "Method": by_method["method"],
                "Activities": by_method["activities"],
                "People reached": by_method["people"].map(self._count),
            }
        )
        table_role = pd.DataFrame(
            {
                "Role": by_role["role"].str.replace("_", " "),
                "People reached": by_role["count"].map(self._count),
            }
        )
        plotted = shown_numbers(table_method, "People reached", int)
        svg = ""
        if len(plotted):
            chart = charts.count_bars(
                plotted,
                "Method",
                "People reached",
                "People reached by engagement method",
                title="People reached",
            )
            svg = charts.to_svg(chart, "Bar chart: people reached by engagement method")
        return Section(
            "reach",
            "Who we reached",
            summary,
            svg,
            "People reached this quarter by each way of engaging.",
            [
                table_html(
                    table_method, "Reach by method", numeric=["Activities", "People reached"]
                ),
                table_html(table_role, "Reach by role", numeric=["People reached"]),
            ],
        )

    def evidence(self) -> Section:
        ev = self.data.evidence
        consented = ev[ev["consent_to_publish"].astype(bool)]
        withheld = len(ev) - len(consented)
        summary = [
            f"{len(consented)} comments people agreed to share are shown below, with "
            "personal details removed."
        ]
        if withheld:
            summary.append(
                f"{self._count(withheld)} further comments were given without "
                "consent to publish and are not shown."
            )
        quotes = []
        for row in consented.to_dict("records"):
            text = redact(str(row["text"]), self.data.names)
            when = f"{row['recorded_at']:%-d %B %Y}" if row["recorded_at"] is not None else ""
            quotes.append(
                f"<blockquote><p>{_esc(text)}</p><footer>{_esc(row['method'])}"
                f"{', ' + when if when else ''}</footer></blockquote>"
            )
        return Section("evidence", "What people told us", summary, extra="".join(quotes))

    def method(self) -> Section:
        return Section(
            "method",
            "How the scores are worked out",
            [
                "Each person answers on a five-step scale: 0 Not yet, 1 Starting, 2 Developing, "
                "3 Established, 4 Embedded, or Don't know. Don't know is counted but never scored.",
                "If someone answers the same question again in the quarter, their latest answer "
                "counts.",
                "Each item's score is the average of two averages: one for people with lived "
                "experience (carers, people who use services, family members) and one for the "
                "workforce (volunteers, staff, partners, commissioners). So both voices count "
                "equally, however many of each are in the room. Where the group agreed one answer "
                "together (a consensus), that answer is the score.",
                "A section's score is the average of its items, shown as a percentage of the top "
                "of the scale (3 out of 4 is 75%). A framework's score is the average of its "
                "sections.",
            ],
        )

    def glossary(self) -> Section:
        terms = GLOSSARY | (
            {
                SUPPRESSED: "A figure not shown because it is based on too few "
                "people to protect their privacy."
            }
        )
        items = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in terms.items())
        return Section("glossary", "Words used on this page", extra=f"<dl>{items}</dl>")


GLOSSARY = {
    "Co-production": "People who use services, carers and staff working together as equals.",
    "Principle": "One of the six co-production principles; each is a section here.",
    "Theme": "One of the six parts of Making It Real; each is a section here.",
    "I statement": "What good care and support looks like to the person receiving it.",
    "We statement": "What an organisation does to make the I statements real.",
    "I minus We": "The I statements' score minus the We statements' score. Negative means the "
    "organisation rates itself above what people experience.",
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


def _esc(text: Any) -> str:
    from html import escape

    return escape(str(text))


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


_MAIN_FRAMEWORKS = ("healthwatch-six", "making-it-real", "scie-four", "our-voice")


def _framework_order(fw: Framework) -> tuple[int, str]:
    """The main frameworks first (the headline chart shows the first), then the rest by id."""
    main = _MAIN_FRAMEWORKS.index(fw.id) if fw.id in _MAIN_FRAMEWORKS else len(_MAIN_FRAMEWORKS)
    return main, fw.id
