"""The ``gameday`` command: the front door to every use of the engine.

Subcommands load lazily (click's documented ``LazyGroup`` pattern): the group knows
each command by ``"module:attribute"`` and its one-line help, and imports the module
only when the command is run or its own ``--help`` is asked for. ``gameday --help``
thus costs about as much as importing click; the engine, pydantic and Textual load
for the command that needs them. ``tests/test_cli.py`` keeps the one-line helps
here equal to the commands' docstrings.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import click

from tui.cli.errors import GamedayGroup


@dataclass(frozen=True)
class LazyCommand:
    """Where a subcommand lives, and the one line ``gameday --help`` shows for it."""

    target: str
    """``"package.module:attribute"`` of the click command."""
    help: str
    """The first sentence of the command's docstring."""


COMMANDS: dict[str, LazyCommand] = {
    "list": LazyCommand(
        "tui.cli.drills:list_scenarios",
        "List the shipped scenarios: id, title, difficulty, duration.",
    ),
    "validate": LazyCommand(
        "tui.cli.drills:validate",
        "Check scenario files; print file:line:column errors and exit 2 if any is broken.",
    ),
    "schema": LazyCommand(
        "tui.cli.drills:schema",
        "Print the scenario format's JSON Schema (save it for your editor).",
    ),
    "run": LazyCommand(
        "tui.cli.drills:run",
        "Play a drill headless, as fast as the CPU allows, and print a summary.",
    ),
    "play": LazyCommand("tui.cli.play:play", "Play a drill in the terminal."),
    "replay": LazyCommand(
        "tui.cli.play:replay",
        "Play a logged drill back in the console (read-only, no engine).",
    ),
    "host": LazyCommand(
        "tui.cli.team:host",
        "Host a team game day: you facilitate, each player joins from their own terminal.",
    ),
    "join": LazyCommand(
        "tui.cli.team:join",
        "Join a team game day hosted with `gameday host`, at ADDRESS (HOST:PORT or PORT).",
    ),
    "score": LazyCommand(
        "tui.cli.scoring:score",
        "Score a drill from its session log: each dimension rated P/S/M/U with its evidence.",
    ),
    "postmortem": LazyCommand(
        "tui.cli.scoring:postmortem",
        "Write a practice blameless postmortem (Markdown, optionally HTML) from a drill's log.",
    ),
    "check": LazyCommand(
        "tui.cli.check:check",
        "Play SCENARIO over many seeds with several responses and check its claims.",
    ),
    "oncall": LazyCommand(
        "tui.cli.oncall:oncall",
        "Dry-run, check, import and test on-call schedules and escalation policies.",
    ),
}


class LazyGroup(GamedayGroup):
    """A group whose subcommands are imported when used, not when the group is."""

    def __init__(self, *args: Any, lazy: dict[str, LazyCommand], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, eager and lazy, sorted as click sorts them."""
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import the command's module on first use."""
        if cmd_name not in self.lazy or cmd_name in self.commands:
            return super().get_command(ctx, cmd_name)
        module_name, _, attribute = self.lazy[cmd_name].target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy[cmd_name].target} is not a click command")
        self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands from the table, importing none of them."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            known = self.commands.get(name)
            # A stand-in command shortens the line exactly as the real one would.
            shown = known or click.Command(name, help=self.lazy[name].help)
            if not shown.hidden:
                rows.append((name, shown.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="gameday", prog_name="gameday")
def main() -> None:
    """gameday: incident drills for SRE teams.

    Play a drill in the terminal (`gameday play`), run one headless (`gameday run`),
    score it and write a practice postmortem (`gameday score`, `gameday postmortem`),
    or test an on-call schedule and escalation policy (`gameday oncall test`).
    """
