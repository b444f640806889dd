"""``gameday host`` and ``gameday join``: a team game day, one terminal per person.

Textual and the engine are imported inside the commands, as for ``gameday play``.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING

import click

from simulator.practice import ROLE_TITLES, ROLES
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
    help="Address to listen on; 0.0.0.0 lets other machines join (no authentication).",
)
@drill_options
@click.option(
    "--resume",
    "resume_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Host an unfinished drill again from its log, with the same seats.",
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
) -> None:
    """Host a team game day: you facilitate, each player joins from their own terminal.

    The facilitator's console shows everything, the ground truth included, and runs
    the clock: it starts paused, so wait until everyone has joined, then press F2.
    Players join with `gameday join HOST:PORT --role ROLE`; the simulator plays
    every role nobody was given. The log is written here, as for `gameday play`;
    if the host stops mid-drill, `gameday host --resume LOG` carries on with the
    same seats.
    """
    from tui.app import make_team_app
    from tui.team.host import HostFeed, listen
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
    seats = parse_players(players)
    try:
        listener = listen(bind, port)
    except TeamError as err:
        click.echo(f"gameday: error: {err}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    with listener:
        session = (
            _resumed(resume_path) if resume_path else _new(str(scenario), seats, seed, log_path)
        )
        where = f"{bind if bind != '0.0.0.0' else '<this host>'}:{listener.getsockname()[1]}"
        feed = HostFeed(session, listener, address=where)
        click.echo(f"hosting {session.scenario.metadata.id} (seed {session.seed}) on {where}")
        for role, name in feed.host.seats.items():
            click.echo(f"  {name:<16} {ROLE_TITLES[role]:<22} gameday join {where} --role {role}")
        result = make_team_app(feed, speed=int(speed)).run()
    report_log(result, resume="gameday host --resume")


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
def join(address: str, role: str | None, watch: bool) -> None:
    """Join a team game day hosted with `gameday host`, at ADDRESS (HOST:PORT or PORT).

    You get the console of `gameday play` for your role; your commands are applied
    on the host as yours, and the host's clock runs the drill.
    """
    if bool(role) == watch:
        raise click.UsageError("give your seat with --role ROLE, or --watch to follow")
    from tui.app import make_team_app
    from tui.team.client import join as connect
    from tui.team.protocol import TeamError

    try:
        feed = connect(address, role)
    except TeamError as err:
        click.echo(f"gameday: error: {err}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    make_team_app(feed).run()
    if feed.ended:
        click.echo("the drill is over; the host has its log for the debrief and the postmortem")
