"""The scoring method: pure functions, DataFrame in, DataFrame out. No I/O, no display.

The method (docs/method.md explains it in plain English):

* A later rating by the same rater of the same item, project and period supersedes the
  earlier one. "Don't know" is kept but never counted as a score.
* Roles speak with one of two voices, lived experience or workforce. An item's score is the
  mean over the voices present of each voice's mean, so both voices weigh equally however many
  people of each are in the room. A consensus rating (role ``group``) replaces the vote-based
  score; the votes are still reported.
* A section's score is the mean of its rated items, as a percentage of the way from the
  bottom of the scale to its top ((score - lowest) / (highest - lowest) x 100);
  a framework's score is the mean of its section scores.

Input frames:

``ratings``: one row a rating, columns ``seq`` (insertion order), ``project``, ``period``,
``framework``, ``item``, ``rater``, ``role``, ``score`` (float, NaN for don't know),
``dont_know`` (bool) and ``recorded_at`` (datetime).

``catalogue``: one row a framework item, from :func:`catalogue`.

The string keys are turned into integer codes once; supersession, voice means, consensus and
agreement then work on integer arrays, and labels come back only for the (small) results.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from coeval.agreement import alpha_arrays
from coeval.frameworks.model import Framework
from coeval.periods import previous_label
from coeval.vocabulary import (
    CONSENSUS,
    DEFAULT_VOICES,
    GROUP_ROLE,
    LIVED_EXPERIENCE,
    VOICES,
    VOTES,
    WORKFORCE,
)

#: The columns of the ratings frame scoring reads.
UNIT = ["project", "period", "framework", "item"]
SCOPE = ["project", "period", "framework"]
SECTION = [*SCOPE, "section"]
_VOICE_CODE = {LIVED_EXPERIENCE: 0, WORKFORCE: 1}
_GROUP = -1


class Scores(NamedTuple):
    items: pd.DataFrame
    sections: pd.DataFrame
    frameworks: pd.DataFrame


def catalogue(frameworks: Iterable[Framework]) -> pd.DataFrame:
    """One row per item: framework, section, item, kind, title, the scale's bottom and top,
    and order."""
    rows = [
        (
            fw.id,
            section.id,
            section.title,
            item.id,
            item.kind,
            item.title,
            fw.scale_min,
            fw.scale_max,
            order,
        )
        for fw in frameworks
        for order, (section, item) in enumerate(
            (section, item) for section in fw.sections for item in section.items
        )
    ]
    columns = [
        "framework",
        "section",
        "section_title",
        "item",
        "kind",
        "title",
        "scale_min",
        "scale_max",
        "order",
    ]
    return pd.DataFrame(rows, columns=columns)


# -- supersession --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Encoded:
    """Integer codes for the rows of a ratings frame, and which rows are current."""

    current: np.ndarray  # positions of each rater's latest rating per unit, in time order
    unit: np.ndarray  # dense unit code per row
    unit_keys: pd.DataFrame  # labels of each unit code: project, period, framework, item
    rater: np.ndarray
    n_raters: int


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(values.to_numpy(), sort=False)
    return codes.astype("int64"), np.asarray(uniques)


def _encode(ratings: pd.DataFrame) -> _Encoded:
    parts = [_codes(ratings[column]) for column in UNIT]
    combined = np.zeros(len(ratings), dtype="int64")
    for codes, uniques in parts:
        combined = combined * max(len(uniques), 1) + codes
    unit, unit_combined = pd.factorize(combined, sort=False)
    unit = unit.astype("int64")
    labels = {}
    rest = np.asarray(unit_combined, dtype="int64")
    for column, (_, uniques) in reversed(list(zip(UNIT, parts, strict=True))):
        rest, code = np.divmod(rest, max(len(uniques), 1))
        labels[column] = uniques[code]
    unit_keys = pd.DataFrame({column: labels[column] for column in UNIT})
    rater, rater_uniques = _codes(ratings["rater"])
    n_raters = max(len(rater_uniques), 1)

    stamp = ratings["recorded_at"].to_numpy(dtype="datetime64[ns]").view("int64")
    seq = ratings["seq"].to_numpy()
    step, order_step = np.diff(stamp), np.diff(seq)
    if np.all((step > 0) | ((step == 0) & (order_step > 0))):
        order = np.arange(len(ratings))
    else:
        order = np.lexsort((seq, stamp))
    key = unit[order] * n_raters + rater[order]
    keep = ~pd.Series(key).duplicated(keep="last").to_numpy()
    return _Encoded(order[keep], unit, unit_keys, rater, n_raters)


def latest(ratings: pd.DataFrame) -> pd.DataFrame:
    """Each rater's latest rating of each item in each project and period, in time order."""
    if ratings.empty:
        return ratings.copy()
    return ratings.iloc[_encode(ratings).current]


