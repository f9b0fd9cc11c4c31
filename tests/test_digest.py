"""The digest of what a page read: the same content gives the same digest in any process, any
change to what a page shows changes it, and when a row was stored does not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from coeval.digest import digest_of, inputs_digest


@dataclass(frozen=True)
class Read:
    rows: pd.DataFrame
    count: object
    names: tuple[str, ...] = ("a",)


def _rows(score: int = 3, stored: datetime = datetime(2026, 8, 1)) -> pd.DataFrame:
    return pd.DataFrame({"item": ["x"], "score": [score], "created_at": [stored]})


def test_the_same_content_gives_the_same_digest_and_a_change_another() -> None:
    first = inputs_digest(Read(_rows(), 2))
    assert inputs_digest(Read(_rows(), 2)) == first
    assert inputs_digest(Read(_rows(), np.int64(2))) == first  # a number read from a frame
    assert inputs_digest(Read(_rows(score=4), 2)) != first
    assert inputs_digest(Read(_rows(), 2, ("a", "b"))) != first
    assert inputs_digest(Read(_rows(stored=datetime(2026, 9, 1)), 2)) == first  # stored later


def test_anything_that_cannot_be_digested_says_so() -> None:
    with pytest.raises(TypeError, match="cannot digest"):
        digest_of(object())
