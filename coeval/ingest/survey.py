"""Importing a survey tool's export (``coeval import survey FILE --mapping MAP.yaml``).

The export is read as the tool wrote it (CSV or .xlsx, one to five header rows), through a
mapping (:mod:`coeval.ingest.survey_mapping`). As with every importer, every row is checked
before anything is stored, and every problem names the sheet's row and the column. Columns
that identify people (email, name, IP address, and any the mapping drops) are never stored:
the copy of the file kept under ``data/imports/`` is written without them (as CSV), the only
import whose copy is not the file as received. A later export of the same survey adds only
what is new: new respondents, and answers that changed since they were stored.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from coeval.config import Workbook
from coeval.exceptions import ImportError_, Problem, Problems, ValidationError
from coeval.frameworks import Framework
from coeval.ingest.importer import keep_and_store
from coeval.ingest.pipeline import rater_problem
from coeval.ingest.survey_columns import Columns, resolve_columns
from coeval.ingest.survey_mapping import SKIP, SurveyMapping, fold, read_mapping
from coeval.ingest.survey_times import TimeProblem, column_order, read_time
from coeval.ingest.tables import Grid, merged_problem, read_grid
from coeval.periods import parse_period, period_of
from coeval.store import Store
from coeval.store.base import utcnow
from coeval.text import control_characters, printable, shorten

KIND = "survey"


@dataclass
class Response:
    """One person's response, checked: who, where, when, and what they answered."""

    row: int
    rater: str
    project: str
    period: str
    role: str
    recorded_at: datetime
    answers: dict[str, int | None] = field(default_factory=dict)  # item -> score (None: DK)
    comments: list[tuple[str | None, str, bool]] = field(default_factory=list)


@dataclass(frozen=True)
class SurveyResult:
    source: str
    responses: list[Response]
    removed: tuple[str, ...]  # the identifying columns left out of everything kept
    dry_run: bool = False
    stored_ratings: int = 0
    stored_comments: int = 0
    import_id: int | None = None
    kept_as: str | None = None
    already_imported_at: datetime | None = None
    blank_rows: int = 0

    def by_item_and_role(self) -> Counter[tuple[str, str]]:
        return Counter((item, r.role) for r in self.responses for item in r.answers)

    @property
    def ratings(self) -> int:
        return sum(len(r.answers) for r in self.responses)

    @property
    def dont_knows(self) -> int:
        return sum(1 for r in self.responses for s in r.answers.values() if s is None)

    @property
    def comments(self) -> tuple[int, int]:
        """Comments with consent to share, and without."""
        given = [consent for r in self.responses for _i, _t, consent in r.comments]
        return sum(given), len(given) - sum(given)


