"""The team protocol: the wire format host and players share, and its errors.

The wire format is the log's: one JSON object per line, UTF-8. A client sends
``{"hello": {"protocol", "role" | "watch"}}`` and then ``{"command": TEXT}``s; the
host answers ``{"welcome": {header, seat, events, clock}}`` or ``{"refused": WHY}``,
then streams ``{"event": EVENT}``, ``{"clock": {now, speed, paused}}`` and
``{"reply": {accepted, message}}``. The host's log is the drill's only record, so
a team drill is scored, replayed and resumed like any other.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

from simulator.log.jsonl import encode

PROTOCOL = "gameday-team/1"
PORT = 7410
LINE_LIMIT = 16 * 1024 * 1024  # a welcome carries the whole scenario and history


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
