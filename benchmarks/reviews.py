"""`coeval run` over 24 projects with --jobs 2, against a naive floor measured in the same run.

The floor is 24 papermill runs, two at a time, of a notebook that only imports pandas and
altair. With warm kernels (coeval/warm.py) a full run should cost at most half of naively
starting a kernel and importing those libraries for each review. Also
measured: a re-run with nothing changed, Voila's time to the first chart with preheated
kernels, and the time from opening a static page in Chromium to its first chart.
The last line is ``ratio=<run/floor> target=0.5 voila_first_chart_s=<seconds>``.

Run: python benchmarks/reviews.py [--projects-scale 4]
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from coeval.config import Workbook
from coeval.demo.workbook import build_demo
from coeval.run import run_reviews

PERIOD = "2026Q3"


def _floor_run(source: str, target: str) -> None:
    import papermill

    papermill.execute_notebook(source, target, kernel_name="python3", progress_bar=False)


def floor(runs: int, folder: Path) -> float:
    """Seconds for `runs` papermill runs (2 at a time) of a notebook importing pandas, altair."""
    nb = new_notebook(cells=[new_code_cell("import pandas\nimport altair")])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    source = folder / "floor.ipynb"
    nbformat.write(nb, source)
    start = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        jobs = [
            pool.submit(_floor_run, str(source), str(folder / f"floor-{n}.ipynb"))
            for n in range(runs)
        ]
        for job in jobs:
            job.result()
    return time.perf_counter() - start


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def first_chart_seconds(
    url: str, repeats: int = 3, between: Callable[[], None] | None = None
) -> float:
    """Median seconds from starting to load ``url`` to its first chart being drawn;
    ``between`` runs before each load (for Voila: until the page's kernel is ready again)."""
    sys.path.insert(0, str(Path(__file__).parents[1]))
    from tests.browser import Visit, chromium, open_page

    times = []
    with chromium() as browser:
        open_page(browser, "about:blank", Visit())  # a warm browser, as a reader's would be
        for _ in range(repeats):
            if between is not None:
                between()
            page = browser.new_page()  # type: ignore[attr-defined]
            start = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.wait_for_selector("svg[role=img]", timeout=120_000)
            times.append(time.perf_counter() - start)
            page.close()
    return statistics.median(times)


def _settle(pid: int, quiet: float = 15.0, limit: float = 600.0) -> None:
    """Wait until the server and its kernels use less than ``quiet`` % of a core together."""
    import psutil

    server = psutil.Process(pid)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        processes = [server, *server.children(recursive=True)]
        for process in processes:
            with contextlib.suppress(psutil.Error):
                process.cpu_percent(None)
        time.sleep(2)
        busy = 0.0
        for process in processes:
            with contextlib.suppress(psutil.Error):
                busy += process.cpu_percent(None)
        if busy < quiet:
            return


def voila_first_chart(book: Workbook, project: str) -> float:
    """Start `coeval serve`, wait until its kernels are preheated, time the first chart."""
    port = _free_port()
    coeval = Path(sys.executable).parent / "coeval"
    from coeval.server.dashboards import preheated_notebooks

    notebooks = len(preheated_notebooks(book.dashboards_dir))  # the latest quarter's
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [str(coeval), "--workbook", str(book.root), "serve", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                log.seek(0)
                if log.read().decode().count("is filled with") >= notebooks:
                    break
                time.sleep(1)
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
            url = f"http://127.0.0.1:{port}/voila/render/{PERIOD}/{project}.ipynb"
            # Each opening uses the page's preheated kernel; Voila then starts and runs
            # another for the next reader, which is waited for (as a reader a little later
            # would find it): "filled" is logged before a kernel finishes preheating.
            return first_chart_seconds(url, repeats=3, between=lambda: _settle(server.pid))
        finally:
            server.terminate()
            server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--projects-scale", type=int, default=4, help="6 projects times this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coeval-bench-") as tmp:
        folder = Path(tmp)
        build_demo(folder / "demo", seed=5, scale=args.projects_scale)
        book = Workbook.open(folder / "demo")
        count = 6 * args.projects_scale
        print(f"{count} projects; the floor first ...", flush=True)
        floor_s = floor(count, folder)
        print(
            f"floor: {count} papermill runs of a pandas+altair notebook, 2 at a time: "
            f"{floor_s:.1f} s",
            flush=True,
        )
        start = time.perf_counter()
        report = run_reviews(book, PERIOD, jobs=2, force=True)
        run_s = time.perf_counter() - start
        reviews = sum(o.name != "portfolio" for o in report.outcomes)
        if report.failed:
            sys.exit(f"reviews failed: {[o.name for o in report.failed]}")
        print(
            f"coeval run: {reviews} reviews and the portfolio, --jobs 2: {run_s:.1f} s", flush=True
        )
        start = time.perf_counter()
        run_reviews(book, PERIOD, jobs=2)
        print(
            f"re-run with nothing changed: {time.perf_counter() - start:.2f} s "
            f"(target under 2 s for {count} projects)",
            flush=True,
        )
        page = report.folder / "discharge-workshops.html"
        static_s = first_chart_seconds(page.as_uri(), repeats=5)
        print(
            f"static HTML, open to first chart in Chromium: {static_s:.2f} s (target under 0.5 s)",
            flush=True,
        )
        voila_s = voila_first_chart(book, "discharge-workshops")
        print(f"Voila, first chart with preheated kernels: {voila_s:.2f} s (target under 1.5 s)")
        print(f"ratio={run_s / floor_s:.2f} target=0.5 voila_first_chart_s={voila_s:.2f}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