class _Rows:
    """Checks the export's rows against the mapping and the workbook."""

    def __init__(
        self, workbook: Workbook, store: Store, mapping: SurveyMapping, fw: Framework, cols: Columns
    ):
        self.settings = workbook.settings
        self.mapping = mapping
        self.fw = fw
        self.cols = cols
        self.now = utcnow()
        self.seen: dict[str, int] = {}
        self.projects: dict[str, str | None] = {}  # each project's problem, once
        self.known = {p.id: p for p in store.projects()}
        self.period = (
            parse_period(mapping.period, self.settings.period_scheme).label
            if mapping.period
            else None
        )
        self.order: str | None = None

    def check(self, rows: Sequence[tuple[int, list[str]]]) -> tuple[list[Response], Problems]:
        problems = Problems()
        if self.cols.time is not None:
            try:
                self.order = column_order(cells[self.cols.time] for _n, cells in rows)
            except TimeProblem as exc:
                problems.add(Problem(rows[0][0], self.cols.headers[self.cols.time], str(exc)))
                return [], problems
        responses = []
        for number, cells in rows:
            found: list[Problem] = []
            response = self._response(number, cells, found)
            problems.extend(found)
            if not found and (response.answers or response.comments):
                responses.append(response)
        return responses, problems

    def _bad(self, found: list[Problem], number: int, column: int | None, message: str) -> None:
        header = self.cols.headers[column] if column is not None else None
        found.append(Problem(number, header, message))

    def _response(self, number: int, cells: list[str], found: list[Problem]) -> Response:
        for i, cell in enumerate(cells):
            if control_characters(cell) and i not in self.cols.identifying:
                self._bad(found, number, i, "contains a control character; delete it")
        rater = self._rater(number, cells, found)
        recorded = self._time(number, cells, found)
        project = self._chosen(number, cells, found, "project")
        role = self._chosen(number, cells, found, "role")
        period = self.period or period_of(recorded.date(), self.settings.period_scheme).label
        response = Response(number, rater, project, period, role, recorded)
        for item, column in self.cols.items.items():
            score = self._answer(number, cells[column], column, found)
            if score is not SKIP:
                response.answers[item] = None if score is None else int(score)
        for comment, column, consent_column in self.cols.comments:
            text = printable(cells[column]).strip()
            if text:
                consent = comment.consent or (
                    consent_column is not None
                    and fold(cells[consent_column]) in comment.consent_yes
                )
                response.comments.append((comment.item, text, consent))
        return response

    def _rater(self, number: int, cells: list[str], found: list[Problem]) -> str:
        column = self.cols.respondent
        if column is None:
            kept = [c for i, c in enumerate(cells) if i not in self.cols.identifying]
            value = hashlib.sha256("\x1f".join(kept).encode()).hexdigest()[:10]
        else:
            value = cells[column].strip()
            if not value:
                self._bad(found, number, column, "is blank; every response needs its id")
                return ""
        rater = self.mapping.rater_prefix + value
        problem = rater_problem(rater, self.settings.disclosure.redact_names)
        if problem:
            self._bad(found, number, column, problem)
        elif rater in self.seen:
            first = self.seen[rater]
            self._bad(
                found,
                number,
                column,
                f"the response {shorten(value)} appears again (first on row {first}); each "
                "response needs its own id: remove the repeated row",
            )
        self.seen.setdefault(rater, number)
        return rater

    def _time(self, number: int, cells: list[str], found: list[Problem]) -> datetime:
        column = self.cols.time
        if column is None:
            return self.now
        text = cells[column].strip()
        if not text:
            self._bad(found, number, column, "is blank; every response needs its time")
            return self.now
        try:
            value = read_time(text, self.settings.tz, self.order, self.mapping.time_format)
        except TimeProblem as exc:
            self._bad(found, number, column, str(exc))
            return self.now
        if value > self.now:
            self._bad(found, number, column, f"{text!r} is in the future; check it")
        return value

    def _chosen(self, number: int, cells: list[str], found: list[Problem], what: str) -> str:
        choice = getattr(self.mapping, what)
        column = getattr(self.cols, what)
        if column is None:
            value = str(choice.constant)
        else:
            answer = cells[column]
            value = choice.values.get(fold(answer), "")
            if not value:
                known = ", ".join(repr(k) for k in choice.values)
                self._bad(
                    found,
                    number,
                    column,
                    f"{shorten(answer)} is not one of the answers the mapping gives a {what} "
                    f"for ({known}); add it under {what}: values:",
                )
                return ""
        if what == "project":
            problem = self._project_problem(value)
            if problem:
                self._bad(found, number, column, problem)
        return value

    def _project_problem(self, project: str) -> str | None:
        if project not in self.projects:
            found = self.known.get(project)
            problem = None
            if found is None:
                problem = (
                    f"project {project!r} is not in the workbook; add it with `coeval project add`"
                )
            elif self.fw.id not in found.frameworks:
                problem = f"project {project!r} does not use {self.fw.id}"
            self.projects[project] = problem
        return self.projects[project]

    def _answer(self, number: int, text: str, column: int, found: list[Problem]) -> Any:
        key = fold(text)
        if not key:
            return None if self.mapping.blank != SKIP else SKIP
        if key in self.mapping.answers:
            return self.mapping.answers[key]
        known = ", ".join(repr(k) for k in list(self.mapping.answers)[:12])
        self._bad(
            found,
            number,
            column,
            f"{shorten(text)} is not one of the mapping's answers ({known}); add it under "
            "answers: with its score, or dont_know",
        )
        return SKIP


