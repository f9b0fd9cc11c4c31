"""What the benchmarks share: the best of several timed runs (the least noisy figure on a
busy machine)."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The shortest time, in seconds, of ``repeat`` runs of ``work``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)
