"""A project's quarterly review data, read from the store once, and the disclosure helpers
every section uses. The sections themselves are in review_scores and review_practice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from coeval import scoring
from coeval.config import Workbook
from coeval.disclosure import SUPPRESSED, Audience
from coeval.frameworks import Framework
from coeval.html import rows_where
from coeval.periods import Period, parse_period
from coeval.practice.actions import action_plan
from coeval.practice.consultations import Consultation, QuestionView, answers, views
from coeval.report import build_document
from coeval.store import Project, Store

#: The free text of an action and of an activity: what the audience's rules apply to.
ACTION_TEXT = ("said", "action", "reason", "outcome")
ACTIVITY_TEXT = ("theme", "notes")
LOW_CONFIDENCE = 5  # fewer raters than this: the score is marked as low confidence
TREND_QUARTERS = 4


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
    groups_reached: pd.DataFrame  # activity_id, group_name: this quarter's activities
    groups: tuple[str, ...]  # the workbook's seldom-heard groups
    consultations: list[ConsultationWork]  # the group's views given this quarter

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
        shown = Audience.of(audience, settings.disclosure)
        actions = shown.texts(action_plan(store, project, this), ACTION_TEXT)
        activities = store.table("activities")
        activities = activities[
            (activities["project_id"] == project) & (activities["period"] == this.label)
        ]
        reach = store.table("activity_reach")
        reach = reach[reach["activity_id"].isin(activities["id"])]
        groups = store.table("activity_groups")
        groups = groups[groups["activity_id"].isin(activities["id"])]
        evidence = store.table("evidence")
        evidence = evidence[
            (evidence["project_id"] == project) & (evidence["period"] == this.label)
        ]
        return cls(
            shown.project(proj),
            this,
            shown,
            fws,
            docs,
            people,
            pd.DataFrame(trend_rows),
            actions,
            shown.texts(activities, ACTIVITY_TEXT),
            reach,
            evidence,
            settings.disclosure.redact_names,
            groups,
            settings.groups,
            consultation_work(workbook, store, project, this),
        )


@dataclass(frozen=True)
class ConsultationWork:
    consultation: Consultation
    views: list[QuestionView]
    people: int


def consultation_work(
    workbook: Workbook, store: Store, project: str, period: Period
) -> list[ConsultationWork]:
    """The consultations this project's group gave views on during the quarter."""
    work = []
    for consultation in workbook.consultations().values():
        given = answers(store, consultation.id, project)
        given = rows_where(given, (period.contains(t.date()) for t in given["recorded_at"]))
        if len(given):
            names = workbook.settings.disclosure.redact_names
            seen = views(consultation, given, names, workbook.settings.voices)
            work.append(ConsultationWork(consultation, seen, int(given["rater"].nunique())))
    return work


class ReviewBase:
    """What every section needs: the data, and the audience's rules for each number."""

    def __init__(self, data: ReviewData):
        self.data = data
        self.audience = data.audience

    # -- helpers ----------------------------------------------------------------------------

    def _figure(self, value: Any, people: int) -> Any:
        return self.audience.figure(value, people)

    def _voice(self, item: dict[str, Any], voice: str) -> Any:
        found = item["voices"][voice]
        return found["mean"] if self.audience.shows_voice(found["n"]) else SUPPRESSED

    def _count(self, n: int) -> Any:
        return self.audience.count(int(n))


_MAIN_FRAMEWORKS = ("healthwatch-six", "making-it-real", "scie-four", "our-voice")


def _framework_order(fw: Framework) -> tuple[int, str]:
    """The main frameworks first (the headline chart shows the first), then the rest by id."""
    main = _MAIN_FRAMEWORKS.index(fw.id) if fw.id in _MAIN_FRAMEWORKS else len(_MAIN_FRAMEWORKS)
    return main, fw.id
