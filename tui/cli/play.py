"""``gameday play`` and ``gameday replay``: the Textual front ends, loaded lazily.

Textual is imported inside the command functions only, so ``gameday run`` and the
other headless commands start without paying for it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from simulator.practice import ROLES
from tui.cli.errors import EXIT_BAD_INPUT, notice, warn

if TYPE_CHECKING:
    from tui.app import PlayOptions

SPEEDS = ("1", "2", "5", "10", "30")

F = TypeVar("F", bound=Callable[..., Any])


def drill_options(command: F) -> F:
    """``--speed``, ``--seed`` and ``--log``, as every command that starts a live drill has them."""
    for option in reversed(
        [
            click.option(
                "--speed",
                type=click.Choice(SPEEDS),
                default="1",
                show_default=True,
                help="Simulated seconds per wall second (F3/F4 change it while playing).",
            ),
            click.option(
                "--seed", type=click.IntRange(min=0), help="Random seed (same seed, same drill)."
            ),
            click.option(
                "--log",
                "log_path",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Session log to write "
                "[default: ./gameday-logs/<scenario>-<seed>-<time>.jsonl].",
            ),
        ]
    ):
        command = option(command)
    return command


@click.command()
@click.argument("scenario", required=False)
@click.option("--role", type=click.Choice(ROLES), help="Your role; the simulator plays the others.")
@drill_options
@click.option("--name", default="trainee", show_default=True, help="Your name in the drill.")
@click.option(
    "--coach/--no-coach",
    default=None,
    help="Hints when a usual step is late (ack, severity, roles, updates...) "
    "[default: on for beginner scenarios].",
)
@click.option(
    "--resume",
    "resume_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Continue an unfinished drill from its log.",
)
def play(
    scenario: str | None,
    role: str | None,
    speed: str,
    seed: int | None,
    log_path: Path | None,
    name: str,
    coach: bool | None,
    resume_path: Path | None,
) -> None:
    """Play a drill in the terminal.

    Without SCENARIO a picker lists the shipped scenarios. SCENARIO is a shipped id
    (see `gameday list`) or a YAML file. The quiet minutes before the first page
    go by fast, then the clock runs at --speed. Quitting mid-drill keeps the log;
    `gameday play --resume LOG` continues it, at the speed it was started at
    unless --speed is given.
    """
    from simulator.scenario.loader import load_scenario
    from tui.app import PlayOptions, make_app

    if not name.strip():
        raise click.BadParameter("give a non-empty name", param_hint="--name")
    if resume_path is not None:
        if scenario or role or seed is not None or log_path or coach is not None:
            raise click.UsageError(
                "--resume continues a logged drill: give no SCENARIO, "
                "--role, --seed, --log or --coach with it"
            )
        given = click.get_current_context().get_parameter_source("speed")
        options = resume_options(
            resume_path, None if given is ParameterSource.DEFAULT else int(speed)
        )
    else:
        loaded = load_scenario(scenario) if scenario else None
        options = PlayOptions(
            seed=seed if seed is not None else random.SystemRandom().randrange(1, 10_000),
            scenario=loaded,
            role=role,
            speed=int(speed),
            log_path=log_path,
            trainee=name.strip(),
            coach=coach,
        )
    report_log(make_app(options).run())


def resume_options(log: Path, speed: int | None = None) -> PlayOptions:
    """A solo drill continued from its log, at ``speed`` or else the speed it was started
    at (the header's ``wall_speed``; 1x for logs from before it was written)."""
    from simulator.drill.resume import resume_session, wall_speed
    from tui.app import PlayOptions

    session = resume_session(log, team=False, notify=notice)
    return PlayOptions(
        seed=session.seed,
        role=session.role,
        speed=speed or wall_speed(session.header) or 1,
        trainee=session.trainee,
        session=session,
    )


def report_log(log: str | None, resume: str = "gameday play --resume") -> None:
    """Say where the drill's log is, and how to continue it if unfinished."""
    if not log:
        return
    from simulator.log.jsonl import read_log

    complete = read_log(log).complete
    click.echo(f"drill log: {log}")
    if not complete:
        click.echo(f"the drill is unfinished; continue it with: {resume} {log}")


@click.command()
@click.argument("log", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--speed",
    type=click.Choice(SPEEDS),
    default="10",
    show_default=True,
    help="Simulated seconds per wall second.",
)
def replay(log: Path, speed: str) -> None:
    """Play a logged drill back in the console (read-only, no engine)."""
    from simulator.drill.resume import read_replay
    from tui.app import make_replay_app

    header, events, read = read_replay(log)
    for problem in read.warnings:
        warn(problem)
    if not events:
        click.echo(f"gameday: error: {log}: the log holds no events", err=True)
        raise SystemExit(EXIT_BAD_INPUT)
    make_replay_app(header, events, path=str(log), speed=int(speed)).run()
