"""The incident console's launch time and per-tick cost, beside a bare Textual app.

Prints, measured in the same run:

* launch → first interactive console frame, for ``gameday play`` (engine, log,
  every widget) and for a bare Textual app composing the same widget types with
  no engine; each launch is a fresh process, so imports count (target: within 2x);
* the per-tick cost at 30x speed with about 200 firing alerts: CPU time of the engine
  advance plus UI refresh and render, p50 / p99 / max (target: p99 under 16 ms);
* peak resident memory of the tick run (target: under 200 MB);
* with ``--hours H``, the same for a whole H-hour drill at 30x (600 ticks an hour):
  the cycle collector's frozen heap must stay within its budget over a long drill.

    python benchmarks/tui.py [--launches 5] [--ticks 300] [--hours 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- child processes
async def _gameday_first_frame() -> None:
    from simulator.drill.session import DrillSession
    from simulator.scenario.loader import load_scenario
    from tui.app import PlayOptions, make_app

    loaded = load_scenario("checkout-bad-deploy")
    with tempfile.TemporaryDirectory() as tmp:
        session = DrillSession(
            loaded.scenario,
            seed=7,
            log_path=Path(tmp) / "bench.jsonl",
            scenario_hash=loaded.content_hash,
        )
        app = make_app(PlayOptions(seed=7, role="ic", session=session))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert app.console_screen is app.screen


async def _bare_first_frame() -> None:
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal, Vertical
    from textual.widgets import DataTable, Footer, Input, RichLog, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("header")
            with Horizontal():
                with Vertical():
                    table: DataTable[str] = DataTable()
                    table.add_columns("sev", "service", "alert", "age", "state")
                    yield table
                    yield Static("dashboard")
                yield RichLog()
            yield Static("")
            yield Input()
            yield Footer()

    async with Bare().run_test(size=(120, 40)) as pilot:
        await pilot.pause()


def _noisy_scenario(duration: float = 4 * 3600) -> Any:
    """The checkout drill with heavy Poisson noise: ~200 alerts firing at once."""
    from simulator.scenario.loader import load_scenario
    from simulator.scenario.model import Scenario

    data = load_scenario("checkout-bad-deploy").scenario.model_dump(mode="json", by_alias=True)
    data["metadata"]["duration"] = duration
    data["alerts"]["noise"].append(
        {
            "kind": "poisson",
            "rate_per_hour": 1200,
            "severity": "ticket",
            "lasts": 600,
            "services": ["catalog", "web", "payments-gateway", "pricing"],
        }
    )
    return Scenario.model_validate(data)


async def _ticks(count: int) -> dict[str, Any]:
    import gc

    from simulator.drill.session import DrillSession
    from tui.app import PlayOptions, make_app
    from tui.screens.clock import TICK

    full_passes = 0

    def count_full(phase: str, info: dict[str, Any]) -> None:
        nonlocal full_passes
        full_passes += phase == "stop" and info["generation"] == 2

    gc.callbacks.append(count_full)
    # Warm-up, then every tick is 6 simulated seconds; the drill outlasts the run.
    duration = max(4 * 3600, 1800 + count * TICK * 30 + 600)
    with tempfile.TemporaryDirectory() as tmp:
        session = DrillSession(
            _noisy_scenario(duration), seed=7, log_path=Path(tmp) / "bench.jsonl"
        )
        session.advance(1800)  # warm up: the noise reaches its steady state
        app = make_app(PlayOptions(seed=7, role="ic", session=session, speed=30), clock=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            console = app.console_screen
            assert console is not None
            times: list[float] = []
            firing: list[int] = []
            for _ in range(count):
                # CPU time, not wall time: pause() also waits idle for Textual's next
                # frame slot, which is not work done by the tick.
                start = time.process_time()
                console.advance_by(TICK * 30)
                await pilot.pause()  # let the refresh and the render happen
                times.append(time.process_time() - start)
                firing.append(len(session.alerts.firing()))
            compactions = console.heap.compactions
            frozen_growth = console.heap.frozen_growth
    times.sort()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "p50_ms": statistics.median(times) * 1000,
        "p99_ms": times[int(len(times) * 0.99) - 1] * 1000,
        "max_ms": times[-1] * 1000,
        "firing_mean": statistics.mean(firing),
        "firing_max": max(firing),
        "rss_mb": rss_mb,
        "full_collections": full_passes,
        "compactions": compactions,
        "frozen_growth": frozen_growth,
    }


def _child(kind: str, started: float, ticks: int) -> None:
    if kind == "ticks":
        print(json.dumps(asyncio.run(_ticks(ticks))))
        return
    asyncio.run(_gameday_first_frame() if kind == "gameday" else _bare_first_frame())
    print(json.dumps({"seconds": time.time() - started}))


# --------------------------------------------------------------------------- parent
def _run_child(kind: str, ticks: int = 0) -> dict[str, Any]:
    started = time.time()
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            kind,
            "--started",
            repr(started),
            "--ticks",
            str(ticks),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--ticks", type=int, default=300)
    parser.add_argument(
        "--hours", type=float, default=0.0, help="also play a drill this long at 30x"
    )
    parser.add_argument("--child", choices=("gameday", "bare", "ticks"))
    parser.add_argument("--started", type=float, default=0.0)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.started, args.ticks)
        return
    gameday, bare = [], []
    for _ in range(args.launches):  # interleaved, so machine noise hits both alike
        gameday.append(_run_child("gameday")["seconds"])
        bare.append(_run_child("bare")["seconds"])
    g, b = statistics.median(gameday), statistics.median(bare)
    print(
        f"first console frame  gameday play {g * 1000:7.0f} ms   bare Textual app "
        f"{b * 1000:7.0f} ms   ratio {g / b:.2f}x (target <= 2x; median of {args.launches})"
    )
    _report(args.ticks, _run_child("ticks", args.ticks))
    if args.hours:
        ticks = round(args.hours * 3600 / 6)  # 0.2 s ticks at 30x: 6 simulated seconds
        print(f"a {args.hours:g}-hour drill at 30x:")
        _report(ticks, _run_child("ticks", ticks))


def _report(ticks: int, t: dict[str, Any]) -> None:
    print(
        f"tick at 30x (CPU)    p50 {t['p50_ms']:.2f} ms   p99 {t['p99_ms']:.2f} ms   "
        f"max {t['max_ms']:.2f} ms   over {ticks} ticks with {t['firing_mean']:.0f} "
        f"alerts firing on average ({t['firing_max']} at most)   (target p99 < 16 ms)"
    )
    print(
        f"memory               peak RSS {t['rss_mb']:.0f} MB (target < 200 MB)   "
        f"{t['full_collections']} full collections, {t['compactions']} compactions, "
        f"{t['frozen_growth']} objects frozen since the last"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
