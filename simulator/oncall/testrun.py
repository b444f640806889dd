"""Test a proposed on-call policy: many seeded runs, in worker processes, then a summary.

Run ``i`` uses seeds derived from (base seed, i) only, so results do not depend on
how runs are spread over workers, and a baseline sees exactly the same alert stream
and responder draws as the proposal in each run (common random numbers), which is
what makes the per-run deltas and their bootstrap intervals tight.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from copy import deepcopy
from dataclasses import asdict, dataclass, field, fields
from multiprocessing.context import BaseContext
from typing import Any

from simulator.durations import format_duration
from simulator.oncall.alertmanager import Alert
from simulator.oncall.coverage import Gap, all_gaps, fairness, oncall_hours
from simulator.oncall.loader import OnCall
from simulator.oncall.responders import PERIODS
from simulator.oncall.simulate import Prepared, RunResult, prepare, simulate_run
from simulator.oncall.stats import bootstrap_mean_ci, bootstrap_means_ci, mean, percentile
from simulator.oncall.streams import incidents_for, shifted, synthetic_alerts

WEEK = 7 * 86400


def run_seed(base: int, index: int, purpose: str) -> int:
    """A seed for run ``index`` and one ``purpose`` (alerts, responders), stable everywhere."""
    # String seeds are hashed with SHA-512 by random.Random, not by hash(): stable
    # across processes whatever PYTHONHASHSEED is.
    return random.Random(f"gameday-oncall/{base}/{index}/{purpose}").getrandbits(63)


@dataclass(frozen=True)
class TrialSetup:
    """Everything a policy test needs; picklable, so it travels to worker processes."""

    proposed: OnCall
    baseline: OnCall | None
    start: float
    """Start of the simulated period, UTC epoch seconds."""
    days: float
    runs: int
    seed: int = 0
    alerts: tuple[Alert, ...] | None = None
    """A fixed alert stream (history CSV or scenario); None generates one per run."""
    scatter: bool = False
    """Drop the fixed stream at a random moment of the period in each run (a scenario's
    alerts start at 0; scattering tests them at every time of day and week)."""
    detail: bool = False
    """Keep every page and incident of every run, for a report's burnout figures and
    breakdowns (costs memory; a CI gate that needs only the exit code leaves it off)."""


RunPair = tuple[int, RunResult, RunResult | None]


def _prepare(oncall: OnCall, setup: TrialSetup) -> Prepared:
    return prepare(oncall.config, setup.start, setup.start + setup.days * 86400)


def _simulate(
    setup: TrialSetup, proposed: Prepared, baseline: Prepared | None, indices: Sequence[int]
) -> list[RunPair]:
    out: list[RunPair] = []
    for index in indices:
        if setup.alerts is None:
            rng = random.Random(run_seed(setup.seed, index, "alerts"))
            alerts: Sequence[Alert] = synthetic_alerts(
                setup.proposed.config, setup.start, setup.days, rng
            )
        elif setup.scatter:
            span = max((a.start for a in setup.alerts), default=0.0)
            room = max(setup.days * 86400 - span, 0.0)
            at = random.Random(run_seed(setup.seed, index, "scatter")).uniform(0, room)
            alerts = shifted(setup.alerts, setup.start + at)
        else:
            alerts = setup.alerts
        responders_seed = run_seed(setup.seed, index, "responders")
        count = len(alerts)
        result = simulate_run(
            proposed,
            incidents_for(setup.proposed, alerts),
            responders_seed,
            alerts=count,
            detail=setup.detail,
        )
        base = None
        if baseline is not None and setup.baseline is not None:
            base = simulate_run(
                baseline,
                incidents_for(setup.baseline, alerts),
                responders_seed,
                alerts=count,
                detail=setup.detail,
            )
        out.append((index, result, base))
    return out


def run_chunk(setup: TrialSetup, indices: Sequence[int]) -> list[RunPair]:
    """Simulate the runs ``indices`` of ``setup`` in this process."""
    baseline = _prepare(setup.baseline, setup) if setup.baseline else None
    return _simulate(setup, _prepare(setup.proposed, setup), baseline, indices)


_Shared = tuple[TrialSetup, Prepared, Prepared | None]
_shared: _Shared | None = None
"""A worker's copy of the test it runs, set once by :func:`_install` when it starts."""


