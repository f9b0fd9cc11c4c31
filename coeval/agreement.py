"""Agreement between raters: Krippendorff's alpha for ordinal data, worked out on integer
arrays for many groups of items at once (scoring reports it per section and framework)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def alpha_arrays(
    group: np.ndarray, unit: np.ndarray, value: np.ndarray, levels: int, n_groups: int
) -> np.ndarray:
    """Krippendorff's alpha (ordinal) per group; NaN where it cannot be worked out."""
    alpha = np.full(n_groups, np.nan)
    if len(unit) == 0:
        return alpha
    dense, _ = pd.factorize(unit)
    n_units = int(dense.max()) + 1
    counts = (
        np.bincount(dense * levels + value, minlength=n_units * levels)
        .reshape(n_units, levels)
        .astype("float64")
    )
    unit_group = np.zeros(n_units, dtype="int64")
    unit_group[dense] = group
    m = counts.sum(axis=1)
    ok = m >= 2  # only units with two or more values can be paired
    counts, m, unit_group = counts[ok], m[ok], unit_group[ok]
    if len(m) == 0:
        return alpha
    # coincidences within each unit, divided by (values in the unit - 1), summed per group
    within = counts[:, :, None] * counts[:, None, :]
    diagonal = np.arange(levels)
    within[:, diagonal, diagonal] -= counts
    within /= (m - 1)[:, None, None]
    flat = within.reshape(len(m), -1)
    o = np.stack(
        [
            np.bincount(unit_group, weights=flat[:, cell], minlength=n_groups)
            for cell in range(levels * levels)
        ],
        axis=1,
    ).reshape(n_groups, levels, levels)
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    edges = np.concatenate([np.zeros((n_groups, 1)), np.cumsum(n_c, axis=1)], axis=1)
    c, k = np.meshgrid(diagonal, diagonal, indexing="ij")
    lo, hi = np.minimum(c, k), np.maximum(c, k)
    between = edges[:, hi + 1] - edges[:, lo]
    delta2 = (between - (n_c[:, :, None] + n_c[:, None, :]) / 2) ** 2
    observed = (o * delta2).sum(axis=(1, 2))
    expected = (n_c[:, :, None] * n_c[:, None, :] * delta2).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        value_alpha = 1 - (n - 1) * observed / expected
    good = (n >= 2) & (expected > 0)
    alpha[good] = value_alpha[good]
    return alpha


def ordinal_alpha(votes: pd.DataFrame, groups: list[str], unit: str, levels: int) -> pd.Series:
    """Krippendorff's alpha (ordinal) for each group of ``votes`` (one integer ``score`` per
    rater and unit, 0 to ``levels - 1``); NaN where there is nothing to pair or no variation."""
    if votes.empty:
        return pd.Series(dtype="float64", name="alpha")
    group, keys = pd.MultiIndex.from_frame(votes[groups]).factorize()
    unit_code, _ = pd.MultiIndex.from_frame(votes[[*groups, unit]]).factorize()
    values = votes["score"].to_numpy().astype("int64")
    alpha = alpha_arrays(
        group.astype("int64"), unit_code.astype("int64"), values, levels, len(keys)
    )
    return pd.Series(alpha, index=keys, name="alpha")
