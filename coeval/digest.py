"""A stable digest of what a review read: frames, dataclasses, settings, text and numbers.

Used to decide whether a review's inputs changed since its last run (see coeval.run). The
digest covers every field of the value it is given, so a new kind of input is covered by
being read, not by being added to a list.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd


def digest_of(value: Any) -> str:
    """The SHA-256 of ``value``'s content, the same in every process and on every run."""
    digest = hashlib.sha256()
    _feed(digest, value)
    return digest.hexdigest()


def _feed(digest: Any, value: Any) -> None:
    if isinstance(value, np.generic):  # a number read out of a frame
        value = value.item()
    kind = type(value).__name__
    digest.update(f"<{kind}>".encode())
    if value is None or isinstance(value, bool | int | float | str | date | datetime):
        digest.update(repr(value).encode())
    elif isinstance(value, bytes):
        digest.update(value)
    elif isinstance(value, PurePath):
        digest.update(str(value).encode())
    elif isinstance(value, pd.DataFrame):
        digest.update(repr(list(value.columns)).encode())
        digest.update(value.to_csv(index=False).encode())
    elif isinstance(value, pd.Series):
        _feed(digest, value.to_frame())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.compare:  # caches and indexes are left out, as equality leaves them
                digest.update(field.name.encode())
                _feed(digest, getattr(value, field.name))
    elif isinstance(value, Mapping):
        for key in sorted(value, key=repr):
            _feed(digest, key)
            _feed(digest, value[key])
    elif isinstance(value, list | tuple):
        for part in value:
            _feed(digest, part)
    elif isinstance(value, set | frozenset):
        for part in sorted(value, key=repr):
            _feed(digest, part)
    else:
        raise TypeError(f"cannot digest a {kind}; give its content as data")
    digest.update(b"</>")


#: When a row was stored or last touched: not what a page shows.
STAMPS = ("created_at", "updated_at")


def inputs_digest(inputs: Any) -> str:
    """The digest of everything a page read (a dataclass of frames and values): every field,
    with the times rows were stored left out, so re-saving the same thing changes nothing."""
    return digest_of(
        {
            field.name: _unstamped(getattr(inputs, field.name))
            for field in dataclasses.fields(inputs)
        }
    )


def _unstamped(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return value.drop(columns=[c for c in STAMPS if c in value.columns])
    return value
