"""Everything one project's quarterly review reads, read in one place.

The review is built from a :class:`ReviewInputs` alone, and ``coeval run`` decides whether a
page is stale from the digest of the same object (:meth:`ReviewInputs.digest`): whatever the
review reads is digested because it was read, never because someone remembered to list it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from coeval.config import Settings, Workbook
from coeval.digest import inputs_digest
from coeval.frameworks import Framework, load_frameworks
from coeval.periods import Period, parse_period
from coeval.practice.consultations import Consultation, latest_answers, load_consultations
from coeval.store import Project, Store

TREND_QUARTERS = 4


@dataclass(frozen=True)
class ReviewInputs:
    """One project's data for one quarter, its settings, frameworks and consultation files."""

    settings: Settings
    project: Project
    period: Period
    frameworks: tuple[Framework, ...]  # the project's, in the order the page shows them
    ratings: pd.DataFrame  # the trend's quarters and the one before (history included)
    actions: pd.DataFrame  # every action the project raised
    action_updates: pd.DataFrame  # every review of those actions
    action_told: pd.DataFrame  # each time the group was told one of their outcomes
    activities: pd.DataFrame  # this quarter's engagement activities
    reach: pd.DataFrame  # whom they reached, by role
    groups_reached: pd.DataFrame  # which seldom-heard groups they reached
    evidence: pd.DataFrame  # this quarter's evidence
    meetings: pd.DataFrame  # this quarter's meetings
    attendance: pd.DataFrame  # how many of each role came to them
    answers: pd.DataFrame  # latest consultation answers given during the quarter
    consultations: tuple[Consultation, ...]  # the consultations those answers are to

    @classmethod
    def read(
        cls,
        workbook: Workbook,
        store: Store,
        project: str,
        period: str,
        frameworks: list[str] | None = None,
    ) -> ReviewInputs:
        settings = workbook.settings
        proj = store.project(project)
        known = load_frameworks(workbook.frameworks_dir)
        this = parse_period(period, settings.period_scheme)
        trend = trend_periods(this)
        labels = [p.label for p in [trend[0].previous(), *trend]]
        ratings = store.ratings(project=project, period=labels)
        chosen = [known[f] for f in (frameworks or proj.frameworks)]
        actions = store.actions(project)
        activities = store.activities(project, this.label)
        meetings = store.meetings(project, this.label)
        answers = latest_answers(store.consultation_answers(project), this)
        consulted = set(answers["consultation"])
        files = load_consultations(workbook.consultations_dir)
        return cls(
            settings=settings,
            project=proj,
            period=this,
            frameworks=tuple(sorted(chosen, key=lambda fw: fw.order_key)),
            ratings=ratings,
            actions=actions,
            action_updates=store.action_updates(actions["id"]),
            action_told=store.action_told(actions["id"]),
            activities=activities,
            reach=store.activity_reach(activities["id"]),
            groups_reached=store.activity_groups(activities["id"]),
            evidence=store.evidence(project, this.label),
            meetings=meetings,
            attendance=store.attendance(meetings["id"]),
            answers=answers,
            consultations=tuple(c for c in files.values() if c.id in consulted),
        )

    def digest(self) -> str:
        return inputs_digest(self)


def trend_periods(period: Period) -> list[Period]:
    """The quarters of the trend chart, oldest first, ending with ``period``."""
    periods = [period]
    for _ in range(TREND_QUARTERS - 1):
        periods.insert(0, periods[0].previous())
    return periods
