"""The host of a team drill: it owns the engine, the log and the clock, and serves the seats.

``gameday host`` binds the socket (:func:`listen`, so a taken port is a clean error)
and hands it to :class:`HostFeed`, the facilitator console's feed; :class:`TeamHost`
admits one player per seat and streams every event to everyone connected.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from typing import Any

from simulator.drill.commands import CommandError
from simulator.drill.session import DrillSession
from simulator.log.events import Event
from simulator.practice import ROLE_TITLES
from tui.feed import LiveFeed, Reply
from tui.team.protocol import LINE_LIMIT, PROTOCOL, Answer, TeamError, encode_line, writer_closed


class TeamHost:
    """The seats of a hosted drill and the players connected to them."""

    def __init__(self, session: DrillSession, notify: Callable[[Answer], None]) -> None:
        self.session = session
        self.seats = {session.role: session.trainee, **session.players}
        self.taken: dict[str, asyncio.StreamWriter] = {}
        self.clients: set[asyncio.StreamWriter] = set()
        self.notify = notify
        self.clock = {"now": session.now, "speed": 1, "paused": True}
        self._server: asyncio.Server | None = None
        session.subscribe(self._on_event)

    async def serve(self, listener: socket.socket) -> None:
        """Accept players on an already bound socket (the CLI binds it to report errors)."""
        self._server = await asyncio.start_server(self._client, sock=listener, limit=LINE_LIMIT)

    def share_clock(self, speed: int, paused: bool) -> None:
        """Tell every client where the drill's clock stands."""
        clock = {"now": self.session.now, "speed": speed, "paused": paused}
        if clock != self.clock:
            self.clock = clock
            self._broadcast({"clock": clock})

    def _on_event(self, event: Event) -> None:
        self._broadcast({"event": event.to_json()})

    def _broadcast(self, message: dict[str, Any]) -> None:
        data = encode_line(message)
        for writer in list(self.clients):
            if writer.is_closing():
                self.clients.discard(writer)
            else:
                writer.write(data)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        role: str | None = None
        # asyncio turns Nagle off only for sockets made with proto=IPPROTO_TCP, which
        # socket.create_server's are not: replies then waited ~40 ms for delayed ACKs.
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            hello = json.loads(await reader.readline() or b"null")
            seat = hello.get("hello") if isinstance(hello, dict) else None
            refusal, role = self._admit(seat)
            if refusal:
                writer.write(encode_line({"refused": refusal}))
                role = None
                return
            self._welcome(writer, role)
            while line := await reader.readline():
                self._command(writer, role, line)
        except (ConnectionError, ValueError, asyncio.LimitOverrunError):
            pass  # a client that breaks the protocol or vanishes just leaves
        finally:
            self.clients.discard(writer)
            if role is not None and self.taken.get(role) is writer:
                del self.taken[role]
                self.notify(Answer(False, f"{self.seats[role]} ({ROLE_TITLES[role]}) left"))
            writer.close()

    def _admit(self, seat: Any) -> tuple[str | None, str | None]:
        """``(refusal, role)``: why this hello is refused, or the role it takes."""
        if not isinstance(seat, dict) or seat.get("protocol") != PROTOCOL:
            return f"this host speaks {PROTOCOL}; update gameday on both ends", None
        if seat.get("watch"):
            return None, None
        role = seat.get("role")
        if role not in self.seats:
            offered = ", ".join(self.seats)
            return f"this drill has no seat for {role!r}; the seats are: {offered}", None
        if role in self.taken:
            return f"{self.seats[role]} has already joined as {ROLE_TITLES[role]}", None
        return None, str(role)

    def _welcome(self, writer: asyncio.StreamWriter, role: str | None) -> None:
        seat = {"role": role, "name": self.seats[role]} if role else None
        writer.write(
            encode_line(
                {
                    "welcome": {
                        "header": self.session.header,
                        "seat": seat,
                        "events": [e.to_json() for e in self.session.events],
                        "clock": self.clock,
                    }
                }
            )
        )
        self.clients.add(writer)
        if role is not None:
            self.taken[role] = writer
            joined = len(self.taken)
            self.notify(
                Answer(
                    True,
                    f"{self.seats[role]} joined as {ROLE_TITLES[role]} "
                    f"({joined} of {len(self.seats)} seats taken)",
                )
            )
        else:
            self.notify(Answer(True, "someone is watching"))

    def _command(self, writer: asyncio.StreamWriter, role: str | None, line: bytes) -> None:
        message = json.loads(line)
        text = message.get("command") if isinstance(message, dict) else None
        if role is None:
            reply = Answer(False, "You are watching: the players give the commands.")
        elif not isinstance(text, str):
            reply = Answer(False, f'expected {{"command": TEXT}} ({PROTOCOL})')
        elif self.session.ended:
            reply = Answer(False, "The drill is over: F8 opens the debrief.")
        else:
            result = self.session.submit(text, role=role)
            reply = Answer(result.accepted, result.message)
        writer.write(encode_line({"reply": {"accepted": reply.accepted, "message": reply.message}}))

    def close(self) -> None:
        """Stop accepting and drop every client (they keep what they saw)."""
        if self._server is not None:
            self._server.close()
        for writer in list(self.clients):
            writer.close()

    async def wait_closed(self) -> None:
        """Until every connection is closed."""
        for writer in list(self.clients):
            await writer_closed(writer)
        if self._server is not None:
            await self._server.wait_closed()


class HostFeed(LiveFeed):
    """The facilitator's feed: the engine runs here, players act from their terminals."""

    reveal_truth = True

    def __init__(self, session: DrillSession, listener: socket.socket, address: str) -> None:
        super().__init__(session)
        self.listener = listener
        self._notices: list[Reply] = []
        self.host = TeamHost(session, self._notices.append)
        seats = ", ".join(f"{name} --role {role}" for role, name in self.host.seats.items())
        self.welcome: str | None = (
            "You are the facilitator: the players give the commands. They join with "
            f"`gameday join {address} --role ROLE` ({seats}). The clock waits for F2. "
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
        return {name: role in self.host.taken for role, name in self.host.seats.items()}

    async def start(self) -> None:
        """Begin accepting players."""
        await self.host.serve(self.listener)

    def share_clock(self, speed: int, paused: bool) -> None:
        """Players' clocks follow the facilitator's."""
        self.host.share_clock(speed, paused)

    def answers(self) -> list[Reply]:
        """Who joined or left since the last call."""
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


def listen(bind: str, port: int) -> socket.socket:
    """A listening socket for ``gameday host``; raise TeamError saying why it cannot be."""
    try:
        return socket.create_server((bind, port), reuse_port=False)
    except OSError as err:
        hint = "another drill may be hosted there; pick another --port" if port else ""
        raise TeamError(f"cannot listen on {bind}:{port}: {err.strerror or err}. {hint}") from None
