"""A host without a terminal: ``gameday host --headless``.

So team play can be scripted and tested end to end (and run on a server with no TTY):
the clock starts at once and runs at ``speed``, the log is written as in any drill,
the seats file holds each seat's token, and notices (who joined, who was refused) go
to ``notify`` (stderr from the CLI). It stops when the drill ends or ``stop`` is set;
a drill stopped early stays resumable with ``gameday host --resume LOG``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable

from simulator.drill.session import DrillSession
from tui.team.host import TeamHost
from tui.team.protocol import Answer

TICK = 0.2
"""Wall seconds between engine advances, as in the console."""
LINGER = 1.0
"""Wall seconds the host stays up after the end, so late readers get the record."""


async def run_headless(
    host: TeamHost,
    listener: socket.socket,
    *,
    speed: int,
    stop: asyncio.Event | None = None,
    ready: Callable[[], None] = lambda: None,
) -> None:
    """Serve ``host``'s drill on ``listener`` with its clock running at ``speed``x until
    the drill ends or ``stop`` is set; ``ready`` is called once clients can connect."""
    session: DrillSession = host.session
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    await host.serve(listener)
    ready()
    wall0, sim0 = loop.time(), session.now
    host.share_clock(speed, False)
    try:
        while not session.ended and not stop.is_set():
            with_timeout = asyncio.wait_for(stop.wait(), TICK)
            with contextlib.suppress(TimeoutError):
                await with_timeout
            session.advance(sim0 + (loop.time() - wall0) * speed)
            host.share_clock(speed, False)
        if session.ended and not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), LINGER)
    finally:
        session.close()
        host.close()
        await host.wait_closed()


def stderr_notices(echo: Callable[[str], None]) -> Callable[[Answer], None]:
    """A host's notices as lines for a terminal or a log file."""

    def notify(answer: Answer) -> None:
        echo(("" if answer.accepted else "! ") + answer.message)

    return notify
