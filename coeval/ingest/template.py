"""Fill-in spreadsheets: an Excel workbook for ratings gathered on paper, by letter, by phone
or face to face, and the reading of it back. The visible sheet ``Ratings`` has a row per
person: their reference (never a name), who they are, the day their answers came in, then a
column per framework item with a drop-down of the scale's words and "Don't know". The hidden
sheet ``coeval`` holds the drop-downs' words and what coeval needs to read the file back with
no mapping, as tables with a heading in row 1: settings in A:B (``template``, the marker;
``format``; ``project``; ``framework``; ``framework version``; ``sheet``; a ``note``); the
visible sheet's columns in D:G (letter; what it holds: ``reference``, ``role``, ``date`` or
``item``; item id; heading); the answers in I:J (each scale word and its score, then "Don't
know" and ``dont_know``); the roles in L:M (the words people read, and the role id).
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook as Book
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from coeval import vocabulary
from coeval.exceptions import ConfigError, FrameworkError, Problem
from coeval.files import write_atomic
from coeval.frameworks import Framework
from coeval.frameworks.model import DONT_KNOW_LABEL
from coeval.ingest.pipeline import RATING_FILE_COLUMNS, Bad, rater_problem
from coeval.ingest.tables import value_text
from coeval.periods import CALENDAR, period_of
from coeval.store import Project
from coeval.text import one_line, printable, shorten

SHEET = "Ratings"
HIDDEN = "coeval"
MARKER = "coeval ratings template"
FORMAT = 1
ROWS = 500  # rows with drop-downs, below the heading
REFERENCE, ROLE, DATE = "Reference", "Role", "Date"

#: How each role is offered in the Role drop-down: the words people read, then the role id.
ROLE_WORDS = vocabulary.ROLE_WORDS

# Where each table starts on the hidden sheet (a column number), and its headings (row 1).
_SETTINGS, _COLUMNS, _ANSWERS, _ROLES = 1, 4, 9, 12
_TABLES = {_SETTINGS: ("setting", "value"), _COLUMNS: ("column", "holds", "item", "heading")}
_TABLES |= {_ANSWERS: ("answer", "score"), _ROLES: ("role", "role id")}
# The columns before the items: heading, what it holds, width, number format.
_FIXED = (
    (REFERENCE, "reference", 14, "@"),  # text, so a reference typed as 007 stays 007
    (ROLE, "role", 28, "General"),
    (DATE, "date", 14, "d mmm yyyy"),
)
_ITEM_WIDTH = 24
# How a Date cell may read: an Excel date as an ISO date; typed text day first, as in the UK.
_DATE_FORMATS: tuple[str, ...] = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y", "%d/%m/%y")
_DATE_FORMATS += ("%d-%m-%Y", "%d %b %Y", "%d %B %Y")
_PICK = "Pick a word from the list, or Don't know. Leave it blank if they did not answer."
_NOTE = "coeval reads this sheet to import the Ratings sheet; leave it as it is"
_REFRESH = (
    "put the columns back as they were, or make a new template with `coeval template ratings` "
    "and copy the answers into it"
)
_MOVED = (
    "column {} should be headed {!r} but is headed {}: columns have been moved or deleted "
    f"since the template was made, so coeval cannot tell which answer is which; {_REFRESH}"
)
_EXTRA = (
    "column {} is not one of the template's columns, so coeval would not read what is in it; "
    "move that to another file and delete the column"
)
_FORMULA = (
    "holds a formula; coeval does not work formulas out. Type the answer itself, or copy the "
    "cells and paste them back as values (Paste Special, Values)"
)
_BLANK = {
    REFERENCE: "type the person's reference, like L-014 (never their name)",
    ROLE: "pick who they are from the list",
    DATE: "type the day their answers came in, like 14/07/2026",
}


# -- writing ------------------------------------------------------------------------------------


def write_template(
    path: Path, project: Project, framework: Framework, *, rows: int = ROWS, force: bool = False
) -> Path:
    """Write a fill-in ratings workbook for ``project`` on ``framework`` to ``path`` (.xlsx).
    Refuses a project that does not use the framework, and an existing file unless ``force``."""
    if framework.id not in project.frameworks:
        used = ", ".join(project.frameworks) or "none"
        raise FrameworkError(
            f"project {project.id!r} does not use {framework.id!r}; it uses {used}"
        )
    if path.suffix.lower() != ".xlsx":
        raise ConfigError(f"{path}: end the file's name with .xlsx, like ratings.xlsx")
    if path.exists() and not force:
        raise ConfigError(f"{path} already exists; give another name, or --force to replace it")
    buffer = io.BytesIO()
    template_book(project.id, framework, rows).save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, buffer.getvalue())


def template_book(project_id: str, framework: Framework, rows: int = ROWS) -> Book:
    """The fill-in workbook itself (see the module's description for its sheets)."""
    book = Book()
    ws = book.worksheets[0]
    ws.title = SHEET
    scale = [(level.label, level.value) for level in framework.scale]
    answers = [*scale, (DONT_KNOW_LABEL, vocabulary.DONT_KNOW)]
    roles = [(word, role) for role, word in ROLE_WORDS.items()]
    columns = [(name, holds, "") for name, holds, _width, _format in _FIXED]
    columns += [(one_line(item.title), "item", item.id) for item in framework.items]
    settings = {"template": MARKER, "format": FORMAT, "project": project_id}
    settings |= {"framework": framework.id, "framework version": framework.version}
    settings |= {"sheet": SHEET, "note": _NOTE}
    listed = [(get_column_letter(n), *column[1:], column[0]) for n, column in enumerate(columns, 1)]
    hidden = book.create_sheet(HIDDEN)
    tables: dict[int, Sequence[Any]] = {_SETTINGS: [*settings.items()], _COLUMNS: listed}
    tables |= {_ANSWERS: answers, _ROLES: roles}
    for start, entries in tables.items():
        for row, values in enumerate([_TABLES[start], *entries], start=1):
            for offset, value in enumerate(values):
                _put(hidden, row, start + offset, value)
    hidden.sheet_state = "hidden"
    hidden.protection.sheet = True
    _headings(ws, framework)
    _validations(ws, framework, rows, _list_range(_ANSWERS, answers), _list_range(_ROLES, roles))
    ws.freeze_panes = "A2"
    return book


def _put(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write a value; text is always text, never a formula, whatever it starts with."""
    cell = ws.cell(row, column, printable(value) if isinstance(value, str) else value)
    cell.data_type = "s" if isinstance(value, str) else cell.data_type
    return cell


def _list_range(start: int, entries: Sequence[Any]) -> str:
    letter = get_column_letter(start)
    return f"'{HIDDEN}'!${letter}$2:${letter}${len(entries) + 1}"


def _headings(ws: Worksheet, framework: Framework) -> None:
    """The heading row: bold and wrapped, each item's question in a comment on its heading;
    the columns wide enough to read."""
    fixed = [(name, width, number_format, None) for name, _holds, width, number_format in _FIXED]
    items = [(one_line(i.title), _ITEM_WIDTH, "General", i.question) for i in framework.items]
    for n, (name, width, number_format, question) in enumerate([*fixed, *items], 1):
        cell = _put(ws, 1, n, name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if question:
            cell.comment = Comment(printable(question), "coeval", height=110, width=280)
        column = ws.column_dimensions[get_column_letter(n)]
        column.width, column.number_format = width, number_format
    lines = max((math.ceil(len(name) / (_ITEM_WIDTH - 4)) for name, *_ in items), default=1)
    ws.row_dimensions[1].height = 15 * lines + 6


def _validations(ws: Worksheet, framework: Framework, rows: int, answers: str, roles: str) -> None:
    """A drop-down with an input message on Role and every item; checks on Reference and
    Date. Each rule covers the first ``rows`` rows below the heading."""
    prompts: list[tuple[Any, ...]] = [
        (REFERENCE, "Their reference, like L-014: never their name.", "textLength", "1", "64"),
        (ROLE, "Who they are: pick one from the list.", "list", roles, None),
        (DATE, "The day their answers came, like 14/07/2026.", "date", "DATE(2000,1,1)", "TODAY()"),
    ]
    for item in framework.items:
        question = one_line(item.question)[: 254 - len(_PICK)]
        prompts.append((one_line(item.title), f"{question} {_PICK}", "list", answers, None))
    for n, (title, prompt, kind, low, high) in enumerate(prompts, 1):
        letter = get_column_letter(n)
        check = DataValidation(
            type=kind,
            operator=None if kind == "list" else "between",
            formula1=low,
            formula2=high,
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=True,
            promptTitle=title if len(title) <= 32 else title[:31] + "…",
            prompt=prompt,
            error="Pick one of the words in the list." if kind == "list" else prompt,
            sqref=f"{letter}2:{letter}{rows + 1}",
        )
        ws.add_data_validation(check)


# -- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    number: int  # 1 for column A; 0 if the hidden sheet names no real column
    holds: str  # reference, role, date or item
    item: str  # the item's id, for an item
    heading: str


@dataclass(frozen=True)
class _Layout:  # what the hidden sheet says about the visible one
    project: str
    framework: str
    columns: tuple[_Column, ...]
    answers: list[list[str]]  # [word, score]
    roles: list[list[str]]  # [word, role id]


def _text(value: Any, number_format: str = "General") -> str:
    return printable(value_text(value, number_format)).strip()


def is_template(book: Any) -> bool:
    """Whether an openpyxl workbook is a coeval ratings template (marked as one)."""
    return HIDDEN in book.sheetnames and ["template", MARKER] in _entries(book, _SETTINGS, 2)


def _entries(book: Any, start: int, width: int) -> list[list[str]]:
    """A table on the hidden sheet: its rows below the heading, up to the first blank one."""
    found = []
    for cells in book[HIDDEN].iter_rows(min_row=2, min_col=start, max_col=start + width - 1):
        texts = [_text(cell.value) for cell in cells]
        if not texts[0]:
            break
        found.append(texts)
    return found


def _layout(book: Any) -> _Layout | str:
    """The hidden sheet read, or what stops it being read."""
    if not is_template(book):
        return (
            "is not a coeval ratings template (it has no hidden 'coeval' sheet); make one with "
            "`coeval template ratings`, or import a ratings CSV file"
        )
    settings = {row[0]: row[1] for row in _entries(book, _SETTINGS, 2)}
    if settings.get("format") != str(FORMAT):
        return (
            f"is a ratings template in format {shorten(settings.get('format'))}, which this "
            f"coeval cannot read (it reads format {FORMAT}); update coeval"
        )
    columns = tuple(_Column(_number(row[0]), *row[1:]) for row in _entries(book, _COLUMNS, 4))
    answers, roles = _entries(book, _ANSWERS, 2), _entries(book, _ROLES, 2)
    fixed = {(c.heading, c.holds) for c in columns} >= {(n, h) for n, h, *_ in _FIXED}
    project, framework = settings.get("project", ""), settings.get("framework", "")
    if not (project and framework and answers and roles and fixed):
        return f"its hidden 'coeval' sheet has been changed; {_REFRESH}"
    if SHEET not in book.sheetnames:
        return f"has no sheet {SHEET!r}; give the sheet with the answers that name again"
    return _Layout(project, framework, columns, answers, roles)


def _number(letter: str) -> int:
    return column_index_from_string(letter) if re.fullmatch(r"[A-Z]{1,3}", letter) else 0


def _heading_problem(ws: Worksheet, layout: _Layout) -> Problem | None:
    """The first column not headed as when the template was made (someone moved or deleted
    columns), or the first cell filled in right of the template's (coeval would not read it)."""
    for column in layout.columns:
        found = one_line(_text(ws.cell(1, column.number).value)) if column.number else ""
        if found != column.heading:
            where = get_column_letter(column.number) if column.number else "?"
            shown = shorten(found) if found else "nothing"
            return Problem(1, column.heading, _MOVED.format(where, column.heading, shown))
    last = max(column.number for column in layout.columns)
    for cell in (cell for cells in ws.iter_cols(min_col=last + 1) for cell in cells):
        if cell.data_type == "f" or _text(cell.value):
            heading = _text(ws.cell(1, cell.column).value) or cell.column_letter
            return Problem(cell.row, heading, _EXTRA.format(cell.column_letter))
    return None


def template_records(
    book: Any, scheme: str = CALENDAR, *, today: date | None = None, names: Sequence[str] = ()
) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[Problem]]:
    """The ratings in a filled-in template (an openpyxl workbook), as a ratings file holds
    them: its columns, the records, and every problem.

    One record per answered item of each row that has no problem, with the sheet's row
    number (the heading is row 1); its cells are text: ``period`` is the ``scheme`` quarter
    holding the row's Date, ``score`` a number or ``dont_know``, ``recorded_at`` the Date as
    an ISO date, ``note`` blank. Blank rows, rows with no answers and blank items give no
    record. Each problem names the sheet's row and column heading. A reference must not read
    as one of ``names``; formulas are refused, never worked out."""
    header = list(RATING_FILE_COLUMNS)
    layout = _layout(book)
    if isinstance(layout, str):
        return header, [], [Problem(None, None, layout)]
    ws = book[SHEET]
    problem = _heading_problem(ws, layout)
    if problem is not None:
        return header, [], [problem]
    records: list[tuple[int, dict[str, str]]] = []
    problems: list[Problem] = []
    reader = _RowReader(layout, scheme, today or date.today(), names)
    for cells in ws.iter_rows(min_row=2):
        found, trouble = reader.read(cells)
        problems += trouble
        records += [(cells[0].row, record) for record in found]
    return header, records, problems


class _RowReader:
    """Reads one row of the visible sheet into ratings records, or its problems."""

    def __init__(self, layout: _Layout, scheme: str, today: date, names: Sequence[str]):
        self.layout, self.scheme, self.today, self.names = layout, scheme, today, names

    def read(self, cells: Sequence[Any]) -> tuple[list[dict[str, str]], list[Problem]]:
        problems: list[Problem] = []

        def bad(column: str, message: str) -> None:
            problems.append(Problem(cells[0].row, column, message))

        # every column is there: the heading row, checked first, reaches the last
        texts = {c: self._cell(cells[c.number - 1], c.heading, bad) for c in self.layout.columns}
        answered = [(c, text) for c, text in texts.items() if c.holds == "item" and text]
        if not answered:
            return [], problems
        person = {c.heading: text for c, text in texts.items() if c.holds != "item"}
        rater, role, day = self._person(person, bad)
        choices = self.layout.answers
        scores = [(c, self._choice(c.heading, text, choices, bad)) for c, text in answered]
        if problems or day is None:
            return [], problems
        layout, period = self.layout, period_of(day, self.scheme).label
        common = dict(project=layout.project, period=period, framework=layout.framework)
        common |= dict(rater=rater, role=role, note="", recorded_at=day.isoformat())
        return [{**common, "item": column.item, "score": score} for column, score in scores], []

    @staticmethod
    def _cell(cell: Any, heading: str, bad: Bad) -> str:
        """A cell as text; a formula or an error value is a problem (and reads as blank)."""
        if cell.data_type in ("f", "e"):
            trouble = _FORMULA if cell.data_type == "f" else f"holds the error {cell.value}"
            bad(heading, f"cell {cell.coordinate} {trouble}")
            return ""
        return _text(cell.value, cell.number_format)

    def _person(self, person: dict[str, str], bad: Bad) -> tuple[str, str, date | None]:
        """The row's reference, role id and date, each checked."""
        for heading, fix in _BLANK.items():
            if not person[heading]:
                bad(heading, f"is blank on a row with answers; {fix}")
        rater, role, when = person[REFERENCE], person[ROLE], person[DATE]
        problem = rater_problem(rater, self.names) if rater else None
        if problem:
            bad(REFERENCE, problem)
        role = self._choice(ROLE, role, self.layout.roles, bad) if role else ""
        day = _day(when) if when else None
        if when and day is None:
            bad(DATE, f"{shorten(when)} is not a date; type it like 14/07/2026")
        elif day is not None and day > self.today:
            bad(DATE, f"{day:%d/%m/%Y} is in the future; type the day their answers came in")
        return rater, role, day

    @staticmethod
    def _choice(heading: str, text: str, choices: list[list[str]], bad: Bad) -> str:
        """What a word picked from a drop-down stands for, or a problem naming the choices."""
        for word, value in choices:
            if _key(word) == _key(text):
                return value
        words = ", ".join(word for word, _value in choices)
        bad(heading, f"{shorten(text)} is not one of the choices; pick one from the list ({words})")
        return ""


def _key(text: str) -> str:
    """A word as it is matched: spaces, case and curly apostrophes do not matter."""
    return " ".join(text.replace("’", "'").split()).casefold()


def _day(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        with contextlib.suppress(ValueError):
            return datetime.strptime(text, pattern).date()
    return None
