"""Which column of a survey export holds what the mapping names: each response's id and time,
the project and role (when a question chooses them), each item's answers, the comments and
their consent, and the columns that identify people (never stored)."""

from __future__ import annotations

from dataclasses import dataclass, field

from coeval.exceptions import ImportError_, Problem
from coeval.frameworks import Framework
from coeval.ingest.survey_mapping import (
    FIRST_COLUMN,
    Comment,
    SurveyMapping,
    is_identifying,
    joined_headers,
    nearest,
)
from coeval.ingest.tables import Grid


@dataclass
class Columns:
    headers: list[str]
    respondent: int | None = None
    time: int | None = None
    project: int | None = None
    role: int | None = None
    items: dict[str, int] = field(default_factory=dict)
    comments: list[tuple[Comment, int, int | None]] = field(default_factory=list)
    identifying: set[int] = field(default_factory=set)


class _Finder:
    def __init__(self, headers: list[str], row: int):
        self.headers = headers
        self.row = row
        self.problems: list[Problem] = []

    def index(self, wanted: str, key: str) -> int | None:
        """The column headed ``wanted`` exactly (spaces and line breaks as one space)."""
        tidy = " ".join(wanted.split())
        if tidy in self.headers:
            return self.headers.index(tidy)
        folded = [h.casefold() for h in self.headers]
        if tidy.casefold() in folded:
            return folded.index(tidy.casefold())
        self.problems.append(
            Problem(
                self.row,
                wanted,
                f"{key}: there is no column with this header; the headers are, nearest "
                f"first: {nearest(tidy, self.headers)}",
            )
        )
        return None

    def matching(self, pattern: object, key: str) -> int | None:
        found = [i for i, h in enumerate(self.headers) if pattern.search(h)]  # type: ignore[attr-defined]
        if len(found) == 1:
            return found[0]
        shown = getattr(pattern, "pattern", str(pattern))
        if not found:
            message = f"{key}: no header matches {shown!r}; the headers are: " + nearest(
                shown, self.headers
            )
        else:
            several = ", ".join(repr(self.headers[i]) for i in found[:6])
            message = f"{key}: {len(found)} headers match {shown!r} ({several}); make it match one"
        self.problems.append(Problem(self.row, None, message))
        return None


def resolve_columns(mapping: SurveyMapping, grid: Grid, fw: Framework) -> Columns:
    """Each named column's position; refused, listing the headers, when one is missing."""
    header_rows = [cells for _n, cells in grid.rows[: mapping.header_rows]]
    last_row = grid.rows[mapping.header_rows - 1][0]
    cols = Columns(joined_headers(header_rows))
    find = _Finder(cols.headers, last_row)
    cols.identifying = {i for i, h in enumerate(cols.headers) if is_identifying(h, mapping.drop)}
    for dropped in mapping.drop:
        find.index(dropped, "drop")
    if mapping.respondent == FIRST_COLUMN:
        cols.respondent = 0
    elif mapping.respondent is not None:
        cols.respondent = find.index(mapping.respondent, "respondent")
    cols.time = _time_column(mapping, cols.headers, find)
    for what in ("project", "role"):
        column = getattr(mapping, what).column
        if column is not None:
            setattr(cols, what, find.index(column, f"{what}.column"))
    for item, header in mapping.items.items():
        key = f"items.{item}"
        at = find.index(header, key) if isinstance(header, str) else find.matching(header, key)
        if at is not None:
            cols.items[item] = at
    for n, comment in enumerate(mapping.comments):
        at = find.index(comment.column, f"comments[{n}].column")
        consent = None
        if comment.consent_column:
            consent = find.index(comment.consent_column, f"comments[{n}].consent.column")
        if at is not None:
            cols.comments.append((comment, at, consent))
    _not_identifying(cols, find, fw)
    if find.problems:
        raise ImportError_(grid.source, find.problems)
    return cols


def _time_column(mapping: SurveyMapping, headers: list[str], find: _Finder) -> int | None:
    if mapping.time_given:
        return find.index(mapping.times[0], "recorded_at.column")
    folded = {h.casefold() for h in headers}
    present = [t for t in mapping.times if " ".join(t.split()).casefold() in folded]
    if present:
        return find.index(present[0], "recorded_at.column")
    if mapping.period is None:
        looked = ", ".join(repr(t) for t in mapping.times) or "none named"
        find.problems.append(
            Problem(
                None,
                None,
                f"no column gives each response's time (looked for: {looked}); add "
                "recorded_at: {column: HEADER} or period: 2026Q3 to the mapping",
            )
        )
    return None


def _not_identifying(cols: Columns, find: _Finder, fw: Framework) -> None:
    """A column that identifies people is never read as an answer, a project or a role."""
    named = [*cols.items.values(), cols.project, cols.role, *(c for _c, c, _k in cols.comments)]
    for at in named:
        if at is not None and at in cols.identifying:
            find.problems.append(
                Problem(
                    find.row,
                    cols.headers[at],
                    f"identifies people, so coeval never reads it; map another column ({fw.id})",
                )
            )
