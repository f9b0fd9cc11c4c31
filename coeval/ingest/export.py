"""Ratings exported for spreadsheets: in the import file's columns, safe to open in Excel
(no cell can become a formula, no character a spreadsheet cannot hold), written whole or not
at all, as CSV or .xlsx."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from coeval.exceptions import CoevalError
from coeval.files import write_atomic
from coeval.text import printable
from coeval.vocabulary import DONT_KNOW

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Make a text cell safe to open in a spreadsheet (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_frame(ratings: pd.DataFrame, latest_only: bool = False) -> pd.DataFrame:
    """Ratings in the import file's columns, ready to write (history kept unless asked)."""
    from coeval.scoring import latest

    frame = latest(ratings) if latest_only else ratings
    out = pd.DataFrame(
        {
            "project": frame["project"],
            "period": frame["period"],
            "framework": frame["framework"],
            "item": frame["item"],
            "rater": frame["rater"],
            "role": frame["role"],
            "score": [
                DONT_KNOW if dk else int(s)
                for s, dk in zip(frame["score"], frame["dont_know"], strict=True)
            ],
            "note": frame["note"].fillna(""),
            "recorded_at": [
                ts.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00") for ts in frame["recorded_at"]
            ],
        }
    )
    text_columns = ["project", "period", "framework", "item", "rater", "role", "note"]
    out[text_columns] = out[text_columns].map(lambda v: neutralise(printable(v)))
    return out.reset_index(drop=True)


def write_export(frame: pd.DataFrame, out: Path) -> Path:
    """Write as CSV (UTF-8 with BOM, for Excel) or .xlsx; all or nothing."""
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CoevalError(f"--out {out}: use a file name ending .csv or .xlsx")
    if not out.parent.is_dir():
        raise CoevalError(f"--out {out}: the folder {out.parent} does not exist")
    if suffix == ".csv":
        text = frame.to_csv(index=False, lineterminator="\r\n")
        return write_atomic(out, "\ufeff" + text)  # with a BOM, for Excel
    return write_atomic(out, _xlsx(frame))


def _xlsx(frame: pd.DataFrame) -> bytes:
    from openpyxl import Workbook as Sheet

    book = Sheet()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ratings"
    sheet.append(list(frame.columns))
    for record in frame.itertuples(index=False):
        # a spreadsheet cell cannot hold control characters: they are left out
        sheet.append([printable(v) if isinstance(v, str) else v for v in record])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
