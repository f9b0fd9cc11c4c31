"""The sections of a quarterly review about practice: "You said, we did", reach, what people
told us, how scores are worked out, and the words used."""

from __future__ import annotations

from typing import Any

import pandas as pd

from coeval import charts
from coeval.disclosure import SUPPRESSED
from coeval.frameworks import Framework
from coeval.frameworks.model import STATEMENTS
from coeval.html import Section, shown_numbers, table_html
from coeval.practice.actions import (
    ORIGIN_WORDS,
    STATUS_WORDS,
    theme_plan,
    told_back_sentences,
    told_cell,
)
from coeval.practice.consultations import ANSWER_WORDS, STANCE_WORDS
from coeval.practice.engagement import method_words, reach_gaps
from coeval.practice.evidence import evidence_words, shown_text
from coeval.review.data import ReviewBase
from coeval.review.frameworks import Sections, plan_heading, plan_id
from coeval.text import escape, plural
from coeval.vocabulary import FINISHED, LIVED_EXPERIENCE, NOT_POSSIBLE, WORKFORCE


def _actions_summary(a: pd.DataFrame, counts: pd.Series) -> list[str]:
    """What the action plan says in sentences: how many, carried, overdue, told back."""
    summary: list[str] = []
    if len(a):
        parts = [f"{n} {str(word).lower()}" for word, n in counts.items()]
        summary.append(f"{plural(len(a), 'action')} so far: {', '.join(parts)}.")
        carried = int((a["carried"] & ~a["status"].isin(FINISHED)).sum())
        if carried:
            summary.append(
                f"{plural(carried, 'action')} from earlier quarters "
                f"{'is' if carried == 1 else 'are'} still being worked on."
            )
        overdue = int(a["overdue"].sum())
        if overdue:
            verb = "is" if overdue == 1 else "are"
            summary.append(f"{plural(overdue, 'open action')} {verb} past the due date.")
        if (a["status"] == NOT_POSSIBLE).any():
            summary.append(
                "Where an action was not possible, the reason is given below, as "
                "it was fed back to the group."
            )
        summary += told_back_sentences(a)
    else:
        summary.append("No actions have been recorded yet.")
    return summary


