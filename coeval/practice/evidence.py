"""The evidence library: quotes, letter extracts and notes, linked to items, with how and when
they were gathered and whether the person agreed to their words being published.

``import_evidence`` reads a CSV (``project, period, item, method, text, consent_to_publish,
recorded_at``; ``item`` may be blank, ``framework`` may be added to say which framework an
item belongs to) with the same strict, all-or-nothing checks as ratings. Text is stored as
given; public outputs show only consented text, and only after :func:`coeval.disclosure.redact`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from coeval.config import Workbook
from coeval.disclosure import redact
from coeval.frameworks import Framework
from coeval.ingest.importer import Importer, checks_with_frameworks
from coeval.ingest.pipeline import Bad, ImportResult, RowChecks
from coeval.practice.engagement import METHODS, method_id, method_words
from coeval.store import Project, Store
from coeval.text import shorten

#: How words were gathered: the engagement methods, and how typed-in answers arrive.
EVIDENCE_METHODS: dict[str, str] = {
    **METHODS,
    "paper": "Paper form",
    "email": "Email",
    "phone": "Phone call",
}
EVIDENCE_COLUMNS = (
    "project",
    "period",
    "framework",
    "item",
    "method",
    "text",
    "consent_to_publish",
    "recorded_at",
)
OPTIONAL_EVIDENCE_COLUMNS = ("framework", "item", "recorded_at")
TEXT_LIMIT = 5000


def evidence_method(text: str) -> str | None:
    """The stored id for how words were gathered, as written in a file, or None."""
    key = re.sub(r"[\s-]+", "_", text.strip().lower())
    if key in EVIDENCE_METHODS:
        return key
    return method_id(text)


def evidence_words(method: str) -> str:
    """How words were gathered, as people read it."""
    return method_words(method, EVIDENCE_METHODS)


class _EvidenceChecker(RowChecks):
    def __init__(
        self, workbook: Workbook, projects: Sequence[Project], frameworks: Mapping[str, Framework]
    ):
        super().__init__(workbook, projects)
        self.frameworks = frameworks

    required = ("project", "period", "method", "text", "consent_to_publish")
    needs = "every piece of evidence needs {}"

    def value(self, row: Mapping[str, str], bad: Bad) -> Any:
        project = self.project(row["project"], bad)
        period = self.period(row["period"], bad)
        framework = self._framework(row, project, bad)
        method = evidence_method(row["method"]) if row["method"] else None
        if row["method"] and method is None:
            bad(
                "method",
                f"{shorten(row['method'])} is not a method; use one of: "
                f"{', '.join(EVIDENCE_METHODS)}",
            )
        if len(row["text"]) > TEXT_LIMIT:
            bad("text", f"is {len(row['text'])} characters; keep it to {TEXT_LIMIT}")
        consent = self.yes_no(row["consent_to_publish"], "consent_to_publish", bad)
        recorded = self.timestamp(row["recorded_at"], "recorded_at", bad)
        value = {
            "project_id": row["project"],
            "period": period,
            "framework_id": framework.id if framework else None,
            "item_id": row["item"] or None,
            "method": method,
            "text": row["text"],
            "consent_to_publish": consent,
            "recorded_at": recorded,
        }
        return value

    def _framework(
        self, row: Mapping[str, str], project: Project | None, bad: Any
    ) -> Framework | None:
        """The framework of the row's item: named, or the one project framework that has it."""
        if row["framework"]:
            framework = self.frameworks.get(row["framework"])
            if framework is None:
                bad("framework", f"unknown framework; use one of: {', '.join(self.frameworks)}")
                return None
            if project and framework.id not in project.frameworks:
                bad("framework", f"project {project.id!r} does not use {framework.id!r}")
                return None
            if row["item"] and not framework.has_item(row["item"]):
                bad("item", f"{framework.id!r} has no item {shorten(row['item'])}")
            return framework
        if not row["item"] or project is None:
            return None
        having = [
            self.frameworks[f]
            for f in project.frameworks
            if f in self.frameworks and self.frameworks[f].has_item(row["item"])
        ]
        if not having:
            bad(
                "item",
                f"no framework of project {project.id!r} has an item {shorten(row['item'])}; see "
                "`coeval frameworks show ID` for item ids, or leave it blank",
            )
            return None
        if len(having) > 1:
            bad("item", "belongs to more than one framework; add a framework column")
            return None
        return having[0]


def _save_evidence(
    store: Store, conn: Connection, values: list[Any], import_id: int, actor: str | None
) -> int:
    rows = [{**value, "import_id": import_id} for value in values]
    return len(store.add_evidence(rows, actor, conn))


EVIDENCE = Importer(
    "evidence",
    "pieces of evidence",
    """Import quotes, letter extracts and notes from FILE: CSV (UTF-8) or Excel (.xlsx;
    --sheet).

    Columns: project, period, item, method, text, consent_to_publish, recorded_at (item and
    recorded_at may be blank; add a framework column if an item id is in two frameworks).
    consent_to_publish is yes or no: text without consent never appears in a public output,
    and published text always has personal details removed.
    """,
    EVIDENCE_COLUMNS,
    OPTIONAL_EVIDENCE_COLUMNS,
    checks_with_frameworks(_EvidenceChecker),
    _save_evidence,
)


def import_evidence(
    workbook: Workbook,
    store: Store,
    frameworks: Mapping[str, Framework],
    path: Path,
    actor: str | None = None,
) -> ImportResult:
    """Check an evidence CSV and store every row, or store nothing and raise."""
    return EVIDENCE.run(workbook, store, path, actor, frameworks)


def shown_text(text: str, consent: bool, names: Sequence[str]) -> str | None:
    """Free text as a dashboard or feedback page may show it: never without consent to
    publish, and always with personal details removed. None means it must not be shown."""
    return redact(text, names) if consent else None
