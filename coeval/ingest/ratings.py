"""Importing ratings: a CSV of project, period, framework, item, rater, role and score, checked
strictly (all rows or none) through the one import pipeline."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from coeval.config import Workbook
from coeval.exceptions import Problem
from coeval.frameworks import Framework
from coeval.ingest.importer import Importer, checks_with_frameworks
from coeval.ingest.pipeline import (
    NOTE_LIMIT,
    OPTIONAL_COLUMNS,
    RATING_FILE_COLUMNS,
    Bad,
    ImportResult,
    RowChecks,
)
from coeval.ingest.tables import Grid
from coeval.ingest.template import is_template, template_records
from coeval.store import Project, Store
from coeval.text import shorten
from coeval.vocabulary import DONT_KNOW, ROLES

_DONT_KNOW_SPELLINGS = {"dont_know", "don't know", "dont know", "don’t know"}


class _RatingChecker(RowChecks):
    """Checks one row of a ratings file against the workbook."""

    def __init__(
        self, workbook: Workbook, projects: Sequence[Project], frameworks: Mapping[str, Framework]
    ):
        super().__init__(workbook, projects)
        self.frameworks = frameworks

    required = ("project", "period", "framework", "item", "rater", "role", "score")
    needs = "every rating needs a {}"

    def value(self, row: Mapping[str, str], bad: Bad) -> Any:
        project = self.project(row["project"], bad)
        period = self.period(row["period"], bad)
        framework = self.frameworks.get(row["framework"])
        if row["framework"] and framework is None:
            bad(
                "framework",
                f"unknown framework {shorten(row['framework'])}; use one of: "
                f"{', '.join(sorted(self.frameworks))}",
            )
        elif framework and project and framework.id not in project.frameworks:
            bad(
                "framework",
                f"project {project.id!r} does not use {framework.id!r}; it uses: "
                f"{', '.join(project.frameworks) or 'no frameworks'}",
            )
        if framework and row["item"] and not framework.has_item(row["item"]):
            ids = [item.id for item in framework.items]
            close = difflib.get_close_matches(row["item"], ids, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            bad(
                "item",
                f"{framework.id!r} has no item {shorten(row['item'])}; {hint}see "
                f"`coeval frameworks show {framework.id}` for its item ids",
            )
        self.rater(row["rater"], bad)
        if row["role"] and row["role"] not in ROLES:
            bad("role", f"{shorten(row['role'])} is not a role; use one of: {', '.join(ROLES)}")
        score, dont_know = self._score(row["score"], framework, bad)
        note = row.get("note") or None
        if note and len(note) > NOTE_LIMIT:
            bad("note", f"is {len(note)} characters; keep notes to {NOTE_LIMIT} or fewer")
        recorded_at = self.timestamp(row.get("recorded_at", ""), "recorded_at", bad)
        value = {
            "project_id": row["project"],
            "period": period,
            "framework_id": framework.id if framework else row["framework"],
            "item_id": row["item"],
            "rater_id": row["rater"],
            "role": row["role"],
            "score": score,
            "dont_know": dont_know,
            "note": note,
            "recorded_at": recorded_at,
        }
        return value

    @staticmethod
    def _score(text: str, framework: Framework | None, bad: Any) -> tuple[int | None, bool]:
        if not text:
            return None, False
        if text.lower() in _DONT_KNOW_SPELLINGS:
            return None, True
        bottom, top = (framework.scale_min, framework.scale_max) if framework else (0, 4)
        valid = f"use a whole number from {bottom} to {top}, or {DONT_KNOW}"
        if not re.fullmatch(r"\d+", text):
            bad("score", f"{shorten(text)} is not a score; {valid}")
            return None, False
        number = int(text)
        if number > top:
            bad("score", f"{number} is above the top of the scale; {valid}")
            return None, False
        if number < bottom:
            bad("score", f"{number} is below the bottom of the scale; {valid}")
            return None, False
        return number, False


def _template(
    grid: Grid, workbook: Workbook
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]] | None:
    """A filled-in fill-in spreadsheet (``coeval template ratings``), read back as rows of
    a ratings file; None for any other workbook."""
    if not is_template(grid.book):
        return None
    settings = workbook.settings
    _header, records, problems = template_records(
        grid.book, settings.period_scheme, names=settings.disclosure.redact_names
    )
    return records, problems


def _save(
    store: Store, conn: Connection, values: list[Any], import_id: int, actor: str | None
) -> int:
    return store.add_ratings(values, source="import", actor=actor, conn=conn, import_id=import_id)


RATINGS = Importer(
    "ratings",
    "ratings",
    """Import ratings from FILE: CSV (UTF-8) or Excel (.xlsx; --sheet).

    Columns: project, period, framework, item, rater, role, score, note, recorded_at
    (note and recorded_at may be left out). score is a whole number on the framework's
    scale (0 to 4 on the co-production scale) or dont_know.
    """,
    RATING_FILE_COLUMNS,
    OPTIONAL_COLUMNS,
    checks_with_frameworks(_RatingChecker),
    _save,
    excel=_template,
)


def import_ratings(
    workbook: Workbook,
    store: Store,
    frameworks: Mapping[str, Framework],
    path: Path,
    actor: str | None = None,
) -> ImportResult:
    """Check a ratings CSV and store every row, or store nothing and raise."""
    return RATINGS.run(workbook, store, path, actor, frameworks)
