"""The host of a team drill: it owns the engine, the log and the clock, and serves the seats.

``gameday host`` binds the socket (:func:`listen`, so a taken port is a clean error)
and hands it to :class:`HostFeed`, the facilitator console's feed (or to the headless
host, :mod:`tui.team.headless`); :class:`TeamHost` admits a connection only with its
seat's token, credits each command to the person at the seat, streams each client its
view of the drill (:mod:`tui.team.view`) and drops clients that go silent.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Callable
from typing import Any

from simulator.drill.session import DrillSession
from simulator.log.events import Event
from simulator.practice import ROLE_TITLES
from tui.team.protocol import (
    HEARTBEAT,
    HOST_LINE_LIMIT,
    PROTOCOL,
    Answer,
    TeamError,
    decode_line,
    encode_line,
    writer_closed,
)
from tui.team.seats import WATCH, Seat, make_seats
from tui.team.view import event_view, full_record, header_view

MAX_BACKLOG = 8 * 1024 * 1024
"""Bytes queued for a client that does not read (a laptop asleep) before it is dropped."""


class TeamHost:
    """The seats of a hosted drill and the clients connected to them."""

    def __init__(
        self,
        session: DrillSession,
        notify: Callable[[Answer], None],
        *,
        seats: dict[str, Seat] | None = None,
        heartbeat: float = HEARTBEAT,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.session = session
        players = {session.role: session.trainee, **session.players}
        self.seats = seats or make_seats(players)
        self.taken: dict[str, asyncio.StreamWriter] = {}
        self.clients: set[asyncio.StreamWriter] = set()
        self.notify = notify
        self.heartbeat = heartbeat
        self.tls = tls
        self.clock = {"now": session.now, "speed": 1, "paused": True}
        self._server: asyncio.Server | None = None
        session.subscribe(self._on_event)

    @property
    def players(self) -> dict[str, str]:
        """Role -> name of every player's seat."""
        return {s.role: s.name for s in self.seats.values() if s.role}

    async def serve(self, listener: socket.socket) -> None:
        """Accept players on an already bound socket (the CLI binds it to report errors)."""
        self._server = await asyncio.start_server(
            self._client, sock=listener, limit=HOST_LINE_LIMIT, ssl=self.tls
        )

    def share_clock(self, speed: int, paused: bool) -> None:
        """Tell every client where the drill's clock stands."""
        clock = {"now": self.session.now, "speed": speed, "paused": paused}
        if clock != self.clock:
            self.clock = clock
            self._broadcast({"clock": clock})

    def _on_event(self, event: Event) -> None:
        view = event_view(event)
        if view is not None:
            self._broadcast({"event": view})
        if event.type == "drill.ended":  # the answer is no spoiler now: everyone's debrief
            self._broadcast({"record": full_record(self.session.header, self.session.events)})

    def _broadcast(self, message: dict[str, Any]) -> None:
        data = encode_line(message)  # encoded once for the whole room
        for writer in list(self.clients):
            self._send(writer, data)

    def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        if writer.is_closing():
            self.clients.discard(writer)
        elif writer.transport.get_write_buffer_size() > MAX_BACKLOG:
            self._drop(writer, "stopped reading")
        else:
            writer.write(data)

    def _drop(self, writer: asyncio.StreamWriter, why: str) -> None:
        """Close a client that is not keeping up; its seat frees up when its handler ends."""
        self.clients.discard(writer)
        for key, holder in list(self.taken.items()):
            if holder is writer:
                del self.taken[key]
                self.notify(Answer(False, f"{self._who(key)} {why}: the seat is free again"))
        writer.close()

    def _who(self, key: str) -> str:
        seat = self.seats[key]
        return f"{seat.name} ({ROLE_TITLES[seat.role]})" if seat.role else "a watcher"

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        key: str | None = None
        # asyncio turns Nagle off only for sockets made with proto=IPPROTO_TCP, which
        # socket.create_server's are not: replies then waited ~40 ms for delayed ACKs.
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        peer = writer.get_extra_info("peername")
        where = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else "a local socket"
        try:
            hello = decode_line(await self._line(reader))
            refusal, key = self._admit(hello.get("hello") if hello else None)
            if refusal or key is None:
                self.notify(Answer(False, f"refused a connection from {where}: {refusal}"))
                writer.write(encode_line({"refused": refusal}))
                key = None
                return
            self._welcome(writer, key)
            while line := await self._line(reader):
                message = decode_line(line)
                if message is None:
                    self.notify(Answer(False, f"{self._who(key)} sent garbage: dropped"))
                    return
                self._message(writer, key, message)
        except (ConnectionError, TimeoutError, ValueError, OSError):
            pass  # a client that vanishes, goes silent or overruns a line just leaves
        finally:
            self.clients.discard(writer)
            if key is not None and key != WATCH and self.taken.get(key) is writer:
                del self.taken[key]
                self.notify(Answer(False, f"{self._who(key)} left"))
            writer.close()

    async def _line(self, reader: asyncio.StreamReader) -> bytes:
        """The next line, or TimeoutError when the client has been silent for too long
        (a frozen client must not keep its seat: its heartbeats stopped)."""
        return await asyncio.wait_for(reader.readline(), timeout=self.heartbeat * 3)

    def _admit(self, hello: object) -> tuple[str | None, str | None]:
        """``(refusal, seat key)``: why this hello is refused, or the seat it takes."""
        if not isinstance(hello, dict) or hello.get("protocol") != PROTOCOL:
            return f"this host speaks {PROTOCOL}; update gameday on both ends", None
        token, role = hello.get("token"), hello.get("role")
        if hello.get("watch") is True:
            key: object = WATCH
        elif role is None:  # a token alone names its seat (the browser seat asks only that)
            key = next((k for k, s in self.seats.items() if s.admits(token)), None)
            if key is None:
                return "no seat has that token: copy it from the host's join command", None
        else:
            key = role
        if not isinstance(key, str) or key not in self.seats:
            offered = ", ".join(k for k in self.seats if k != WATCH)
            shown = role if isinstance(role, str) else type(role).__name__
            return f"this drill has no seat for {shown!r}; the seats are: {offered}", None
        seat = self.seats[key]
        if not seat.admits(token):
            what = "no token" if token is None else "a wrong token"
            return f"{what} for {'watching' if key == WATCH else key}: ask the host", None
        stale = self.taken.get(key)
        if stale is not None:  # the holder is back (a new laptop, a restarted terminal)
            self.notify(Answer(False, f"{self._who(key)} reclaimed the seat; the old link is cut"))
            self.taken.pop(key)
            self.clients.discard(stale)
            stale.close()
        return None, key

    def _welcome(self, writer: asyncio.StreamWriter, key: str) -> None:
        seat = self.seats[key]
        events = [v for v in map(event_view, self.session.events) if v is not None]
        welcome = {
            "header": header_view(self.session.header),
            "seat": {"role": seat.role, "name": seat.name} if seat.role else None,
            "events": events,
            "clock": self.clock,
            "heartbeat": self.heartbeat,
        }
        writer.write(encode_line({"welcome": welcome}))
        if self.session.ended:
            writer.write(
                encode_line({"record": full_record(self.session.header, self.session.events)})
            )
        self.clients.add(writer)
        if key == WATCH:
            self.notify(Answer(True, "someone is watching"))
            return
        self.taken[key] = writer
        self.notify(
            Answer(
                True,
                f"{seat.name} joined as {ROLE_TITLES[str(seat.role)]} "
                f"({len(self.taken)} of {len(self.players)} seats taken)",
            )
        )

    def _message(self, writer: asyncio.StreamWriter, key: str, message: dict[str, Any]) -> None:
        if "heartbeat" in message:
            return  # reading it was the point: the client is alive
        text = message.get("command")
        seat = self.seats[key]
        if seat.role is None:
            reply = Answer(False, "You are watching: the players give the commands.")
        elif not isinstance(text, str):
            reply = Answer(False, f'expected {{"command": TEXT}} ({PROTOCOL})')
        elif self.session.ended:
            reply = Answer(False, "The drill is over: F8 opens the debrief.")
        else:  # credited to the person at the seat, whoever holds the role by now
            result = self.session.submit(text, role=seat.role, by=seat.name)
            reply = Answer(result.accepted, result.message)
        self._send(
            writer,
            encode_line({"reply": {"accepted": reply.accepted, "message": reply.message}}),
        )

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


def listen(bind: str, port: int) -> socket.socket:
    """A listening socket for ``gameday host``; raise TeamError saying why it cannot be."""
    try:
        return socket.create_server((bind, port), reuse_port=False)
    except OSError as err:
        hint = "another drill may be hosted there; pick another --port" if port else ""
        raise TeamError(f"cannot listen on {bind}:{port}: {err.strerror or err}. {hint}") from None


def tls_context(cert: str, key: str) -> ssl.SSLContext:
    """A server TLS context from PEM files; TeamError saying what is wrong with them."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as err:
        raise TeamError(f"cannot use {cert} / {key} for TLS: {err}") from None
    return context
