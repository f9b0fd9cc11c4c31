"""The scoring method: pure functions, DataFrame in, DataFrame out. No I/O, no display.

The method (docs/method.md explains it in plain English):

* A later rating by the same rater of the same item, project and period supersedes the
  earlier one. "Don't know" is kept but never counted as a score.
* Roles speak with one of two voices, lived experience or workforce. An item's score is the
  mean over the voices present of each voice's mean, so both voices weigh equally however many
  people of each are in the room. A consensus rating (role ``group``) replaces the vote-based
  score; the votes are still reported.
* A section's score is the mean of its rated items, as a percentage of the scale's maximum;
  a framework's score is the mean of its section scores.

Input frames:

``ratings``: one row a rating, columns ``seq`` (insertion order), ``project``, ``period``,
``framework``, ``item``, ``rater``, ``role``, ``score`` (float, NaN for don't know),
``dont_know`` (bool) and ``recorded_at`` (datetime).

``catalogue``: one row a framework item, from :func:`catalogue`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from coeval.config import DEFAULT_VOICES, GROUP_ROLE, LIVED_EXPERIENCE, VOICES, WORKFORCE
from coeval.frameworks.model import Framework
from coeval.periods import parse_period

UNIT = ["project", "period", "framework", "item"]
SCOPE = ["project", "period", "framework"]
SECTION = [*SCOPE, "section"]
_VOICE_CODE = {LIVED_EXPERIENCE: 0, WORKFORCE: 1}


class Scores(NamedTuple):
    items: pd.DataFrame
    sections: pd.DataFrame
    frameworks: pd.DataFrame


def catalogue(frameworks: Iterable[Framework]) -> pd.DataFrame:
    """One row per item: framework, section, item, kind, title, scale maximum and order."""
    rows = [
        (fw.id, section.id, section.title, item.id, item.kind, item.title, fw.scale_max, order)
        for fw in frameworks
        for order, (section, item) in enumerate(
            (section, item) for section in fw.sections for item in section.items
        )
    ]
    return pd.DataFrame(
        rows,
        columns=["framework", "section", "section_title", "item", "kind", "title", "scale_max",
                 "order"],
    )  # fmt: skip


def latest(ratings: pd.DataFrame) -> pd.DataFrame:
    """Each rater's latest rating of each item in each project and period."""
    if ratings.empty:
        return ratings.copy()
    stamp = ratings["recorded_at"].to_numpy(dtype="datetime64[ns]").view("int64")
    seq = ratings["seq"].to_numpy()
    ordered = bool(np.all(np.diff(stamp) > 0) or _lex_sorted(stamp, seq))
    frame = ratings if ordered else ratings.iloc[np.lexsort((seq, stamp))]
    keep = ~frame.duplicated(subset=[*UNIT, "rater"], keep="last")
    return frame[keep.to_numpy()]


def _lex_sorted(stamp: np.ndarray, seq: np.ndarray) -> bool:
    step = np.diff(stamp)
    return bool(np.all((step > 0) | ((step == 0) & (np.diff(seq) > 0))))


def item_scores(
    ratings: pd.DataFrame,
    catalogue: pd.DataFrame,
    voices: Mapping[str, str] = DEFAULT_VOICES,
) -> pd.DataFrame:
    """Per item: score (0 to scale max), method, raters, don't knows, voices and gap."""
    current = latest(ratings)
    is_group = (current["role"] == GROUP_ROLE).to_numpy()
    votes = current[~is_group]
    units = votes[UNIT].drop_duplicates()
    consensus = _consensus(current[is_group])
    units = pd.concat([units, consensus[UNIT]]).drop_duplicates()

    voice = votes["role"].map(voices).map(_VOICE_CODE)
    if voice.isna().any():
        unknown = sorted(set(votes.loc[voice.isna(), "role"]))
        raise ValueError(f"roles with no voice: {unknown}; use one of: {', '.join(voices)}")
    scored = ~votes["dont_know"].to_numpy()
    keyed = votes[UNIT].assign(voice=voice.to_numpy(), score=votes["score"].to_numpy(),
                               scored=scored)  # fmt: skip
    by_voice = (
        keyed[scored]
        .groupby([*UNIT, "voice"], sort=False, observed=True)["score"]
        .agg(["mean", "count"])
        .unstack("voice")
    )
    wide = pd.DataFrame(index=by_voice.index)
    for name, code in _VOICE_CODE.items():
        wide[f"{name}_mean"] = by_voice["mean"][code] if code in by_voice["mean"] else np.nan
        has = code in by_voice["count"]
        wide[f"{name}_n"] = by_voice["count"][code].fillna(0) if has else 0
    dont_know = keyed[~scored].groupby(UNIT, sort=False, observed=True).size()

    out = units.merge(wide.reset_index(), on=UNIT, how="left")
    out = out.merge(dont_know.rename("dont_know").reset_index(), on=UNIT, how="left")
    out = out.merge(consensus, on=UNIT, how="left")
    for name in VOICES:
        out[f"{name}_n"] = out[f"{name}_n"].fillna(0).astype("int64")
    out["dont_know"] = out["dont_know"].fillna(0).astype("int64")
    out["n_raters"] = out[f"{LIVED_EXPERIENCE}_n"] + out[f"{WORKFORCE}_n"]
    means = out[[f"{name}_mean" for name in VOICES]]
    out["votes_score"] = means.mean(axis=1, skipna=True)
    out["one_voice"] = means.notna().sum(axis=1) == 1
    out["gap"] = out[f"{LIVED_EXPERIENCE}_mean"] - out[f"{WORKFORCE}_mean"]
    has_consensus = out["consensus"].notna()
    out["score"] = out["consensus"].where(has_consensus, out["votes_score"])
    out["method"] = np.where(has_consensus, "consensus",
                             np.where(out["votes_score"].notna(), "votes", None))  # fmt: skip
    out = out.merge(
        catalogue[["framework", "item", "section", "kind", "scale_max", "order"]],
        on=["framework", "item"],
        how="inner",
    )
    return out.sort_values([*SCOPE, "order"], kind="stable").reset_index(drop=True)


