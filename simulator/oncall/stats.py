"""Small statistics without numpy: percentiles and bootstrap confidence intervals."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence


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


def resample_indices(n: int, seed: int, resamples: int = 1000) -> list[list[int]]:
    """Bootstrap resamples of ``range(n)``: drawn once, they serve every metric of a
    comparison (the draws, not the sums, are most of a bootstrap's cost)."""
    rng = random.Random(seed)
    draw = rng.random
    return [[int(draw() * n) for _ in range(n)] for _ in range(resamples)]


def bootstrap_mean_ci(
    values: Sequence[float],
    seed: int,
    *,
    resamples: int = 1000,
    level: float = 0.95,
    indices: Sequence[Sequence[int]] | None = None,
) -> tuple[float, float, float] | None:
    """(mean, low, high): a percentile bootstrap interval for the mean of ``values``,
    over ``indices`` when they fit ``values`` (else resampled from ``seed``)."""
    if not values:
        return None
    n = len(values)
    if indices is None or any(len(idx) != n for idx in indices[:1]):
        indices = resample_indices(n, seed, resamples)
    pick = values.__getitem__
    means = sorted(sum(map(pick, idx)) / n for idx in indices)
    tail = (1 - level) / 2 * 100
    low, high = percentile(means, tail), percentile(means, 100 - tail)
    assert low is not None and high is not None
    return sum(values) / n, low, high
