"""`coeval run` over a synthetic workbook of 1,000 projects on PostgreSQL, against a floor.

The workbook (benchmarks/synthetic.py) has 1,000 projects on the built-in frameworks, four
quarters (2025Q4 to 2026Q3) of about 8 to 30 ratings each from people with lived experience
and the workforce, with evidence, actions and activities. Its database is a throwaway
PostgreSQL server started like the tests' (tests/postgres.py). Measured:

- a full quarter, ``coeval run --period 2026Q3 --jobs 2``, and the seconds per review made;
- the peak memory of each worker, sampled every 0.5 s under the `coeval run` process;
- the speed-up from 1 to 2 workers on the same 100 projects (``--project`` repeated,
  ``--force``), ``--jobs 1`` time divided by ``--jobs 2`` time.

The floor, measured in the same run, is benchmarks/reviews.py's: papermill runs, two at a
time, of a notebook that only imports pandas and altair; its seconds per run are the least a
naive review per kernel costs. Targets: a 1,000-project quarter under 600 s, and a speed-up
of at least 1.7. The last line is
``projects=<n> seconds=<s> per_review_s=<s> speedup_1_to_2=<x>``.

Run: python benchmarks/scale.py [--projects 1000] [--subset 100] [--keep DIR] [--build-only]
(``make bench-scale``). Try a small size first: ``--projects 20``. With ``--build-only`` it
builds the workbook and times what the run's deciding reads and digests, and runs no review.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psutil
import synthetic  # benchmarks/synthetic.py, beside this script
from reviews import floor  # benchmarks/reviews.py: the naive papermill floor

from coeval.config import Workbook

ROOT = Path(__file__).resolve().parents[1]
PERIOD = "2026Q3"
JOBS = 2
TARGET_SECONDS = 600.0  # for 1,000 projects
TARGET_SPEEDUP = 1.7
SAMPLE_EVERY = 0.5  # seconds between memory samples
KERNEL_MARK = "ipykernel_launcher"  # in a Jupyter kernel's command line
COEVAL = Path(sys.executable).parent / "coeval"
STARTED = time.perf_counter()


def say(message: str) -> None:
    """A progress line, with the seconds since the benchmark started."""
    print(f"[{time.perf_counter() - STARTED:7.1f} s] {message}", flush=True)


def load() -> str:
    """The machine's load (other work on it makes every figure here slower)."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


# -- PostgreSQL -------------------------------------------------------------------------------


