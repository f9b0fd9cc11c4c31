"""The demo's ratings: who comes to each quarter's meeting, and how each person votes (with
the occasional correction and, at a consensus meeting, the group's agreed answer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from coeval.demo.practice import demo_time
from coeval.frameworks import Framework
from coeval.vocabulary import CARER, FAMILY_MEMBER, GROUP_ROLE, PERSON_USING_SERVICES

PERIODS = ("2025Q4", "2026Q1", "2026Q2", "2026Q3")
LIVED = {CARER, PERSON_USING_SERVICES, FAMILY_MEMBER}


@dataclass(frozen=True)
class DemoProject:
    id: str
    name: str
    frameworks: tuple[str, ...]
    code: str
    roles: dict[str, int]  # how many people of each role take part over the year
    themes: tuple[str, ...]
    start_level: float
    consensus_share: float = 0.0


def quarter_ratings(
    spec: DemoProject,
    frameworks: dict[str, Framework],
    truth: dict[tuple[str, str], float],
    quarter: int,
    consensus: bool,
    present: list[tuple[str, str]],
    meeting: int,
    held: date,
    rng: np.random.Generator,
) -> list[dict[str, Any]]:
    """One quarter's ratings from a demo meeting: everyone's votes and, at a consensus
    meeting, the group's agreed answer."""
    rows: list[dict[str, Any]] = []
    label = PERIODS[quarter]
    for fw_id in spec.frameworks:
        fw = frameworks[fw_id]
        sections = list(fw.sections)
        if fw_id == "making-it-real":  # two themes in depth each quarter
            sections = [sections[(2 * quarter + k) % len(sections)] for k in (0, 1)]
        for section in sections:
            for item in section.items:
                level = truth[(fw_id, item.id)] + 0.35 * quarter
                rows += votes(rng, present, fw, item.id, item.kind, level, label, meeting, held)
                if consensus and fw.scale_max == 4:
                    rows.append(
                        rating_row(
                            label,
                            fw.id,
                            item.id,
                            f"{spec.code}-GROUP",
                            GROUP_ROLE,
                            int(np.clip(round(level), 0, 4)),
                            meeting,
                            demo_time(held, 90),
                        )
                    )
    return rows


def attendance_of(people: list[tuple[str, str]], rng: np.random.Generator) -> list[tuple[str, str]]:
    """Who comes to a meeting: 5 to 10 people with lived experience and 3 to 5 of the
    workforce (as many as the project has)."""
    present = []
    for lived, (low, high) in ((True, (5, 11)), (False, (3, 6))):
        pool = [p for p in people if (p[1] in LIVED) == lived]
        size = min(len(pool), int(rng.integers(low, high)))
        present += [pool[i] for i in rng.choice(len(pool), size=size, replace=False)]
    return present


def rating_row(
    period: str,
    fw: str,
    item: str,
    rater: str,
    role: str,
    score: int | None,
    meeting: int,
    at: datetime,
    note: str | None = None,
) -> dict[str, Any]:
    return {
        "project_id": "",
        "period": period,
        "framework_id": fw,
        "item_id": item,
        "rater_id": rater,
        "role": role,
        "score": score,
        "dont_know": score is None,
        "note": note,
        "recorded_at": at,
        "meeting_id": meeting,
    }


def votes(
    rng: np.random.Generator,
    present: list[tuple[str, str]],
    fw: Framework,
    item: str,
    kind: str,
    level: float,
    period: str,
    meeting: int,
    held: date,
) -> list[dict[str, Any]]:
    bottom, top = fw.scale_min, fw.scale_max
    stretch = (top - bottom) / 4
    rows = []
    for minute, (rater, role) in enumerate(present):
        lived = role in LIVED
        bias = 0.0 if lived else (0.8 if kind == "we_statement" else 0.4)
        dont_know = rng.random() < (0.1 if kind == "we_statement" and lived else 0.05)
        score = (
            None
            if dont_know
            else int(
                np.clip(round(bottom + (level + bias) * stretch + rng.normal(0, 0.7)), bottom, top)
            )
        )
        at = demo_time(held, minute)
        rows.append(rating_row(period, fw.id, item, rater, role, score, meeting, at))
        if score is not None and rng.random() < 0.03:  # a later correction, history kept
            fixed = int(np.clip(score + rng.choice([-1, 1]), bottom, top))
            rows.append(
                rating_row(
                    period,
                    fw.id,
                    item,
                    rater,
                    role,
                    fixed,
                    meeting,
                    at + timedelta(days=int(rng.integers(1, 6))),
                    "Changed my mind after the discussion",
                )
            )
    return rows
