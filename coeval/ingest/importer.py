"""An importer: one kind of file ``coeval import`` takes, and the one strict, all-or-nothing
way every kind is imported (read, check every row, keep the file, store in one transaction).

Each kind is described once, next to its checks (ratings in :mod:`coeval.ingest.ratings`,
the others in :mod:`coeval.practice`), as an :class:`Importer`; the command line builds its
``coeval import`` subcommands from the list in :mod:`coeval.practice.importers`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection

from coeval.config import Workbook
from coeval.exceptions import ImportError_, Problem, Problems
from coeval.files import PRIVATE, private_folder, write_atomic
from coeval.frameworks import Framework, load_frameworks
from coeval.ingest.pipeline import ImportResult, RowChecks, read_records
from coeval.ingest.tables import Grid, read_grid
from coeval.store import Project, Store

T = TypeVar("T")
#: Makes the row checks of one import, from the workbook, the store and the frameworks
#: (None: the workbook's own, for the kinds that need them).
CheckerFactory = Callable[[Workbook, Store, Mapping[str, Framework] | None], RowChecks]
#: Stores the checked values inside the import's transaction (store, transaction, values,
#: the import's id, who imports); returns how many were stored.
Saver = Callable[[Store, Connection, list[Any], int, str | None], int]
ExcelReader = Callable[
    [Grid, Workbook], tuple[list[tuple[int, dict[str, str]]], list[Problem]] | None
]


def checks_with_frameworks(
    make: Callable[[Workbook, Sequence[Project], Mapping[str, Framework]], RowChecks],
) -> CheckerFactory:
    """The factory for row checks that need the frameworks: those given, or else the
    workbook's (loaded only for the kinds of file that use them)."""

    def factory(
        workbook: Workbook, store: Store, frameworks: Mapping[str, Framework] | None
    ) -> RowChecks:
        if frameworks is None:
            frameworks = load_frameworks(workbook.frameworks_dir)
        return make(workbook, store.projects(), frameworks)

    return factory


@dataclass(frozen=True)
class Importer:
    """One kind of file: its subcommand (also the kind each import of it is recorded as),
    what it stores, the help that documents its columns, its columns, its row checks and
    how its rows are stored."""

    name: str  # coeval import NAME FILE
    noun: str  # what it stores, as a count reads: "12 ratings", "3 pieces of evidence"
    help: str
    columns: tuple[str, ...]
    optional: tuple[str, ...]
    checker: CheckerFactory
    save: Saver
    #: Reads an Excel workbook of another shape (a fill-in template) into records, or None
    #: when the workbook is not of that shape.
    excel: ExcelReader | None = None

    def run(
        self,
        workbook: Workbook,
        store: Store,
        path: Path,
        actor: str | None = None,
        frameworks: Mapping[str, Framework] | None = None,
        sheet: str | int | None = None,
    ) -> ImportResult:
        """Read the CSV file (or a sheet of an .xlsx workbook), check every row, then keep
        the file as received and store every row in one transaction; or store nothing and
        raise with every problem found. A file whose bytes were imported before (as this
        kind) is not imported again."""
        source = str(path)
        grid = read_grid(path, sheet, f"a header row ({', '.join(self.columns)})")
        raw = grid.raw
        digest = hashlib.sha256(raw).hexdigest()
        before = store.find_import(self.name, digest)
        if before is not None:
            return ImportResult(
                source,
                0,
                before["id"],
                before["stored_path"],
                already_imported_at=before["imported_at"],
            )
        records, blank = self._records(workbook, grid)
        checks = self.checker(workbook, store, frameworks)
        values, problems = [], Problems()
        for number, row in records:
            value, found = checks.check(number, {**dict.fromkeys(self.optional, ""), **row})
            problems.extend(found)
            if not problems:  # once the file is refused, its values are no longer kept
                values.append(value)
        if problems:
            raise ImportError_(source, problems)

        def save(conn: Connection, import_id: int) -> int:
            return self.save(store, conn, values, import_id, actor)

        import_id, stored, kept = keep_and_store(
            workbook, store, self.name, path.name, digest, raw, len(values), save, actor
        )
        return ImportResult(source, stored, import_id, kept, blank_rows=blank)

    def _records(
        self, workbook: Workbook, grid: Grid
    ) -> tuple[list[tuple[int, dict[str, str]]], int]:
        """The file's rows as records keyed by this kind's columns, and how many blank rows."""
        if self.excel is not None and grid.is_excel:
            found = self.excel(grid, workbook)
            if found is not None:
                records, problems = found
                if problems:
                    raise ImportError_(grid.source, problems)
                if not records:
                    raise ImportError_(
                        grid.source, [Problem(None, None, "has no answers filled in")]
                    )
                return records, 0
        required = [c for c in self.columns if c not in self.optional]
        _, records, blank = read_records(grid, required, self.optional)
        return records, blank


def keep_and_store(
    workbook: Workbook,
    store: Store,
    kind: str,
    name: str,
    digest: str,
    kept_bytes: bytes,
    count: int,
    save: Callable[[Connection, int], T],
    actor: str | None,
) -> tuple[int, T, str]:
    """Keep the file's bytes under data/imports/, then record the import and store its rows
    (``save``) in one transaction; if that fails, the kept copy goes too."""
    kept = _keep_copy(workbook, name, digest, kept_bytes)
    try:
        with store.write() as conn:
            stored_path = str(kept.relative_to(workbook.root))
            import_id = store.record_import(conn, kind, digest, name, stored_path, count, actor)
            stored = save(conn, import_id)
    except BaseException:
        kept.unlink(missing_ok=True)
        raise
    return import_id, stored, str(kept)


def _keep_copy(workbook: Workbook, name: str, digest: str, raw: bytes) -> Path:
    """Keep the received bytes, unchanged, under data/imports/."""
    folder = private_folder(workbook.imports_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)[-80:]
    target = folder / f"{stamp}-{digest[:12]}-{safe}"
    write_atomic(target, raw, PRIVATE)
    return target
