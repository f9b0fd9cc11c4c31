"""Running one notebook with papermill and turning it into a page: where coeval's notebooks
are, checking their parameters, the kernels' environment, running a batch of notebooks a few
at a time, and publishing each success (a failure is kept aside under ``.failed/`` and never
published). :mod:`coeval.run` decides what to run; this module runs it."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from coeval.config import Workbook
from coeval.exceptions import ReviewError
from coeval.files import others_can_change, write_atomic
from coeval.html import publish_notebook
from coeval.ids import path_part

KERNEL = "python3"
FAILED = ".failed"  # hidden: Voila and the static site never serve it
Progress = Callable[[str], object]


@dataclass
class Outcome:
    name: str
    status: str  # ok, skipped, failed
    seconds: float = 0.0
    notebook: str = ""
    html: str = ""
    error: str = ""
    digest: str = ""
    started: str = ""
    summary: dict[str, Any] | None = None  # what the index page says of it (see index.py)


def notebook_path(workbook: Workbook, name: str) -> Path:
    """The notebook coeval runs as ``name``: coeval's own, unless the workbook's settings name
    its own copy (``[notebooks]``), which must then be owned by this user and writable by
    nobody else, since coeval runs whatever code it holds. A notebook that merely sits in the
    workbook is never run."""
    key = name.removesuffix(".ipynb")
    own = workbook.settings.notebooks.get(key)
    if own:
        setting = f"[notebooks] {key} = {own!r} in {workbook.config_path}"
        path = (workbook.root / own).resolve()
        if not path.is_file():
            raise ReviewError(f"{setting}: there is no such notebook; fix the path or remove it")
        problem = others_can_change(path, workbook.root.resolve())
        if problem:
            raise ReviewError(f"{setting}: {problem}, so coeval will not run it; {problem.fix}")
        return path
    path = Path(str(resources.files("coeval.notebooks").joinpath(name)))
    if not path.is_file():
        raise ReviewError(f"cannot find coeval's {name}; reinstall coeval")
    return path


# -- checking the notebook --------------------------------------------------------------------


def check_parameters(path: Path, expected: tuple[str, ...]) -> None:
    """The notebook's parameters cell must declare exactly the parameters coeval passes."""
    import papermill

    declared = set(papermill.inspect_notebook(str(path)))
    missing = [p for p in expected if p not in declared]
    unknown = sorted(declared - set(expected))
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"it does not declare {', '.join(missing)}")
        if unknown:
            problems.append(f"it declares parameters coeval does not pass: {', '.join(unknown)}")
        raise ReviewError(
            f"{path}: {'; '.join(problems)}; its parameters cell must declare exactly "
            f"{', '.join(expected)}"
        )


# -- executing one notebook -------------------------------------------------------------------


def _kernel_environment() -> None:
    """Run in each worker before it starts kernels: see coeval/_kernel/. Kernels start in
    the workbook's folder; PYTHONSAFEPATH stops them importing code from it (a file named
    like a library, pandas.py say, left in the workbook would otherwise run in every review)."""
    os.environ["PYTHONPATH"] = kernel_pythonpath(os.environ.get("PYTHONPATH", ""))
    os.environ["PYTHONSAFEPATH"] = "1"


def kernel_pythonpath(current: str) -> str:
    """PYTHONPATH for kernels coeval starts: coeval/_kernel first (see its docstring)."""
    shim = str(Path(__file__).parent / "_kernel")
    paths = [shim, *[p for p in current.split(os.pathsep) if p]]
    return os.pathsep.join(dict.fromkeys(paths))


def execute(
    source: str,
    target: str,
    parameters: dict[str, Any],
    cwd: str,
    kernel: str = KERNEL,
    warm: bool = True,
) -> tuple[bool, str, float]:
    """Run one notebook with papermill (in a worker process). Returns (ok, error, seconds).

    With ``warm``, in this process's warm kernel (:mod:`coeval.warm`), replaced after a
    failure; otherwise in a kernel of its own. A kernel that fails to start or dies is
    tried once more, fresh; an error in a cell is not."""
    from papermill.exceptions import PapermillExecutionError

    from coeval import warm as warm_kernels

    _kernel_environment()
    start = time.perf_counter()
    for attempt in (1, 2):
        try:
            if warm:
                _run_warm(source, target, parameters, cwd, kernel)
            else:
                _run_cold(source, target, parameters, cwd, kernel)
            return True, "", time.perf_counter() - start
        except PapermillExecutionError as exc:
            warm_kernels.discard()
            return False, f"{exc.ename}: {exc.evalue}", time.perf_counter() - start
        except Exception as exc:  # the kernel did not start or died: try once more
            warm_kernels.discard()
            if attempt == 2:
                return False, f"{type(exc).__name__}: {exc}", time.perf_counter() - start
    raise AssertionError("unreachable")


