"""A first draft of a survey mapping, for a person to check (``coeval import survey FILE
--draft-mapping``): each item matched to the column whose header reads most like its
question or title, each answer found in those columns matched to the scale's words where it
clearly matches, and everything unsure left blank, marked ``CHECK``, with the candidates in
a comment. A blank left in the mapping stops the import with a message saying which key it
is, so nothing unsure is ever imported by accident."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from pathlib import Path

from coeval.exceptions import CoevalError
from coeval.frameworks import Framework
from coeval.ingest.survey_mapping import (
    FIRST_COLUMN,
    PRESETS,
    fold,
    is_identifying,
    joined_headers,
)
from coeval.ingest.tables import Grid, read_grid
from coeval.vocabulary import DEFAULT_VOICES, DONT_KNOW

SURE = 0.6  # a header this like an item's words, and clearly ahead of the next, is taken
_DONT_KNOW_WORDS = {"don't know", "dont know", "don’t know", "not sure", "unsure", "n/a"}


def guess_preset(grid: Grid) -> str:
    """The tool that most likely made the export, from its first header row."""
    first = {fold(c) for c in grid.rows[0][1]}
    if "respondent id" in first:
        return "surveymonkey"
    if {"id", "completion time"} <= first:
        return "msforms"
    if "timestamp" in first:
        return "googleforms"
    return "generic"


def _q(text: str) -> str:
    """A YAML scalar in double quotes (JSON's quoting is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _likeness(header: str, fw: Framework, item_id: str) -> float:
    item = fw.item(item_id)
    return max(
        difflib.SequenceMatcher(None, fold(header), fold(words)).ratio()
        for words in (item.question, item.title)
    )


def _match_items(
    fw: Framework, headers: Sequence[str], free: Sequence[int]
) -> tuple[list[str], set[int]]:
    """The mapping's item lines, and the columns matched for sure."""
    lines = []
    taken: set[int] = set()
    for item in fw.items:
        likeness = {i: _likeness(headers[i], fw, item.id) for i in free}
        ranked = sorted(free, key=lambda i: -likeness[i])
        best = ranked[0] if ranked else None
        score = likeness[best] if best is not None else 0.0
        runner = likeness[ranked[1]] if len(ranked) > 1 else 0.0
        if best is not None and best not in taken and score >= SURE and score - runner >= 0.1:
            taken.add(best)
            lines.append(f"  {item.id}: {_q(headers[best])}")
            continue
        candidates = "; ".join(_q(headers[i]) for i in ranked[:3]) or "none"
        lines.append(f"  # CHECK {item.id} ({item.title}): candidates {candidates}")
        lines.append(f"  {item.id}:")
    return lines, taken


def _level_for(value: str, fw: Framework) -> int | str | None:
    key = fold(value)
    if key in _DONT_KNOW_WORDS:
        return DONT_KNOW
    exact = [level.value for level in fw.scale if fold(level.label) == key]
    if exact:
        return exact[0]
    numbers = [level.value for level in fw.scale if key == str(level.value)]
    if numbers:
        return numbers[0]
    within = [
        level.value for level in fw.scale if re.search(rf"\b{re.escape(fold(level.label))}\b", key)
    ]
    return within[0] if len(within) == 1 else None


def _answers(fw: Framework, values: Sequence[str]) -> list[str]:
    lines = []
    words = ", ".join(f"{level.value} {level.label}" for level in fw.scale)
    for value in values:
        level = _level_for(value, fw)
        if level is None:
            lines.append(f"  # CHECK: which score is this? ({words}, or {DONT_KNOW})")
            lines.append(f"  {_q(value)}:")
        else:
            lines.append(f"  {_q(value)}: {level}")
    return lines


def draft_mapping(
    path: Path, fw: Framework, project: str, preset: str | None = None, sheet: str | None = None
) -> str:
    """The text of a draft mapping for the export at ``path``."""
    grid = read_grid(path, sheet, "its header rows")
    name = preset or guess_preset(grid)
    chosen = PRESETS[name]
    headers = joined_headers([c for _n, c in grid.rows[: chosen.header_rows]])
    data = [c for _n, c in grid.rows[chosen.header_rows :]]
    skip = {fold(t) for t in chosen.times} | {fold(chosen.respondent or "")}
    free = [
        i
        for i, h in enumerate(headers)
        if h
        and not is_identifying(h)
        and fold(h) not in skip
        and not (chosen.respondent == FIRST_COLUMN and i == 0)
    ]
    items, columns = _match_items(fw, headers, free)
    values = sorted({c[i].strip() for c in data for i in columns if i < len(c) and c[i].strip()})
    prefix = "".join(part[:1] for part in project.split("-")).upper()[:6] + "-"
    lines = [
        f"# A draft mapping for {path.name}: check every line marked CHECK, fill in what is",
        "# blank, then import with: coeval import survey FILE --mapping THIS-FILE --dry-run",
        f"preset: {name}",
        f"project: {project}",
        f"framework: {fw.id}",
        "# period: 2026Q3   (leave out: each response goes in the quarter of its time)",
        f"rater_prefix: {prefix}",
        f"# CHECK: who answered? One of: {', '.join(DEFAULT_VOICES)}; or, if a question",
        "# asks, {column: HEADER, values: {answer: role}}",
        "role:",
        "items:",
        *items,
        "answers:",
        *_answers(fw, values),
        "blank: skip",
    ]
    return "\n".join(lines) + "\n"


def write_draft(text: str, out: Path) -> Path:
    if out.exists():
        raise CoevalError(f"{out} exists already; give another --mapping path or remove it")
    out.write_text(text, encoding="utf-8")
    return out
