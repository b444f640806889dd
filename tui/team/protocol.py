"""The team protocol: the wire format host and players share, and its errors.

The wire format is the log's: one JSON object per line, UTF-8. A client sends
``{"hello": {"protocol", "token", "role" | "watch"}}`` and then ``{"command": TEXT}``s
and ``{"heartbeat": N}``s; the host answers ``{"welcome": {header, seat, events, clock,
heartbeat}}`` or ``{"refused": WHY}``, then streams ``{"event": EVENT}``, ``{"clock":
{now, speed, paused}}``, ``{"reply": {accepted, message}}`` and, once the drill is
over, ``{"record": {header, events}}`` (the whole drill, for the debrief). The
header and events a seat receives are its view (:mod:`tui.team.view`): never the
ground truth while the drill runs. The host's log is the drill's only record, so a
team drill is scored, replayed and resumed like any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from typing import Any

from simulator.log.jsonl import encode

PROTOCOL = "gameday-team/2"
PORT = 7410
LINE_LIMIT = 16 * 1024 * 1024  # a welcome carries the scenario and history; so does the record
HOST_LINE_LIMIT = 64 * 1024
"""The longest line the host reads from a client: a command is a line of text, and a
client must not make the host buffer megabytes."""
HEARTBEAT = 5.0
"""Seconds between a client's heartbeats; the host drops a client silent for three."""


class TeamError(Exception):
    """Joining failed: the message says why and what to do."""


@dataclass(frozen=True)
class Answer:
    """A reply to a command, or a notice, shown on the console's feedback line."""

    accepted: bool
    message: str


async def writer_closed(writer: asyncio.StreamWriter) -> None:
    """Wait until ``writer`` is closed, whatever state the peer left the socket in."""
    with contextlib.suppress(ConnectionError, OSError):
        await writer.wait_closed()


def encode_line(message: dict[str, Any]) -> bytes:
    """One message on the wire: the log's JSON encoding, one line."""
    return (encode(message) + "\n").encode("utf-8")


def decode_line(line: bytes) -> dict[str, Any] | None:
    """The message on one line, or None when it is not a JSON object.

    A line of 200,000 ``[`` makes :func:`json.loads` recurse past Python's limit; that
    is bad input like any other, not a crash.
    """
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    return message if isinstance(message, dict) else None
