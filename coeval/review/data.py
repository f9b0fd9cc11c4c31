"""A project's quarterly review data, worked out from what the review read
(:class:`coeval.review.inputs.ReviewInputs`), and the disclosure helpers every section uses.
The sections themselves are in the other modules of this package."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from coeval import scoring
from coeval.disclosure import SUPPRESSED, Audience
from coeval.frameworks import Framework
from coeval.periods import Period
from coeval.practice.actions import plan_as_of
from coeval.practice.consultations import Consultation, QuestionView, views
from coeval.report import build_document, placement_score
from coeval.review.inputs import ReviewInputs, trend_periods
from coeval.store import Project
from coeval.vocabulary import GROUP_ROLE

#: The free text of an action and of an activity: what the audience's rules apply to.
ACTION_TEXT = ("said", "action", "reason", "outcome")
ACTIVITY_TEXT = ("theme", "notes")
LOW_CONFIDENCE = 5  # fewer raters than this: the score is marked as low confidence


@dataclass(frozen=True)
class ConsultationWork:
    consultation: Consultation
    views: list[QuestionView]
    people: int


@dataclass
class ReviewData:
    """Everything one project's quarterly review shows, worked out once."""

    project: Project
    period: Period
    audience: Audience
    frameworks: list[Framework]
    docs: dict[str, dict[str, Any]]  # framework id -> score document for this period
    people: dict[str, dict[str, int]]  # framework id -> section id (and "" overall) -> raters
    trend: pd.DataFrame  # period, framework (id), title, score, step (placements), people
    actions: pd.DataFrame
    activities: pd.DataFrame
    reach: pd.DataFrame
    evidence: pd.DataFrame
    names: tuple[str, ...]
    groups_reached: pd.DataFrame  # activity_id, group_name: this quarter's activities
    groups: tuple[str, ...]  # the workbook's seldom-heard groups
    consultations: list[ConsultationWork]  # the group's views given this quarter
    attendance: pd.DataFrame  # meeting_id, role, count: this quarter's meetings
    voices: Mapping[str, str]  # role -> voice

    @classmethod
    def build(cls, inputs: ReviewInputs, audience: str) -> ReviewData:
        settings = inputs.settings
        this, fws, ratings = inputs.period, list(inputs.frameworks), inputs.ratings
        result = scoring.score(ratings, scoring.catalogue(fws), settings.voices)
        docs = {
            fw.id: build_document(
                fw, inputs.project.id, this.label, ratings[ratings["framework"] == fw.id], result
            )
            for fw in fws
        }
        people, trend = _people_and_trend(inputs, result)
        shown = Audience.of(audience, settings.disclosure)
        plan = plan_as_of(inputs.actions, inputs.action_updates, this, told=inputs.action_told)
        names = settings.disclosure.redact_names
        work = [
            ConsultationWork(consultation, views(consultation, given, names, settings.voices), n)
            for consultation in inputs.consultations
            for given in [inputs.answers[inputs.answers["consultation"] == consultation.id]]
            for n in [int(given["rater"].nunique())]
        ]
        return cls(
            project=shown.project(inputs.project),
            period=this,
            audience=shown,
            frameworks=fws,
            docs=docs,
            people=people,
            trend=trend,
            actions=shown.texts(plan, ACTION_TEXT),
            activities=shown.texts(inputs.activities, ACTIVITY_TEXT),
            reach=inputs.reach,
            evidence=inputs.evidence,
            names=names,
            groups_reached=inputs.groups_reached,
            groups=settings.groups,
            consultations=work,
            attendance=inputs.attendance,
            voices=settings.voices,
        )

    def placements(self) -> list[Framework]:
        return [fw for fw in self.frameworks if fw.is_placement]

    def scored(self) -> list[Framework]:
        """The frameworks scored as percentages (every one but placements)."""
        return [fw for fw in self.frameworks if not fw.is_placement]


def _people_and_trend(
    inputs: ReviewInputs, result: scoring.Scores
) -> tuple[dict[str, dict[str, int]], pd.DataFrame]:
    """Raters per framework and section this quarter, and each framework's score (or, for a
    placement, its step) in each quarter of the trend."""
    cat = scoring.catalogue(inputs.frameworks)
    scored = scoring.latest(inputs.ratings)
    scored = scored[(scored["role"] != GROUP_ROLE) & ~scored["dont_know"]]
    scored = scored.merge(cat[["framework", "item", "section"]], on=["framework", "item"])
    people, rows = {}, []
    for fw in inputs.frameworks:
        mine = scored[scored["framework"] == fw.id]
        now = mine[mine["period"] == inputs.period.label]
        counts = {str(k): int(v) for k, v in now.groupby("section")["rater"].nunique().items()}
        counts[""] = int(now["rater"].nunique())
        people[fw.id] = counts
        for period in trend_periods(inputs.period):
            label = period.label
            row = result.frameworks[
                (result.frameworks["framework"] == fw.id) & (result.frameworks["period"] == label)
            ]
            step = None
            if fw.is_placement:
                doc = build_document(fw, inputs.project.id, label, inputs.ratings, result)
                step = placement_score(doc)
            rows.append(
                {
                    "period": label,
                    "framework": fw.id,
                    "title": fw.short,
                    "score": float(row["score"].iloc[0]) if len(row) else None,
                    "step": step,
                    "people": int(mine.loc[mine["period"] == label, "rater"].nunique()),
                }
            )
    columns = ["period", "framework", "title", "score", "step", "people"]
    return people, pd.DataFrame(rows, columns=columns)


class ReviewBase:
    """What every section needs: the data, and the audience's rules for each number."""

    def __init__(self, data: ReviewData):
        self.data = data
        self.audience = data.audience

    def _figure(self, value: Any, people: int) -> Any:
        return self.audience.figure(value, people)

    def _voice(self, item: dict[str, Any], voice: str) -> Any:
        found = item["voices"][voice]
        return found["mean"] if self.audience.shows_voice(found["n"]) else SUPPRESSED

    def _count(self, n: int) -> Any:
        return self.audience.count(int(n))