def _install(shared: _Shared) -> None:
    global _shared
    _shared = shared


def _run_share(indices: list[int]) -> list[RunPair]:
    """A worker's task: only run indices travel, the setup was installed at start."""
    if _shared is None:
        raise RuntimeError("a worker started without _install")
    return _simulate(*_shared, indices)


def pool_context(method: str | None = None) -> BaseContext:
    """How worker processes start: ``method`` if given, else ``fork`` on Linux, so they
    begin in milliseconds with every module imported and the prepared schedules
    inherited; ``forkserver`` (preloaded) while this process runs other threads (a fork
    copies only this one, so a lock another holds would stay locked in the child);
    ``spawn`` elsewhere (macOS system libraries are not fork-safe; Windows has no fork)."""
    if method is not None:
        return multiprocessing.get_context(method)
    if sys.platform.startswith("linux"):
        if threading.active_count() == 1:
            return multiprocessing.get_context("fork")
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def default_workers() -> int:
    """The CPUs this process may run on (not the machine's count, under a CPU limit)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


CHUNK_RUNS = 3
"""Runs per task handed to a worker: small, so both workers finish within a run or two
of each other (a 90-day run takes ~12 ms); each task costs well under a millisecond."""


def _chunks(runs: int) -> list[list[int]]:
    return [list(range(i, min(i + CHUNK_RUNS, runs))) for i in range(0, runs, CHUNK_RUNS)]


def simulate_runs(
    setup: TrialSetup,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    start_method: str | None = None,
) -> list[RunPair]:
    """All runs of ``setup`` ordered by index; ``progress`` gets the number of runs just done.

    With more than one worker the runs go, a few at a time, to a pool of worker
    processes while this one only waits (simulating here too was measured slower: Linux
    wakes a helper on the CPU of the process that fed it, so the two kept sharing one
    core). Schedules are rendered once, here, before the workers start.
    """
    workers = max(1, min(workers or default_workers(), setup.runs))
    proposed = _prepare(setup.proposed, setup)
    baseline = _prepare(setup.baseline, setup) if setup.baseline else None
    todo = _chunks(setup.runs)
    results: list[RunPair] = []

    def collect(part: list[RunPair]) -> None:
        results.extend(part)
        if progress:
            progress(len(part))

    if workers == 1:
        for chunk in todo:
            collect(_simulate(setup, proposed, baseline, chunk))
    else:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=pool_context(start_method),
            initializer=_install,
            initargs=((setup, proposed, baseline),),
        ) as pool:
            for future in as_completed([pool.submit(_run_share, c) for c in todo]):
                collect(future.result())
    results.sort(key=lambda r: r[0])
    return results


@dataclass
class PolicySummary:
    """Pooled results of one config over every run."""

    name: str
    runs: int
    days: float
    incidents_per_run: float
    alerts_per_run: float
    """Alerts in the stream per run, before routing and grouping."""
    alerts_per_incident: float
    """Alerts each incident stands for, on average (1 without Alertmanager grouping)."""
    ack_percentiles: dict[str, float | None]
    """``p50``/``p90``/``p95``/``p99`` of time to first ack, seconds, pooled over runs."""
    acked_at_step: dict[int, float]
    """Share of incidents acknowledged while step ``i`` (0-based) was current."""
    reached_last_step: float
    never_acked: float
    missed_by_all: float
    """Share never acknowledged because every page was missed and the policy ran out."""
    resolved_first: float
    """Share never acknowledged because it resolved by itself first."""
    exhausted: float
    escalations_per_incident: float
    nobody_paged: float
    repages_per_week: float
    """Pages sent again by Alertmanager resends to unacknowledged incidents, a week."""
    pages_per_week: dict[str, dict[str, float]]
    """Person → period → pages a week (mean over runs)."""
    max_sleep_pages_per_week: float
    oncall_hours: dict[str, float]
    fairness: float
    schedule_gaps_hours: dict[str, float]
    policy_gaps: list[Gap]
    ack_times: list[float] = field(repr=False, default_factory=list)
    """Every ack time (seconds), for distributions in reports."""
    per_run: dict[str, list[float | None]] = field(repr=False, default_factory=dict)
    """Per-run metric values, in run order, for paired deltas."""
    results: list[RunResult] = field(repr=False, default_factory=list)
    """The runs themselves, for intervals and breakdowns in reports."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (without the raw samples)."""
        # Not asdict(self): it would deep-copy every run's records only to drop them.
        raw = ("ack_times", "per_run", "results")
        data = {f.name: deepcopy(getattr(self, f.name)) for f in fields(self) if f.name not in raw}
        data["acked_at_step"] = {str(k + 1): v for k, v in self.acked_at_step.items()}
        data["policy_gaps"] = [
            {"owner": g.owner, "start": g.start, "end": g.end} for g in self.policy_gaps
        ]
        return data