def _consensus(group: pd.DataFrame) -> pd.DataFrame:
    """The latest group rating of each item; a group "don't know" is no consensus."""
    last = group.drop_duplicates(subset=UNIT, keep="last")
    last = last[~last["dont_know"].to_numpy()]
    return last[UNIT].assign(consensus=last["score"].to_numpy(dtype="float64"))


def ordinal_alpha(
    votes: pd.DataFrame, groups: list[str], unit: str, levels: int
) -> pd.Series:
    """Krippendorff's alpha (ordinal) for every group at once.

    ``votes`` has one scored rating per rater and unit, integer ``score`` from 0 to
    ``levels - 1``. Groups with no pairable units, or with no variation at all, get NaN.
    """
    if votes.empty:
        return pd.Series(dtype="float64")
    group_idx, group_keys = pd.MultiIndex.from_frame(votes[groups]).factorize()
    unit_idx, _ = pd.MultiIndex.from_frame(votes[[*groups, unit]]).factorize()
    value = votes["score"].to_numpy().astype("int64")
    n_units = int(unit_idx.max()) + 1
    counts = np.bincount(unit_idx * levels + value, minlength=n_units * levels).reshape(
        n_units, levels
    ).astype("float64")
    unit_group = np.empty(n_units, dtype="int64")
    unit_group[unit_idx] = group_idx
    m = counts.sum(axis=1)
    pairable = m >= 2
    counts, m, unit_group = counts[pairable], m[pairable], unit_group[pairable]
    n_groups = len(group_keys)
    # coincidences within each unit, divided by (m_u - 1), summed per group
    within = counts[:, :, None] * counts[:, None, :]
    within[:, np.arange(levels), np.arange(levels)] -= counts
    within /= (m - 1)[:, None, None]
    flat = np.zeros((n_groups, levels * levels))
    np.add.at(flat, unit_group, within.reshape(len(m), -1))
    o = flat.reshape(n_groups, levels, levels)
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    edges = np.concatenate([np.zeros((n_groups, 1)), np.cumsum(n_c, axis=1)], axis=1)
    c, k = np.meshgrid(np.arange(levels), np.arange(levels), indexing="ij")
    lo, hi = np.minimum(c, k), np.maximum(c, k)
    between = edges[:, hi + 1] - edges[:, lo]
    delta2 = (between - (n_c[:, :, None] + n_c[:, None, :]) / 2) ** 2
    observed = (o * delta2).sum(axis=(1, 2))
    expected = (n_c[:, :, None] * n_c[:, None, :] * delta2).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1 - (n - 1) * observed / expected
    alpha = np.where((n >= 2) & (expected > 0), alpha, np.nan)
    return pd.Series(alpha, index=group_keys, name="alpha")


def section_scores(
    items: pd.DataFrame, ratings: pd.DataFrame, catalogue: pd.DataFrame
) -> pd.DataFrame:
    """Per section: score (%), rated items, I minus We (points), alpha and change."""
    if items.empty:
        columns = [*SECTION, "score", "items_rated", "i_minus_we", "alpha", "change"]
        return pd.DataFrame(columns=columns)
    rated = items[items["score"].notna()].copy()
    rated["pct"] = rated["score"] / rated["scale_max"] * 100
    grouped = rated.groupby(SECTION, sort=False)
    out = grouped["pct"].mean().rename("score").to_frame()
    out["items_rated"] = grouped.size()
    by_kind = rated.groupby([*SECTION, "kind"], sort=False)["pct"].mean().unstack("kind")
    if {"i_statement", "we_statement"} <= set(by_kind.columns):
        out["i_minus_we"] = by_kind["i_statement"] - by_kind["we_statement"]
    else:
        out["i_minus_we"] = np.nan
    out = out.reset_index()

    out = _with_alpha(out, ratings, catalogue, SECTION)
    out["change"] = _change(out, [*SCOPE[:1], "framework", "section"])
    order = catalogue.groupby(["framework", "section"], sort=False)["order"].min()
    out = out.merge(order.rename("order").reset_index(), on=["framework", "section"])
    return out.sort_values([*SCOPE, "order"], kind="stable").drop(columns="order").reset_index(
        drop=True
    )


