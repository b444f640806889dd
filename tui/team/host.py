"""A team game day: one host runs the drill, each player joins from their own terminal.

``gameday host SCENARIO --player ic=Dana --player comms=Marcus`` runs the engine and
the facilitator's console (the clock, the ground truth, who has joined); the
simulator plays the roles nobody took. ``gameday join HOST:PORT --role comms``
opens the same console as ``gameday play`` for that seat: its commands go to the
host, which applies them as that player, and every event comes back to everyone.
``gameday join HOST:PORT --watch`` follows the drill read-only (a second screen).

The wire format is the log's: one JSON object per line, UTF-8. A client sends
``{"hello": {"protocol", "role" | "watch"}}`` and then ``{"command": TEXT}``s; the
host answers ``{"welcome": {header, seat, events, clock}}`` or ``{"refused": WHY}``,
then streams ``{"event": EVENT}``, ``{"clock": {now, speed, paused}}`` and
``{"reply": {accepted, message}}``. The host's log is the drill's only record, so
a team drill is scored, replayed and resumed like any other.

There is no authentication: the host listens on 127.0.0.1 unless told otherwise
(``--bind 0.0.0.0`` for a room of laptops on a trusted network).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simulator.drill.commands import CommandError, parse_command
from simulator.drill.session import DrillSession
from simulator.log.events import Event
from simulator.log.jsonl import encode
from simulator.practice import ROLE_TITLES
from tui.screens.feed import LiveFeed, Reply

PROTOCOL = "gameday-team/1"
PORT = 7410
_LINE_LIMIT = 16 * 1024 * 1024  # a welcome carries the whole scenario and history


class TeamError(Exception):
    """Joining failed: the message says why and what to do."""


@dataclass(frozen=True)
class Answer:
    """A reply to a command, or a notice, shown on the console's feedback line."""

    accepted: bool
    message: str