def _per_run_metrics(result: RunResult, weeks: float) -> dict[str, float | None]:
    n = result.incidents
    sleep = [pages[PERIODS.index("sleep")] / weeks for pages in result.pages.values()]
    return {
        "p50_ack": percentile(result.ack_times, 50),
        "p95_ack": percentile(result.ack_times, 95),
        "incidents": float(n),
        "never_acked": result.never_acked / n if n else None,
        "missed_by_all": result.missed_by_all / n if n else None,
        "resolved_first": result.resolved_first / n if n else None,
        "reached_last_step": result.reached_last_step / n if n else None,
        "escalations_per_incident": result.escalations / n if n else None,
        "max_sleep_pages_per_week": max(sleep, default=0.0),
        "pages_per_week": sum(sum(p) for p in result.pages.values()) / weeks,
    }


def summarise(oncall: OnCall, setup: TrialSetup, results: Sequence[RunResult]) -> PolicySummary:
    """Pool the runs of one config and add its deterministic coverage figures."""
    config = oncall.config
    end = setup.start + setup.days * 86400
    weeks = setup.days / 7
    incidents = sum(r.incidents for r in results) or 1
    ack_times = [t for r in results for t in r.ack_times]
    steps: dict[int, int] = {}
    for r in results:
        for step, count in r.acked_at_step.items():
            steps[step] = steps.get(step, 0) + count
    pages: dict[str, dict[str, float]] = {}
    for person in (p.name for p in config.people):
        pages[person] = {
            period: sum(r.pages[person][i] for r in results) / len(results) / weeks
            for i, period in enumerate(PERIODS)
        }
    prepared = prepare(config, setup.start, end)
    hours = oncall_hours(config, prepared.timelines, setup.start, end)
    sched_gaps, pol_gaps = all_gaps(config, prepared.timelines, setup.start, end)
    gap_hours: dict[str, float] = {}
    for g in sched_gaps:
        gap_hours[g.owner] = gap_hours.get(g.owner, 0.0) + g.seconds / 3600
    per_run_rows = [_per_run_metrics(r, weeks) for r in results]
    return PolicySummary(
        name=config.name,
        runs=len(results),
        days=setup.days,
        incidents_per_run=incidents / len(results),
        alerts_per_run=sum(r.alerts for r in results) / len(results),
        alerts_per_incident=sum(r.grouped_alerts for r in results) / incidents,
        ack_percentiles={f"p{q}": percentile(ack_times, q) for q in (50, 90, 95, 99)},
        acked_at_step={k: v / incidents for k, v in sorted(steps.items())},
        reached_last_step=sum(r.reached_last_step for r in results) / incidents,
        never_acked=sum(r.never_acked for r in results) / incidents,
        missed_by_all=sum(r.missed_by_all for r in results) / incidents,
        resolved_first=sum(r.resolved_first for r in results) / incidents,
        exhausted=sum(r.exhausted for r in results) / incidents,
        escalations_per_incident=sum(r.escalations for r in results) / incidents,
        nobody_paged=sum(r.nobody_paged for r in results) / incidents,
        repages_per_week=sum(r.repages for r in results) / len(results) / weeks,
        pages_per_week=pages,
        max_sleep_pages_per_week=max((p["sleep"] for p in pages.values()), default=0.0),
        oncall_hours=hours,
        fairness=fairness(hours.values()),
        schedule_gaps_hours=gap_hours,
        policy_gaps=pol_gaps,
        ack_times=ack_times,
        per_run={k: [row[k] for row in per_run_rows] for k in per_run_rows[0]} if results else {},
        results=list(results),
    )