def _with_alpha(
    frame: pd.DataFrame, ratings: pd.DataFrame, catalogue: pd.DataFrame, groups: list[str]
) -> pd.DataFrame:
    """Add Krippendorff's alpha (ordinal) per group, where >= 2 raters and >= 2 items."""
    current = latest(ratings)
    votes = current[(current["role"] != GROUP_ROLE).to_numpy() & ~current["dont_know"].to_numpy()]
    votes = votes.merge(catalogue[["framework", "item", "section", "scale_max"]],
                        on=["framework", "item"], how="inner")  # fmt: skip
    alphas = []
    for scale_max, chunk in votes.groupby("scale_max"):
        spread = chunk.groupby(groups).agg(raters=("rater", "nunique"), items=("item", "nunique"))
        enough = spread[(spread["raters"] >= 2) & (spread["items"] >= 2)].index
        chunk = chunk[pd.MultiIndex.from_frame(chunk[groups]).isin(enough)]
        alphas.append(ordinal_alpha(chunk, groups, "item", int(scale_max) + 1))
    alpha = pd.concat(alphas) if alphas else pd.Series(dtype="float64")
    if not len(alpha):
        return frame.assign(alpha=np.nan)
    alpha.index = alpha.index.set_names(groups)
    return frame.merge(alpha.rename("alpha").reset_index(), on=groups, how="left")


def framework_scores(
    sections: pd.DataFrame, items: pd.DataFrame, catalogue: pd.DataFrame
) -> pd.DataFrame:
    """Per project, period and framework: score (%), coverage (0 to 1) and change."""
    if sections.empty:
        return pd.DataFrame(columns=[*SCOPE, "score", "coverage", "dont_know_rate", "change"])
    out = sections.groupby(SCOPE, sort=False)["score"].mean().reset_index()
    size = catalogue.groupby("framework").size().rename("framework_items")
    counted = items.groupby(SCOPE, sort=False).agg(
        items_scored=("score", "count"), n_raters=("n_raters", "sum"), dont_know=("dont_know", "sum")
    )
    out = out.merge(counted.reset_index(), on=SCOPE, how="left").merge(
        size.reset_index(), on="framework"
    )
    out["coverage"] = out["items_scored"] / out["framework_items"]
    answers = out["n_raters"] + out["dont_know"]
    out["dont_know_rate"] = (out["dont_know"] / answers).where(answers > 0)
    out["change"] = _change(out, ["project", "framework"])
    return out.drop(columns=["framework_items", "n_raters", "dont_know"])


def _change(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Score minus the score of the immediately previous period (NaN when there is none)."""
    previous = frame["period"].map(_previous_label)
    lookup = frame.set_index([*keys, "period"])["score"]
    lookup = lookup[~lookup.index.duplicated()]
    index = pd.MultiIndex.from_frame(frame[keys].assign(period=previous))
    before = lookup.reindex(index).to_numpy()
    return pd.Series(frame["score"].to_numpy() - before, index=frame.index)


def _previous_label(label: str) -> str:
    return parse_period(label).previous().label


def score(
    ratings: pd.DataFrame,
    catalogue: pd.DataFrame,
    voices: Mapping[str, str] = DEFAULT_VOICES,
) -> Scores:
    """Item, section and framework scores for every project, period and framework present."""
    items = item_scores(ratings, catalogue, voices)
    sections = section_scores(items, ratings, catalogue)
    frameworks = framework_scores(sections, items, catalogue)
    return Scores(items, sections, _with_alpha(frameworks, ratings, catalogue, SCOPE))


def distribution(ratings: pd.DataFrame) -> pd.DataFrame:
    """How many current votes each item got at each level, and don't knows."""
    current = latest(ratings)
    votes = current[(current["role"] != GROUP_ROLE).to_numpy()]
    answer = votes["score"].astype("Int64").astype("string").fillna("dont_know")
    return votes[UNIT].assign(answer=answer.to_numpy()).groupby([*UNIT, "answer"]).size().rename(
        "count"
    ).reset_index()


def role_balance(ratings: pd.DataFrame) -> pd.DataFrame:
    """Distinct raters per role in each project, period and framework (current votes)."""
    current = latest(ratings)
    votes = current[(current["role"] != GROUP_ROLE).to_numpy()]
    return votes.groupby([*SCOPE, "role"])["rater"].nunique().rename("raters").reset_index()
