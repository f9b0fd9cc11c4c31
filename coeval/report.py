"""The score document: what `coeval score` prints, and what dashboards are checked against.

JSON shape (percentages 0 to 100 for sections and frameworks, measured from the bottom of the
scale to its top; items on the framework's own scale, ``scale_min`` to ``scale_max``; null
where there is nothing to show)::

    {project, period, framework, presentation, scale_min, scale_max, score, coverage,
     change_since_previous, sections: [
        {id, title, score, alpha, i_minus_we, items: [
            {id, title, kind, score, method, n_raters, dont_know, one_voice, gap,
             voices: {lived_experience: {mean, n}, workforce: {mean, n}}}]}]}
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from coeval import scoring
from coeval.config import Workbook
from coeval.exceptions import FrameworkError
from coeval.frameworks import DONT_KNOW_LABEL, Framework, load_frameworks
from coeval.frameworks.model import PLACEMENT
from coeval.frameworks.model import step_words as step_words_of
from coeval.periods import parse_period
from coeval.store import Store
from coeval.vocabulary import LIVED_EXPERIENCE, VOICES, WORKFORCE

DECIMALS = 3


def _num(value: Any, decimals: int = DECIMALS) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return round(float(value), decimals)


def score_document(
    store: Store,
    frameworks: Mapping[str, Framework],
    voices: Mapping[str, str],
    project: str,
    period: str,
    framework: str,
    scheme: str | None = None,
) -> dict[str, Any]:
    """Score one project, period and framework; everything a reader needs, as plain data."""
    proj = store.project(project)
    if framework not in frameworks:
        raise FrameworkError(
            f"--framework {framework!r} is not a framework; use one of: "
            f"{', '.join(sorted(frameworks))}"
        )
    if framework not in proj.frameworks:
        raise FrameworkError(
            f"--framework: project {project!r} does not use {framework!r}; it uses: "
            f"{', '.join(proj.frameworks)}"
        )
    fw = frameworks[framework]
    this = parse_period(period, scheme)
    labels = [this.label, this.previous().label]
    ratings = store.ratings(project=project, period=labels, framework=framework)
    cat = scoring.catalogue([fw])
    result = scoring.score(ratings, cat, voices)
    return build_document(fw, project, this.label, ratings, result)


def score_project(workbook: Workbook, project: str, period: str, framework: str) -> dict[str, Any]:
    """The score document for one project, period and framework of a workbook."""
    with Store.open(workbook.db_url) as store:
        return score_document(
            store,
            load_frameworks(workbook.frameworks_dir),
            workbook.settings.voices,
            project,
            period,
            framework,
            workbook.settings.period_scheme,
        )


def build_document(
    fw: Framework, project: str, period: str, ratings: pd.DataFrame, result: scoring.Scores
) -> dict[str, Any]:
    """Assemble the document from scores already worked out (pure)."""

    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        keep = (frame["project"] == project) & (frame["period"] == period)
        return frame[(keep & (frame["framework"] == fw.id)).to_numpy(dtype=bool)]

    items = mine(result.items).set_index("item")
    sections = mine(result.sections).set_index("section")
    frame = mine(result.frameworks)
    top = frame.iloc[0] if len(frame) else None
    keep = (ratings["project"] == project) & (ratings["period"] == period)
    current = ratings[(keep & (ratings["framework"] == fw.id)).to_numpy(dtype=bool)]
    dist = scoring.distribution(current).set_index(["item", "answer"])["count"]
    balance = scoring.role_balance(current)
    doc_sections = []
    for section in fw.sections:
        row = sections.loc[section.id] if section.id in sections.index else None
        doc_items = []
        for item in section.items:
            found = items.loc[item.id] if item.id in items.index else None
            doc_items.append(_item(item, found if isinstance(found, pd.Series) else None, dist, fw))
        doc_sections.append(
            {
                "id": section.id,
                "title": section.title,
                "score": _num(row["score"]) if row is not None else None,
                "alpha": _num(row["alpha"]) if row is not None else None,
                "i_minus_we": _num(row["i_minus_we"]) if row is not None else None,
                "change_since_previous": _num(row["change"]) if row is not None else None,
                "items": doc_items,
            }
        )
    return {
        "project": project,
        "period": period,
        "framework": fw.id,
        "framework_title": fw.title,
        "framework_version": fw.version,
        "score": _num(top["score"]) if top is not None else None,
        "coverage": _num(top["coverage"]) if top is not None else 0.0,
        "change_since_previous": _num(top["change"]) if top is not None else None,
        "dont_know_rate": _num(top["dont_know_rate"]) if top is not None else None,
        "alpha": _num(top["alpha"]) if top is not None else None,
        "raters_by_role": {
            str(role): int(n) for role, n in zip(balance["role"], balance["raters"], strict=True)
        },
        "scale": [{"value": lv.value, "label": lv.label} for lv in fw.scale],
        "scale_min": fw.scale_min,
        "scale_max": fw.scale_max,
        "presentation": fw.presentation,
        "sections": doc_sections,
    }


def _item(item: Any, row: pd.Series | None, dist: pd.Series, fw: Framework) -> dict[str, Any]:
    counts = {str(lv.value): 0 for lv in fw.scale} | {"dont_know": 0}
    if item.id in dist.index.get_level_values(0):
        for answer, count in dist.loc[item.id].items():
            counts[str(answer)] = int(count)
    if row is None:
        voices = {name: {"mean": None, "n": 0} for name in VOICES}
        return {
            "id": item.id,
            "title": item.title,
            "kind": item.kind,
            "score": None,
            "method": None,
            "n_raters": 0,
            "dont_know": 0,
            "one_voice": False,
            "gap": None,
            "voices": voices,
            "distribution": counts,
        }
    return {
        "id": item.id,
        "title": item.title,
        "kind": item.kind,
        "score": _num(row["score"]),
        "method": row["method"] if isinstance(row["method"], str) else None,
        "n_raters": int(row["n_raters"]),
        "dont_know": int(row["dont_know"]),
        "one_voice": bool(row["one_voice"]),
        "gap": _num(row["gap"]),
        "voices": {
            name: {"mean": _num(row[f"{name}_mean"]), "n": int(row[f"{name}_n"])} for name in VOICES
        },
        "distribution": counts,
    }


def score_tables(doc: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The score document as two tables for people: sections, then items."""
    scale = doc["scale"]
    sections = pd.DataFrame(
        [
            {
                "Section": s["title"],
                "Score (%)": s["score"],
                "Change (points)": s["change_since_previous"],
                "I minus We (points)": s["i_minus_we"],
                "Agreement (alpha)": s["alpha"],
            }
            for s in doc["sections"]
        ]
    )
    items = pd.DataFrame(
        [
            {
                "Section": s["title"],
                "Item": i["title"],
                f"Score ({doc['scale_min']}-{doc['scale_max']})": i["score"],
                "Level": level_word(scale, i["score"]),
                "Method": i["method"],
                "Raters": i["n_raters"],
                "Don't know": i["dont_know"],
                "Lived experience": i["voices"][LIVED_EXPERIENCE]["mean"],
                "Workforce": i["voices"][WORKFORCE]["mean"],
                "Gap": i["gap"],
                "One voice": i["one_voice"],
            }
            for s in doc["sections"]
            for i in s["items"]
        ]
    )
    return sections, items