class PracticeSections(ReviewBase):
    def actions(self) -> Section:
        a = self.data.actions
        counts = a["status"].map(STATUS_WORDS).value_counts()
        summary = _actions_summary(a, counts)
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
                "Why not, or what changed": [
                    r or o or "" for r, o in zip(a["reason"], a["outcome"], strict=True)
                ],
                "Raised": a["period"],
                "Came from": [
                    ORIGIN_WORDS.get(o, "") if isinstance(o, str) else "" for o in a["origin"]
                ],
                "Last reviewed": a["reviewed"].map(lambda p: p or "not yet"),
                "Group told": [
                    told_cell(s, words) for s, words in zip(a["status"], a["told"], strict=True)
                ],
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

    def plans(self) -> Sections:
        """Each I and We statements framework's action plan: every theme, what people told
        us, what is being done, and how it stands."""
        return Sections(
            self._plan(fw) for fw in self.data.frameworks if fw.presentation == STATEMENTS
        )

    def _plan(self, fw: Framework) -> Section:
        plan = theme_plan(self.data.actions, fw)
        acted = plan[plan["insight"] != ""]["theme"].unique().tolist()
        missing = [s.title for s in fw.sections if s.title not in acted]
        summary = [
            f"{plural(len(acted), 'theme')} of {len(fw.sections)} "
            f"{'has' if len(acted) == 1 else 'have'} an action linked to its statements."
        ]
        if missing:
            summary.append(f"No action yet for: {', '.join(missing)}.")
        summary.append(
            "The plan is reviewed every quarter; each action's status is as it stood "
            f"at the end of {self.data.period.label}."
        )
        table = plan.rename(
            columns={
                "theme": "Theme",
                "insight": "What people told us",
                "action": "What we are doing",
                "status": "Status",
            }
        )
        return Section(
            plan_id(fw),
            plan_heading(fw),
            summary,
            tables=[table_html(table, f"{plan_heading(fw)}, by theme")],
        )

    def reach(self) -> Section:
        acts = self.data.activities
        summary = []
        if len(acts):
            total = self._count(int(acts["participants"].sum()))
            new = self._count(int(acts["new_participants"].sum()))
            summary.append(
                f"{plural(len(acts), 'engagement activity', 'engagement activities')} this "
                "quarter reached "
                f"{plural(total, 'person', 'people')}, {new} of them new."
            )
        else:
            summary.append("No engagement activities were recorded this quarter.")
        summary += self._attendance()
        hits = self.data.groups_reached.groupby("group_name")["activity_id"].nunique()
        gaps = reach_gaps(list(hits.index), self.data.groups)
        reached = [g for g in self.data.groups if g in hits.index]
        if reached:
            summary.append(f"Seldom-heard groups reached: {', '.join(reached)}.")
        if gaps:
            summary.append(f"Not reached this quarter: {', '.join(gaps)}.")
        table_groups, table_method, table_role = self._reach_tables(hits)
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
                table_html(table_groups, "Seldom-heard groups", numeric=["Activities"]),
            ],
        )

    def _reach_tables(self, hits: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Reach by seldom-heard group, by way of engaging and by role."""
        acts, reach = self.data.activities, self.data.reach
        table_groups = pd.DataFrame(
            {
                "Group": list(self.data.groups),
                "Reached": ["yes" if g in hits.index else "no" for g in self.data.groups],
                "Activities": [int(hits.get(g, 0)) for g in self.data.groups],
            }
        )
        by_method = (
            acts.groupby("method")
            .agg(activities=("id", "size"), people=("participants", "sum"))
            .reset_index()
        )
        by_role = reach.groupby("role")["count"].sum().reset_index()
        table_method = pd.DataFrame(
            {
                "Method": by_method["method"].map(method_words),
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
        return table_groups, table_method, table_role

    def _attendance(self) -> list[str]:
        """Who came to the group's meetings this quarter, by voice (counts, never names)."""
        came = self.data.attendance
        if not len(came):
            return []
        meetings = int(came["meeting_id"].nunique())
        voice = came["role"].map(lambda role: self.data.voices.get(role, ""))
        lived = int(came.loc[voice == LIVED_EXPERIENCE, "count"].sum())
        work = int(came.loc[voice == WORKFORCE, "count"].sum())
        total = self._count(lived + work)
        return [
            f"The group met {'once' if meetings == 1 else f'{meetings} times'} this quarter; "
            f"counted together, {plural(total, 'person', 'people')} came "
            f"({self._count(lived)} with lived experience, "
            f"{self._count(work)} from the workforce)."
        ]

    def evidence(self) -> Section:
        ev = self.data.evidence
        consented = ev[ev["consent_to_publish"].astype(bool)]
        withheld = len(ev) - len(consented)
        summary = [
            f"{plural(len(consented), 'comment')} that people agreed to share "
            f"{'is' if len(consented) == 1 else 'are'} shown below, with personal details removed."
        ]
        if withheld:
            shown = self._count(withheld)  # the words follow the number shown, not the count
            summary.append(
                f"{plural(shown, 'further comment')} {'was' if shown == 1 else 'were'} given "
                f"without consent to publish, so {'it is' if shown == 1 else 'they are'} not "
                "shown."
            )
        quotes = []
        for row in consented.to_dict("records"):
            text = shown_text(str(row["text"]), True, self.data.names)
            when = f"{row['recorded_at']:%-d %B %Y}" if row["recorded_at"] is not None else ""
            about = self._item_title(row.get("framework_id"), row.get("item_id"))
            source = ", ".join(filter(None, [evidence_words(row["method"]), when, about]))
            quotes.append(
                f"<blockquote><p>{_esc(text)}</p><footer>{_esc(source)}</footer></blockquote>"
            )
        return Section("evidence", "What people told us", summary, extra="".join(quotes))

    def consultations(self) -> Section:
        """The consultations the group gave its views on this quarter, and where it stood."""
        work = self.data.consultations
        if not work:
            return Section(
                "consultations",
                "Consultations",
                ["The group did not respond to a consultation this quarter."],
            )
        summary = [
            f"The group gave its views on {plural(len(work), 'consultation')} this quarter: "
            + "; ".join(
                f"{w.consultation.title} for {w.consultation.consulting} "
                f"({plural(self._count(w.people), 'person', 'people')})"
                for w in work
            )
            + "."
        ]
        tables = []
        for w in work:
            shown = self.audience.shows(w.people)
            if not shown:
                summary.append(
                    f"Too few people answered {w.consultation.title} to show how views were "
                    "spread in this version."
                )
            each = [shown and self.audience.shows(v.viewed) for v in w.views]
            rows = {
                "Question": [v.question.text for v in w.views],
                "Where the group stands": [
                    STANCE_WORDS[v.stance] if ok else SUPPRESSED
                    for v, ok in zip(w.views, each, strict=True)
                ],
            }
            for answer, words in ANSWER_WORDS.items():
                rows[words] = [
                    self._count(v.counts[answer]) if ok else SUPPRESSED
                    for v, ok in zip(w.views, each, strict=True)
                ]
            tables.append(
                table_html(
                    pd.DataFrame(rows),
                    f"{w.consultation.title}: the group's views",
                    numeric=list(ANSWER_WORDS.values()),
                )
            )
        summary.append(
            "A draft joint response, with the points people made and no personal details, is "
            "made with `coeval consultation respond`."
        )
        return Section("consultations", "Consultations", summary, tables=tables)

    def _item_title(self, framework: Any, item: Any) -> str:
        known = {f.id: f for f in self.data.frameworks}
        if isinstance(framework, str) and isinstance(item, str) and framework in known:
            fw = known[framework]
            return f"about “{fw.item(item).title}”" if fw.has_item(item) else ""
        return ""


def _esc(text: Any) -> str:
    return escape(str(text))
