"""Everything the portfolio reads, read in one place (as :mod:`coeval.review.inputs` is for a
project's review): the portfolio is built from a :class:`PortfolioInputs` alone, and
``coeval run`` decides whether its page is stale from the digest of the same object."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from coeval.config import Settings, Workbook
from coeval.digest import inputs_digest
from coeval.frameworks import Framework, load_frameworks
from coeval.periods import Period, parse_period
from coeval.practice.consultations import latest_answers
from coeval.store import Project, Store


@dataclass(frozen=True)
class PortfolioInputs:
    settings: Settings
    period: Period
    projects: tuple[Project, ...]  # the active ones
    frameworks: tuple[Framework, ...]  # those the active projects use
    ratings: pd.DataFrame  # this quarter's and the last, of the active projects
    activities: pd.DataFrame  # this quarter's
    groups_reached: pd.DataFrame
    evidence: pd.DataFrame  # this quarter's
    actions: pd.DataFrame
    action_updates: pd.DataFrame
    action_told: pd.DataFrame
    answers: pd.DataFrame  # latest consultation answers given during the quarter

    @classmethod
    def read(cls, workbook: Workbook, store: Store, period: str) -> PortfolioInputs:
        settings = workbook.settings
        this = parse_period(period, settings.period_scheme)
        projects = tuple(p for p in store.projects() if p.active)
        ids = [p.id for p in projects]
        known = load_frameworks(workbook.frameworks_dir)
        used = sorted({f for p in projects for f in p.frameworks if f in known})
        activities = store.activities(ids, this.label)
        actions = store.actions(ids)
        return cls(
            settings=settings,
            period=this,
            projects=projects,
            frameworks=tuple(sorted((known[f] for f in used), key=lambda fw: fw.order_key)),
            ratings=store.ratings(project=ids, period=[this.label, this.previous().label]),
            activities=activities,
            groups_reached=store.activity_groups(activities["id"]),
            evidence=store.evidence(ids, this.label),
            actions=actions,
            action_updates=store.action_updates(actions["id"]),
            action_told=store.action_told(actions["id"]),
            answers=latest_answers(store.consultation_answers(ids), this),
        )

    def digest(self) -> str:
        return inputs_digest(self)
