"""A player's (or watcher's) end of a team drill: the host's stream as a console feed.

:func:`join` does the blocking handshake (so a refusal is a clean error before the
app starts); :class:`TeamFeed` then reads the stream as a worker of the app.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

from simulator.drill.commands import CommandError, parse_command
from simulator.log.events import Event
from tui.feed import Reply
from tui.team.protocol import (
    LINE_LIMIT,
    PORT,
    PROTOCOL,
    Answer,
    TeamError,
    encode_line,
    writer_closed,
)


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
        reader, self._writer = await asyncio.open_connection(sock=self.sock, limit=LINE_LIMIT)
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
        self._writer.write(encode_line({"command": text}))
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
            await writer_closed(self._writer)


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
        sock.sendall(encode_line({"hello": hello}))
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
