"""Quarterly reviews: run the review notebook once per project with papermill, and publish.

``run_reviews`` executes ``notebooks/quarterly_review.ipynb`` for each active project (a few
at a time, each in its own kernel), writes ``dashboards/<period>/<project>.ipynb`` and a
self-contained ``<project>.html``, then the portfolio, an ``index.html`` and a
``manifest.json``. One project's failure does not stop the others; a failed notebook is kept
under ``.failed/`` and never turned into a dashboard. A project whose inputs (its data, the
notebook, the frameworks, coeval itself) have not changed since its last successful run is
skipped. Only one run happens at a time: a second one finds the lock and does nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from coeval.cluster import Where, check_store, run_jobs
from coeval.config import Workbook
from coeval.disclosure import Audience
from coeval.exceptions import IdError, ReviewError, RunInProgress
from coeval.execute import (
    FAILED,
    KERNEL,
    Job,
    Outcome,
    Progress,
    check_parameters,
    notebook_path,
)
from coeval.files import write_atomic
from coeval.ids import path_part
from coeval.index import index_page
from coeval.periods import Period, parse_period
from coeval.portfolio.inputs import PortfolioInputs
from coeval.review.inputs import ReviewInputs
from coeval.store import Project, Store
from coeval.text import plural
from coeval.version import VERSION
from coeval.vocabulary import AUDIENCES, INTERNAL, PUBLIC

PORTFOLIO = "portfolio"  # the portfolio page's name
REVIEW_NOTEBOOK = "quarterly_review.ipynb"
PORTFOLIO_NOTEBOOK = "portfolio.ipynb"
REVIEW_PARAMETERS = ("project", "period", "frameworks", "audience", "workbook")
PORTFOLIO_PARAMETERS = ("period", "audience", "workbook")
LOCK_NAME = ".coeval-run.lock"


@dataclass
class RunReport:
    period: str
    audience: str
    folder: Path
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


# -- where things are -------------------------------------------------------------------------


def period_folder(workbook: Workbook, period: Period, audience: str) -> Path:
    """``dashboards/2026Q3`` (financial years: ``dashboards/2026-27-Q2``); ``public/`` inside
    it for the public audience."""
    name = period.label.replace("/", "-").replace(" ", "-")
    folder = workbook.dashboards_dir / name
    return folder / "public" if audience == PUBLIC else folder


# -- inputs digest ----------------------------------------------------------------------------


def _source_digest() -> str:
    """coeval's version and code, so an upgrade re-runs every review."""
    digest = hashlib.sha256(VERSION.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def page_digest(
    read: Callable[[], str], notebook: Path, parameters: dict[str, Any], code: str
) -> str:
    """Everything that decides what a page shows: what it reads (``read`` returns the digest
    of the very object the page is built from: :class:`ReviewInputs` or
    :class:`PortfolioInputs`), the notebook, its parameters, and coeval's code. Inputs that
    cannot be read give a digest that never matches, so the page is remade and its failure
    reported on its own."""
    digest = hashlib.sha256(code.encode())
    digest.update(notebook.read_bytes())
    digest.update(json.dumps(parameters, sort_keys=True).encode())
    try:
        digest.update(read().encode())
    except Exception as exc:  # the review itself will fail, alone, and say why
        digest.update(f"unreadable {time.time_ns()} {type(exc).__name__}".encode())
    return digest.hexdigest()


# -- the run ------------------------------------------------------------------------------------


@contextlib.contextmanager
def run_lock(workbook: Workbook) -> Iterator[None]:
    """Hold the workbook's run lock, or raise :class:`RunInProgress`."""
    workbook.dashboards_dir.mkdir(parents=True, exist_ok=True)
    path = workbook.dashboards_dir / LOCK_NAME
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            since = handle.read().strip() or "an unknown time"
            raise RunInProgress(
                f"a review run is already in progress (started {since}); nothing to do"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, process {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    if not path.is_file():
        return {"projects": {}, "portfolio": None}
    try:
        data: dict[str, Any] = json.loads(path.read_text())
        return data
    except json.JSONDecodeError:
        return {"projects": {}, "portfolio": None}


def _up_to_date(entry: dict[str, Any] | None, digest: str, folder: Path) -> bool:
    return bool(
        entry
        and entry.get("status") == "ok"
        and entry.get("digest") == digest
        and (folder / entry["html"]).is_file()
        and (folder / entry["notebook"]).is_file()
    )


def run_reviews(
    workbook: Workbook,
    period: str,
    projects: list[str] | None = None,
    jobs: int = 2,
    force: bool = False,
    audience: str = INTERNAL,
    say: Progress | None = None,
    bar: bool = False,
    scheduler: str = "",
) -> RunReport:
    """Run the quarterly reviews for one period (see the module docstring): on a local Dask
    cluster of ``jobs`` workers, or on the existing cluster whose scheduler is at
    ``scheduler``."""
    if jobs < 1:
        raise ReviewError("--jobs must be 1 or more")
    where = Where(scheduler.strip(), jobs)
    check_store(workbook, where)
    with run_lock(workbook), _database_lock(workbook, period):
        return _run_unlocked(workbook, period, projects, where, force, audience, say, bar)


@contextlib.contextmanager
def _database_lock(workbook: Workbook, period: str) -> Iterator[None]:
    """On a shared (PostgreSQL) workbook, one run of a quarter at a time across every
    machine: the lock is in the database, held for the whole run."""
    with Store.open(workbook.db_url) as store, store.exclusive(f"coeval run {period}") as held:
        if not held:
            raise RunInProgress(
                f"a review run of {period} is already in progress on another machine sharing "
                "this database; nothing to do"
            )
        yield


def _run_unlocked(
    workbook: Workbook,
    period: str,
    projects: list[str] | None,
    where: Where,
    force: bool,
    audience: str,
    say: Progress | None,
    bar: bool,
) -> RunReport:
    tell = say or (lambda _m: None)
    if audience not in AUDIENCES:
        raise ReviewError(f"--audience {audience!r}; use one of: {', '.join(AUDIENCES)}")
    this = parse_period(period, workbook.settings.period_scheme)
    review_nb = notebook_path(workbook, REVIEW_NOTEBOOK)
    portfolio_nb = notebook_path(workbook, PORTFOLIO_NOTEBOOK)
    check_parameters(review_nb, REVIEW_PARAMETERS)
    check_parameters(portfolio_nb, PORTFOLIO_PARAMETERS)
    chosen, names = _chosen(workbook, projects, audience)
    folder = period_folder(workbook, this, audience)
    (folder / FAILED).mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(folder)
    report = RunReport(this.label, audience, folder)
    pending, portfolio = _decide(
        workbook, this, chosen, audience, force, manifest, (review_nb, portfolio_nb), report
    )
    skipped = sum(o.status == "skipped" for o in report.outcomes)
    if skipped:
        tell(f"{skipped} of {len(chosen)} reviews are up to date (inputs unchanged); skipping them")
    work = [Job(n, review_nb, p, d, names.get(n, n)) for n, p, d in pending]
    if portfolio is not None:  # the portfolio, when what it shows changed
        name, parameters, digest = portfolio
        # first: the longest job (it reads every project) runs beside the reviews, not after
        work.insert(0, Job(name, portfolio_nb, parameters, digest, "Portfolio"))
    if work:
        what = plural(len(pending), "review") + (" and the portfolio" if portfolio else "")
        how = (
            f" on {where.describe()}"
            if where.remote
            else f", {min(where.workers, len(work))} at a time"
        )
        tell(f"running {what} for {this.label}{how}")
    results = run_jobs(workbook, folder, work, where, tell, bar)
    for outcome in results:
        if outcome.name == PORTFOLIO and portfolio is not None:
            manifest["portfolio"] = _entry(outcome)
        else:
            manifest["projects"][outcome.name] = _entry(outcome)
    report.outcomes += sorted(results, key=lambda o: o.name == PORTFOLIO)
    _write_manifest(folder, manifest, this.label, audience, names)
    return report


def _chosen(
    workbook: Workbook, projects: list[str] | None, audience: str
) -> tuple[list[Project], dict[str, str]]:
    """The active projects to review (all, or those named), and every project's name as
    this audience may read it (names are free text)."""
    with Store.open(workbook.db_url) as store:
        every = store.projects()
    shown = Audience.of(audience, workbook.settings.disclosure)
    names = {p.id: shown.text(p.name) for p in every}
    active = [p for p in every if p.active]
    if not projects:
        return active, names
    unknown = [p for p in projects if p not in names]
    if unknown:
        raise ReviewError(
            f"--project: no project {', '.join(map(repr, unknown))}; see `coeval project list`"
        )
    return [p for p in active if p.id in projects], names


def _write_manifest(
    folder: Path, manifest: dict[str, Any], period: str, audience: str, names: dict[str, str]
) -> None:
    manifest.update(
        {
            "period": period,
            "audience": audience,
            "coeval_version": VERSION,
            "kernel": KERNEL,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )
    write_atomic(folder / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
    write_atomic(folder / "index.html", index_page(period, audience, manifest, names))


Task = tuple[str, dict[str, Any], str]  # name, notebook parameters, inputs digest


def _decide(
    workbook: Workbook,
    this: Period,
    chosen: list[Project],
    audience: str,
    force: bool,
    manifest: dict[str, Any],
    notebooks: tuple[Path, Path],
    report: RunReport,
) -> tuple[list[Task], Task | None]:
    """Which reviews (and whether the portfolio) to run: those whose digest differs from the
    last successful run's. Decided before anything runs; skipped ones go in ``report``."""
    code = _source_digest()
    review_nb, portfolio_nb = notebooks
    pending = []
    with Store.open(workbook.db_url) as store:
        for project in chosen:
            try:
                path_part(project.id)
            except IdError as exc:  # stored without coeval's checks: never a path, fails alone
                report.outcomes.append(Outcome(project.id, "failed", error=str(exc)))
                continue
            parameters = {
                "project": project.id,
                "period": this.label,
                "frameworks": [],
                "audience": audience,
                "workbook": str(workbook.root),
            }
            digest = page_digest(
                partial(_review_digest, workbook, store, project.id, this.label),
                review_nb,
                parameters,
                code,
            )
            entry = manifest["projects"].get(project.id)
            if force or not _up_to_date(entry, digest, report.folder):
                pending.append((project.id, parameters, digest))
                continue
            report.outcomes.append(
                Outcome(
                    project.id,
                    "skipped",
                    0.0,
                    entry["notebook"],
                    entry["html"],
                    digest=digest,
                    started=entry.get("started", ""),
                )
            )
        parameters = {"period": this.label, "audience": audience, "workbook": str(workbook.root)}
        read = partial(_portfolio_digest, workbook, store, this.label)
        digest = page_digest(read, portfolio_nb, parameters, code)
    # The portfolio sums up every project: remade when what it reads changed, and whenever
    # a project's page is remade.
    if not (force or pending) and _up_to_date(manifest.get("portfolio"), digest, report.folder):
        return pending, None
    return pending, (PORTFOLIO, parameters, digest)


def _review_digest(workbook: Workbook, store: Store, project: str, period: str) -> str:
    return ReviewInputs.read(workbook, store, project, period).digest()


def _portfolio_digest(workbook: Workbook, store: Store, period: str) -> str:
    return PortfolioInputs.read(workbook, store, period).digest()


def _entry(outcome: Outcome) -> dict[str, Any]:
    return {
        "status": outcome.status,
        "digest": outcome.digest,
        "started": outcome.started,
        "duration_s": round(outcome.seconds, 2),
        "notebook": outcome.notebook,
        "html": outcome.html,
        "error": outcome.error,
        "summary": outcome.summary,
        "worker": outcome.worker,
        "memory_mib": round(outcome.memory_mib, 1),
        "coeval_version": VERSION,
    }


# -- due periods ------------------------------------------------------------------------------


def due_periods(workbook: Workbook, today: date | None = None) -> list[str]:
    """Closed periods that have ratings and no successful review, oldest first."""
    today = today or datetime.now(UTC).date()
    scheme = workbook.settings.period_scheme
    with Store.open(workbook.db_url) as store:
        labels = set(store.ratings()["period"].unique())
    due = []
    for label in labels:
        period = parse_period(label, scheme)
        if not period.is_closed(today):
            continue
        manifest = read_manifest(period_folder(workbook, period, INTERNAL))
        entries = [*manifest["projects"].values(), manifest.get("portfolio")]
        if not manifest["projects"] or any(not e or e.get("status") != "ok" for e in entries):
            due.append(period)
    return [p.label for p in sorted(due, key=lambda p: p.start)]
