"""The facilitator's feed: the engine runs here, players act from their own terminals.

The facilitator's console is the one place the whole drill (ground truth included)
is shown; it reads the session directly, while :class:`~tui.team.host.TeamHost` sends
each player and watcher only their view.
"""

from __future__ import annotations

import socket
import ssl
from typing import Any

from simulator.drill.commands import CommandError
from simulator.drill.session import DrillSession
from tui.feed import LiveFeed, Reply
from tui.team.host import TeamHost
from tui.team.protocol import HEARTBEAT, Answer, TeamError
from tui.team.seats import Seat, join_command


class HostFeed(LiveFeed):
    """The facilitator's feed: injects go in, everything comes out, players are served."""

    reveal_truth = True

    def __init__(
        self,
        session: DrillSession,
        listener: socket.socket,
        address: str,
        *,
        seats: dict[str, Seat] | None = None,
        heartbeat: float = HEARTBEAT,
        tls: ssl.SSLContext | None = None,
        web: tuple[str, int, str] | None = None,
    ) -> None:
        super().__init__(session)
        self.tls = tls
        self.web = web
        """``(bind, port, command)`` of the browser seat, if any (:mod:`tui.team.web`)."""
        self._web_runner: Any = None
        self.listener = listener
        self._notices: list[Reply] = []
        self.host = TeamHost(
            session, self._notices.append, seats=seats, heartbeat=heartbeat, tls=tls
        )
        self.welcome: str | None = (
            "You are the facilitator: the players give the commands. Each joins with the "
            f"command printed for their seat (`{join_command(address, self.host.seats['watch'])}` "
            "to watch). The clock waits for F2. "
            "Throw in surprises with /inject exec|customer|surge|drop|fault."
        )

    def submit(self, text: str) -> Reply | None:
        """The facilitator's injects (players give every other command)."""
        try:
            event = self.session.facilitate(text)
        except CommandError as err:
            return Answer(False, str(err))
        return Answer(True, f"injected: {event['kind'].replace('_', ' ')}")

    def seat(self) -> tuple[str, str] | None:
        """The facilitator plays no role."""
        return None

    def presence(self) -> dict[str, bool] | None:
        """Which players are connected now."""
        return {name: role in self.host.taken for role, name in self.host.players.items()}

    async def start(self) -> None:
        """Begin accepting players (and browsers, with a browser seat)."""
        await self.host.serve(self.listener)
        if self.web is not None:
            from tui.team.web import serve_web

            try:
                self._web_runner = await serve_web(*self.web, tls=self.tls)
            except TeamError as err:
                self._notices.append(Answer(False, str(err)))

    def share_clock(self, speed: int, paused: bool) -> None:
        """Players' clocks follow the facilitator's."""
        self.host.share_clock(speed, paused)

    def answers(self) -> list[Reply]:
        """Who joined, left or was refused since the last call."""
        notices, self._notices[:] = list(self._notices), []
        return notices

    def close(self) -> None:
        """Close the log, the listening socket and every player's connection."""
        super().close()
        self.host.close()
        self.listener.close()

    async def aclose(self) -> None:
        """Close, and wait until the connections are gone."""
        self.close()
        await self.host.wait_closed()
        if self._web_runner is not None:
            await self._web_runner.cleanup()
