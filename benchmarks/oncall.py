"""Throughput of ``gameday oncall test`` beside bare SimPy, and the speed-up from a second core.

Run: ``.venv/bin/python benchmarks/oncall.py [--runs 200] [--days 90]``. Prints bare
SimPy timeout events per second, simulated alerts (incidents paged) per second on
one worker, the wall time of the full test on one and two workers, the speed-up,
and the peak memory of the process and its workers.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.oncall.loader import load_oncall  # noqa: E402
from simulator.oncall.testrun import TrialSetup, run_test  # noqa: E402

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


def machine_parallelism(n: int = 3_000_000) -> float:
    """How much faster two busy processes finish than one doing both jobs: this machine's
    ceiling for any two-worker speed-up right now (a shared host can be well below 2)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        list(pool.map(_burn, [1000, 1000]))  # start both workers first
        began = time.perf_counter()
        list(pool.map(_burn, [n, n]))
        parallel = time.perf_counter() - began
    began = time.perf_counter()
    _burn(n)
    _burn(n)
    return (time.perf_counter() - began) / parallel


def timed(setup: TrialSetup, workers: int, repeats: int) -> tuple[float, float]:
    """Best wall time of ``repeats`` runs, and incidents simulated (per config) in one."""
    best = float("inf")
    incidents = 0.0
    for _ in range(repeats):
        began = time.perf_counter()
        outcome = run_test(setup, workers=workers)
        best = min(best, time.perf_counter() - began)
        incidents = outcome.proposed.incidents_per_run * setup.runs
    return best, incidents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--days", type=float, default=90.0)
    parser.add_argument("--repeats", type=int, default=2, help="take the best of N timings")
    args = parser.parse_args()
    proposed = load_oncall(ROOT / "examples" / "oncall" / "proposed.yaml")
    current = load_oncall(ROOT / "examples" / "oncall" / "current.yaml")
    people = len(proposed.config.people)
    steps = len(proposed.config.policies[0].steps)
    print(
        f"policy test: {people} people, {steps}-step policy, {args.days:g} days, "
        f"{args.runs} runs (examples/oncall/proposed.yaml)"
    )
    print(f"bare SimPy: {bare_simpy_events_per_second():,.0f} timeout events/s")
    print(
        f"machine: two processes run {machine_parallelism():.2f}x as fast as one "
        "(the ceiling for the speed-up below)"
    )
    setup = TrialSetup(proposed, None, START, args.days, args.runs, seed=0)
    one, incidents = timed(setup, 1, args.repeats)
    print(
        f"1 worker : {one:6.2f} s  {incidents / one:,.0f} simulated alerts/s "
        f"({incidents:,.0f} alerts paged through the policy)"
    )
    two, _ = timed(setup, 2, args.repeats)
    print(
        f"2 workers: {two:6.2f} s  {incidents / two:,.0f} simulated alerts/s  "
        f"speed-up {one / two:.2f}x"
    )
    paired = TrialSetup(proposed, current, START, args.days, args.runs, seed=0)
    both_one, _ = timed(paired, 1, 1)
    both_two, _ = timed(paired, 2, args.repeats)
    print(
        f"with --baseline (twice the work): 1 worker {both_one:.2f} s, 2 workers "
        f"{both_two:.2f} s, speed-up {both_one / both_two:.2f}x"
    )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {own:.0f} MB main process, {children:.0f} MB largest worker")


if __name__ == "__main__":
    main()