@contextlib.contextmanager
def postgres_database(name: str = "coeval_scale") -> Iterator[str]:
    """A throwaway PostgreSQL server (the tests' own, tests/postgres.py) with one new
    database; yields its SQLAlchemy URL."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import create_engine, text

    from tests.postgres import postgres_server

    with postgres_server() as server:
        admin = create_engine(server.format("postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        yield server.format(name)


def dump_database(url: str, target: Path) -> None:
    """Dump the database to ``target`` with pg_dump (for --keep: the server is thrown away)."""
    from tests.postgres import _binary

    parts = urlsplit(url)
    query = parse_qs(parts.query)
    command = [
        _binary("pg_dump"),
        "--host",
        query["host"][0],
        "--port",
        query["port"][0],
        "--username",
        "postgres",
        "--file",
        str(target),
        parts.path.lstrip("/"),
    ]
    subprocess.run(command, check=True, capture_output=True)


# -- memory -----------------------------------------------------------------------------------


class TreeSampler(threading.Thread):
    """Samples the memory (and CPU time) of a process tree every :data:`SAMPLE_EVERY`
    seconds.

    A worker is the parent of a Jupyter kernel (a process whose command line names
    ipykernel_launcher) anywhere under the root: a pool process today, a Dask worker
    process (under its nanny) with Dask. At each sample a worker's figure is its own RSS
    plus the RSS of all its descendants (its kernel); each worker's peak is kept, keyed by
    its process id, so a kernel replaced inside a worker stays with that worker. The root
    (the `coeval run` process) is reported on its own, and the whole tree's peak too.
    Each process's CPU time as last sampled is kept too, to show where the time went."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.halt = threading.Event()
        self.workers: dict[int, int] = {}  # worker pid: peak bytes, in order first seen
        self.commands: dict[int, str] = {}  # worker pid: the start of its command line
        self.root_peak = 0
        self.tree_peak = 0
        self.samples = 0
        self._kernels: dict[tuple[int, float], bool] = {}
        self._cpu: dict[tuple[int, float], tuple[str, float]] = {}  # kind, CPU seconds

    def run(self) -> None:
        while not self.halt.is_set():
            with contextlib.suppress(psutil.Error):
                self.sample()
            self.halt.wait(SAMPLE_EVERY)

    def stop(self) -> None:
        self.halt.set()
        self.join()

    def _is_kernel(self, key: tuple[int, float], process: psutil.Process) -> bool:
        if key not in self._kernels:
            self._kernels[key] = any(KERNEL_MARK in part for part in process.cmdline())
        return self._kernels[key]

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds (user and system) by kind of process: the `coeval run` process,
        workers, kernels and others, as last sampled."""
        kinds = dict.fromkeys(("coeval run", "workers", "kernels", "others"), 0.0)
        for kind, seconds in self._cpu.values():
            kinds[kind] += seconds
        return kinds

    def sample(self) -> None:
        root = psutil.Process(self.pid)
        parent: dict[int, int] = {}
        rss: dict[int, int] = {}
        kernels = []
        cpu: dict[int, tuple[tuple[int, float], float]] = {}
        for process in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                key = (process.pid, process.create_time())
                rss[process.pid] = process.memory_info().rss
                parent[process.pid] = process.ppid()
                times = process.cpu_times()
                cpu[process.pid] = (key, times.user + times.system)
                if self._is_kernel(key, process):
                    kernels.append(process.pid)
        children: dict[int, list[int]] = {}
        for pid, ppid in parent.items():
            children.setdefault(ppid, []).append(pid)

        def subtree(pid: int) -> int:
            return rss.get(pid, 0) + sum(subtree(child) for child in children.get(pid, []))

        workers = list(dict.fromkeys(parent[k] for k in kernels if parent[k] in rss))
        for pid, (key, seconds) in cpu.items():
            kind = "coeval run" if pid == self.pid else "others"
            kind = "kernels" if pid in kernels else "workers" if pid in workers else kind
            if key in self._cpu and self._cpu[key][0] != "others":  # a worker stays one
                kind = self._cpu[key][0]  # after its kernel has gone, as it shuts down
            self._cpu[key] = (kind, seconds)
        for worker in workers:
            self.workers[worker] = max(self.workers.get(worker, 0), subtree(worker))
            if worker not in self.commands:
                with contextlib.suppress(psutil.Error):
                    self.commands[worker] = " ".join(psutil.Process(worker).cmdline())[:60]
        self.root_peak = max(self.root_peak, rss.get(self.pid, 0))
        self.tree_peak = max(self.tree_peak, sum(rss.values()))
        self.samples += 1


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Send this process's stderr (and its children's: the floor's kernels log warnings
    there) to /dev/null while the block runs."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def mib(size: int) -> str:
    return f"{size / 2**20:.0f} MiB"


# -- running coeval ----------------------------------------------------------------------------


@dataclass
class Run:
    """One `coeval run`: its wall time, what its output said, and its memory."""

    seconds: float
    reviews: int  # project reviews made (the portfolio not counted)
    portfolio: float | None  # the portfolio's own seconds, when it was made
    decided_s: float | None  # from the start to its "running N reviews" line
    first_review_s: float | None  # from the start to the first review finished
    memory: TreeSampler
    output: list[str] = field(default_factory=list)


def coeval_run(
    book: Path, url: str, options: list[str], title: str, projects: Sequence[str] = ()
) -> Run:
    """Run `coeval --workbook BOOK --db URL run ...OPTIONS` (with ``--project`` for each of
    ``projects``), echoing its progress now and then with the seconds since it started, and
    sampling its memory."""
    env = {**os.environ, "COEVAL_DB": url, "PYTHONUNBUFFERED": "1"}
    named = [part for project in projects for part in ("--project", project)]
    command = [str(COEVAL), "--workbook", str(book), "--db", url, "run", *options, *named]
    shown = " ".join(options)
    if projects:
        shown += f" --project ID ({len(projects)} of them: {projects[0]} to {projects[-1]})"
    say(f"{title}: coeval run {shown}; {load()}")
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    output: list[str] = []
    decided = first = None
    made = portfolio_made = 0
    portfolio_s = None
    assert process.stdout is not None
    for raw in process.stdout:
        line = raw.rstrip()
        now = time.perf_counter() - start
        output.append(line)
        done = re.match(r"\[(\d+)/(\d+)\] (\S+): done in ([\d.]+) s", line)
        if line.startswith("running "):
            decided = now
            say(f"  {now:6.1f} s  {line}  (so far: startup and deciding what to run)")
        elif done:
            first = first if first is not None else now
            made += 1
            if done.group(3) == "portfolio":
                portfolio_made, portfolio_s = 1, float(done.group(4))
            count, total = int(done.group(1)), int(done.group(2))
            if count == 1 or count == total or count % max(1, total // 10) == 0:
                say(f"  {now:6.1f} s  {count}/{total} finished")
        elif not re.match(r"\[\d+/\d+\]", line):
            say(f"  {now:6.1f} s  {line}")
    code = process.wait()
    seconds = time.perf_counter() - start
    sampler.stop()
    if code != 0:
        sys.exit(f"coeval run failed (exit {code}); its output:\n" + "\n".join(output[-30:]))
    summaries = [re.search(r"(\d+) made,", line) for line in output]
    counted = [int(found.group(1)) for found in summaries if found]
    if not made and counted:  # no line per review (a progress bar): the summary's count
        made, portfolio_made = counted[-1], 1
    reviews = made - portfolio_made
    return Run(seconds, reviews, portfolio_s, decided, first, sampler, output)


def report_memory(run: Run) -> None:
    memory = run.memory
    say(
        f"  memory ({memory.samples} samples, every {SAMPLE_EVERY} s): a worker is the parent "
        f"of a Jupyter kernel under `coeval run`; its figure is its RSS plus its descendants' "
        f"(the kernel), peak over the run; a Dask nanny above a worker is not counted"
    )
    for number, (pid, peak) in enumerate(memory.workers.items(), start=1):
        command = memory.commands.get(pid, "")
        say(f"    worker {number} (pid {pid}, {command}...): peak {mib(peak)}")
    say(
        f"    `coeval run` itself: peak {mib(memory.root_peak)}; the whole tree: peak "
        f"{mib(memory.tree_peak)}"
    )
    spent = ", ".join(f"{kind} {seconds:.0f} s" for kind, seconds in memory.cpu_seconds().items())
    say(f"  CPU time (user+system) by process kind: {spent}")


def describe(run: Run) -> str:
    parts = [f"{run.seconds:.1f} s for {run.reviews} reviews"]
    if run.portfolio is not None:
        parts.append(f"and the portfolio ({run.portfolio:.1f} s of a worker's time)")
    if run.reviews:
        parts.append(f"= {run.seconds / run.reviews:.2f} s per review")
    if run.decided_s is not None:
        parts.append(f"(deciding done at {run.decided_s:.1f} s")
        if run.first_review_s is not None:
            parts[-1] += f", first review finished at {run.first_review_s:.1f} s"
        parts[-1] += ")"
    return " ".join(parts) + f"; {load()}"


# -- the workbook -----------------------------------------------------------------------------


def build_workbook(folder: Path, url: str, projects: int) -> Workbook:
    env = {**os.environ, "COEVAL_DB": url}
    subprocess.run(
        [str(COEVAL), "--db", url, "init", str(folder)],
        check=True,
        capture_output=True,
        env=env,
    )
    book = Workbook.open(folder, db=url)
    say(f"building {projects} projects x 4 quarters through the Store API ...")
    start = time.perf_counter()
    built = synthetic.build(book, projects, say=say)
    seconds = time.perf_counter() - start
    say(
        f"built in {seconds:.1f} s ({seconds / projects * 1000:.0f} ms a project): "
        f"{built.ratings} ratings ({built.ratings / (4 * projects):.1f} per project per "
        f"quarter), {built.evidence} evidence, {built.actions} actions, {built.activities} "
        f"activities, {built.meetings} meetings"
    )
    return book


def time_digests(book: Workbook, projects: int) -> None:
    """What `coeval run` does before running anything: read each project's inputs and
    digest them (and the portfolio's), timed here on its own."""
    from coeval.portfolio.inputs import PortfolioInputs
    from coeval.review.inputs import ReviewInputs
    from coeval.store import Store

    say(f"reading and digesting every project's {PERIOD} inputs, as the run's deciding does ...")
    with Store.open(book.db_url) as store:
        start = time.perf_counter()
        for project in synthetic.project_ids(projects):
            ReviewInputs.read(book, store, project, PERIOD).digest()
        reviews = time.perf_counter() - start
        start = time.perf_counter()
        PortfolioInputs.read(book, store, PERIOD).digest()
        portfolio = time.perf_counter() - start
    say(
        f"digests: {reviews:.1f} s for {projects} projects "
        f"({reviews / projects * 1000:.0f} ms each), the portfolio's {portfolio:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000, help="how many projects")
    parser.add_argument(
        "--subset", type=int, default=100, help="projects in the 1-to-2 worker speed-up runs"
    )
    parser.add_argument("--floor-runs", type=int, default=12, help="papermill runs in the floor")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build and keep the workbook here")
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="only build the workbook and time the digests, run no reviews",
    )
    args = parser.parse_args()
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        sys.exit(f"--keep {args.keep}: choose a new or empty folder")
    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="coeval-scale-")))
        folder = args.keep.resolve() if args.keep else scratch / "workbook"
        say("starting a throwaway PostgreSQL server ...")
        url = stack.enter_context(postgres_database())
        book = build_workbook(folder, url, args.projects)
        if args.build_only:
            time_digests(book, args.projects)
        else:
            measure(book, url, args.projects, args.subset, args.floor_runs, scratch)
        if args.keep:
            dump_database(url, folder / "database.sql")
            say(f"kept the workbook in {folder}, its database dumped to database.sql")


