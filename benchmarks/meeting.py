"""Save latency in a meeting: from an answer to its committed row, with 20 people answering
at once on SQLite, against the floor of one person alone, measured in the same run.

Prints p50 and p95 for both; the last line is
``p95_ms=<value> ratio=<p95/floor_p95> target_p95_ms=100``.

Run: python benchmarks/meeting.py [--people 20] [--items 30]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from coeval.config import Workbook, init_workbook
from coeval.frameworks import builtin_frameworks
from coeval.meeting.meetings import Answer, open_meeting, save_answer
from coeval.meeting.people import join_meeting
from coeval.store import Store


def _person(url: str, code: str, person: int, items: list[str], start: object, out: object) -> None:
    mir = builtin_frameworks()["making-it-real"]
    times = []
    role = "carer" if person % 2 else "staff"
    with Store.open(url) as store:
        rater = join_meeting(store, code, role).rater
        start.wait()  # type: ignore[attr-defined]
        for n, item in enumerate(items):
            given = Answer(
                code,
                "making-it-real",
                item,
                rater,
                role,
                n % 5,
                "",
                f"{code}-{person}-{item}",
            )
            began = time.perf_counter()
            save_answer(store, given, mir)
            times.append((time.perf_counter() - began) * 1000)
    out.put(times)  # type: ignore[attr-defined]


def measure(url: str, code: str, people: int, items: list[str], first: int) -> list[float]:
    context = multiprocessing.get_context("spawn")
    start, out = context.Event(), context.Queue()
    workers = [
        context.Process(target=_person, args=(url, code, first + p, items, start, out))
        for p in range(people)
    ]
    for worker in workers:
        worker.start()
    time.sleep(3)  # let every process import and open the store before the clock starts
    start.set()
    times = [t for _ in workers for t in out.get(timeout=600)]
    for worker in workers:
        worker.join()
    return times


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--items", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coeval-meeting-") as tmp:
        book = Workbook.open(init_workbook(Path(tmp) / "wb"))
        with Store.open(book.db_url) as store:
            store.add_project("bench", "Benchmark", ["making-it-real"])
            mir = builtin_frameworks()["making-it-real"]  # covered whole, as `coeval meeting` does
            code = open_meeting(store, "bench", "2026Q3", date(2026, 9, 1), framework=mir).code
        items = [item.id for item in mir.items][: args.items]
        alone = measure(book.db_url, code, 1, items * 2, first=100)
        crowd = measure(book.db_url, code, args.people, items, first=0)
    floor_p50, floor_p95 = percentile(alone, 0.5), percentile(alone, 0.95)
    p50, p95 = percentile(crowd, 0.5), percentile(crowd, 0.95)
    print(f"one person alone, {len(alone)} saves: p50 {floor_p50:.1f} ms, p95 {floor_p95:.1f} ms")
    print(f"{args.people} people at once, {len(crowd)} saves: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(f"p95_ms={p95:.1f} ratio={p95 / floor_p95:.2f} target_p95_ms=100")


if __name__ == "__main__":
    main()
