"""``gameday host`` and ``gameday join``: a team game day, one terminal per person.

Textual and the engine are imported inside the commands, as for ``gameday play``.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING

import click

from simulator.practice import ROLES
from tui.cli.errors import EXIT_BAD_INPUT, notice
from tui.cli.play import drill_options, report_log

if TYPE_CHECKING:
    from simulator.drill.session import DrillSession

DEFAULT_PORT = 7410  # tui.team.protocol.PORT, repeated so `gameday --help` does not import asyncio


def parse_players(given: tuple[str, ...]) -> dict[str, str]:
    """``("ic=Dana", "comms=Marcus")`` -> ``{"ic": "Dana", "comms": "Marcus"}``, in order."""
    players: dict[str, str] = {}
    for item in given:
        role, sep, name = item.partition("=")
        role, name = role.strip().lower(), name.strip()
        if not sep or not name:
            raise click.BadParameter(
                f"{item!r}: write ROLE=NAME, e.g. comms=Marcus", param_hint="--player"
            )
        if role not in ROLES:
            raise click.BadParameter(
                f"{item!r}: the roles are {', '.join(ROLES)}", param_hint="--player"
            )
        if role in players:
            raise click.BadParameter(f"two players for {role}", param_hint="--player")
        if name.lower() in (n.lower() for n in players.values()):
            raise click.BadParameter(f"{name!r} is given two seats", param_hint="--player")
        players[role] = name
    return players


@click.command()
@click.argument("scenario", required=False)
@click.option(
    "--player",
    "players",
    multiple=True,
    metavar="ROLE=NAME",
    help="A seat for one person, e.g. ic=Dana (repeat). Roles without a player are simulated.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="TCP port players join on.",
)
@click.option(
    "--bind",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets other machines join (use TLS, or SSH forwarding).",
)
@drill_options
@click.option(
    "--resume",
    "resume_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=(
        "Host an unfinished drill again from its log, with the same seats (and, given "
        "the same --seats-file, the same tokens)."
    ),
)
@click.option(
    "--seats-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=(
        "Write each seat's name, token and join command as JSON here (mode 0600); "
        "with --resume, keep the tokens it holds."
    ),
)
@click.option(
    "--headless",
    is_flag=True,
    help="No console: the clock runs at --speed from the start, notices go to stderr.",
)
@click.option("--tls-cert", type=click.Path(dir_okay=False), help="PEM certificate: serve TLS.")
@click.option("--tls-key", type=click.Path(dir_okay=False), help="PEM private key for --tls-cert.")
@click.option(
    "--web",
    "web_port",
    type=click.IntRange(1, 65535),
    help="Also serve the player's console to browsers on this port (players type their token).",
)
def host(
    scenario: str | None,
    players: tuple[str, ...],
    port: int,
    bind: str,
    speed: str,
    seed: int | None,
    log_path: Path | None,
    resume_path: Path | None,
    seats_file: Path | None,
    headless: bool,
    tls_cert: str | None,
    tls_key: str | None,
    web_port: int | None,
) -> None:
    """Host a team game day: you facilitate, each player joins from their own terminal.

    The facilitator's console shows everything, the ground truth included, and runs
    the clock: it starts paused, so wait until everyone has joined, then press F2.
    Each seat has a secret token: the host prints each player's join command (and
    writes them all with --seats-file); the simulator plays every role nobody was
    given. The log is written here, as for `gameday play`; if the host stops
    mid-drill, `gameday host --resume LOG` carries on with the same seats.
    """
    from tui.cli.hosting import run_host, serving
    from tui.team.protocol import TeamError

    if resume_path is not None:
        if scenario or players or seed is not None or log_path:
            raise click.UsageError(
                "--resume hosts a logged drill again with its seats: give no SCENARIO, "
                "--player, --seed or --log with it"
            )
    elif not scenario or not players:
        raise click.UsageError(
            "give the SCENARIO (see `gameday list`) and a --player ROLE=NAME for each "
            "person, e.g. gameday host checkout-bad-deploy --player ic=Dana --player comms=Marcus"
        )
    if bool(tls_cert) != bool(tls_key):
        raise click.UsageError("TLS needs both --tls-cert and --tls-key")
    seats = parse_players(players)
    try:
        where = serving(bind, port, tls_cert, tls_key)
    except TeamError as err:
        click.echo(f"gameday: error: {err}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    with where.listener:
        session = (
            _resumed(resume_path) if resume_path else _new(str(scenario), seats, seed, log_path)
        )
        run_host(
            session,
            where,
            seats_file,
            headless=headless,
            speed=int(speed),
            web=web_port,
            resumed=resume_path is not None,
        )
    log = str(session.writer.path) if headless and session.writer else where.result
    report_log(log, resume="gameday host --resume")


def _new(
    scenario: str, seats: dict[str, str], seed: int | None, log_path: Path | None
) -> DrillSession:
    from simulator.drill.session import DrillSession
    from simulator.scenario.loader import load_scenario
    from tui.app import default_log_path

    loaded = load_scenario(scenario)
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 10_000)
    path = log_path or default_log_path(loaded.scenario.metadata.id, seed, Path("gameday-logs"))
    path.parent.mkdir(parents=True, exist_ok=True)
    (first_role, first_name), *others = seats.items()
    return DrillSession(
        loaded.scenario,
        seed=seed,
        role=first_role,
        trainee=first_name,
        players=dict(others),
        log_path=path,
        scenario_hash=loaded.content_hash,
    )


def _resumed(log: Path) -> DrillSession:
    from simulator.drill.resume import resume_session

    return resume_session(log, team=True, notify=notice)


@click.command()
@click.argument("address")
@click.option("--role", type=click.Choice(ROLES), help="Your seat, as the host set it up.")
@click.option("--watch", is_flag=True, help="Follow the drill read-only (a second screen).")
@click.option(
    "--token",
    envvar="GAMEDAY_TOKEN",
    help="Your seat's secret, from the host's join command (or GAMEDAY_TOKEN; asked if absent).",
)
@click.option("--ask-token", is_flag=True, help="Ask for the token on screen (the browser seat).")
@click.option("--tls", is_flag=True, help="The host serves TLS (it was given --tls-cert).")
@click.option(
    "--tls-ca",
    type=click.Path(exists=True, dir_okay=False),
    help="Trust this certificate (e.g. the host's self-signed one) for --tls.",
)
def join(
    address: str,
    role: str | None,
    watch: bool,
    token: str | None,
    ask_token: bool,
    tls: bool,
    tls_ca: str | None,
) -> None:
    """Join a team game day hosted with `gameday host`, at ADDRESS (HOST:PORT or PORT).

    You get the console of `gameday play` for your role; your commands are applied
    on the host as yours, and the host's clock runs the drill. The token admits you to
    your seat: on a shared machine prefer GAMEDAY_TOKEN or the prompt to --token,
    which other users can read in the process list.
    """
    if role and watch:
        raise click.UsageError("give your seat with --role ROLE, or --watch to follow, not both")
    if not (role or watch or ask_token or token):
        raise click.UsageError("give your seat with --role ROLE, or --watch to follow")
    import asyncio
    import ssl
    import sys

    from tui.app import make_team_app, make_token_app
    from tui.team.client import TeamFeed, connect
    from tui.team.protocol import TeamError

    context = ssl.create_default_context(cafile=tls_ca) if tls or tls_ca else None
    if ask_token:

        async def attempt(given: str) -> TeamFeed | str:
            try:
                return await connect(address, role, given, tls=context)
            except TeamError as err:
                return str(err)

        asyncio.run(make_token_app(attempt).run_async())
        return
    if not token:
        if not sys.stdin.isatty():
            raise click.UsageError(
                "give your seat's token: --token TOKEN or GAMEDAY_TOKEN, as the host printed it"
            )
        token = click.prompt("token for this seat", hide_input=True)

    async def play() -> bool:
        try:
            feed = await connect(address, role, token, tls=context)
        except TeamError as err:
            click.echo(f"gameday: error: {err}", err=True)
            raise SystemExit(EXIT_BAD_INPUT) from None
        await make_team_app(feed).run_async()
        return feed.ended

    if asyncio.run(play()):
        click.echo("the drill is over; the host has its log for the debrief and the postmortem")
