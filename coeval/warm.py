"""Warm kernels: one kernel per worker process, with coeval and its libraries imported once,
running review after review.

Each review runs through papermill, with a papermill engine (``coeval-warm``) that hands
papermill's notebook client the warm kernel instead of starting a new one, so the executed
notebook is made exactly as a cold run makes it. Before each review the kernel's namespace is
emptied (``%reset -f``), its working folder set and its execution count put back to 1, so
nothing one review defined is seen by the next. A review that fails, or kills the kernel, is
followed by a fresh kernel; a kernel is also replaced after :data:`MAX_REVIEWS` reviews or
once it holds more than :data:`MAX_RSS_MIB` of memory.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import tempfile
import threading
from collections.abc import Awaitable
from typing import Any

#: Run once per kernel: what coeval's notebooks use, imported and drawn with once.
WARM_UP = (
    "import coeval.charts, coeval.review, coeval.portfolio, pandas, altair, vl_convert, gc\n"
    "chart = altair.Chart(pandas.DataFrame({'x': [1]})).mark_bar().encode(x='x:Q')\n"
    "coeval.charts.to_svg(chart, 'warm-up')  # vl-convert's first drawing is its slowest\n"
    # what is loaded by now stays for the kernel's life: garbage collection, each review's
    # clean-up included, need not look at it again
    "gc.freeze()\n"
)
MAX_REVIEWS = 40
MAX_RSS_MIB = 1536
ENGINE = "coeval-warm"


def _sync(awaitable: Awaitable[Any]) -> Any:
    """Wait for an awaitable of the kernel's manager or client, on this thread's one event
    loop (the loop papermill's notebook client uses too, so the kernel's client, kept from
    review to review, always runs on the loop it started on); from a thread already running a
    loop (Dask runs ``client.run`` functions in its own), on a loop of its own."""
    from jupyter_core.utils import run_sync

    async def wait() -> Any:
        return await awaitable

    return run_sync(wait)()


def _reset_code(cwd: str, environ: dict[str, str]) -> str:
    return (
        "get_ipython().run_line_magic('reset', '-f')\n"
        "import os as _coeval_os\n"
        f"_coeval_os.chdir({cwd!r})\n"
        f"_coeval_os.environ.update({environ!r})\n"
        "del _coeval_os\n"
        "get_ipython().execution_count = 1\n"
    )


class WarmKernel:
    """A started kernel, warmed up, and how many reviews it has run."""

    def __init__(self, kernel_name: str, cwd: str):
        from jupyter_client.manager import AsyncKernelManager
        from traitlets.config import Config

        # local sockets in a private folder rather than TCP ports on localhost
        self.sockets = tempfile.TemporaryDirectory(prefix="coeval-w-")
        config = Config({"KernelManager": {"transport": "ipc", "ip": f"{self.sockets.name}/k"}})
        self.km = AsyncKernelManager(kernel_name=kernel_name, config=config)
        _sync(self.km.start_kernel(cwd=cwd))
        # one client for the kernel's life: connecting a new one costs 0.2 s a review
        self.kc = self.km.client()
        self.kc.start_channels()
        _sync(self.kc.wait_for_ready(timeout=120))
        self.reviews = 0
        self.reset = ""  # what the engine runs before the next review's first cell
        self.run(WARM_UP)

    def run(self, code: str, timeout: float = 120) -> None:
        """Run code in the kernel, out of its history; raise if it fails."""
        reply = _sync(
            self.kc.execute_interactive(
                code, store_history=False, timeout=timeout, output_hook=lambda _m: None
            )
        )
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")

    def alive(self) -> bool:
        with contextlib.suppress(Exception):
            return bool(_sync(self.km.is_alive()))
        return False

    def rss_mib(self) -> float:
        pid = getattr(self.km.provisioner, "pid", None)
        if pid is None:
            return 0.0
        try:
            import psutil

            return float(psutil.Process(pid).memory_info().rss) / 2**20
        except Exception:
            return 0.0

    def worn(self) -> bool:
        return self.reviews >= MAX_REVIEWS or self.rss_mib() > MAX_RSS_MIB

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.kc.stop_channels()
        with contextlib.suppress(Exception):
            _sync(self.km.shutdown_kernel(now=True))
        with contextlib.suppress(Exception):
            pid = getattr(self.km.provisioner, "pid", None)
            if pid:
                os.kill(pid, 9)
        self.sockets.cleanup()


_KERNELS: dict[int, WarmKernel] = {}  # by thread: a Dask worker may run a few at once


def current() -> WarmKernel:
    """The warm kernel of this thread (the engine runs the review in it)."""
    return _KERNELS[threading.get_ident()]


def prepared(kernel_name: str, cwd: str, environ: dict[str, str] | None = None) -> WarmKernel:
    """This thread's warm kernel, ready for a review in ``cwd`` with ``environ`` set in it:
    started (or replaced when dead or worn) and emptied."""
    me = threading.get_ident()
    kernel = _KERNELS.get(me)
    if kernel is not None and (not kernel.alive() or kernel.worn()):
        kernel.stop()
        kernel = None
    if kernel is None:
        kernel = WarmKernel(kernel_name, cwd)
        _KERNELS[me] = kernel
    # emptied by the engine, on the kernel's own client, just before the first cell
    kernel.reset = _reset_code(cwd, environ or {})
    kernel.reviews += 1
    return kernel


def discard() -> None:
    """Stop this thread's warm kernel (after a failed review: the next gets a fresh one)."""
    kernel = _KERNELS.pop(threading.get_ident(), None)
    if kernel is not None:
        kernel.stop()


def discard_all() -> None:
    """Stop every warm kernel of this process (at the end of a run, and when it exits)."""
    while _KERNELS:
        _KERNELS.popitem()[1].stop()


atexit.register(discard_all)  # a worker's kernels go when the worker does


def register_engine() -> None:
    """Make ``coeval-warm`` a papermill engine in this process."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: Any,
        ) -> Any:
            kernel = current()
            client = PapermillNotebookClient(
                nb_man,
                km=kernel.km,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client.kc = kernel.kc  # the kernel's own client, connected and ready
            kernel.run(kernel.reset)  # emptied before the first cell
            # written once at the end (by papermill), not after every cell as it runs
            output_path, nb_man.output_path = nb_man.output_path, None
            try:
                return client.execute()
            finally:
                nb_man.output_path = output_path

    papermill_engines.register(ENGINE, WarmEngine)
