"""A slow, obviously-correct reading of the scoring method, row by row, to check the fast one.

It follows docs/method.md literally and shares no code with coeval.scoring.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import mean
from typing import Any

import pandas as pd

LIVED = {"carer", "person_using_services", "family_member"}


def reference(
    ratings: pd.DataFrame, catalogue: pd.DataFrame, voices: dict[str, str] | None = None
) -> dict[str, dict[tuple[Any, ...], Any]]:
    def voice(role: str) -> str:
        if voices is not None:
            return voices[role]
        return "lived_experience" if role in LIVED else "workforce"

    items_of = {(r.framework, r.item): r for r in catalogue.itertuples()}
    size = catalogue.groupby("framework").size().to_dict()
    latest: dict[tuple[Any, ...], Any] = {}
    for r in sorted(ratings.itertuples(), key=lambda r: (r.recorded_at, r.seq)):
        latest[(r.project, r.period, r.framework, r.item, r.rater)] = r
    per_unit: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for key, r in latest.items():
        per_unit[key[:4]].append(r)
    items: dict[tuple[Any, ...], dict[str, Any]] = {}
    for unit, rows in per_unit.items():
        if (unit[2], unit[3]) not in items_of:
            continue
        votes = [r for r in rows if r.role != "group" and not r.dont_know]
        groups = sorted(
            (r for r in rows if r.role == "group"), key=lambda r: (r.recorded_at, r.seq)
        )
        by_voice: dict[str, list[float]] = defaultdict(list)
        for r in votes:
            by_voice[voice(r.role)].append(r.score)
        means = {v: mean(s) for v, s in by_voice.items()}
        votes_score = mean(means.values()) if means else None
        consensus = groups[-1] if groups and not groups[-1].dont_know else None
        items[unit] = {
            "score": consensus.score if consensus else votes_score,
            "method": "consensus" if consensus else ("votes" if means else None),
            "n_raters": len(votes),
            "dont_know": sum(1 for r in rows if r.role != "group" and r.dont_know),
            "one_voice": len(means) == 1,
            "gap": (means["lived_experience"] - means["workforce"]) if len(means) == 2 else None,
        }
    sections: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    for unit, found in items.items():
        if found["score"] is not None:
            meta = items_of[(unit[2], unit[3])]
            sections[(*unit[:3], meta.section)].append(found["score"] / meta.scale_max * 100)
    section_scores = {key: mean(values) for key, values in sections.items()}
    by_scope: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    for key, value in section_scores.items():
        by_scope[key[:3]].append(value)
    frameworks = {}
    for scope, values in by_scope.items():
        scored = sum(1 for u, f in items.items() if u[:3] == scope and f["score"] is not None)
        frameworks[scope] = {"score": mean(values), "coverage": scored / size[scope[2]]}
    return {"items": items, "sections": section_scores, "frameworks": frameworks}