@dataclass(frozen=True)
class Delta:
    """Proposed minus baseline for one metric: mean of paired per-run differences, 95% CI."""

    metric: str
    proposed: float | None
    baseline: float | None
    delta: float
    low: float
    high: float


SHARE_METRICS = frozenset({"never_acked", "missed_by_all", "resolved_first", "reached_last_step"})


def format_signed(metric: str, value: float) -> str:
    """A delta as people read it: signed durations for ack times, percentage points for
    shares of incidents, three significant digits otherwise."""
    if metric.endswith("_ack"):
        return ("-" if value < 0 else "+") + format_duration(abs(value))
    if metric in SHARE_METRICS:
        return f"{value * 100:+.1f} pp"
    return f"{value:+.3g}"


def paired_deltas(proposed: PolicySummary, baseline: PolicySummary, seed: int) -> list[Delta]:
    """Per-run paired differences with percentile-bootstrap intervals; metrics defined
    in every run share one set of resamples of the runs."""
    pairs: dict[str, list[tuple[float, float]]] = {}
    for metric in proposed.per_run:
        pairs[metric] = [
            (a, b)
            for a, b in zip(proposed.per_run[metric], baseline.per_run[metric], strict=True)
            if a is not None and b is not None
        ]
    full = {m: [a - b for a, b in p] for m, p in pairs.items() if len(p) == proposed.runs}
    cis = bootstrap_means_ci(full, seed)
    out = []
    for i, (metric, pair) in enumerate(pairs.items()):
        ci = cis.get(metric) or bootstrap_mean_ci([a - b for a, b in pair], seed + i)
        if ci is None:
            continue
        out.append(Delta(metric, mean([a for a, _ in pair]), mean([b for _, b in pair]), *ci))
    return out


@dataclass
class TrialOutcome:
    """A policy test's result: the proposal, optionally a baseline and their deltas."""

    setup: TrialSetup
    proposed: PolicySummary
    baseline: PolicySummary | None
    deltas: list[Delta]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "runs": self.setup.runs,
            "days": self.setup.days,
            "seed": self.setup.seed,
            "start": self.setup.start,
            "proposed": self.proposed.to_dict(),
            "baseline": self.baseline.to_dict() if self.baseline else None,
            "deltas": [asdict(d) for d in self.deltas],
        }


def run_test(
    setup: TrialSetup,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    start_method: str | None = None,
) -> TrialOutcome:
    """Simulate every run and summarise; the entry point of ``gameday oncall test``.

    ``start_method`` (``fork``, ``forkserver``, ``spawn``) overrides :func:`pool_context`.
    """
    pairs = simulate_runs(setup, workers=workers, progress=progress, start_method=start_method)
    proposed = summarise(setup.proposed, setup, [p for _, p, _ in pairs])
    baseline = None
    deltas: list[Delta] = []
    if setup.baseline is not None:
        baseline = summarise(setup.baseline, setup, [b for _, _, b in pairs if b is not None])
        deltas = paired_deltas(proposed, baseline, setup.seed)
    return TrialOutcome(setup, proposed, baseline, deltas)