def read_survey(
    workbook: Workbook,
    store: Store,
    frameworks: Mapping[str, Framework],
    path: Path,
    mapping_path: Path,
    sheet: str | int | None = None,
) -> tuple[Grid, SurveyMapping, Columns, list[Response], int]:
    """The export read through its mapping and checked, row by row; or every problem."""
    mapping = read_mapping(mapping_path, frameworks)
    grid = read_grid(path, sheet if sheet is not None else mapping.sheet, "its header rows")
    source = grid.source
    merged = merged_problem(grid, mapping.header_rows)
    if merged is not None:
        raise ImportError_(source, [merged])
    if len(grid.rows) <= mapping.header_rows:
        raise ImportError_(
            source,
            [Problem(None, None, f"has no responses below its {mapping.header_rows} header rows")],
        )
    cols = resolve_columns(mapping, grid, frameworks[mapping.framework])
    data = grid.rows[mapping.header_rows :]
    filled = [(n, [*c, *[""] * (len(cols.headers) - len(c))]) for n, c in data]
    rows = [(n, c) for n, c in filled if any(cell.strip() for cell in c)]
    checks = _Rows(workbook, store, mapping, frameworks[mapping.framework], cols)
    responses, problems = checks.check(rows)
    if problems:
        raise ImportError_(source, problems)
    if not responses:
        raise ImportError_(source, [Problem(None, None, "has no answers to import")])
    return grid, mapping, cols, responses, len(filled) - len(rows)


def import_survey(
    workbook: Workbook,
    store: Store,
    frameworks: Mapping[str, Framework],
    path: Path,
    mapping_path: Path,
    sheet: str | int | None = None,
    dry_run: bool = False,
    actor: str | None = None,
) -> SurveyResult:
    """Check the whole export, then store its ratings and comments in one transaction (or,
    with ``dry_run``, only say what would be stored); nothing is stored if any row is wrong."""
    grid, mapping, cols, responses, blank = read_survey(
        workbook, store, frameworks, path, mapping_path, sheet
    )
    removed = tuple(cols.headers[i] for i in sorted(cols.identifying))
    result = SurveyResult(grid.source, responses, removed, dry_run, blank_rows=blank)
    digest = hashlib.sha256(grid.raw).hexdigest()
    before = store.find_import(KIND, digest)
    if before is not None:
        return SurveyResult(
            grid.source,
            responses,
            removed,
            dry_run,
            0,
            0,
            before["id"],
            before["stored_path"],
            before["imported_at"],
        )
    if dry_run:
        return result
    ratings, comments = _rows(mapping, responses)

    def save(conn: Any, import_id: int) -> tuple[int, int]:
        return store.add_survey(conn, ratings, comments, import_id, actor)

    import_id, (stored, said), kept = keep_and_store(
        workbook,
        store,
        KIND,
        f"{path.stem}.csv",
        digest,
        _kept_copy(grid, cols),
        len(ratings),
        save,
        actor,
    )
    return SurveyResult(
        grid.source, responses, removed, False, stored, said, import_id, kept, blank_rows=blank
    )


def _rows(
    mapping: SurveyMapping, responses: Sequence[Response]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    ratings: list[dict[str, Any]] = []
    comments: list[dict[str, Any]] = []
    for r in responses:
        where: dict[str, Any] = {
            "project_id": r.project,
            "period": r.period,
            "recorded_at": r.recorded_at,
        }
        for item, score in r.answers.items():
            ratings.append(
                {
                    **where,
                    "framework_id": mapping.framework,
                    "item_id": item,
                    "rater_id": r.rater,
                    "role": r.role,
                    "score": score,
                    "dont_know": score is None,
                }
            )
        for about, text, consent in r.comments:
            key = hashlib.sha256(f"{r.rater}\x1f{about}\x1f{text}".encode()).hexdigest()[:32]
            comments.append(
                {
                    **where,
                    "framework_id": mapping.framework if about else None,
                    "item_id": about,
                    "method": "survey",
                    "text": text,
                    "consent_to_publish": consent,
                    "rater_id": r.rater,
                    "idempotency_key": f"survey:{key}",
                }
            )
    return ratings, comments


def _kept_copy(grid: Grid, cols: Columns) -> bytes:
    """The export as CSV without the columns that identify people."""
    out = io.StringIO()
    writer = csv.writer(out)
    keep = [i for i in range(len(cols.headers)) if i not in cols.identifying]
    for _n, cells in grid.rows:
        padded = [*cells, *[""] * (len(cols.headers) - len(cells))]
        writer.writerow([padded[i] for i in keep])
    return out.getvalue().encode("utf-8")


__all__ = ["KIND", "Response", "SurveyResult", "ValidationError", "import_survey", "read_survey"]
