"""Every figure of a policy test with its 95% interval, so a reader sees what is noise.

Runs are independent (own alert stream, own responder draws), so the unit of
resampling is the run: a cluster bootstrap over runs, with one seeded set of
resamples shared by every figure (cheap, and the same seed gives the same report).
Pooled percentiles of ack times get a distribution-free order-statistic interval
instead, which needs no resampling of tens of thousands of samples.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from simulator.oncall.responders import PERIODS
from simulator.oncall.simulate import RunResult
from simulator.oncall.stats import percentile
from simulator.oncall.testrun import PolicySummary

Z95 = 1.959963984540054
RESAMPLES = 400
SLEEP = PERIODS.index("sleep")


@dataclass(frozen=True)
class Estimate:
    """A figure and its 95% interval; ``exact`` when it involves no randomness."""

    value: float | None
    low: float | None = None
    high: float | None = None
    exact: bool = False

    @classmethod
    def fixed(cls, value: float) -> Estimate:
        """A figure computed from the config alone (coverage, fairness)."""
        return cls(value, value, value, exact=True)


class Intervals(Protocol):
    """How a report turns per-run figures into a value and a 95% interval."""

    def mean(self, values: Sequence[float]) -> Estimate:
        """The mean over runs of a per-run figure."""
        ...

    def ratio(self, nums: Sequence[float], dens: Sequence[float]) -> Estimate:
        """sum(nums) / sum(dens) over runs."""
        ...


class NormalApprox:
    """Normal approximation over runs (the delta method for ratios): deterministic and
    cheap, for the hundreds of breakdown figures where a bootstrap would take seconds."""

    def mean(self, values: Sequence[float]) -> Estimate:
        """Mean ± 1.96 standard errors."""
        n = len(values)
        if not n:
            return Estimate(None)
        mu = sum(values) / n
        if n < 2:
            return Estimate(mu)
        se = math.sqrt(sum((v - mu) ** 2 for v in values) / (n - 1) / n)
        return Estimate(mu, mu - Z95 * se, mu + Z95 * se)

    def ratio(self, nums: Sequence[float], dens: Sequence[float]) -> Estimate:
        """sum(nums)/sum(dens) ± 1.96 delta-method standard errors, clipped at 0."""
        n, total = len(dens), sum(dens)
        if not total:
            return Estimate(None)
        r = sum(nums) / total
        if n < 2:
            return Estimate(r)
        mean_den = total / n
        resid = [y - r * x for y, x in zip(nums, dens, strict=True)]
        se = math.sqrt(sum(e * e for e in resid) / (n - 1) / n) / mean_den
        return Estimate(r, max(r - Z95 * se, 0.0), r + Z95 * se)


class Resampler:
    """Seeded bootstrap resamples of run indices, shared by every figure of a report."""

    def __init__(self, runs: int, seed: int, resamples: int = RESAMPLES) -> None:
        rng = random.Random(f"gameday-oncall-bootstrap/{seed}/{runs}")
        self.runs = runs
        self.samples = [[rng.randrange(runs) for _ in range(runs)] for _ in range(resamples)]

    def _interval(self, value: float | None, draws: list[float]) -> Estimate:
        if value is None or not draws or self.runs < 2:
            return Estimate(value)
        draws.sort()
        return Estimate(value, percentile(draws, 2.5), percentile(draws, 97.5))

    def ratio(self, nums: Sequence[float], dens: Sequence[float]) -> Estimate:
        """sum(nums) / sum(dens) over runs: a share of incidents, a rate per incident."""
        total = sum(dens)
        if not total:
            return Estimate(None)
        draws = []
        for idx in self.samples:
            den = sum(map(dens.__getitem__, idx))
            if den:
                draws.append(sum(map(nums.__getitem__, idx)) / den)
        return self._interval(sum(nums) / total, draws)

    def mean(self, values: Sequence[float]) -> Estimate:
        """The mean over runs of a per-run figure."""
        if not values:
            return Estimate(None)
        n = len(values)
        draws = [sum(map(values.__getitem__, idx)) / n for idx in self.samples]
        return self._interval(sum(values) / n, draws)

    def statistic(self, fn: Callable[[Sequence[int]], float | None]) -> Estimate:
        """Any statistic of a set of run indices (the busiest person's mean, say)."""
        value = fn(range(self.runs))
        draws = [d for d in (fn(idx) for idx in self.samples) if d is not None]
        return self._interval(value, draws)


def percentile_interval(values: Sequence[float], q: float) -> Estimate:
    """The pooled ``q``-th percentile with a distribution-free 95% interval: the order
    statistics whose ranks bracket ``n q`` by 1.96 binomial standard deviations."""
    if not values:
        return Estimate(None)
    ordered = sorted(values)
    n = len(ordered)
    p = q / 100
    spread = Z95 * math.sqrt(n * p * (1 - p))
    lo = max(0, math.floor(n * p - spread) - 1)
    hi = min(n - 1, math.ceil(n * p + spread))
    return Estimate(percentile(ordered, q), ordered[lo], ordered[hi])


HEADLINE = (
    ("incidents_per_run", "incidents per run"),
    ("alerts_per_run", "alerts per run (before routing)"),
    ("alerts_per_incident", "alerts per incident (grouping)"),
    ("ack_p50", "time to ack p50"),
    ("ack_p90", "time to ack p90"),
    ("ack_p95", "time to ack p95"),
    ("ack_p99", "time to ack p99"),
    ("reached_last_step", "reached last step"),
    ("never_acked", "never acknowledged"),
    ("missed_by_all", "  of which missed by everyone paged"),
    ("resolved_first", "  of which resolved before anyone acked"),
    ("escalations_per_incident", "escalations per incident"),
    ("pages_per_week", "pages a week (whole team)"),
    ("repages_per_week", "of which Alertmanager resends"),
    ("max_sleep_pages_per_week", "most sleep-hour pages a week (one person)"),
    ("fairness", "fairness of on-call time (1 = even)"),
)
"""Keys and row labels of the summary table, in order."""


def headline(summary: PolicySummary, resampler: Resampler) -> dict[str, Estimate]:
    """The summary figures of one configuration, each with its interval."""
    runs: list[RunResult] = summary.results
    weeks = summary.days / 7
    incidents = [float(r.incidents) for r in runs]

    def share(attr: str) -> Estimate:
        return resampler.ratio([float(getattr(r, attr)) for r in runs], incidents)

    sleep = [[float(r.pages[p][SLEEP]) for r in runs] for p in (runs[0].pages if runs else {})]

    def busiest_sleeper(idx: Sequence[int]) -> float | None:
        if not idx:
            return None
        most = max((sum(map(row.__getitem__, idx)) for row in sleep), default=0.0)
        return most / len(idx) / weeks

    ack = summary.ack_times
    out = {
        "incidents_per_run": resampler.mean(incidents),
        "alerts_per_run": resampler.mean([float(r.alerts) for r in runs]),
        "alerts_per_incident": resampler.ratio([float(r.grouped_alerts) for r in runs], incidents),
        **{f"ack_p{q}": percentile_interval(ack, q) for q in (50, 90, 95, 99)},
        "reached_last_step": share("reached_last_step"),
        "never_acked": share("never_acked"),
        "missed_by_all": share("missed_by_all"),
        "resolved_first": share("resolved_first"),
        "escalations_per_incident": share("escalations"),
        "pages_per_week": resampler.mean(
            [sum(sum(p) for p in r.pages.values()) / weeks for r in runs]
        ),
        "repages_per_week": resampler.mean([r.repages / weeks for r in runs]),
        "max_sleep_pages_per_week": resampler.statistic(busiest_sleeper),
        "fairness": Estimate.fixed(summary.fairness),
    }
    return out


def paired_person_deltas(
    proposed: PolicySummary, baseline: PolicySummary, resampler: Resampler, period: int = SLEEP
) -> dict[str, Estimate]:
    """Per person, proposed minus baseline pages a week in ``period`` (paired by run)."""
    weeks = proposed.days / 7
    people = [p for p in proposed.pages_per_week if p in baseline.pages_per_week]
    out = {}
    for person in people:
        diffs = [
            (a.pages[person][period] - b.pages[person][period]) / weeks
            for a, b in zip(proposed.results, baseline.results, strict=True)
        ]
        out[person] = resampler.mean(diffs)
    return out
