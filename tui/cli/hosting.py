"""Running ``gameday host``: the socket, the seats and their tokens, then the console or none.

Split from :mod:`tui.cli.team` so the command stays a thin front door; the network
itself is :mod:`tui.team`.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import shlex
import signal
import ssl
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from simulator.practice import ROLE_TITLES
from tui.cli.errors import warn

if TYPE_CHECKING:
    import socket

    from simulator.drill.session import DrillSession
    from tui.team.seats import Seat


@dataclass
class Serving:
    """Where the host listens, and how."""

    listener: socket.socket
    address: str
    """HOST:PORT as players give it to ``gameday join``."""
    bind: str
    tls: ssl.SSLContext | None = None
    tls_cert: str | None = None
    result: str | None = None
    """The log path the console returned on exit."""


def serving(bind: str, port: int, tls_cert: str | None, tls_key: str | None) -> Serving:
    """Bind the socket and load the TLS files; TeamError saying why not."""
    from tui.team.host import listen, tls_context

    tls = tls_context(tls_cert, tls_key) if tls_cert and tls_key else None
    listener = listen(bind, port)
    shown = bind if bind not in ("0.0.0.0", "::") else "<this host>"
    return Serving(listener, f"{shown}:{listener.getsockname()[1]}", bind, tls, tls_cert)


def loopback(bind: str) -> bool:
    """Whether only this machine can reach ``bind``."""
    try:
        return ipaddress.ip_address(bind).is_loopback
    except ValueError:
        return bind == "localhost"


def announce(
    session: DrillSession, where: Serving, seats: dict[str, Seat], web: int | None
) -> None:
    """Print the drill, each seat's join command, and what the bind address implies."""
    from tui.team.seats import join_command

    tls = where.tls is not None
    click.echo(
        f"hosting {session.scenario.metadata.id} (seed {session.seed}) on {where.address}"
        + (" (TLS)" if tls else "")
    )
    for seat in seats.values():
        title = ROLE_TITLES[seat.role] if seat.role else "(watching)"
        click.echo(f"  {seat.name:<16} {title:<22} {join_command(where.address, seat, tls=tls)}")
    if web is not None:
        click.echo(f"  browsers: http://{where.address.rsplit(':', 1)[0]}:{web}/ (type the token)")
    if not loopback(where.bind) and not tls:
        warn(
            f"{where.bind} is reachable from other machines and the traffic (tokens included) "
            "is not encrypted: give --tls-cert/--tls-key, or keep the default bind and let "
            "players use SSH forwarding (see docs/game-day.md)"
        )


def web_command(where: Serving) -> str:
    """The command the browser seat runs for each browser: a join that asks the token."""
    port = where.listener.getsockname()[1]
    host = where.bind if where.bind not in ("0.0.0.0", "::") else "127.0.0.1"
    args = [sys.executable, "-c", "from tui.cli.main import main; main()"]
    args += ["join", f"{host}:{port}", "--ask-token"]
    if where.tls_cert:
        args += ["--tls", "--tls-ca", where.tls_cert]
    return shlex.join(args)


def run_host(
    session: DrillSession,
    where: Serving,
    seats_file: Path | None,
    *,
    headless: bool,
    speed: int,
    web: int | None,
    resumed: bool = False,
) -> None:
    """Make the seats, say how to join, then run the facilitator's console or headless.

    A resumed drill keeps the tokens its seats file holds for the same people, so the
    players' join commands still work after the host was restarted.
    """
    from tui.team.seats import make_seats, tokens_from_seats_file, write_seats_file

    people = {session.role: session.trainee, **session.players}
    kept = tokens_from_seats_file(seats_file, people) if resumed and seats_file else {}
    seats = make_seats(people, kept)
    announce(session, where, seats, web)
    if seats_file is not None:
        try:
            write_seats_file(seats_file, seats, where.address, tls=where.tls is not None)
        except OSError as err:
            warn(f"cannot write the seats file {seats_file}: {err.strerror or err}")
    web_seat = (where.bind, web, web_command(where)) if web is not None else None
    if headless:
        asyncio.run(_headless(session, where, seats, speed, web_seat))
        return
    from tui.app import make_team_app
    from tui.team.facilitator import HostFeed

    feed = HostFeed(
        session, where.listener, where.address, seats=seats, tls=where.tls, web=web_seat
    )
    where.result = make_team_app(feed, speed=speed).run()


async def _headless(
    session: DrillSession,
    where: Serving,
    seats: dict[str, Seat],
    speed: int,
    web_seat: tuple[str, int, str] | None,
) -> None:
    from tui.team.headless import run_headless, stderr_notices
    from tui.team.host import TeamHost
    from tui.team.web import serve_web

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    host = TeamHost(
        session, stderr_notices(lambda m: click.echo(m, err=True)), seats=seats, tls=where.tls
    )
    web = await serve_web(*web_seat, tls=where.tls) if web_seat else None
    try:
        await run_headless(
            host, where.listener, speed=speed, stop=stop, ready=lambda: click.echo("ready")
        )
    finally:
        if web is not None:
            await web.cleanup()
