"""Handing a run's jobs to Dask workers, and writing what comes back.

With no scheduler address, a local cluster is started on this machine for the run: ``jobs``
worker processes, listening on 127.0.0.1 only, behind a throwaway TLS certificate that only
this command holds (so no other user of the machine can send it work), stopped at the end.
With an address (``--scheduler`` or ``DASK_SCHEDULER_ADDRESS``) an existing cluster is used,
started with Dask's own ``dask scheduler`` and ``dask worker`` commands; its workers get the
workbook's settings and framework files with each job and reach the store themselves, so they
need no shared disk. Either way each worker runs job after job in its warm kernel
(:mod:`coeval.warm`) and hands back the executed notebook and the page; this command writes
them, as each finishes. A job whose worker is lost is run again on another worker once (the
local cluster's scheduler allows one such failure; a scheduler started by hand should be too,
see docs/scale.md), then reported as failed.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coeval.config import ENV_DB, Workbook
from coeval.exceptions import ReviewError
from coeval.execute import FAILED, Job, Outcome, Place, Produced, Progress, produce, tidy
from coeval.files import write_atomic
from coeval.ids import path_part
from coeval.store.address import for_elsewhere
from coeval.version import VERSION

ENV_SCHEDULER = "DASK_SCHEDULER_ADDRESS"
#: How long to wait for an existing cluster's scheduler to answer and to have a worker.
CONNECT_SECONDS = 20
LOST = (
    "the worker running it was lost twice (it was run again on another worker once); "
    "see the workers' logs"
)


@dataclass(frozen=True)
class Where:
    """Where a run's jobs go: an existing cluster's scheduler, or a local cluster of
    ``workers`` processes."""

    scheduler: str = ""
    workers: int = 2

    @property
    def remote(self) -> bool:
        return bool(self.scheduler)

    def describe(self) -> str:
        if self.remote:
            return f"the Dask cluster at {self.scheduler}"
        return f"a local cluster of {self.workers} worker{'s' * (self.workers != 1)}"


def check_store(workbook: Workbook, where: Where) -> None:
    """Workers on other machines cannot reach a SQLite file: refuse before anything runs."""
    if where.remote and workbook.db_url.startswith("sqlite"):
        raise ReviewError(
            f"--scheduler {where.scheduler}: this workbook's store is a SQLite file on this "
            "machine, which workers elsewhere cannot reach; move it to PostgreSQL with "
            "`coeval database copy --to postgresql://...` (see docs/scale.md), or leave out "
            f"--scheduler (and unset {ENV_SCHEDULER}) to run on this machine"
        )


def run_jobs(
    workbook: Workbook,
    folder: Path,
    pending: list[Job],
    where: Where,
    tell: Progress,
    bar: bool,
) -> list[Outcome]:
    """Run the jobs on the cluster, in the order given; write each page (or keep each
    failure aside) as it comes back. Nothing starts when there is nothing to run."""
    if not pending:
        return []
    from distributed import as_completed

    place = Place.bundled(workbook.root) if where.remote else Place(str(workbook.root))
    environ = {ENV_DB: for_elsewhere(workbook.db_url) if where.remote else workbook.db_url}
    sources = {job.notebook: job.notebook.read_text(encoding="utf-8") for job in pending}
    run_id = secrets.token_hex(4)
    outcomes = []
    with _client(where, len(pending)) as client, _progress(len(pending), bar) as step:
        shipped = client.scatter(place, broadcast=True) if where.remote else place
        futures = {}
        for place_in_line, job in enumerate(pending):
            started = datetime.now(UTC).isoformat(timespec="seconds")
            future = client.submit(
                produce,
                job,
                sources[job.notebook],
                shipped,
                environ,
                key=f"coeval-{run_id}-{path_part(job.name)}",
                pure=False,
                priority=len(pending) - place_in_line,  # in the order given
            )
            futures[future] = (job, started)
        try:
            for done, future in enumerate(as_completed(futures, loop=client.loop), start=1):
                job, started = futures[future]
                outcome = keep(folder, job, _result(future))
                outcome.started = started
                outcomes.append(outcome)
                if not step():
                    state = "done" if outcome.status == "ok" else "FAILED"
                    tell(f"[{done}/{len(pending)}] {job.name}: {state} in {outcome.seconds:.1f} s")
        finally:
            with contextlib.suppress(Exception):
                client.run(tidy)  # the workers' kernels stop with the run
    return outcomes


def _result(future: Any) -> Produced:
    from distributed.scheduler import KilledWorker

    try:
        result: Produced = future.result()
        return result
    except KilledWorker:
        return Produced(False, LOST, 0.0)
    except Exception as exc:  # the cluster went away, or the job could not be sent
        return Produced(False, f"{type(exc).__name__}: {exc}", 0.0)


def keep(folder: Path, job: Job, produced: Produced) -> Outcome:
    """Publish a job that worked; keep a failed one's notebook aside, never published."""
    name = path_part(job.name)
    failed = folder / FAILED / f"{name}.ipynb"
    if produced.ok:
        write_atomic(folder / f"{name}.html", produced.html)
        write_atomic(folder / f"{name}.ipynb", produced.notebook)
        failed.unlink(missing_ok=True)
        return Outcome(
            name, "ok", produced.seconds, f"{name}.ipynb", f"{name}.html",
            digest=job.digest, summary=produced.summary,
            worker=produced.worker, memory_mib=produced.memory_mib,
        )  # fmt: skip
    if produced.notebook:
        write_atomic(failed, produced.notebook)
    return Outcome(
        name, "failed", produced.seconds, str(failed.relative_to(folder)), "",
        error=produced.error, digest=job.digest,
        worker=produced.worker, memory_mib=produced.memory_mib,
    )  # fmt: skip


