"""The cells of a file people import, as text, row by row: a CSV file (UTF-8) or a sheet of an
Excel workbook (.xlsx).

Every cell is read as text, as the CSV path always did: a reference typed as ``007`` stays
``007``, a whole number stays whole (``3``, never ``3.0``), an Excel date becomes an ISO date
(``2026-07-14``, or ``2026-07-14T10:30:00`` with a time), and a formula is refused, never
worked out. Each row keeps its number as the spreadsheet shows it (the first row is 1), so
every problem can name the row a person will look for.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from coeval.exceptions import ImportError_, Problem, Problems

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, or an .xlsx locked with a password
#: Bounds on what an .xlsx may unpack to, and on its cells: a spreadsheet of survey answers
#: is far smaller; a file beyond them is refused before it can fill the memory.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_CELLS = 5_000_000
SAVE_AS_CSV = "'CSV UTF-8 (comma delimited)'"


@dataclass
class Grid:
    """A file's cells as text: each row with its number as a spreadsheet shows it."""

    source: str
    raw: bytes
    rows: list[tuple[int, list[str]]]
    sheet: str | None = None  # the sheet read, for an Excel workbook
    book: Any = None  # the openpyxl workbook, for an Excel workbook

    @property
    def is_excel(self) -> bool:
        return self.book is not None


def refuse(source: str, message: str, row: int | None = None, column: str | None = None) -> Any:
    return ImportError_(source, [Problem(row, column, message)])


