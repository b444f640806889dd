"""What the team tests share: a hosted drill on a free local port, players joining it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from simulator.drill.session import DrillSession
from simulator.scenario.loader import load_scenario_file
from tests.tui.helpers import CHECKOUT
from tui.team.client import TeamFeed, connect
from tui.team.facilitator import HostFeed
from tui.team.host import listen
from tui.team.protocol import HEARTBEAT
from tui.team.seats import Seat

PLAYERS = {"comms": "Marcus", "tech": "Priya"}
_SEATS: dict[str, dict[str, Seat]] = {}
"""Each test host's seats by address, so a test joins with the right token by default."""


def team_session(log: Path | None = None) -> DrillSession:
    """The bad-deploy drill with Dana as IC and two more people at their own terminals."""
    loaded = load_scenario_file(CHECKOUT)
    return DrillSession(
        loaded.scenario,
        seed=7,
        role="ic",
        trainee="Dana",
        players=PLAYERS,
        log_path=log,
        scenario_hash=loaded.content_hash,
    )


async def until(condition: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    """Let the event loop run until ``condition`` holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def hosted(session: DrillSession, *, heartbeat: float = HEARTBEAT) -> tuple[HostFeed, str]:
    """A host accepting players on a free local port."""
    listener = listen("127.0.0.1", 0)
    address = f"127.0.0.1:{listener.getsockname()[1]}"
    feed = HostFeed(session, listener, address=address, heartbeat=heartbeat)
    _SEATS[address] = feed.host.seats
    await feed.start()
    return feed, address


def token(address: str, role: str | None) -> str:
    """The token of ``role``'s seat (the watchers' for None) at the host on ``address``."""
    return _SEATS[address][role or "watch"].token


async def joined(
    address: str, role: str | None, *, read: bool = True, given: str | None = None
) -> TeamFeed:
    """A player's feed, connected with its seat's token (or ``given``) and, unless an app
    will, reading the host's stream."""
    feed = await connect(address, role, given or token(address, role))
    if read:
        asyncio.get_running_loop().create_task(feed.start())
    return feed


async def shutdown(host: HostFeed, *players: TeamFeed) -> None:
    """Close every connection and wait for it, so no socket outlives the test's loop."""
    for player in players:
        await player.aclose()
    await host.aclose()
