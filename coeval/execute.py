"""Running one notebook with papermill and turning it into a page: where coeval's notebooks
are, checking their parameters, the kernels' environment, and :func:`produce`, what a worker
does with one :class:`Job` (run it in its warm kernel, make the page, and hand both back).
:mod:`coeval.run` decides what to run, :mod:`coeval.cluster` hands the jobs to workers and
writes what comes back."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import socket
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from coeval.config import Workbook
from coeval.exceptions import ReviewError
from coeval.files import others_can_change
from coeval.html import publish_notebook

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
    worker: str = ""  # which machine and process made it
    memory_mib: float = 0.0  # what that worker and its kernel held just after


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
    environ: dict[str, str] | None = None,
) -> tuple[bool, str, float]:
    """Run one notebook with papermill (in a worker). Returns (ok, error, seconds).

    With ``warm``, in this thread's warm kernel (:mod:`coeval.warm`), replaced after a
    failure; otherwise in a kernel of its own. ``environ`` is set in the kernel. A kernel
    that fails to start or dies is tried once more, fresh; an error in a cell is not."""
    from papermill.exceptions import PapermillExecutionError

    from coeval import warm as warm_kernels

    _kernel_environment()
    os.environ.update(environ or {})  # a kernel of its own inherits them
    start = time.perf_counter()
    for attempt in (1, 2):
        try:
            if warm:
                _run_warm(source, target, parameters, cwd, kernel, environ or {})
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


def _run_warm(
    source: str,
    target: str,
    parameters: dict[str, Any],
    cwd: str,
    kernel: str,
    environ: dict[str, str],
) -> None:
    from coeval import warm as warm_kernels

    warm_kernels.register_engine()
    warm_kernels.prepared(kernel, cwd, environ)
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


#: What a worker elsewhere needs of the workbook folder: its settings and the files a review
#: reads (never the database, imported files or dashboards).
BUNDLED = ("coeval.toml", "data/frameworks", "data/consultations")


@dataclass(frozen=True)
class Place:
    """Where a worker finds the workbook: the folder itself (a worker on this machine), or,
    for a worker on another machine, a bundle of the files a review reads (:data:`BUNDLED`),
    unpacked once per worker into a private folder."""

    root: str
    bundle: bytes = b""

    @classmethod
    def bundled(cls, root: Path) -> Place:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            for name in BUNDLED:
                if (root / name).exists():
                    tar.add(root / name, arcname=name, filter=_plain_files)
        return cls(str(root), buffer.getvalue())

    def folder(self) -> str:
        if not self.bundle:
            return self.root
        key = hashlib.sha256(self.bundle).hexdigest()
        if key not in _UNPACKED:
            folder = tempfile.mkdtemp(prefix="coeval-wb-", dir=_scratch())  # mode 0700
            with tarfile.open(fileobj=io.BytesIO(self.bundle), mode="r:gz") as tar:
                tar.extractall(folder, filter="data")
            _UNPACKED[key] = folder
        return _UNPACKED[key]


_UNPACKED: dict[str, str] = {}  # bundle digest: where this worker unpacked it


def _scratch() -> str | None:
    """A Dask worker's own folder (removed when the worker stops), else the temp folder."""
    try:
        from distributed import get_worker

        return str(get_worker().local_directory)
    except (ImportError, ValueError):
        return None


def _plain_files(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    return info if info.isfile() or info.isdir() else None  # no links, devices or fifos


@dataclass
class Produced:
    """What a worker hands back for one job: the executed notebook (also when it failed),
    the page when it succeeded, and what the worker and its kernel held."""

    ok: bool
    error: str
    seconds: float
    notebook: str = ""  # the executed notebook's JSON; "" when it never ran
    html: str = ""
    summary: dict[str, Any] | None = None
    worker: str = ""
    memory_mib: float = 0.0


def produce(job: Job, source: str, place: Place, environ: dict[str, str]) -> Produced:
    """Run one job in this worker's warm kernel and make its page (runs on a worker). The
    notebook's ``workbook`` parameter is where this worker finds the workbook."""
    root = place.folder()
    parameters = dict(job.parameters)
    if "workbook" in parameters:
        parameters["workbook"] = root
    with tempfile.TemporaryDirectory(prefix="coeval-r-") as scratch:
        given, made = Path(scratch) / "given.ipynb", Path(scratch) / "made.ipynb"
        given.write_text(source, encoding="utf-8")
        ok, error, seconds = execute(str(given), str(made), parameters, root, environ=environ)
        result = Produced(
            ok, error, seconds, worker=f"{socket.gethostname()} process {os.getpid()}"
        )
        if made.is_file():
            result.notebook = made.read_text(encoding="utf-8")
        if ok:
            try:
                result.html, result.summary = publish_notebook(made, job.title)
            except Exception as exc:
                result.ok, result.error = False, f"could not make the page: {exc}"
    result.memory_mib = _memory_mib()
    return result


def _memory_mib() -> float:
    """This worker's memory and its kernels', in MiB."""
    import psutil

    me = psutil.Process()
    total = me.memory_info().rss
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += child.memory_info().rss
    return float(total) / 2**20


def tidy() -> None:
    """Stop this worker's warm kernels and remove its unpacked workbooks (end of a run)."""
    from coeval import warm as warm_kernels

    warm_kernels.discard_all()
    while _UNPACKED:
        shutil.rmtree(_UNPACKED.popitem()[1], ignore_errors=True)
