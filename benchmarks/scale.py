"""How ``gameday check`` scales over workers and a Dask cluster; memory of a big sweep.

Run: ``.venv/bin/python benchmarks/scale.py [--seeds 200] [--scenario region-outage]``
Prints, in one run, drills per second of a full check (good, idle, shotgun and poor
responses over ``--seeds`` seeds) on 1 and 2 local worker processes and on a 2-worker
Dask LocalCluster (loopback, one thread per worker), each speed-up over 1 worker, the
machine's two-process ceiling (two processes burning CPU against one doing both halves:
no code beats it, so a speed-up near it is a host limit), and Dask's and the local
pool's per-task overhead (trivial tasks, one seed each). Targets for a 200-seed check:
>= 1.7x on 2 local workers, >= 1.5x on the Dask LocalCluster.

``--sweep``: a 1,000-variant ``oncall sweep`` (small ``--runs``/``--days`` so it ends in
minutes) on 2 local workers, printing this process's resident memory after the first
10% of variants and at the end, and the peak: results are streamed, so it stays flat.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.check import grade_drill  # noqa: E402
from simulator.executors import (  # noqa: E402
    DaskExecutor,
    LocalExecutor,
    RunExecutor,
    collect,
    probe,
)
from simulator.oncall.loader import load_oncall  # noqa: E402
from simulator.oncall.sweep import Vary, run_sweep  # noqa: E402
from simulator.runs.check import run_check  # noqa: E402
from simulator.runs.drill import load_scenario  # noqa: E402
from simulator.runs.scripts import responses  # noqa: E402


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def ceiling(n: int = 3_000_000) -> float:
    """Two processes burning CPU against one doing both halves: the host's best speed-up."""
    began = time.perf_counter()
    _burn(n)
    _burn(n)
    one = time.perf_counter() - began
    context = multiprocessing.get_context("fork")
    began = time.perf_counter()
    with context.Pool(2) as pool:
        pool.map(_burn, [n, n])
    return one / (time.perf_counter() - began)


def drills_per_second(executor: RunExecutor, scenario: str, seeds: int) -> tuple[float, str]:
    """Drills per second of a full check; also the report, to compare executors."""
    loaded = load_scenario(scenario)
    plays = responses(loaded)
    began = time.perf_counter()
    report = run_check(loaded, plays, list(range(1, seeds + 1)), executor, grade_drill)
    return len(plays) * seeds / (time.perf_counter() - began), repr(report)


def task_overhead(executor: RunExecutor, tasks: int = 400) -> float:
    """Seconds per trivial task (one seed each), scheduling and transport included."""
    values = [f"v{i}" for i in range(tasks)]
    began = time.perf_counter()
    done = collect(executor.map_seeds(probe, values, [0]))
    assert len(done) == tasks
    return (time.perf_counter() - began) / tasks


def check_scaling(scenario: str, seeds: int) -> None:
    from distributed import LocalCluster

    print(f"check of {scenario}, {seeds} seeds x 4 responses; host ceiling {ceiling():.2f}x")
    one, base = drills_per_second(LocalExecutor(1), scenario, seeds)
    two, report = drills_per_second(LocalExecutor(2), scenario, seeds)
    assert report == base, "2 local workers changed the report"
    local_overhead = task_overhead(LocalExecutor(2))
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        DaskExecutor(cluster.scheduler_address) as dask,
    ):
        task_overhead(dask, 20)  # warm: workers import gameday on their first task
        on_dask, report = drills_per_second(dask, scenario, seeds)
        dask_overhead = task_overhead(dask)
    assert report == base, "the Dask cluster changed the report"
    print(f"  1 local worker      {one:8.1f} drills/s")
    print(f"  2 local workers     {two:8.1f} drills/s   speed-up {two / one:.2f}x (target 1.7x)")
    speed = on_dask / one
    print(f"  Dask, 2 workers     {on_dask:8.1f} drills/s   speed-up {speed:.2f}x (target 1.5x)")
    print(
        f"  per-task overhead   Dask {dask_overhead * 1000:.2f} ms, local pool "
        f"{local_overhead * 1000:.2f} ms (one drill is {1000 / one:.1f} ms)"
    )


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def sweep_memory(runs: int, days: int) -> None:
    oncall = load_oncall(ROOT / "examples" / "oncall" / "proposed.yaml")
    varies = [
        Vary("policies.payments.repeat", ("0", "1", "2", "3", "4")),
        Vary("policies.payments.steps.1.delay", ("2m", "5m", "10m", "15m", "20m")),
        Vary("services.checkout.alerts.per_day", ("0.5", "1", "1.5", "2", "3")),
        Vary(
            "schedules.secondary.layers.weekly.turn_length",
            ("12h", "1d", "2d", "3d", "1w", "2w", "3w", "4w"),
        ),
    ]
    total = 1000
    done = [0]
    marks: dict[str, float] = {"start": _rss_mb()}

    def progress(n: int) -> None:
        done[0] += n
        if done[0] == total // 10:
            marks["after 100 variants"] = _rss_mb()

    start = datetime(2026, 1, 5, tzinfo=ZoneInfo("America/New_York")).timestamp()
    began = time.perf_counter()
    report = run_sweep(
        oncall,
        varies,
        start=start,
        days=float(days),
        runs=runs,
        seed=0,
        executor=LocalExecutor(2),
        progress=progress,
    )
    marks["after 1000 variants"] = _rss_mb()
    took = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"sweep of {len(report['points'])} variants x {runs} runs x {days} days on 2 local "
        f"workers: {took:.0f}s, front of {len(report['front'])}"
    )
    for label, mb in marks.items():
        print(f"  RSS {label:<22}{mb:8.1f} MB")
    print(f"  peak RSS: this process {peak:.1f} MB, largest worker {children:.1f} MB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scenario", default="region-outage")
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--sweep", action="store_true", help="measure a 1,000-variant sweep")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--days", type=int, default=14)
    args = parser.parse_args(argv)
    if args.sweep:
        sweep_memory(args.runs, args.days)
    else:
        check_scaling(args.scenario, args.seeds)


if __name__ == "__main__":
    main()
