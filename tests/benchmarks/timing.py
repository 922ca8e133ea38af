"""The floors benchmarks compare against are timed the same way: the median of a few rounds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_of(action: Callable[[], object], rounds: int = 5) -> float:
    """The median wall time of ``action`` over ``rounds`` runs, in seconds."""
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        action()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)
