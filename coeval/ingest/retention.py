"""How long the files people import are kept.

Every import keeps the file as received under ``data/imports/`` (so what was stored can always
be traced back to it). Those files hold whatever people wrote, including words given without
consent to publish, so they should not be kept for ever: :func:`purge_imports` removes the
kept copies of files imported before a date, and ``[imports] keep_days`` makes that a rolling
retention period. Only files coeval kept (rows of the ``imports`` table, inside
``data/imports/``, never a link) are ever removed; each removal is recorded in the audit log
before the file goes, and the import's row stays, so the same file is still recognised and not
imported twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from coeval.config import Workbook
from coeval.exceptions import CoevalError
from coeval.store import Store


@dataclass(frozen=True)
class Purged:
    before: date
    removed: list[str]  # the kept files removed, as named in data/imports/
    already_gone: int  # recorded imports whose kept file was no longer there


def retention_date(workbook: Workbook, today: date | None = None) -> date | None:
    """The date before which kept imports go, under ``[imports] keep_days`` (None: keep)."""
    days = workbook.settings.keep_days
    if not days:
        return None
    return (today or datetime.now(UTC).date()) - timedelta(days=days)


def purge_imports(
    workbook: Workbook, store: Store, before: date, actor: str | None = None
) -> Purged:
    """Remove the kept copies of every file imported before ``before`` (a UTC date)."""
    cutoff = datetime.combine(before, time())
    folder = workbook.imports_dir.resolve()
    removed: list[Path] = []
    gone = 0

    def judge(stored_paths: list[str]) -> dict[str, object]:
        """Which kept files go (called inside the store's transaction, before any goes)."""
        nonlocal gone
        for stored in stored_paths:
            path = workbook.root / stored
            kept = (
                not path.is_symlink()  # never a link, nor what it points to
                and path.is_file()
                and path.parent.resolve() == folder  # never anything outside data/imports/
            )
            if kept:
                removed.append(path)
            else:
                gone += 1
        return {"before": before.isoformat(), "removed": [p.name for p in removed], "gone": gone}

    if not store.mark_imports_purged(cutoff, judge, actor):
        return Purged(before, [], 0)
    # The removals are recorded first: a file is removed only once the log says it will be.
    failed = []
    for path in removed:
        try:
            path.unlink()
        except OSError as exc:
            failed.append(f"{path} ({exc.strerror})")
    if failed:
        raise CoevalError(
            f"could not remove {len(failed)} kept import files: {'; '.join(failed[:5])}; remove "
            "them by hand (the audit log already lists them as purged)"
        )
    return Purged(before, [p.name for p in removed], gone)
