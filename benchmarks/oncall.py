"""Throughput of ``gameday oncall test`` beside bare SimPy, and the speed-up from a second core.

Run: ``.venv/bin/python benchmarks/oncall.py [--runs 200] [--days 90] [--repeats 5]``.
Prints bare SimPy timeout events per second, simulated alerts (incidents paged) per
second on one worker, and the wall time of the full test on one and two workers.

The speed-up is the median of ``--repeats`` rounds, each timing one worker, two workers
and the machine's two-process ceiling back to back (1, 2, ceiling, 1, 2, ceiling, ...),
so a busy spell on a shared host hits both sides of a ratio rather than one. The
ceiling is how much faster two processes finish a pure-CPU loop than one process doing
both halves: no code can beat it, so a speed-up close to it is a host limit and one well
below it a code limit. The workload is fixed (examples/oncall/proposed.yaml: 10 people,
a 3-step policy; 90 days, 200 runs by default) and must not be shrunk to flatter it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.oncall.loader import load_oncall  # noqa: E402
from simulator.oncall.testrun import TrialSetup, pool_context, run_test  # noqa: E402

START = datetime(2026, 1, 5, tzinfo=ZoneInfo("America/New_York")).timestamp()


def bare_simpy_events_per_second(events: int = 300_000) -> float:
    """Timeouts per second of a SimPy loop doing nothing else: the ceiling to compare with."""
    env = simpy.Environment()

    def ticker(env: simpy.Environment, n: int):  # type: ignore[no-untyped-def]
        for _ in range(n):
            yield env.timeout(1.0)

    for _ in range(10):
        env.process(ticker(env, events // 10))
    began = time.perf_counter()
    env.run()
    return events / (time.perf_counter() - began)


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def burn_size(seconds: float) -> int:
    """Loop iterations that take about ``seconds`` in one process."""
    n = 200_000
    began = time.perf_counter()
    _burn(n)
    return max(n, int(n * seconds / (time.perf_counter() - began)))


def ceiling(n: int) -> float:
    """One measurement of two busy processes against one doing both jobs. The two workers
    start before the clock does, so this is the machine, not process start-up; the pool
    is closed again at once (its threads would make the next test fall back from fork)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        list(pool.map(_burn, [1000, 1000]))
        began = time.perf_counter()
        _burn(n)
        _burn(n)
        serial = time.perf_counter() - began
        began = time.perf_counter()
        list(pool.map(_burn, [n, n]))
        return serial / (time.perf_counter() - began)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def wall(setup: TrialSetup, workers: int, start_method: str | None) -> tuple[float, float, float]:
    """Wall time of one full test, CPU time of it (this process and its finished
    workers), and incidents simulated (proposed config) in it."""
    cpu = _cpu()
    began = time.perf_counter()
    outcome = run_test(setup, workers=workers, start_method=start_method)
    elapsed = time.perf_counter() - began
    return elapsed, _cpu() - cpu, outcome.proposed.incidents_per_run * setup.runs


@dataclass
class Rounds:
    """Interleaved timings of one workload."""

    one: list[float] = field(default_factory=list)
    two: list[float] = field(default_factory=list)
    ceilings: list[float] = field(default_factory=list)
    cpu_one: list[float] = field(default_factory=list)
    cpu_two: list[float] = field(default_factory=list)
    incidents: float = 0.0


def rounds(setup: TrialSetup, repeats: int, start_method: str | None) -> Rounds:
    """Time 1 worker, 2 workers and the ceiling, back to back, ``repeats`` times."""
    out = Rounds()
    wall(setup, 2, start_method)  # warm caches and any fork server before timing
    for _ in range(repeats):
        t1, c1, out.incidents = wall(setup, 1, start_method)
        t2, c2, _ = wall(setup, 2, start_method)
        out.one.append(t1)
        out.two.append(t2)
        out.cpu_one.append(c1)
        out.cpu_two.append(c2)
        out.ceilings.append(ceiling(burn_size(t2)))
    return out


def report(label: str, r: Rounds) -> None:
    one, two, ceilings = r.one, r.two, r.ceilings
    ratios = [a / b for a, b in zip(one, two, strict=True)]
    median, ceil = statistics.median(ratios), statistics.median(ceilings)
    print(
        f"{label}: 1 worker {statistics.median(one):.2f} s, 2 workers "
        f"{statistics.median(two):.2f} s; speed-up {median:.2f}x (median of "
        f"{len(ratios)} interleaved pairs: {' '.join(f'{r:.2f}' for r in ratios)})"
    )
    print(
        f"{' ' * len(label)}  machine ceiling {ceil:.2f}x (per round: "
        f"{' '.join(f'{c:.2f}' for c in ceilings)}); speed-up / ceiling "
        f"{statistics.median(a / c for a, c in zip(ratios, ceilings, strict=True)):.0%}"
    )
    cpu1, cpu2 = statistics.median(r.cpu_one), statistics.median(r.cpu_two)
    print(
        f"{' ' * len(label)}  CPU time: {cpu1:.2f} s on 1 worker, {cpu2:.2f} s over 2 "
        f"(+{cpu2 / cpu1 - 1:.0%}: the parallel overhead, whatever the host does)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--days", type=float, default=90.0)
    parser.add_argument("--repeats", type=int, default=5, help="interleaved rounds to take")
    parser.add_argument(
        "--start-method",
        choices=["fork", "forkserver", "spawn"],
        help="how workers start (default: gameday's choice, fork on Linux)",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the paired test")
    args = parser.parse_args()
    proposed = load_oncall(ROOT / "examples" / "oncall" / "proposed.yaml")
    current = load_oncall(ROOT / "examples" / "oncall" / "current.yaml")
    people = len(proposed.config.people)
    steps = len(proposed.config.policies[0].steps)
    method = args.start_method or pool_context().get_start_method()
    print(
        f"policy test: {people} people, {steps}-step policy, {args.days:g} days, "
        f"{args.runs} runs (examples/oncall/proposed.yaml); workers start by {method}"
    )
    print(f"bare SimPy: {bare_simpy_events_per_second():,.0f} timeout events/s")
    setup = TrialSetup(proposed, None, START, args.days, args.runs, seed=0)
    alone = rounds(setup, args.repeats, args.start_method)
    print(
        f"simulated alerts: {alone.incidents / statistics.median(alone.one):,.0f}/s on 1 worker, "
        f"{alone.incidents / statistics.median(alone.two):,.0f}/s on 2 "
        f"({alone.incidents:,.0f} alerts paged through the policy per test)"
    )
    report("proposed alone", alone)
    if not args.no_baseline:
        paired = TrialSetup(proposed, current, START, args.days, args.runs, seed=0)
        report("with --baseline (twice the work)", rounds(paired, args.repeats, args.start_method))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {own:.0f} MB main process, {children:.0f} MB largest worker")


if __name__ == "__main__":
    main()
