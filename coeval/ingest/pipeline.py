"""CSV import: reading a file and checking its rows, for every kind of file (each kind's
:class:`coeval.ingest.importer.Importer` runs it; exports are in :mod:`coeval.ingest.export`).

Import is strict and all-or-nothing: every cell is read as text, every row is checked before
any is stored, and every problem is reported with its row as a spreadsheet shows it (the header
is row 1), its column and the fix. The file as received is kept unchanged under
``data/imports/``, and a file whose content was imported before is not imported twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from coeval.config import Workbook
from coeval.disclosure import personal_detail
from coeval.exceptions import CoevalError, ImportError_, Problem, Problems
from coeval.ingest.tables import Grid, merged_problem
from coeval.periods import parse_period
from coeval.store import Project
from coeval.store.base import utcnow
from coeval.text import control_characters, printable, shorten
from coeval.vocabulary import RATER_ID

RATING_FILE_COLUMNS = (
    "project",
    "period",
    "framework",
    "item",
    "rater",
    "role",
    "score",
    "note",
    "recorded_at",
)
OPTIONAL_COLUMNS = ("note", "recorded_at")
YES = frozenset({"yes", "y", "true", "1"})  # a spreadsheet's TRUE and 1 count as yes
NO = frozenset({"no", "n", "false", "0"})
#: Other names people give a column, and the column they mean.
COLUMN_ALIASES = {"consent": "consent_to_publish"}
NOTE_LIMIT = 2000


@dataclass(frozen=True)
class ImportResult:
    source: str
    stored: int
    import_id: int | None
    kept_as: str | None
    already_imported_at: datetime | None = None
    blank_rows: int = 0


def rater_problem(rater: str, names: Sequence[str] = ()) -> str | None:
    """What is wrong with a rater id, or None: it must be a pseudonymous code, never a name,
    an email address, or anything that reads as one of the workbook's listed names."""
    if not RATER_ID.match(rater):
        return (
            f"{shorten(rater)} is not a pseudonymous id; use a code of letters, digits, - and _ "
            "(like C014), never a name or email address"
        )
    detail = personal_detail(rater, names)
    if detail:
        return (
            f"{shorten(rater)} reads as {detail}; use a code such as C014 instead, so nobody "
            "can be recognised from it"
        )
    return None


def _few(values: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" (and {len(values) - limit} more)" if len(values) > limit else "")


def read_records(
    grid: Grid, required: Sequence[str], optional: Sequence[str]
) -> tuple[list[str], list[tuple[int, dict[str, str]]], int]:
    """Header (the first row) and records as text cells, keyed by column; checks the header
    and each row's shape."""
    source = grid.source
    merged = merged_problem(grid, 1)
    if merged is not None:
        raise ImportError_(source, [merged])
    number, first = grid.rows[0]
    if number != 1:
        raise ImportError_(
            source, [Problem(1, None, "is blank; the header row must be the first row")]
        )
    header = _checked_header(first, source, required, optional)
    records = grid.rows[1:]
    if grid.is_excel:  # a sheet's rows are as wide as its widest: cut to the header
        records = [(n, _within(source, n, cells, len(header))) for n, cells in records]
    rows, blank = _checked_rows(records, header, source)
    if not rows:
        raise ImportError_(source, [Problem(None, None, "has a header but no rows to import")])
    return header, rows, blank


def _within(source: str, number: int, cells: list[str], width: int) -> list[str]:
    beyond = [i for i, cell in enumerate(cells[width:], start=width) if cell.strip()]
    if beyond:
        from openpyxl.utils import get_column_letter  # loads numpy: only on this rare path

        letter = get_column_letter(beyond[0] + 1)
        raise ImportError_(
            source,
            [
                Problem(
                    number,
                    letter,
                    "has a value in a column with no heading; give the column a heading or "
                    "clear it",
                )
            ],
        )
    return [*cells[:width], *[""] * (width - len(cells))]


def _checked_header(
    cells: Sequence[str], source: str, required: Sequence[str], optional: Sequence[str]
) -> list[str]:
    """The header row's column names (lower case, aliases resolved), or every problem."""
    known = [*required, *optional]
    header = [cell.strip().lower() for cell in cells]
    header = [COLUMN_ALIASES.get(name, name) if name not in known else name for name in header]
    problems = []
    for name in header:
        if name not in known:
            problems.append(
                Problem(
                    1, name or "(blank)", f"unknown column; the columns are: {', '.join(known)}"
                )
            )
        elif header.count(name) > 1:
            problems.append(Problem(1, name, "column appears twice; keep one"))
    for name in required:
        if name not in header:
            problems.append(Problem(1, name, "column is missing; add it to the header row"))
    if problems:
        raise ImportError_(source, list(dict.fromkeys(problems)))
    return header


