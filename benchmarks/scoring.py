"""Score 1,000,000 ratings over 200 projects and 4 periods, against a floor.

The floor, measured in the same run on the same frame, is a bare pandas groupby-mean of the
scores per project, period, framework and item: the least any scoring must do. The last line
is ``ratio=<scoring/floor> target=5``.

Run: python benchmarks/scoring.py [--ratings N] [--repeat R]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from timing import best_of  # benchmarks/timing.py, beside this script

from coeval import scoring
from coeval.frameworks import builtin_frameworks
from coeval.vocabulary import ROLES as CONFIG_ROLES

ROLES = np.array(CONFIG_ROLES)  # the seven rater roles, then "group"
ROLE_WEIGHTS = np.array([0.40, 0.12, 0.08, 0.08, 0.22, 0.06, 0.02, 0.02])
PERIODS = np.array(["2025Q4", "2026Q1", "2026Q2", "2026Q3"])


def make_ratings(n: int, projects: int = 200, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A synthetic frame shaped like the store's, with corrections and don't knows."""
    rng = np.random.default_rng(seed)
    fws = builtin_frameworks()
    cat = scoring.catalogue([fws["healthwatch-six"], fws["making-it-real"]])
    pick = rng.integers(0, len(cat), n)
    project = rng.integers(0, projects, n)
    rater = rng.integers(0, 25, n)
    role = rng.choice(len(ROLES), n, p=ROLE_WEIGHTS)
    dont_know = rng.random(n) < 0.06
    score = rng.integers(0, 5, n).astype("float64")
    score[dont_know] = np.nan
    stamp = np.datetime64("2025-10-01") + rng.integers(0, 365 * 24 * 3600, n).astype(
        "timedelta64[s]"
    )
    frame = pd.DataFrame(
        {
            "seq": np.arange(n, dtype="int64"),
            "project": pd.Series(project).map(lambda p: f"project-{p:03d}"),
            "period": PERIODS[rng.integers(0, 4, n)],
            "framework": cat["framework"].to_numpy()[pick],
            "item": cat["item"].to_numpy()[pick],
            "rater": pd.Series(project * 100 + rater).map(lambda r: f"R{r:05d}"),
            "role": ROLES[role],
            "score": score,
            "dont_know": dont_know,
            "recorded_at": stamp,
        }
    )
    frame = frame.sort_values(["recorded_at", "seq"]).reset_index(drop=True)
    return frame, cat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"building {args.ratings:,} ratings over 200 projects and 4 periods ...", flush=True)
    frame, cat = make_ratings(args.ratings)
    unit = ["project", "period", "framework", "item"]
    floor = best_of(args.repeat, lambda: frame.groupby(unit)["score"].mean())
    full = best_of(args.repeat, lambda: scoring.score(frame, cat))
    result = scoring.score(frame, cat)
    print(
        f"scored {len(result.items):,} items, {len(result.sections):,} sections, "
        f"{len(result.frameworks):,} framework scores"
    )
    print(f"floor (groupby-mean): {floor:.3f} s")
    print(f"scoring:              {full:.3f} s")
    print(f"ratio={full / floor:.2f} target=5")


if __name__ == "__main__":
    main()