def measure(book: Workbook, url: str, projects: int, subset: int, runs: int, scratch: Path) -> None:
    say(f"the floor: {runs} papermill runs of a pandas+altair notebook, 2 at a time ...")
    with quiet_stderr():  # each naive kernel warns of its TCP ports on stderr
        floor_s = floor(runs, scratch)
    floor_review = floor_s / runs
    say(f"floor: {floor_s:.1f} s, {floor_review:.2f} s per run")

    full = coeval_run(book.root, url, ["--period", PERIOD, "--jobs", str(JOBS)], "full quarter")
    say(f"full quarter, --jobs {JOBS}: {describe(full)}")
    report_memory(full)

    chosen = synthetic.project_ids(min(subset, projects))
    timed = {}
    for jobs in (1, 2):
        options = ["--period", PERIOD, "--jobs", str(jobs), "--force"]
        title = f"{len(chosen)} projects, {jobs} worker(s)"
        run = coeval_run(book.root, url, options, title, chosen)
        say(f"{len(chosen)} projects, --jobs {jobs}: {describe(run)}")
        report_memory(run)
        timed[jobs] = run.seconds
    speedup = timed[1] / timed[2]

    per_review = full.seconds / max(1, full.reviews)
    scaled = full.seconds * 1000 / projects
    print()
    print(f"full quarter: {full.seconds:.1f} s for {full.reviews} reviews, --jobs {JOBS}")
    if full.decided_s is not None:
        print(f"  of which startup and deciding what to run: {full.decided_s:.1f} s")
    print(f"  target: under {TARGET_SECONDS:.0f} s for 1,000 projects", end="")
    print("" if projects == 1000 else f" (this run scaled to 1,000: {scaled:.0f} s)")
    print(f"per review: {per_review:.2f} s; floor per review: {floor_review:.2f} s")
    print(f"per_review_ratio={per_review / floor_review:.2f}")
    peaks = ", ".join(mib(peak) for peak in full.memory.workers.values()) or "none seen"
    print(f"peak memory per worker (worker + its kernel): {peaks}")
    print(
        f"speed-up 1 to 2 workers over {len(chosen)} projects: {timed[1]:.1f} s / "
        f"{timed[2]:.1f} s = {speedup:.2f} (target at least {TARGET_SPEEDUP})"
    )
    print(
        f"projects={projects} seconds={full.seconds:.1f} per_review_s={per_review:.2f} "
        f"speedup_1_to_2={speedup:.2f}"
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # as coeval.cli.main.run
    main()
