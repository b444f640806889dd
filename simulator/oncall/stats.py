"""Small statistics without numpy: percentiles and bootstrap confidence intervals."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) with linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    lo = math.floor(rank)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (rank - lo)


def mean(values: Sequence[float]) -> float | None:
    """Arithmetic mean; None for no values."""
    return sum(values) / len(values) if values else None


def bootstrap_mean_ci(
    values: Sequence[float], seed: int, *, resamples: int = 1000, level: float = 0.95
) -> tuple[float, float, float] | None:
    """(mean, low, high): a percentile bootstrap interval for the mean of ``values``."""
    return bootstrap_means_ci({"": values}, seed, resamples=resamples, level=level).get("")


def bootstrap_means_ci(
    columns: Mapping[str, Sequence[float]],
    seed: int,
    *,
    resamples: int = 1000,
    level: float = 0.95,
) -> dict[str, tuple[float, float, float]]:
    """(mean, low, high) per column of equal length, from one set of resamples of the
    rows: the draws, not the sums, are most of a bootstrap's cost, and drawing each
    resample once keeps memory to one row of indices."""
    columns = {k: v for k, v in columns.items() if v}
    if not columns:
        return {}
    n = len(next(iter(columns.values())))
    if any(len(v) != n for v in columns.values()):
        raise ValueError("bootstrap columns must have equal lengths")
    draw = random.Random(seed).random
    means: dict[str, list[float]] = {k: [] for k in columns}
    for _ in range(resamples):
        idx = [int(draw() * n) for _ in range(n)]
        for key, values in columns.items():
            means[key].append(sum(map(values.__getitem__, idx)) / n)
    tail = (1 - level) / 2 * 100
    out = {}
    for key, values in columns.items():
        ordered = sorted(means[key])
        low, high = percentile(ordered, tail), percentile(ordered, 100 - tail)
        assert low is not None and high is not None
        out[key] = (sum(values) / n, low, high)
    return out