# -- items -----------------------------------------------------------------------------------


def _voice_codes(roles: pd.Series, voices: Mapping[str, str]) -> np.ndarray:
    codes, uniques = _codes(roles)
    lookup = []
    for role in uniques:
        if role == GROUP_ROLE:
            lookup.append(_GROUP)
        elif voices.get(role) in _VOICE_CODE:
            lookup.append(_VOICE_CODE[voices[role]])
        else:
            raise ValueError(f"role {role!r} has no voice; use one of: {', '.join(voices)}")
    return np.asarray(lookup, dtype="int64")[codes]


@dataclass(frozen=True)
class _Current:
    unit: np.ndarray
    rater: np.ndarray
    voice: np.ndarray
    score: np.ndarray
    dont_know: np.ndarray


def _item_table(enc: _Encoded, cur: _Current) -> pd.DataFrame:
    n_units = len(enc.unit_keys)
    vote = cur.voice >= 0
    scored = vote & ~cur.dont_know
    slot = cur.unit[scored] * 2 + cur.voice[scored]
    sums = np.bincount(slot, weights=cur.score[scored], minlength=2 * n_units).reshape(-1, 2)
    counts = np.bincount(slot, minlength=2 * n_units).reshape(-1, 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    present = counts > 0
    n_present = present.sum(axis=1)
    with np.errstate(invalid="ignore"):
        votes_score = np.where(
            n_present > 0, np.nansum(means, axis=1) / np.maximum(n_present, 1), np.nan
        )
    consensus = np.full(n_units, np.nan)
    group = np.flatnonzero(cur.voice == _GROUP)  # already in time order: the last one wins
    if len(group):
        last = ~pd.Series(cur.unit[group]).duplicated(keep="last").to_numpy()
        chosen = group[last]
        chosen = chosen[~cur.dont_know[chosen]]
        consensus[cur.unit[chosen]] = cur.score[chosen]
    has_consensus = ~np.isnan(consensus)
    items = enc.unit_keys.copy()
    items["unit"] = np.arange(n_units)
    items["score"] = np.where(has_consensus, consensus, votes_score)
    method = np.full(n_units, None, dtype=object)
    method[~np.isnan(votes_score)] = VOTES
    method[has_consensus] = CONSENSUS
    items["method"] = method
    items["n_raters"] = counts.sum(axis=1)
    items["dont_know"] = np.bincount(cur.unit[vote & cur.dont_know], minlength=n_units)
    items["one_voice"] = n_present == 1
    items["gap"] = means[:, 0] - means[:, 1]
    items["votes_score"] = votes_score
    items["consensus"] = consensus
    for name, code in _VOICE_CODE.items():
        items[f"{name}_mean"] = means[:, code]
        items[f"{name}_n"] = counts[:, code]
    return items


# -- agreement -------------------------------------------------------------------------------


def _agreement(items: pd.DataFrame, cur: _Current, n_raters: int, groups: list[str]) -> pd.Series:
    """Alpha per group of items, where the group has >= 2 raters and >= 2 items rated."""
    group_code, keys = pd.MultiIndex.from_frame(items[groups]).factorize()
    n_groups = len(keys)
    unit_group = np.full(int(items["unit"].max()) + 1 if len(items) else 0, -1, dtype="int64")
    unit_group[items["unit"].to_numpy()] = group_code
    unit_levels = np.zeros_like(unit_group)
    unit_bottom = np.zeros_like(unit_group)
    unit_levels[items["unit"].to_numpy()] = (items["scale_max"] - items["scale_min"] + 1).to_numpy()
    unit_bottom[items["unit"].to_numpy()] = items["scale_min"].to_numpy()
    use = (cur.voice >= 0) & ~cur.dont_know & (cur.unit < len(unit_group))
    use[use] &= unit_group[cur.unit[use]] >= 0
    unit, rater = cur.unit[use], cur.rater[use]
    value = cur.score[use].astype("int64") - unit_bottom[unit]  # codes from 0 on every scale
    group = unit_group[unit]
    pairs = pd.unique(group * n_raters + rater)
    raters = np.bincount(pairs // n_raters, minlength=n_groups)
    rated = np.bincount(unit_group[pd.unique(unit)], minlength=n_groups)
    enough = (raters >= 2) & (rated >= 2)
    alpha = np.full(n_groups, np.nan)
    levels = unit_levels[unit]
    for level_count in np.unique(levels):
        pick = (levels == level_count) & enough[group]
        found = alpha_arrays(group[pick], unit[pick], value[pick], int(level_count), n_groups)
        alpha = np.where(np.isnan(alpha), found, alpha)
    return pd.Series(alpha, index=keys, name="alpha")


# -- sections and frameworks -----------------------------------------------------------------


def _change(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Score minus the score of the immediately previous period (NaN when there is none)."""
    previous = frame["period"].map(previous_label)
    lookup = frame.set_index([*keys, "period"])["score"]
    index = pd.MultiIndex.from_frame(frame[keys].assign(period=previous))
    before = lookup.reindex(index).to_numpy()
    return pd.Series(frame["score"].to_numpy() - before, index=frame.index)


def _sections(items: pd.DataFrame, alpha: pd.Series, cat: pd.DataFrame) -> pd.DataFrame:
    rated = items[items["score"].notna()]
    pct = (rated["score"] - rated["scale_min"]) / (rated["scale_max"] - rated["scale_min"]) * 100
    rated = rated.assign(pct=pct)
    grouped = rated.groupby(SECTION, sort=False)
    out = grouped["pct"].mean().rename("score").to_frame()
    out["items_rated"] = grouped.size()
    by_kind = rated.groupby([*SECTION, "kind"], sort=False)["pct"].mean().unstack("kind")
    if {"i_statement", "we_statement"} <= set(by_kind.columns):
        out["i_minus_we"] = by_kind["i_statement"] - by_kind["we_statement"]
    else:
        out["i_minus_we"] = np.nan
    out["alpha"] = alpha.reindex(out.index).to_numpy() if len(alpha) else np.nan
    out = out.reset_index()
    out["change"] = _change(out, ["project", "framework", "section"])
    order = cat.groupby(["framework", "section"], sort=False)["order"].min().rename("order")
    out = out.merge(order.reset_index(), on=["framework", "section"])
    out = out.sort_values([*SCOPE, "order"], kind="stable").drop(columns="order")
    return out.reset_index(drop=True)


def _frameworks(
    sections: pd.DataFrame, items: pd.DataFrame, alpha: pd.Series, cat: pd.DataFrame
) -> pd.DataFrame:
    out = sections.groupby(SCOPE, sort=False)["score"].mean().reset_index()
    size = cat.groupby("framework").size().rename("framework_items")
    counted = items.groupby(SCOPE, sort=False).agg(
        items_scored=("score", "count"),
        n_raters=("n_raters", "sum"),
        dont_know=("dont_know", "sum"),
    )
    out = out.merge(counted.reset_index(), on=SCOPE, how="left")
    out = out.merge(size.reset_index(), on="framework")
    out["coverage"] = out["items_scored"] / out["framework_items"]
    answers = out["n_raters"] + out["dont_know"]
    out["dont_know_rate"] = (out["dont_know"] / answers).where(answers > 0)
    index = pd.MultiIndex.from_frame(out[SCOPE])
    out["alpha"] = alpha.reindex(index).to_numpy() if len(alpha) else np.nan
    out["change"] = _change(out, ["project", "framework"])
    return out.drop(columns=["framework_items", "n_raters", "dont_know"])


_ITEM_COLUMNS = [
    *UNIT,
    "section",
    "kind",
    "scale_min",
    "scale_max",
    "score",
    "method",
    "n_raters",
    "dont_know",
    "one_voice",
    "gap",
    "votes_score",
    "consensus",
    *[f"{v}_{stat}" for v in VOICES for stat in ("mean", "n")],
]
_SECTION_COLUMNS = [*SECTION, "score", "items_rated", "i_minus_we", "alpha", "change"]
_FRAMEWORK_COLUMNS = [
    *SCOPE,
    "score",
    "items_scored",
    "coverage",
    "dont_know_rate",
    "alpha",
    "change",
]


def score(
    ratings: pd.DataFrame,
    catalogue: pd.DataFrame,
    voices: Mapping[str, str] = DEFAULT_VOICES,
) -> Scores:
    """Item, section and framework scores for every project, period and framework present.

    Items not in ``catalogue`` are left out. Item scores are on the framework's scale (0 to 4
    for the co-production scale); section and framework scores are percentages of the way
    from the bottom of that scale to its top.
    """
    if ratings.empty:
        return Scores(
            pd.DataFrame(columns=_ITEM_COLUMNS),
            pd.DataFrame(columns=_SECTION_COLUMNS),
            pd.DataFrame(columns=_FRAMEWORK_COLUMNS),
        )
    enc = _encode(ratings)
    pos = enc.current
    cur = _Current(
        unit=enc.unit[pos],
        rater=enc.rater[pos],
        voice=_voice_codes(ratings["role"].iloc[pos], voices),
        score=np.nan_to_num(ratings["score"].to_numpy(dtype="float64")[pos], nan=0.0),
        dont_know=ratings["dont_know"].to_numpy(dtype=bool)[pos],
    )
    table = _item_table(enc, cur)
    items = table.merge(cat_columns(catalogue), on=["framework", "item"], how="inner")
    items = items.sort_values([*SCOPE, "order"], kind="stable").reset_index(drop=True)
    section_alpha = _agreement(items, cur, enc.n_raters, SECTION)
    scope_alpha = _agreement(items, cur, enc.n_raters, SCOPE)
    sections = _sections(items, section_alpha, catalogue)
    frameworks = _frameworks(sections, items, scope_alpha, catalogue)
    return Scores(
        items[[*_ITEM_COLUMNS, "order"]], sections[_SECTION_COLUMNS], frameworks[_FRAMEWORK_COLUMNS]
    )


def cat_columns(catalogue: pd.DataFrame) -> pd.DataFrame:
    return catalogue[["framework", "item", "section", "kind", "scale_min", "scale_max", "order"]]


# -- descriptive -----------------------------------------------------------------------------


def distribution(ratings: pd.DataFrame) -> pd.DataFrame:
    """How many current votes each item got at each level, and don't knows."""
    current = latest(ratings)
    votes = current[(current["role"] != GROUP_ROLE).to_numpy()]
    answer = votes["score"].astype("Int64").astype("string").fillna("dont_know")
    counted = votes[UNIT].assign(answer=answer.to_numpy()).groupby([*UNIT, "answer"]).size()
    return counted.rename("count").reset_index()


def role_balance(ratings: pd.DataFrame) -> pd.DataFrame:
    """Distinct raters per role in each project, period and framework (current votes)."""
    current = latest(ratings)
    votes = current[(current["role"] != GROUP_ROLE).to_numpy()]
    return votes.groupby([*SCOPE, "role"])["rater"].nunique().rename("raters").reset_index()
