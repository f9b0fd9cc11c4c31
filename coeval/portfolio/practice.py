"""The portfolio's view of practice: for every active project in the quarter, who was reached
(and which seldom-heard groups nobody reached), evidence gathered, how the action plans stand,
and consultation work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from coeval import charts
from coeval.disclosure import Audience
from coeval.html import Section, shown_numbers, table_html
from coeval.periods import Period
from coeval.portfolio.inputs import PortfolioInputs
from coeval.practice.actions import plan_as_of, told_back_share
from coeval.practice.engagement import reach_gaps
from coeval.store import Project
from coeval.text import plural
from coeval.vocabulary import DONE, FINISHED


@dataclass(frozen=True)
class PracticeRow:
    project: str
    activities: int
    reached: int
    new: int
    groups: tuple[str, ...]
    evidence: int
    shareable: int
    actions_open: int
    overdue: int
    done_this_quarter: int
    consultations: int
    done: int = 0  # every done action, whenever it was finished
    told_back: int = 0  # of those, the ones whose outcome the group was told


def load_practice(inputs: PortfolioInputs, projects: Sequence[Project]) -> list[PracticeRow]:
    """Each project's practice this quarter, from what the portfolio read."""
    period = inputs.period
    acts, groups, ev = inputs.activities, inputs.groups_reached, inputs.evidence
    consulted = inputs.answers.groupby("project")["consultation"].nunique()
    rows = []
    for project in projects:
        mine = acts[acts["project_id"] == project.id]
        reached = groups[groups["activity_id"].isin(mine["id"])]["group_name"]
        said = ev[ev["project_id"] == project.id]
        actions = inputs.actions[inputs.actions["project_id"] == project.id]
        updates = inputs.action_updates[inputs.action_updates["action_id"].isin(actions["id"])]
        told = inputs.action_told[inputs.action_told["action_id"].isin(actions["id"])]
        plan = plan_as_of(actions, updates, period, told=told)
        live = plan[~plan["status"].isin(FINISHED)]
        finished = plan[(plan["reviewed"] == period.label) & (plan["status"] == DONE)]
        rows.append(
            PracticeRow(
                project.name,
                len(mine),
                int(mine["participants"].sum()),
                int(mine["new_participants"].sum()),
                tuple(sorted(set(reached))),
                len(said),
                int(said["consent_to_publish"].astype(bool).sum()),
                len(live),
                int(plan["overdue"].sum()),
                len(finished),
                int(consulted.get(project.id, 0)),
                *reversed(told_back_share(plan)),
            )
        )
    return rows


def practice_section(
    rows: list[PracticeRow], groups: Sequence[str], audience: Audience, period: Period
) -> Section:
    table = pd.DataFrame(
        {
            "Project": [r.project for r in rows],
            "Activities": [r.activities for r in rows],
            "People reached": [audience.count(r.reached) for r in rows],
            "New people": [audience.count(r.new) for r in rows],
            "Seldom-heard groups reached": [len(r.groups) for r in rows],
            "Comments gathered": [audience.count(r.evidence) for r in rows],
            "Actions open": [r.actions_open for r in rows],
            "Overdue": [r.overdue for r in rows],
            "Done this quarter": [r.done_this_quarter for r in rows],
            "Done actions told back": [_share(r.told_back, r.done) for r in rows],
            "Consultations": [r.consultations for r in rows],
        }
    )
    summary = _summary(rows, groups, audience)
    plotted = shown_numbers(table[["Project", "People reached"]], "People reached", int)
    svg = ""
    if len(plotted):
        chart = charts.count_bars(
            plotted, "Project", "People reached", "People reached by each project", "People"
        )
        svg = charts.to_svg(chart, "Bar chart: people reached by each project this quarter")
    numeric = [c for c in table.columns if c not in ("Project", "Done actions told back")]
    return Section(
        "practice",
        "Engagement, evidence and actions",
        summary,
        svg,
        "People reached by each project's engagement activities this quarter.",
        [table_html(table, "Practice in every project this quarter", numeric=numeric)],
    )


def _share(told: int, done: int) -> str:
    """A share in words, like "3 of 4 (75%)"; a dash where no action is done yet."""
    return f"{told} of {done} ({round(100 * told / done)}%)" if done else "–"


def _summary(rows: list[PracticeRow], groups: Sequence[str], audience: Audience) -> list[str]:
    """The portfolio's practice in sentences: reach, gaps, overdue, finished, told back."""
    reached_any = {g for r in rows for g in r.groups}
    gaps = reach_gaps(sorted(reached_any), groups)
    total = sum(r.reached for r in rows)
    activities = plural(sum(r.activities for r in rows), "activity", "activities")
    people = plural(audience.count(total), "person", "people")
    summary = [f"Across {plural(len(rows), 'project')}, {activities} reached {people}."]
    if gaps:
        summary.append(f"No project reached: {', '.join(gaps)}.")
    else:
        summary.append("Every seldom-heard group on the workbook's list was reached by a project.")
    overdue = [r for r in rows if r.overdue]
    if overdue:
        summary.append(
            f"{plural(sum(r.overdue for r in overdue), 'action')} past the due date, in "
            + ", ".join(r.project for r in overdue)
            + "."
        )
    done = sum(r.done_this_quarter for r in rows)
    summary.append(f"{plural(done, 'action')} finished this quarter.")
    all_done, told = sum(r.done for r in rows), sum(r.told_back for r in rows)
    if all_done:
        summary.append(
            f"The groups have been told the outcome of {told} of "
            f"{plural(all_done, 'done action')} ({round(100 * told / all_done)}%)."
        )
        untold = [r.project for r in rows if r.told_back < r.done]
        if untold:
            summary.append(f"Outcomes still to tell back in: {', '.join(untold)}.")
    consulting = [r.project for r in rows if r.consultations]
    if consulting:
        summary.append(f"Groups that responded to a consultation: {', '.join(consulting)}.")
    return summary
