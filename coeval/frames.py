"""Selecting rows of a frame safely (the one pandas pitfall coeval met more than once)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def rows_where(frame: pd.DataFrame, keep: Iterable[object]) -> pd.DataFrame:
    """The rows of ``frame`` where ``keep`` is true. Unlike ``frame[mask]``, an empty mask of
    objects can never be taken for a list of column names."""
    import numpy as np

    return frame.loc[np.asarray(list(keep), dtype=bool)] if len(frame) else frame
