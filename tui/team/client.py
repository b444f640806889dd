"""A player's (or watcher's) end of a team drill: the host's stream as a console feed.

:func:`connect` does the handshake (so a refusal is a clean error before the console
opens) in the loop the app then runs in; :class:`TeamFeed` reads the stream as a
worker of the app, sends a heartbeat so the host knows it is alive, and sends every
command to the host, even one this console already knows is wrong, because the host's
log is the drill's record and a rejected command belongs in it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from typing import Any

from simulator.drill.commands import CommandError, parse_command
from simulator.log.events import Event
from tui.feed import Reply
from tui.team.protocol import (
    HEARTBEAT,
    LINE_LIMIT,
    PORT,
    PROTOCOL,
    Answer,
    TeamError,
    decode_line,
    encode_line,
    writer_closed,
)


class TeamFeed:
    """A player's (or watcher's) feed: the host's events, commands sent to the host."""

    replay = False
    reveal_truth = False
    welcome: str | None = None

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        welcome: dict[str, Any],
    ) -> None:
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
        self._record: list[Event] | None = None
        self._taken = 0
        self._clock: dict[str, Any] = dict(welcome["clock"])
        self._heartbeat = float(welcome.get("heartbeat") or HEARTBEAT)
        self._answers: list[Reply] = []
        self._reader = reader
        self._writer = writer
        self._reading = False
        self.connected = True

    # ---------------------------------------------------------------- the wire
    async def start(self) -> None:
        """Read the host's stream until it closes (run as a worker of the app)."""
        if self._reading:
            return
        self._reading = True
        beating = asyncio.get_running_loop().create_task(self._beat())
        try:
            while line := await self._reader.readline():
                self._receive(line)
        except (ConnectionError, ValueError, OSError):
            pass
        finally:
            beating.cancel()
            self.connected = False
            if not self.ended:
                self._answers.append(
                    Answer(False, "The host has gone; it can carry on: gameday host --resume LOG")
                )

    async def _beat(self) -> None:
        """Tell the host we are alive (it drops clients silent for three heartbeats)."""
        count = 0
        with contextlib.suppress(ConnectionError, OSError):
            while not self._writer.is_closing():
                await asyncio.sleep(self._heartbeat)
                count += 1
                self._writer.write(encode_line({"heartbeat": count}))

    @property
    def ready(self) -> bool:
        """Whether commands can be sent (``start`` is reading the stream)."""
        return self._reading and self.connected

    def _receive(self, line: bytes) -> None:
        message = decode_line(line)
        if message is None:
            return  # a blank or garbled line from the host: nothing to show
        if "event" in message:
            self._events.append(Event.from_json(message["event"]))
        elif "clock" in message:
            self._clock = dict(message["clock"])
        elif "reply" in message:
            reply = message["reply"]
            self._answers.append(Answer(bool(reply["accepted"]), str(reply["message"])))
        elif "record" in message:  # the drill is over: the whole of it, for the debrief
            self.header = message["record"]["header"]
            self._record = [Event.from_json(e) for e in message["record"]["events"]]

    # ---------------------------------------------------------------- DrillFeed
    @property
    def now(self) -> float:
        """The host's clock, or the last event's time if that is later."""
        last = self._events[-1].t if self._events else 0.0
        return max(float(self._clock.get("now", 0.0)), last)

    @property
    def ended(self) -> bool:
        """The host logged the drill's end and sent its whole record for the debrief."""
        return self._record is not None

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
        if not self.connected or self._writer.is_closing():
            return Answer(False, "Not connected to the host: the command was not sent.")
        # Sent even when wrong: the host logs it as command.rejected, as solo play does.
        self._writer.write(encode_line({"command": text}))
        try:
            parse_command(text)
        except CommandError as err:
            return Answer(False, str(err))
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
        """Everything received so far; the whole drill once it is over."""
        return list(self._record if self._record is not None else self._events)

    @property
    def log_path(self) -> str | None:
        """The log is on the host."""
        return None

    def close(self) -> None:
        """Leave the drill (the host keeps running it)."""
        self._writer.close()

    async def aclose(self) -> None:
        """Leave, and wait until the connection is gone."""
        self.close()
        await writer_closed(self._writer)


def parse_address(address: str) -> tuple[str, int]:
    """``HOST:PORT`` or ``PORT`` -> (host, port); TeamError saying what to give."""
    host, _, port_text = address.rpartition(":")
    try:
        port = int(port_text)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise TeamError(
            f"{address!r} is not an address: give HOST:PORT or PORT, e.g. 127.0.0.1:{PORT}"
        )
    return host.strip("[]") or "127.0.0.1", port


async def connect(
    address: str,
    role: str | None,
    token: str | None,
    *,
    tls: ssl.SSLContext | None = None,
    timeout: float = 10.0,
) -> TeamFeed:
    """Connect to a hosted drill and take ``role`` with its ``token`` (role None and a
    token: the token's seat; neither: watch); raise TeamError if refused or unreachable."""
    host, port = parse_address(address)
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(
                host, port, limit=LINE_LIMIT, ssl=tls, server_hostname=host if tls else None
            ),
            timeout,
        )
    except (OSError, TimeoutError) as err:
        why = getattr(err, "strerror", None) or str(err) or "timed out"
        raise TeamError(
            f"cannot reach a drill at {host}:{port}: {why}. Is `gameday host` running "
            "there, and is the port right?"
        ) from None
    hello: dict[str, Any] = {"protocol": PROTOCOL, "token": token}
    if role:
        hello["role"] = role
    try:
        writer.write(encode_line({"hello": hello}))
        first = await asyncio.wait_for(reader.readline(), timeout)
    except (OSError, TimeoutError, ValueError) as err:
        writer.close()
        raise TeamError(f"lost the host at {host}:{port}: {err or 'no answer'}") from None
    answer = decode_line(first)
    if answer is None or "welcome" not in answer:
        writer.close()
        if answer is None:
            raise TeamError(f"{host}:{port} is not a gameday host (or it hung up)")
        raise TeamError(f"the host refused: {answer.get('refused') or 'no reason given'}")
    return TeamFeed(reader, writer, answer["welcome"])
