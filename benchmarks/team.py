"""A team game day's wire: command round trips and event fan-out, beside the bare engine.

Prints, measured in the same run on this machine (host and clients in one process,
over 127.0.0.1):

* a player's command round trip (send, applied on the host, reply read back):
  p50 / p99 over many commands, against the time the engine alone takes to apply
  the same command (what the wire adds);
* fan-out: a whole 1-hour drill run by the host and streamed to N watching clients,
  in wall seconds, against the same drill run by the engine alone (the ratio is the
  cost of hosting a room of N), and the headroom at 30x, the fastest speed (an hour
  then lasts 120 s of wall time).

    python benchmarks/team.py [--clients 20] [--commands 300]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

# benchmarks/tui.py would shadow the `tui` package: drop this directory from the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from simulator.drill.session import DrillSession  # noqa: E402
from simulator.scenario.loader import load_scenario  # noqa: E402
from tui.team.client import TeamFeed, connect  # noqa: E402
from tui.team.facilitator import HostFeed  # noqa: E402
from tui.team.host import listen  # noqa: E402

COMMAND = "/note checking the dashboards"


def _session() -> DrillSession:
    loaded = load_scenario("checkout-bad-deploy")
    return DrillSession(
        loaded.scenario,
        seed=7,
        role="ic",
        trainee="Dana",
        players={"comms": "Marcus"},
        scenario_hash=loaded.content_hash,
    )


async def _host() -> tuple[HostFeed, str]:
    listener = listen("127.0.0.1", 0)
    address = f"127.0.0.1:{listener.getsockname()[1]}"
    host = HostFeed(_session(), listener, address=address)
    await host.start()
    return host, address


async def _connect(host: HostFeed, address: str, role: str | None) -> TeamFeed:
    feed = await connect(address, role, host.host.seats[role or "watch"].token)
    asyncio.get_running_loop().create_task(feed.start())
    while not feed.ready:
        await asyncio.sleep(0)
    return feed


async def _round_trips(count: int) -> tuple[list[float], list[float]]:
    host, address = await _host()
    player = await _connect(host, address, "comms")
    host.advance(300)
    wire: list[float] = []
    for _ in range(count):
        start = time.perf_counter()
        player.submit(COMMAND)
        while not player.answers():
            await asyncio.sleep(0)
        wire.append(time.perf_counter() - start)
    engine: list[float] = []
    session = host.session
    for _ in range(count):
        start = time.perf_counter()
        session.submit(COMMAND, role="comms")
        engine.append(time.perf_counter() - start)
    await player.aclose()
    await host.aclose()
    return wire, engine


async def _fan_out(clients: int) -> tuple[float, float, int]:
    alone = _session()
    start = time.perf_counter()
    for t in range(60, 3601, 60):
        alone.advance(t)
    engine_seconds = time.perf_counter() - start

    host, address = await _host()
    watchers = [await _connect(host, address, None) for _ in range(clients)]
    start = time.perf_counter()
    for t in range(60, 3601, 60):  # a minute of drill per step, as a fast host would
        host.advance(t)
        await asyncio.sleep(0)
    total = len(host.session.events)
    while any(len(w.events()) < total for w in watchers):
        await asyncio.sleep(0.001)
    hosted_seconds = time.perf_counter() - start
    for watcher in watchers:
        await watcher.aclose()
    await host.aclose()
    return engine_seconds, hosted_seconds, total


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--commands", type=int, default=300)
    args = parser.parse_args()
    wire, engine = asyncio.run(_round_trips(args.commands))
    wire.sort()
    engine.sort()

    def ms(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(len(values) * q))] * 1000

    print(
        f"command round trip   p50 {ms(wire, 0.5):6.2f} ms   p99 {ms(wire, 0.99):6.2f} ms   "
        f"(engine alone p50 {ms(engine, 0.5):5.2f} ms; over {args.commands} commands)"
    )
    engine_s, hosted_s, total = asyncio.run(_fan_out(args.clients))
    print(
        f"fan-out              a 1-hour drill ({total} events) hosted to {args.clients} clients "
        f"in {hosted_s:.2f} s, engine alone {engine_s:.2f} s: ratio {hosted_s / engine_s:.1f}; "
        f"headroom at 30x {120 / hosted_s:.0f}x"
    )


if __name__ == "__main__":
    main()