def read_bytes(path: Path) -> bytes:
    source = str(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise refuse(source, "file not found; check the path") from None
    except IsADirectoryError:
        raise refuse(source, "is a folder; give a CSV or Excel (.xlsx) file") from None


def read_grid(path: Path, sheet: str | int | None = None, what: str = "a header row") -> Grid:
    """The file's cells as text: CSV (UTF-8) or one sheet of an .xlsx workbook (``sheet``: a
    number from 1 or a name; the first by default). Refused in plain words, naming the fix,
    if it is neither, or is damaged, locked with a password, or empty."""
    source = str(path)
    raw = read_bytes(path)
    if raw.startswith(XLSX_MAGIC):
        named_csv = path.suffix.lower() in (".csv", ".txt")
        return _excel_grid(source, raw, sheet, named_csv)
    if raw.startswith(OLE_MAGIC):
        raise refuse(
            source,
            "is an old-style .xls workbook, or an .xlsx locked with a password; open it in "
            "Excel, remove any password (File, Info, Protect Workbook), save it as 'Excel "
            "Workbook (.xlsx)' and import that file",
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise refuse(
            source,
            "is named .xlsx but is not an Excel workbook (it holds text, probably CSV); rename "
            "it to .csv, or open it in Excel and save it as 'Excel Workbook (.xlsx)'",
        )
    if sheet is not None:
        raise refuse(source, "is a CSV file, which has no sheets; leave out --sheet")
    return Grid(source, raw, _csv_rows(source, csv_text(source, raw, what)))


def csv_text(source: str, raw: bytes, what: str) -> str:
    """The decoded text of a CSV file, or a plain-English refusal."""
    if b"\x00" in raw:
        raise refuse(
            source,
            f"is not a text file (it contains binary data); save the data as {SAVE_AS_CSV} "
            "or as an Excel workbook (.xlsx) and import that file",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse(
            source,
            f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); the file was probably saved as "
            f"Windows or plain 'CSV'. Save it again as {SAVE_AS_CSV}",
            row=raw[: exc.start].count(b"\n") + 1,
        ) from None
    if not text.strip():
        raise refuse(source, f"is empty; it needs {what} and at least one row")
    return text


def _csv_rows(source: str, text: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return list(enumerate(reader, start=1))
    except csv.Error as exc:
        line = reader.line_num
        raise refuse(
            source, f"is not well-formed CSV ({exc}); check the quotes on that row", row=line
        ) from None


# -- Excel ------------------------------------------------------------------------------------


def _open_book(source: str, raw: bytes, named_csv: bool) -> Any:
    from openpyxl import load_workbook

    damaged = (
        "is a damaged Excel workbook or not one at all; open it in Excel, save it again as "
        "'Excel Workbook (.xlsx)' and import that file"
    )
    if named_csv:
        damaged = (
            "is a spreadsheet file, not CSV, and Excel cannot read it either; open it in your "
            f"spreadsheet, choose Save As, {SAVE_AS_CSV}, and import that file"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse(source, damaged) from None
    if "xl/workbook.xml" not in names:
        raise refuse(source, damaged)
    if unpacked > MAX_UNPACKED_BYTES:
        raise refuse(
            source,
            f"unpacks to {unpacked // 2**20} MB, more than the {MAX_UNPACKED_BYTES // 2**20} MB "
            "coeval reads; split it, or save the sheet you need as CSV",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(raw), read_only=False, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file it cannot read
        raise refuse(source, damaged) from None


def _choose_sheet(source: str, book: Any, sheet: str | int | None) -> Any:
    names = book.sheetnames
    listed = ", ".join(repr(n) for n in names)
    if sheet is None:
        return book.worksheets[0]
    text = str(sheet).strip()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(names):
            return book.worksheets[number - 1]
        raise refuse(source, f"has no sheet {number}; it has {len(names)} ({listed})")
    if text in names:
        return book[text]
    raise refuse(source, f"has no sheet named {text!r}; its sheets are {listed}")


def _excel_grid(source: str, raw: bytes, sheet: str | int | None, named_csv: bool) -> Grid:
    book = _open_book(source, raw, named_csv)
    ws = _choose_sheet(source, book, sheet)
    if ws.max_row * ws.max_column > MAX_CELLS:
        raise refuse(
            source,
            f"sheet {ws.title!r} has {ws.max_row} rows and {ws.max_column} columns, more than "
            "coeval reads; delete the empty rows and columns, or import a smaller sheet",
        )
    problems = Problems()
    rows = []
    for cells in ws.iter_rows():
        texts = [cell_text(cell, problems) for cell in cells]
        if cells:
            rows.append((cells[0].row, texts))
    if problems:
        raise ImportError_(source, problems)
    rows = _trimmed(rows)
    if not rows:
        raise refuse(source, f"sheet {ws.title!r} is empty; choose the sheet with the data")
    return Grid(source, raw, rows, ws.title, book)


def _trimmed(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Without the blank rows at the end and the blank columns at the right (Excel keeps
    cells that were formatted or cleared)."""
    while rows and not any(c.strip() for c in rows[-1][1]):
        rows.pop()
    width = max((i + 1 for _n, cells in rows for i, c in enumerate(cells) if c.strip()), default=0)
    return [(n, cells[:width]) for n, cells in rows]


def cell_text(cell: Any, problems: Problems) -> str:
    """One Excel cell as text, as a CSV file would hold it; a formula or an error value is
    added to ``problems`` (never worked out)."""
    value = cell.value
    where = f"cell {cell.coordinate}"
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and value[1:]):
        problems.add(
            Problem(
                cell.row,
                cell.column_letter,
                f"{where} holds a formula; coeval does not work formulas out. Copy the "
                "column and paste it back as values (Paste Special, Values), then import again",
            )
        )
        return ""
    if cell.data_type == "e":
        problems.add(
            Problem(cell.row, cell.column_letter, f"{where} holds the error {value}; fix it")
        )
        return ""
    return value_text(value, getattr(cell, "number_format", "General"))


_PADDED = re.compile(r"0+")


def value_text(value: Any, number_format: str = "General") -> str:
    """A cell's value as text: whole numbers without ``.0``, dates as ISO dates, a number
    shown with leading zeros (number format ``000``) as it is shown."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return repr(value)
        number = int(value)
        if _PADDED.fullmatch(number_format or "") and number >= 0:
            return str(number).zfill(len(number_format))
        return str(number)
    return str(value)


def merged_problem(grid: Grid, header_rows: int) -> Problem | None:
    """Merged cells in the last header row or below, where each cell needs its own value;
    merged cells in earlier header rows read as the merge's text followed by blanks, which
    the header rule fills in."""
    if not grid.is_excel:
        return None
    ws = grid.book[grid.sheet]
    first = grid.rows[0][0] if grid.rows else 1
    last_header = first + header_rows - 1
    for merged in ws.merged_cells.ranges:
        if merged.max_row >= last_header:
            row = "the header row" if merged.min_row <= last_header else f"row {merged.min_row}"
            return Problem(
                merged.min_row,
                None,
                f"cells {merged.coord} are merged in {row}; each column needs its own cell. "
                "Select them in Excel, choose Merge & Center, Unmerge Cells, fill in each cell, "
                "and import again",
            )
    return None
