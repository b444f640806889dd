"""How long scoring a 100,000-event log takes, beside the time to just read that log.

Builds the log from a real drill (checkout-bad-deploy, seed 7, the good script)
played by the engine, then repeats its events back to back, shifted in time and
renumbered, until the log holds ``--events`` events (one drill.ended at the end).
The mix of event types is therefore a real one. Reading and scoring are timed in the
same run, interleaved, ``--repeat`` times; the medians and their ratio are printed, and
the exit status is 1 when scoring takes ``--max-ratio`` (0.5) of the read time or more.

    .venv/bin/python benchmarks/scoring.py [--events 100000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

# This file shares its name with the package it measures: drop its own directory from
# the import path so that `import scoring` finds the package, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from scoring import score_log  # noqa: E402
from scoring.postmortem import postmortem_markdown  # noqa: E402
from simulator.drill.commands import load_script  # noqa: E402
from simulator.drill.session import DrillSession  # noqa: E402
from simulator.log.events import Event  # noqa: E402
from simulator.log.jsonl import LogWriter, read_log  # noqa: E402
from simulator.scenario.loader import load_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def build_log(path: Path, target: int) -> None:
    """Write a log of ``target`` events made of one real drill repeated back to back."""
    loaded = load_scenario("checkout-bad-deploy")
    session = DrillSession(loaded.scenario, seed=7, scenario_hash=loaded.content_hash)
    session.run_script(
        load_script(ROOT / "scenarios" / "scripts" / "checkout-bad-deploy-good.yaml")
    )
    body = [e for e in session.events if e.type != "drill.ended"]
    span = body[-1].t + 15.0
    writer = LogWriter(path, session.header)
    seq, rep = 0, 0
    while seq < target - 1:
        for event in body:
            if seq >= target - 1:
                break
            seq += 1
            writer.write(Event(seq, round(event.t + rep * span, 3), event.type, event.data))
        rep += 1
    last_t = round(body[-1].t + (rep - 1) * span, 3)
    writer.write(
        Event(seq + 1, last_t, "drill.ended", {"reason": "benchmark", "impact_ongoing": False})
    )
    writer.close()


def main() -> None:
    """Build the log, time reading and scoring it in the same run, print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7, help="runs (medians are reported)")
    parser.add_argument("--max-ratio", type=float, default=0.5, help="score/read bar")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.jsonl"
        build_log(path, args.events)
        read_s, score_s, pm_s = [], [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            log = read_log(path)
            t1 = time.perf_counter()
            card = score_log(log.header, log.events)
            t2 = time.perf_counter()
            postmortem_markdown(log.header, log.events, card)
            t3 = time.perf_counter()
            read_s.append(t1 - t0)
            score_s.append(t2 - t1)
            pm_s.append(t3 - t2)
    read_med, score_med = statistics.median(read_s), statistics.median(score_s)
    ratios = sorted(s / r for s, r in zip(score_s, read_s, strict=True))
    ratio = score_med / read_med
    print(f"events:          {len(log.events):,}  ({args.repeat} runs, medians)")
    print(f"read the log:    {read_med:.3f} s")
    print(
        f"score it:        {score_med:.3f} s  ({ratio:.2f}x the read time; per run "
        f"{ratios[0]:.2f}-{ratios[-1]:.2f}x)"
    )
    print(f"postmortem (md): {statistics.median(pm_s):.3f} s")
    print(f"overall {card.overall_rating} {card.overall_percent}%")
    if ratio >= args.max_ratio:
        print(f"FAIL: scoring took {ratio:.2f}x the read time (bar: {args.max_ratio}x)")
        sys.exit(1)


if __name__ == "__main__":
    main()
