"""Engine throughput beside bare SimPy, measured in the same run.

Prints drill events per second (headless, with and without the JSONL log) and bare
SimPy timeout events per second, and their ratio. Machines here are noisy, so the
ratio is the figure to compare across runs, not the absolute numbers.

    python benchmarks/engine.py [--hours 24]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import simpy

from simulator.drill.session import DrillSession
from simulator.scenario.loader import load_scenario, parse_scenario


def bare_simpy(n: int) -> float:
    """Timeout events per second of a minimal SimPy process."""
    env = simpy.Environment()

    def ticker(env: simpy.Environment) -> simpy.events.ProcessGenerator:
        for _ in range(n):
            yield env.timeout(1)

    env.process(ticker(env))
    start = time.perf_counter()
    env.run()
    return n / (time.perf_counter() - start)


def long_drill(hours: float) -> str:
    """The shipped bad-deploy scenario stretched to ``hours`` with heavy noise."""
    text = load_scenario("checkout-bad-deploy").source
    raw = Path(text).read_text()
    raw = raw.replace("duration: 60m", f"duration: {hours}h")
    return raw.replace("rate_per_hour: 10", "rate_per_hour: 240")


def engine_rate(yaml_text: str, log: Path | None) -> tuple[float, int]:
    """Drill events per second for one headless run to the duration limit."""
    loaded = parse_scenario(yaml_text, "benchmark")
    start = time.perf_counter()
    session = DrillSession(loaded.scenario, seed=1, log_path=log)
    session.advance(loaded.scenario.metadata.duration)
    elapsed = time.perf_counter() - start
    return len(session.events) / elapsed, len(session.events)


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=24.0)
    args = parser.parse_args()
    text = long_drill(args.hours)
    bare = bare_simpy(200_000)
    mem_rate, count = engine_rate(text, None)
    with tempfile.TemporaryDirectory() as tmp:
        log_rate, _ = engine_rate(text, Path(tmp) / "bench.jsonl")
    print(f"bare SimPy timeouts/s        {bare:>12,.0f}")
    print(f"engine events/s (no log)     {mem_rate:>12,.0f}   ratio {mem_rate / bare:.3f}")
    print(f"engine events/s (JSONL log)  {log_rate:>12,.0f}   ratio {log_rate / bare:.3f}")
    print(f"events in a {args.hours:g} h drill:   {count:,}")
    print(
        f"simulated seconds per wall second (log on): {args.hours * 3600 / (count / log_rate):,.0f}"
    )


if __name__ == "__main__":
    main()
