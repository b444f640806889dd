"""Fuzzing the team wire: whatever arrives on the port, the host raises nothing unhandled
and keeps serving a real player (random bytes, truncated and oversized lines, wrong
types in every field of the hello and of a command)."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tui.teamkit import hosted, joined, shutdown, team_session, token
from tui.team.client import TeamFeed
from tui.team.facilitator import HostFeed
from tui.team.protocol import HOST_LINE_LIMIT, PROTOCOL

T = TypeVar("T")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@dataclass
class Served:
    """A host and a real player on a loop in a thread, shared by every example."""

    loop: asyncio.AbstractEventLoop
    host: HostFeed
    address: tuple[str, int]
    player: TeamFeed
    errors: list[dict[str, Any]] = field(default_factory=list)

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    loop = asyncio.new_event_loop()
    errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    async def start() -> tuple[HostFeed, str, TeamFeed]:
        # Heartbeats every 2 s: a loaded CI machine must not drop the real player.
        host, address = await hosted(team_session(), heartbeat=2.0)
        return host, address, await joined(address, "tech")

    host, address, player = asyncio.run_coroutine_threadsafe(start(), loop).result(10)
    where, _, port = address.rpartition(":")
    yield Served(loop, host, (where, int(port)), player, errors)
    asyncio.run_coroutine_threadsafe(shutdown(host, player), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def send(served: Served, payload: bytes) -> bytes:
    """Send ``payload`` on a fresh connection, say we are done, read what the host says."""
    with socket.create_connection(served.address, timeout=3) as sock:
        try:
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)
            answer = b""
            while chunk := sock.recv(1 << 16):
                answer += chunk
        except (ConnectionResetError, BrokenPipeError):
            answer = b""  # the host hung up on a line over its limit before reading it all
    return answer


def still_serving(served: Served) -> None:
    """The real player's command round trip still works, and nothing blew up on the host."""

    async def round_trip() -> bool:
        served.player.answers()
        served.player.submit("/note still here")
        for _ in range(1000):  # up to 10 s on a loaded machine
            if served.player.answers():
                return True
            await asyncio.sleep(0.01)
        return False

    assert served.player.connected and served.call(round_trip())
    assert not served.errors, served.errors


def line(message: object) -> bytes:
    return json.dumps(message).encode() + b"\n"


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.slow
@SETTINGS
@given(st.binary(max_size=2048))
def test_random_bytes(served: Served, payload: bytes) -> None:
    """Bytes, any bytes: an answer or a hang-up, never a crash."""
    send(served, payload)
    still_serving(served)


@pytest.mark.slow
@SETTINGS
@given(protocol=JSON, role=JSON, watch=JSON, token_=JSON, extra=JSON)
def test_wrong_types_in_every_hello_field(
    served: Served, protocol: object, role: object, watch: object, token_: object, extra: object
) -> None:
    """A hello whose every field has a random type is refused with a reason."""
    hello = {"protocol": protocol, "role": role, "watch": watch, "token": token_, "x": extra}
    answer = send(served, line({"hello": hello}))
    assert b'"refused"' in answer
    still_serving(served)


@pytest.mark.slow
@SETTINGS
@given(st.lists(JSON, max_size=4), st.integers(min_value=1, max_value=200))
def test_wrong_commands_and_truncated_lines_from_a_seated_client(
    served: Served, messages: list[object], cut: int
) -> None:
    """Seated with the right token, a client sends anything, then a line cut short."""
    hello = {"protocol": PROTOCOL, "role": "comms", "token": token(_address(served), "comms")}
    payload = line({"hello": hello})
    for message in messages:
        payload += line({"command": message}) + line(message)
    payload += line({"command": "/status investigating Errors at checkout."})[:cut]
    answer = send(served, payload)
    assert answer.startswith(b'{"welcome"')
    still_serving(served)


@pytest.mark.slow
def test_oversized_lines(served: Served) -> None:
    """A hello or a command longer than the host reads is dropped, nothing more."""
    send(served, b"{" + b'"a":1,' * (HOST_LINE_LIMIT // 5) + b"\n")
    hello = {"protocol": PROTOCOL, "role": "comms", "token": token(_address(served), "comms")}
    send(served, line({"hello": hello}) + line({"command": "/note " + "x" * HOST_LINE_LIMIT}))
    send(served, b"[" * (HOST_LINE_LIMIT - 10) + b"\n")
    still_serving(served)


def _address(served: Served) -> str:
    return f"{served.address[0]}:{served.address[1]}"