def _run_warm(source: str, target: str, parameters: dict[str, Any], cwd: str, kernel: str) -> None:
    from coeval import warm as warm_kernels

    warm_kernels.register_engine()
    warm_kernels.prepared(kernel, cwd)
    _papermill(source, target, parameters, cwd, kernel, engine_name=warm_kernels.ENGINE)


def _run_cold(source: str, target: str, parameters: dict[str, Any], cwd: str, kernel: str) -> None:
    from traitlets.config import Config

    # local sockets in a private folder rather than TCP ports on localhost
    with tempfile.TemporaryDirectory(prefix="coeval-k-") as sockets:
        config = Config({"KernelManager": {"transport": "ipc", "ip": f"{sockets}/k"}})
        _papermill(source, target, parameters, cwd, kernel, config=config)


def _papermill(
    source: str, target: str, parameters: dict[str, Any], cwd: str, kernel: str, **how: Any
) -> None:
    import papermill

    papermill.execute_notebook(
        source,
        target,
        parameters=parameters,
        kernel_name=kernel,
        progress_bar=False,
        cwd=cwd,
        log_output=False,
        **how,
    )


@dataclass(frozen=True)
class Job:
    """One notebook to run: its name (the page's file name), the notebook, its parameters,
    the digest of what it reads, and the page's title."""

    name: str
    notebook: Path
    parameters: dict[str, Any]
    digest: str
    title: str


def execute_all(
    workbook: Workbook,
    folder: Path,
    pending: list[Job],
    jobs: int,
    tell: Progress,
    bar: bool,
) -> list[Outcome]:
    """Run the jobs, ``jobs`` at a time, each worker in its warm kernel; publish each
    success as it finishes and keep each failure aside."""
    if not pending:
        return []
    import multiprocessing

    work = folder / ".work"  # hidden while being written
    work.mkdir(exist_ok=True)
    outcomes = []
    progress = None
    if bar:
        from tqdm import tqdm

        progress = tqdm(total=len(pending), unit="review", file=sys.stderr)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(pending)), mp_context=context) as pool:
        started = {}
        futures = {}
        for job in pending:
            started[job.name] = datetime.now(UTC).isoformat(timespec="seconds")
            target = work / f"{path_part(job.name)}.ipynb"
            future = pool.submit(
                execute, str(job.notebook), str(target), job.parameters, str(workbook.root)
            )
            futures[future] = job
        for done, future in enumerate(as_completed(futures), start=1):
            job = futures[future]
            name = job.name
            try:
                ok, error, seconds = future.result()
            except Exception as exc:  # the worker process itself died
                ok, error, seconds = False, f"{type(exc).__name__}: {exc}", 0.0
            outcome = publish_outcome(folder, work, name, ok, error, seconds, job.digest, job.title)
            outcome.started = started[name]
            outcomes.append(outcome)
            if progress is not None:
                progress.update(1)
            else:
                state = "done" if ok else "FAILED"
                tell(f"[{done}/{len(pending)}] {name}: {state} in {seconds:.1f} s")
    if progress is not None:
        progress.close()
    shutil.rmtree(work, ignore_errors=True)
    return outcomes


def publish_outcome(
    folder: Path,
    work: Path,
    name: str,
    ok: bool,
    error: str,
    seconds: float,
    digest: str,
    title: str,
) -> Outcome:
    """Turn a successful run into a dashboard; keep a failed one aside, never publish it."""
    name = path_part(name)
    produced = work / f"{name}.ipynb"
    if ok:
        try:
            html, summary = publish_notebook(produced, title)
        except Exception as exc:
            ok, error = False, f"could not make the page: {exc}"
        else:
            write_atomic(folder / f"{name}.html", html)
            produced.replace(folder / f"{name}.ipynb")
            (folder / FAILED / f"{name}.ipynb").unlink(missing_ok=True)
            made = Outcome(name, "ok", seconds, f"{name}.ipynb", f"{name}.html", digest=digest)
            made.summary = summary
            return made
    failed = folder / FAILED / f"{name}.ipynb"
    if produced.is_file():
        produced.replace(failed)
    return Outcome(name, "failed", seconds, str(failed.relative_to(folder)), "", error, digest)