async def _closed(writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        await writer.wait_closed()


def _line(message: dict[str, Any]) -> bytes:
    return (encode(message) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- host
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
        self._server = await asyncio.start_server(self._client, sock=listener, limit=_LINE_LIMIT)

    def share_clock(self, speed: int, paused: bool) -> None:
        """Tell every client where the drill's clock stands."""
        clock = {"now": self.session.now, "speed": speed, "paused": paused}
        if clock != self.clock:
            self.clock = clock
            self._broadcast({"clock": clock})

    def _on_event(self, event: Event) -> None:
        self._broadcast({"event": event.to_json()})

    def _broadcast(self, message: dict[str, Any]) -> None:
        data = _line(message)
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
                writer.write(_line({"refused": refusal}))
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
            _line(
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
        writer.write(_line({"reply": {"accepted": reply.accepted, "message": reply.message}}))

    def close(self) -> None:
        """Stop accepting and drop every client (they keep what they saw)."""
        if self._server is not None:
            self._server.close()
        for writer in list(self.clients):
            writer.close()

    async def wait_closed(self) -> None:
        """Until every connection is closed."""
        for writer in list(self.clients):
            await _closed(writer)
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


# --------------------------------------------------------------------------- player
class TeamFeed:
    """A player's (or watcher's) feed: the host's events, commands sent to the host."""

    replay = False
    reveal_truth = False
    welcome: str | None = None

    def __init__(self, sock: socket.socket, welcome: dict[str, Any], rest: bytes) -> None:
        self.sock = sock
        self.header: dict[str, Any] = welcome["header"]
        seat = welcome.get("seat")
        self.role: str | None = seat["role"] if seat else None
        self.name: str | None = seat["name"] if seat else None
        self.read_only = (
            None
            if self.role
            else "You are watching: the players give the commands, the host runs the clock."
        )
        self._events = [Event.from_json(e) for e in welcome["events"]]
        self._ended = any(e.type == "drill.ended" for e in self._events)
        self._taken = 0
        self._clock: dict[str, Any] = dict(welcome["clock"])
        self._answers: list[Reply] = []
        self._rest = rest
        self._writer: asyncio.StreamWriter | None = None
        self.connected = True

    # ---------------------------------------------------------------- the wire
    async def start(self) -> None:
        """Read the host's stream until it closes (run as a worker of the app)."""
        if self._writer is not None:
            return  # already reading
        reader, self._writer = await asyncio.open_connection(sock=self.sock, limit=_LINE_LIMIT)
        buffered, self._rest = self._rest, b""
        try:
            for line in buffered.splitlines():
                self._receive(line)
            while line := await reader.readline():
                self._receive(line)
        except (ConnectionError, ValueError, asyncio.LimitOverrunError):
            pass
        finally:
            self.connected = False
            if not self.ended:
                self._answers.append(
                    Answer(False, "The host has gone; it can carry on: gameday host --resume LOG")
                )

    @property
    def ready(self) -> bool:
        """Whether commands can be sent (``start`` has taken over the connection)."""
        return self._writer is not None and self.connected

    def _receive(self, line: bytes) -> None:
        if not line.strip():
            return
        message = json.loads(line)
        if "event" in message:
            event = Event.from_json(message["event"])
            self._events.append(event)
            self._ended = self._ended or event.type == "drill.ended"
        elif "clock" in message:
            self._clock = dict(message["clock"])
        elif "reply" in message:
            reply = message["reply"]
            self._answers.append(Answer(bool(reply["accepted"]), str(reply["message"])))

    # ---------------------------------------------------------------- DrillFeed
    @property
    def now(self) -> float:
        """The host's clock, or the last event's time if that is later."""
        last = self._events[-1].t if self._events else 0.0
        return max(float(self._clock.get("now", 0.0)), last)

    @property
    def ended(self) -> bool:
        """The host logged the drill's end."""
        return self._ended

    def advance(self, until: float) -> None:
        """The host runs the clock; nothing to do here."""

    def take(self) -> list[Event]:
        """Events received since the last call."""
        fresh = self._events[self._taken :]
        self._taken = len(self._events)
        return fresh

    def submit(self, text: str) -> Reply | None:
        """Check the grammar here (instant feedback), then send the command to the host."""
        if self.read_only:
            return None
        try:
            parse_command(text)
        except CommandError as err:
            return Answer(False, str(err))
        if self._writer is None or not self.connected:
            return Answer(False, "Not connected to the host: the command was not sent.")
        self._writer.write(_line({"command": text}))
        return Answer(True, f"sent as {self.name}: {text.strip()}")

    def answers(self) -> list[Reply]:
        """The host's replies since the last call."""
        answers, self._answers[:] = list(self._answers), []
        return answers

    def pace(self) -> tuple[int, bool] | None:
        """The host's speed and pause state."""
        return int(self._clock.get("speed", 1)), bool(self._clock.get("paused", False))

    def share_clock(self, speed: int, paused: bool) -> None:
        """Only the host's clock counts."""

    def seat(self) -> tuple[str, str] | None:
        """This player's name and role (None when watching)."""
        return (self.name, self.role) if self.name and self.role else None

    def presence(self) -> dict[str, bool] | None:
        """Only the host knows who is connected."""
        return None

    def roles(self) -> dict[str, str]:
        """Roles as the events have them (the console folds role.assigned itself)."""
        return {}

    def people(self) -> list[str]:
        """The scenario's team and the players."""
        team = [m["name"] for m in self.header.get("scenario", {}).get("team", [])]
        players = [str(self.header.get("trainee", "")), *self.header.get("players", {}).values()]
        return list(dict.fromkeys(p for p in [*players, *team] if p))

    def events(self) -> list[Event]:
        """Everything received so far."""
        return list(self._events)

    @property
    def log_path(self) -> str | None:
        """The log is on the host."""
        return None

    def close(self) -> None:
        """Leave the drill (the host keeps running it)."""
        if self._writer is not None:
            self._writer.close()
        else:
            self.sock.close()

    async def aclose(self) -> None:
        """Leave, and wait until the connection is gone."""
        self.close()
        if self._writer is not None:
            await _closed(self._writer)


def join(address: str, role: str | None, *, timeout: float = 10.0) -> TeamFeed:
    """Connect to a hosted drill and take ``role`` (None: watch); raise TeamError if refused."""
    host, _, port_text = address.rpartition(":")
    host = host or "127.0.0.1"
    try:
        port = int(port_text)
    except ValueError:
        raise TeamError(
            f"{address!r} is not an address: give HOST:PORT or PORT, e.g. 127.0.0.1:{PORT}"
        ) from None
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as err:
        raise TeamError(
            f"cannot reach a drill at {host}:{port}: {err.strerror or err}. Is "
            "`gameday host` running there, and is the port right?"
        ) from None
    hello: dict[str, Any] = {"protocol": PROTOCOL}
    hello.update({"role": role} if role else {"watch": True})
    buffer = b""
    try:
        sock.sendall(_line({"hello": hello}))
        while b"\n" not in buffer:
            chunk = sock.recv(1 << 16)
            if not chunk:
                raise TeamError(f"the host at {host}:{port} closed the connection")
            buffer += chunk
    except OSError as err:
        sock.close()
        raise TeamError(f"lost the host at {host}:{port}: {err.strerror or err}") from None
    first, _, rest = buffer.partition(b"\n")
    try:
        answer = json.loads(first)
    except ValueError:
        sock.close()
        raise TeamError(f"{host}:{port} is not a gameday host") from None
    if not isinstance(answer, dict) or "welcome" not in answer:
        sock.close()
        why = answer.get("refused") if isinstance(answer, dict) else None
        raise TeamError(f"the host refused: {why or 'no reason given'}")
    sock.settimeout(None)
    sock.setblocking(False)
    return TeamFeed(sock, answer["welcome"], rest)