def _checked_rows(
    records: Sequence[tuple[int, Sequence[str]]], header: Sequence[str], source: str
) -> tuple[list[tuple[int, dict[str, str]]], int]:
    """Each non-blank row as text cells keyed by column, with its spreadsheet row number,
    and how many blank rows were skipped; or every row of the wrong shape or with a control
    character."""
    rows: list[tuple[int, dict[str, str]]] = []
    found = Problems()
    blank = 0
    for number, cells in records:
        if not any(cell.strip() for cell in cells):
            blank += 1
            continue
        if len(cells) != len(header):
            found.add(
                Problem(
                    number,
                    None,
                    f"has {len(cells)} cells but the header has {len(header)}; check for a stray "
                    "comma or a missing cell",
                )
            )
            continue
        for name, cell in zip(header, cells, strict=True):
            controls = control_characters(cell)
            if controls:
                found.add(
                    Problem(
                        number,
                        name,
                        f"contains a control character ({', '.join(controls)}), which cannot be "
                        "shown or printed; delete it (it usually comes from copying text out of "
                        "another program)",
                    )
                )
        rows.append((number, {n: printable(c).strip() for n, c in zip(header, cells, strict=True)}))
    if found:
        raise ImportError_(source, found)
    return rows, blank


def parse_timestamp(text: str, tz: ZoneInfo) -> datetime:
    """An ISO 8601 date or date-time as naive UTC; without a zone it is read in ``tz``."""
    value = datetime.fromisoformat(text.replace("z", "Z"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC).replace(tzinfo=None)


#: Reports a problem with one cell: its column and what to do.
Bad = Callable[[str, str], None]


class RowChecks:
    """What every kind of import checks the same way: cells that must not be blank, the
    project, the period, a time. A kind of import says which cells it needs and how a row
    becomes the value it stores (:meth:`value`), reporting each problem to ``bad``."""

    required: tuple[str, ...] = ()
    needs = "every row needs a {}"  # the fix for a blank required cell

    def __init__(self, workbook: Workbook, projects: Sequence[Project]):
        self.settings = workbook.settings
        self.projects = {p.id: p for p in projects}
        self.imported_at = utcnow()
        self.latest_allowed = self.imported_at + timedelta(days=1)

    def check(self, number: int, row: Mapping[str, str]) -> tuple[Any, list[Problem]]:
        """One row (numbered as a spreadsheet shows it): its value and its problems."""
        problems: list[Problem] = []

        def bad(column: str, message: str) -> None:
            problems.append(Problem(number, column, message))

        for column in self.required:
            if not row[column]:
                bad(column, "is blank; " + self.needs.format(column.replace("_", " ")))
        return self.value(row, bad), problems

    def value(self, row: Mapping[str, str], bad: Bad) -> Any:
        raise NotImplementedError

    def project(self, text: str, bad: Bad) -> Project | None:
        project = self.projects.get(text)
        if text and project is None:
            known = sorted(self.projects)
            hint = f"known projects: {_few(known)}" if known else "there are no projects yet"
            bad(
                "project",
                f"unknown project {shorten(text)} ({hint}); add it with "
                f"`coeval project add {text} --name NAME`",
            )
        return project

    def period(self, text: str, bad: Bad) -> str | None:
        if not text:
            return None
        try:
            return parse_period(text, self.settings.period_scheme).label
        except CoevalError as exc:
            bad("period", str(exc))
            return None

    def rater(self, text: str, bad: Bad, column: str = "rater") -> None:
        """A rater's id must be a pseudonymous code, and never look like a listed name."""
        if not text:
            return
        problem = rater_problem(text, self.settings.disclosure.redact_names)
        if problem:
            bad(column, problem)

    @staticmethod
    def yes_no(text: str, column: str, bad: Bad) -> bool:
        """A yes or no cell (blank means no)."""
        answer = text.strip().lower()
        if answer and answer not in YES | NO:
            bad(column, f"{shorten(text)}; write yes or no")
        return answer in YES

    def timestamp(self, text: str, column: str, bad: Bad) -> datetime:
        """When something was recorded (the import time if blank), as naive UTC."""
        if not text:
            return self.imported_at
        try:
            value = parse_timestamp(text, self.settings.tz)
        except ValueError:
            bad(
                column,
                f"{shorten(text)} is not a date; write it like 2026-07-14 or 2026-07-14T10:30:00",
            )
            return self.imported_at
        if value > self.latest_allowed:
            bad(column, f"{shorten(text)} is in the future")
        return value