def step_words(doc: dict[str, Any], score: float | None) -> str:
    """A placement in words: "Co-design, step 6 of 7" (the nearest step), or ""."""
    if score is None:
        return ""
    return step_words_of([(lv["value"], lv["label"]) for lv in doc["scale"]], score)


def placement_score(doc: dict[str, Any]) -> float | None:
    """A placement framework's one answer (its one item's score)."""
    return next((i["score"] for s in doc["sections"] for i in s["items"]), None)


def level_word(fw_scale: list[dict[str, Any]], score: float | None) -> str:
    """The scale word nearest a score (3.4 reads as "Established")."""
    if score is None:
        return ""
    nearest = min(fw_scale, key=lambda lv: abs(lv["value"] - score))
    return str(nearest["label"])


def _fmt(value: float | None, unit: str = "", sign: bool = False) -> str:
    if value is None:
        return "-"
    text = f"{value:+.1f}" if sign else f"{value:.1f}"
    return text + unit


def format_table(doc: dict[str, Any], width: int = 100) -> str:
    """The score document as a person reads it in a terminal."""
    scale = doc["scale"]
    wide = max(12, *(len(str(lv["label"])) + 2 for lv in scale))
    placement = doc["presentation"] == PLACEMENT
    if placement:
        step = step_words(doc, placement_score(doc)) or "no placement this period"
        headline = f"Where the project is: {step}"
    else:
        headline = (
            f"Framework score: {_fmt(doc['score'], '%')}    change since last period: "
            f"{_fmt(doc['change_since_previous'], ' points', sign=True)}"
        )
    lines = [
        f"{doc['framework_title']} (version {doc['framework_version']})",
        f"Project {doc['project']}, period {doc['period']}",
        "",
        f"{headline}    items scored: {doc['coverage'] * 100:.0f}%"
        + (f"    agreement (alpha): {doc['alpha']:.2f}" if doc["alpha"] is not None else ""),
    ]
    if doc["raters_by_role"]:
        roles = ", ".join(
            f"{n} {role.replace('_', ' ')}" for role, n in doc["raters_by_role"].items()
        )
        lines.append(f"Raters: {roles}")
    head = (
        f"{'':<44}{'Score':>7}  {'Level':<{wide}}{'Raters':>6}{'DK':>4}{'Lived':>7}{'Work':>6}"
        f"{'Gap':>6}  Method"
    )
    lines += ["", head, "-" * min(width, len(head) + 4)]
    for section in doc["sections"]:
        extra = []
        if section["i_minus_we"] is not None:
            extra.append(f"I minus We {_fmt(section['i_minus_we'], sign=True)}")
        if section["alpha"] is not None:
            extra.append(f"agreement {section['alpha']:.2f}")
        shown = "" if placement else _fmt(section["score"], "%")  # a step, never a percentage
        lines.append(f"{section['title'][:43]:<44}{shown:>7}  " + "  ".join(extra))
        for item in section["items"]:
            v = item["voices"]
            lines.append(
                f"  {item['title'][:41]:<42}{_fmt(item['score']):>7}  "
                f"{level_word(scale, item['score']):<{wide}}"
                f"{item['n_raters']:>6}{item['dont_know']:>4}"
                f"{_fmt(v[LIVED_EXPERIENCE]['mean']):>7}{_fmt(v[WORKFORCE]['mean']):>6}"
                f"{_fmt(item['gap'], sign=True):>6}  {item['method'] or ''}"
                + ("  (one voice)" if item["one_voice"] else "")
            )
    words = ", ".join(f"{lv['value']} {lv['label']}" for lv in scale)
    lines += [
        "",
        f"Scores {doc['scale_min']}-{doc['scale_max']}: {words}.",
        f"DK = {DONT_KNOW_LABEL}. Lived = lived experience, Work = workforce. "
        "Gap = lived experience minus workforce.",
    ]
    return "\n".join(lines)