@contextlib.contextmanager
def _progress(total: int, bar: bool) -> Iterator[Any]:
    """A progress bar on a terminal; otherwise the caller says a line per job."""
    if not bar:
        yield lambda: False
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="review", file=sys.stderr) as progress:

        def step() -> bool:
            progress.update(1)
            return True

        yield step


# -- the cluster ------------------------------------------------------------------------------


@contextlib.contextmanager
def _client(where: Where, jobs: int) -> Iterator[Any]:
    if where.remote:
        with _quiet(), _existing(where.scheduler) as client:
            yield client
        return
    with _local(min(where.workers, jobs)) as client:
        yield client


@contextlib.contextmanager
def _local(workers: int) -> Iterator[Any]:
    """A cluster of ``workers`` processes on this machine, for this run only."""
    import dask
    from distributed import Client, LocalCluster
    from distributed.security import Security

    security = Security.temporary()
    settings = {
        "distributed.scheduler.allowed-failures": 1,  # a lost worker's job is tried once more
        "distributed.admin.system-monitor.gil.enabled": False,
    }
    with dask.config.set(settings), _quiet():
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # health and metrics only (no bokeh)
            security=security,
            silence_logs=logging.CRITICAL,
        )
        try:
            with Client(cluster, security=security) as client:
                yield client
        finally:
            cluster.close()


@contextlib.contextmanager
def _existing(address: str) -> Iterator[Any]:
    """Connect to a running cluster and check its workers can run this coeval."""
    from distributed import Client

    _check_tls(address)
    try:
        client = Client(
            address,
            timeout=f"{CONNECT_SECONDS}s",
            set_as_default=False,
            direct_to_workers=False,  # results come through the scheduler: one port to open
        )
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ReviewError(
            f"--scheduler {address}: no Dask scheduler answered there ({exc}); start one with "
            "`dask scheduler`, or check the address (tcp://HOST:8786, or tls://HOST:8786 with "
            "the TLS settings of docs/scale.md)"
        ) from None
    try:
        _check_workers(client, address)
        yield client
    finally:
        with contextlib.suppress(Exception):  # a scheduler gone away cannot be said goodbye to
            client.close()


#: What a tls:// address needs in Dask's settings, and the environment variable for each.
TLS_SETTINGS = {
    "distributed.comm.tls.ca-file": "DASK_DISTRIBUTED__COMM__TLS__CA_FILE",
    "distributed.comm.tls.client.cert": "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT",
}


def _check_tls(address: str) -> None:
    """A tls:// scheduler lets in only a command with a certificate it trusts."""
    import dask

    if not address.startswith("tls://"):
        return
    missing = [env for key, env in TLS_SETTINGS.items() if not dask.config.get(key, None)]
    if missing:
        raise ReviewError(
            f"--scheduler {address}: a tls:// scheduler needs this machine's certificate "
            f"files; set {' and '.join(missing)} (and DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY "
            "if the key is in its own file), as docs/scale.md shows"
        )


def _check_workers(client: Any, address: str) -> None:
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except TimeoutError:
        raise ReviewError(
            f"--scheduler {address}: the scheduler has no workers; start `dask worker "
            f"{address}` on each machine that should run reviews (with coeval installed)"
        ) from None
    try:
        versions = client.run(_coeval_version)
    except Exception as exc:
        raise ReviewError(
            f"--scheduler {address}: the workers cannot run coeval ({exc}); install coeval "
            f"{VERSION} in the Python environment of each `dask worker`"
        ) from None
    wrong = sorted(f"{worker} has {v}" for worker, v in versions.items() if v != VERSION)
    if wrong:
        raise ReviewError(
            f"--scheduler {address}: every worker needs coeval {VERSION}, as here, so that "
            f"pages do not depend on which worker made them; {'; '.join(wrong)}"
        )


def _coeval_version() -> str:
    return VERSION


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Dask's own logging says nothing coeval's users need during a run: what goes wrong is
    reported with each review."""
    # Dask's settings give some of its loggers their own level (distributed.client: warning),
    # so each is quietened by name, not only their parent.
    names = {"distributed", "distributed.client", "distributed.scheduler"}
    names |= {n for n in logging.root.manager.loggerDict if n.startswith("distributed.")}
    loggers = [logging.getLogger(n) for n in sorted(names)]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
